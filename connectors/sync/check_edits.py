"""The pre-write check of a save: the cached tables, typed as validation types them, with the edits applied,
checked with the tabs' schemas and the cross-tab rules; only the problems the edit brings count."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from connectors.config import admin_settings
from connectors.sources.interface import UNSTORABLE
from connectors.store.cache import quote
from connectors.sync.request import RowError, SaveRequest
from connectors.sync.values import key_of
from schemas.base import blank, match_headers
from schemas.coerce import empty_column
from schemas.i18n import _
from schemas.issue_rows import IssueRows
from schemas.registry import TABS, Tab
from schemas.registry import tab as registered_tab
from schemas.rules_context import TabFrame
from schemas.validate import cells_typed, check_typed, settings_of
from schemas.workbook_check import rules_across


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
    """Errors and warnings the save would bring: the cached tables, typed, with the changes applied (each new value
    typed as its column reads it), checked with the tabs' schemas and the cross-tab rules - no round trip through a
    grid of text; problems already known before the edit (in `_issues`) on cells the user did not touch are left
    out."""
    touched = request.tabs()
    names = _related(touched)
    cur = cache.cursor()
    frames: dict[str, TabFrame] = {}
    tabs_saved: dict[str, _Saved] = {}
    errors: list[RowError] = []
    issues = IssueRows()
    for name in names:
        tab = registered_tab(name)
        saved = _Saved(tab, _cached_frame(cur, tab))
        if name in touched:
            errors += saved.apply(request, cur)
        tab_issues = IssueRows()
        found, unreadable = saved.typed(tab_issues, date_order)
        tab_issues.extend(check_typed(found, unreadable))
        tab_issues.sort()  # in the order validation lists a tab's issues
        frames[name] = found
        tabs_saved[name] = saved
        issues.extend(tab_issues)
    settings, setting_issues = settings_of(frames.get("settings"), None, admin_settings())
    issues.extend(setting_issues)
    issues.extend(rules_across(frames, settings))
    issues.sort({name: i for i, name in enumerate(frames)})
    column_name = _ColumnNames()
    known = _known_issues(cur, names, column_name)
    warnings: list[RowError] = []
    for issue in issues:
        if issue.row is None or issue.tab not in tabs_saved:
            continue
        column = column_name(issue.tab, issue.column)
        key, new_row, edited = tabs_saved[issue.tab].about(issue.row)
        mine = new_row is not None or column in edited
        if not mine and (issue.tab, issue.row, column) in known:
            continue
        if issue.severity == "warning" and not (mine or edited):
            continue
        found_error = RowError(issue.tab, key, column, issue.message, issue.severity, issue.rule, new_row)
        (errors if issue.severity == "error" else warnings).append(found_error)
    return errors, warnings


_DTYPES = {"text": "string[pyarrow]", "int": "Int64", "float": "Float64", "bool": "boolean", "date": "datetime64[us]"}


def _cached_frame(cur: Any, tab: Tab) -> pd.DataFrame:
    """The tab's cached rows (in sheet order), each column in the dtype validation types it to."""
    names = [c.name for c in tab.columns]
    frame = cur.execute(f"SELECT {', '.join(quote(n) for n in names)}, _row FROM {quote(tab.name)} ORDER BY _row").df()
    typed = {c.name: frame[c.name].astype(_DTYPES[c.kind]) for c in tab.columns}
    typed["_row"] = frame["_row"].astype("Int64")
    return pd.DataFrame(typed, index=pd.RangeIndex(len(frame)))


