"""Step 3 of a save: the grids just read, compared with what the user started from, become a plan -
the batch to send (changes located by key in those grids), the conflicts, the refusals (a key on two
rows) and what the audit and the cache need."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.sources.interface import CellUpdate, Grid, RowAppend, SourceError, WriteBatch
from connectors.store import audit
from connectors.sync.request import DELETED, Conflict, SaveRequest
from connectors.sync.values import key_of, same, typed
from schemas.base import match_headers
from schemas.i18n import _
from schemas.registry import Tab
from schemas.registry import tab as registered_tab
from schemas.row_key import key_text


@dataclass
class Located:
    """A tab as just read, its rows found by key."""

    tab: Tab
    grid: Grid
    columns: dict[str, int]
    index: dict[tuple[str, ...], int]  # key -> position in grid.rows (the first, when a key is on two rows)
    twice: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # keys on more than one row

    def cell(self, position: int, column: str, date_order: str) -> Any:
        i = self.columns.get(column)
        row = self.grid.rows[position] if position < len(self.grid.rows) else []
        raw = row[i] if i is not None and i < len(row) else None
        return typed(raw, self.tab.column(column), date_order)

    def row(self, position: int, date_order: str) -> dict[str, Any]:
        return {c.name: self.cell(position, c.name, date_order) for c in self.tab.columns}

    def raw_row(self, position: int) -> dict[str, Any]:
        """The row's cells as the sheet holds them, by schema column name (to put a row back as it was)."""
        row = self.grid.rows[position]
        return {name: row[i] for name, i in self.columns.items() if i < len(row) and row[i] not in (None, "")}

    def key_at(self, position: int) -> tuple[str, ...]:
        return tuple(key_text(self.cell(position, k, "day_first")) for k in self.tab.key)

    def merged(self, position: int, column: str | None = None) -> str | None:
        """The merged cells (A1 range) that hold this row's cell of `column` (with None: any cell of the row)
        beside other rows' cells: a write there would change what those rows show, so it is refused."""
        row = self.grid.first_row - 1 + position  # 0-based, as the sheet's merges count
        index = self.columns.get(column) if column is not None else None
        for merge in self.grid.merges:
            if merge.end_row - merge.start_row > 1 and merge.covers_row(row) and (column is None or merge.covers(row, index)):
                return merge.a1()
        return None

    def twice_message(self, key: tuple[str, ...]) -> str:
        rows = [str(self.grid.first_row + p) for p in self.twice[key]]
        where = " and ".join([", ".join(rows[:-1]), rows[-1]]) if len(rows) > 1 else rows[0]
        return f"{'/'.join(key)} is on rows {where} of {self.tab.title}: give one of them a new id first."


def locate(tab: Tab, grid: Grid, date_order: str) -> Located:
    columns = match_headers(tab.schema, grid.header)
    missing = tab.row_key.missing(columns)
    if missing:
        raise SourceError(_("Tab '{tab}' has no column '{column}', so its rows cannot be found. Add the header and try again.").format(
            tab=tab.name, column=tab.column(missing[0]).title))
    found = tab.row_key.locate(grid.rows, columns, date_order)
    return Located(tab, grid, columns, found.first, found.twice)


@dataclass
class Plan:
    batch: WriteBatch = field(default_factory=WriteBatch)
    conflicts: list[Conflict] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    changes: list[tuple[str, tuple[str, ...], str | None, Any, Any]] = field(default_factory=list)  # for the audit
    appended: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # tab, row, sheet row (expected)
    deleted: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)  # tab, key, sheet row
    located: dict[str, Located] = field(default_factory=dict)  # the check read, by tab

    def empty(self) -> bool:
        return not self.batch.updates and not self.batch.appends and not self.batch.deletes


def locate_all(names: list[str], grids: dict[str, Grid], date_order: str) -> dict[str, Located]:
    located = {}
    for name in names:
        if name not in grids:
            raise SourceError(_("The source has no tab '{tab}'. Add it (python cli.py provision) before saving to it.").format(tab=name))
        if registered_tab(name).key:
            located[name] = locate(registered_tab(name), grids[name], date_order)
    return located


