"""`python cli.py provision --source gsheets:KEY [--from WORKBOOK.xlsx] [--lang en|km]`: make a Google Sheet ready.

For every registered tab: create it if missing, with the schema's column titles as the header row
(in Khmer with --lang km, and the dropdowns of coded columns then hold their Khmer labels: the app reads
a code, its English label or its Khmer label alike, and writes a Khmer label under a Khmer header);
freeze and protect (with a warning) the header; add dropdowns for every enumeration, checkboxes for
yes/no columns, date checks, number ranges; formats: dates yyyy-mm-dd, whole numbers, text columns
as text (so a code like 01020304 keeps its leading zero and a phone number is never a formula).
With --from, copy a workbook's rows into tabs that have no data yet.

Idempotent and cheap: one metadata call and one header read decide what is missing; everything
missing goes in ONE spreadsheets:batchUpdate, the copied rows in values:batchUpdate calls (RAW).
The rules applied to a tab are fingerprinted in the tab's developer metadata, so a second run
sees them and changes nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from typing import Any

from connectors.sources.gsheets_write import cell_value, extended_value, quote_title
from connectors.sources.interface import Grid, SourceError
from schemas.base import ColumnSpec, khmer_title, match_headers, sheet_value
from schemas.i18n import LANGUAGES, _
from schemas.issues import column_letter
from schemas.registry import TABS, Tab

HEADER_NOTE = "CCPCR back office: header row (column names the app reads)"
RULES_KEY = "ccpcr_backoffice_rules"
CELLS_PER_WRITE = 200_000  # keeps each values:batchUpdate request well under Google's size limit
_METADATA_FIELDS = ("sheets(properties(sheetId,title,gridProperties),protectedRanges(protectedRangeId,description),"
                    "developerMetadata(metadataId,metadataKey,metadataValue))")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default=None, help=_("gsheets:<key or URL>; default: BACKOFFICE_SOURCE."))
    parser.add_argument("--from", dest="workbook", default=None, help=_("An .xlsx workbook whose rows are copied into empty tabs."))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help=_("The language of the headers and dropdown labels it writes: en (English, the default) or km (Khmer)."))


def run(args: argparse.Namespace) -> int:
    from connectors.config import source_spec
    from connectors.sources.gsheets import GoogleSheetSource

    spec = source_spec(args.source)
    if spec.kind != "gsheets":
        print(_("provision needs a Google Sheet: --source gsheets:<key or URL> (got {source}).").format(source=spec.location), file=sys.stderr)
        return 2
    try:
        rows = None
        if args.workbook:
            from connectors.sources.workbook import WorkbookSource

            rows = WorkbookSource(args.workbook).read()
        headers = getattr(args, "lang", None) or getattr(args, "cli_lang", None) or "en"
        done = provision(GoogleSheetSource.from_settings(spec.location), rows, headers=headers)
    except SourceError as exc:
        print(_("Could not provision the sheet: {problem}").format(problem=exc), file=sys.stderr)
        return 2
    for line in done.changes + done.notes:
        print(line)
    if not done.changes:
        print(_("Nothing needed changing: every tab, header, dropdown and format is already in place."))
    return 0


# -- the rules a tab's columns get -----------------------------------------------------------------

def _column_range(sheet_id: int, column: int) -> dict:
    return {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": column, "endColumnIndex": column + 1}


def _validation(spec: ColumnSpec, header: str) -> dict | None:
    """The data-validation rule for a column headed `header`, or None. A coded column's dropdown holds its
    codes, or its Khmer labels under its Khmer title (schemas.base.sheet_value)."""
    note = spec.description or spec.title
    if spec.allowed:
        values = [sheet_value(spec, v, header) for v in spec.allowed]
        condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": v} for v in values]}
        return {"condition": condition, "strict": True, "showCustomUi": True, "inputMessage": note}
    if spec.kind == "bool":
        return {"condition": {"type": "BOOLEAN"}, "strict": True}
    if spec.kind == "date":
        return {"condition": {"type": "DATE_IS_VALID"}, "strict": False, "inputMessage": f"{note} (a date, e.g. 2024-03-01)"}
    if spec.kind in ("int", "float") and (spec.ge is not None or spec.le is not None):
        bounds = [{"userEnteredValue": _number_text(b)} for b in (spec.ge, spec.le) if b is not None]
        kind = "NUMBER_BETWEEN" if len(bounds) == 2 else "NUMBER_GREATER_THAN_EQ" if spec.ge is not None else "NUMBER_LESS_THAN_EQ"
        return {"condition": {"type": kind, "values": bounds}, "strict": False, "inputMessage": note}
    return None


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _number_format(spec: ColumnSpec) -> dict | None:
    if spec.kind == "date":
        return {"type": "DATE", "pattern": "yyyy-mm-dd"}
    if spec.kind == "int":
        return {"type": "NUMBER", "pattern": "0"}
    if spec.kind == "text":
        return {"type": "TEXT"}
    return None


def rule_requests(tab: Tab, sheet_id: int, columns: dict[str, int], header: list[str] | None = None) -> list[dict]:
    """Dropdowns, checks and formats for every column of the tab found in the header."""
    out = []
    for spec in tab.columns:
        if spec.name not in columns:
            continue
        rng = _column_range(sheet_id, columns[spec.name])
        rule = _validation(spec, header[columns[spec.name]] if header and columns[spec.name] < len(header) else spec.title)
        if rule:
            out.append({"setDataValidation": {"range": rng, "rule": rule}})
        fmt = _number_format(spec)
        if fmt:
            out.append({"repeatCell": {"range": rng, "cell": {"userEnteredFormat": {"numberFormat": fmt}},
                                       "fields": "userEnteredFormat.numberFormat"}})
    return out


def fingerprint(requests: list[dict]) -> str:
    return hashlib.sha1(json.dumps(requests, sort_keys=True).encode()).hexdigest()[:16]


# -- planning --------------------------------------------------------------------------------------

@dataclass
class Plan:
    structure: list[dict] = field(default_factory=list)  # one spreadsheets:batchUpdate
    data: list[tuple[str, list[list]]] = field(default_factory=list)  # (tab, rows from row 2) to copy
    changes: list[str] = field(default_factory=list)  # what was changed, for a person to read
    notes: list[str] = field(default_factory=list)  # what was deliberately left alone


def _mapped_rows(tab: Tab, source: Grid, columns: dict[str, int], header: list[str]) -> list[list[Any]]:
    """The workbook's rows rearranged into the sheet's column order (codes as the sheet's header says them)."""
    theirs = match_headers(tab.schema, source.header)
    width = max(columns.values()) + 1
    out = []
    for row in source.rows:
        cells = [""] * width
        for name, index in theirs.items():
            if name in columns and index < len(row):
                value = row[index]
                if columns[name] < len(header):
                    value = sheet_value(tab.column(name), value, header[columns[name]])
                cells[columns[name]] = cell_value(value)
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _titles(tab: Tab, headers: str) -> list[str]:
    return [khmer_title(c) if headers == "km" else c.title for c in tab.columns]


def plan_tab(plan: Plan, tab: Tab, sheet: dict | None, top: list[list], copy: Grid | None, used_ids: set[int],
             headers: str = "en") -> None:
    titles = _titles(tab, headers)
    if sheet is None:
        sheet_id = random.randint(1, 2**31 - 1)
        while sheet_id in used_ids:
            sheet_id = random.randint(1, 2**31 - 1)
        used_ids.add(sheet_id)
        columns = {c.name: i for i, c in enumerate(tab.columns)}
        header = titles
        rows = _mapped_rows(tab, copy, columns, header) if copy else []
        grid = {"rowCount": max(1000, len(rows) + 1), "columnCount": len(titles), "frozenRowCount": 1}
        plan.structure.append({"addSheet": {"properties": {"sheetId": sheet_id, "title": tab.name, "gridProperties": grid}}})
        plan.structure.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                                               "rows": [{"values": [extended_value(t) for t in titles]}], "fields": "userEnteredValue"}})
        plan.changes.append(_("{tab}: created with {n} columns").format(tab=tab.name, n=len(titles)))
        sheet = {"properties": {"sheetId": sheet_id, "title": tab.name, "gridProperties": grid}}
        has_data = False
    else:
        props = sheet["properties"]
        sheet_id, grid = props["sheetId"], props["gridProperties"]
        header = [str(c) for c in (top[0] if top else [])]
        columns = match_headers(tab.schema, header)
        missing = [c for c in tab.columns if c.name not in columns]
        if missing:
            start = len(header)
            extra = start + len(missing) - grid["columnCount"]
            if extra > 0:
                plan.structure.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": extra}})
            names = dict(zip([c.name for c in tab.columns], titles, strict=False))
            plan.structure.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                                                   "rows": [{"values": [extended_value(names[c.name]) for c in missing]}],
                                                   "fields": "userEnteredValue"}})
            columns.update({c.name: start + i for i, c in enumerate(missing)})
            header = header + [names[c.name] for c in missing]
            plan.changes.append(_("{tab}: header completed with {columns}").format(tab=tab.name, columns=", ".join(names[c.name] for c in missing)))
        if grid.get("frozenRowCount", 0) != 1:
            plan.structure.append({"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                                                             "fields": "gridProperties.frozenRowCount"}})
            plan.changes.append(_("{tab}: header row frozen").format(tab=tab.name))
        has_data = len(top) > 1 and any(cell != "" for cell in top[1])
        rows = _mapped_rows(tab, copy, columns, header) if copy and not has_data else []
        if rows and len(rows) + 1 > grid["rowCount"]:
            plan.structure.append({"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": len(rows) + 1 - grid["rowCount"]}})
    if not any(p.get("description") == HEADER_NOTE for p in sheet.get("protectedRanges", [])):
        plan.structure.append({"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1}, "description": HEADER_NOTE, "warningOnly": True}}})
        plan.changes.append(_("{tab}: header row protected (editing it asks for confirmation)").format(tab=tab.name))
    rules = rule_requests(tab, sheet_id, columns, header)
    # The fingerprint ignores the sheet id, so the same rules on a re-created tab compare equal.
    mark = fingerprint([{k: {**v, "range": {**v["range"], "sheetId": 0}}} for r in rules for k, v in r.items()])
    stored = [m for m in sheet.get("developerMetadata", []) if m.get("metadataKey") == RULES_KEY]
    if [m.get("metadataValue") for m in stored] != [mark]:
        plan.structure.extend(rules)
        plan.structure.extend({"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {"metadataId": m["metadataId"]}}}}
                              for m in stored)
        plan.structure.append({"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": RULES_KEY, "metadataValue": mark, "location": {"sheetId": sheet_id}, "visibility": "DOCUMENT"}}})
        plan.changes.append(_("{tab}: {n} dropdowns, checks and formats applied").format(tab=tab.name, n=len(rules)))
    if rows:
        plan.data.append((tab.name, rows))
        plan.changes.append(_("{tab}: {n} rows copied from the workbook").format(tab=tab.name, n=len(rows)))
    elif copy and copy.rows and has_data:
        plan.notes.append(_("{tab}: already has data; the workbook's rows were not copied").format(tab=tab.name))


def provision(source: Any, copy_from: dict[str, Grid] | None = None, tabs: list[Tab] | None = None, headers: str = "en") -> Plan:
    """Bring the Google Sheet in line with the schemas; the plan says what changed (nothing: no changes).
    `headers`: the language of the headers of the tabs and columns it adds ("en" or "km")."""
    tabs = tabs or TABS
    with source.google_errors():
        meta = source.http.fetch_sheet_metadata(source.key, params={"includeGridData": "false", "fields": _METADATA_FIELDS})
    sheets = {s["properties"]["title"]: s for s in meta.get("sheets", [])}
    existing = [t for t in tabs if t.name in sheets]
    tops: dict[str, list[list]] = {}
    if existing:
        with source.google_errors():
            answer = source.http.values_batch_get(source.key, [f"{quote_title(t.name)}!1:2" for t in existing],
                                                  params={"valueRenderOption": "UNFORMATTED_VALUE"})
        tops = {t.name: vr.get("values", []) for t, vr in zip(existing, answer.get("valueRanges", []), strict=False)}
    plan = Plan()
    used = {s["properties"]["sheetId"] for s in sheets.values()}
    for tab in tabs:
        plan_tab(plan, tab, sheets.get(tab.name), tops.get(tab.name, []), (copy_from or {}).get(tab.name), used, headers)
    with source.google_errors():
        if plan.structure:
            source.http.batch_update(source.key, {"requests": plan.structure})
        for chunk in _chunks(plan.data):
            source.http.values_batch_update(source.key, {"valueInputOption": "RAW", "data": chunk})
    if plan.structure:
        source.forget_sheets()  # tabs and sizes changed: the next read fetches the metadata again
    return plan


def _chunks(data: list[tuple[str, list[list]]]) -> list[list[dict]]:
    """Ranges for the copied rows, split into requests of about CELLS_PER_WRITE cells each."""
    out: list[list[dict]] = []
    current: list[dict] = []
    count = 0
    for name, rows in data:
        width = max(1, max(len(r) for r in rows))
        take = max(1, CELLS_PER_WRITE // width)
        for i in range(0, len(rows), take):
            part = rows[i : i + take]
            first = 2 + i
            current.append({"range": f"{quote_title(name)}!A{first}:{column_letter(width - 1)}{first + len(part) - 1}", "values": part})
            count += len(part) * width
            if count >= CELLS_PER_WRITE:
                out.append(current)
                current, count = [], 0
    if current:
        out.append(current)
    return out
