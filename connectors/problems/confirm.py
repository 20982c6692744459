"""A warning confirmed correct as typed from the app (the Data quality page), as a tick in the sheet does.

Only warnings, only in tabs the user may write (the same rule as a save, checked here, not by hiding the
box). The warning leaves the app at once; the Problems tab shows it ticked, with who confirmed it, after
the next send; the audit trail records the user. It lasts while the value stays as it is.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from connectors.access import can_write, require_write
from connectors.problems import store
from connectors.problems.store import Confirmation
from connectors.store.audit import AuditEntry
from connectors.store.transaction import atomic
from schemas.rules import WARNING

VIA_APP = "confirmed correct as typed (in the app)"


def confirmable(cache: Any, user: Any, limit: int = 500) -> pd.DataFrame:
    """The open warnings this user may confirm: ident, tab, row, column, cell, value, rule (first `limit`)."""
    cur = store.ensure(cache)
    frame = cur.execute('SELECT ident, tab, "row", "column", cell, value, rule FROM _problem_rows '
                        "WHERE section = 'open' AND severity = ? ORDER BY position", [WARNING]).df()
    frame = frame[[can_write(user, tab) for tab in frame["tab"]]] if len(frame) else frame
    return frame.head(limit).reset_index(drop=True)


def confirm_as_typed(cache: Any, user: Any, idents: list[str]) -> int:
    """Confirm these warnings as typed by `user`; -> how many were confirmed. Raises AccessDenied (nothing
    confirmed) when one is in a tab the user may not change."""
    cur = store.ensure(cache)
    if not idents:
        return 0
    marks = ", ".join("?" for _ in idents)
    rows = cur.execute(f'SELECT ident, tab, "row", cell, value, rule FROM _problem_rows WHERE section = \'open\' '
                       f"AND severity = ? AND ident IN ({marks})", [WARNING, *idents]).fetchall()
    for _ident, tab, *_rest in rows:
        require_write(user, tab)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    known = store.confirmations(cur)
    entries = []
    with cache._lock, atomic(cur):
        top = cur.execute("SELECT coalesce(max(position), 0) FROM _problem_rows").fetchone()[0]
        for number, (name, tab, row, cell, value, rule) in enumerate(rows, start=1):
            known[name] = Confirmation(name, tab, value or "", now, user.email, "app", False)
            cur.execute('DELETE FROM _issues WHERE tab = ? AND "row" IS NOT DISTINCT FROM ? AND cell IS NOT DISTINCT FROM ? '
                        "AND rule = ? AND severity = ?", [tab, row, cell, rule, WARNING])
            cur.execute("UPDATE _problem_rows SET section = 'confirmed', position = ? WHERE ident = ? AND section = 'open'",
                        [top + number, name])
            _tab, row_key, column, _rule = [*name.split("|"), "", "", "", ""][:4]
            entries.append(AuditEntry(now, user.email, tab, row_key, column or None, None, value or "", VIA_APP))
        store.replace_confirmations(cur, known)
        store.add_audit(cur, entries)
    cache.changed()
    return len(rows)
