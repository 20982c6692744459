"""What the generic Tables page needs, read from the registry: rows (searched, filtered, paged, masked),
column types for st.data_editor, and the editor's changes turned into `connectors.sync` edits. Its
queries go through the gateway's `gateway.reads` (foreign-key labels and the next free key live there, beside the
role checks). The page stays thin; nothing here draws.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd
import streamlit as st

from connectors.access import User, mask_personal_data, require_read, sees_personal_data
from connectors.store.cache import quote
from connectors.sync import CellEdit, RowDelete, key_of
from gateway import reads
from gateway.masking import message_shown, request_personal_values
from gateway.reads import fk_labels  # noqa: F401  (the page reads them from here)
from schemas.base import ColumnSpec
from schemas.formats import label
from schemas.i18n import _
from schemas.registry import Tab
from schemas.registry import tab as registered_tab
from schemas.rules import SEVERITY_NAMES
from ui.state import cache

PAGE_SIZE = 200


@dataclass
class TableQuery:
    tab: str
    search: str = ""
    choices: dict[str, list[str]] = field(default_factory=dict)  # enumeration column -> values kept
    dates: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)  # date column -> (from, to)
    place: str | None = None  # a gazetteer code (province ... village); rows whose place column starts with it
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


def _where(user: User, tab: Tab, q: TableQuery) -> tuple[str, list[Any]]:
    hidden = set(masked_columns(user, tab))
    where, params = [], []
    if q.search.strip():
        searchable = [c.name for c in tab.columns if c.name not in hidden]  # masked columns are no search oracle
        where.append("(" + " OR ".join(f"CAST({quote(c)} AS VARCHAR) ILIKE ?" for c in searchable) + ")")
        params += [f"%{q.search.strip()}%"] * len(searchable)
    for column, values in q.choices.items():
        if values:
            where.append(f"{quote(column)} IN ({', '.join('?' for _ in values)})")
            params += list(values)
    for column, (start, end) in q.dates.items():
        where.append(f"{quote(column)} BETWEEN ? AND ?")
        params += [start, end]
    if q.place and has_place(tab):
        where.append(f"{quote(tab.place_column)} LIKE ?")
        params.append(q.place + "%")
    return " AND ".join(where), params


def count(con: Any, user: User, q: TableQuery) -> int:
    """How many rows match the query (the read path checks the role; no values are read)."""
    tab = registered_tab(q.tab)
    where, params = _where(user, tab, q)
    return reads.count_rows(con, user, tab, where=where, params=params)


def rows(con: Any, user: User, q: TableQuery) -> tuple[pd.DataFrame, int]:
    """One page of the tab as this user may see it, and how many rows match in all.

    Through gateway.reads: the role is checked, personal data masked, and the view audited."""
    tab = registered_tab(q.tab)
    require_read(user, tab)
    where, params = _where(user, tab, q)
    total = reads.count_rows(con, user, tab, where=where, params=params)
    offset = max(q.page - 1, 0) * q.page_size
    shown = f"page {q.page}" + (f", search '{q.search.strip()}'" if q.search.strip() else "")
    frame = reads.read_tab(con, user, tab, where=where, params=params, limit=q.page_size, offset=offset, what=shown)
    return editor_frame(user, tab, frame), int(total)


def editor_frame(user: User, tab: Tab, frame: pd.DataFrame) -> pd.DataFrame:
    """Types st.data_editor shows well (dates as dates, text as objects), personal data masked, `_row` as index.

    Numbers are shown and edited as text: a number cell of the grid drops what it cannot read (the sign of
    "-50" under a minimum, "abc", "1,5OO") without a word, so the text goes as typed to the schema, whose
    message says what is wrong."""
    frame = frame.copy()
    for spec in tab.columns:
        if spec.kind == "date":
            frame[spec.name] = pd.Series([None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[spec.name]],
                                         index=frame.index, dtype=object)
        elif spec.kind in ("int", "float"):
            frame[spec.name] = pd.Series([number_text(v) for v in frame[spec.name]], index=frame.index, dtype=object)
        elif spec.kind == "text":
            frame[spec.name] = frame[spec.name].astype(object).where(frame[spec.name].notna(), None)
    frame = mask_personal_data(user, tab, frame)
    return frame.set_index("_row", drop=True).rename_axis("Row")


def number_text(value: Any) -> str | None:
    """A cached number as a person would type it: 70.0 -> "70", 0.5 -> "0.5"; blank -> None."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def column_config(con: Any, user: User, tab: Tab, frame: pd.DataFrame, *, existing: bool = True) -> dict[str, Any]:
    """st.data_editor's column_config from the schema."""
    config: dict[str, Any] = {}
    hidden = set(masked_columns(user, tab))
    cc = st.column_config
    for spec in tab.columns:
        # No `required`: the grid would silently refuse a cleared cell; the schema says "must be filled in".
        common = {"label": _(spec.title), "help": _(spec.description) + (" " + _("Must be filled in.") if spec.required else "")}
        if spec.name in hidden:
            config[spec.name] = cc.TextColumn(_(spec.title), help=_(spec.description) + " " + _("(personal data: hidden for your role)"), disabled=True)
        elif spec.allowed:
            config[spec.name] = cc.SelectboxColumn(options=list(spec.allowed), format_func=lambda v, spec=spec: label(spec, v), **common)
        elif spec.ref:
            labels = fk_labels(con, user, spec.ref)
            if labels:
                current = [str(v) for v in frame[spec.name].dropna().unique()] if spec.name in frame else []
                options = list(labels) + [v for v in current if v not in labels]
                config[spec.name] = cc.SelectboxColumn(options=options, format_func=lambda v, labels=labels: labels.get(v, v), **common)
            else:
                config[spec.name] = cc.TextColumn(**common)
        elif spec.kind == "date":
            config[spec.name] = cc.DateColumn(format="DD MMM YYYY", **common)  # "21 Feb 2016", as schemas.formats
        elif spec.kind in ("int", "float"):
            config[spec.name] = cc.TextColumn(**common)  # as text: see editor_frame
        elif spec.kind == "bool":
            config[spec.name] = cc.CheckboxColumn(**common)
        else:
            config[spec.name] = cc.TextColumn(**common)
    return config


