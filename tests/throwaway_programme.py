"""A programme that exists only for tests/test_new_programme.py, declared here and nowhere else: a schema class
and one `register` call for the programme (its page, tests/throwaway_page.py) and its tab, a rule across rows
with its message, a setting that rule reads, its demo rows, and its parts of the Overview, the year's results
and the donor pack (a figure, its sentence, its words, a month-by-month chart), registered with the functions
themselves. The test shows every part of the back office picks it up; `install` and `uninstall` make it come and
go (a real programme registers at its module's end, as schemas/wash.py does)."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from data.demo_common import demo_builder
from insights.chart_parts import month_x
from insights.common import Filters, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, unregister_parts, uses
from schemas.base import Bool, Date, Int, TabSchema, Text, code, column
from schemas.programme import Page, Programme
from schemas.registry import Tab, register, unregister_programme
from schemas.rules import RULES, WARNING, Rule, register_rules
from schemas.rules_context import CROSS_TAB_RULES, Book, cross_tab_rule
from schemas.settings import WHOLE, SettingSpec, register_settings


class SolarLamp(TabSchema):
    """A solar lamp lent to a family."""

    lamp_id: Text = column("Lamp ID", "Our id, e.g. SL-001.", pattern=r"^SL-\d{3,}$")
    village_code: Text = code("Village code", "Where the family lives.", 8, ref="villages.village_code")
    handed_on: Date = column("Handed on", "Day the family got the lamp.")
    people: Int = column("People", "People in the family using it.", ge=1, le=30)
    working: Bool = column("Working", "Yes when it worked at the last visit.")


def lamp_shared_by_too_many(book: Book):
    """A lamp lights one family's room: more people than the setting says is likely a typo."""
    frame = book.frame("solar_lamps", "people")
    if frame is None:
        return
    most = int(book.setting("lamp_most_people", 8))
    for position in (frame["people"] > most).to_numpy(dtype=bool, na_value=False).nonzero()[0]:
        yield book.issue("energy.too_many_people", "solar_lamps", int(position), "people", most=most)


RULE = Rule("energy.too_many_people", WARNING, "More people than a lamp serves",
            "'{header}' is {value}, more than the {most} people one lamp serves. Check the number in cell {cell}.",
            "Count the people of the one family that uses the lamp.")
SETTING = SettingSpec("lamp_most_people", "8", WHOLE, "energy", "Most people one solar lamp serves", low=1, high=30)


def demo(book) -> dict[str, pd.DataFrame]:
    """The programme's demo rows: two lamps in the demo's first two villages."""
    from data.demo_common import typed_frame

    villages = sorted(book.frame("villages")["village_code"])[:2]
    return {"solar_lamps": typed_frame("solar_lamps", {
        "lamp_id": ["SL-001", "SL-002"], "village_code": villages, "handed_on": [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-04-01")],
        "people": [5, 3], "working": [True, False]})}


def _parts() -> tuple[ReportPart, ChartPart]:
    """Its part of the year's results and its chart; made once its tab is registered (@reads checks the tabs)."""
    @reads("solar_lamps", counts=("lamps", "working"))
    def lamps_handed_on(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
        where, params = filters.where("handed_on", "village_code")
        lamps, working = con.execute(f"SELECT count(*), count(*) FILTER (working) FROM solar_lamps WHERE {where}", params).fetchone()
        return {"lamps": lamps, "working": working}

    @uses(lamps_handed_on)
    @reads("solar_lamps", counts=("lamps", "working"))
    def lamps_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
        return lamps_handed_on(con, Filters.year(year, place))

    def lamps_sentences(year: int, figures: dict) -> list[str]:
        return [f"In {year}, {figures['lamps']} solar lamps were handed on; {figures['working']} of them work."]

    @reads("solar_lamps", counts=("lamps",))
    def lamps_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
        where, params = period.where("handed_on", "village_code")
        return con.execute(f"SELECT date_trunc('month', handed_on) AS month, count(*) AS lamps FROM solar_lamps WHERE {where} "
                           "GROUP BY ALL ORDER BY 1", params).df()

    def lamps_chart(frame: pd.DataFrame) -> alt.Chart:
        return alt.Chart(frame).mark_bar().encode(month_x(), alt.Y("lamps:Q", title="Lamps handed on"))

    words = {"lamps": "Lamps handed on", "working": "Working"}
    return (ReportPart("energy", "Solar lamps", 99, lamps_part, lamps_sentences, words),
            ChartPart("Solar lamps", 99, lamps_months, lamps_chart, "solar lamps"))


def install() -> None:
    global lamps_handed_on  # the page's figure, found again by its module and name (ui.state caches by them)

    register(Programme("energy", "Solar lamps", ("admin", "editor"), ("admin", "editor"),
                       Page("tests/throwaway_page.py", "Solar lamps", ":material/light:")),
             Tab("solar_lamps", SolarLamp, ("lamp_id",), "energy", "Solar lamps", period="handed_on"))
    register_rules(RULE)
    register_settings(SETTING)
    cross_tab_rule(lamp_shared_by_too_many)
    demo_builder("energy")(demo)
    report, chart = _parts()
    lamps_handed_on = report.figures.figures[0]
    register_report(report)
    register_chart(chart)


def uninstall() -> None:
    unregister_parts("energy", "Solar lamps")
    CROSS_TAB_RULES.remove(lamp_shared_by_too_many)  # rules stay for the process's life in the app: no unregister
    del RULES[RULE.id]
    unregister_programme("energy")  # its tab and its setting with it
