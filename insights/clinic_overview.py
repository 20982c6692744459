"""Clinic in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words), and its month-by-month chart.
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from insights import clinic
from insights.chart_parts import monthly_bars, with_labels
from insights.common import Filters, counts_by_period, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, uses
from schemas.i18n import N_, _, number


@uses(clinic.results)
@reads(*clinic.TABS, counts=clinic.results.counts, totals=clinic.results.totals)
def clinic_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return clinic.results(con, Filters.year(year, place))


def clinic_sentences(_year: int, c: dict) -> list[str]:
    n = {key: number(value or 0) for key, value in c.items()}
    return [
        _("{assessed} patients assessed (one assessment per visit): {inpatients} hospitalised, {outpatients} treated as out-patients, "
          "{mobile_checkups} checked by the mobile team ({dental_kits} given a toothbrush and toothpaste).").format(**n),
        _("{aged_0_5} aged 0–5 and {aged_6_12} aged 6–12; {new_patients} new patients.").format(**n),
    ]


@reads(*clinic.TABS, counts=("visits",))
def clinic_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    return counts_by_period(con, "clinic_visits", "care", "visits", period, "month")


def clinic_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return monthly_bars(with_labels(frame, None), "visits", _("Patients assessed (visits)"), "care", _("Care"))


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "assessed": N_("Patients assessed (visits)"), "inpatients": N_("Hospitalised"),
    "outpatients": N_("Out-patients"), "mobile_checkups": N_("Checked by the mobile team"),
    "aged_0_5": N_("Aged 0–5"), "aged_6_12": N_("Aged 6–12"), "new_patients": N_("New patients"),
    "dental_kits": N_("Given a toothbrush and toothpaste"),
}

register_report(ReportPart("clinic", N_("Clinic"), 20, clinic_part, clinic_sentences, FIGURE_LABELS))
register_chart(ChartPart("Clinic", 20, clinic_months, clinic_chart, "clinic visits"))
