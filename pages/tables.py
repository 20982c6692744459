"""Tables: one generic editor for every registered tab. The page draws the tab picker, the filters and the grid;
the parts around the grid are ui.table_boxes, every write ui.table_actions (through connectors.sync: validation,
conflict check, one batched write, audit, offline outbox), the grid's helpers ui.table_editor and ui.table_inputs,
the page opened at a problem ui.problem_fix (a link: ui.cell_links)."""
import datetime as dt

import streamlit as st

from gateway import reads
from schemas.formats import label
from schemas.i18n import _, ngettext, number
from schemas.registry import tab as registered_tab
from ui import live
from ui import table_actions as act
from ui import table_editor as te
from ui.auth import current_user
from ui.callbacks import persons_change_only
from ui.cell_links import focus_from
from ui.problem_fix import problem_box, typed_fix
from ui.state import cache
from ui.table_boxes import add_form, history_box, outbox_box, result_box
from ui.table_cells import date_hint, date_input_format
from ui.widgets import place_picker

user = current_user()
if user is None:
    st.stop()
date_order = act.date_order()
state = st.session_state
state.setdefault(act.NONCE, 0)


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


live.hold_redraws(on_reload=act.reset_editor, editing=_editing)

# -- opened at a problem (a link from Data quality or the command line: ui.cell_links) --------------
asked = focus_from(st.query_params.to_dict())
if asked is not None and state.get("tables_focus_asked") != asked:
    state["tables_focus_asked"] = asked  # applied once: picking another tab later is not undone on the next run
    state["tables_focus"] = asked
    state["tables_tab"] = asked.tab

st.title(_("Tables"))

outbox_box(user)

# -- which tab, which rows ---------------------------------------------------------------------
tabs = reads.tabs_to_open(user)
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
writable = reads.may_edit(user, tab)
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
editor_key = f"tables_editor_{name}_{state[act.NONCE]}"
state["tables_editor_key"] = editor_key
frame, total = live.steady(editor_key, query, lambda: te.rows(con, user, query, date_order, total))  # unsaved edits keep their rows
st.caption(ngettext("{n} row", "{n} rows", total).format(n=number(total)) + (_("; showing {shown} from row {first}").format(
    shown=number(len(frame)), first=number((query.page - 1) * te.PAGE_SIZE + 1)) if pages > 1 else ""))
if te.date_columns(tab):
    st.caption(date_hint(date_order))


def _save_fix(edits) -> bool:
    return act.save(user, tab, edits, [], []).status in act.KEPT


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
            act.save(user, tab, changes.edits, changes.appends, changes.deletes)
            st.rerun()
elif tab.key:  # not editable, though its rows have a key: the role does not write it
    st.caption(_("Your role ({role}) may read this tab but not change it.").format(role=user.role))

result_box(user, tab)
if writable:
    add_form(user, tab, con)
history_box(user, tab, frame)
