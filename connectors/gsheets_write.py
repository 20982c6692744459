"""Turning a WriteBatch into the fewest Google Sheets requests.

Rows are found by key in grids just read; each edited cell becomes one one-cell range, appended
rows go right after the last data row, all in ONE `values:batchUpdate` with valueInputOption=RAW
(text that starts with =, +, - or @ stays text). When a tab must grow or rows must go, the same
changes go instead as ONE `spreadsheets:batchUpdate`: appendDimension, updateCells (typed values,
so text is still text) and deleteDimension, in that order.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field
from typing import Any

from connectors.source import Grid, SourceError, WriteBatch
from schemas.base import match_headers
from schemas.issues import column_letter
from schemas.registry import tab as registry_tab

EPOCH = dt.datetime(1899, 12, 30)
GROW_AT_LEAST = 100  # rows added at a time, so a run of single appends does not grow the grid each time


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def cell_value(value: Any) -> Any:
    """A Python value as the sheet should hold it: dates as serial numbers, bools as booleans, blanks as ""."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
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


def key_text(value: Any) -> str:
    """A key cell as text, so 2024, 2024.0 and "2024 " all find the same row."""
    value = cell_value(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def extended_value(value: Any) -> dict:
    """A cell for updateCells: typed, so a string is never parsed as a formula."""
    value = cell_value(value)
    if value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": value}}


@dataclass
class TabPlan:
    """What to write into one tab, in sheet coordinates (0-based row and column indexes)."""

    tab: str
    sheet_id: int
    row_count: int
    cells: list[tuple[int, int, Any]] = field(default_factory=list)
    first_append_row: int = 0
    appended: list[list[Any]] = field(default_factory=list)
    deleted_rows: list[int] = field(default_factory=list)

    @property
    def grow_by(self) -> int:
        needed = self.first_append_row + len(self.appended) - self.row_count
        return max(needed, GROW_AT_LEAST) if needed > 0 else 0


def plan(batch: WriteBatch, grids: dict[str, Grid], sheets: dict[str, dict]) -> list[TabPlan]:
    """Locate every change; raises SourceError (nothing written) when a row or column is missing."""
    plans: dict[str, TabPlan] = {}

    def plan_for(name: str) -> tuple[TabPlan, Grid, dict[str, int]]:
        if name not in grids or name not in sheets:
            raise SourceError(f"The Google Sheet has no tab '{name}'. Run `python cli.py provision` to create it, then try again.")
        grid = grids[name]
        if name not in plans:
            props = sheets[name]
            plans[name] = TabPlan(name, props["sheetId"], props["gridProperties"]["rowCount"],
                                  first_append_row=grid.first_row - 1 + len(grid.rows))
        return plans[name], grid, match_headers(registry_tab(name).schema, grid.header)

    rows_by_key: dict[str, dict[tuple[str, ...], int]] = {}

    def row_of(name: str, grid: Grid, columns: dict[str, int], key: tuple[str, ...]) -> int:
        if name not in rows_by_key:
            key_columns = registry_tab(name).key
            missing = [k for k in key_columns if k not in columns]
            if missing or not key_columns:
                raise SourceError(f"The tab '{name}' has no key column {', '.join(missing) or '(none)'}; rows cannot be found by key.")
            index: dict[tuple[str, ...], int] = {}
            for i, row in enumerate(grid.rows):
                found = tuple(key_text(row[columns[k]]) if columns[k] < len(row) else "" for k in key_columns)
                index.setdefault(found, i)
            rows_by_key[name] = index
        wanted = tuple(str(k).strip() for k in key)
        if wanted not in rows_by_key[name]:
            raise SourceError(f"No row in '{name}' has the key {', '.join(wanted)}: someone may have changed or "
                              "deleted it. Refresh and try again.")
        return grid.first_row - 1 + rows_by_key[name][wanted]

    for update in batch.updates:
        tab_plan, grid, columns = plan_for(update.tab)
        if update.column not in columns:
            raise SourceError(f"The tab '{update.tab}' has no column '{update.column}' in its header row; add it, then try again.")
        tab_plan.cells.append((row_of(update.tab, grid, columns, update.key), columns[update.column], cell_value(update.new)))
    for append in batch.appends:
        tab_plan, grid, columns = plan_for(append.tab)
        unknown = [c for c, v in append.values.items() if c not in columns and cell_value(v) != ""]
        if unknown:
            raise SourceError(f"The tab '{append.tab}' has no column {', '.join(unknown)} in its header row; add it, then try again.")
        width = max(len(grid.header), 1)
        row = [""] * width
        for name, value in append.values.items():
            if name in columns:
                row[columns[name]] = cell_value(value)
        tab_plan.appended.append(row)
    for name, key in batch.deletes:
        tab_plan, grid, columns = plan_for(name)
        tab_plan.deleted_rows.append(row_of(name, grid, columns, key))
    return list(plans.values())


def values_request(plans: list[TabPlan]) -> dict:
    """The body of ONE values:batchUpdate (RAW) for plans that need no growth and no deletion."""
    data = []
    for p in plans:
        title = quote_title(p.tab)
        for r, c, value in p.cells:
            data.append({"range": f"{title}!{column_letter(c)}{r + 1}", "values": [[value]]})
        if p.appended:
            first, last = p.first_append_row + 1, p.first_append_row + len(p.appended)
            width = max(len(row) for row in p.appended)
            data.append({"range": f"{title}!A{first}:{column_letter(width - 1)}{last}", "values": p.appended})
    return {"valueInputOption": "RAW", "data": data}


def structural_request(plans: list[TabPlan]) -> dict:
    """The body of ONE spreadsheets:batchUpdate: grow, write typed cells, then delete rows bottom-up."""
    grow, writes, deletes = [], [], []
    for p in plans:
        if p.grow_by:
            grow.append({"appendDimension": {"sheetId": p.sheet_id, "dimension": "ROWS", "length": p.grow_by}})
        for r, c, value in p.cells:
            writes.append({"updateCells": {
                "start": {"sheetId": p.sheet_id, "rowIndex": r, "columnIndex": c},
                "rows": [{"values": [extended_value(value)]}], "fields": "userEnteredValue"}})
        if p.appended:
            writes.append({"updateCells": {
                "start": {"sheetId": p.sheet_id, "rowIndex": p.first_append_row, "columnIndex": 0},
                "rows": [{"values": [extended_value(v) for v in row]} for row in p.appended],
                "fields": "userEnteredValue"}})
        for r in sorted(set(p.deleted_rows), reverse=True):
            deletes.append({"deleteDimension": {"range": {"sheetId": p.sheet_id, "dimension": "ROWS",
                                                          "startIndex": r, "endIndex": r + 1}}})
    return {"requests": grow + writes + deletes}
