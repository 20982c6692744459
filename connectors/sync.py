"""Writes that never lose anyone's work: validate, check for conflicts, one batched write, audit, cache.

`save()` runs the whole path for the Tables page (and any other writer):

1. every touched tab passes `require_write` for the user (a viewer's save raises AccessDenied);
2. the edited and new rows are validated with the tab's schema and the cross-tab rules that touch them
   (on the cached tables with the edits applied; only errors the edit brings count) - errors: nothing
   is written, they come back per row and column;
3. the touched tabs (and audit_log) are re-read in ONE `source.read`, and every edited cell, deleted row
   and new key is compared with what the user started from - if anyone changed them, nothing is
   written and the result lists theirs vs ours;
4. ONE `source.write` with only the changed cells (located by key in the grids just read) and the
   audit rows appended to `audit_log` in the same request;
5. `_audit` and the cache's rows for the changed keys are updated in place (no full refresh).

When the source cannot be reached the save waits in the outbox (connectors.outbox); `replay()` sends it
later with the same check, and recognises a write that did land before a timeout.

The parts live beside this module and are re-exported here: the requests and results (`sync_request`),
values and keys (`sync_values`), step 2 (`sync_check`) and step 5 (`sync_cache`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

from connectors import audit, outbox
from connectors.access import LOCAL_ADMIN, AccessDenied, User, require_write
from connectors.source import CellUpdate, Grid, RowAppend, SourceError, SourceUnreachable, WriteBatch
from connectors.sync_cache import apply_changes, apply_optimistically, show_theirs
from connectors.sync_check import check
from connectors.sync_request import (ALREADY, CONFLICT, DELETED, INVALID, QUEUED, SAVED, UNCHANGED, CellEdit, Conflict,
                                     RowDelete, RowError, SaveRequest, SaveResult)
from connectors.sync_values import key_of, key_text, same, typed
from schemas.base import match_headers
from schemas.coerce import coerce_column
from schemas.registry import Tab, tab as registered_tab

_write_lock = threading.Lock()  # one read-check-write at a time per process


# --- the save -------------------------------------------------------------------------------------

def save(cache: Any, source: Any, user: User, edits: Iterable[CellEdit] = (),
         appends: Mapping[str, list[dict[str, Any]]] | Iterable[RowAppend] | None = None,
         deletes: Iterable[RowDelete | tuple] = (), via: str = "app", *, date_order: str = "day_first",
         queue: bool = True) -> SaveResult:
    """Validate, check, write once, audit, update the cache. See the module's docstring."""
    request = _request(edits, appends, deletes, date_order)
    if request.empty():
        return SaveResult(UNCHANGED, "Nothing to save.", request=request)
    for name in request.tabs():
        require_write(user, name)
    for name in request.tabs():
        if not registered_tab(name).key and (any(e.tab == name for e in request.edits) or any(d.tab == name for d in request.deletes)):
            error = RowError(name, None, None, f"Rows of '{registered_tab(name).title}' can only be added, not changed or deleted.")
            return SaveResult(INVALID, error.message, errors=[error], request=request)
    errors, warnings = check(cache, request, date_order)
    if errors:
        return SaveResult(INVALID, f"{len(errors)} problem(s) found: nothing was saved. Correct them and save again.",
                          errors=errors, warnings=warnings, request=request)
    result = _send(cache, source, user, request, via, date_order, queue_as=None if queue else -1)
    result.warnings = warnings
    return result


def _request(edits: Iterable[CellEdit], appends: Any, deletes: Iterable[Any], date_order: str) -> SaveRequest:
    request = SaveRequest()
    for edit in edits:
        spec = registered_tab(edit.tab).column(edit.column)
        old, new = typed(edit.old, spec, date_order), typed(edit.new, spec, date_order)
        if not same(old, new, spec, date_order):
            request.edits.append(CellEdit(edit.tab, tuple(key_text(k) for k in edit.key), edit.column, old, new))
    if isinstance(appends, Mapping):
        pairs = [(name, row) for name, rows in appends.items() for row in rows]
    else:
        pairs = [(a.tab, a.values) for a in appends or ()]
    for name, row in pairs:
        tab = registered_tab(name)
        request.appends.setdefault(name, []).append({c.name: typed(row.get(c.name), c, date_order) for c in tab.columns if c.name in row})
    for item in deletes:
        item = item if isinstance(item, RowDelete) else RowDelete(*item)
        tab = registered_tab(item.tab)
        old = None if item.old is None else {c.name: typed(item.old.get(c.name), c, date_order) for c in tab.columns if c.name in item.old}
        request.deletes.append(RowDelete(item.tab, tuple(key_text(k) for k in item.key), old))
    return request

