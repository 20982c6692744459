"""Tables: one generic editor for every registered tab. Saving goes through connectors.sync
(validation, conflict check, one batched write, audit, offline outbox); the helpers are ui.table_editor."""
import datetime as dt

import streamlit as st

from connectors import sync
from connectors.access import can_write, readable_tabs
from connectors.config import setting
from connectors.sources.interface import SourceError
from connectors.sync import outbox
from gateway import reads
from gateway.masking import conflicts_shown, message_shown, request_personal_values
from schemas.formats import label
from schemas.registry import TABS
from schemas.registry import tab as registered_tab
from ui import live
from ui import table_editor as te
from ui.auth import current_user
from ui.state import cache, source
from ui.widgets import place_picker, table

user = current_user()
if user is None:
    st.stop()
date_order = setting("date_order")
state = st.session_state
state.setdefault("tables_nonce", 0)


def _reset_editor() -> None:
    state["tables_nonce"] += 1


live.hold_redraws(on_reload=_reset_editor)  # a redraw by the poll would drop what is being typed in the grid

st.title("Tables")

# -- the outbox: saves that wait for the source --------------------------------------------------
waiting = sync.pending(cache())
if waiting:
    left, right = st.columns([4, 1])
    left.warning(f"{waiting} saved change(s) wait to be sent: the source could not be reached. "
                 "They are sent on the next refresh, or now with the button.")
    if right.button("Send waiting changes", key="tables_send_waiting"):
        try:
            done = sync.replay(cache(), source(), user, date_order=date_order)
            state["tables_replay"] = done
        except SourceError as exc:
            st.error(str(exc))
        _reset_editor()
        st.rerun()
done = state.pop("tables_replay", None)
if done is not None:
    st.info(f"Sent {done.sent}, already in the sheet {done.already}, in conflict {done.conflicts}, "
            f"refused {done.refused}, still waiting {done.waiting}." + (f" {done.problem}" if done.problem else ""))
for entry in reads.outbox_problems(cache(), user):
    with st.container(border=True):
        why = message_shown(user, entry.last_error, request_personal_values(user, entry.payload.get("request", {})))
        st.markdown(f"**A waiting change from {entry.queued_at:%d %b %Y %H:%M} by {entry.user}** — {why or ''}")
        if entry.state == outbox.CONFLICT:
            table(conflicts_shown(user, sync.outbox_conflicts(entry)))
            keep, mine, _ = st.columns([1, 1, 4])
            if keep.button("Keep theirs", key=f"tables_outbox_theirs_{entry.id}"):
                sync.resolve(cache(), source(), entry.id, "theirs", date_order=date_order)
                st.rerun()
            if mine.button("Re-apply mine", key=f"tables_outbox_mine_{entry.id}"):
                state["tables_result"] = sync.resolve(cache(), source(), entry.id, "mine", date_order=date_order)
                st.rerun()
        elif st.button("Dismiss", key=f"tables_outbox_dismiss_{entry.id}"):
            outbox.mark(cache(), entry.id, outbox.DROPPED, entry.last_error)
            st.rerun()

# -- which tab, which rows ---------------------------------------------------------------------
tabs = readable_tabs(user, list(TABS))
if not tabs:
    st.info("Your role may not read any tab.")
    st.stop()
names = [t.name for t in tabs]
name = st.selectbox("Tab", names, key="tables_tab", format_func=lambda n: registered_tab(n).title)
tab = registered_tab(name)
writable = can_write(user, tab) and bool(tab.key)
st.caption(tab.schema.__doc__ or "")

query = te.TableQuery(name, search=st.text_input("Search", key=f"tables_search_{name}", placeholder="Any text in the row"))
with st.expander("Filters", expanded=False):
    for spec in te.enumerations(tab):
        query.choices[spec.name] = st.multiselect(spec.title, list(spec.allowed), key=f"tables_f_{name}_{spec.name}",
                                                  format_func=lambda v, spec=spec: label(spec, v))
    for spec in te.date_columns(tab):
        if st.checkbox(f"Only some dates ({spec.title})", key=f"tables_fd_{name}_{spec.name}"):
            picked = st.date_input(spec.title, (dt.date(dt.date.today().year, 1, 1), dt.date.today()), key=f"tables_fr_{name}_{spec.name}")
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                query.dates[spec.name] = (picked[0], picked[1])
    if te.has_place(tab):
        query.place = place_picker(f"tables_place_{name}")
