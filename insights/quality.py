"""Validation results as the Data quality page and the dashboards' error counts show them."""
from __future__ import annotations

import duckdb
import pandas as pd

from schemas.registry import TABS


def _issue_villages_sql() -> str:
    """Each issue's village, where its row has one (tabs with a village_code column)."""
    parts = [
        f"SELECT '{t.name}' AS tab, _row, village_code FROM \"{t.name}\""
        for t in TABS
        if any(c.name == "village_code" for c in t.columns)
    ]
    return " UNION ALL ".join(parts)


def _filtered(tab: str | None, rule: str | None, severity: str | None, village: str | None) -> tuple[str, list]:
    conditions, params = ["TRUE"], []
    for column, value in (("i.tab", tab), ("i.rule", rule), ("i.severity", severity)):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if village:
        conditions.append("starts_with(v.village_code, ?)")
        params.append(village)
    return " AND ".join(conditions), params


def issue_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issues per tab, rule and severity, errors first."""
    return con.execute(
        """SELECT tab, rule, severity, count(*) AS issues FROM _issues GROUP BY tab, rule, severity
           ORDER BY (severity = 'warning'), issues DESC, tab, rule"""
    ).df()


def issue_totals(con: duckdb.DuckDBPyConnection) -> dict:
    errors, warnings = con.execute(
        "SELECT count(*) FILTER (severity = 'error'), count(*) FILTER (severity = 'warning') FROM _issues"
    ).fetchone()
    return {"errors": errors, "warnings": warnings}


def issue_list(con: duckdb.DuckDBPyConnection, tab: str | None = None, rule: str | None = None,
               severity: str | None = None, village: str | None = None, limit: int = 5000) -> pd.DataFrame:
    """Issues, errors first, filtered; each with its village when its row has one."""
    where, params = _filtered(tab, rule, severity, village)
    return con.execute(
        f"""SELECT i.tab, i."row", i."column", i.cell, i.value, i.severity, i.rule, i.message, i.link, v.village_code
            FROM _issues i LEFT JOIN ({_issue_villages_sql()}) v ON v.tab = i.tab AND v._row = i."row"
            WHERE {where}
            ORDER BY i.severity = 'warning', i.tab, i."row" NULLS FIRST, i.cell LIMIT {int(limit)}""",
        params,
    ).df()


def open_errors_by_tab(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """SELECT tab, count(*) FILTER (severity = 'error') AS errors, count(*) FILTER (severity = 'warning') AS warnings
           FROM _issues GROUP BY tab ORDER BY errors DESC, tab"""
    ).df()


def error_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open errors and warnings at each refresh (the last 500)."""
    return con.execute(
        "SELECT refreshed_at, errors, warnings FROM _refreshes ORDER BY refreshed_at DESC LIMIT 500"
    ).df().sort_values("refreshed_at")
