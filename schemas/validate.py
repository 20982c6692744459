"""Validate what was read: raw grids in, typed frames and issues in the sheet's terms out.

Per tab: match the header row, apply merged cells and skip a second header row (schemas.sheet_shapes),
coerce each column (schemas.coerce), skip blank rows, run the tab's pandera schema lazily (every
failure, not the first) and map each failure back to the sheet's row, header as written, A1 cell and
the value as read; then duplicate keys. Across tabs: foreign keys and the programmes' rules (registered
with `@cross_tab_rule` in each programme's schema module); a rule that had to leave rows out says so
once per tab (`rules.not_checked`).

Never raises on bad data: whatever a sheet holds, the answer is frames plus issues.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as pc
from pandas._libs import lib

from schemas.base import ColumnSpec, header_names, match_headers, normalise_header
from schemas.checks import column_failures
from schemas.coerce import DATE_FORMATS, NUMBER_LIMIT, Coerced, coerce_column, empty_column
from schemas.grid import Grid
from schemas.issue_rows import IssueRows
from schemas.issues import Issue, column_letter
from schemas.rules import RULES, show
from schemas.rules_context import Link, TabFrame, amount, as_read, make_issue
from schemas.settings import BY_KEY as SETTING_SPECS
from schemas.sheet_shapes import MergedCells, apply_merges, second_header_row
from schemas.tab import Tab
from schemas.vector import pa_array
from schemas.workbook_check import WorkbookCheck

__all__ = ["RULES", "TabFrame", "cells_typed", "check_typed", "pa_array", "validate_tab", "validate_workbook"]


def validate_tab(tab: Tab, grid: Grid | None, *, date_order: str = "day_first", link: Link | None = None) -> tuple[TabFrame, IssueRows]:
    """One tab: typed frame (blank rows skipped, `_row` = sheet row) and its issues."""
    specs = tab.columns
    if grid is None:
        headers = ", ".join(s.title for s in specs)
        frame = _frame({s.name: empty_column(s, 0) for s in specs}, np.array([], dtype=np.int64))
        return TabFrame(tab, frame, [], {}), IssueRows([make_issue("tab.missing", tab.name, None, None, None, headers=headers)])
    header = ["" if h is None else str(h) for h in grid.header]
    columns = match_headers(tab.schema, header)
    issues = IssueRows(_header_issues(tab, header, columns, link))
    grid, merged, second = shaped(tab, grid, columns)
    if second is not None:
        issues.append(make_issue("header.second_row", tab.name, grid.sheet_row(second), None, None, None, link))
    width = max(len(header), 1)
    cells = _cells(grid.rows, width)
    n = len(cells)
    blank_row = np.ones(n, dtype=bool)
    typed: dict[str, Any] = {}
    unreadable: list[tuple[ColumnSpec, str, np.ndarray, dict[str, list] | None]] = []
    forms: list[tuple[ColumnSpec, np.ndarray, Any]] = []  # cells read from a human form: a warning each
    for spec in specs:
        if spec.name not in columns:
            typed[spec.name] = empty_column(spec, n)
            continue
        # A contiguous copy costs less than the strided reads of a column of the 2-D grid.
        coerced = coerce_column(np.ascontiguousarray(cells[:, columns[spec.name]]), spec, date_order)
        typed[spec.name] = coerced.values
        blank_row &= coerced.blank
        unreadable += [(spec, rule, positions, coerced.fields.get(rule)) for rule, positions in coerced.bad.items()]
        if len(coerced.read_as):
            forms.append((spec, coerced.read_as, coerced.values))
    used = set(columns.values())
    for index in range(cells.shape[1]):
        if index not in used and blank_row.any():
            blank_row &= _blank(cells[:, index])
    keep = np.flatnonzero(~blank_row)
    rows = grid.first_row + keep
    if len(keep) < n:  # taking every row would only copy the lot
        typed = {name: values[keep] for name, values in typed.items()}
    frame = _frame(typed, rows)
    found = TabFrame(tab, frame, header, columns, grid)

    date_format, example = DATE_FORMATS.get(date_order, DATE_FORMATS["day_first"])
    already: dict[str, set[int]] = {}
    new_position = np.cumsum(~blank_row) - 1
    echoes = _echoes(merged)  # a merge's value in the rows it covers: its issues are the first row's
    for spec, rule, positions, row_fields in unreadable:
        index = columns[spec.name]
        already.setdefault(spec.name, set()).update(new_position[positions].tolist())
        extra = {"unit": spec.unit} if rule == "cell.wrong_unit" else {"date_format": date_format, "example": example}
        extra.update(_bound(spec, rule))
        shown = _not_echoes(positions, echoes.get(index))
        if row_fields is not None and len(shown) < len(positions):
            row_fields = {k: [v for v, keep in zip(values, np.isin(positions, shown), strict=False) if keep] for k, values in row_fields.items()}
        issues.add_cells(rule, tab.name, header[index], index, grid.first_row + shown,
                         [as_read(v) for v in cells[shown, index].tolist()], link, row_fields, **extra)
    for spec, positions, values in forms:
        index = columns[spec.name]
        positions = _not_echoes(positions, echoes.get(index))
        issues.add_cells("cell.read_as", tab.name, header[index], index, grid.first_row + positions,
                         [as_read(v) for v in cells[positions, index].tolist()], link, _read_as(spec, values, positions))
    _merge_issues(issues, found, merged, new_position, already, link)
    _schema_issues(issues, found, already, link, {name: new_position[echoes[index]] for name, index in columns.items() if index in echoes})
    _duplicate_keys(issues, found, link)
    issues.sort()
    return found, issues


def cells_typed(found: TabFrame, spec: ColumnSpec, raw: np.ndarray, sheet_rows: np.ndarray, issues: IssueRows, *,
                date_order: str = "day_first", link: Link | None = None) -> Coerced:
    """Some cells of one column (a save's new values) typed as `validate_tab` types a column, with the same
    issues: a cell that cannot be read (`bad`: nulls in `values`), one read from words ("cell.read_as")."""
    coerced = coerce_column(raw, spec, date_order)
    index = found.columns[spec.name]
    date_format, example = DATE_FORMATS.get(date_order, DATE_FORMATS["day_first"])
    for rule, positions in coerced.bad.items():
        extra = {"unit": spec.unit} if rule == "cell.wrong_unit" else {"date_format": date_format, "example": example}
        extra.update(_bound(spec, rule))
        issues.add_cells(rule, found.tab.name, found.header[index], index, sheet_rows[positions],
                         [as_read(v) for v in raw[positions].tolist()], link, coerced.fields.get(rule), **extra)
    if len(coerced.read_as):
        issues.add_cells("cell.read_as", found.tab.name, found.header[index], index, sheet_rows[coerced.read_as],
                         [as_read(v) for v in raw[coerced.read_as].tolist()], link, _read_as(spec, coerced.values, coerced.read_as))
    return coerced


def check_typed(found: TabFrame, unreadable: dict[str, set[int]], link: Link | None = None) -> IssueRows:
    """The checks `validate_tab` makes once a tab is typed - the schema's column checks and duplicate keys - on a
    tab typed already (a save's rows, as the cache holds them with the save's values in). `unreadable`: column ->
    frame positions reported unreadable (by `cells_typed`), not reported blank again."""
    issues = IssueRows()
    _schema_issues(issues, found, unreadable, link)
    _duplicate_keys(issues, found, link)
    issues.sort()
    return issues


def validate_workbook(grids: dict[str, Grid], *, tabs: list[Tab] | None = None, date_order: str = "day_first",
                      link: Link | None = None, admin_settings: dict[str, Any] | None = None) -> tuple[dict[str, TabFrame], IssueRows]:
    """Every registered tab (or `tabs`), then the rules across tabs. A missing tab is one issue.
    `admin_settings`: programme settings an admin set in the secrets file (connectors.config.admin_settings),
    the only way to lower a privacy setting below its default. One run of schemas.workbook_check (which a
    refresh keeps between reads, to check only what changed)."""
    checked = new_check().run(grids, tabs=tabs, date_order=date_order, link=link, admin_settings=admin_settings)
    return checked.frames, checked.issues


def new_check() -> WorkbookCheck:
    """A validation that remembers its answer, so the next run redoes only what changed (a refresh keeps one)."""
    return WorkbookCheck(validate_tab, settings_of, shaped)


def shaped(tab: Tab, grid: Grid, columns: dict[str, int]) -> tuple[Grid, list[MergedCells], int | None]:
    """The grid with its merges applied and its second header row (position returned) emptied; the same
    grid when it has neither."""
    grid, merged = apply_merges(grid, {columns[k] for k in tab.key if k in columns})
    second = second_header_row(tab.columns, ["" if h is None else str(h) for h in grid.header], columns, grid)
    if second is not None:
        grid = replace(grid, rows=[*grid.rows[:second], [], *grid.rows[second + 1:]])
    return grid, merged, second


def users_without_admin(frames: dict[str, TabFrame]) -> list[Issue]:
    """users.no_admin, for a source whose app has sign-in on (the caller knows; schemas read no settings): no
    row of the users tab is an admin - or there is no row, or no tab, at all."""
    found = frames.get("users")
    if found is None:  # the users tab was not among those checked
        return []
    if "role" in found.columns and (found.frame["role"] == "admin").any():
        return []
    column = found.columns.get("role")
    return [make_issue("users.no_admin", "users", None, found.header[column] if column is not None else None, column)]


# --- per tab ------------------------------------------------------------------------------

def _read_as(spec: ColumnSpec, values: Any, positions: np.ndarray) -> dict[str, list]:
    """How each cell read from a human form was read: a date (written in the reader's language when the
    message is) or a number."""
    if spec.kind == "date":
        return {"read_date": [str(v)[:10] for v in np.asarray(values[positions], dtype="datetime64[D]")]}
    return {"read_as": [amount(v) for v in values[positions].tolist()]}


def _echoes(merged: list[MergedCells]) -> dict[int, np.ndarray]:
    """Column index -> positions in grid.rows that hold a merge's value without being its first cell."""
    out: dict[int, list[int]] = {}
    for merge in merged:
        if merge.rule == "cell.merged":
            out.setdefault(merge.merge.start_column, []).extend(merge.positions[1:])
    return {index: np.array(sorted(positions), dtype=np.int64) for index, positions in out.items()}


def _not_echoes(positions: np.ndarray, echoes: np.ndarray | None) -> np.ndarray:
    return positions if echoes is None else positions[~np.isin(positions, echoes)]


def _merge_issues(issues: IssueRows, found: TabFrame, merged: list[MergedCells], new_position: np.ndarray,
                  already: dict[str, set[int]], link: Link | None) -> None:
    """One issue per merge in a known column, saying the value as the column reads it; the key cells a merge
    left blank are not reported blank again."""
    names = {index: name for name, index in found.columns.items()}
    grid, tab = found.grid, found.tab
    for merge in merged:
        name = names.get(merge.merge.start_column)
        if name is None:
            continue  # a column the back office does not read
        first, last = grid.sheet_row(merge.positions[0]), grid.sheet_row(merge.positions[-1])
        typed = found.frame[name].iat[int(new_position[merge.positions[0]])]
        if pd.isna(typed) or tab.column(name).kind not in ("date", "int", "float"):
            read = {"read_as": show(as_read(merge.value))}
        else:
            read = _read_as(tab.column(name), found.frame[name].array, np.array([int(new_position[merge.positions[0]])]))
            read = {key: values[0] for key, values in read.items()}
        issues.append(make_issue(merge.rule, tab.name, first, found.header[merge.merge.start_column], merge.merge.start_column,
                                 merge.value, link, range=merge.merge.a1(), first_row=first, last_row=last, **read))
        if merge.rule == "cell.merged_key":
            already.setdefault(name, set()).update(new_position[list(merge.positions[1:])].tolist())


def _frame(columns: dict[str, Any], rows: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    frame["_row"] = pd.array(rows, dtype="Int64")
    return frame


def _cells(rows: list, width: int) -> np.ndarray:
    """The data rows as one 2-D object array, short rows padded with None (pandas does it in C)."""
    if not rows:
        return np.empty((0, width), dtype=object)
    try:
        return lib.to_object_array(rows, min_width=width)
    except TypeError:  # rows given as tuples or other sequences
        return lib.to_object_array([list(r) for r in rows], min_width=width)


def _blank(raw: np.ndarray) -> np.ndarray:
    blank = pd.isna(raw) | (raw == "")
    rest = np.flatnonzero(~blank)
    if len(rest):
        blank[rest] = [isinstance(v, str) and not v.strip() for v in raw[rest]]
    return blank


def _header_issues(tab: Tab, header: list[str], columns: dict[str, int], link: Link | None) -> list[Issue]:
    issues = []
    for spec in tab.columns:
        if spec.name not in columns and spec.required:
            issues.append(make_issue("header.missing_column", tab.name, None, spec.title, None))
    known = header_names(tab.schema)
    first_at: dict[str, int] = {}
    for index, text in enumerate(header):
        name = normalise_header(text)
        if not name:
            continue
        if name in first_at:
            issues.append(make_issue("header.duplicate", tab.name, 1, text, index, text, link,
                                     first=f"{column_letter(first_at[name])}1"))
        elif name not in known:
            issues.append(make_issue("header.unknown_column", tab.name, 1, text, index, text, link,
                                     known=", ".join(s.title for s in tab.columns)))
        first_at.setdefault(name, index)
    return issues


_CHECK_RULES = {"isin": "value.not_allowed", "greater_than_or_equal_to": "value.too_small",
                "less_than_or_equal_to": "value.too_large", "str_matches": "value.bad_format",
                "not_nullable": "value.missing"}


def _schema_issues(issues: IssueRows, found: TabFrame, already: dict[str, set[int]], link: Link | None,
                   echoes: dict[str, np.ndarray] | None = None) -> None:
    """The schema's column checks; each failing check one batch of rows. Blank cells already reported
    unreadable, columns the sheet lacks (reported once as a header problem) and the rows a merge's value
    covers after its first (`echoes`: reported there) are not reported again."""
    failures = column_failures(found.tab.schema, found.frame)
    if failures is None:
        failures = _pandera_failures(found)
    specs = {s.name: s for s in found.tab.columns}
    for column, check, positions, text in failures:
        spec = specs.get(column)
        if spec is None or column not in found.columns:
            continue
        rule = _CHECK_RULES.get(check, "value.invalid")
        if rule == "value.missing":
            skip = already.get(column, ())
            if skip:
                positions = np.array([p for p in positions.tolist() if p not in skip], dtype=np.int64)
        else:
            found.invalid.setdefault(column, []).extend(positions.tolist())
        if echoes and column in echoes:
            positions = _not_echoes(positions, echoes[column])
        _cell_issues(issues, found, rule, positions, spec, link, check=text)


def _pandera_failures(found: TabFrame) -> list[tuple[str, str, np.ndarray, str]]:
    """Pandera, lazily (for a schema with checks schemas.checks does not run itself)."""
    try:
        found.tab.schema.validate(found.frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    out = []
    for column, check, position in zip(failures["column"], failures["check"], failures["index"], strict=True):
        if position is None or pd.isna(position):
            continue
        out.append((column, str(check).split("(")[0], np.array([int(position)]), str(check)))
    return out


def _cell_issues(issues: IssueRows, found: TabFrame, rule: str, positions: np.ndarray, spec: ColumnSpec, link: Link | None,
                 row_fields: dict[str, list] | None = None, **fields: Any) -> None:
    index = found.columns[spec.name]
    fields.update(_bound(spec, rule))
    issues.add_cells(rule, found.tab.name, found.header[index], index, found.sheet_rows(positions),
                     found.raw_values(positions, spec.name), link, row_fields,
                     allowed=", ".join(spec.allowed or ()), description=spec.description, **fields)


def _bound(spec: ColumnSpec, rule: str) -> dict[str, str]:
    """The limit a too-large or too-small value broke: the column's own, else the one every number has."""
    if rule == "value.too_small":
        return {"bound": show(spec.ge if spec.ge is not None else -int(NUMBER_LIMIT))}
    if rule == "value.too_large":
        return {"bound": show(spec.le if spec.le is not None else int(NUMBER_LIMIT))}
    return {}


def _duplicate_keys(issues: IssueRows, found: TabFrame, link: Link | None) -> None:
    key = list(found.tab.key)
    if not key or not found.complete(*key) or found.frame.empty:
        return
    keys = found.frame[key]
    if len(key) == 1:  # the usual case, and a hash of unique values is 3x cheaper than duplicated()
        values = pa_array(keys[key[0]])
        if len(pc.unique(values)) == len(values) - values.null_count + (1 if values.null_count else 0):
            return
    filled = keys.notna().all(axis=1).to_numpy()
    repeated = np.flatnonzero(keys.duplicated(keep="first").to_numpy() & filled)
    if not len(repeated):
        return
    first_rows: dict[tuple, int] = {}
    for position, values in enumerate(keys.itertuples(index=False, name=None)):
        first_rows.setdefault(values, found.sheet_row(position))
    first = [first_rows[tuple(keys.iloc[int(p)])] for p in repeated]
    _cell_issues(issues, found, "key.duplicate", repeated, found.tab.column(key[0]), link, {"first_row": first})


def settings_of(found: TabFrame | None, link: Link | None, admin: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """The programme settings the rules use, each read by its own rule (schemas.settings); the default where
    a key is absent or blank, and where its value is refused - then one issue at the value's cell. The first
    row of a key counts (a second one is a duplicate key, reported as such)."""
    floors = {key: SETTING_SPECS[key].floor_from(value) for key, value in admin.items() if key in SETTING_SPECS}
    values = {key: spec.read(None, floors.get(key)).value for key, spec in SETTING_SPECS.items()}
    issues: list[Issue] = []
    if found is None or not found.complete("key", "value"):
        return values, issues
    frame = found.frame
    seen: set[str] = set()
    for position, (key, text) in enumerate(zip(frame["key"], frame["value"], strict=True)):
        if pd.isna(key) or key not in SETTING_SPECS or key in seen:
            continue
        seen.add(key)
        reading = SETTING_SPECS[key].read(None if pd.isna(text) else text, floors.get(key))
        values[key] = reading.value
        if reading.problem:
            index = found.columns["value"]
            issues.append(make_issue("settings.bad_value", found.tab.name, int(frame["_row"].iat[position]),
                                     found.header[index], index, found.raw(position, "value"), link,
                                     key=key, default=reading.default, problem=reading.problem, **reading.fields))
    return values, issues
