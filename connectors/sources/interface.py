"""The interface every source offers (local workbook, Google Sheets).

A source hands back raw grids: the header row as written in the sheet and the data rows as the
cells hold them (numbers, text, booleans, date serials or datetimes). Types come later, from the
schemas; a source never guesses them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from schemas.grid import Grid  # the shape schemas validate; re-exported for the sources

# Characters no sheet can store: XML 1.0 forbids the control characters (but tab, line feed, carriage
# return) and U+FFFE/U+FFFF in an .xlsx, and a lone surrogate is no UTF-8 at all, so neither an .xlsx nor
# the Sheets API's JSON can carry it. A save refuses a value holding one (connectors.sync.check_edits);
# what we write ourselves (the audit trail's old values, read from a sheet) is made storable.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def storable(text: str) -> str:
    """`text` with each character no sheet can store written as its escape ("\\x01", "\\ufffe"), so the trail
    still shows it was there."""
    return UNSTORABLE.sub(lambda found: found[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


class SourceError(Exception):
    """The source could not be read or written; the message is meant for a person."""


class SourceUnreachable(SourceError):
    """The network or the service is down: worth keeping the change in the outbox and retrying."""

    retry_after: float | None = None  # seconds the service asked us to wait, when it said


class SourceBusy(SourceUnreachable):
    """Someone else holds the source (the workbook is open in Excel or LibreOffice): the save waits."""


class SourceStale(SourceError):
    """What we knew about the source's shape is out of date (e.g. the grid was trimmed): nothing was
    written; read again and re-plan."""


@dataclass
class CellUpdate:
    """Set one cell of the row whose key is `key` (a tuple of the key columns' values as text)."""

    tab: str
    key: tuple[str, ...]
    column: str  # the schema's column name; the source finds the header
    old: Any
    new: Any
    at_row: int | None = None  # only for a row without a key (a repair of a blank row): its sheet row


@dataclass
class RowAppend:
    tab: str
    values: dict[str, Any]  # schema column name -> value


@dataclass
class WriteBatch:
    updates: list[CellUpdate] = field(default_factory=list)
    appends: list[RowAppend] = field(default_factory=list)
    deletes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (tab, key)


@dataclass
class WriteResult:
    cells_updated: int = 0
    rows_appended: int = 0
    rows_deleted: int = 0
    version: str | None = None


class Source(Protocol):
    label: str  # what the sidebar shows: never a credential

    def version(self) -> str:
        """A cheap change token: equal tokens mean nothing changed."""

    def read(self, tabs: list[str] | None = None) -> dict[str, Grid]:
        """Every requested tab that exists, in one go. Missing tabs are simply absent."""

    def write(self, batch: WriteBatch, located: dict[str, Grid] | None = None) -> WriteResult:
        """Apply the batch in one request, values RAW.

        `located` are the grids just read for the conflict check: the source finds the rows by key
        in them instead of reading again.
        """

    def cell_link(self, tab: str, a1: str) -> str | None:
        """A link that opens the sheet at that cell, where the source has one."""
