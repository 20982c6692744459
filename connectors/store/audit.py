"""The audit trail: one entry per changed cell, new row or deleted row, and per view of personal data.

Entries go to the `audit_log` tab in the same write request as the change they describe (so the trail
and the data can never disagree) and to `_audit` in DuckDB (what the app shows as a row's history). Views (`record_view`, for the gateway)
go to `_audit` only. This module is the only writer of `_audit`.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from connectors.sources.interface import storable
from schemas.row_key import value_text

AUDIT_TAB = "audit_log"
VIEW = "view"  # the `via` of an entry that records a view, not a change
REPEATED_VIEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime  # UTC, naive
    user: str
    tab: str
    row_key: str
    column: str | None  # None for a whole row (added or deleted)
    old: str | None
    new: str | None
    via: str

    def sheet_row(self) -> dict[str, Any]:
        """The row appended to the audit_log tab (values as text: RAW, readable, sortable). An old value read
        from a sheet may hold a character no sheet can store (a control character, U+FFFE): written escaped."""
        return {"at": self.at.strftime("%Y-%m-%d %H:%M:%S"), "user": self.user, "tab": self.tab, "row_key": storable(self.row_key),
                "column": self.column or "", "old": "" if self.old is None else storable(self.old),
                "new": "" if self.new is None else storable(self.new), "via": self.via}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def text(value: Any) -> str | None:
    """A value as the audit shows it: as schemas.row_key.value_text writes it (dates ISO, whole floats without
    '.0'), a whole row as JSON."""
    if isinstance(value, dict):
        return json.dumps({k: text(v) for k, v in value.items() if text(v) is not None}, ensure_ascii=False)
    return value_text(value)


def record(cache: Any, entries: list[AuditEntry]) -> None:
    """Mirror entries into `_audit`."""
    if not entries:
        return
    cache.cursor().executemany(
        'INSERT INTO _audit ("at", "user", tab, row_key, "column", old, new, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [[e.at, e.user, e.tab, e.row_key, e.column, e.old, e.new, e.via] for e in entries])


def record_view(db: Any, user: str, tab: str, what: str) -> None:
    """One `_audit` entry (via "view"): who looked at which tab holding personal data, when, and what was shown.
    Streamlit reruns a page on every click: the same view repeated within REPEATED_VIEW is one view, not many."""
    at = now()
    cur = db.cursor()
    seen = cur.execute('SELECT count(*) FROM _audit WHERE via = ? AND "user" = ? AND tab = ? AND new = ? AND "at" >= ?',
                       [VIEW, user, tab, what, at - REPEATED_VIEW]).fetchone()[0]
    if not seen:
        record(cur, [AuditEntry(at, user, tab, "", None, None, what, VIEW)])


def history(cache: Any, tab: str, row_key: str, limit: int = 200) -> pd.DataFrame:
    """A row's audit entries, newest first."""
    return cache.cursor().execute(
        'SELECT "at", "user", "column", old, new, via FROM _audit WHERE tab = ? AND row_key = ? ORDER BY "at" DESC LIMIT ?',
        [tab, row_key, limit]).df()
