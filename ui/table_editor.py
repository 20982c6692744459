"""What the generic Tables page needs, read from the registry: rows (searched, filtered, paged, masked),
column types for st.data_editor, and the editor's changes turned into `connectors.sync` edits. Its
queries go through the gateway's `gateway.reads` (foreign-key labels and the next free key live there, beside the
role checks). The page stays thin; nothing here draws.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from connectors.access import User, mask_personal_data, require_read, sees_personal_data
from connectors.sync import CellEdit, RowDelete, key_of
from gateway import reads
from gateway.masking import message_shown, request_personal_values
from gateway.reads import RowFilter
from schemas.base import ColumnSpec, blank
from schemas.i18n import _
from schemas.registry import Tab
from schemas.registry import tab as registered_tab
from schemas.rules import SEVERITY_NAMES
from ui.state import cache
from ui.table_cells import PROBLEMS, WARNING_MARK, date_text, number_text, problems_by_row, unreadable_cells, yes_no_code
from ui.table_inputs import entry

PAGE_SIZE = 200


@dataclass
class TableQuery:
    tab: str
    where: RowFilter = field(default_factory=RowFilter)  # which rows: the gateway turns it into SQL
    page: int = 1
    page_size: int = PAGE_SIZE


def enumerations(tab: Tab) -> list[ColumnSpec]:
    return [c for c in tab.columns if c.allowed]


def date_columns(tab: Tab) -> list[ColumnSpec]:
    return [c for c in tab.columns if c.kind == "date"]


def has_place(tab: Tab) -> bool:
    return tab.place_column is not None


def masked_columns(user: User, tab: Tab) -> list[str]:
    return [] if sees_personal_data(user, tab) else [c.name for c in tab.columns if c.pii]


def count(con: Any, user: User, q: TableQuery) -> int:
    """How many rows match the query (the read path checks the role; no values are read)."""
    return reads.count_rows(con, user, q.tab, rows=q.where)


def rows(con: Any, user: User, q: TableQuery, date_order: str = "day_first", total: int | None = None) -> tuple[pd.DataFrame, int]:
    """One page of the tab as this user may see it, and how many rows match in all.

    Through gateway.reads: the role is checked, personal data masked, and the view audited; the page's
    known problems (masked alike) fill in what was typed in cells that could not be read."""
    tab = registered_tab(q.tab)
    require_read(user, tab)
    # `total`: the count the page made already to offer its pages; a search over a million rows is not run twice.
    if total is None:
        total = reads.count_rows(con, user, tab, rows=q.where)
    offset = max(q.page - 1, 0) * q.page_size
    search = q.where.search.strip()
    shown = f"page {q.page}" + (f", search '{search}'" if search else "")
    frame = reads.read_tab(con, user, tab, rows=q.where, limit=q.page_size, offset=offset, what=shown)
    issues = reads.row_issues(con, user, tab.name, [int(r) for r in frame["_row"]])
    return editor_frame(user, tab, frame, date_order, issues), int(total)


def editor_frame(user: User, tab: Tab, frame: pd.DataFrame, date_order: str = "day_first",
                 issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows as the grid shows them (ui.table_cells): every cell as typed text or a code, personal data
    masked, what could not be read shown as typed, each row's problems in `PROBLEMS`, `_row` as index.

    Numbers are shown and edited as text: a number cell of the grid drops what it cannot read (the sign of
    "-50" under a minimum, "abc", "1,5OO") without a word, so the text goes as typed to the schema, whose
    message says what is wrong. Dates likewise, in the sheet's date order."""
    frame = frame.copy()
    for spec in tab.columns:
        values = frame[spec.name]
        if spec.kind == "date":
            shown = [date_text(v, date_order) for v in values]
        elif spec.kind in ("int", "float"):
            shown = [number_text(v) for v in values]
        elif spec.kind == "bool":
            shown = [yes_no_code(v) for v in values]
        else:
            shown = values.astype(object).where(values.notna(), None).tolist()
        frame[spec.name] = pd.Series(shown, index=frame.index, dtype=object)
    frame = mask_personal_data(user, tab, frame)
    hidden = set(masked_columns(user, tab))
    if issues is not None and not issues.empty:
        at = {int(r): i for i, r in zip(frame.index, frame["_row"], strict=True)}
        for (row, column), typed in unreadable_cells(issues).items():
            if row in at and column not in hidden and frame.at[at[row], column] is None:
                frame.at[at[row], column] = typed
        problems = problems_by_row(issues)
        frame[PROBLEMS] = pd.Series([problems.get(int(r)) for r in frame["_row"]], index=frame.index, dtype=object)
    return frame.set_index("_row", drop=True).rename_axis("Row")


