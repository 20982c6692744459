"""Validation results as the Data quality page and the dashboards' error counts show them."""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from insights.common import RegisteredTabs, reads
from insights.privacy import mask_issue_frame
from schemas.registry import TABS, site
from schemas.rules import issue_message

# `tabs`: only issues of these tabs (None: every tab) - the tabs the reader may read.
# `masked`: tabs whose personal-data cells are masked in `value` and `message` (see insights.privacy).
# Callers pass what gateway.reads.quality_scope(user) returns; the functions stay pure.


def _in_tabs(column: str, tabs: tuple[str, ...] | None) -> tuple[str, list]:
    if tabs is None:
        return "TRUE", []
    if not tabs:
        return "FALSE", []
    return f"{column} IN ({', '.join('?' for _ in tabs)})", list(tabs)


def _issue_villages_sql() -> str:
    """Each issue's village, where its row has one (tabs that declare a place column). Every row of the tab
    (`main.`): the rows with errors, which the figures leave out, are the very rows issues are about."""
    parts = [f"SELECT '{t.name}' AS tab, _row, \"{t.place_column}\" AS village_code FROM main.\"{t.name}\"" for t in TABS if t.place_column]
    return " UNION ALL ".join(parts)


def _filtered(tab: str | None, rule: str | None, severity: str | None, village: str | None,
              tabs: tuple[str, ...] | None = None) -> tuple[str, list]:
    scope, params = _in_tabs("i.tab", tabs)
    conditions = [scope]
    for column, value in (("i.tab", tab), ("i.rule", rule), ("i.severity", severity)):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if village:
        conditions.append("starts_with(v.village_code, ?)")
        params.append(village)
    return " AND ".join(conditions), params


def issue_counts(con: duckdb.DuckDBPyConnection, tabs: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Issues per tab, rule and severity, errors first."""
    scope, params = _in_tabs("tab", tabs)
    return con.execute(
        f"""SELECT tab, rule, severity, count(*) AS issues FROM _issues WHERE {scope} GROUP BY tab, rule, severity
           ORDER BY (severity = 'warning'), issues DESC, tab, rule""", params
    ).df()


def issue_totals(con: duckdb.DuckDBPyConnection, tabs: tuple[str, ...] | None = None) -> dict:
    scope, params = _in_tabs("tab", tabs)
    errors, warnings = con.execute(
        f"SELECT count(*) FILTER (severity = 'error'), count(*) FILTER (severity = 'warning') FROM _issues WHERE {scope}", params
    ).fetchone()
    return {"errors": errors, "warnings": warnings}


def issue_list(con: duckdb.DuckDBPyConnection, tab: str | None = None, rule: str | None = None,
               severity: str | None = None, village: str | None = None, limit: int = 5000,
               tabs: tuple[str, ...] | None = None, masked: tuple[str, ...] = ()) -> pd.DataFrame:
    """Issues, errors first, filtered; each with its village when its row has one. Only the issues of
    `tabs` (None: all); personal-data values and messages of the `masked` tabs shown as •••."""
    where, params = _filtered(tab, rule, severity, village, tabs)
    return mask_issue_frame(written(con.execute(
        f"""SELECT i.tab, i."row", i."column", i.cell, i.value, i.severity, i.rule, i.message, i.link, v.village_code,
                   i.shown, i.params
            FROM _issues i LEFT JOIN ({_issue_villages_sql()}) v ON v.tab = i.tab AND v._row = i."row"
            WHERE {where}
            ORDER BY i.severity = 'warning', i.tab, i."row" NULLS FIRST, i.cell LIMIT {int(limit)}""",
        params,
    ).df()), masked)


def row_issues(con: duckdb.DuckDBPyConnection, tab: str, rows: list[int], masked: tuple[str, ...] = ()) -> pd.DataFrame:
    """The issues of some rows of one tab (a page of the Tables editor), in sheet order, with their sentences;
    personal-data values and messages masked when `tab` is in `masked`."""
    if not rows:
        rows = [-1]
    marks = ", ".join("?" for _ in rows)
    return mask_issue_frame(written(con.execute(
        f"""SELECT tab, "row", "column", cell, value, severity, rule, message, link, shown, params FROM _issues
            WHERE tab = ? AND "row" IN ({marks}) ORDER BY "row", severity = 'warning', cell""", [tab, *rows]).df()), masked)


def written(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues with their sentences, written now in the current language from each rule's stored fields
    (only for the rows asked for: a page's 5,000, not a storm's 80,000); `shown` and `params` dropped."""
    messages = issues["message"].astype(object).tolist()
    parsed: dict[str, dict] = {}
    columns = (issues[c].tolist() for c in ("rule", "row", "tab", "column", "cell", "shown", "params"))
    for position, (rule, row, tab, column, cell, shown, stored) in enumerate(zip(*columns, strict=True)):
        if isinstance(stored, str):  # else a sentence stored whole (a cache from before this change)
            fields = parsed.get(stored) or parsed.setdefault(stored, json.loads(stored))
            messages[position] = issue_message(rule, None if pd.isna(row) else int(row), tab, column, cell,
                                               shown if isinstance(shown, str) else None, fields)
    return issues.drop(columns=["shown", "params"]).assign(message=pd.Series(messages, index=issues.index, dtype=object))


def issue_groups(con: duckdb.DuckDBPyConnection, tab: str | None = None, rule: str | None = None,
                 severity: str | None = None, village: str | None = None, tabs: tuple[str, ...] | None = None,
                 first: int = 5, limit: int = 5000) -> pd.DataFrame:
    """The issues grouped by rule, tab and column, errors and the largest groups first: how many, the
    first rows (sheet order) and the link to the first cell. An error storm is a few lines here, not
    tens of thousands; no value or message is in it, so nothing needs masking."""
    where, params = _filtered(tab, rule, severity, village, tabs)
    return con.execute(
        f"""SELECT i.severity, i.rule, i.tab, i."column", count(*) AS issues,
                   array_to_string(list_slice(list(i."row" ORDER BY i."row") FILTER (i."row" IS NOT NULL), 1, {int(first)}), ', ') AS first_rows,
                   arg_min(i.cell, coalesce(i."row", 0)) AS first_cell, arg_min(i.link, coalesce(i."row", 0)) AS link
            FROM _issues i LEFT JOIN ({_issue_villages_sql()}) v ON v.tab = i.tab AND v._row = i."row"
            WHERE {where}
            GROUP BY i.severity, i.rule, i.tab, i."column"
            ORDER BY i.severity = 'warning', issues DESC, i.tab, i.rule, i."column" NULLS FIRST LIMIT {int(limit)}""",
        params,
    ).df()


def open_errors_by_tab(con: duckdb.DuckDBPyConnection, tabs: tuple[str, ...] | None = None) -> pd.DataFrame:
    scope, params = _in_tabs("tab", tabs)
    return con.execute(
        f"""SELECT tab, count(*) FILTER (severity = 'error') AS errors, count(*) FILTER (severity = 'warning') AS warnings
           FROM _issues WHERE {scope} GROUP BY tab ORDER BY errors DESC, tab""", params
    ).df()


@reads(RegisteredTabs(site.names))
def error_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open errors and warnings at each refresh (the last 500)."""
    return con.execute(
        "SELECT refreshed_at, errors, warnings FROM _refreshes ORDER BY refreshed_at DESC LIMIT 500"
    ).df().sort_values("refreshed_at")
