"""Turning a WriteBatch into the fewest Google Sheets requests.

Rows are found by key in grids just read. Every change of a save goes in ONE `spreadsheets:batchUpdate`
(see `write_request`): updateCells with typed values (the RAW of this API: text that starts with =, +,
- or @ stays text), deleteDimension, and appendCells for new rows and audit rows, which Google resolves
when it runs the request (like `values:append` with INSERT_ROWS, but in the same atomic request).
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field
from typing import Any

from connectors.sources.interface import Grid, SourceError, WriteBatch, storable
from schemas.base import blank, match_headers, sheet_value
from schemas.i18n import _
from schemas.registry import tab as registry_tab
from schemas.row_key import RowKey

EPOCH = dt.datetime(1899, 12, 30)


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def cell_value(value: Any) -> Any:
    """A Python value as the sheet should hold it: dates as serial numbers, bools as booleans, blanks as ""."""
    if blank(value):
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):
        value = value.item()  # numpy scalars
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime) or type(value).__name__ == "Timestamp":
        moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        delta = moment.replace(tzinfo=None) - EPOCH
        serial = delta.days + delta.seconds / 86400
        return int(serial) if float(serial).is_integer() else serial
    if isinstance(value, dt.date):
        return (value - EPOCH.date()).days
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int):
        return value
    return str(value)


def in_sheet(tab: str, column: str, value: Any, grid: Grid, index: int) -> Any:
    """A value as its column in this sheet holds it (a code as its Khmer label under a Khmer header)."""
    return sheet_value(registry_tab(tab).column(column), value, grid.header[index] if index < len(grid.header) else "")


def extended_value(value: Any) -> dict:
    """A cell for updateCells: typed, so a string is never parsed as a formula."""
    value = cell_value(value)
    if value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": storable(value)}}  # a lone surrogate is no UTF-8: never sent raw


@dataclass
class TabPlan:
    """What to write into one tab: located cells and deleted rows in sheet coordinates (0-based, from the
    grids just read), and appended rows, which Google places itself when the request runs."""

    tab: str
    sheet_id: int
    cells: list[tuple[int, int, Any]] = field(default_factory=list)
    appended: list[list[Any]] = field(default_factory=list)
    deleted_rows: list[int] = field(default_factory=list)


def plan(batch: WriteBatch, grids: dict[str, Grid], sheets: dict[str, dict]) -> list[TabPlan]:
    """Locate every change; raises SourceError (nothing written) when a row or column is missing."""
    plans: dict[str, TabPlan] = {}

    def plan_for(name: str) -> tuple[TabPlan, Grid, dict[str, int]]:
        if name not in grids or name not in sheets:
            raise SourceError(_("The Google Sheet has no tab '{tab}'. Run `python cli.py provision` to create it, then try again.").format(tab=name))
        grid = grids[name]
        if name not in plans:
            plans[name] = TabPlan(name, sheets[name]["sheetId"])
        return plans[name], grid, match_headers(registry_tab(name).schema, grid.header)

    rows_by_key: dict[str, dict[tuple[str, ...], int]] = {}

    def row_of(name: str, grid: Grid, columns: dict[str, int], key: tuple[str, ...]) -> int:
        if name not in rows_by_key:
            row_key = registry_tab(name).row_key
            missing = row_key.missing(columns)
            if missing or not row_key.columns:
                raise SourceError(_("The tab '{tab}' has no key column {columns}; rows cannot be found by key.").format(
                    tab=name, columns=", ".join(missing) or _("(none)")))
            rows_by_key[name] = row_key.locate(grid.rows, columns).first  # as the save's planner found them
        wanted = RowKey.wanted(key)
        if wanted not in rows_by_key[name]:
            raise SourceError(_("No row in '{tab}' has the key {key}: someone may have changed or "
                                "deleted it. Refresh and try again.").format(tab=name, key=", ".join(wanted)))
        return grid.first_row - 1 + rows_by_key[name][wanted]

    for update in batch.updates:
        tab_plan, grid, columns = plan_for(update.tab)
        if update.column not in columns:
            raise SourceError(_("The tab '{tab}' has no column '{column}' in its header row; add it, then try again.").format(
                tab=update.tab, column=update.column))
        row = update.at_row - 1 if update.at_row is not None else row_of(update.tab, grid, columns, update.key)
        index = columns[update.column]
        tab_plan.cells.append((row, index, cell_value(in_sheet(update.tab, update.column, update.new, grid, index))))
    for append in batch.appends:
        tab_plan, grid, columns = plan_for(append.tab)
        unknown = [c for c, v in append.values.items() if c not in columns and cell_value(v) != ""]
        if unknown:
            raise SourceError(_("The tab '{tab}' has no column {columns} in its header row; add it, then try again.").format(
                tab=append.tab, columns=", ".join(unknown)))
        row = [""] * max(len(grid.header), 1)
        for name, value in append.values.items():
            if name in columns:
                row[columns[name]] = cell_value(in_sheet(append.tab, name, value, grid, columns[name]))
        tab_plan.appended.append(row)
    for name, key in batch.deletes:
        tab_plan, grid, columns = plan_for(name)
        tab_plan.deleted_rows.append(row_of(name, grid, columns, key))
    return list(plans.values())


def write_request(plans: list[TabPlan]) -> dict:
    """The body of ONE spreadsheets:batchUpdate, which Google applies whole or not at all: typed cells
    (so text stays text, as RAW), rows deleted bottom-up, then rows appended with appendCells, which
    Google puts after the last row holding data when it runs the request - never over a row someone
    typed after our read."""
    writes, deletes, appends = [], [], []
    for p in plans:
        for r, c, value in p.cells:
            writes.append({"updateCells": {
                "start": {"sheetId": p.sheet_id, "rowIndex": r, "columnIndex": c},
                "rows": [{"values": [extended_value(value)]}], "fields": "userEnteredValue"}})
        for r in sorted(set(p.deleted_rows), reverse=True):
            deletes.append({"deleteDimension": {"range": {"sheetId": p.sheet_id, "dimension": "ROWS",
                                                          "startIndex": r, "endIndex": r + 1}}})
        if p.appended:
            appends.append({"appendCells": {
                "sheetId": p.sheet_id, "rows": [{"values": [extended_value(v) for v in row]} for row in p.appended],
                "fields": "userEnteredValue"}})
    return {"requests": writes + deletes + appends}
