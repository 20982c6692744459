"""The pre-write check of a save: the cached tables with the edits applied, validated with the tabs'
schemas and the cross-tab rules; only the problems the edit brings count."""
from __future__ import annotations

import re
from typing import Any

from connectors.config import admin_settings
from connectors.sources.interface import UNSTORABLE, Grid
from connectors.store.cache import quote
from connectors.sync.request import RowError, SaveRequest
from connectors.sync.values import key_of
from schemas.base import match_headers
from schemas.i18n import _
from schemas.registry import TABS, Tab
from schemas.registry import tab as registered_tab


def _related(touched: list[str]) -> list[str]:
    """The touched tabs, the tabs they point to, the tabs that point to them, and settings."""
    known = {t.name for t in TABS}
    names = set(touched) | ({"settings"} & known)
    for tab in TABS:
        for spec in tab.columns:
            target = spec.ref.split(".")[0] if spec.ref else None
            if target and tab.name in touched:
                names.add(target)
            if target in touched:
                names.add(tab.name)
    return [t.name for t in TABS if t.name in names]


def check(cache: Any, request: SaveRequest, date_order: str = "day_first") -> tuple[list[RowError], list[RowError]]:
    """Errors and warnings the save would bring: the cached tables with the changes applied, validated with
    the tabs' schemas and the cross-tab rules; problems already known before the edit (in `_issues`) on
    cells the user did not touch are left out."""
    from schemas.validate import validate_workbook

    touched = request.tabs()
    names = _related(touched)
    cur = cache.cursor()
    grids: dict[str, Grid] = {}
    info: dict[str, dict[int, tuple[tuple[str, ...] | None, int | None, set[str]]]] = {}  # row -> (key, new row, edited)
    errors: list[RowError] = []
    for name in names:
        tab = registered_tab(name)
        names_ = [c.name for c in tab.columns]
        frame = cur.execute(f"SELECT * FROM {quote(name)} ORDER BY _row").df()
        values = frame[names_].astype(object).where(frame[names_].notna(), None).values.tolist()
        sheet_rows = [int(r) for r in frame["_row"].tolist()]
        rows = {r: v for r, v in zip(sheet_rows, values, strict=False)}
        keys = {key_of(tab, dict(zip(names_, v, strict=False))): r for r, v in rows.items()} if tab.key else {}
        info[name] = {r: (key_of(tab, dict(zip(names_, v, strict=False))) if tab.key else None, None, set()) for r, v in rows.items()}
        if name in touched:
            for edit in (e for e in request.edits if e.tab == name):
                r = keys.get(edit.key)
                if r is None:
                    errors.append(RowError(name, edit.key, edit.column, _("Row {key} is not in '{tab}' any more. Refresh and try again.").format(
                        key="/".join(edit.key), tab=tab.title)))
                    continue
                rows[r][names_.index(edit.column)] = edit.new
                info[name][r][2].add(edit.column)
            for delete in (d for d in request.deletes if d.tab == name):
                r = keys.get(delete.key)
                if r is not None:
                    rows[r] = []
                    info[name].pop(r, None)
            last = max(sheet_rows, default=1)
            for i, row in enumerate(request.appends.get(name, [])):
                r = last + 1 + i
                rows[r] = [row.get(n) for n in names_]
                info[name][r] = (key_of(tab, row) if tab.key else None, i, set(names_))
        grid_rows = [rows.get(r, []) for r in range(2, max(rows, default=1) + 1)]
        grids[name] = Grid(name, [c.title for c in tab.columns], grid_rows, first_row=2)
    _frames, issues = validate_workbook(grids, tabs=[registered_tab(n) for n in names], date_order=date_order,
                                        admin_settings=admin_settings())
    known = _known_issues(cur, names)
    warnings: list[RowError] = []
    for issue in issues:
        if issue.row is None or issue.tab not in info:
            continue
        column = _column_name(registered_tab(issue.tab), issue.column)
        key, new_row, edited = info[issue.tab].get(issue.row, (None, None, set()))
        mine = new_row is not None or column in edited
        if not mine and (issue.tab, issue.row, column) in known:
            continue
        if issue.severity == "warning" and not (mine or edited):
            continue
        found = RowError(issue.tab, key, column, issue.message, issue.severity, issue.rule, new_row)
        (errors if issue.severity == "error" else warnings).append(found)
    return errors, warnings


def _column_name(tab: Tab, header: str | None) -> str | None:
    if header is None:
        return None
    found = match_headers(tab.schema, [header])
    return next(iter(found), header)


def _known_issues(cur: Any, names: list[str]) -> set[tuple[str, int, str | None]]:
    marks = ", ".join("?" for _ in names)
    rows = cur.execute(f'SELECT tab, "row", "column" FROM _issues WHERE "row" IS NOT NULL AND tab IN ({marks})', names).fetchall()
    return {(t, int(r), _column_name(registered_tab(t), c)) for t, r, c in rows}


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # line breaks and tabs are text


def _unstorable(value: Any) -> tuple[str, str] | None:
    """(what the value holds, its code points) when it holds an invisible control character or a character
    no sheet can store (U+FFFE, U+FFFF, a lone surrogate: connectors.sources.interface.UNSTORABLE); else None."""
    if not isinstance(value, str):
        return None
    found = sorted({c for c in value if _CONTROL.match(c) or UNSTORABLE.match(c)})
    if not found:
        return None
    what = _("an invisible control character") if all(_CONTROL.match(c) for c in found) else _("a character no sheet can store")
    return what, ", ".join(f"U+{ord(c):04X}" for c in found)


def control_characters(request: SaveRequest) -> list[RowError]:
    """Values holding an invisible control character (pasted from elsewhere) or a character no sheet can store
    are refused, naming the tab, row, column and value: the sheet would keep a cell nobody can read or search,
    or could not take it at all. Line breaks and tabs are allowed."""
    errors = []
    for e in request.edits:
        found = _unstorable(e.new)
        if found:
            tab = registered_tab(e.tab)
            where = _("{tab}, row {key}, {column}").format(tab=_(tab.title), key="/".join(e.key), column=_(tab.column(e.column).title))
            errors.append(RowError(e.tab, e.key, e.column, _refused(where, e.new, *found), rule="control_character"))
    for name, rows in request.appends.items():
        tab = registered_tab(name)
        for i, row in enumerate(rows):
            for column, value in row.items():
                found = _unstorable(value)
                if found:
                    where = _("{tab}, new row {n}, {column}").format(tab=_(tab.title), n=i + 1, column=_(tab.column(column).title))
                    errors.append(RowError(name, key_of(tab, row) if tab.key else None, column, _refused(where, value, *found),
                                           rule="control_character", new_row=i))
    return errors


def _refused(where: str, value: str, what: str, codes: str) -> str:
    return _("{where}: {value} holds {what} ({codes}). Retype the value and save again.").format(
        where=where, value=repr(value), what=what, codes=codes)
