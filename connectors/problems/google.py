"""The Problems tab and the cell notes on a Google Sheet: ONE spreadsheets:batchUpdate, plus at most one read.

- The tab: created on first use (`addSheet` with a sheet id of ours, the header row frozen, and a
  warning-only protection of the whole tab but its "Correct as typed" boxes), else resized and renamed to the
  sheet's language; its cells rewritten whole by one `updateCells` over the tab's range (Google clears what
  the rows leave out). Values are typed (`stringValue`: text from a sheet stays text, never a formula); the
  only formulas are the links, built by the app from the row's key written as an escaped literal:
  `=HYPERLINK("#gid=G&range=C"&IFERROR(MATCH("HH-0042",'households'!A:A,0),17),"Open")`, which still finds
  the row after staff sort the tab or insert rows above it (no USER_ENTERED parsing is involved: the
  formula goes in `formulaValue`).
- The notes (with `tab+notes`): first ONE `spreadsheets.get` of the notes of every tab that has or had the
  app's notes (`fields=sheets(properties(title),data(startRow,startColumn,rowData(values(note))))`), then in
  the same batchUpdate an `updateCells` with `fields: "note"` for each cell whose note must change: the app's
  block ("Back office:" ...) set, replaced or removed, a person's text kept as it is (connectors.problems.notes).
  Never a value, never a format.
- Audit entries of confirmations: `appendCells` to the audit_log tab, in the same request.
Sent once (no blind retry): a failure is tried again at the next poll. The window between the refresh's
read and this write is seconds: if staff sort a tab exactly then, a note can land on the neighbouring row,
and the next check (the sort moved the sheet's change token) moves it back.
"""
from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from typing import Any

from connectors.problems import notes as N
from connectors.problems import rows as R
from connectors.problems.layout import NAMES, Layout, Line, Outcome
from connectors.sources.gsheets_write import extended_value, quote_title
from connectors.sources.interface import SourceError, SourceStale, SourceUnreachable
from connectors.sources.xlsx_patch import column_index
from connectors.store.audit import AuditEntry
from schemas.admin import AuditEntry as AuditColumns
from schemas.base import match_headers

CHECKBOX = {"condition": {"type": "BOOLEAN"}, "showCustomUi": True}
NOTE_FIELDS = "sheets(properties(title),data(startRow,startColumn,rowData(values(note))))"
WIDTHS = {"tab": 120, "value": 160, "message": 460, "first_seen": 150, "confirmed": 110}