def next_key(tab: Tab) -> str | None:
    """The tab's next free id (gateway.reads.next_key), worked out once per change of the cached data: a
    page turn or a keystroke reruns the page, and at a million rows the look-up scans every id. The same
    for every role (an id, never a row's values), so it is not keyed by user."""
    return _next_key(tab.name, cache().generation())


@st.cache_data(show_spinner=False, max_entries=64)
def _next_key(tab_name: str, generation: str) -> str | None:
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


def _position(frame: pd.DataFrame, ref: Any) -> int:
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
        row = frame.iloc[_position(frame, ref)]
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
        row = frame.iloc[_position(frame, ref)]
        old = {c: _plain(row[c]) for c in names if c not in hidden}
        out.deletes.append(RowDelete(tab.name, key_of(tab, row.to_dict()), old))
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, dt.date)) else value


def errors_frame(user: User, tab: Tab, result: Any) -> pd.DataFrame:
    """A save's errors and warnings as a small table for the page: row key, column, what is wrong - a
    personal value the user may not see, quoted in a message, reads •••."""
    items = [*(result.errors or []), *(result.warnings or [])]
    personal = request_personal_values(user, result.request.to_payload()) if result.request is not None else set()
    return pd.DataFrame([{"Row": "/".join(e.key) if e.key else (_("new row {n}").format(n=e.new_row + 1) if e.new_row is not None else ""),
                          "Column": _(tab.column(e.column).title) if e.column in {c.name for c in tab.columns} else (e.column or ""),
                          "Severity": _(SEVERITY_NAMES.get(e.severity, e.severity)), "Problem": message_shown(user, e.message, personal)} for e in items])
