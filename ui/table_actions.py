"""What the Tables page does to the sheet: every save, every answer to a conflict and every waiting change
dismissed goes through connectors.sync from here, and its result is kept in the session for the page to say
(ui.table_boxes). Nothing here draws."""
from __future__ import annotations

from typing import Any

import streamlit as st

from connectors import sync
from connectors.access import User
from connectors.config import setting
from connectors.sources.interface import SourceError
from connectors.sync import outbox
from schemas.i18n import _
from schemas.registry import Tab
from ui.state import cache, refresh, send_waiting, source

RESULT = "tables_result"  # the last save's SaveResult, said by the page until dismissed
REPLAY = "tables_replay"  # the last "Send waiting changes", said once
NONCE = "tables_nonce"  # part of the grid's key: a new one drops the grid's unsaved edits (after a save, or a reload)
KEPT = (sync.SAVED, sync.QUEUED, sync.ALREADY)  # the change is in the sheet or on its way


def date_order() -> str:
    return str(setting("date_order"))


def reset_editor() -> None:
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1


def save(user: User, tab: Tab, edits: list[Any], appends: list[dict[str, Any]], deletes: list[Any]) -> sync.SaveResult:
    """One save of the grid's, the add form's or the problem box's changes; the result is kept under RESULT."""
    try:
        result = sync.save(cache(), source(), user, edits, {tab.name: appends} if appends else None, deletes, date_order=date_order())
    except SourceError as exc:
        result = sync.SaveResult(sync.FAILED, str(exc))
    except PermissionError as exc:
        result = sync.SaveResult(sync.REFUSED, str(exc))
    st.session_state[RESULT] = result
    if result.status in (*KEPT, sync.CONFLICT):
        reset_editor()
    if result.status == sync.SAVED:
        # The save updated the edited cells and their own issues in place; the checks across rows and tabs
        # (a stock that can now be checked, a key another tab refers to) run again now, so the Data quality page
        # is right as soon as it is opened - not after the next poll. This is the app's one refresh: it reads the
        # whole sheet again (change token, metadata, one batchGet), and types and checks only the tabs that changed.
        refresh()
    return result


def reapply_mine(user: User, tab: Tab, result: sync.SaveResult) -> None:
    """"Re-apply mine" after a conflict: from what the sheet holds now (theirs may have changed again since)."""
    try:
        again = sync.rebase(source(), result.request, result.conflicts, date_order())
    except SourceError as exc:
        st.session_state[RESULT] = sync.SaveResult(sync.FAILED, _("Could not read the sheet to re-apply your change ({problem}). "
                                                                  "Try again later.").format(problem=exc))
        return
    save(user, tab, again.edits, [row for rows in again.appends.values() for row in rows], again.deletes)


def send_now() -> None:
    st.session_state[REPLAY] = send_waiting() or sync.ReplayResult()
    reset_editor()


def keep_theirs_waiting(entry: outbox.OutboxEntry) -> None:
    sync.resolve(cache(), source(), entry.id, "theirs", date_order=date_order())


def reapply_mine_waiting(entry: outbox.OutboxEntry) -> None:
    st.session_state[RESULT] = sync.resolve(cache(), source(), entry.id, "mine", date_order=date_order())


def dismiss_waiting(entry: outbox.OutboxEntry) -> None:
    outbox.mark(cache(), entry.id, outbox.DROPPED, entry.last_error)