class _Saved:
    """One tab as the save would leave it: the cached rows with the save's edits, deletions and new rows."""

    def __init__(self, tab: Tab, frame: pd.DataFrame) -> None:
        self.tab, self.frame = tab, frame
        self.names = [c.name for c in tab.columns]
        self.rows = frame["_row"].to_numpy(dtype=np.int64)  # sheet rows, ascending (the cache's order)
        # Sheet row -> (key, new row, edited columns), for the rows the save touches; any other row's key is read
        # when an issue names it (`about`), not for every row of every related tab.
        self.info: dict[int, tuple[tuple[str, ...] | None, int | None, set[str]]] = {}
        self.typed_in: dict[tuple[int, str], Any] = {}  # (sheet row, column) -> the value as the user gave it
        self.deleted: set[int] = set()  # positions
        self.appended: list[dict[str, Any]] = []

    def apply(self, request: SaveRequest, cur: Any) -> list[RowError]:
        """The request's changes to this tab noted (typed later, all at once); a key no longer cached is an error."""
        errors = []
        for edit in (e for e in request.edits if e.tab == self.tab.name):
            row = _row_of(cur, self.tab, edit.key)
            if row is None:
                errors.append(RowError(self.tab.name, edit.key, edit.column, _("Row {key} is not in '{tab}' any more. Refresh and try again.").format(
                    key="/".join(edit.key), tab=self.tab.title)))
                continue
            self.typed_in[(row, edit.column)] = edit.new
            self.info.setdefault(row, (edit.key, None, set()))[2].add(edit.column)
        for delete in (d for d in request.deletes if d.tab == self.tab.name):
            row = _row_of(cur, self.tab, delete.key)
            if row is not None:
                self.deleted.add(int(np.searchsorted(self.rows, row)))
                self.info[row] = (None, None, set())  # gone: an issue there is no row's
        last = int(self.rows.max()) if len(self.rows) else 1
        for i, row in enumerate(request.appends.get(self.tab.name, [])):
            if all(blank(row.get(n)) for n in self.names):
                continue  # a row with nothing in it is not a row (validation skips blank rows)
            sheet_row = last + 1 + i
            self.appended.append({"_row": sheet_row, **row})
            for name in self.names:
                self.typed_in[(sheet_row, name)] = row.get(name)
            self.info[sheet_row] = (self.tab.row_key.of(row) if self.tab.key else None, i, set(self.names))
        return errors

    def typed(self, issues: IssueRows, date_order: str) -> tuple[TabFrame, dict[str, set[int]]]:
        """The tab as validation would have typed it, and the positions of the new values it could not read."""
        frame = self.frame
        if self.deleted:
            frame = frame.drop(index=sorted(self.deleted)).reset_index(drop=True)
        if self.appended:
            added = pd.DataFrame({c.name: empty_column(c, len(self.appended)) for c in self.tab.columns})
            added["_row"] = pd.array([r["_row"] for r in self.appended], dtype="Int64")
            frame = pd.concat([frame, added], ignore_index=True)
        header = [c.title for c in self.tab.columns]
        found = TabFrame(self.tab, frame, header, {n: i for i, n in enumerate(self.names)}, _SavedRows(frame, self.names, self.typed_in))
        rows = frame["_row"].to_numpy(dtype=np.int64)
        unreadable: dict[str, set[int]] = {}
        by_column: dict[str, list[tuple[int, Any]]] = {}
        for (row, column), value in self.typed_in.items():
            position = _position(rows, row)
            if position is not None:  # not a deleted row's
                by_column.setdefault(column, []).append((position, value))
        for column, cells in by_column.items():
            positions = np.array([p for p, _v in cells], dtype=np.int64)
            raw = np.array([v for _p, v in cells] + [None], dtype=object)[:-1]  # [None]: a list value stays one cell
            coerced = cells_typed(found, self.tab.column(column), raw, rows[positions], issues, date_order=date_order)
            values = frame[column].array.copy()
            values[positions] = coerced.values
            frame[column] = values
            for bad in coerced.bad.values():
                unreadable.setdefault(column, set()).update(positions[bad].tolist())
        return found, unreadable


    def about(self, row: int) -> tuple[tuple[str, ...] | None, int | None, set[str]]:
        """(key, new row, edited columns) of a sheet row an issue names; an untouched row's key as cached."""
        if row in self.info:
            return self.info[row]
        position = _position(self.rows, row)
        if position is None or not self.tab.key:
            return None, None, set()
        return self.tab.row_key.of({k: self.frame[k].iat[position] for k in self.tab.key}), None, set()


def _position(rows: np.ndarray, row: int) -> int | None:
    """Where sheet row `row` is in ascending `rows`, or None."""
    position = int(np.searchsorted(rows, row))
    return position if position < len(rows) and rows[position] == row else None


def _row_of(cur: Any, tab: Tab, key: tuple[str, ...]) -> int | None:
    """The cached row of a key (the last, if two hold it): the cache finds it as the cache update does."""
    found = cur.execute(f"SELECT max(_row) FROM {quote(tab.name)} WHERE {tab.row_key.where_sql(quote)}", list(key)).fetchone()[0]
    return None if found is None else int(found)


class _SavedRows:
    """The cells a save's check quotes in its messages ("'Kg' is -5"), as a grid's rows: a saved cell as the user
    gave it, any other as the cache holds it. Built one row at a time, only for the rows an issue names."""

    first_row = 2

    def __init__(self, frame: pd.DataFrame, names: list[str], typed_in: dict[tuple[int, str], Any]) -> None:
        self._frame, self._names, self._typed_in = frame, names, typed_in
        self._rows = frame["_row"].to_numpy(dtype=np.int64)

    @property
    def rows(self) -> _SavedRows:
        return self

    def __getitem__(self, index: int) -> list[Any]:
        row = index + self.first_row
        position = int(np.searchsorted(self._rows, row))
        if position >= len(self._rows) or self._rows[position] != row:
            return []
        return [self._typed_in[(row, n)] if (row, n) in self._typed_in else _plain(self._frame[n].iat[position]) for n in self._names]


def _plain(value: Any) -> Any:
    return None if blank(value) else value


class _ColumnNames(dict):
    """(tab, column as an issue names it: its header as written in the sheet, or our title) -> schema name; each
    header matched once, however many issues name it."""

    def __call__(self, tab_name: str, header: str | None) -> str | None:
        return None if header is None else self[(tab_name, header)]

    def __missing__(self, wanted: tuple[str, str]) -> str:
        tab_name, header = wanted
        self[wanted] = next(iter(match_headers(registered_tab(tab_name).schema, [header])), header)
        return self[wanted]


def _known_issues(cur: Any, names: list[str], column_name: _ColumnNames) -> set[tuple[str, int, str | None]]:
    marks = ", ".join("?" for _ in names)
    rows = cur.execute(f'SELECT tab, "row", "column" FROM _issues WHERE "row" IS NOT NULL AND tab IN ({marks})', names).fetchall()
    return {(t, int(r), column_name(t, c)) for t, r, c in rows}


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
