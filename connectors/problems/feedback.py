"""Every mistake back to the person who typed it, in their own sheet: two steps of the refresh (connectors.pipeline).

`hook()`: the refresh also reads the app's Problems tab in the same call (its ticks) and keeps what the tab
should show (connectors.problems.collect); `send_after_refresh()` then writes the tab and the notes - only
when what they show changed:

- nothing changed (same problems, same confirmations, the tab as the app left it): no call at all;
- changed: ONE spreadsheets:batchUpdate (the Problems rows, the notes set and cleared, the audit entries of
  confirmations), plus ONE spreadsheets.get of the notes when the notes change (`tab+notes`);
- the workbook: one rewrite of the file, under its lock, when the same is true.
A send that fails is tried again at the next poll (the cache still holds what to send); a page never waits
for it (the page's refresh sends in the background). `problems_in_sheet` = off | tab | tab+notes.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from connectors.problems import layout as L
from connectors.problems import store
from connectors.problems.collect import ProblemsHook
from connectors.sources.interface import SourceError, SourceStale, SourceUnreachable
from schemas.i18n import _

MODES = ("off", "tab", "tab+notes")
log = logging.getLogger(__name__)
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()
_threads: dict[int, threading.Thread] = {}


def mode() -> str:
    """`problems_in_sheet` as set; a value that is not one of the three counts as off (problem() says why)."""
    from connectors.config import setting

    text = " ".join(str(setting("problems_in_sheet") or "").lower().split()).replace(" + ", "+").replace(" ", "+")
    return text if text in MODES else "off"


def problem() -> str | None:
    """Why the setting is not understood, in words, or None."""
    from connectors.config import setting

    text = str(setting("problems_in_sheet") or "")
    if " ".join(text.lower().split()).replace(" + ", "+").replace(" ", "+") in MODES:
        return None
    return _("BACKOFFICE_PROBLEMS_IN_SHEET={value} is not one of off, tab, tab+notes: problems are not written to the sheet.").format(
        value=repr(text))


def writer(source: Any) -> Any:
    """Where this source writes its Problems tab, or None for a source without one."""
    make = getattr(source, "problem_sheet", None)
    return make() if callable(make) else None


def hook(cache: Any, source: Any) -> ProblemsHook | None:
    """What the refresh reads and keeps for the Problems tab, or None when problems are not written to this source."""
    return ProblemsHook(cache) if mode() != "off" and writer(source) is not None else None


def send_after_refresh(cache: Any, source: Any, *, background: bool) -> None:
    """The refresh's step after the load (connectors.pipeline): write what changed, in a thread of its own when a
    page is waiting."""
    if background:
        send_in_background(cache, source)
    else:
        send(cache, source)


def _lock(cache: Any) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(id(cache), threading.Lock())


def send_in_background(cache: Any, source: Any) -> None:
    """Send from a thread of its own, so a page never waits for the sheet (one at a time per cache)."""
    running = _threads.get(id(cache))
    if running is not None and running.is_alive():
        return  # the one running sends what is due; anything left is sent by the next poll

    def run() -> None:
        try:
            send(cache, source)
        except Exception:  # a bug here must not end the page's thread; the poll tries again
            log.exception("Sending the problems to the sheet failed; the next poll tries again.")

    thread = threading.Thread(target=run, name="backoffice-problems", daemon=True)
    _threads[id(cache)] = thread
    thread.start()


def wait(cache: Any = None, timeout: float = 30.0) -> None:
    """Until the background send for this cache (None: every cache) is done (tests, and a clean shutdown)."""
    for key, thread in list(_threads.items()):
        if cache is None or key == id(cache):
            thread.join(timeout)


def send(cache: Any, source: Any, clock: Callable[[], float] = time.time) -> str:
    """Write the Problems tab and the notes if what they show changed: "unchanged", "sent", "waiting"
    (after a failure, until its retry time), "busy" (another send is running) or "failed"."""
    current = mode()
    sheet = writer(source)
    if current == "off" or sheet is None:
        return "unchanged"
    lock = _lock(cache)
    if not lock.acquire(blocking=False):
        return "busy"
    try:
        cur = store.ensure(cache)
        state = store.state(cur)
        layout = L.build(cur, with_notes=current == "tab+notes")
        written_notes = store.written_notes(cur)
        audit = store.pending_audit(cur)
        if audit and not layout.audit_header:  # the sheet has no audit_log tab: the entries are in the cache's trail only
            with cache._lock:
                store.audit_sent(cur, [i for i, _e in audit])
            audit = []
        rows_due = layout.digest != state.get("sheet_digest") and not (layout.empty and not state.get("existing_title")
                                                                          and not state.get("sheet_digest"))
        notes_due = layout.notes != written_notes
        if not (rows_due or notes_due or audit):
            return "unchanged"
        if clock() < float(state.get("retry_at") or 0):
            return "waiting"
        notes_tabs = sorted(set(layout.notes) | set(written_notes))
        try:
            outcome = sheet.send(layout, notes_tabs, [e for _i, e in audit], (cache.stored_version(source.label), state.get("written_version")))
        except Exception as error:  # recorded and tried again; never the end of a poll or a page
            if not isinstance(error, SourceError):
                log.exception("Sending the problems to the sheet failed.")
            failures = int(state.get("failures") or 0) + 1
            # Busy or unreachable (Google, the network, the workbook open in Excel): at the next poll. Refused
            # (not shared as an Editor, a bug): less and less often, at most every half hour.
            transient = isinstance(error, (SourceUnreachable, SourceStale))
            wait_for = 0.0 if transient else min(60.0 * 2 ** (failures - 1), 1800.0)
            with cache._lock:
                store.set_state(cur, failures=str(failures), retry_at=str(clock() + wait_for))
                store.record_send(cur, source.label, "failed", layout.counts, 0, str(error) or type(error).__name__)
            return "failed"
        with cache._lock:
            store.set_state(cur, sheet_digest=layout.digest, existing_title=layout.title, failures=None, retry_at=None,
                            written_version=outcome.version, written_ticks=json.dumps(layout.ticks))
            store.replace_notes(cur, layout.notes)
            store.mark_written(cur)
            store.audit_sent(cur, [i for i, _e in audit])
            store.record_send(cur, source.label, "sent", {**layout.counts, "notes_set": outcome.notes_set,
                                                          "notes_cleared": outcome.notes_cleared}, outcome.calls,
                              json.dumps({"title": layout.title, "audit": len(audit)}))
        return "sent"
    finally:
        lock.release()
