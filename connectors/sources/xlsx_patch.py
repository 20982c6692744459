"""Change a few cells of a large .xlsx without loading the whole workbook.

openpyxl loads and saves every cell of every sheet (about 50 s for the demo workbook's 760 k cells),
so a three-cell save would take that long. Here only the touched sheets' XML is parsed (lxml) and
edited in place; every other part of the package is copied as it is. Text is written as inline
strings, so a value starting with '=' stays text (RAW) and the shared-strings table never changes;
a new or rewritten cell borrows the style of its column's cells, so dates keep their date format.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from connectors.sources.interface import storable
from schemas.issues import column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_C, _ROW, _V, _IS, _T, _F = (f"{{{NS}}}{n}" for n in ("c", "row", "v", "is", "t", "f"))
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_RANGE = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{NS}}}sheet"):
        target = targets[sheet.get(f"{{{REL_NS}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


@dataclass
class SheetXml:
    """One worksheet's XML, with its rows by number and the shared strings to read text cells."""

    root: Any
    shared: list[str]
    rows: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: bytes, shared: list[str]) -> SheetXml:
        root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
        sheet = cls(root, shared)
        for row in root.iter(_ROW):
            sheet.rows[int(row.get("r"))] = row
        return sheet

    @property
    def data(self) -> Any:
        return self.root.find(f"{{{NS}}}sheetData")

    def cells(self, row_number: int) -> dict[int, Any]:
        row = self.rows.get(row_number)
        if row is None:
            return {}
        found = {}
        for cell in row.iter(_C):
            match = _CELL_REF.match(cell.get("r") or "")
            if match:
                found[column_index(match.group(1))] = cell
        return found

    def text(self, cell: Any) -> str:
        """A cell's value as text, for matching keys and headers."""
        if cell is None:
            return ""
        kind = cell.get("t")
        if kind == "inlineStr":
            return "".join(cell.find(_IS).itertext()) if cell.find(_IS) is not None else ""
        value = cell.findtext(_V)
        if value is None:
            return ""
        if kind == "s":
            return self.shared[int(value)]
        if kind in (None, "n"):
            number = float(value)
            return str(int(number)) if number.is_integer() else value
        return value

    def stored(self, cell: Any) -> Any:
        """A cell's value as stored: a number as a float (a date's serial too), a boolean, else its text."""
        kind = cell.get("t")
        if kind in (None, "n") and cell.findtext(_V):
            return float(cell.findtext(_V))
        if kind == "b":
            return cell.findtext(_V) == "1"
        return self.text(cell)

    def stored_row(self, row_number: int) -> list[Any]:
        """One row's values as stored, from column A (None where a cell is empty)."""
        cells = self.cells(row_number)
        return [self.stored(cells[i]) if i in cells else None for i in range(max(cells, default=-1) + 1)]

    def header(self) -> list[str]:
        cells = self.cells(1)
        width = max(cells, default=-1) + 1
        return [self.text(cells.get(i)) for i in range(width)]

    def last_row(self) -> int:
        return max(self.rows, default=1)

    def style_for(self, column: int) -> str | None:
        """The style the column's data cells use (a date column's date format, say)."""
        for number in (2, self.last_row()):
            cell = self.cells(number).get(column) if number > 1 else None
            if cell is not None and cell.get("s"):
                return cell.get("s")
        return None

    def set(self, row_number: int, column: int, value: Any) -> None:
        row = self.rows.get(row_number)
        if row is None:
            row = self._new_row(row_number)
        cells = self.cells(row_number)
        cell = cells.get(column)
        if cell is None:
            cell = etree.Element(_C, r=f"{column_letter(column)}{row_number}")
            later = [i for i in cells if i > column]
            if later:
                cells[min(later)].addprevious(cell)
            else:
                row.append(cell)
            style = self.style_for(column)
            if style:
                cell.set("s", style)
        _write_value(cell, value)

    def _new_row(self, row_number: int) -> Any:
        row = etree.Element(_ROW, r=str(row_number))
        later = [n for n in self.rows if n > row_number]
        if later:
            self.rows[min(later)].addprevious(row)
        else:
            self.data.append(row)
        self.rows[row_number] = row
        return row

    def delete_rows(self, numbers: set[int]) -> None:
        """Remove rows and move the rows below up, as a spreadsheet does."""
        if not numbers:
            return
        removed = sorted(numbers)
        shift = 0
        renumbered: dict[int, Any] = {}
        for number in sorted(self.rows):
            row = self.rows[number]
            if number in numbers:
                row.getparent().remove(row)
                shift += 1
                continue
            if shift:
                new = number - shift
                row.set("r", str(new))
                for cell in row.iter(_C):
                    match = _CELL_REF.match(cell.get("r") or "")
                    if match:
                        cell.set("r", f"{match.group(1)}{new}")
                number = new
            renumbered[number] = row
        self.rows = renumbered
        self._move_merges(removed)

    def _move_merges(self, removed: list[int]) -> None:
        """Merged ranges follow their rows up, as a spreadsheet moves them; one left a single cell is gone."""
        holder = self.root.find(f"{{{NS}}}mergeCells")
        if holder is None:
            return
        for merge in list(holder):
            match = _RANGE.match(merge.get("ref") or "")
            if not match:
                continue
            left, top, right, bottom = match.group(1), int(match.group(2)), match.group(3), int(match.group(4))
            top -= sum(1 for r in removed if r < top)
            bottom -= sum(1 for r in removed if r <= bottom)
            if bottom < top or (bottom == top and left == right):
                holder.remove(merge)
            else:
                merge.set("ref", f"{left}{top}:{right}{bottom}")
        if len(holder):
            holder.set("count", str(len(holder)))
        else:
            self.root.remove(holder)

    def tidy_dimension(self) -> None:
        dimension = self.root.find(f"{{{NS}}}dimension")
        if dimension is None:
            return
        width = max((max(self.cells(n), default=0) for n in (1,)), default=0)
        for row in self.rows.values():
            last = row[-1] if len(row) else None
            if last is not None:
                match = _CELL_REF.match(last.get("r") or "")
                if match:
                    width = max(width, column_index(match.group(1)))
        dimension.set("ref", f"A1:{column_letter(width)}{self.last_row()}")

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write_value(cell: Any, value: Any) -> None:
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    if value is None or (isinstance(value, str) and value == ""):
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, _V).text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        etree.SubElement(cell, _V).text = repr(float(value)) if isinstance(value, float) and not value.is_integer() else str(int(value))
    elif isinstance(value, (dt.date, dt.datetime)):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        serial = (moment - _EXCEL_EPOCH) / dt.timedelta(days=1)
        etree.SubElement(cell, _V).text = str(int(serial)) if float(serial).is_integer() else repr(serial)
    else:
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, _IS), _T)
        text.text = storable(str(value))  # XML refuses control characters: written as their escapes
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def read_shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = etree.fromstring(archive.read("xl/sharedStrings.xml"), etree.XMLParser(huge_tree=True))
    return ["".join(si.itertext()) for si in root.iter(f"{{{NS}}}si")]


def rewrite_package(source: zipfile.ZipFile, target_path: str, replaced: dict[str, bytes], added: dict[str, bytes] | None = None) -> None:
    """Copy every part of the package, replacing the changed sheets' XML (and adding new parts at the end)."""
    with zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = replaced.get(info.filename)
            target.writestr(info, data if data is not None else source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        for name, data in (added or {}).items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
