"""One tab as a source hands it over: the header as written and the cells as they hold them.

The schemas validate this shape, so it belongs to them; the sources (connectors.sources.interface) produce it.
Defined here so that schemas never import connectors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Grid:
    """One tab as read: header cells, data rows (trailing empties may be trimmed) and their sheet rows."""

    tab: str
    header: list[str]
    rows: list[list[Any]]
    first_row: int = 2  # sheet row number of rows[0]; the header is row 1
    gid: int | None = None  # Google's sheetId, for links to cells

    def sheet_row(self, i: int) -> int:
        return self.first_row + i