class GoogleProblemsSheet:
    def __init__(self, source: Any):
        self.source = source

    def send(self, layout: Layout, notes_tabs: list[str], audit: list[AuditEntry], read_versions: tuple[str | None, ...] = ()) -> Outcome:  # noqa: ARG002 - the problem sheets' shared send() signature
        """`read_versions` are not checked here: a Google Sheet has no conditional write (see the module's docstring)."""
        source, outcome = self.source, Outcome()
        sheets = source.sheets()
        requests: list[dict] = []
        existing = sheets.get(layout.existing_title) if layout.existing_title else None
        height = max(len(layout.lines) + 1, 2)
        grid = {"rowCount": height, "columnCount": len(NAMES), "frozenRowCount": 1}
        if existing is None:
            used = {p["sheetId"] for p in sheets.values()}
            sheet_id = random.randint(1, 2**31 - 1)
            while sheet_id in used:
                sheet_id = random.randint(1, 2**31 - 1)
            requests.append({"addSheet": {"properties": {"sheetId": sheet_id, "title": layout.title, "gridProperties": grid}}})
            checkbox_column = NAMES.index("confirmed")
            requests.append({"addProtectedRange": {"protectedRange": {
                "range": {"sheetId": sheet_id}, "description": layout.protection_note, "warningOnly": True,
                "unprotectedRanges": [{"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": checkbox_column,
                                       "endColumnIndex": checkbox_column + 1}]}}})
            for name, pixels in WIDTHS.items():
                position = NAMES.index(name)
                requests.append({"updateDimensionProperties": {
                    "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": position, "endIndex": position + 1},
                    "properties": {"pixelSize": pixels}, "fields": "pixelSize"}})
        else:
            sheet_id = existing["sheetId"]
            requests.append({"updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "title": layout.title, "gridProperties": grid},
                "fields": "title,gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"}})
        rows = [{"values": [extended_value(h) for h in layout.header]}]
        rows += [{"values": self._cells(line, layout.link_label, sheets)} for line in layout.lines]
        requests.append({"updateCells": {"range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": height,
                                                   "startColumnIndex": 0, "endColumnIndex": len(NAMES)},
                                         "rows": rows, "fields": "userEnteredValue,dataValidation"}})
        scan = [t for t in notes_tabs if t in sheets]
        if scan:
            requests += self._notes(layout, scan, sheets, outcome)
        requests += self._audit(layout, audit, sheets)
        with self._calls(), source.http.single_shot():
            source.http.batch_update(source.key, {"requests": requests})
        outcome.calls += 1
        source.remember_sheet(layout.existing_title, {"sheetId": sheet_id, "title": layout.title, "index": len(sheets),
                                                      "gridProperties": grid})
        return outcome

    @contextlib.contextmanager
    def _calls(self) -> Iterator[None]:
        """Google's errors in words; a tab deleted or resized meanwhile is SourceStale: the metadata is dropped
        and the next check reads the tabs afresh."""
        try:
            with self.source.google_errors():
                yield
        except SourceUnreachable:
            raise
        except SourceError as error:
            if any(stale in str(error) for stale in ("exceeds grid limits", "No grid with id", "Unable to parse range")):
                self.source.forget_sheets()
                raise SourceStale(str(error)) from None
            raise

    # -- the tab ---------------------------------------------------------------------------------------
    def _cells(self, line: Line, label: str, sheets: dict[str, dict]) -> list[dict]:
        out = []
        for name in NAMES:
            if name == "link":
                formula = self._link(line, label, sheets)
                out.append({"userEnteredValue": {"formulaValue": formula}} if formula else {})
            elif name == "confirmed" and line.checkbox:
                out.append({"userEnteredValue": {"boolValue": bool(line.cells[name])}, "dataValidation": CHECKBOX})
            else:
                out.append(extended_value(line.cells[name]))
        return out

    @staticmethod
    def _link(line: Line, label: str, sheets: dict[str, dict]) -> str | None:
        """The cell's link; found by key (so a sort or inserted rows do not break it) where the row has one."""
        if line.link is None or line.link.tab not in sheets:
            return None
        base = f"#gid={sheets[line.link.tab]['sheetId']}"
        if line.link.cell is None:
            return f"=HYPERLINK({R.text_literal(base)},{R.text_literal(label)})"
        letters, row = R.split_cell(line.link.cell)
        found = R.row_formula(line.link.tab, line.link.key_refs, row) if line.link.key_refs else None
        target = (f"{R.text_literal(f'{base}&range={letters}')}&{found}" if found
                  else R.text_literal(f"{base}&range={line.link.cell}"))
        return f"=HYPERLINK({target},{R.text_literal(label)})"

    # -- the notes -------------------------------------------------------------------------------------
    def _notes(self, layout: Layout, scan: list[str], sheets: dict[str, dict], outcome: Outcome) -> list[dict]:
        """ONE read of the notes of the tabs to look at, then the updates that bring the app's blocks to what
        the layout wants, every person's text kept."""
        source = self.source
        params = {"ranges": [quote_title(t) for t in scan], "fields": NOTE_FIELDS}
        with self._calls():
            found = source.http.fetch_sheet_metadata(source.key, params=params)
        outcome.calls += 1
        requests = []
        for sheet in found.get("sheets", []):
            title = sheet.get("properties", {}).get("title")
            if title not in sheets:
                continue
            actual: dict[tuple[int, int], str] = {}
            for data in sheet.get("data", []):
                r0, c0 = data.get("startRow", 0), data.get("startColumn", 0)
                for i, row in enumerate(data.get("rowData", [])):
                    for j, cell in enumerate(row.get("values", [])):
                        if cell.get("note"):
                            actual[(r0 + i, c0 + j)] = cell["note"]
            wanted = {_position(cell): block for cell, block in layout.notes.get(title, {}).items()}
            for (r, c) in sorted(set(actual) | set(wanted)):
                now = actual.get((r, c), "")
                target = N.merged(now, wanted.get((r, c)))
                if target == now:
                    continue
                if N.has_ours(target):
                    outcome.notes_set += 1
                else:
                    outcome.notes_cleared += 1
                requests.append({"updateCells": {"start": {"sheetId": sheets[title]["sheetId"], "rowIndex": r, "columnIndex": c},
                                                 "rows": [{"values": [{"note": target} if target else {}]}], "fields": "note"}})
        return requests

    # -- the audit trail -------------------------------------------------------------------------------
    @staticmethod
    def _audit(layout: Layout, audit: list[AuditEntry], sheets: dict[str, dict]) -> list[dict]:
        if not audit or "audit_log" not in sheets or not layout.audit_header:
            return []
        columns = match_headers(AuditColumns, layout.audit_header)
        width = len(layout.audit_header)
        rows = []
        for entry in audit:
            values = [""] * width
            for name, value in entry.sheet_row().items():
                if name in columns:
                    values[columns[name]] = value
            rows.append({"values": [extended_value(v) for v in values]})
        return [{"appendCells": {"sheetId": sheets["audit_log"]["sheetId"], "rows": rows, "fields": "userEnteredValue"}}]


def _position(cell: str) -> tuple[int, int]:
    """A1 -> (row index, column index), 0-based as a GridRange's."""
    letters, row = R.split_cell(cell)
    return row - 1, column_index(letters)
