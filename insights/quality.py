"""Validation results as the Data quality page and the dashboards' error counts show them."""
from __future__ import annotations

import duckdb
import pandas as pd


def issue_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issues per tab, rule and severity, errors first."""
    return con.execute(
        """SELECT tab, rule, severity, count(*) AS issues FROM _issues GROUP BY ALL
           ORDER BY severity = 'warning', issues DESC, tab, rule"""
    ).df()


def issue_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """SELECT tab, "row", "column", cell, value, severity, rule, message, link FROM _issues
           ORDER BY severity = 'warning', tab, "row" NULLS FIRST, cell"""
    ).df()