def column_config(con: Any, user: User, tab: Tab, frame: pd.DataFrame, *, date_order: str = "day_first",
                  focus: str | None = None) -> dict[str, Any]:
    """st.data_editor's column_config from the schema: coded and yes/no columns pick labels in the reader's
    language and store the code, dates and numbers are typed as text. `focus`: the column a problem link
    opened, marked beside the row's problems (its cell is corrected in the box above the grid)."""
    config: dict[str, Any] = {}
    hidden = set(masked_columns(user, tab))
    cc = st.column_config
    for spec in tab.columns:
        title = f"{WARNING_MARK} {_(spec.title)}" if spec.name == focus else _(spec.title)
        # No `required`: the grid would silently refuse a cleared cell; the schema says "must be filled in".
        common = {"label": title, "help": _(spec.description) + (" " + _("Must be filled in.") if spec.required else "")}
        if spec.name == focus:
            common["help"] = _("Correct this cell in the box above the table.") + " " + common["help"]
        current = [str(v) for v in frame[spec.name].dropna().unique()] if spec.name in frame else []
        if spec.name in hidden:
            config[spec.name] = cc.TextColumn(title, help=_(spec.description) + " " + _("(personal data: hidden for your role)"), disabled=True)
        else:
            how = entry(spec, con, user, date_order=date_order, held=current)
            common["help"] = f"{common['help']} {how.hint}".strip()
            if how.options is not None:
                config[spec.name] = cc.SelectboxColumn(options=how.options, format_func=how.shown, **common)
            else:
                config[spec.name] = cc.TextColumn(**common)  # numbers too: see editor_frame
    if PROBLEMS in frame:
        config[PROBLEMS] = cc.TextColumn(_("Problems"), disabled=True, width="large",
                                         help=_("What is wrong in this row, as on the Data quality page. Correct the cell and save."))
    return config


def column_order(tab: Tab, frame: pd.DataFrame, focus: str | None = None) -> list[str]:
    """The row's problems first (when the page has any), then the focused column, then the tab's columns."""
    names = [c.name for c in tab.columns]
    if focus in names:
        names = [focus] + [n for n in names if n != focus]
    return ([PROBLEMS] if PROBLEMS in frame and frame[PROBLEMS].notna().any() else []) + names


ERROR_STYLE = "color: #c62828; font-weight: 600"
FOCUS_STYLE = "background-color: #fde7e9; color: #b71c1c; font-weight: 700"


def styled(frame: pd.DataFrame, focus: tuple[int, str] | None = None) -> Any:
    """The grid's data, each row's problems in the error colour and the cell a problem link opened (sheet row,
    column) highlighted. A style shows on read-only columns only: the page makes the focused column read-only
    while its cell is corrected in the box above the grid."""
    problems = PROBLEMS in frame and frame[PROBLEMS].notna().any()
    cell = focus if focus is not None and focus[0] in frame.index and focus[1] in frame.columns else None
    if not problems and cell is None:
        return frame
    style = frame.style
    if problems:
        style = style.map(lambda v: ERROR_STYLE if isinstance(v, str) and v else "", subset=[PROBLEMS])
    if cell is not None:
        style = style.map(lambda _v: FOCUS_STYLE, subset=pd.IndexSlice[[cell[0]], [cell[1]]])
    return style


