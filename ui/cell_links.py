"""Where a problem is fixed: the Tables page at a tab, filtered to a row, with a column marked.

One address for every source (the built-in workbook, any .xlsx, a Google Sheet): `tables?tab=rice_ledger&row=3
&column=kg`, relative to the app (so it works behind a proxy's path too), or absolute from a base URL (the
command line prints it with BACKOFFICE_APP_URL). The Tables page reads it back with `focus_from`. Pure: no
Streamlit here, so the command line, the Data quality page and the Problems tab can all make the same link.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from schemas.base import blank, match_headers
from schemas.registry import TABS
from schemas.registry import tab as registered_tab

TABLES_PAGE = "pages/tables.py"
TABLES_PATH = Path(TABLES_PAGE).stem  # st.Page's URL path for the file


@dataclass(frozen=True)
class Focus:
    """What a link asks the Tables page to show: a tab, and in it one sheet row and one column."""

    tab: str
    row: int | None = None  # the sheet's row number (header = 1)
    column: str | None = None  # the schema column's name

    def params(self) -> dict[str, str]:
        out = {"tab": self.tab}
        if self.row is not None:
            out["row"] = str(self.row)
        if self.column is not None:
            out["column"] = self.column
        return out


@cache
def _registered() -> frozenset[str]:
    return frozenset(t.name for t in TABS)


@cache
def schema_column(tab: str, header: str | None) -> str | None:
    """The schema column a header as written names ("Kg" -> "kg"); None when it names none."""
    if header is None or tab not in _registered():
        return None
    return next(iter(match_headers(registered_tab(tab).schema, [header])), None)


def fix_url(tab: str, row: Any = None, header: str | None = None, base: str = "") -> str | None:
    """The Tables page at `tab`, row `row`, column `header` (as written in the sheet, or the schema name);
    None for a tab the app does not know. `base`: the app's address; blank: a link relative to the app."""
    if tab not in _registered():
        return None
    try:
        number = None if blank(row) or row == "" else int(row)
    except (TypeError, ValueError):
        number = None
    query = urlencode(Focus(tab, number if number and number > 1 else None, schema_column(tab, header)).params())
    return f"{base.rstrip('/')}/{TABLES_PATH}?{query}" if base else f"{TABLES_PATH}?{query}"


def fix_urls(tabs: list[Any], rows: list[Any], headers: list[Any], base: str = "") -> list[str | None]:
    """`fix_url` for columns of issues (a frame's tab, row and column)."""
    return [fix_url(t, r, h if isinstance(h, str) else None, base) for t, r, h in zip(tabs, rows, headers, strict=False)]


def focus_from(params: Mapping[str, Any]) -> Focus | None:
    """The focus a link's query parameters ask for; None when they name no known tab. A row or a column
    that is not one is dropped, never guessed at."""
    def first(name: str) -> str | None:
        value = params.get(name)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        return None if value is None else str(value).strip()

    tab = first("tab")
    if not tab or tab not in _registered():
        return None
    row_text = first("row")
    row = int(row_text) if row_text and row_text.isdigit() and int(row_text) > 1 else None
    column = first("column")
    names = {c.name for c in registered_tab(tab).columns}
    return Focus(tab, row, column if column in names else schema_column(tab, column))
