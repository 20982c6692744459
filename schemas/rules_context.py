"""What a rule sees: the typed tabs of a workbook, and how to point an issue at a cell.

Rules that span tabs live with their programme (`schemas/rice_bank.py` ...) and register with
`@cross_tab_rule`; validation runs every registered rule over a `Book`. Rules work on typed frames
and say "row i of tab T, column C"; the Book turns that into the sheet's row, the header as written,
the A1 cell, the value as read and the link.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from schemas.base import blank
from schemas.issue_rows import IssueRows
from schemas.issues import Issue, a1
from schemas.left_out import LeftOut
from schemas.rules import RULES, shown
from schemas.vector import isin

if TYPE_CHECKING:
    from schemas.grid import Grid
    from schemas.tab import Tab

Link = Callable[[str, str], "str | None"]


@dataclass
class TabFrame:
    """One tab, typed: exactly the schema's columns in schema order, plus `_row` (the sheet row)."""

    tab: Tab
    frame: pd.DataFrame
    header: list[str]  # the header row as written in the sheet
    columns: dict[str, int]  # schema column -> 0-based index of its header (missing columns absent)
    grid: Grid | None = field(default=None, repr=False)  # the cells as read, for "the value as read"
    invalid: dict[str, list[int]] = field(default_factory=dict, repr=False)  # column -> positions failing a check

    def sheet_rows(self, positions: np.ndarray) -> np.ndarray:
        """The sheet's row numbers of frame rows `positions`."""
        rows = self.__dict__.get("_rows")
        if rows is None or len(rows) != len(self.frame):
            rows = self.__dict__["_rows"] = self.frame["_row"].to_numpy(dtype=np.int64)
        return rows[positions]

    def sheet_row(self, position: int) -> int:
        """The sheet's row number of frame row `position`."""
        return int(self.sheet_rows(position))

    def raw_values(self, positions: np.ndarray, column: str) -> list[Any]:
        """The cells of frame rows `positions` as the source handed them over, fit for display (as_read)."""
        index = self.columns.get(column)
        if self.grid is None or index is None:
            return [None] * len(positions)
        rows, first = self.grid.rows, self.grid.first_row
        return [as_read(row[index] if index < len(row) else None)
                for row in (rows[r - first] for r in self.sheet_rows(positions).tolist())]

    def raw(self, position: int, column: str) -> Any:
        """The cell of frame row `position` as the source handed it over (None if absent)."""
        index = self.columns.get(column)
        if self.grid is None or index is None:
            return None
        row = self.grid.rows[self.sheet_row(position) - self.grid.first_row]
        return row[index] if index < len(row) else None

    def complete(self, *names: str) -> bool:
        """True when the sheet has every one of these columns (a rule skips a tab that lacks one)."""
        return all(name in self.columns for name in names)


