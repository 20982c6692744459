"""Validate what was read: raw grids in, typed frames and issues in the sheet's terms out.

Per tab: match the header row, coerce each column (schemas.coerce), skip blank rows, run the tab's
pandera schema lazily (every failure, not the first) and map each failure back to the sheet's row,
header as written, A1 cell and the value as read; then duplicate keys. Across tabs: foreign keys and
the programmes' rules (registered with `@cross_tab_rule` in each programme's schema module).

Never raises on bad data: whatever a sheet holds, the answer is frames plus issues.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as pc
from pandas._libs import lib

from schemas.base import ColumnSpec, match_headers, normalise_header
from schemas.checks import column_failures
from schemas.coerce import DATE_FORMATS, coerce_column, empty_column
from schemas.grid import Grid
from schemas.issue_rows import IssueRows
from schemas.issues import Issue, column_letter
from schemas.registry import TABS, Tab
from schemas.rules import RULES, show
from schemas.rules_context import CROSS_TAB_RULES, Book, Link, TabFrame, as_read, make_issue
from schemas.settings import rule_numbers
from schemas.vector import pa_array

__all__ = ["RULES", "TabFrame", "validate_tab", "validate_workbook", "SETTING_DEFAULTS", "pa_array"]

# Programme settings the rules read from the settings tab, with the value used when it is absent.
SETTING_DEFAULTS = rule_numbers()  # from the one typed table, schemas/settings.py


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
    width = max(len(header), 1)
    cells = _cells(grid.rows, width)
    n = len(cells)
    blank_row = np.ones(n, dtype=bool)
    typed: dict[str, Any] = {}
    unreadable: list[tuple[ColumnSpec, str, np.ndarray]] = []
    for spec in specs:
        if spec.name not in columns:
            typed[spec.name] = empty_column(spec, n)
            continue
        # A contiguous copy costs less than the strided reads of a column of the 2-D grid.
        coerced = coerce_column(np.ascontiguousarray(cells[:, columns[spec.name]]), spec, date_order)
        typed[spec.name] = coerced.values
        blank_row &= coerced.blank
        unreadable += [(spec, rule, positions) for rule, positions in coerced.bad.items()]
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
    for spec, rule, positions in unreadable:
        index = columns[spec.name]
        already.setdefault(spec.name, set()).update(new_position[positions].tolist())
        issues.add_cells(rule, tab.name, header[index], index, grid.first_row + positions,
                         [as_read(v) for v in cells[positions, index].tolist()], link, date_format=date_format, example=example)
    _schema_issues(issues, found, already, link)
    _duplicate_keys(issues, found, link)
    issues.sort()
    return found, issues


def validate_workbook(grids: dict[str, Grid], *, tabs: list[Tab] | None = None, date_order: str = "day_first",
                      link: Link | None = None) -> tuple[dict[str, TabFrame], IssueRows]:
    """Every registered tab (or `tabs`), then the rules across tabs. A missing tab is one issue."""
    frames: dict[str, TabFrame] = {}
    issues = IssueRows()
    for tab in tabs if tabs is not None else TABS:
        frames[tab.name], found = validate_tab(tab, grids.get(tab.name), date_order=date_order, link=link)
        issues.extend(found)
    settings, setting_issues = _settings(frames.get("settings"), link)
    issues.extend(setting_issues)
    book = Book(frames, settings, link)
    for rule in CROSS_TAB_RULES:
        issues.extend(rule(book))  # single issues, or a batch of rows from a vectorised rule
    issues.sort({name: i for i, name in enumerate(frames)})  # stable: per-tab order kept
    return frames, issues


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
    known = {normalise_header(s.name) for s in tab.columns} | {normalise_header(s.title) for s in tab.columns}
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


def _schema_issues(issues: IssueRows, found: TabFrame, already: dict[str, set[int]], link: Link | None) -> None:
    """The schema's column checks; each failing check one batch of rows. Blank cells already reported
    unreadable, and columns the sheet lacks (reported once as a header problem), are not reported again."""
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
        _cell_issues(issues, found, rule, positions, spec, link, check=text)


def _pandera_failures(found: TabFrame) -> list[tuple[str, str, np.ndarray, str]]:
    """Pandera, lazily (for a schema with checks schemas.checks does not run itself)."""
    try:
        found.tab.schema.validate(found.frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    out = []
    for column, check, position in zip(failures["column"], failures["check"], failures["index"]):
        if position is None or pd.isna(position):
            continue
        out.append((column, str(check).split("(")[0], np.array([int(position)]), str(check)))
    return out


def _cell_issues(issues: IssueRows, found: TabFrame, rule: str, positions: np.ndarray, spec: ColumnSpec, link: Link | None,
                 row_fields: dict[str, list] | None = None, **fields: Any) -> None:
    index = found.columns[spec.name]
    bound = spec.ge if rule == "value.too_small" else spec.le
    if bound is not None:
        fields["bound"] = show(bound)
    issues.add_cells(rule, found.tab.name, found.header[index], index, found.sheet_rows(positions),
                     found.raw_values(positions, spec.name), link, row_fields,
                     allowed=", ".join(spec.allowed or ()), description=spec.description, **fields)


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


def _settings(found: TabFrame | None, link: Link | None) -> tuple[dict[str, float], list[Issue]]:
    """The programme settings the rules use, read from the settings tab; defaults where absent."""
    values = dict(SETTING_DEFAULTS)
    issues: list[Issue] = []
    if found is None or not found.complete("key", "value"):
        return values, issues
    frame = found.frame
    for position, (key, value) in enumerate(zip(frame["key"], frame["value"])):
        if pd.isna(key) or key not in SETTING_DEFAULTS or pd.isna(value):
            continue
        number = pd.to_numeric(str(value).replace(",", ""), errors="coerce")
        if pd.isna(number):
            index = found.columns["value"]
            issues.append(make_issue("settings.bad_value", found.tab.name, int(frame["_row"].iat[position]),
                                     found.header[index], index, found.raw(position, "value"), link,
                                     key=key, default=SETTING_DEFAULTS[key]))
        else:
            values[key] = float(number)
    return values, issues