# --- the conflict check and the write -------------------------------------------------------------

@dataclass
class _Located:
    tab: Tab
    grid: Grid
    columns: dict[str, int]
    index: dict[tuple[str, ...], int]  # key -> position in grid.rows

    def cell(self, position: int, column: str, date_order: str) -> Any:
        i = self.columns.get(column)
        row = self.grid.rows[position]
        raw = row[i] if i is not None and i < len(row) else None
        return typed(raw, self.tab.column(column), date_order)

    def row(self, position: int, date_order: str) -> dict[str, Any]:
        return {c.name: self.cell(position, c.name, date_order) for c in self.tab.columns}


def _locate(tab: Tab, grid: Grid, date_order: str) -> _Located:
    columns = match_headers(tab.schema, grid.header)
    missing = [k for k in tab.key if k not in columns]
    if missing:
        raise SourceError(f"Tab '{tab.name}' has no column '{tab.column(missing[0]).title}', so its rows cannot be found. Add the header and try again.")
    parts = []
    for k in tab.key:
        i = columns[k]
        raw = np.array([row[i] if i < len(row) else None for row in grid.rows], dtype=object)
        parts.append([key_text(v) for v in coerce_column(raw, tab.column(k), date_order).values])
    index: dict[tuple[str, ...], int] = {}
    for position, key in enumerate(zip(*parts)):
        if any(key):
            index.setdefault(tuple(key), position)
    return _Located(tab, grid, columns, index)


@dataclass
class _Plan:
    batch: WriteBatch = field(default_factory=WriteBatch)
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[tuple[str, tuple[str, ...], str | None, Any, Any]] = field(default_factory=list)  # for the audit
    appended: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # tab, row, sheet row
    deleted: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)  # tab, key, sheet row


def _compare(request: SaveRequest, grids: dict[str, Grid], date_order: str) -> _Plan:
    plan = _Plan()
    located: dict[str, _Located] = {}
    for name in request.tabs():
        if name not in grids:
            raise SourceError(f"The source has no tab '{name}'. Add it (python cli.py provision) before saving to it.")
        located[name] = _locate(registered_tab(name), grids[name], date_order) if registered_tab(name).key else None
    for edit in request.edits:
        where = located[edit.tab]
        position = where.index.get(edit.key)
        if position is None:
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, DELETED, edit.new))
            continue
        current = where.cell(position, edit.column, date_order)
        spec = where.tab.column(edit.column)
        if same(current, edit.new, spec, date_order):
            continue  # already there (a replay whose write landed, or the same change made by someone else)
        if not same(current, edit.old, spec, date_order):
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, current, edit.new))
            continue
        plan.batch.updates.append(CellUpdate(edit.tab, edit.key, edit.column, current, edit.new))
        plan.changes.append((edit.tab, edit.key, edit.column, edit.old, edit.new))
    for name, rows in request.appends.items():
        tab, where = registered_tab(name), located.get(name)
        next_row = grids[name].first_row + len(grids[name].rows)
        for row in rows:
            key = key_of(tab, row) if tab.key else ()
            position = where.index.get(key) if where is not None else None
            if position is not None:
                theirs = where.row(position, date_order)
                if all(same(theirs.get(c), v, tab.column(c), date_order) for c, v in row.items()):
                    continue  # this very row is already there: an earlier attempt landed
                plan.conflicts.append(Conflict(name, key, None, None, theirs, row))
                continue
            plan.batch.appends.append(RowAppend(name, row))
            plan.changes.append((name, key, None, None, row))
            plan.appended.append((name, row, next_row))
            next_row += 1
    for delete in request.deletes:
        where = located[delete.tab]
        position = where.index.get(delete.key)
        if position is None:
            continue  # already gone
        theirs = where.row(position, date_order)
        if delete.old is not None and not all(same(theirs.get(c), v, where.tab.column(c), date_order) for c, v in delete.old.items()):
            plan.conflicts.append(Conflict(delete.tab, delete.key, None, delete.old, theirs, DELETED))
            continue
        plan.batch.deletes.append((delete.tab, delete.key))
        plan.changes.append((delete.tab, delete.key, None, theirs, None))
        plan.deleted.append((delete.tab, delete.key, grids[delete.tab].first_row + position))
    return plan