def as_read(value: Any) -> Any:
    """A cell value fit for JSON and display: text, number, bool or None; dates as ISO text."""
    if blank(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def make_issue(rule: str, tab: str, row: int | None, header: str | None, column_index: int | None,
               value: Any = None, link: Link | None = None, **fields: Any) -> Issue:
    """An issue of `rule` at a cell (or at a whole column/tab when row or column is None); its message is
    written when read, in the reader's language."""
    cell = a1(column_index, row) if row is not None and column_index is not None else None
    value = as_read(value)
    return Issue(tab, row, header, cell, value, RULES[rule].severity, rule, link=link(tab, cell) if link and cell else None,
                 shown=shown(value), params=fields)


class Book:
    """Every typed tab of one read, the settings, and the issue maker the rules share."""

    def __init__(self, frames: dict[str, TabFrame], settings: dict[str, Any] | None = None, link: Link | None = None):
        self.frames = frames
        self.settings = settings or {}
        self.link = link
        self._checked: dict[str, pd.DataFrame] = {}
        self.left_out = LeftOut()

    def frame(self, name: str, *needed: str) -> pd.DataFrame | None:
        """The typed frame of a tab, or None when the tab or one of the needed columns is missing
        (that was reported once already; a rule on top of it would only repeat it row by row)."""
        found = self.frames.get(name)
        if found is None or not found.complete(*needed):
            return None
        if name not in self._checked:
            self._checked[name] = self._without_invalid(found)
        return self._checked[name]

    @staticmethod
    def _without_invalid(found: TabFrame) -> pd.DataFrame:
        """The frame with the cells that failed their column's check blanked: a loan of -50 kg has
        been reported once; rules on top of it (stock, repayments) would only echo it."""
        if not found.invalid:
            return found.frame
        frame = found.frame.copy(deep=False)
        for column, positions in found.invalid.items():
            values = frame[column].copy()
            values.iloc[positions] = None
            frame[column] = values
        return frame

    def dangling(self, tab: str, column: str) -> np.ndarray:
        """Per row of `tab`: the column's value points to no row of the tab it refers to (the foreign-key
        rule reports it); all False when the column refers nowhere or that tab is missing."""
        frame = self.frame(tab, column)
        spec = self.frames[tab].tab.column(column)
        if frame is None or not spec.ref:
            return np.zeros(0 if frame is None else len(frame), dtype=bool)
        target_tab, target_column = spec.ref.split(".")
        if self.frame(target_tab, target_column) is None:
            return np.zeros(len(frame), dtype=bool)
        values = frame[column]
        return values.notna().to_numpy(dtype=bool, na_value=False) & ~isin(values, self.frames[target_tab].frame[target_column])

    def leave_out(self, tab: str, positions: Any, rule: str, owners: Any = None, since: Any = None) -> None:
        """Frame rows `positions` of `tab` could not be used by `rule`: said once per tab (schemas.left_out)."""
        self.left_out.add(tab, self.frames[tab].sheet_rows(np.asarray(positions, dtype=np.int64)).tolist(), rule, owners, since)

    def not_checked(self) -> list[Issue]:
        """One `rules.not_checked` warning per tab whose rows some rule had to leave out."""
        return [make_issue("rules.not_checked", tab, None, None, None, None, self.link, **fields)
                for tab, fields in self.left_out.warnings()]

    def setting(self, key: str, default: float) -> float:
        value = self.settings.get(key)
        return default if value is None else value

    def issue(self, rule: str, tab: str, position: int, column: str, **fields: Any) -> Issue:
        """An issue at frame row `position`, column `column` (schema name) of `tab`."""
        found = self.frames[tab]
        row = found.sheet_row(position)
        index = found.columns.get(column)
        header = found.header[index] if index is not None else found.tab.column(column).title
        return make_issue(rule, tab, row, header, index, found.raw(position, column), self.link, **fields)


    def issues(self, rule: str, tab: str, positions: np.ndarray, column: str, **fields: Any) -> IssueRows:
        """One batch: `rule` at frame rows `positions` of `tab`, column `column`, the same fields for all."""
        found = self.frames[tab]
        index = found.columns.get(column)
        found_rows = IssueRows()
        if index is None:  # no header to point at: one issue at a time, as `issue` does
            found_rows.extend(self.issue(rule, tab, int(p), column, **fields) for p in positions)
            return found_rows
        found_rows.add_cells(rule, tab, found.header[index], index, found.sheet_rows(positions),
                             found.raw_values(positions, column), self.link, **fields)
        return found_rows


CrossTabRule = Callable[[Book], Iterable["Issue | IssueRows"]]
CROSS_TAB_RULES: list[CrossTabRule] = []


def cross_tab_rule(function: CrossTabRule) -> CrossTabRule:
    """Register a rule that reads several tabs; it runs after every tab has been typed and checked."""
    CROSS_TAB_RULES.append(function)
    return function


def day(value: Any) -> str:
    """A date for a sentence: dd/mm/yyyy."""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def plain(column: pd.Series) -> list[Any]:
    """A column as Python values with None for blanks (pd.NA refuses to be compared)."""
    values = column.astype(object).tolist()
    for position in np.flatnonzero(column.isna().to_numpy(dtype=bool)).tolist():
        values[position] = None
    return values


def amount(value: float) -> str:
    """A quantity for a sentence: 1,250 or 1,250.5 (never 1250.0)."""
    text = f"{float(value):,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- rules every programme shares -------------------------------------------------------------

def foreign_keys_of(book: Book, name: str) -> Iterable[IssueRows]:
    """Every code or id of tab `name` that points to another tab exists there (ColumnSpec.ref = "tab.column")."""
    found = book.frames[name]
    for spec in found.tab.columns:
        if not spec.ref or spec.name not in found.columns:
            continue
        target_tab, target_column = spec.ref.split(".")
        if book.frame(target_tab, target_column) is None:  # missing tab or column: reported once already
            continue
        # Targets as typed, even those failing their own check: "HH-1" is wrong once, in its own tab.
        targets = book.frames[target_tab].frame[target_column]
        values = book.frame(name)[spec.name]
        dangling = values.notna().to_numpy(dtype=bool, na_value=False) & ~isin(values, targets)
        if dangling.any():
            yield book.issues("ref.not_found", name, np.flatnonzero(dangling), spec.name, target_tab=target_tab,
                              target_column=book.frames[target_tab].tab.column(target_column).title)


@cross_tab_rule
def foreign_keys(book: Book) -> Iterable[IssueRows]:
    """Every code or id that points to another tab exists there; checked tab by tab (`each_tab`), so a
    change in one tab re-checks its own references and those into it (schemas.workbook_check)."""
    for name in book.frames:
        yield from foreign_keys_of(book, name)


foreign_keys.each_tab = foreign_keys_of  # type: ignore[attr-defined]


def part_of_whole(book: Book, tab: str, part: str, whole: str) -> Iterable[Issue]:
    """A part (children, women) is never more than the whole (members)."""
    frame = book.frame(tab, part, whole)
    if frame is None:
        return
    over = (frame[part] > frame[whole]).to_numpy(dtype=bool, na_value=False)
    for position in np.flatnonzero(over):
        yield book.issue("count.more_than_members", tab, int(position), part, members=int(frame[whole].iat[position]))


def yes_needs_yes(book: Book, tab: str, flag: str, needed: str, rule: str) -> Iterable[Issue]:
    """A yes in `flag` needs a yes in `needed` (took children -> migrating; in school -> enrolled)."""
    frame = book.frame(tab, needed, flag)
    if frame is None:
        return
    wrong = (frame[flag] & ~frame[needed]).to_numpy(dtype=bool, na_value=False)
    for position in np.flatnonzero(wrong):
        yield book.issue(rule, tab, int(position), flag)
