"""What the local Sheets server keeps: spreadsheets, their sheets and cells, and the values API.

Each sheet stores its cells as a list of rows, each row trimmed of trailing empty cells ("" is an
empty cell), so reading is mostly slicing. Formulas and per-cell number formats are kept apart,
sparse; whole-range formats (repeatCell) in a list. Every method answers in Google's JSON shapes
or raises `ApiError` with Google's message.
"""
from __future__ import annotations

import datetime as dt
import random
import string
import threading
import time
from typing import Any

from tests import sheets_server_a1 as a1
from tests import sheets_server_cells as cells
from tests import sheets_server_formula as lookups
from tests import sheets_server_grid as grid_data

FORMATTED, UNFORMATTED, FORMULA = "FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"
STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
          408: "DEADLINE_EXCEEDED", 409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
          502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"

# What Google answers for a new spreadsheet's properties (copied from recorded traffic).
_WHITE = {"red": 1, "green": 1, "blue": 1}
DEFAULT_PROPERTIES = {
    "locale": "en_US",
    "autoRecalc": "ON_CHANGE",
    "timeZone": "Etc/GMT",
    "defaultFormat": {
        "backgroundColor": _WHITE,
        "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
        "verticalAlignment": "BOTTOM",
        "wrapStrategy": "OVERFLOW_CELL",
        "textFormat": {
            "foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10, "bold": False,
            "italic": False, "strikethrough": False, "underline": False, "foregroundColorStyle": {"rgbColor": {}},
        },
        "backgroundColorStyle": {"rgbColor": _WHITE},
    },
    "spreadsheetTheme": {
        "primaryFontFamily": "Arial",
        "themeColors": [
            {"colorType": kind, "color": {"rgbColor": rgb}}
            for kind, rgb in [
                ("TEXT", {}), ("BACKGROUND", _WHITE),
                ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
                ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
                ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
                ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
                ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
                ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
                ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
            ]
        ],
    },
}


class ApiError(Exception):
    """An error answer: HTTP status and Google's error body."""

    def __init__(self, code: int, message: str, extra: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra or {}

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "status": STATUS.get(self.code, "UNKNOWN"), **self.extra}}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def _rfc3339(ms: int) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def new_id() -> str:
    return "1" + "".join(random.choices(string.ascii_letters + string.digits + "-_", k=43))


