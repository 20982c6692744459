"""spreadsheets:batchUpdate for the local Sheets server: the request kinds the back office and
gspread send, applied in order, with Google's replies."""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from tests import sheets_server_a1 as a1
from tests import sheets_server_cells as cells
from tests import sheets_server_merges as merges
from tests.sheets_server_state import ApiError, Sheet, Spreadsheet, bad_request


def _paths(fields: str) -> list[list[str]]:
    return [p.strip().replace("/", ".").split(".") for p in fields.split(",") if p.strip()]


def _has(fields: str, *path: str) -> bool:
    """Does a field mask ("title,gridProperties.rowCount" or "*") cover this path?"""
    return any(parts == ["*"] or parts[:len(path)] == list(path) or list(path)[:len(parts)] == parts for parts in _paths(fields))


def _grid(book: Spreadsheet, grid: dict, where: str) -> tuple[Sheet, a1.Box]:
    sheet = book.sheet_with_id(grid.get("sheetId", 0), where)
    return sheet, a1.grid_range_box(grid, sheet.title, sheet.row_count, sheet.col_count)


def _public_range(grid: dict) -> dict:
    """Google leaves sheetId 0 out of the ranges it answers with (a proto default)."""
    return {k: v for k, v in grid.items() if not (k == "sheetId" and v == 0)}


def add_sheet(book: Spreadsheet, req: dict, _where: str) -> dict:
    props = req.get("properties", {})
    grid = props.get("gridProperties", {})
    sheet = book.add_sheet(props.get("title"), grid.get("rowCount", 1000), grid.get("columnCount", 26),
                           props.get("sheetId"), props.get("index"))
    sheet.frozen_rows = grid.get("frozenRowCount", 0)
    sheet.frozen_cols = grid.get("frozenColumnCount", 0)
    return {"addSheet": {"properties": sheet.properties()}}