con = cache().cursor()
total = te.count(con, user, query)
pages = max((total - 1) // te.PAGE_SIZE + 1, 1)
if pages > 1:
    query.page = int(st.number_input(f"Page (of {pages})", 1, pages, 1, key=f"tables_page_{name}"))
editor_key = f"tables_editor_{name}_{state['tables_nonce']}"
frame, total = live.steady(editor_key, query, lambda: te.rows(con, user, query))  # unsaved edits keep their rows
st.caption(f"{total:,} rows" + (f"; showing {len(frame):,} from row {(query.page - 1) * te.PAGE_SIZE + 1:,}" if pages > 1 else ""))

# -- the editor ---------------------------------------------------------------------------------
st.data_editor(
    frame, key=editor_key, column_config=te.column_config(con, user, tab, frame),
    column_order=[c.name for c in tab.columns], disabled=te.disabled_columns(user, tab) if writable else True,
    num_rows="dynamic" if writable else "fixed", width="stretch", hide_index=False,
)
changes = te.changes(user, tab, frame, state.get(editor_key), te.next_key(con, tab))


def _save(edits, appends, deletes) -> None:
    try:
        state["tables_result"] = sync.save(cache(), source(), user, edits, {name: appends} if appends else None, deletes,
                                           date_order=date_order)
    except SourceError as exc:
        state["tables_result"] = sync.SaveResult(sync.FAILED, str(exc))
    except PermissionError as exc:
        state["tables_result"] = sync.SaveResult(sync.REFUSED, str(exc))
    if state["tables_result"].status in (sync.SAVED, sync.QUEUED, sync.ALREADY, sync.CONFLICT):
        _reset_editor()


if writable:
    confirm = True
    if changes.deletes:
        keys = ", ".join("/".join(d.key) for d in changes.deletes)
        confirm = st.checkbox(f"Yes, delete {len(changes.deletes)} row(s): {keys}", key="tables_confirm_delete")
    if st.button("Save", key="tables_save", type="primary", disabled=changes.empty()):
        if not confirm:
            st.warning("Tick the box to confirm the deletion, then save again.")
        else:
            _save(changes.edits, changes.appends, changes.deletes)
            st.rerun()
elif not can_write(user, tab):
    st.caption(f"Your role ({user.role}) may read this tab but not change it.")

result = state.get("tables_result")
if result is not None:
    said = message_shown(user, result.message, request_personal_values(user, result.request.to_payload()) if result.request else ())
    if result.status == sync.SAVED or result.status == sync.ALREADY:
        st.success(said)
    elif result.status == sync.QUEUED:
        st.warning(said)
    elif result.status == sync.CONFLICT:
        st.error(said)
        table(conflicts_shown(user, result.conflicts))
        keep, mine, _ = st.columns([1, 1, 4])
        if keep.button("Keep theirs", key="tables_keep_theirs"):
            state.pop("tables_result")
            st.rerun()
        if mine.button("Re-apply mine", key="tables_reapply"):
            try:  # from what the sheet holds now: theirs may have changed again since the conflict was shown
                again = sync.rebase(source(), result.request, result.conflicts, date_order)
            except SourceError as exc:
                state["tables_result"] = sync.SaveResult(sync.FAILED, f"Could not read the sheet to re-apply your change ({exc}). Try again later.")
            else:
                _save(again.edits, [row for rows in again.appends.values() for row in rows], again.deletes)
            st.rerun()
    elif result.status != sync.UNCHANGED:
        st.error(said)
    if result.errors or result.warnings:
        table(te.errors_frame(user, tab, result))
    if result.status in (sync.SAVED, sync.ALREADY, sync.UNCHANGED) and st.button("OK", key="tables_result_ok"):
        state.pop("tables_result")
        st.rerun()

# -- add a row ----------------------------------------------------------------------------------
if writable:
    with st.expander("Add a row", expanded=False):
        place = place_picker(f"tables_add_place_{name}") if te.has_place(tab) else None
        # Not cleared on submit: a refused row keeps what was typed; a saved one clears it (below).
        with st.form(f"tables_add_{name}", clear_on_submit=False):
            new_row = {}
            suggested = te.next_key(con, tab)
            for spec in tab.columns:
                label = spec.title + ("" if spec.required else " (optional)")
                widget_key = te.add_form_key(name, spec.name)
                if spec.place:
                    new_row[spec.name] = place
                    st.text_input(label, value=place or "", disabled=True, help="Pick the village above.", key=widget_key)
                elif spec.name in tab.key and suggested and len(tab.key) == 1:
                    new_row[spec.name] = st.text_input(label, value=suggested, help=spec.description, key=widget_key)
                elif spec.allowed:
                    new_row[spec.name] = st.selectbox(label, list(spec.allowed), index=None, help=spec.description, key=widget_key)
                elif spec.ref and (labels := te.fk_labels(con, user, spec.ref)):
                    new_row[spec.name] = st.selectbox(label, list(labels), index=None, format_func=labels.get, help=spec.description, key=widget_key)
                elif spec.kind == "date":
                    new_row[spec.name] = st.date_input(label, value=None, help=spec.description, key=widget_key)
                elif spec.kind in ("int", "float"):  # as text, like the grid: the schema reads it and says what is wrong
                    new_row[spec.name] = st.text_input(label, help=spec.description, key=widget_key)
                elif spec.kind == "bool":
                    new_row[spec.name] = st.checkbox(label, help=spec.description, key=widget_key)
                elif spec.pii and spec.name in te.masked_columns(user, tab):
                    new_row[spec.name] = st.text_input(label, type="password", help=spec.description, key=widget_key)
                else:
                    new_row[spec.name] = st.text_input(label, help=spec.description, key=widget_key)
            if st.form_submit_button("Add the row"):
                _save([], [new_row], [])
                if state["tables_result"].status in (sync.SAVED, sync.QUEUED, sync.ALREADY):
                    for spec in tab.columns:  # the next add starts blank, with the next free key suggested
                        state.pop(te.add_form_key(name, spec.name), None)
                st.rerun()

# -- a row's history ----------------------------------------------------------------------------
if tab.key and len(frame):
    with st.expander("A row's history", expanded=False):
        keys = ["/".join(sync.key_of(tab, row)) for row in frame.to_dict("records")]
        chosen = st.selectbox("Row", keys, key=f"tables_history_{name}")
        history = reads.row_history(cache(), user, name, chosen)
        if history.empty:
            st.caption("No change to this row was made through the back office yet.")
        else:
            table(history, tab="audit_log")