def _send(cache: Any, source: Any, user: User, request: SaveRequest, via: str, date_order: str,
          queue_as: int | None = None) -> SaveResult:
    """Read once, compare, write once. `queue_as`: None = queue a new outbox entry when unreachable;
    -1 = do not queue; an id = this is that entry's replay (it stays in the outbox)."""
    touched = request.tabs()
    with _write_lock:
        attempted: list[audit.AuditEntry] = []
        try:
            grids = source.read(sorted(set(touched) | {audit.AUDIT_TAB}))
            plan = _compare(request, grids, date_order)
            if plan.conflicts:
                show_theirs(cache, plan.conflicts)
                return SaveResult(CONFLICT, f"Someone changed {len(plan.conflicts)} of these cells or rows since you opened them: "
                                  "nothing was saved. Keep theirs, or re-apply yours.", conflicts=plan.conflicts, request=request)
            if not plan.batch.updates and not plan.batch.appends and not plan.batch.deletes:
                return SaveResult(ALREADY, "These changes are already in the sheet.", request=request)
            at = audit.now()
            attempted = [audit.AuditEntry(at, user.email, t, "/".join(k), c, audit.text(o), audit.text(n), via) for t, k, c, o, n in plan.changes]
            if audit.AUDIT_TAB in grids:
                plan.batch.appends += [RowAppend(audit.AUDIT_TAB, e.sheet_row()) for e in attempted]
            written = source.write(plan.batch, located=grids)
        except SourceUnreachable as exc:
            return _unreachable(cache, user, request, via, exc, attempted, queue_as)
        apply_changes(cache, plan.batch.updates, plan.appended, plan.deleted)
        audit.record(cache, attempted)
        cache.changed()
        return SaveResult(SAVED, f"Saved: {written.cells_updated} cell(s) changed, {len(plan.appended)} row(s) added, "
                          f"{written.rows_deleted} row(s) deleted.", written=written, audit=attempted, request=request)


def _unreachable(cache: Any, user: User, request: SaveRequest, via: str, exc: Exception,
                 attempted: list[audit.AuditEntry], queue_as: int | None) -> SaveResult:
    if queue_as == -1:
        raise exc
    payload = {"request": request.to_payload(), "role": user.role, "name": user.name, "via": via,
               "attempted_audit": [[outbox.encode_value(e.at), e.user, e.tab, e.row_key, e.column, e.old, e.new, e.via] for e in attempted]}
    if queue_as is None:
        entry = outbox.put(cache, user.email, payload, str(exc))
        apply_optimistically(cache, request)
        cache.changed()
    else:
        entry = queue_as
        old = outbox.get(cache, entry)
        if old is not None and attempted:
            outbox.mark(cache, entry, outbox.PENDING, str(exc), {**old.payload, "attempted_audit": payload["attempted_audit"]})
        else:
            outbox.mark(cache, entry, outbox.PENDING, str(exc))
    return SaveResult(QUEUED, f"The source cannot be reached ({exc}). Your change waits in the outbox and is sent "
                      "when the connection is back.", outbox_id=entry, request=request)


# --- the outbox -----------------------------------------------------------------------------------

def pending(cache: Any) -> int:
    return outbox.pending(cache)


@dataclass
class ReplayResult:
    sent: int = 0
    already: int = 0
    conflicts: int = 0
    refused: int = 0
    waiting: int = 0
    problem: str | None = None
    results: dict[int, SaveResult] = field(default_factory=dict)


