"""Tables: one generic editor for every registered tab. Saving goes through connectors.sync
(validation, conflict check, one batched write, audit, offline outbox); the helpers are ui.table_editor,
ui.table_inputs (the add form's inputs) and ui.problem_fix (the page opened at a problem: ui.cell_links)."""
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
from schemas.i18n import _, day, ngettext, number
from schemas.registry import TABS
from schemas.registry import tab as registered_tab
from ui import live
from ui import table_editor as te
from ui.audit_view import audit_shown
from ui.auth import current_user
from ui.callbacks import persons_change_only
from ui.cell_links import focus_from
from ui.markdown import literal
from ui.problem_fix import problem_box, typed_fix
from ui.state import cache, refresh, send_waiting, source
from ui.table_cells import date_hint, date_input_format
from ui.table_inputs import blank_value, column_input
from ui.widgets import place_picker, table

user = current_user()
if user is None:
    st.stop()
date_order = setting("date_order")
state = st.session_state
state.setdefault("tables_nonce", 0)


def _reset_editor() -> None:
    state["tables_nonce"] += 1


def _editing() -> bool:
    """Unsaved work on the page: edits in the grid, or a correction typed in the problem's box. Only then
    is a redraw by the poll held (it would drop them); otherwise the page follows the sheet by itself."""
    edits = state.get(state.get("tables_editor_key", "")) or {}
    return any(edits.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")) or state.get("tables_fix_typed", False)


@persons_change_only
def _show_all_rows() -> None:
    """Leave a problem's row for the whole tab (and the link's address with it)."""
    state.pop("tables_focus", None)
    state.pop("tables_focus_asked", None)  # the same link, opened again, applies again
    st.query_params.clear()


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
    if state["tables_result"].status == sync.SAVED:
        # The save updated the edited cells and their own issues in place; the checks across rows and tabs
        # (a stock that can now be checked, a key another tab refers to) run again now, so the Data quality page
        # is right as soon as it is opened - not after the next poll. This is the app's one refresh: it reads the
        # whole sheet again (change token, metadata, one batchGet), and types and checks only the tabs that changed.
        refresh()


live.hold_redraws(on_reload=_reset_editor, editing=_editing)

# -- opened at a problem (a link from Data quality or the command line: ui.cell_links) --------------
asked = focus_from(st.query_params.to_dict())
if asked is not None and state.get("tables_focus_asked") != asked:
    state["tables_focus_asked"] = asked  # applied once: picking another tab later is not undone on the next run
    state["tables_focus"] = asked
    state["tables_tab"] = asked.tab

st.title(_("Tables"))

# -- the outbox: saves that wait for the source --------------------------------------------------
waiting = sync.pending(cache())
if waiting:
    left, right = st.columns([4, 1])
    left.warning(ngettext("{n} saved change waits to be sent: the source could not be reached. "
                          "It is sent on the next refresh, or now with the button.",
                          "{n} saved changes wait to be sent: the source could not be reached. "
                          "They are sent on the next refresh, or now with the button.", waiting).format(n=number(waiting)))
    if right.button(_("Send waiting changes"), key="tables_send_waiting"):
        state["tables_replay"] = send_waiting() or sync.ReplayResult()
        _reset_editor()
        st.rerun()
done = state.pop("tables_replay", None)
if done is not None:
    st.info(_("Sent {sent}, already in the sheet {already}, in conflict {conflicts}, refused {refused}, still waiting {waiting}.").format(
        sent=done.sent, already=done.already, conflicts=done.conflicts, refused=done.refused, waiting=done.waiting) + (f" {literal(done.problem)}" if done.problem else ""))
for entry in reads.outbox_problems(cache(), user):
    with st.container(border=True):
        why = message_shown(entry.last_error, request_personal_values(user, entry.payload.get("request", {})))
        st.markdown(_("**A waiting change from {when} by {user}**").format(when=f"{day(entry.queued_at)} {entry.queued_at:%H:%M}", user=literal(entry.user))
                    + f" — {literal(why or '')}")
        if entry.state == outbox.CONFLICT:
            table(conflicts_shown(user, sync.outbox_conflicts(entry)))
            keep, mine, _rest = st.columns([1, 1, 4])
            if keep.button(_("Keep theirs"), key=f"tables_outbox_theirs_{entry.id}"):
                sync.resolve(cache(), source(), entry.id, "theirs", date_order=date_order)
                st.rerun()
            if mine.button(_("Re-apply mine"), key=f"tables_outbox_mine_{entry.id}"):
                state["tables_result"] = sync.resolve(cache(), source(), entry.id, "mine", date_order=date_order)
                st.rerun()
        elif st.button(_("Dismiss"), key=f"tables_outbox_dismiss_{entry.id}"):
            outbox.mark(cache(), entry.id, outbox.DROPPED, entry.last_error)
            st.rerun()

# -- which tab, which rows ---------------------------------------------------------------------
tabs = readable_tabs(user, list(TABS))
if not tabs:
    st.info(_("Your role may not read any tab."))
    st.stop()
names = [t.name for t in tabs]
if state.get("tables_tab") not in (None, *names):  # a link to a tab this role may not read
    st.warning(_("Your role may not read the tab this link opens."))
    state.pop("tables_tab")
    _show_all_rows()
name = st.selectbox(_("Tab"), names, key="tables_tab", format_func=lambda n: _(registered_tab(n).title), on_change=_show_all_rows)
tab = registered_tab(name)
writable = can_write(user, tab) and bool(tab.key)
focus = state.get("tables_focus")
focus = focus if focus is not None and focus.tab == name and focus.row is not None else None
st.caption(tab.schema.__doc__ or "")

query = te.TableQuery(name, reads.RowFilter(search=st.text_input(_("Search"), key=f"tables_search_{name}", placeholder=_("Any text in the row")),
                                         rows=(focus.row,) if focus else ()))
with st.expander(_("Filters"), expanded=False):
    for spec in te.enumerations(tab):
        query.where.choices[spec.name] = st.multiselect(_(spec.title), list(spec.allowed), key=f"tables_f_{name}_{spec.name}",
                                                  format_func=lambda v, spec=spec: label(spec, v))
    for spec in te.date_columns(tab):
        if st.checkbox(_("Only some dates ({column})").format(column=_(spec.title)), key=f"tables_fd_{name}_{spec.name}"):
            picked = st.date_input(_(spec.title), (dt.date(dt.date.today().year, 1, 1), dt.date.today()), key=f"tables_fr_{name}_{spec.name}",
                                   format=date_input_format(date_order))
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                query.where.dates[spec.name] = (picked[0], picked[1])
    if te.has_place(tab):
        query.where.place = place_picker(f"tables_place_{name}")
con = cache().cursor()
total = te.count(con, user, query)
pages = max((total - 1) // te.PAGE_SIZE + 1, 1)
if pages > 1:
    query.page = int(st.number_input(_("Page (of {pages})").format(pages=pages), 1, pages, 1, key=f"tables_page_{name}"))
editor_key = f"tables_editor_{name}_{state['tables_nonce']}"
state["tables_editor_key"] = editor_key
frame, total = live.steady(editor_key, query, lambda: te.rows(con, user, query, date_order))  # unsaved edits keep their rows
st.caption(ngettext("{n} row", "{n} rows", total).format(n=number(total)) + (_("; showing {shown} from row {first}").format(
    shown=number(len(frame)), first=number((query.page - 1) * te.PAGE_SIZE + 1)) if pages > 1 else ""))
if te.date_columns(tab):
    st.caption(date_hint(date_order))


def _save_fix(edits) -> bool:
    _save(edits, [], [])
    return state["tables_result"].status in (sync.SAVED, sync.QUEUED, sync.ALREADY)


if focus is not None:
    problem_box(con, user, tab, focus, frame, writable=writable, date_order=date_order, save=_save_fix, show_all=_show_all_rows)
state["tables_fix_typed"] = typed_fix(focus, frame)

# -- the editor ---------------------------------------------------------------------------------
marked = focus.column if focus is not None else None  # highlighted and read-only: corrected in the box above
st.data_editor(
    te.styled(frame, (focus.row, marked) if marked else None), key=editor_key,
    column_config=te.column_config(con, user, tab, frame, date_order=date_order, focus=marked),
    column_order=te.column_order(tab, frame, marked), disabled=te.disabled_columns(user, tab) + [marked] * bool(marked) if writable else True,
    num_rows="dynamic" if writable else "fixed", width="stretch", hide_index=False, placeholder="",
)
changes = te.changes(user, tab, frame, state.get(editor_key), te.next_key(tab))


if writable:
    confirm = True
    if changes.deletes:
        keys = ", ".join("/".join(d.key) for d in changes.deletes)
        confirm = st.checkbox(ngettext("Yes, delete {n} row: {keys}", "Yes, delete {n} rows: {keys}", len(changes.deletes)).format(
            n=len(changes.deletes), keys=keys), key="tables_confirm_delete")
    if st.button(_("Save"), key="tables_save", type="primary", disabled=changes.empty()):
        if not confirm:
            st.warning(_("Tick the box to confirm the deletion, then save again."))
        else:
            _save(changes.edits, changes.appends, changes.deletes)
            st.rerun()
elif not can_write(user, tab):
    st.caption(_("Your role ({role}) may read this tab but not change it.").format(role=user.role))

result = state.get("tables_result")
if result is not None:
    # the message carries typed values and a sheet's own words: shown as written, never as Markdown
    said = literal(message_shown(result.message, request_personal_values(user, result.request.to_payload()) if result.request else ()))
    if result.status == sync.SAVED or result.status == sync.ALREADY:
        st.success(said)
    elif result.status == sync.QUEUED:
        st.warning(said)
    elif result.status == sync.CONFLICT:
        st.error(said)
        table(conflicts_shown(user, result.conflicts))
        keep, mine, _rest = st.columns([1, 1, 4])
        if keep.button(_("Keep theirs"), key="tables_keep_theirs"):
            state.pop("tables_result")
            st.rerun()
        if mine.button(_("Re-apply mine"), key="tables_reapply"):
            try:  # from what the sheet holds now: theirs may have changed again since the conflict was shown
                again = sync.rebase(source(), result.request, result.conflicts, date_order)
            except SourceError as exc:
                state["tables_result"] = sync.SaveResult(sync.FAILED, _("Could not read the sheet to re-apply your change ({problem}). "
                                                                        "Try again later.").format(problem=exc))
            else:
                _save(again.edits, [row for rows in again.appends.values() for row in rows], again.deletes)
            st.rerun()
    elif result.status != sync.UNCHANGED:
        st.error(said)
    if result.errors or result.warnings:
        table(te.errors_frame(user, tab, result))
    if result.status in (sync.SAVED, sync.ALREADY, sync.UNCHANGED) and st.button(_("OK"), key="tables_result_ok"):
        state.pop("tables_result")
        st.rerun()

# -- add a row ----------------------------------------------------------------------------------
if writable:
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
                new_row[spec.name] = column_input(st, con, user, spec, widget_key, title=title, date_order=date_order,
                                                  masked=spec.pii and spec.name in te.masked_columns(user, tab))
            if st.form_submit_button(_("Add the row")):
                _save([], [new_row], [])
                if state["tables_result"].status in (sync.SAVED, sync.QUEUED, sync.ALREADY):
                    state[f"tables_add_saved_{name}"] = True
                st.rerun()

# -- a row's history ----------------------------------------------------------------------------
if tab.key and len(frame):
    with st.expander(_("A row's history"), expanded=False):
        keys = ["/".join(sync.key_of(tab, row)) for row in frame.to_dict("records")]
        chosen = st.selectbox(_("Row"), keys, key=f"tables_history_{name}")
        history = reads.row_history(cache(), user, name, chosen)
        if history.empty:
            st.caption(_("No change to this row was made through the back office yet."))
        else:
            table(audit_shown(history, name), tab="audit_log")
