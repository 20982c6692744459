"""One small chart per programme for the Overview: month by month through the chosen year."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from insights.common import Filters, counts_by_period
from insights.left_out import reads
from insights.rice_bank import STOCK_SIGN
from insights.savings import CAPITAL_SIGN

# Month ends of the year, for the running totals (capital, stock).
MONTHS = "(SELECT unnest(generate_series(make_date(?, 1, 1), make_date(?, 12, 1), INTERVAL 1 MONTH))::DATE AS month)"


@reads("activities", "clinic_visits", "savings_groups", "savings_ledger", "cows", "cow_events", "rice_banks", "rice_ledger")
def monthly_figures(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None) -> dict[str, pd.DataFrame]:
    """Aggregated in SQL: at most a few dozen rows per programme reach the browser."""
    period = Filters.year(year, place)

    events_where, events_params = period.where("e.date", "c.village_code")
    groups_where, groups_params = period.where(None, "g.village_code")
    banks_where, banks_params = period.where(None, "b.village_code")
    return {
        "Prevention": counts_by_period(con, "activities", "kind", "activities", period, "month"),
        "Clinic": counts_by_period(con, "clinic_visits", "care", "visits", period, "month"),
        "Savings groups": con.execute(
            f"""SELECT m.month, coalesce(sum({CAPITAL_SIGN}), 0) AS capital_riel
                FROM {MONTHS} m LEFT JOIN (
                    SELECT l.date, l.kind, l.amount_riel FROM savings_ledger l JOIN savings_groups g USING (group_id) WHERE {groups_where}
                ) l ON l.date < m.month + INTERVAL 1 MONTH
                GROUP BY ALL ORDER BY 1""",
            [year, year, *groups_params],
        ).df(),
        "Cow bank": con.execute(
            f"""SELECT date_trunc('month', e.date) AS month, e.kind, count(*) AS events
                FROM cow_events e JOIN cows c USING (cow_id) WHERE {events_where} GROUP BY ALL ORDER BY 1""",
            events_params,
        ).df(),
        "Rice bank": con.execute(
            f"""SELECT m.month, b.name AS bank, coalesce(sum({STOCK_SIGN}) FILTER (l.date < m.month + INTERVAL 1 MONTH), 0) AS stock_kg
                FROM {MONTHS} m JOIN rice_banks b ON b.established_on IS NULL OR b.established_on < m.month + INTERVAL 1 MONTH
                LEFT JOIN rice_ledger l ON l.bank_id = b.bank_id
                WHERE {banks_where} GROUP BY ALL ORDER BY 1""",
            [year, year, *banks_params],
        ).df(),
    }


def programme_charts(figures: dict[str, pd.DataFrame]) -> dict[str, alt.Chart]:
    month = alt.X("month:T", title=None, axis=alt.Axis(format="%b"))
    month_end = alt.X("month:T", title="Month end", axis=alt.Axis(format="%b"))
    charts = {
        "Prevention": alt.Chart(figures["Prevention"]).mark_bar().encode(month, alt.Y("activities:Q", title="Activities"), alt.Color("kind:N", title="Kind")),
        "Clinic": alt.Chart(figures["Clinic"]).mark_bar().encode(month, alt.Y("visits:Q", title="Patients"), alt.Color("care:N", title="Care")),
        "Savings groups": alt.Chart(figures["Savings groups"]).mark_line(point=True).encode(month_end, alt.Y("capital_riel:Q", title="Capital (riel)")),
        "Cow bank": alt.Chart(figures["Cow bank"]).mark_bar().encode(month, alt.Y("events:Q", title="Events"), alt.Color("kind:N", title="Event")),
        "Rice bank": alt.Chart(figures["Rice bank"]).mark_line(point=True).encode(month_end, alt.Y("stock_kg:Q", title="Stock (kg)"), alt.Color("bank:N", title="Bank")),
    }
    return {name: chart.properties(height=180) for name, chart in charts.items()}


def results_table(sentences: dict[str, list[str]]) -> pd.DataFrame:
    """The Overview's statements as rows, for its CSV download."""
    return pd.DataFrame([{"programme": p, "result": s} for p, lines in sentences.items() for s in lines])