def delete_sheet(book: Spreadsheet, req: dict, where: str) -> dict:
    sheet = book.sheet_with_id(req.get("sheetId", 0), where)
    if len(book.sheets) == 1:
        raise bad_request(f"Invalid {where}: You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    for i, s in enumerate(book.sheets):
        s.index = i
    return {}


def update_sheet_properties(book: Spreadsheet, req: dict, where: str) -> dict:
    props, fields = req.get("properties", {}), req.get("fields", "")
    if not fields:
        raise bad_request(f"Invalid {where}.updateSheetProperties: You must specify which fields you want to update.")
    sheet = book.sheet_with_id(props.get("sheetId", 0), where)
    grid = props.get("gridProperties", {})
    if _has(fields, "title") and props.get("title") and props["title"] != sheet.title:
        if props["title"] in book.titles():
            raise bad_request(f'Invalid {where}.updateSheetProperties: A sheet with the name "{props["title"]}" already exists. Please enter another name.')
        sheet.title = props["title"]
    rows = grid.get("rowCount") if _has(fields, "gridProperties", "rowCount") else None
    cols = grid.get("columnCount") if _has(fields, "gridProperties", "columnCount") else None
    sheet.resize(rows, cols)
    if _has(fields, "gridProperties", "frozenRowCount"):
        sheet.frozen_rows = grid.get("frozenRowCount", 0)
    if _has(fields, "gridProperties", "frozenColumnCount"):
        sheet.frozen_cols = grid.get("frozenColumnCount", 0)
    if _has(fields, "index") and "index" in props:
        book.sheets.remove(sheet)
        book.sheets.insert(min(props["index"], len(book.sheets)), sheet)
        for i, s in enumerate(book.sheets):
            s.index = i
    return {}


def update_spreadsheet_properties(book: Spreadsheet, req: dict, _where: str) -> dict:
    if _has(req.get("fields", ""), "title") and req.get("properties", {}).get("title"):
        book.title = req["properties"]["title"]
    return {}


def _dimension(book: Spreadsheet, rng: dict, where: str) -> tuple[Sheet, str, int, int]:
    sheet = book.sheet_with_id(rng.get("sheetId", 0), where)
    dimension = rng.get("dimension", "ROWS")
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    start, end = rng.get("startIndex", 0), rng.get("endIndex", size)
    if not 0 <= start < end or (dimension == "ROWS" and end > size) or (dimension != "ROWS" and end > size):
        raise bad_request(f"Invalid {where}: range out of bounds ({dimension} {start}..{end} of {size}).")
    return sheet, dimension, start, end


def append_dimension(book: Spreadsheet, req: dict, where: str) -> dict:
    sheet = book.sheet_with_id(req.get("sheetId", 0), where)
    length = int(req.get("length", 0))
    if length < 1:
        raise bad_request(f"Invalid {where}.appendDimension: length must be positive.")
    if req.get("dimension", "ROWS") == "ROWS":
        sheet.row_count += length
    else:
        sheet.col_count += length
    return {}


def insert_dimension(book: Spreadsheet, req: dict, where: str) -> dict:
    rng = req.get("range", {})
    sheet = book.sheet_with_id(rng.get("sheetId", 0), where)
    start, end = rng.get("startIndex", 0), rng.get("endIndex", 0)
    if rng.get("dimension", "ROWS") == "ROWS":
        sheet.insert_rows(start, end - start)
    else:
        sheet.insert_columns(start, end - start)
    return {}


def delete_dimension(book: Spreadsheet, req: dict, where: str) -> dict:
    sheet, dimension, start, end = _dimension(book, req.get("range", {}), where)
    if dimension == "ROWS":
        if end - start >= sheet.row_count:
            raise bad_request(f"Invalid {where}: You can't delete all the rows on the sheet.")
        sheet.delete_rows(start, end)
    else:
        if end - start >= sheet.col_count:
            raise bad_request(f"Invalid {where}: You can't delete all the columns on the sheet.")
        sheet.delete_columns(start, end)
    return {}


def update_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    """Values, number formats, notes and data validation, as `fields` says. With a `range`, the fields of
    the range's cells that `rows` does not cover are cleared (Google's rule); with `start`, only the
    cells given are touched."""
    fields = req.get("fields", "")
    if not fields:
        raise bad_request(f"Invalid {where}.updateCells: You must specify which fields you want to update.")
    rows = req.get("rows", [])
    height = len(rows)
    width = max((len(r.get("values", [])) for r in rows), default=0)
    if "start" in req:
        sheet = book.sheet_with_id(req["start"].get("sheetId", 0), where)
        r0, c0 = req["start"].get("rowIndex", 0), req["start"].get("columnIndex", 0)
        box = a1.Box(sheet.title, r0, c0, r0 + max(height, 1), c0 + max(width, 1))
        covered_only = True
    else:
        sheet, box = _grid(book, req.get("range", {}), where)
        covered_only = False
    sheet.check_inside(a1.Box(sheet.title, box.r0, box.c0, box.r0 + max(height, 1), box.c0 + max(width, 1)))
    set_values = _has(fields, "userEnteredValue")
    set_format = _has(fields, "userEnteredFormat", "numberFormat")
    set_note = _has(fields, "note")
    set_validation = _has(fields, "dataValidation")
    for r in range(box.r0, box.r1 if not covered_only else box.r0 + height):
        given = rows[r - box.r0].get("values", []) if r - box.r0 < height else []
        for c in range(box.c0, box.c1 if not covered_only else box.c0 + len(given)):
            cell = given[c - box.c0] if c - box.c0 < len(given) else {}
            if set_values:
                value, formula = cells.from_extended(cell.get("userEnteredValue") or {})
                sheet.set(r, c, value, formula)
            fmt = (cell.get("userEnteredFormat") or {}).get("numberFormat")
            if set_format and fmt:
                sheet.cell_formats[(r, c)] = fmt
            if set_note:
                if cell.get("note"):
                    sheet.notes[(r, c)] = cell["note"]
                else:
                    sheet.notes.pop((r, c), None)
            if set_validation:
                if cell.get("dataValidation"):
                    sheet.cell_validations[(r, c)] = cell["dataValidation"]
                else:
                    sheet.cell_validations.pop((r, c), None)
    return {}


def append_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    """After the last row with data at the moment of the request, growing the grid if needed (Google's rule)."""
    sheet = book.sheet_with_id(req.get("sheetId", 0), where)
    if not req.get("fields"):
        raise bad_request(f"Invalid {where}.appendCells: You must specify which fields you want to update.")
    rows = req.get("rows", [])
    start = sheet.data_rows()
    width = max((len(r.get("values", [])) for r in rows), default=0)
    sheet.row_count = max(sheet.row_count, start + len(rows))
    sheet.col_count = max(sheet.col_count, width)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.get("values", [])):
            value, formula = cells.from_extended(cell.get("userEnteredValue") or {})
            sheet.set(start + i, j, value, formula)
    return {}


