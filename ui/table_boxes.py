"""The parts of the Tables page around its grid, one function each: the saves waiting for the source, the last
save's result (with "Keep theirs" / "Re-apply mine" after a conflict), the add form and a row's history. Their
writes are ui.table_actions'; their reads come through the gateway."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from connectors import sync
from connectors.access import User
from connectors.sync import outbox
from gateway import reads
from gateway.masking import conflicts_shown, message_shown, request_personal_values
from schemas.i18n import _, day, ngettext, number
from schemas.registry import Tab
from ui import table_actions as act
from ui import table_editor as te
from ui.audit_view import audit_shown
from ui.markdown import literal
from ui.state import cache
from ui.table_inputs import blank_value, column_input
from ui.widgets import place_picker, table


def _replay_said(done: sync.ReplayResult) -> str:
    return _("Sent {sent}, already in the sheet {already}, in conflict {conflicts}, refused {refused}, still waiting {waiting}.").format(
        sent=done.sent, already=done.already, conflicts=done.conflicts, refused=done.refused, waiting=done.waiting) + (
        f" {literal(done.problem)}" if done.problem else "")


def outbox_box(user: User) -> None:
    """Saves that wait for the source, and the waiting ones that came back in conflict or refused."""
    waiting = sync.pending(cache())
    if waiting:
        left, right = st.columns([4, 1])
        left.warning(ngettext("{n} saved change waits to be sent: the source could not be reached. "
                              "It is sent on the next refresh, or now with the button.",
                              "{n} saved changes wait to be sent: the source could not be reached. "
                              "They are sent on the next refresh, or now with the button.", waiting).format(n=number(waiting)))
        if right.button(_("Send waiting changes"), key="tables_send_waiting"):
            act.send_now()
            st.rerun()
    done = st.session_state.pop(act.REPLAY, None)
    if done is not None:
        st.info(_replay_said(done))
    for entry in reads.outbox_problems(cache(), user):
        with st.container(border=True):
            why = message_shown(entry.last_error, request_personal_values(user, entry.payload.get("request", {})))
            st.markdown(_("**A waiting change from {when} by {user}**").format(when=f"{day(entry.queued_at)} {entry.queued_at:%H:%M}", user=literal(entry.user))
                        + f" — {literal(why or '')}")
            if entry.state == outbox.CONFLICT:
                table(conflicts_shown(user, sync.outbox_conflicts(entry)))
                keep, mine, _rest = st.columns([1, 1, 4])
                if keep.button(_("Keep theirs"), key=f"tables_outbox_theirs_{entry.id}"):
                    act.keep_theirs_waiting(entry)
                    st.rerun()
                if mine.button(_("Re-apply mine"), key=f"tables_outbox_mine_{entry.id}"):
                    act.reapply_mine_waiting(entry)
                    st.rerun()
            elif st.button(_("Dismiss"), key=f"tables_outbox_dismiss_{entry.id}"):
                act.dismiss_waiting(entry)
                st.rerun()


def result_box(user: User, tab: Tab) -> None:
    """What the last save did, in the user's words; after a conflict, theirs and ours side by side."""
    result = st.session_state.get(act.RESULT)
    if result is None:
        return
    # the message carries typed values and a sheet's own words: shown as written, never as Markdown
    said = literal(message_shown(result.message, request_personal_values(user, result.request.to_payload()) if result.request else ()))
    if result.status in (sync.SAVED, sync.ALREADY):
        st.success(said)
    elif result.status == sync.QUEUED:
        st.warning(said)
    elif result.status == sync.CONFLICT:
        st.error(said)
        table(conflicts_shown(user, result.conflicts))
        keep, mine, _rest = st.columns([1, 1, 4])
        if keep.button(_("Keep theirs"), key="tables_keep_theirs"):
            st.session_state.pop(act.RESULT)
            st.rerun()
        if mine.button(_("Re-apply mine"), key="tables_reapply"):
            act.reapply_mine(user, tab, result)
            st.rerun()
    elif result.status != sync.UNCHANGED:
        st.error(said)
    if result.errors or result.warnings:
        table(te.errors_frame(user, tab, result))
    if result.status in (sync.SAVED, sync.ALREADY, sync.UNCHANGED) and st.button(_("OK"), key="tables_result_ok"):
        st.session_state.pop(act.RESULT)
        st.rerun()


def add_form(user: User, tab: Tab, con: Any) -> None:
    """A form with one input per column (ui.table_inputs, as the grid's); the village picked from the gazetteer,
    the next free id suggested. A refused row keeps what was typed; a saved one starts blank."""
    state, name = st.session_state, tab.name
    with st.expander(_("Add a row"), expanded=False, key=f"tables_add_box_{name}"):  # keyed: stays open across a save
        place = place_picker(f"tables_add_place_{name}") if te.has_place(tab) else None
        suggested = te.next_key(tab)
        fresh = state.pop(f"tables_add_saved_{name}", False)  # after an add: every field blank, the next free id suggested
        # Not cleared on submit: a refused row keeps what was typed; a saved one starts blank (above).
        with st.form(f"tables_add_{name}", clear_on_submit=False):
            new_row = {}
            for spec in tab.columns:
                title = _(spec.title) + ("" if spec.required else " " + _("(optional)"))
                widget_key = te.add_form_key(name, spec.name)
                if spec.place:
                    new_row[spec.name] = place
                    state[widget_key] = place or ""
                    st.text_input(title, disabled=True, help=_("Pick the village above."), key=widget_key)
                    continue
                if spec.name in tab.key and suggested and len(tab.key) == 1 and (fresh or widget_key not in state):
                    state[widget_key] = suggested
                elif fresh:
                    state[widget_key] = blank_value(spec, con, user)
                new_row[spec.name] = column_input(st, con, user, spec, widget_key, title=title, date_order=act.date_order(),
                                                  masked=spec.pii and spec.name in te.masked_columns(user, tab))
            if st.form_submit_button(_("Add the row")):
                if act.save(user, tab, [], [new_row], []).status in act.KEPT:
                    state[f"tables_add_saved_{name}"] = True
                st.rerun()


def history_box(user: User, tab: Tab, frame: pd.DataFrame) -> None:
    """The changes made through the back office to one row of the page, newest first."""
    if not tab.key or not len(frame):
        return
    with st.expander(_("A row's history"), expanded=False):
        keys = ["/".join(sync.key_of(tab, row)) for row in frame.to_dict("records")]
        chosen = st.selectbox(_("Row"), keys, key=f"tables_history_{tab.name}")
        history = reads.row_history(cache(), user, tab.name, chosen)
        if history.empty:
            st.caption(_("No change to this row was made through the back office yet."))
        else:
            table(audit_shown(history, tab.name), tab="audit_log")
