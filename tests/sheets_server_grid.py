"""Grid data for the local Sheets server: cells as CellData (what spreadsheets.get answers with
includeGridData or a `fields` mask reaching into `sheets.data`), in Google's shapes."""
from __future__ import annotations

from typing import Any

from tests import sheets_server_a1 as a1
from tests import sheets_server_cells as cells

FORMATTED = "FORMATTED_VALUE"


def cell_data(sheet: Any, r: int, c: int, wanted: dict) -> dict:
    """One cell as CellData (what spreadsheets.get answers with grid data), only the `wanted` fields
    ({} = all); an empty cell is {}."""
    value = sheet.get(r, c)
    out: dict[str, Any] = {}

    def want(name: str) -> bool:
        return not wanted or "*" in wanted or name in wanted

    formula_text = sheet.formulas.get((r, c)) if sheet.formulas else None
    fmt = sheet.number_format(r, c)
    if want("userEnteredValue") and (formula_text or value != ""):
        out["userEnteredValue"] = {"formulaValue": formula_text} if formula_text else cells.typed_value(value)
    if want("effectiveValue") and value != "":
        out["effectiveValue"] = cells.typed_value(value)
    if want("formattedValue") and value != "":
        out["formattedValue"] = str(cells.render(value, fmt, FORMATTED, "FORMATTED_STRING")) if not isinstance(value, str) else value
    if want("userEnteredFormat") and fmt:
        out["userEnteredFormat"] = {"numberFormat": fmt}
    if want("hyperlink") and (r, c) in sheet.links:
        out["hyperlink"] = sheet.links[(r, c)]
    if want("note") and (r, c) in sheet.notes:
        out["note"] = sheet.notes[(r, c)]
    if want("dataValidation") and (r, c) in sheet.cell_validations:
        out["dataValidation"] = sheet.cell_validations[(r, c)]
    return out


def grid_data(sheet: Any, box: a1.Box, wanted: dict) -> dict:
    """GridData for a box: rows trimmed after the last row with anything asked for, each row's
    cells after its last non-empty one; an empty row is {} (Google's shape). startRow/startColumn
    left out when 0 (proto defaults)."""
    last_row = min(box.r1, max([len(sheet.values)] + [r + 1 for name in ("notes", "cell_validations") for r, _c in getattr(sheet, name)]))
    sparse = {"note": sheet.notes, "hyperlink": sheet.links, "dataValidation": sheet.cell_validations}
    if wanted and "*" not in wanted and set(wanted) <= set(sparse):  # only per-cell extras asked for: look at those alone
        held: dict[int, list[int]] | None = {}
        for name in wanted:
            for r, c in sparse[name]:
                if box.r0 <= r < box.r1 and box.c0 <= c < box.c1:
                    held.setdefault(r, []).append(c)
        last_row = max((r + 1 for r in held), default=box.r0)
    else:
        held = None
    rows = []
    for r in range(box.r0, last_row):
        if held is not None:
            columns = held.get(r)
            values = [cell_data(sheet, r, c, wanted) for c in range(box.c0, max(columns) + 1)] if columns else []
            rows.append({"values": values} if values else {})
            continue
        values = [cell_data(sheet, r, c, wanted) for c in range(box.c0, box.c1)]
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    out: dict[str, Any] = {}
    if box.r0:
        out["startRow"] = box.r0
    if box.c0:
        out["startColumn"] = box.c0
    if rows:
        out["rowData"] = rows
    return out
