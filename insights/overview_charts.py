"""One small chart per programme for the Overview: month by month through the chosen year."""
from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from insights.rice_bank import STOCK_SIGN
from insights.savings import CAPITAL_SIGN


def monthly_figures(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, pd.DataFrame]:
    """Aggregated in SQL: at most a few dozen rows per programme reach the browser."""
    p = [year]
    return {
        "Prevention": con.execute(
            "SELECT date_trunc('month', date) AS month, kind, count(*) AS activities FROM activities WHERE year(date) = ? GROUP BY ALL ORDER BY 1", p
        ).df(),
        "Clinic": con.execute(
            "SELECT date_trunc('month', date) AS month, care, count(*) AS visits FROM clinic_visits WHERE year(date) = ? GROUP BY ALL ORDER BY 1", p
        ).df(),
        "Savings groups": con.execute(
            f"""WITH months AS (SELECT unnest(generate_series(make_date(?, 1, 1), make_date(?, 12, 1), INTERVAL 1 MONTH))::DATE AS month)
                SELECT m.month, coalesce(sum({CAPITAL_SIGN}), 0) AS capital_riel
                FROM months m LEFT JOIN savings_ledger l ON l.date < m.month + INTERVAL 1 MONTH GROUP BY ALL ORDER BY 1""",
            [year, year],
        ).df(),
        "Cow bank": con.execute(
            "SELECT date_trunc('month', date) AS month, kind, count(*) AS events FROM cow_events WHERE year(date) = ? GROUP BY ALL ORDER BY 1", p
        ).df(),
        "Rice bank": con.execute(
            f"""WITH months AS (SELECT unnest(generate_series(make_date(?, 1, 1), make_date(?, 12, 1), INTERVAL 1 MONTH))::DATE AS month)
                SELECT m.month, b.name AS bank, coalesce(sum({STOCK_SIGN}) FILTER (l.date < m.month + INTERVAL 1 MONTH), 0) AS stock_kg
                FROM months m JOIN rice_banks b ON b.established_on IS NULL OR b.established_on < m.month + INTERVAL 1 MONTH
                LEFT JOIN rice_ledger l ON l.bank_id = b.bank_id GROUP BY ALL ORDER BY 1""",
            [year, year],
        ).df(),
    }


def programme_charts(figures: dict[str, pd.DataFrame]) -> dict[str, alt.Chart]:
    month = alt.X("month:T", title=None, axis=alt.Axis(format="%b"))
    charts = {
        "Prevention": alt.Chart(figures["Prevention"]).mark_bar().encode(month, alt.Y("activities:Q", title="Activities"), alt.Color("kind:N", title="Kind")),
        "Clinic": alt.Chart(figures["Clinic"]).mark_bar().encode(month, alt.Y("visits:Q", title="Patients"), alt.Color("care:N", title="Care")),
        "Savings groups": alt.Chart(figures["Savings groups"]).mark_line(point=True).encode(alt.X("month:T", title="Month end", axis=alt.Axis(format="%b")), alt.Y("capital_riel:Q", title="Capital (riel)")),
        "Cow bank": alt.Chart(figures["Cow bank"]).mark_bar().encode(month, alt.Y("events:Q", title="Events"), alt.Color("kind:N", title="Event")),
        "Rice bank": alt.Chart(figures["Rice bank"]).mark_line(point=True).encode(alt.X("month:T", title="Month end", axis=alt.Axis(format="%b")), alt.Y("stock_kg:Q", title="Stock (kg)"), alt.Color("bank:N", title="Bank")),
    }
    return {name: chart.properties(height=180) for name, chart in charts.items()}
