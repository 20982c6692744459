"""Cow bank in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words), and its month-by-month chart.
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from insights import cow_bank
from insights.chart_parts import monthly_bars, with_labels
from insights.common import Filters, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, uses
from schemas.i18n import N_, _, ngettext, number, place_names


@uses(cow_bank.summary)
@reads(*cow_bank.TABS, counts=cow_bank.summary.counts, totals=cow_bank.summary.totals)
def cow_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return cow_bank.summary(con, Filters.year(year, place))


def cow_bank_sentences(year: int, cow: dict) -> list[str]:
    counts = {"granted": ngettext("{n} cow", "{n} cows", cow["granted"]).format(n=number(cow["granted"])),
              "families": ngettext("{n} family", "{n} families", cow["granted_families"]).format(n=number(cow["granted_families"])),
              "born": ngettext("{n} calf", "{n} calves", cow["born"]).format(n=number(cow["born"])),
              "passed_on": ngettext("{n} calf", "{n} calves", cow["passed_on"]).format(n=number(cow["passed_on"]))}
    if cow["grant_villages"]:
        granted = _("In {year}: {granted} granted to {families} in {villages} ({communes}); {born} born; {passed_on} passed on.").format(
            year=year, villages=place_names(cow["grant_villages"]), communes=place_names(cow["grant_communes"]), **counts)
    else:
        granted = _("In {year}: {granted} granted to {families}; {born} born; {passed_on} passed on.").format(year=year, **counts)
    return [granted, _("By the end of {year}: {founders} founding cows + {born_total} calves born since (sold and dead ones included).").format(
        year=year, founders=number(cow["founders"]), born_total=number(cow["born_total"]))]


@reads(*cow_bank.TABS, counts=("events",))
def cow_bank_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    events_where, events_params = period.where("e.date", "c.village_code")
    return con.execute(
        f"""SELECT date_trunc('month', e.date) AS month, e.kind, count(*) AS events
            FROM cow_events e JOIN cows c USING (cow_id) WHERE {events_where} GROUP BY ALL ORDER BY 1""",
        events_params,
    ).df()


def cow_bank_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return monthly_bars(with_labels(frame, {"kind": "cow_events.kind"}), "events", _("Events"), "kind", _("Event"))


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "granted": N_("Cows granted"), "granted_families": N_("Families granted a cow"), "born": N_("Calves born"),
    "passed_on": N_("Calves passed on"), "founders": N_("Founding cows"), "born_total": N_("Born since"),
    "herd": N_("Herd"), "grant_villages": N_("Villages granted a cow"),
    "grant_communes": N_("Communes granted a cow"),
}

register_report(ReportPart("cow_bank", N_("Cow bank"), 40, cow_bank_part, cow_bank_sentences, FIGURE_LABELS))
register_chart(ChartPart("Cow bank", 40, cow_bank_months, cow_bank_chart, "cow bank events"))
