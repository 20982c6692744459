"""One input per column, for the Tables page's add form and its "fix this cell" box: what a person types
there is what the grid and the sheet take, read by the same rules (the schema, through connectors.sync).

- a coded column picks its labels in the reader's language and gives the code; a yes/no column picks Yes or
  No (blank stays blank); a foreign key picks among the rows it may point to;
- numbers and dates are typed as text, dates in the sheet's date order (the hint says which): the schema
  refuses 31/02/2018 with its message instead of a date picker turning it into 3 March;
- a widget's value lives in session state under `key`, so a caller can preset it (a suggested id, what was
  typed in a cell) or clear it after a save.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from connectors.access import User
from gateway.reads import fk_labels
from schemas.base import ColumnSpec
from schemas.formats import label
from schemas.i18n import _
from ui.table_cells import NO, YES, date_format, date_hint, yes_no_label


def blank_value(spec: ColumnSpec, con: Any, user: User) -> Any:
    """What the input of `spec` holds when nothing is typed or picked: "" for text, None for a pick."""
    return None if picks(spec, con, user) else ""


def picks(spec: ColumnSpec, con: Any, user: User) -> list[str] | None:
    """The codes a person picks from for this column, or None when it is typed."""
    if spec.allowed:
        return list(spec.allowed)
    if spec.kind == "bool":
        return [YES, NO]
    if spec.ref:
        labels = fk_labels(con, user, spec.ref)
        return list(labels) or None
    return None


def column_input(box: Any, con: Any, user: User, spec: ColumnSpec, key: str, *, title: str | None = None, date_order: str = "day_first",
                 masked: bool = False, disabled: bool = False, help_text: str | None = None) -> Any:
    """Draw the input for `spec` in `box` under session-state `key` and return its value (a code, a text as
    typed, or None)."""
    title = title or _(spec.title)
    described = help_text if help_text is not None else _(spec.description)  # the reader's words where the catalog has them
    options = picks(spec, con, user)
    if options is not None:
        held = st.session_state.get(key)
        if held not in (None, *options):  # what was typed in the sheet and not read: offered as it is, to change
            options = [*options, held]
        if spec.allowed:
            shown = lambda v: label(spec, v)
        elif spec.kind == "bool":
            shown = yes_no_label
        else:
            labels = fk_labels(con, user, spec.ref)
            shown = lambda v: labels.get(v, v)
        return box.selectbox(title, options, index=None, format_func=shown, help=described, key=key, disabled=disabled,
                             placeholder=_("Choose an option"))
    if spec.kind == "date":
        form, _example = date_format(date_order)
        return box.text_input(title, help=f"{described} {date_hint(date_order)}".strip(), key=key, placeholder=form, disabled=disabled)
    if masked:
        return box.text_input(title, type="password", help=described, key=key, disabled=disabled)
    return box.text_input(title, help=described, key=key, disabled=disabled)
