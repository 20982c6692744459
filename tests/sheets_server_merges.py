"""Merged cells in the local Sheets server: `mergeCells` / `unmergeCells` requests, each sheet's `merges` in
the spreadsheet's metadata (GridRanges, as the recorded CellTest.test_merge_cells traffic shows them), and
merges that follow their rows and columns when rows or columns are inserted or deleted."""
from __future__ import annotations

from typing import Any

from tests.sheets_server_state import Sheet, Spreadsheet, bad_request

_TYPES = ("MERGE_ALL", "MERGE_COLUMNS", "MERGE_ROWS")


def _box(grid: dict) -> tuple[int, int, int, int]:
    return (grid.get("startRowIndex", 0), grid.get("endRowIndex", 0), grid.get("startColumnIndex", 0), grid.get("endColumnIndex", 0))


def _range(sheet: Sheet, box: tuple[int, int, int, int]) -> dict:
    """A GridRange as Google answers it: sheetId left out when it is 0 (a proto default)."""
    r0, r1, c0, c1 = box
    out = {"sheetId": sheet.sheet_id} if sheet.sheet_id else {}
    return {**out, "startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def metadata(sheet: Sheet) -> list[dict]:
    return [_range(sheet, box) for box in sheet.merges]


def merge_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    grid = req.get("range", {})
    sheet = book.sheet_with_id(grid.get("sheetId", 0), where)
    kind = req.get("mergeType", "MERGE_ALL")
    if kind not in _TYPES:
        raise bad_request(f"Invalid value at '{where}.merge_cells.merge_type' (type.googleapis.com/google.apps.sheets.v4.MergeCellsRequest.MergeType), \"{kind}\"")
    r0, r1, c0, c1 = _box(grid)
    if not (0 <= r0 < r1 <= sheet.row_count and 0 <= c0 < c1 <= sheet.col_count):
        raise bad_request(f"Invalid {where}.mergeCells: range out of bounds.")
    if kind == "MERGE_ROWS":
        boxes = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        boxes = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        boxes = [(r0, r1, c0, c1)]
    boxes = [b for b in boxes if (b[1] - b[0]) * (b[3] - b[2]) > 1]
    if any(_overlap(b, m) for b in boxes for m in sheet.merges):
        raise bad_request(f"Invalid {where}.mergeCells: You can't merge cells that are already partly merged.")
    for top, bottom, left, right in boxes:  # a merge keeps only its top-left value
        for r in range(top, bottom):
            for c in range(left, right):
                if (r, c) != (top, left):
                    sheet.set(r, c, "")
    sheet.merges.extend(boxes)
    return {}


def unmerge_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    grid = req.get("range", {})
    sheet = book.sheet_with_id(grid.get("sheetId", 0), where)
    box = _box(grid)
    hit = [m for m in sheet.merges if _overlap(box, m)]
    if any(not (box[0] <= m[0] and m[1] <= box[1] and box[2] <= m[2] and m[3] <= box[3]) for m in hit):
        raise bad_request(f"Invalid {where}.unmergeCells: The range must include whole merges.")
    sheet.merges = [m for m in sheet.merges if m not in hit]
    return {}


def follow(merges: list[tuple[int, int, int, int]], axis: int, start: int, end: int, inserted: int = 0) -> list[Any]:
    """Merges after rows (axis 0) or columns (axis 1) start..end were deleted, or `inserted` were inserted at
    start: they move with their cells, grow when cells are inserted inside them, shrink when deleted."""
    out = []
    for merge in merges:
        low, high = merge[2 * axis], merge[2 * axis + 1]
        if inserted:
            low, high = (low + inserted if low >= start else low), (high + inserted if high > start else high)
        else:
            low, high = (x if x <= start else x - (end - start) if x >= end else start for x in (low, high))
        moved = list(merge)
        moved[2 * axis], moved[2 * axis + 1] = low, high
        if (moved[1] - moved[0]) * (moved[3] - moved[2]) > 1:
            out.append(tuple(moved))
    return out
