"""Shapes staff give a sheet, read before the cells are typed (schemas.validate).

- Merged cells: a merge's value applies to every row it covers, in the merge's first column (a merge
  across columns is one wide cell, not a value for its neighbours); one `cell.merged` warning per merge.
  A merge down the tab's key column is `cell.merged_key`: its rows cannot be told apart, so nothing is
  filled in (a save finds a row by its key; guessing one would put an edit on the wrong row).
- A second header row: the first row under the headers holding the columns' names, titles (English or
  Khmer) or descriptions is skipped, with one `header.second_row` warning.
- Blank rows are skipped and hidden rows read as any other (schemas.validate); a column staff added is
  one `header.unknown_column` note.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from schemas.base import ColumnSpec, khmer_title, normalise_header
from schemas.grid import Grid, Merge
from schemas.i18n import gettext, language


@dataclass(frozen=True)
class MergedCells:
    """One merge that reached the data: where it is, its value and the data rows it covers."""

    merge: Merge
    rule: str  # "cell.merged" | "cell.merged_key"
    value: Any
    positions: tuple[int, ...]  # positions in grid.rows of the rows it covers that hold a record, the first included


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def apply_merges(grid: Grid, key_columns: set[int]) -> tuple[Grid, list[MergedCells]]:
    """The grid with each merge's value in every row it covers, and the merges that did so (or, down a
    key column, could not). Merges of the header, of one row, or with a blank first cell change nothing."""
    found: list[MergedCells] = []
    rows = grid.rows
    for merge in sorted(grid.merges):
        first = merge.start_row + 1 - grid.first_row  # position in grid.rows of the merge's first row
        last = min(merge.end_row + 1 - grid.first_row, len(grid.rows))
        if first < 0 or last - first < 2:
            continue
        anchor = grid.rows[first]
        value = anchor[merge.start_column] if merge.start_column < len(anchor) else None
        if _blank(value):
            continue
        # A covered row with nothing else in it is not a record: the merge only ran past the data.
        covered = [first] + [p for p in range(first + 1, last) if any(not _blank(v) for v in grid.rows[p])]
        if len(covered) < 2:
            continue
        if merge.start_column in key_columns:
            found.append(MergedCells(merge, "cell.merged_key", value, tuple(covered)))
            continue
        if rows is grid.rows:
            rows = list(grid.rows)  # rows are copied only where a merge changes them
        for position in covered[1:]:
            row = list(rows[position])
            row.extend([None] * (merge.start_column + 1 - len(row)))
            row[merge.start_column] = value
            rows[position] = row
        found.append(MergedCells(merge, "cell.merged", value, tuple(covered)))
    return (grid if rows is grid.rows else replace(grid, rows=rows)), found


@cache
def _header_words(spec: ColumnSpec) -> frozenset[str]:
    """What staff type under a header to name or describe its column: its name, its title and its
    description, in English and in Khmer (from the catalog)."""
    words = {spec.name, spec.title, spec.description, khmer_title(spec)}
    with language("km"):
        words.add(gettext(spec.description))
    return frozenset(normalise_header(w) for w in words if w)


def second_header_row(specs: tuple[ColumnSpec, ...], header: list[str], columns: dict[str, int], grid: Grid) -> int | None:
    """The position in grid.rows of a row that repeats the headers (the first row with anything in it,
    when most of what it holds under the known columns names or describes them, at least two cells),
    or None."""
    first = next((p for p, row in enumerate(grid.rows) if any(not _blank(v) for v in row)), None)
    if first is None:
        return None
    row = grid.rows[first]
    named = filled = 0
    for spec in specs:
        index = columns.get(spec.name)
        if index is None or index >= len(row) or _blank(row[index]):
            continue
        filled += 1
        text = normalise_header(row[index])
        named += text in _header_words(spec) or text == normalise_header(header[index])
    return first if named >= 2 and named * 2 >= filled + 1 else None