def sort_range(book: Spreadsheet, req: dict, where: str) -> dict:
    """Sort the rows of a range by its sortSpecs (blank cells last, numbers before text, as Google does);
    each row's formulas, formats and notes move with it."""
    sheet, box = _grid(book, req.get("range", {}), where)
    if any(m[1] - m[0] > 1 and m[0] < box.r1 and box.r0 < m[1] and m[2] < box.c1 and box.c0 < m[3] for m in sheet.merges):
        raise bad_request(f"Invalid {where}.sortRange: You can't sort a range that contains vertically merged cells.")
    specs = req.get("sortSpecs", [])
    order = list(range(box.r0, min(box.r1, sheet.data_rows())))

    def value(r: int, c: int) -> Any:
        return sheet.get(r, c)

    for spec in reversed(specs):
        c, descending = spec.get("dimensionIndex", 0), spec.get("sortOrder") == "DESCENDING"
        filled = [r for r in order if value(r, c) != ""]
        blank = [r for r in order if value(r, c) == ""]
        filled.sort(key=lambda r: (isinstance(value(r, c), str), value(r, c)), reverse=descending)
        order = filled + blank
    sheet.move_rows(box.r0, order)
    return {}


def repeat_cell(book: Spreadsheet, req: dict, where: str) -> dict:
    grid = req.get("range", {})
    sheet, _box = _grid(book, grid, where)
    cell = req.get("cell", {})
    fmt = cell.get("userEnteredFormat")
    if fmt:
        sheet.range_formats.append((dict(grid), fmt))
    if _has(req.get("fields", ""), "userEnteredValue") and "userEnteredValue" in cell:
        value, formula = cells.from_extended(cell["userEnteredValue"])
        for r in range(_box.r0, _box.r1):
            for c in range(_box.c0, _box.c1):
                sheet.set(r, c, value, formula)
    return {}


def set_data_validation(book: Spreadsheet, req: dict, where: str) -> dict:
    grid = req.get("range", {})
    sheet, _box = _grid(book, grid, where)
    sheet.validations = [(g, rule) for g, rule in sheet.validations if g != grid]
    if req.get("rule"):
        sheet.validations.append((dict(grid), req["rule"]))
    return {}


def add_protected_range(book: Spreadsheet, req: dict, where: str) -> dict:
    asked = req.get("protectedRange", {})
    sheet, _box = _grid(book, asked.get("range", {}), where)
    stored: dict[str, Any] = {"protectedRangeId": random.randint(1, 2**31 - 1), "range": _public_range(asked.get("range", {}))}
    if asked.get("description"):
        stored["description"] = asked["description"]
    if asked.get("warningOnly"):
        stored["warningOnly"] = True
    if asked.get("unprotectedRanges"):
        stored["unprotectedRanges"] = [_public_range(r) for r in asked["unprotectedRanges"]]
    stored["requestingUserCanEdit"] = True
    sheet.protected.append(stored)
    return {"addProtectedRange": {"protectedRange": {**stored, "editors": {}}}}