def compare(request: SaveRequest, grids: dict[str, Grid], date_order: str) -> Plan:
    plan = Plan(located=locate_all(request.tabs(), grids, date_order))
    located = plan.located
    for edit in request.edits:
        where = located[edit.tab]
        if edit.key in where.twice:
            plan.refusals.append(where.twice_message(edit.key))
            continue
        position = where.index.get(edit.key)
        if position is None:
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, DELETED, edit.new))
            continue
        merged = where.merged(position, edit.column)
        if merged:
            plan.refusals.append(_("'{column}' of row {key} in '{tab}' is part of the merged cells {range}: a change there would "
                                   "show on every row of the merge, or on none. Unmerge them in the sheet, then save again.").format(
                column=where.tab.column(edit.column).title, key="/".join(edit.key), tab=where.tab.title, range=merged))
            continue
        current = where.cell(position, edit.column, date_order)
        spec = where.tab.column(edit.column)
        if same(current, edit.new, spec, date_order):
            continue  # already there (a replay whose write landed, or the same change made by someone else)
        if not same(current, edit.old, spec, date_order):
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, current, edit.new))
            continue
        plan.batch.updates.append(CellUpdate(edit.tab, edit.key, edit.column, current, edit.new))
        plan.changes.append((edit.tab, edit.key, edit.column, edit.old, edit.new))
    for name, rows in request.appends.items():
        tab, where = registered_tab(name), located.get(name)
        next_row = grids[name].first_row + len(grids[name].rows)
        for row in rows:
            key = key_of(tab, row) if tab.key else ()
            position = where.index.get(key) if where is not None else None
            if position is not None:
                theirs = where.row(position, date_order)
                if all(same(theirs.get(c), v, tab.column(c), date_order) for c, v in row.items()):
                    continue  # this very row is already there: an earlier attempt landed
                plan.conflicts.append(Conflict(name, key, None, None, theirs, row))
                continue
            plan.batch.appends.append(RowAppend(name, row))
            plan.changes.append((name, key, None, None, row))
            plan.appended.append((name, row, next_row))
            next_row += 1
    for delete in request.deletes:
        where = located[delete.tab]
        if delete.key in where.twice:
            plan.refusals.append(where.twice_message(delete.key))
            continue
        position = where.index.get(delete.key)
        if position is None:
            continue  # already gone
        merged = where.merged(position)
        if merged:
            plan.refusals.append(_("Row {key} of '{tab}' is part of the merged cells {range}: deleting it would change the rows "
                                   "beside it. Unmerge them in the sheet, then delete the row again.").format(
                key="/".join(delete.key), tab=where.tab.title, range=merged))
            continue
        theirs = where.row(position, date_order)
        if delete.old is not None and not all(same(theirs.get(c), v, where.tab.column(c), date_order) for c, v in delete.old.items()):
            plan.conflicts.append(Conflict(delete.tab, delete.key, None, delete.old, theirs, DELETED))
            continue
        plan.batch.deletes.append((delete.tab, delete.key))
        plan.changes.append((delete.tab, delete.key, None, theirs, None))
        plan.deleted.append((delete.tab, delete.key, grids[delete.tab].first_row + position))
    plan.refusals = list(dict.fromkeys(plan.refusals))
    return plan


def landed(attempted: list[audit.AuditEntry], grids: dict[str, Grid]) -> bool:
    """Did an earlier attempt of this save land? Its audit rows went in the same all-or-nothing request,
    so they are in audit_log exactly when the changes are."""
    grid = grids.get(audit.AUDIT_TAB)
    if not attempted or grid is None:
        return False
    columns = match_headers(registered_tab(audit.AUDIT_TAB).schema, grid.header)
    names = list(attempted[0].sheet_row())

    def as_text(row: list[Any]) -> tuple[str, ...]:
        return tuple(audit.text(row[columns[n]]) or "" if n in columns and columns[n] < len(row) else "" for n in names)

    present = {as_text(row) for row in grid.rows}
    return all(tuple(audit.text(v) or "" for v in e.sheet_row().values()) in present for e in attempted)
