"""Prevention in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words), and its month-by-month chart.
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from insights import prevention
from insights.chart_parts import monthly_bars, with_labels
from insights.common import Filters, counts_by_period, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, uses
from schemas.i18n import N_, _, ngettext, number, place_names


@uses(prevention.coverage)
@reads(*prevention.TABS, counts=prevention.coverage.counts, totals=prevention.coverage.totals)
def prevention_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return prevention.coverage(con, Filters.year(year, place))


def prevention_sentences(year: int, p: dict) -> list[str]:
    names = p["province_names"]
    template = (_("In {year}, prevention activities reached {villages} in {communes} of {districts} in {provinces} ({names}).") if names
                else _("In {year}, prevention activities reached {villages} in {communes} of {districts} in {provinces}."))
    return [template.format(year=year, names=place_names(names),
                            villages=ngettext("{n} village", "{n} villages", p["villages"]).format(n=number(p["villages"])),
                            communes=ngettext("{n} commune", "{n} communes", p["communes"]).format(n=number(p["communes"])),
                            districts=ngettext("{n} district", "{n} districts", p["districts"]).format(n=number(p["districts"])),
                            provinces=ngettext("{n} province", "{n} provinces", p["provinces"]).format(n=number(p["provinces"])))]


@reads(*prevention.TABS, counts=("activities",))
def prevention_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    return counts_by_period(con, "activities", "kind", "activities", period, "month")


def prevention_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return monthly_bars(with_labels(frame, {"kind": "activities.kind"}), "activities", _("Activities"), "kind", _("Kind"))


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "activities": N_("Activities"), "communes": N_("Communes"), "districts": N_("Districts"),
    "province_names": N_("Provinces reached"), "provinces": N_("Provinces"), "villages": N_("Villages reached"),
}

register_report(ReportPart("prevention", N_("Prevention"), 10, prevention_part, prevention_sentences, FIGURE_LABELS))
register_chart(ChartPart("Prevention", 10, prevention_months, prevention_chart, "prevention activities"))
