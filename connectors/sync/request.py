"""What a page hands over to `connectors.sync.save` (edits, new rows, deletes) and what comes back."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from connectors.sources.interface import WriteResult
from connectors.store import audit
from connectors.sync import outbox


class Status(StrEnum):
    """How a save ended. str-valued: compares equal to (and is stored as) the plain text."""

    SAVED = "saved"
    INVALID = "invalid"
    CONFLICT = "conflict"
    QUEUED = "queued"
    UNCHANGED = "unchanged"
    ALREADY = "already_applied"
    REFUSED = "refused"
    FAILED = "failed"


SAVED, INVALID, CONFLICT, QUEUED, UNCHANGED, ALREADY, REFUSED, FAILED = Status  # the names callers import
DELETED = "(row deleted)"


# --- what a page hands over ---------------------------------------------------------------------

@dataclass(frozen=True)
class CellEdit:
    tab: str
    key: tuple[str, ...]  # the key columns' values as text (see `key_of`)
    column: str  # schema column name
    old: Any  # what the user started from
    new: Any


@dataclass(frozen=True)
class RowDelete:
    tab: str
    key: tuple[str, ...]
    old: dict[str, Any] | None = None  # the row as the user saw it; if given, a changed row is a conflict


@dataclass
class SaveRequest:
    edits: list[CellEdit] = field(default_factory=list)
    appends: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deletes: list[RowDelete] = field(default_factory=list)

    def tabs(self) -> list[str]:
        names = {e.tab for e in self.edits} | {t for t, rows in self.appends.items() if rows} | {d.tab for d in self.deletes}
        return sorted(names)

    def empty(self) -> bool:
        return not self.tabs()

    def to_payload(self) -> dict[str, Any]:
        enc = outbox.encode_value
        return {"edits": [[e.tab, list(e.key), e.column, enc(e.old), enc(e.new)] for e in self.edits],
                "appends": {t: [{k: enc(v) for k, v in row.items()} for row in rows] for t, rows in self.appends.items()},
                "deletes": [[d.tab, list(d.key), enc(d.old)] for d in self.deletes]}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> SaveRequest:
        dec = outbox.decode_value
        return cls([CellEdit(t, tuple(k), c, dec(o), dec(n)) for t, k, c, o, n in data.get("edits", [])],
                   {t: [{k: dec(v) for k, v in row.items()} for row in rows] for t, rows in data.get("appends", {}).items()},
                   [RowDelete(t, tuple(k), dec(o)) for t, k, o in data.get("deletes", [])])


# --- what comes back ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    """A problem with an edited or new row, for the page to show next to it."""

    tab: str
    key: tuple[str, ...] | None
    column: str | None  # schema column name, None for the whole row
    message: str
    severity: str = "error"
    rule: str = ""
    new_row: int | None = None  # position in appends[tab] for a row being added


@dataclass(frozen=True)
class Conflict:
    """Someone changed what we started from: theirs (now in the sheet) vs ours."""

    tab: str
    key: tuple[str, ...]
    column: str | None  # None: the whole row (deleted by someone, or the key was taken meanwhile)
    started_from: Any
    theirs: Any
    ours: Any


@dataclass
class SaveResult:
    status: str  # saved | invalid | conflict | queued | unchanged | already_applied | refused | failed
    message: str = ""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    written: WriteResult | None = None
    outbox_id: int | None = None
    audit: list[audit.AuditEntry] = field(default_factory=list)
    request: SaveRequest | None = None
    notes: list[str] = field(default_factory=list)  # what the verify step repaired, for the user

    @property
    def ok(self) -> bool:
        return self.status in (SAVED, UNCHANGED, ALREADY)

