"""Replaying the outbox: saves that waited for the source, sent in the order they were made, each as the
person who made it - with the role they hold NOW (the users tab, as cached), so someone removed or made a
viewer meanwhile cannot write through an old entry. Replays are serialised per process, and each entry's
state is read again just before it is sent, so two sessions never send the same entry."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from connectors.access import LOCAL_ADMIN, AccessDenied, User, require_write
from connectors.sources.interface import SourceError
from connectors.store import audit
from connectors.sync import outbox
from connectors.sync.plan import locate_all
from connectors.sync.request import ALREADY, CONFLICT, DELETED, FAILED, QUEUED, REFUSED, SAVED, UNCHANGED, CellEdit, Conflict, RowDelete, SaveRequest, SaveResult
from connectors.sync.send import _send, save
from schemas.i18n import _

_replay_lock = threading.Lock()


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


def current_user(cache: Any, entry: outbox.OutboxEntry) -> User:
    """The entry's author with the role the users tab gives them now; AccessDenied when they are gone.

    The local admin (no sign-in configured) is the only author not looked up."""
    if entry.user == LOCAL_ADMIN.email:
        return LOCAL_ADMIN
    try:
        row = cache.cursor().execute("SELECT role, name FROM users WHERE lower(trim(email)) = lower(trim(?))", [entry.user]).fetchone()
    except Exception:  # no users tab in the cache: nobody can be vouched for
        row = None
    if row is None:
        raise AccessDenied(f"{entry.user} is no longer in the users tab, so this save (queued {entry.queued_at:%Y-%m-%d %H:%M}) "
                           "was not sent. An editor can make the change again.")
    return User(entry.user, str(row[0]), str(row[1] or entry.payload.get("name", "")))


def replay(cache: Any, source: Any, *, date_order: str = "day_first") -> ReplayResult:
    """Send waiting saves in the order they were made, each as the person who made it, with the same
    conflict check. Stops at the first one the source cannot take (still unreachable)."""
    out = ReplayResult()
    with _replay_lock:
        waiting = outbox.entries(cache, (outbox.PENDING,))
        for number, entry in enumerate(waiting):
            fresh = outbox.get(cache, entry.id)
            if fresh is None or fresh.state != outbox.PENDING:
                continue  # another session sent it meanwhile
            request = SaveRequest.from_payload(entry.payload["request"])
            via = entry.payload.get("via", "app") + " (outbox)"
            prior = [audit.AuditEntry(outbox.decode_value(a[0]), *a[1:]) for a in entry.payload.get("attempted_audit", [])]
            try:
                who = current_user(cache, entry)
                for name in request.tabs():
                    require_write(who, name)
            except (AccessDenied, KeyError) as exc:
                outbox.mark(cache, entry.id, outbox.REFUSED, _("Refused: {problem}").format(problem=exc))
                out.refused += 1
                continue
            result = _send(cache, source, who, request, via, date_order, queue_as=entry.id, prior=prior)
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
                if prior:
                    audit.record(cache, prior)  # the trail that landed with the write before the timeout
                outbox.mark(cache, entry.id, outbox.SENT, _("Already in the sheet (an earlier attempt landed)."))
                out.already += 1
            elif result.status in (SAVED, UNCHANGED):
                outbox.mark(cache, entry.id, outbox.SENT, None)
                out.sent += 1
            else:
                outbox.mark(cache, entry.id, outbox.REFUSED, result.message)
                out.refused += 1
    return out


def replay_pending(cache: Any, source: Any, *, date_order: str = "day_first") -> ReplayResult | None:
    """The hook for after a successful refresh: nothing at all (no source call) when the outbox is empty."""
    if outbox.pending(cache) == 0:
        return None
    try:
        return replay(cache, source, date_order=date_order)
    except SourceError as exc:
        return ReplayResult(problem=str(exc), waiting=outbox.pending(cache))


def outbox_conflicts(entry: outbox.OutboxEntry) -> list[Conflict]:
    dec = outbox.decode_value
    return [Conflict(t, tuple(k), c, dec(s), dec(th), dec(o)) for t, k, c, s, th, o in entry.payload.get("conflicts", [])]


def rebase(source: Any, request: SaveRequest, conflicts: list[Conflict], date_order: str = "day_first") -> SaveRequest:
    """"Re-apply mine" from what the sheet holds NOW (one read): every edit and delete that was in conflict
    starts from the current value or row (so the check cannot fail again on a stale "theirs"); the others
    keep what the user started from, so a change someone made to them since is still caught. Edits of rows
    gone meanwhile are dropped."""
    grids = source.read(request.tabs())
    located = locate_all(request.tabs(), grids, date_order)
    disputed = {(c.tab, tuple(c.key), c.column) for c in conflicts}
    edits, deletes = [], []
    for e in request.edits:
        where = located.get(e.tab)
        position = where.index.get(e.key) if where is not None else None
        if position is None:
            continue
        rebased = (e.tab, e.key, e.column) in disputed
        edits.append(CellEdit(e.tab, e.key, e.column, where.cell(position, e.column, date_order), e.new) if rebased else e)
    for d in request.deletes:
        where = located.get(d.tab)
        position = where.index.get(d.key) if where is not None else None
        if position is not None:
            deletes.append(RowDelete(d.tab, d.key, where.row(position, date_order)) if (d.tab, d.key, None) in disputed else d)
    return SaveRequest(edits, request.appends, deletes)


def resolve(cache: Any, source: Any, entry_id: int, keep: str, *, date_order: str = "day_first") -> SaveResult | None:
    """An outbox entry in conflict: keep="theirs" drops it; keep="mine" saves it again from the sheet's current values."""
    entry = outbox.get(cache, entry_id)
    if entry is None or entry.state != outbox.CONFLICT:
        return None
    if keep == "theirs":
        outbox.mark(cache, entry_id, outbox.DROPPED, _("Kept theirs."))
        return None
    try:
        who = current_user(cache, entry)
        rebased = rebase(source, SaveRequest.from_payload(entry.payload["request"]), outbox_conflicts(entry), date_order)
    except AccessDenied as exc:
        outbox.mark(cache, entry_id, outbox.REFUSED, _("Refused: {problem}").format(problem=exc))
        return SaveResult(REFUSED, str(exc))
    except SourceError as exc:
        return SaveResult(FAILED, _("Could not read the sheet to re-apply your change ({problem}). Try again later.").format(problem=exc))
    result = save(cache, source, who, rebased.edits, rebased.appends, rebased.deletes,
                  via=entry.payload.get("via", "app") + " (outbox)", date_order=date_order)
    if result.status in (SAVED, ALREADY, UNCHANGED, QUEUED):
        outbox.mark(cache, entry_id, outbox.SENT if result.status != QUEUED else outbox.DROPPED,
                    _("Re-applied.") if result.status != QUEUED else _("Queued again as {entry}.").format(entry=result.outbox_id))
    return result


__all__ = ["DELETED", "ReplayResult", "current_user", "outbox_conflicts", "pending", "rebase", "replay", "replay_pending", "resolve"]
