"""A programme that exists only for tests/test_new_programme.py, declared here and nowhere else: a schema class
and one `register` call for its tab, its demo rows, and its parts of the Overview, the year's results and the
donor pack (a figure, its sentence, its words, a month-by-month chart), registered with the functions themselves.
The test shows every part of the back office picks it up; `install` and `uninstall` make it come and go."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from data.demo_common import demo_builder
from insights.chart_parts import month_x
from insights.common import Filters, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, unregister_parts, uses
from schemas.base import Bool, Date, Int, TabSchema, Text, code, column
from schemas.programme import Programme
from schemas.registry import Tab, register, unregister_programme


class SolarLamp(TabSchema):
    """A solar lamp lent to a family."""

    lamp_id: Text = column("Lamp ID", "Our id, e.g. SL-001.", pattern=r"^SL-\d{3,}$")
    village_code: Text = code("Village code", "Where the family lives.", 8, ref="villages.village_code")
    handed_on: Date = column("Handed on", "Day the family got the lamp.")
    people: Int = column("People", "People in the family using it.", ge=1, le=30)
    working: Bool = column("Working", "Yes when it worked at the last visit.")


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
    register(Programme("energy", "Solar lamps", ("admin", "editor"), ("admin", "editor")),
             Tab("solar_lamps", SolarLamp, ("lamp_id",), "energy", "Solar lamps", period="handed_on"))
    demo_builder("energy")(demo)
    report, chart = _parts()
    register_report(report)
    register_chart(chart)


def uninstall() -> None:
    unregister_parts("energy", "Solar lamps")
    unregister_programme("energy")
