"""Writes that never lose anyone's work: validate, check for conflicts, one write, verify, audit, cache.

`save()` runs the whole path for the Tables page (and any other writer). Every outcome is a result
(saved, already_applied, unchanged, conflict, queued, invalid, refused, failed); nothing raises.

1. every touched tab passes `require_write` for the user (else: refused);
2. the edited and new rows are validated with the tab's schema and the cross-tab rules that touch them
   (on the cached tables with the edits applied; only errors the edit brings count), and no value may
   hold a control character - errors: nothing is written, they come back per row and column;
3. the touched tabs (and audit_log) are re-read in ONE `source.read`, and every edited cell, deleted row
   and new key is compared with what the user started from (`plan`) - if anyone changed them,
   nothing is written and the result lists theirs vs ours; a key found on two rows is refused;
4. ONE `source.write` with only the changed cells (located by key in the grids just read), the deletes,
   the new rows and the audit rows - on Google Sheets one atomic `spreadsheets:batchUpdate`;
5. sources that write by row number are verified with ONE read of the touched tabs (`verify`) and
   repaired when a row moved in between;
6. `_audit` and the cache's rows for the changed keys are updated in place (no full refresh).

A save costs 3 Sheets API calls (check read, write, verify read); 2 when it only adds rows; 5 when a
repair is needed (repair write, read that proves it).

How each window between our check read and our write is closed
- Rows added (by us, or typed under the last row by someone): appendCells is resolved by Google when
  the request runs, after the last row holding data, so it never overwrites a row typed meanwhile and
  two processes' rows (and their audit rows) both land. Nothing positional is planned for them.
- A row inserted, deleted or sorted above a located write (cell update, row delete): closed after the
  fact - the verify read finds each key's row; a misplaced cell is put back from the check read and ours
  re-applied at the key's row; a row deleted by mistake is put back with its values; the repair is read
  again, and what cannot be proven right is named in a `failed` result, never "saved".
- A lost answer, a 5xx or a 429 on the write: the write is never re-sent as it was. After the backoff
  (Retry-After honoured) the tabs are read again; our audit rows went in the same all-or-nothing request,
  so finding them proves the write landed (then that read is the verify read); otherwise the save is
  planned again from that read. A queued save keeps its audit rows, so its replay recognises it too.
- A grid that shrank (empty rows trimmed) or a tab re-created: the write fails whole; the sheet's
  metadata is dropped and the save re-planned once from a fresh read.
- Two saves in one process are serialised by `_write_lock`; on the workbook, one fcntl lock is held
  from the check read to the end of the write, so the workbook has no window at all.
What the Sheets API cannot close (it has no conditional write, and no request reads a cell's old value
inside a batchUpdate), narrowed to one round trip and detected as far as a read can:
- the same cell typed by someone between our check read and our write: ours overwrites theirs. Detected
  only when their edit lands after ours (the verify read shows a third value: theirs is kept and the
  result says so); before ours, their value stays in the sheet's version history, and our audit row
  shows the value we started from;
- a row someone inserts AND fills at exactly the place of our target in that window: our cell lands on
  it, and what it held cannot be known. The verify read finds our value on a row the check read never
  saw; ours is re-applied at the key's row and the result is `failed`, naming that cell (a delete that
  removed such a row is named the same way). A blank inserted row is simply cleared again.
- a repair write is itself positional: the read after it proves it, and whatever is still wrong is
  named in a `failed` result.

When the source cannot be reached the save waits in the outbox (connectors.sync.outbox); `replay()`
(connectors.sync.replay) sends it later with the same check, as the person's current role.

The parts live beside this module: the requests and results (`request`), values and keys
(`values`), step 2 (`check_edits`), step 3 (`plan`), step 5 (`verify`), step 6
(`cache_update`) and the outbox replay (`replay`, which calls `save`/`_send` here). `connectors.sync`
is the one name callers import.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from connectors.access import AccessDenied, User, require_write
from connectors.sources.interface import RowAppend, SourceError, SourceStale, SourceUnreachable, WriteResult
from connectors.store import audit
from connectors.sync import outbox
from connectors.sync.cache_update import apply_changes, apply_optimistically, show_theirs
from connectors.sync.check_edits import check, control_characters
from connectors.sync.plan import Plan, compare, landed
from connectors.sync.request import ALREADY, CONFLICT, FAILED, INVALID, QUEUED, REFUSED, SAVED, UNCHANGED, CellEdit, RowDelete, RowError, SaveRequest, SaveResult
from connectors.sync.values import same, typed
from connectors.sync.verify import confirmed, verify
from schemas.i18n import _, ngettext
from schemas.registry import tab as registered_tab
from schemas.row_key import RowKey

_write_lock = threading.RLock()  # one read-check-write at a time per process


# --- the save -------------------------------------------------------------------------------------

def save(cache: Any, source: Any, user: User, edits: Iterable[CellEdit] = (),
         appends: Mapping[str, list[dict[str, Any]]] | Iterable[RowAppend] | None = None,
         deletes: Iterable[RowDelete | tuple] = (), via: str = "app", *, date_order: str = "day_first",
         queue: bool = True) -> SaveResult:
    """Validate, check, write once, verify, audit, update the cache. See the module's docstring."""
    request = _request(edits, appends, deletes, date_order)
    if request.empty():
        return SaveResult(UNCHANGED, _("Nothing to save."), request=request)
    try:
        for name in request.tabs():
            require_write(user, name)
    except AccessDenied as exc:
        return SaveResult(REFUSED, str(exc), request=request)
    for name in request.tabs():
        if not registered_tab(name).key and (any(e.tab == name for e in request.edits) or any(d.tab == name for d in request.deletes)):
            error = RowError(name, None, None, _("Rows of '{tab}' can only be added, not changed or deleted.").format(
                tab=registered_tab(name).title))
            return SaveResult(INVALID, error.message, errors=[error], request=request)
    errors = control_characters(request)
    warnings: list[RowError] = []
    if not errors:
        errors, warnings = check(cache, request, date_order)
    if errors:
        said = ngettext("{n} problem found: nothing was saved. Correct it and save again.",
                        "{n} problems found: nothing was saved. Correct them and save again.", len(errors)).format(n=len(errors))
        return SaveResult(INVALID, said,
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
            request.edits.append(CellEdit(edit.tab, RowKey.wanted(edit.key), edit.column, old, new))
    pairs = ([(name, row) for name, rows in appends.items() for row in rows] if isinstance(appends, Mapping)
             else [(a.tab, a.values) for a in appends or ()])
    for name, row in pairs:
        tab = registered_tab(name)
        request.appends.setdefault(name, []).append({c.name: typed(row.get(c.name), c, date_order) for c in tab.columns if c.name in row})
    for item in deletes:
        item = item if isinstance(item, RowDelete) else RowDelete(*item)
        tab = registered_tab(item.tab)
        old = None if item.old is None else {c.name: typed(item.old.get(c.name), c, date_order) for c in tab.columns if c.name in item.old}
        request.deletes.append(RowDelete(item.tab, RowKey.wanted(item.key), old))
    return request

# --- the check, the write and its proof -------------------------------------------------------------


def _audit_rows(plan: Plan, user: User, via: str) -> list[audit.AuditEntry]:
    at = audit.now()
    return [audit.AuditEntry(at, user.email, t, "/".join(k), c, audit.text(o), audit.text(n), via) for t, k, c, o, n in plan.changes]


def _send(cache: Any, source: Any, user: User, request: SaveRequest, via: str, date_order: str,
          queue_as: int | None = None, prior: list[audit.AuditEntry] | None = None) -> SaveResult:
    """Read once, compare, write once, verify. `queue_as`: None = queue a new outbox entry when unreachable;
    -1 = do not queue; an id = this is that entry's replay (it stays in the outbox). `prior`: the audit rows
    of an earlier attempt whose answer was lost (a replay), to recognise that it landed."""
    touched = sorted(set(request.tabs()) | {audit.AUDIT_TAB})
    tries = max(1, int(getattr(source, "write_tries", 1)))
    attempted: list[audit.AuditEntry] = []
    with _write_lock:
        try:
            with getattr(source, "transaction", contextlib.nullcontext)():
                grids = source.read(touched)
                if prior and landed(prior, grids):
                    return SaveResult(ALREADY, _("These changes are already in the sheet (an earlier attempt landed)."), request=request)
                sent: list[tuple[Plan, list[audit.AuditEntry]]] = []
                stale_once = False
                attempt = 0
                while True:
                    done = next(((p, a) for p, a in sent if landed(a, grids)), None)
                    if done is not None:
                        plan, attempted = done  # an attempt whose answer was lost did land: `grids` is its verify read
                        break
                    plan = compare(request, grids, date_order)
                    if plan.refusals:
                        return SaveResult(REFUSED, " ".join(plan.refusals) + " " + _("Nothing was saved."), request=request)
                    if plan.conflicts:
                        show_theirs(cache, plan.conflicts)
                        return SaveResult(CONFLICT, _("Someone changed {n} of these cells or rows since you opened them: "
                                            "nothing was saved. Keep theirs, or re-apply yours.").format(n=len(plan.conflicts)),
                                          conflicts=plan.conflicts, request=request)
                    if plan.empty():
                        return SaveResult(ALREADY, _("These changes are already in the sheet."), request=request)
                    attempted = _audit_rows(plan, user, via)
                    if audit.AUDIT_TAB in grids:
                        plan.batch.appends += [RowAppend(audit.AUDIT_TAB, e.sheet_row()) for e in attempted]
                    try:
                        source.write(plan.batch, located=grids)
                        grids = None
                        break
                    except SourceStale:
                        if stale_once:
                            raise
                        stale_once = True
                    except SourceUnreachable as exc:
                        sent.append((plan, attempted))
                        attempt += 1
                        if attempt >= tries:
                            raise
                        source.wait_before_retry(attempt, exc)
                    grids = source.read(touched)
        except SourceUnreachable as exc:
            return _unreachable(cache, user, request, via, exc, attempted, queue_as)
        except SourceError as exc:
            return SaveResult(FAILED, _("Nothing was saved: {problem}").format(problem=exc), request=request)
        notes, wrong = _prove(source, plan, grids, date_order)
    written = WriteResult(len(plan.batch.updates), len(plan.appended), len(plan.batch.deletes))
    apply_changes(cache, plan.batch.updates, plan.appended, plan.deleted)
    audit.record(cache, attempted)
    cache.changed()
    if wrong:
        return SaveResult(FAILED, _("Your changes were written, but these could not be proven to be in the right place - check them "
                            "in the sheet: {cells}").format(cells=" ".join(wrong)), written=written, audit=attempted, request=request, notes=notes)
    message = saved_message(written)
    return SaveResult(SAVED, " ".join([message, *notes]), written=written, audit=attempted, request=request, notes=notes)


def saved_message(written: WriteResult) -> str:
    """"Saved: 1 cell changed." - what was written, each part in its own plural, the parts with nothing left out."""
    parts = [ngettext("{n} cell changed", "{n} cells changed", n).format(n=n) for n in [written.cells_updated] if n]
    parts += [ngettext("{n} row added", "{n} rows added", n).format(n=n) for n in [written.rows_appended] if n]
    parts += [ngettext("{n} row deleted", "{n} rows deleted", n).format(n=n) for n in [written.rows_deleted] if n]
    return _("Saved: {what}.").format(what=", ".join(parts) or _("nothing changed"))


def _prove(source: Any, plan: Plan, grids: Any, date_order: str) -> tuple[list[str], list[str]]:
    """Step 5: (notes for the user, what is still wrong). One read; a repair and one more read if needed."""
    tabs = sorted({u.tab for u in plan.batch.updates} | {t for t, _ in plan.batch.deletes})
    if not tabs or getattr(source, "locates_at_write", False):
        return [], []
    try:
        now = grids if grids is not None else source.read(tabs)
        found = verify(plan, now, date_order)
        if not found.needs_repair():
            return found.notes, found.unproven
        source.write(found.repair, located=now)
        return found.notes, found.unproven + confirmed(found, source.read(tabs), date_order)
    except SourceError as exc:
        return [], [_("The check after the write could not be done ({problem}); refresh and look at the cells you changed.").format(problem=exc)]


def _unreachable(cache: Any, user: User, request: SaveRequest, via: str, exc: Exception,
                 attempted: list[audit.AuditEntry], queue_as: int | None) -> SaveResult:
    if queue_as == -1:
        return SaveResult(FAILED, _("The source cannot be reached ({problem}). Nothing was queued; try again later.").format(problem=exc),
                          request=request)
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
    return SaveResult(QUEUED, _("The source cannot be reached ({problem}). Your change waits in the outbox and is sent "
                        "when the connection is back.").format(problem=exc), outbox_id=entry, request=request)