def _entry_user(entry: outbox.OutboxEntry) -> User:
    return User(entry.user, entry.payload.get("role", "viewer"), entry.payload.get("name", ""))


def replay(cache: Any, source: Any, user: User | None = None, *, date_order: str = "day_first") -> ReplayResult:
    """Send waiting saves in the order they were made, each as the person who made it, with the same
    conflict check. Stops at the first one the source cannot take (still unreachable)."""
    out = ReplayResult()
    waiting = outbox.entries(cache, (outbox.PENDING,))
    for number, entry in enumerate(waiting):
        who = _entry_user(entry)
        request = SaveRequest.from_payload(entry.payload["request"])
        via = entry.payload.get("via", "app") + " (outbox)"
        try:
            for name in request.tabs():
                require_write(who, name)
            result = _send(cache, source, who, request, via, date_order, queue_as=entry.id)
        except (AccessDenied, SourceError, KeyError) as exc:
            outbox.mark(cache, entry.id, outbox.REFUSED, str(exc))
            out.refused += 1
            continue
        out.results[entry.id] = result
        if result.status == QUEUED:
            out.waiting = len(waiting) - number
            out.problem = result.message
            break
        if result.status == CONFLICT:
            payload = {**entry.payload, "conflicts": [[c.tab, list(c.key), c.column, *map(outbox.encode_value, (c.started_from, c.theirs, c.ours))]
                                                      for c in result.conflicts]}
            outbox.mark(cache, entry.id, outbox.CONFLICT, result.message, payload)
            out.conflicts += 1
        elif result.status == ALREADY:
            landed = [audit.AuditEntry(outbox.decode_value(a[0]), *a[1:]) for a in entry.payload.get("attempted_audit", [])]
            audit.record(cache, landed)  # the trail that landed with the write before the timeout
            outbox.mark(cache, entry.id, outbox.SENT, "Already in the sheet (an earlier attempt landed).")
            out.already += 1
        else:
            outbox.mark(cache, entry.id, outbox.SENT, None)
            out.sent += 1
    return out


def replay_pending(cache: Any, source: Any, user: User | None = None, *, date_order: str = "day_first") -> ReplayResult | None:
    """The hook for after a successful refresh: nothing at all (no source call) when the outbox is empty."""
    if outbox.pending(cache) == 0:
        return None
    try:
        return replay(cache, source, user, date_order=date_order)
    except SourceError as exc:
        return ReplayResult(problem=str(exc), waiting=outbox.pending(cache))


def outbox_conflicts(entry: outbox.OutboxEntry) -> list[Conflict]:
    dec = outbox.decode_value
    return [Conflict(t, tuple(k), c, dec(s), dec(th), dec(o)) for t, k, c, s, th, o in entry.payload.get("conflicts", [])]


def resolve(cache: Any, source: Any, entry_id: int, keep: str, *, date_order: str = "day_first") -> SaveResult | None:
    """An outbox entry in conflict: keep="theirs" drops it; keep="mine" saves it again from their values."""
    entry = outbox.get(cache, entry_id)
    if entry is None or entry.state != outbox.CONFLICT:
        return None
    if keep == "theirs":
        outbox.mark(cache, entry_id, outbox.DROPPED, "Kept theirs.")
        return None
    request = SaveRequest.from_payload(entry.payload["request"])
    rebased = SaveResult(CONFLICT, conflicts=outbox_conflicts(entry), request=request).reapply()
    result = save(cache, source, _entry_user(entry), rebased.edits, rebased.appends, rebased.deletes,
                  via=entry.payload.get("via", "app") + " (outbox)", date_order=date_order)
    if result.status in (SAVED, ALREADY, UNCHANGED, QUEUED):
        outbox.mark(cache, entry_id, outbox.SENT if result.status != QUEUED else outbox.DROPPED,
                    "Re-applied." if result.status != QUEUED else f"Queued again as {result.outbox_id}.")
    return result


__all__ = ["CellEdit", "RowDelete", "SaveRequest", "SaveResult", "RowError", "Conflict", "ReplayResult", "save", "check",
           "replay", "replay_pending", "pending", "resolve", "key_of", "key_text", "typed", "same", "LOCAL_ADMIN"]
