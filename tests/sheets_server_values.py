"""The spreadsheets.values endpoints of the local Sheets server: get, batchGet, update,
batchUpdate, append, clear, batchClear; answered in Google's shapes."""
from __future__ import annotations

import json
from typing import Any

from tests import sheets_server_a1 as a1
from tests import sheets_server_cells as cells
from tests.sheets_server_state import FORMATTED, ApiError, Sheet, Spreadsheet, bad_request

_VALUE_OPTIONS = {"FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"}
_DATE_OPTIONS = {"SERIAL_NUMBER", "FORMATTED_STRING"}


def _one(params: dict, name: str, default: str, allowed: set[str]) -> str:
    value = (params.get(name) or [default])[-1] or default
    if value not in allowed:
        raise bad_request(f"Invalid value at '{_snake(name)}' (type.googleapis.com/google.apps.sheets.v4.{name[0].upper() + name[1:]}), \"{value}\"")
    return value


def _snake(name: str) -> str:
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)


def _value_range(book: Spreadsheet, text: str, params: dict) -> dict:
    value_option = _one(params, "valueRenderOption", FORMATTED, _VALUE_OPTIONS)
    date_option = _one(params, "dateTimeRenderOption", "SERIAL_NUMBER", _DATE_OPTIONS)
    major = _one(params, "majorDimension", "ROWS", {"ROWS", "COLUMNS"})
    sheet, ref = book.resolve(text)
    box = sheet.box(ref)
    sheet.check_inside(box)
    rows = sheet.read(box, value_option, date_option)
    if major == "COLUMNS" and rows:
        width = max(len(r) for r in rows)
        columns = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
        for col in columns:
            while col and col[-1] == "":
                col.pop()
        rows = columns
    out: dict[str, Any] = {"range": box.a1(), "majorDimension": major}
    if rows:
        out["values"] = rows
    return out


def values_get(book: Spreadsheet, text: str, params: dict) -> dict:
    return _value_range(book, text, params)


def values_batch_get(book: Spreadsheet, params: dict) -> dict:
    ranges = params.get("ranges", [])
    return {"spreadsheetId": book.id, "valueRanges": [_value_range(book, text, params) for text in ranges]}


