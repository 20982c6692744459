"""The Tables page opened at a problem (a link from Data quality or the command line, ui.cell_links): the
row's problems said above the grid, the cell's own first, and a box to correct that cell - holding what was
typed in the sheet, read back by the schema's rules, saved through connectors.sync like every edit."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from connectors.access import User
from connectors.sync import CellEdit, key_of
from gateway import reads
from schemas.base import blank
from schemas.i18n import _
from schemas.registry import Tab
from ui.cell_links import Focus, schema_column
from ui.markdown import literal
from ui.table_editor import masked_columns
from ui.table_inputs import blank_value, column_input

Save = Callable[[list[CellEdit]], Any]


def fix_key(focus: Focus) -> str:
    """The session-state key of the box's input (one per cell)."""
    return f"tables_fix_{focus.tab}_{focus.row}_{focus.column}"


def typed_fix(focus: Focus | None, frame: pd.DataFrame) -> bool:
    """True while the box holds a correction not saved yet (the page then holds the live redraw)."""
    if focus is None or focus.row is None or focus.column is None or focus.row not in frame.index:
        return False
    key = fix_key(focus)
    return key in st.session_state and ("" if st.session_state[key] is None else st.session_state[key]) != _cell(frame, focus)


def _cell(frame: pd.DataFrame, focus: Focus) -> Any:
    value = frame.at[focus.row, focus.column] if focus.column in frame.columns else None
    return "" if blank(value) else value


def problem_box(con: Any, user: User, tab: Tab, focus: Focus, frame: pd.DataFrame, *, writable: bool, date_order: str,
                save: Save, show_all: Callable[[], None]) -> None:
    """Above the grid: where the link points, the row's problems (the cell's own first), the box to fix the
    cell and a way back to every row. `frame`: the grid's rows (sheet row -> cells as shown)."""
    column = tab.column(focus.column) if focus.column in {c.name for c in tab.columns} else None
    where = (_("Row {row} of {tab}, column {column}") if column is not None else _("Row {row} of {tab}")).format(
        row=focus.row, tab=_(tab.title), column=_(column.title) if column is not None else "")
    with st.container(border=True, key="tables_problem"):
        head, back = st.columns([4, 1])
        head.markdown(f"**{where}**")
        if back.button(_("Show all rows"), key="tables_show_all"):
            show_all()
            st.rerun()
        if focus.row not in frame.index:
            st.info(_("Row {row} is not in this tab any more (it was deleted, or the sheet changed). Show all rows to find it.").format(row=focus.row))
            return
        problems = reads.row_issues(con, user, tab.name, [focus.row])
        mine = [schema_column(tab.name, h) == focus.column for h in problems["column"]] if not problems.empty else []
        ordered = sorted(zip(mine, problems["message"].tolist(), problems["severity"].tolist(), strict=True), key=lambda m: not m[0])
        for _own, message, severity in ordered:
            (st.error if severity == "error" else st.warning)(literal(message))  # it quotes what was typed
        if not any(mine):
            st.success(_("No problem is left in this cell."))
        if column is None or not writable:
            return
        if column.name in tab.key:
            st.caption(_("A row is found by its id, so an id cannot be changed here: correct it in the sheet, "
                         "or delete this row and add it again with the right id."))
            return
        if column.name in masked_columns(user, tab):
            st.caption(_("This cell holds personal data, hidden for your role: an admin can correct it."))
            return
        key = fix_key(focus)
        now = _cell(frame, focus)
        st.session_state.setdefault(key, now if now != "" else blank_value(column, con, user))
        entered = column_input(st, con, user, column, key, title=_("Correct {column}").format(column=_(column.title)),
                               date_order=date_order)
        if st.button(_("Save this cell"), key="tables_fix_save", type="primary", disabled=("" if entered is None else entered) == now):
            row = frame.loc[focus.row].to_dict()
            if save([CellEdit(tab.name, key_of(tab, row), column.name, None if now == "" else now, entered)]):
                st.session_state.pop(key, None)  # the next run shows the cell as saved
            st.rerun()