def next_key(tab: Tab) -> str | None:
    """The tab's next free id (gateway.reads.next_key), worked out once per change of the cached data: a
    page turn or a keystroke reruns the page, and at a million rows the look-up scans every id. The same
    for every role (an id, never a row's values), so it is not keyed by user."""
    return _next_key(tab.name, cache().generation())


@st.cache_data(show_spinner=False, max_entries=64)
def _next_key(tab_name: str, generation: str) -> str | None:  # noqa: ARG001 - `generation` is st.cache_data's key
    return reads.next_key(cache().cursor(), registered_tab(tab_name))


def add_form_key(tab_name: str, column: str) -> str:
    """The session-state key of a field of the Tables page's add-row form."""
    return f"tables_add_{tab_name}_{column}"


def disabled_columns(user: User, tab: Tab) -> list[str]:
    """Key columns (rows are found by key: change a key by deleting and adding) and masked columns."""
    return list(tab.key) + masked_columns(user, tab)


@dataclass
class EditorChanges:
    edits: list[CellEdit] = field(default_factory=list)
    appends: list[dict[str, Any]] = field(default_factory=list)
    deletes: list[RowDelete] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.edits or self.appends or self.deletes)


def _position(ref: Any) -> int:
    return int(ref)


def _bump(key: str, step: int) -> str:
    match = re.fullmatch(r"(.*?)(\d+)", key)
    return key if match is None or step == 0 else f"{match[1]}{int(match[2]) + step:0{len(match[2])}d}"


def changes(user: User, tab: Tab, frame: pd.DataFrame, state: Mapping[str, Any] | None, next_free: str | None = None) -> EditorChanges:
    """st.data_editor's state ({"edited_rows": {pos: {col: value}}, "added_rows": [...], "deleted_rows": [...]})
    as sync edits, keyed by the rows' keys; masked columns are never sent. Rows added in the editor (where
    key columns are read-only) get the next free keys from `next_free` on."""
    out = EditorChanges()
    if not state:
        return out
    hidden = set(masked_columns(user, tab))
    names = {c.name for c in tab.columns}
    for ref, values in (state.get("edited_rows") or {}).items():
        row = frame.iloc[_position(ref)]
        key = key_of(tab, row.to_dict())
        for column, new in values.items():
            if column in names and column not in hidden and column not in tab.key:
                out.edits.append(CellEdit(tab.name, key, column, _plain(row[column]), new))
    for added in state.get("added_rows") or []:
        row = {k: v for k, v in added.items() if k in names and k not in hidden}
        if any(v not in (None, "") for v in row.values()):
            if next_free and len(tab.key) == 1 and row.get(tab.key[0]) in (None, ""):
                row[tab.key[0]] = _bump(next_free, len(out.appends))
            out.appends.append(row)
    for ref in state.get("deleted_rows") or []:
        row = frame.iloc[_position(ref)]
        old = {c: _plain(row[c]) for c in names if c not in hidden}
        out.deletes.append(RowDelete(tab.name, key_of(tab, row.to_dict()), old))
    return out


def _plain(value: Any) -> Any:
    if blank(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, dt.date)) else value


def errors_frame(user: User, tab: Tab, result: Any) -> pd.DataFrame:
    """A save's errors and warnings as a small table for the page: row key, column, what is wrong - a
    personal value the user may not see, quoted in a message, reads •••."""
    items = [*(result.errors or []), *(result.warnings or [])]
    personal = request_personal_values(user, result.request.to_payload()) if result.request is not None else set()
    return pd.DataFrame([{"Row": "/".join(e.key) if e.key else (_("new row {n}").format(n=e.new_row + 1) if e.new_row is not None else ""),
                          "Column": _(tab.column(e.column).title) if e.column in {c.name for c in tab.columns} else (e.column or ""),
                          "Severity": _(SEVERITY_NAMES.get(e.severity, e.severity)), "Problem": message_shown(e.message, personal)} for e in items])