def _rows_of(body: Any, where: str) -> list:
    values = body.get("values", []) if isinstance(body, dict) else None
    if values is None:
        values = []
    if not isinstance(values, list):
        raise _invalid(where, values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise _invalid(f"{where}[{i}]", row)
    if (body.get("majorDimension") or "ROWS") == "COLUMNS" and values:
        height = max(len(c) for c in values)
        values = [[col[r] if r < len(col) else None for col in values] for r in range(height)]
    return values


def _invalid(where: str, value: Any) -> ApiError:
    """Google's answer to a malformed `values`, with the field violation it details."""
    message = f"Invalid value at '{where}' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(value, ensure_ascii=False)}"
    violation = {"@type": "type.googleapis.com/google.rpc.BadRequest",
                 "fieldViolations": [{"field": where, "description": message}]}
    return ApiError(400, message, {"details": [violation]})


class _Write:
    """One range's worth of values to write, checked before anything is written."""

    def __init__(self, book: Spreadsheet, text: str, values: list, input_option: str, grow: bool = False):
        self.sheet, ref = book.resolve(text)
        self.values, self.input_option = values, input_option
        r0 = ref.r0 or 0
        c0 = ref.c0 or 0
        height = len(values)
        width = max((len(r) for r in values), default=0)
        self.box = a1.Box(self.sheet.title, r0, c0, r0 + max(height, 1), c0 + max(width, 1))
        if not ref.single:
            limit = self.sheet.box(ref)
            requested = limit.a1()
            if ref.r1 is not None and self.box.r1 > limit.r1:
                raise bad_request(f"Requested writing within range [{requested}], but tried writing to row [{self.box.r1}]")
            if ref.c1 is not None and self.box.c1 > limit.c1:
                raise bad_request(f"Requested writing within range [{requested}], but tried writing to column [{a1.col_letters(self.box.c1 - 1)}]")
        if not grow:
            self.sheet.check_inside(self.box)

    def apply(self) -> dict:
        sheet, rows_hit, cols_hit, count = self.sheet, set(), set(), 0
        convert = cells.raw if self.input_option == "RAW" else None
        for i, row in enumerate(self.values):
            r = self.box.r0 + i
            for j, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell as it is
                c = self.box.c0 + j
                if convert is not None:
                    sheet.set(r, c, convert(value))
                else:
                    stored, formula, fmt = cells.user_entered(value)
                    sheet.set(r, c, stored, formula, fmt)
                rows_hit.add(r)
                cols_hit.add(c)
                count += 1
        self.rows_hit, self.cols_hit = rows_hit, cols_hit
        return _drop_zero({
            "spreadsheetId": None, "updatedRange": self.box.a1(),
            "updatedRows": len(rows_hit), "updatedColumns": len(cols_hit), "updatedCells": count,
        })


def _drop_zero(out: dict) -> dict:
    return {k: v for k, v in out.items() if v != 0}


def _input_option(value: str | None) -> str:
    if value not in ("RAW", "USER_ENTERED"):
        raise bad_request("'valueInputOption' is required but not specified" if not value else
                          f"Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"{value}\"")
    return value


def values_update(book: Spreadsheet, text: str, params: dict, body: Any) -> dict:
    write = _Write(book, text, _rows_of(body, "data.values"), _input_option((params.get("valueInputOption") or [None])[-1]))
    out = write.apply()
    out["spreadsheetId"] = book.id
    book.touch()
    return out


def values_batch_update(book: Spreadsheet, body: Any) -> dict:
    body = body or {}
    option = _input_option(body.get("valueInputOption"))
    writes = [
        _Write(book, item.get("range", ""), _rows_of(item, f"data[{i}].values"), option)
        for i, item in enumerate(body.get("data", []))
    ]
    responses, rows, cols, sheets, total = [], set(), set(), set(), 0
    for write in writes:
        out = write.apply()
        out["spreadsheetId"] = book.id
        responses.append(out)
        rows |= {(write.sheet.sheet_id, r) for r in write.rows_hit}
        cols |= {(write.sheet.sheet_id, c) for c in write.cols_hit}
        if write.rows_hit:
            sheets.add(write.sheet.sheet_id)
        total += out.get("updatedCells", 0)
    book.touch()
    summary = _drop_zero({"spreadsheetId": book.id, "totalUpdatedRows": len(rows), "totalUpdatedColumns": len(cols),
                          "totalUpdatedCells": total, "totalUpdatedSheets": len(sheets)})
    summary["responses"] = responses
    return summary


def _find_table(sheet: Sheet, box: a1.Box) -> a1.Box | None:
    """Google's "logical table" for append: the block of filled cells around the last filled cell of the range."""
    last = None
    for r in range(min(box.r1, len(sheet.values)) - 1, box.r0 - 1, -1):
        row = sheet.values[r]
        for c in range(min(box.c1, len(row)) - 1, box.c0 - 1, -1):
            if row[c] != "":
                last = (r, c)
                break
        if last:
            break
    if last is None:
        return None
    seen, todo = {last}, [last]
    while todo:
        r, c = todo.pop()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if nr >= 0 and nc >= 0 and (nr, nc) not in seen and sheet.get(nr, nc) != "":
                seen.add((nr, nc))
                todo.append((nr, nc))
    rows = [p[0] for p in seen]
    cols = [p[1] for p in seen]
    return a1.Box(sheet.title, min(rows), min(cols), max(rows) + 1, max(cols) + 1)


def values_append(book: Spreadsheet, text: str, params: dict, body: Any) -> dict:
    option = _input_option((params.get("valueInputOption") or [None])[-1])
    insert = (params.get("insertDataOption") or ["OVERWRITE"])[-1] == "INSERT_ROWS"
    sheet, ref = book.resolve(text)
    values = _rows_of(body, "data.values")
    table = _find_table(sheet, sheet.box(ref))
    start_row = table.r1 if table else (ref.r0 or 0)
    start_col = table.c0 if table else (ref.c0 or 0)
    height = len(values)
    width = max((len(r) for r in values), default=0)
    if insert and start_row < sheet.row_count:
        sheet.insert_rows(start_row, height)
    if start_row + height > sheet.row_count:
        sheet.row_count = start_row + height  # append grows the grid, as Google does
    if start_col + width > sheet.col_count:
        sheet.col_count = start_col + width
    start = f"{a1.quote_title(sheet.title)}!{a1.col_letters(start_col)}{start_row + 1}"
    write = _Write(book, start, values, option)
    updates = write.apply()
    updates["spreadsheetId"] = book.id
    book.touch()
    out: dict[str, Any] = {"spreadsheetId": book.id}
    if table:
        out["tableRange"] = table.a1()
    out["updates"] = updates
    return out


def values_clear(book: Spreadsheet, text: str) -> dict:
    cleared = _clear_box(book, text)
    book.touch()
    return {"spreadsheetId": book.id, "clearedRange": cleared}


def values_batch_clear(book: Spreadsheet, body: Any) -> dict:
    ranges = (body or {}).get("ranges", [])
    cleared = [_clear_box(book, text) for text in ranges]
    book.touch()
    return {"spreadsheetId": book.id, "clearedRanges": cleared}


def _clear_box(book: Spreadsheet, text: str) -> str:
    sheet, ref = book.resolve(text)
    box = sheet.box(ref)
    sheet.check_inside(box)
    for r in range(box.r0, min(box.r1, len(sheet.values))):
        row = sheet.values[r]
        for c in range(box.c0, min(box.c1, len(row))):
            row[c] = ""
        while row and row[-1] == "":
            row.pop()
    if sheet.formulas:
        sheet.formulas = {k: v for k, v in sheet.formulas.items()
                          if not (box.r0 <= k[0] < box.r1 and box.c0 <= k[1] < box.c1)}
    return box.a1()
