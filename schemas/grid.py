"""One tab as a source hands it over: the header as written and the cells as they hold them.

The schemas validate this shape, so it belongs to them; the sources (connectors.sources.interface) produce it.
Defined here so that schemas never import connectors.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
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


_LATER = object()  # header and rows decoded when first asked for (Grid.decoded_later)
_DECODING = threading.Lock()


@dataclass
class Grid:
    """One tab as read: header cells, data rows (trailing empties may be trimmed) and their sheet rows."""

    tab: str
    header: list[str]
    rows: list[list[Any]]
    first_row: int = 2  # sheet row number of rows[0]; the header is row 1
    gid: int | None = None  # Google's sheetId, for links to cells
    merges: tuple[Merge, ...] = ()  # merged cells as the sheet holds them; the rows hold only each merge's first cell
    digest: str | None = field(default=None, compare=False)  # of the cells as the source sent them, when it has one

    @classmethod
    def decoded_later(cls, tab: str, decode: Callable[[], tuple[list[str], list[list[Any]]]], digest: str,
                      **where: Any) -> Grid:
        """A grid whose cells are decoded only when first read. A refresh reads every tab in one answer but
        types and checks only the tabs whose digest changed: the others' cells are never turned into Python
        values (a million cells cost ~50 ms to decode and ~100 bytes each to hold)."""
        grid = cls(tab, _LATER, _LATER, digest=digest, **where)  # type: ignore[arg-type]
        grid.__dict__["_decode"] = decode
        return grid

    def __post_init__(self) -> None:
        if self.rows is _LATER:
            del self.__dict__["header"], self.__dict__["rows"]  # __getattr__ decodes them on first use

    def __getattr__(self, name: str) -> Any:
        decode = self.__dict__.get("_decode")
        if name not in ("header", "rows") or decode is None:
            raise AttributeError(name)
        with _DECODING:  # two threads reading one grid decode it once
            if "_decode" in self.__dict__:
                header, rows = decode()
                self.__dict__.update(header=header, rows=rows)
                del self.__dict__["_decode"]
        return self.__dict__[name]

    @property
    def decoded(self) -> bool:
        """Have the cells been turned into Python values (or were they given as such)?"""
        return "_decode" not in self.__dict__

    def sheet_row(self, i: int) -> int:
        return self.first_row + i

    def fingerprint(self, salt: str = "") -> str:
        """Equal fingerprints mean equal tabs: every cell (the source's digest of the cells as sent when it has
        one, else the cells themselves), where they start, the sheet id and the merged cells.

        marshal (format 2: no back-references, so equal cells give equal bytes) is 6x quicker than JSON on a
        million cells; a grid holding dates (a workbook's) falls back to JSON."""
        digest = hashlib.blake2b(salt.encode(), digest_size=16)
        where = [self.tab, self.first_row, self.gid, [tuple(m) for m in self.merges]]
        digest.update(marshal.dumps(where, 2))
        if self.digest is not None:
            digest.update(b"d" + self.digest.encode())
            return digest.hexdigest()
        cells = [self.header, self.rows]
        try:
            digest.update(b"m" + marshal.dumps(cells, 2))
        except ValueError:  # a cell marshal does not know (a date): JSON, as text
            digest.update(b"j" + json.dumps(cells, default=str).encode())
        return digest.hexdigest()