class Sheet:
    def __init__(self, sheet_id: int, title: str, index: int, rows: int = 1000, cols: int = 26):
        self.sheet_id, self.title, self.index = sheet_id, title, index
        self.row_count, self.col_count = rows, cols
        self.frozen_rows = self.frozen_cols = 0
        self.values: list[list] = []
        self.formulas: dict[tuple[int, int], str] = {}
        self.cell_formats: dict[tuple[int, int], dict] = {}
        self.range_formats: list[tuple[dict, dict]] = []  # (GridRange, CellFormat) from repeatCell
        self.validations: list[tuple[dict, dict]] = []
        self.protected: list[dict] = []
        self.developer_metadata: list[dict] = []
        # Sparse per-cell parts that move with their cell (insert, delete, sort): notes, data validation
        # set by updateCells, and the target of a HYPERLINK formula (computed, read-only: CellData.hyperlink).
        self.notes: dict[tuple[int, int], str] = {}
        self.cell_validations: dict[tuple[int, int], dict] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.merges: list[tuple[int, int, int, int]] = []  # (start row, end row, start column, end column), ends exclusive

    # -- shape -------------------------------------------------------------------------------
    def properties(self) -> dict:
        grid = {"rowCount": self.row_count, "columnCount": self.col_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        return {"sheetId": self.sheet_id, "title": self.title, "index": self.index, "sheetType": "GRID", "gridProperties": grid}

    def metadata(self, owner: str) -> dict:
        out: dict[str, Any] = {"properties": self.properties()}
        if self.protected:
            out["protectedRanges"] = [{**p, "editors": {"users": [owner]}} for p in self.protected]
        if self.developer_metadata:
            out["developerMetadata"] = list(self.developer_metadata)
        if self.merges:
            from tests.sheets_server_merges import metadata

            out["merges"] = metadata(self)
        return out

    def _follow(self, axis: int, start: int, end: int, inserted: int = 0) -> None:
        if self.merges:
            from tests.sheets_server_merges import follow

            self.merges = follow(self.merges, axis, start, end, inserted)

    def box(self, ref: a1.Ref) -> a1.Box:
        return a1.close(ref, self.title, self.row_count, self.col_count)

    def check_inside(self, box: a1.Box) -> None:
        if box.r1 > self.row_count or box.c1 > self.col_count:
            raise bad_request(
                f"Range ({a1.quote_title(self.title)}!{box.a1().split('!', 1)[1]}) exceeds grid limits. "
                f"Max rows: {self.row_count}, max columns: {self.col_count}"
            )

    # -- cells -------------------------------------------------------------------------------
    def set(self, r: int, c: int, value: Any, formula: str | None = None, fmt: dict | None = None) -> None:
        values = self.values
        if value == "" and (r >= len(values) or c >= len(values[r])):
            pass  # clearing a cell that is already empty
        else:
            while len(values) <= r:
                values.append([])
            row = values[r]
            if len(row) <= c:
                row.extend([""] * (c + 1 - len(row)))
            row[c] = value
            while row and row[-1] == "":
                row.pop()
        if formula is not None:
            self.formulas[(r, c)] = formula
        elif self.formulas:
            self.formulas.pop((r, c), None)
            self.links.pop((r, c), None)
        if fmt is not None:
            self.cell_formats[(r, c)] = fmt

    def get(self, r: int, c: int) -> Any:
        if r < len(self.values) and c < len(self.values[r]):
            return self.values[r][c]
        return ""

    def data_rows(self) -> int:
        """How many rows hold data (the last non-empty row, 1-based)."""
        n = len(self.values)
        while n and not self.values[n - 1]:
            n -= 1
        return n

    def number_format(self, r: int, c: int) -> dict | None:
        fmt = self.cell_formats.get((r, c)) if self.cell_formats else None
        if fmt is not None:
            return fmt
        for grid, cell_format in reversed(self.range_formats):
            if (grid.get("startRowIndex", 0) <= r < grid.get("endRowIndex", 1 << 30)
                    and grid.get("startColumnIndex", 0) <= c < grid.get("endColumnIndex", 1 << 30)):
                found = cell_format.get("numberFormat")
                if found:
                    return found
        return None

    def read(self, box: a1.Box, value_option: str, date_option: str) -> list[list]:
        """Rows of the box as the API answers them: trailing empties trimmed, inner empty rows []."""
        per_cell = (
            value_option == FORMATTED
            or (value_option == FORMULA and self.formulas)
            or (date_option == "FORMATTED_STRING" and (self.cell_formats or self.range_formats))
        )
        out = []
        for r in range(box.r0, min(box.r1, len(self.values))):
            row = self.values[r][box.c0 : box.c1]
            if per_cell and row:
                row = [self._render(r, box.c0 + i, v, value_option, date_option) for i, v in enumerate(row)]
            while row and row[-1] == "":
                row.pop()
            out.append(row)
        while out and not out[-1]:
            out.pop()
        return out

    def _render(self, r: int, c: int, value: Any, value_option: str, date_option: str) -> Any:
        if value_option == FORMULA and (r, c) in self.formulas:
            return self.formulas[(r, c)]
        if value == "" or isinstance(value, str):
            return value
        return cells.render(value, self.number_format(r, c), value_option, date_option)

    # -- dimensions --------------------------------------------------------------------------
    SPARSE = ("formulas", "cell_formats", "notes", "cell_validations", "links")  # per-cell parts that move with the cell

    def _shift_sparse(self, axis: int, start: int, end: int, inserted: int = 0) -> None:
        for name in self.SPARSE:
            setattr(self, name, _shift(getattr(self, name), axis, start, end, inserted))

    def delete_rows(self, start: int, end: int) -> None:
        del self.values[start:end]
        self.row_count -= end - start
        self._shift_sparse(0, start, end)
        self._follow(0, start, end)

    def delete_columns(self, start: int, end: int) -> None:
        for row in self.values:
            del row[start:end]
            while row and row[-1] == "":
                row.pop()
        self.col_count -= end - start
        self._shift_sparse(1, start, end)
        self._follow(1, start, end)

    def insert_rows(self, start: int, count: int) -> None:
        if start < len(self.values):
            self.values[start:start] = [[] for _ in range(count)]
        self.row_count += count
        self._shift_sparse(0, start, start, count)
        self._follow(0, start, start, count)

    def insert_columns(self, start: int, count: int) -> None:
        for row in self.values:
            if start < len(row):
                row[start:start] = [""] * count
        self.col_count += count
        self._shift_sparse(1, start, start, count)
        self._follow(1, start, start, count)

    def move_rows(self, start: int, order: list[int]) -> None:
        """Rows start, start+1, ... now hold the rows that were at `order` (a sort): values and every
        per-cell part move with their row."""
        moved = [list(self.values[r]) if r < len(self.values) else [] for r in order]
        for i, row in enumerate(moved):
            while len(self.values) <= start + i:
                self.values.append([])
            self.values[start + i] = row
        destination = {old: start + i for i, old in enumerate(order)}
        for name in self.SPARSE:
            sparse = getattr(self, name)
            if sparse:
                setattr(self, name, {((destination.get(r, r) if start <= r < start + len(order) else r), c): v
                                     for (r, c), v in sparse.items()})

    def cell_data(self, r: int, c: int, wanted: dict) -> dict:
        return grid_data.cell_data(self, r, c, wanted)

    def grid_data(self, box: a1.Box, wanted: dict) -> dict:
        return grid_data.grid_data(self, box, wanted)

    def resize(self, rows: int | None, cols: int | None) -> None:
        if rows is not None:
            if rows < 1:
                raise bad_request("Invalid requests[0].updateSheetProperties: rowCount must be positive.")
            if rows < self.row_count:
                self.delete_rows(rows, self.row_count)
            self.row_count = rows
        if cols is not None:
            if cols < 1:
                raise bad_request("Invalid requests[0].updateSheetProperties: columnCount must be positive.")
            if cols < self.col_count:
                self.delete_columns(cols, self.col_count)
            self.col_count = cols


def _shift(sparse: dict, axis: int, start: int, end: int, inserted: int = 0) -> dict:
    """Move sparse cell entries after a row/column deletion (start..end) or insertion (at start)."""
    if not sparse:
        return sparse
    out = {}
    for key, value in sparse.items():
        pos = key[axis]
        if inserted:
            pos = pos + inserted if pos >= start else pos
        elif start <= pos < end:
            continue
        elif pos >= end:
            pos -= end - start
        out[(pos, key[1]) if axis == 0 else (key[0], pos)] = value
    return out


class Spreadsheet:
    def __init__(self, spreadsheet_id: str, title: str):
        self.id, self.title = spreadsheet_id, title
        self.sheets: list[Sheet] = []
        self.created_ms = self.modified_ms = int(time.time() * 1000)
        self.developer_metadata: list[dict] = []
        self.trashed = False

    def touch(self) -> None:
        """Every write moves Drive's modifiedTime forward, even within one millisecond; formulas that
        look up other cells are computed again, as Google does on every change."""
        self.modified_ms = max(int(time.time() * 1000), self.modified_ms + 1)
        lookups.recalculate(self)

    def drive_file(self) -> dict:
        return {
            "kind": "drive#file", "id": self.id, "name": self.title, "mimeType": SPREADSHEET_MIME,
            "createdTime": _rfc3339(self.created_ms), "modifiedTime": _rfc3339(self.modified_ms),
        }

    def titles(self) -> list[str]:
        return [s.title for s in self.sheets]

    def sheet_named(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise bad_request(f"Unable to parse range: {title}")

    def sheet_with_id(self, sheet_id: int, where: str = "requests[0]") -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise bad_request(f"Invalid {where}: No grid with id: {sheet_id}")

    def add_sheet(self, title: str | None = None, rows: int = 1000, cols: int = 26,
                  sheet_id: int | None = None, index: int | None = None) -> Sheet:
        title = title or f"Sheet{len(self.sheets) + 1}"
        if title in self.titles():
            raise bad_request(f'Invalid requests[0].addSheet: A sheet with the name "{title}" already exists. Please enter another name.')
        used = {s.sheet_id for s in self.sheets}
        if sheet_id is None:
            sheet_id = 0 if not self.sheets else random.randint(1, 2**31 - 1)
            while sheet_id in used:
                sheet_id = random.randint(1, 2**31 - 1)
        sheet = Sheet(sheet_id, title, 0, rows, cols)
        position = len(self.sheets) if index is None else min(index, len(self.sheets))
        self.sheets.insert(position, sheet)
        for i, s in enumerate(self.sheets):
            s.index = i
        return sheet

    def resolve(self, text: str) -> tuple[Sheet, a1.Ref]:
        try:
            ref = a1.parse(text, self.titles())
        except a1.RangeError as error:
            raise bad_request(str(error)) from None
        sheet = self.sheets[0] if ref.title is None else self.sheet_named(ref.title)
        return sheet, ref

    def resource(self, owner: str, ranges: list[str] | None = None, grid: dict | None = None) -> dict:
        """The Spreadsheet resource. With `ranges`, only the sheets they touch; with `grid` (the CellData
        fields wanted, {} = all), each sheet carries `data`: one GridData per range (the whole grid without ranges)."""
        chosen = [(s, None) for s in self.sheets]
        if ranges:
            boxes: dict[int, list[a1.Box]] = {}
            for text in ranges:
                sheet, ref = self.resolve(text)
                boxes.setdefault(sheet.sheet_id, []).append(sheet.box(ref))
            chosen = [(s, boxes[s.sheet_id]) for s in self.sheets if s.sheet_id in boxes]
        sheets = []
        for sheet, wanted_boxes in chosen:
            entry = sheet.metadata(owner)
            if grid is not None:
                whole = a1.Box(sheet.title, 0, 0, sheet.row_count, sheet.col_count)
                entry["data"] = [sheet.grid_data(box, grid) for box in (wanted_boxes or [whole])]
            sheets.append(entry)
        out = {
            "spreadsheetId": self.id,
            "properties": {"title": self.title, **DEFAULT_PROPERTIES},
            "sheets": sheets,
        }
        if self.developer_metadata:
            out["developerMetadata"] = list(self.developer_metadata)
        out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{self.id}/edit"
        return out


class State:
    """All spreadsheets of one server, behind one lock (requests run on many threads)."""

    def __init__(self, owner_email: str = "backoffice-tests@local.test"):
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.owner_email = owner_email

    def create(self, title: str, sheets: dict[str, list[list]] | None = None, fit: bool = False) -> Spreadsheet:
        """A spreadsheet holding these rows; grids are Google's default 1000 x 26 or larger, or with
        `fit` exactly as wide as the data (as `provision` makes them)."""
        book = Spreadsheet(new_id(), title)
        for name, rows in (sheets or {"Sheet1": []}).items():
            width = max((len(r) for r in rows), default=0)
            cols = max(width, 1) if fit else max(26, width)
            sheet = book.add_sheet(name, rows=max(1000, len(rows)), cols=cols)
            load_rows(sheet, rows)
        self.spreadsheets[book.id] = book
        return book

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None or book.trashed:
            raise ApiError(404, "Requested entity was not found.")
        return book


def load_rows(sheet: Sheet, rows: list[list]) -> None:
    """Put Python values (str, numbers, bools, dates, None) into a sheet from A1, fast."""
    values = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                out.append(value)
                continue
            stored, fmt = cells.python_value(value)
            out.append(stored)
            if fmt is not None:
                sheet.cell_formats[(r, c)] = fmt
        while out and out[-1] == "":
            out.pop()
        values.append(out)
    sheet.values = values
