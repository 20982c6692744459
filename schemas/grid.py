"""One tab as a source hands it over: the header as written and the cells as they hold them.

The schemas validate this shape, so it belongs to them; the sources (connectors.sources.interface) produce it.
Defined here so that schemas never import connectors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from schemas.issues import column_letter


class Merge(NamedTuple):
    """Merged cells, as the Sheets API's GridRange says them: 0-based, ends exclusive, row 0 = the header row."""

    start_row: int
    end_row: int
    start_column: int
    end_column: int

    def covers(self, row_index: int, column_index: int) -> bool:
        return self.start_row <= row_index < self.end_row and self.start_column <= column_index < self.end_column

    def covers_row(self, row_index: int) -> bool:
        return self.start_row <= row_index < self.end_row

    def a1(self) -> str:
        """"D3:D5"."""
        return (f"{column_letter(self.start_column)}{self.start_row + 1}:"
                f"{column_letter(self.end_column - 1)}{self.end_row}")


@dataclass
class Grid:
    """One tab as read: header cells, data rows (trailing empties may be trimmed) and their sheet rows."""

    tab: str
    header: list[str]
    rows: list[list[Any]]
    first_row: int = 2  # sheet row number of rows[0]; the header is row 1
    gid: int | None = None  # Google's sheetId, for links to cells
    merges: tuple[Merge, ...] = ()  # merged cells as the sheet holds them; the rows hold only each merge's first cell

    def sheet_row(self, i: int) -> int:
        return self.first_row + i
