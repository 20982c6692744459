"""Rice bank in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words), and its month-by-month chart.
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import datetime as dt

import altair as alt
import duckdb
import pandas as pd

from insights import rice_bank
from insights.chart_parts import LEGEND, month_end_x, top_n, with_labels
from insights.common import YEAR_MONTHS, Filters, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, uses
from insights.rice_bank import STOCK_SIGN
from schemas.i18n import N_, _, day, number, quantity


@uses(rice_bank.stock_on, rice_bank.donations)
@reads(*rice_bank.TABS)
def rice_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return {"stock": rice_bank.stock_on(con, dt.date(year, 12, 31), place), "donations": rice_bank.donations(con, Filters.year(year, place))}


def rice_bank_sentences(year: int, rice: dict) -> list[str]:
    rice_lines = [_("{name} ({bank_id}): {stock} kg in stock on {day} (capacity {capacity} kg).").format(
        name=b["name"], bank_id=b["bank_id"], stock=quantity(b["stock_kg"]), day=day(dt.date(year, 12, 31)),
        capacity=number(b["capacity_kg"])) for b in rice["stock"]]
    rice_lines += [_("{name}: {kg} kg donated in {year} (first on {first}).").format(
        name=d["name"], kg=number(d["kg"]), year=year, first=day(d["first"])) for d in rice["donations"]]
    return rice_lines


@reads(*rice_bank.TABS)
def rice_bank_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    banks_where, banks_params = period.where(None, "b.village_code")
    return con.execute(
        f"""SELECT m.month, b.name AS bank, coalesce(sum({STOCK_SIGN}) FILTER (l.date < m.month + INTERVAL 1 MONTH), 0) AS stock_kg
            FROM {YEAR_MONTHS} m JOIN rice_banks b ON b.established_on IS NULL OR b.established_on < m.month + INTERVAL 1 MONTH
            LEFT JOIN rice_ledger l ON l.bank_id = b.bank_id
            WHERE {banks_where} GROUP BY ALL ORDER BY 1""",
        [period.start.year, period.start.year, *banks_params],
    ).df()


def rice_bank_chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(top_n(with_labels(frame, None), "bank", "stock_kg", by=("month",))).mark_line(point=True).encode(
        month_end_x(), alt.Y("stock_kg:Q", title=_("Stock (kg)")), alt.Color("bank:N", title=_("Bank"), legend=LEGEND),
        tooltip=[alt.Tooltip("month:T", title=_("Month end"), format="%B %Y"), alt.Tooltip("bank:N", title=_("Bank")),
                 alt.Tooltip("stock_kg:Q", title=_("Stock (kg)"), format=",.0f")])


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "stock": N_("Stock at the year's end"), "name": N_("Name"), "bank_id": N_("Bank ID"),
    "stock_kg": N_("Stock (kg)"), "capacity_kg": N_("Capacity (kg)"), "donations": N_("Donations"), "kg": N_("Kg"),
    "first": N_("First donation"),
}

register_report(ReportPart("rice_bank", N_("Rice bank"), 50, rice_bank_part, rice_bank_sentences, FIGURE_LABELS))
register_chart(ChartPart("Rice bank", 50, rice_bank_months, rice_bank_chart, "rice banks"))
