"""What the app keeps in its DuckDB cache about the Problems tab: the rows it should show, the warnings
confirmed correct as typed, the notes it last wrote, the audit entries still to send, and every send.

`_problem_rows` is rewritten by each validation (inside the refresh's transaction); the rest changes when
staff confirm a warning (in the sheet or in the app) and when a send goes out.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

TABLES = """
CREATE TABLE IF NOT EXISTS _problem_rows (position BIGINT, section VARCHAR, ident VARCHAR, tab VARCHAR, "row" BIGINT,
    "column" VARCHAR, cell VARCHAR, value VARCHAR, severity VARCHAR, rule VARCHAR, message VARCHAR, first_seen VARCHAR,
    key_refs VARCHAR);
CREATE TABLE IF NOT EXISTS _problem_confirmations (ident VARCHAR PRIMARY KEY, tab VARCHAR, value VARCHAR,
    confirmed_at TIMESTAMP, confirmed_by VARCHAR, via VARCHAR, written BOOLEAN, shown_as VARCHAR);
CREATE TABLE IF NOT EXISTS _problem_state (name VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS _problem_notes (tab VARCHAR, cell VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS _problem_audit (id BIGINT, "at" TIMESTAMP, "user" VARCHAR, tab VARCHAR, row_key VARCHAR,
    "column" VARCHAR, old VARCHAR, new VARCHAR, via VARCHAR, sent BOOLEAN);
CREATE TABLE IF NOT EXISTS _problem_sends ("at" TIMESTAMP, source VARCHAR, outcome VARCHAR, problems BIGINT,
    errors BIGINT, warnings BIGINT, confirmed BIGINT, notes_set BIGINT, notes_cleared BIGINT, calls BIGINT, detail VARCHAR);
"""
SHEET = "ticked in the sheet"  # who confirmed, when the sheet cannot tell who ticked: the audit trail says so
ROW_COLUMNS = ("position", "section", "ident", "tab", "row", "column", "cell", "value", "severity", "rule", "message",
               "first_seen", "key_refs")


def ensure(cache: Any) -> Any:
    """Create the tables once per cache object (a cache file from before this feature has none); -> a cursor."""
    if not getattr(cache, "_problem_tables", False):
        cache.con.execute(TABLES)
        cache._problem_tables = True
    return cache.cursor()


@dataclass
class Confirmation:
    """A warning staff confirmed correct as typed: for this value only."""

    ident: str
    tab: str
    value: str
    confirmed_at: dt.datetime
    confirmed_by: str  # an e-mail when confirmed in the app; SHEET when ticked in the sheet
    via: str  # "sheet" | "app"
    written: bool  # already shown ticked in the sheet's Problems tab
    shown_as: str | None = None  # the tab's text for it, when another replica wrote it


# --- state ------------------------------------------------------------------------------------------

def state(con: Any) -> dict[str, str]:
    return dict(con.execute("SELECT name, value FROM _problem_state").fetchall())


def set_state(con: Any, **values: Any) -> None:
    for name, value in values.items():
        if value is None:
            con.execute("DELETE FROM _problem_state WHERE name = ?", [name])
        else:
            con.execute("INSERT OR REPLACE INTO _problem_state VALUES (?, ?)", [name, value if isinstance(value, str) else json.dumps(value)])


# --- rows -------------------------------------------------------------------------------------------

def replace_rows(con: Any, rows: dict[str, list]) -> None:
    con.execute("DELETE FROM _problem_rows")
    if not rows["ident"]:
        return
    types = {"position": pa.int64(), "row": pa.int64()}
    table = pa.table({name: pa.array(rows[name], types.get(name, pa.string())) for name in ROW_COLUMNS})
    con.register("_new_problem_rows", table)
    try:
        names = ", ".join(f'"{n}"' for n in ROW_COLUMNS)
        con.execute(f"INSERT INTO _problem_rows ({names}) SELECT {names} FROM _new_problem_rows")
    finally:
        con.unregister("_new_problem_rows")


def first_seen(con: Any) -> dict[str, str]:
    return dict(con.execute("SELECT ident, first_seen FROM _problem_rows WHERE first_seen IS NOT NULL").fetchall())


def shown_rows(con: Any, limit: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(the first `limit` open problems, the confirmed ones, how many open problems in all)."""
    columns = ", ".join(f'"{n}"' for n in ROW_COLUMNS)
    open_rows = con.execute(f"SELECT {columns} FROM _problem_rows WHERE section = 'open' ORDER BY position LIMIT {int(limit)}").df()
    confirmed = con.execute(f"SELECT {columns} FROM _problem_rows WHERE section = 'confirmed' ORDER BY position").df()
    total = con.execute("SELECT count(*) FROM _problem_rows WHERE section = 'open'").fetchone()[0]
    return open_rows, confirmed, int(total)


# --- confirmations ------------------------------------------------------------------------------------

def confirmations(con: Any) -> dict[str, Confirmation]:
    rows = con.execute("SELECT ident, tab, value, confirmed_at, confirmed_by, via, written, shown_as FROM _problem_confirmations").fetchall()
    return {r[0]: Confirmation(*r) for r in rows}


def replace_confirmations(con: Any, found: dict[str, Confirmation]) -> None:
    con.execute("DELETE FROM _problem_confirmations")
    if found:
        con.executemany("INSERT INTO _problem_confirmations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [[c.ident, c.tab, c.value, c.confirmed_at, c.confirmed_by, c.via, c.written, c.shown_as] for c in found.values()])


def mark_written(con: Any) -> None:
    con.execute("UPDATE _problem_confirmations SET written = TRUE")


# --- notes -------------------------------------------------------------------------------------------

def written_notes(con: Any) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for tab, cell, note in con.execute("SELECT tab, cell, note FROM _problem_notes").fetchall():
        out.setdefault(tab, {})[cell] = note
    return out


def replace_notes(con: Any, notes: dict[str, dict[str, str]]) -> None:
    con.execute("DELETE FROM _problem_notes")
    flat = [[tab, cell, note] for tab, cells in notes.items() for cell, note in cells.items()]
    if flat:
        con.executemany("INSERT INTO _problem_notes VALUES (?, ?, ?)", flat)


# --- the audit entries still to send -------------------------------------------------------------------

def add_audit(con: Any, entries: list[Any]) -> None:
    """AuditEntries about confirmations: into `_audit` at once, and kept until a send appends them to the
    sheet's audit_log tab."""
    if not entries:
        return
    from connectors.store.audit import record

    start = con.execute("SELECT coalesce(max(id), 0) FROM _problem_audit").fetchone()[0]
    con.executemany("INSERT INTO _problem_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                    [[start + i + 1, e.at, e.user, e.tab, e.row_key, e.column, e.old, e.new, e.via] for i, e in enumerate(entries)])
    record(_Con(con), entries)


class _Con:
    """connectors.store.audit.record wants something with .cursor(): the connection it already has."""

    def __init__(self, con: Any):
        self.con = con

    def cursor(self) -> Any:
        return self.con


def pending_audit(con: Any) -> list[tuple[int, Any]]:
    from connectors.store.audit import AuditEntry

    rows = con.execute('SELECT id, "at", "user", tab, row_key, "column", old, new, via FROM _problem_audit WHERE NOT sent ORDER BY id').fetchall()
    return [(r[0], AuditEntry(*r[1:])) for r in rows]


def audit_sent(con: Any, ids: list[int]) -> None:
    if ids:
        con.execute(f"UPDATE _problem_audit SET sent = TRUE WHERE id IN ({', '.join(str(int(i)) for i in ids)})")


# --- sends -------------------------------------------------------------------------------------------

def record_send(con: Any, source: str, outcome: str, counts: dict[str, int], calls: int, detail: str = "") -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    con.execute("INSERT INTO _problem_sends VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [now, source, outcome, counts.get("problems", 0), counts.get("errors", 0), counts.get("warnings", 0),
                 counts.get("confirmed", 0), counts.get("notes_set", 0), counts.get("notes_cleared", 0), calls, detail])
    con.execute('DELETE FROM _problem_sends WHERE "at" < (SELECT min("at") FROM (SELECT "at" FROM _problem_sends '
                'ORDER BY "at" DESC LIMIT 1000))')  # the last thousand sends are plenty to look back on


def sends(con: Any, limit: int = 200) -> pd.DataFrame:
    return con.execute(f'SELECT "at", outcome, problems, errors, warnings, confirmed, notes_set, notes_cleared, calls, detail '
                       f'FROM _problem_sends ORDER BY "at" DESC LIMIT {int(limit)}').df()


def last_send(con: Any) -> dict[str, Any] | None:
    row = con.execute('SELECT "at", outcome, problems, confirmed, detail FROM _problem_sends ORDER BY "at" DESC LIMIT 1').fetchone()
    sent = con.execute("SELECT max(\"at\") FROM _problem_sends WHERE outcome = 'sent'").fetchone()[0]
    if row is None:
        return None
    return {"at": row[0], "outcome": row[1], "problems": row[2], "confirmed": row[3], "detail": row[4], "last_sent": sent}


def confirmed_count(con: Any, tabs: tuple[str, ...] | None = None) -> int:
    if tabs is None:
        return int(con.execute("SELECT count(*) FROM _problem_confirmations").fetchone()[0])
    if not tabs:
        return 0
    marks = ", ".join("?" for _ in tabs)
    return int(con.execute(f"SELECT count(*) FROM _problem_confirmations WHERE tab IN ({marks})", list(tabs)).fetchone()[0])
