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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from connectors.access import User
from gateway.reads import fk_labels
from schemas.base import ColumnSpec
from schemas.formats import label
from schemas.i18n import _
from ui.table_cells import NO, YES, date_format, date_hint, yes_no_label


@dataclass(frozen=True)
class Entry:
    """How a person enters a column's value: the same in the Tables grid (ui.table_editor.column_config) and in
    the forms (`column_input`: the add form, the "fix this cell" box)."""

    options: list[str] | None  # the codes to pick from; None: typed as text
    shown: Callable[[Any], str]  # a code as the reader reads it
    hint: str  # what to type, after the column's description (dates: the sheet's date order)
    example: str | None  # the form's grey example (dates)


def entry(spec: ColumnSpec, con: Any, user: User, *, date_order: str = "day_first", held: Iterable[Any] = ()) -> Entry:
    """`held`: what the cells hold now; a value that is not one of the codes (typed in the sheet and not read) is
    offered as it is, to change."""
    options: list[str] | None = None
    shown: Callable[[Any], str] = str
    if spec.allowed:
        options, shown = list(spec.allowed), lambda v: label(spec, v)
    elif spec.kind == "bool":
        options, shown = [YES, NO], yes_no_label
    elif spec.ref and (labels := fk_labels(con, user, spec.ref)):
        options, shown = list(labels), lambda v: labels.get(v, v)
    if options is not None:
        options += [v for v in dict.fromkeys(held) if v is not None and v not in options]
    dated = spec.kind == "date"
    return Entry(options, shown, date_hint(date_order) if dated else "", date_format(date_order)[0] if dated else None)


def blank_value(spec: ColumnSpec, con: Any, user: User) -> Any:
    """What the input of `spec` holds when nothing is typed or picked: "" for text, None for a pick."""
    return None if entry(spec, con, user).options is not None else ""


def column_input(box: Any, con: Any, user: User, spec: ColumnSpec, key: str, *, title: str | None = None, date_order: str = "day_first",
                 masked: bool = False, disabled: bool = False, help_text: str | None = None) -> Any:
    """Draw the input for `spec` in `box` under session-state `key` and return its value (a code, a text as
    typed, or None)."""
    title = title or _(spec.title)
    how = entry(spec, con, user, date_order=date_order, held=[st.session_state.get(key)])
    described = help_text if help_text is not None else _(spec.description)  # the reader's words where the catalog has them
    described = f"{described} {how.hint}".strip()
    if how.options is not None:
        return box.selectbox(title, how.options, index=None, format_func=how.shown, help=described, key=key, disabled=disabled,
                             placeholder=_("Choose an option"))
    return box.text_input(title, help=described, key=key, disabled=disabled, placeholder=how.example,
                          type="password" if masked and how.example is None else "default")
