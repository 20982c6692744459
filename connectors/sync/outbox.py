"""The offline outbox: saves that could not reach the source wait in DuckDB (`_outbox`) and survive a restart.

An entry keeps what the save started from (every edit's old value, every new row, every delete), who
made it and how, so a replay runs the same conflict check as the first attempt. States:

- pending: waiting to be sent (counted by `pending()`, shown in the banner);
- conflict: someone changed the same cells meanwhile; the user keeps theirs or re-applies theirs;
- refused: it can no longer be applied (the role lost write access, a row vanished, ...);
- sent / dropped: done (kept as history for the Sync page).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from connectors.store.transaction import atomic
from schemas.base import blank


class State(StrEnum):
    """Where an outbox entry stands; stored in _outbox.state as the plain text."""

    PENDING = "pending"
    CONFLICT = "conflict"
    REFUSED = "refused"
    SENT = "sent"
    DROPPED = "dropped"


PENDING, CONFLICT, REFUSED, SENT, DROPPED = State
OPEN_STATES = (PENDING, CONFLICT, REFUSED)


def encode_value(value: Any) -> Any:
    """A cell value as JSON: dates are tagged so they come back as dates, not text."""
    if blank(value):
        return None
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return {"$datetime": pd.Timestamp(value).isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$row": {k: encode_value(v) for k, v in value.items()}}
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return pd.Timestamp(value["$datetime"]).to_pydatetime()
        if "$row" in value:
            return {k: decode_value(v) for k, v in value["$row"].items()}
    return value


@dataclass
class OutboxEntry:
    id: int
    queued_at: dt.datetime
    user: str
    payload: dict[str, Any]  # see connectors.sync.SaveRequest.to_payload
    state: str
    last_error: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def put(cache: Any, user_email: str, payload: dict[str, Any], error: str) -> int:
    """Keep a save in the outbox; returns its id (ids grow, so replay order is queue order)."""
    with cache.cursor() as cur, atomic(cur):
        next_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM _outbox").fetchone()[0]
        cur.execute("INSERT INTO _outbox VALUES (?, ?, ?, ?, ?, ?)",
                    [next_id, _now(), user_email, json.dumps(payload), PENDING, error])
    return int(next_id)


def entries(cache: Any, states: tuple[str, ...] = OPEN_STATES) -> list[OutboxEntry]:
    marks = ", ".join("?" for _ in states)
    rows = cache.cursor().execute(
        f'SELECT id, queued_at, "user", batch_json, state, last_error FROM _outbox WHERE state IN ({marks}) ORDER BY id',
        list(states)).fetchall()
    return [OutboxEntry(int(r[0]), r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


def get(cache: Any, entry_id: int) -> OutboxEntry | None:
    row = cache.cursor().execute('SELECT id, queued_at, "user", batch_json, state, last_error FROM _outbox WHERE id = ?',
                                 [entry_id]).fetchone()
    return None if row is None else OutboxEntry(int(row[0]), row[1], row[2], json.loads(row[3]), row[4], row[5])


def pending(cache: Any) -> int:
    """How many saves wait to be sent."""
    return int(cache.cursor().execute("SELECT count(*) FROM _outbox WHERE state = ?", [PENDING]).fetchone()[0])


def mark(cache: Any, entry_id: int, state: str, error: str | None = None, payload: dict[str, Any] | None = None) -> None:
    cur = cache.cursor()
    if payload is None:
        cur.execute("UPDATE _outbox SET state = ?, last_error = ? WHERE id = ?", [state, error, entry_id])
    else:
        cur.execute("UPDATE _outbox SET state = ?, last_error = ?, batch_json = ? WHERE id = ?",
                    [state, error, json.dumps(payload), entry_id])
