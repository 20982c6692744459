"""The audit trail as people read it (Sync & history, a row's history on the Tables page): what happened
to each row in words (edited, added, deleted, viewed), tabs and columns by their titles, and old and new
values written like the tables write them - labels for codes, Yes/No, dates "3 Apr 2018", grouped numbers -
in the reader's language. A whole row (added or deleted) reads "Kind: Loan · Kg: 100", never as JSON.

The trail itself (connectors.store.audit) keeps values as text - ISO dates, codes - so it stays sortable
and the sheet's audit_log tab readable; only what is shown is written here.
"""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from connectors.access import MASK
from schemas.base import ColumnSpec, blank
from schemas.formats import format_date, format_number, label, yes_no
from schemas.i18n import N_, _
from schemas.registry import TABS
from schemas.registry import tab as registered_tab

_TITLES = {t.name: t for t in TABS}
VIA_WORDS = {"app": N_("app"), "app (outbox)": N_("app (sent from the outbox)"), "view": N_("view")}
COLUMNS = ["at", "user", "tab", "row_key", "change", "column", "old", "new", "via"]


def change_word(column: Any, old: Any, via: Any) -> str:
    """edited (one cell), added or deleted (a whole row), viewed (a look at personal data)."""
    if via == "view":
        return _("viewed")
    if not blank(column) and column != "":
        return _("edited")
    if blank(old) or old == "":
        return _("added")
    return _("deleted")


def value_text(spec: ColumnSpec | None, text: Any) -> str:
    """One value of the trail (text as the trail keeps it) as the tables write it; what cannot be read
    that way (a text typed in a number's cell, a masked value) as it is."""
    if blank(text) or text == "":
        return ""
    text = str(text)
    if spec is None or text == MASK:
        return text
    try:
        if spec.kind == "date":
            return format_date(pd.Timestamp(text))
        if spec.kind in ("int", "float"):
            return format_number(float(text), 0 if spec.kind == "int" else 2)
        if spec.kind == "bool" and text.upper() in ("TRUE", "FALSE"):
            return yes_no(text.upper() == "TRUE")
    except (ValueError, TypeError, OverflowError):
        return text
    return label(spec, text) if spec.labels else text


def _row_text(tab: Any, text: str) -> str:
    """A whole row kept as JSON: "Title: value · Title: value", in the tab's column order."""
    try:
        row = json.loads(text)
    except (TypeError, ValueError):
        return text
    if not isinstance(row, dict):
        return text
    if tab is None:
        return " · ".join(f"{k}: {v}" for k, v in row.items())
    specs = {c.name: c for c in tab.columns}
    ordered = [c.name for c in tab.columns if c.name in row] + [k for k in row if k not in specs]
    return " · ".join(f"{_(specs[k].title) if k in specs else k}: {value_text(specs.get(k), row[k])}" for k in ordered)


def cell_text(tab_name: Any, column: Any, text: Any) -> str:
    """An old or new value of the trail as shown: a cell by its column's kind, a whole row by its columns."""
    tab = _TITLES.get(tab_name)
    if blank(column) or column == "":
        return _row_text(tab, text) if isinstance(text, str) and text.startswith("{") else ("" if blank(text) else str(text))
    spec = next((c for c in tab.columns if c.name == column), None) if tab is not None else None
    return value_text(spec, text)


def audit_shown(trail: pd.DataFrame, tab: str | None = None) -> pd.DataFrame:
    """The trail (a frame of `_audit` rows, with or without its `tab` column: then `tab` names it) as shown."""
    if trail.empty:
        return trail
    tabs = trail["tab"].tolist() if "tab" in trail else [tab] * len(trail)
    out = trail.copy()
    out["change"] = [change_word(c, o, v) for c, o, v in zip(trail["column"], trail["old"], trail["via"], strict=True)]
    for side in ("old", "new"):
        out[side] = [cell_text(t, c, x) for t, c, x in zip(tabs, trail["column"], trail[side], strict=True)]
    out["column"] = [_(registered_tab(t).column(c).title) if t in _TITLES and not blank(c) and c in {s.name for s in registered_tab(t).columns}
                     else ("" if blank(c) else c) for t, c in zip(tabs, trail["column"], strict=True)]
    if "tab" in out:
        out["tab"] = [_(_TITLES[t].title) if t in _TITLES else t for t in trail["tab"]]
    out["via"] = [_(VIA_WORDS[v]) if v in VIA_WORDS else v for v in trail["via"]]
    return out[[c for c in COLUMNS if c in out]]