def delete_protected_range(book: Spreadsheet, req: dict, where: str) -> dict:
    wanted = req.get("protectedRangeId")
    for sheet in book.sheets:
        for p in sheet.protected:
            if p["protectedRangeId"] == wanted:
                sheet.protected.remove(p)
                return {}
    raise bad_request(f"Invalid {where}: No protected range with id: {wanted}")


def create_developer_metadata(book: Spreadsheet, req: dict, where: str) -> dict:
    meta = dict(req.get("developerMetadata", {}))
    meta["metadataId"] = meta.get("metadataId") or random.randint(1, 2**31 - 1)
    location = meta.get("location", {})
    if "sheetId" in location:
        sheet = book.sheet_with_id(location["sheetId"], where)
        meta["location"] = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        sheet.developer_metadata.append(meta)
    else:
        meta["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        book.developer_metadata.append(meta)
    meta.setdefault("visibility", "DOCUMENT")
    return {"createDeveloperMetadata": {"developerMetadata": meta}}


def delete_developer_metadata(book: Spreadsheet, req: dict, _where: str) -> dict:
    lookup = req.get("dataFilter", {}).get("developerMetadataLookup", {})
    deleted = []
    for holder in [book, *book.sheets]:
        keep = []
        for meta in holder.developer_metadata:
            hit = all(meta.get(k) == v for k, v in lookup.items() if k in ("metadataId", "metadataKey", "metadataValue"))
            (deleted if hit else keep).append(meta)
        holder.developer_metadata = keep
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def _no_op(_book: Spreadsheet, _req: dict, _where: str) -> dict:
    return {}


HANDLERS: dict[str, Callable[[Spreadsheet, dict, str], dict]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "updateCells": update_cells,
    "appendCells": append_cells,
    "sortRange": sort_range,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "mergeCells": merges.merge_cells,
    "unmergeCells": merges.unmerge_cells,
    # Accepted and ignored: they change only how the sheet looks.
    "updateDimensionProperties": _no_op,
    "autoResizeDimensions": _no_op,
    "updateBorders": _no_op,
}


def batch_update(book: Spreadsheet, body: Any) -> dict:
    requests = (body or {}).get("requests", [])
    if not isinstance(requests, list):
        raise bad_request("Invalid JSON payload received. 'requests' must be a list.")
    # Check every request's kind before changing anything, so an unknown one changes nothing.
    kinds = []
    for i, req in enumerate(requests):
        names = [k for k in req if req[k] is not None]
        if len(names) != 1 or names[0] not in HANDLERS:
            raise bad_request(f"Invalid JSON payload received. Unknown name \"{names[0] if names else ''}\" at 'requests[{i}]': Cannot find field.")
        kinds.append(names[0])
    replies = []
    saved = _snapshot(book)
    try:
        for i, (kind, req) in enumerate(zip(kinds, requests, strict=False)):
            replies.append(HANDLERS[kind](book, req[kind], f"requests[{i}]"))
    except ApiError:
        _restore(book, saved)  # Google applies a batchUpdate whole or not at all
        raise
    book.touch()
    return {"spreadsheetId": book.id, "replies": replies}


def _snapshot(book: Spreadsheet) -> list[tuple[Sheet, dict]]:
    return [(sheet, {**vars(sheet), "values": [list(r) for r in sheet.values],
                     **{name: dict(getattr(sheet, name)) for name in Sheet.SPARSE}, "merges": list(sheet.merges)}) for sheet in book.sheets]


def _restore(book: Spreadsheet, saved: list[tuple[Sheet, dict]]) -> None:
    book.sheets[:] = [sheet for sheet, _ in saved]
    for sheet, state in saved:
        vars(sheet).update(state)
