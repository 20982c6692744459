"""The Problems sheet and the cell comments in an .xlsx workbook, written like a save: under the workbook's
lock, into a temporary file that replaces the workbook in one rename (connectors.sources.workbook).

Only these parts change: the Problems sheet's XML (the app's own, written whole), the comments of the
sheets that have or had the app's notes (with their VML drawing, which Excel needs to show them), the
audit_log sheet when confirmations are recorded, and - the first time - workbook.xml, its relationships,
[Content_Types].xml, and a `<legacyDrawing>` element in a sheet that had no comments yet. No data cell's value,
style or number format changes in any sheet.
Comments are the workbook's notes: a person's comment is kept as they wrote it; the app's block
("Back office:" ...) is added below it and later removed alone (connectors.problems.notes).
Before writing, the file's change token must still be the one the refresh read (a save in Excel since
then: nothing is written, and the next check reads and tries again).
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from connectors.problems import notes as N
from connectors.problems import rows as R
from connectors.problems.layout import NAMES, Layout, Line, Outcome
from connectors.sources import xlsx_patch
from connectors.sources.interface import SourceError
from connectors.store.audit import AuditEntry
from schemas.admin import AuditEntry as AuditColumns
from schemas.base import match_headers
from schemas.i18n import _
from schemas.issues import column_letter

NS, REL_NS, PKG_REL_NS = xlsx_patch.NS, xlsx_patch.REL_NS, xlsx_patch.PKG_REL_NS
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
VML_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
AUTHOR = "Back office"
WIDTHS = {"tab": 16, "value": 20, "message": 70, "first_seen": 22, "confirmed": 16}
# A <legacyDrawing> goes before these in a worksheet (ECMA-376's order).
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")


class WorkbookProblemsSheet:
    def __init__(self, source: Any):
        self.source = source

    def send(self, layout: Layout, notes_tabs: list[str], audit: list[AuditEntry], read_versions: tuple[str | None, ...] = ()) -> Outcome:
        """`read_versions`: the file's change token as the refresh read it (and as the app's own last write
        left it); anything else means someone saved the file since, and nothing is written."""
        source, outcome = self.source, Outcome()
        with source.transaction():
            if any(read_versions) and source.version() not in read_versions:
                raise SourceError(_("The workbook changed since it was read; the problems are written after the next check."))
            with zipfile.ZipFile(source.path) as archive:
                package = _Package(archive)
                parts = xlsx_patch.sheet_parts(archive)
                package.put_problems(layout, parts)
                for tab in notes_tabs:
                    if tab in parts:
                        self._comments(package, parts[tab], layout.notes.get(tab, {}), outcome)
                if audit and "audit_log" in parts and layout.audit_header:
                    package.append_audit(parts["audit_log"], layout.audit_header, audit)
                self._replace(archive, package)
            outcome.version = source.version()
        outcome.calls = 1
        return outcome

    def _replace(self, archive: zipfile.ZipFile, package: _Package) -> None:
        path = self.source.path
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".xlsx.tmp")
        os.close(handle)
        try:
            xlsx_patch.rewrite_package(archive, temp, package.replaced, package.added)
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    @staticmethod
    def _comments(package: _Package, sheet_part: str, wanted: dict[str, str], outcome: Outcome) -> None:
        comments_part, found = package.comments(sheet_part)
        result = dict(found)
        for ref in sorted(set(found) | set(wanted), key=_ref_order):
            author, now, _element = found.get(ref, (AUTHOR, "", None))
            target = N.merged(now, wanted.get(ref))
            if target == now:
                continue
            if N.has_ours(target):
                outcome.notes_set += 1
                result[ref] = (author, target, None)
            else:
                outcome.notes_cleared += 1
                if target:
                    result[ref] = (author, target, None)
                else:
                    result.pop(ref, None)
        if result != found:
            package.put_comments(sheet_part, comments_part, result)


class _Package:
    """The parts of the workbook being changed, and the ones being added."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}

    def read(self, name: str) -> bytes | None:
        if name in self.added:
            return self.added[name]
        if name in self.replaced:
            return self.replaced[name]
        return self.archive.read(name) if name in self.names else None

    def write(self, name: str, data: bytes) -> None:
        if name in self.names:
            self.replaced[name] = data
        else:
            self.added[name] = data

    def free(self, pattern: str) -> str:
        number = 1
        while pattern.format(number) in self.names or pattern.format(number) in self.added:
            number += 1
        return pattern.format(number)

    # -- relationships and content types -----------------------------------------------------------
    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = part.rsplit("/", 1)
        return f"{folder}/_rels/{name}.rels"

    def rels(self, part: str) -> Any:
        data = self.read(self.rels_name(part))
        if data is None:
            return etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
        return etree.fromstring(data)

    def add_rel(self, part: str, kind: str, target: str) -> str:
        rels = self.rels(part)
        used = {r.get("Id") for r in rels}
        number = 1
        while f"rId{number}" in used:
            number += 1
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=f"rId{number}", Type=kind, Target=target)
        self.write(self.rels_name(part), etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))
        return f"rId{number}"

    def content_type(self, part: str | None = None, content: str | None = None, extension: str | None = None) -> None:
        types = etree.fromstring(self.read("[Content_Types].xml"))
        if extension is not None:
            if any(d.get("Extension", "").lower() == extension for d in types.iter(f"{{{CT_NS}}}Default")):
                return
            types.insert(0, etree.Element(f"{{{CT_NS}}}Default", Extension=extension, ContentType=content))
        else:
            etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + part, ContentType=content)
        self.write("[Content_Types].xml", etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True))

    # -- the Problems sheet ------------------------------------------------------------------------
    def put_problems(self, layout: Layout, parts: dict[str, str]) -> None:
        xml = problems_xml(layout, set(parts))
        if layout.existing_title and layout.existing_title in parts:
            self.write(parts[layout.existing_title], xml)
            if layout.existing_title != layout.title:
                self._rename(layout.existing_title, layout.title)
            return
        part = self.free("xl/worksheets/sheet{}.xml")
        self.write(part, xml)
        self.content_type(part, SHEET_CT)
        rel = self.add_rel("xl/workbook.xml", SHEET_TYPE, "/" + part)
        book = etree.fromstring(self.read("xl/workbook.xml"))
        sheets = book.find(f"{{{NS}}}sheets")
        number = max([int(s.get("sheetId")) for s in sheets] + [0]) + 1
        etree.SubElement(sheets, f"{{{NS}}}sheet", name=layout.title, sheetId=str(number)).set(f"{{{REL_NS}}}id", rel)
        self.write("xl/workbook.xml", etree.tostring(book, xml_declaration=True, encoding="UTF-8", standalone=True))

    def _rename(self, old: str, new: str) -> None:
        book = etree.fromstring(self.read("xl/workbook.xml"))
        for sheet in book.iter(f"{{{NS}}}sheet"):
            if sheet.get("name") == old:
                sheet.set("name", new)
        self.write("xl/workbook.xml", etree.tostring(book, xml_declaration=True, encoding="UTF-8", standalone=True))

    # -- comments ------------------------------------------------------------------------------------
    def comments(self, sheet_part: str) -> tuple[str | None, dict[str, tuple[str, str, Any]]]:
        """(the sheet's comments part or None, A1 -> (author, text, element))."""
        folder = sheet_part.rsplit("/", 1)[0]
        for rel in self.rels(sheet_part):
            if rel.get("Type") == COMMENTS_TYPE:
                part = _resolve(folder, rel.get("Target"))
                root = etree.fromstring(self.read(part))
                authors = [a.text or "" for a in root.iter(f"{{{NS}}}author")]
                found = {}
                for comment in root.iter(f"{{{NS}}}comment"):
                    text = "".join(t.text or "" for t in comment.iter(f"{{{NS}}}t"))
                    author = authors[int(comment.get("authorId", 0))] if authors else AUTHOR
                    found[comment.get("ref")] = (author, text, comment)
                return part, found
        return None, {}

    def put_comments(self, sheet_part: str, part: str | None, found: dict[str, tuple[str, str, Any]]) -> None:
        authors = list(dict.fromkeys([AUTHOR, *(author for author, _t, _e in found.values())]))
        items = []
        for ref in sorted(found, key=_ref_order):
            author, text, element = found[ref]
            if element is not None:
                element.set("authorId", str(authors.index(author)))
                items.append(etree.tostring(element, encoding="unicode"))
            else:
                items.append(f'<comment ref="{ref}" authorId="{authors.index(author)}"><text><t xml:space="preserve">'
                             f'{escape(_xml_text(text))}</t></text></comment>')
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{NS}"><authors>'
               + "".join(f"<author>{escape(a)}</author>" for a in authors) + "</authors><commentList>" + "".join(items)
               + "</commentList></comments>").encode()
        folder = sheet_part.rsplit("/", 1)[0]
        vml_part = next((_resolve(folder, r.get("Target")) for r in self.rels(sheet_part) if r.get("Type") == VML_TYPE), None)
        if part is None:
            if vml_part is not None:
                raise SourceError(_("A sheet has drawings the back office cannot add notes beside; its notes are left out."))
            part = self.free("xl/comments/backoffice{}.xml")
            vml_part = self.free("xl/drawings/backofficeComments{}.vml")
            self.content_type(part, COMMENTS_CT)
            self.content_type(content=VML_CT, extension="vml")
            self.add_rel(sheet_part, COMMENTS_TYPE, "/" + part)
            self._legacy_drawing(sheet_part, self.add_rel(sheet_part, VML_TYPE, "/" + vml_part))
        self.write(part, xml)
        if vml_part is not None:
            digits = re.findall(r"\d+", sheet_part.rsplit("/", 1)[-1])
            self.write(vml_part, _vml(sorted(found, key=_ref_order), int(digits[-1]) if digits else 1))

    def _legacy_drawing(self, sheet_part: str, rel: str) -> None:
        root = etree.fromstring(self.read(sheet_part), etree.XMLParser(huge_tree=True))
        element = etree.Element(f"{{{NS}}}legacyDrawing", nsmap={"r": REL_NS})
        element.set(f"{{{REL_NS}}}id", rel)
        later = next((child for child in root if etree.QName(child).localname in _AFTER_LEGACY), None)
        if later is not None:
            later.addprevious(element)
        else:
            root.append(element)
        self.write(sheet_part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))

    # -- the audit trail -----------------------------------------------------------------------------
    def append_audit(self, sheet_part: str, header: list[str], entries: list[AuditEntry]) -> None:
        sheet = xlsx_patch.SheetXml.parse(self.read(sheet_part), xlsx_patch.read_shared_strings(self.archive))
        columns = match_headers(AuditColumns, header)
        for entry in entries:
            row = sheet.last_row() + 1
            for name, value in entry.sheet_row().items():
                if name in columns and value != "":
                    sheet.set(row, columns[name], value)
        sheet.tidy_dimension()
        self.write(sheet_part, sheet.to_bytes())


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _ref_order(ref: str) -> tuple[int, int]:
    letters, number = R.split_cell(ref)
    return number, xlsx_patch.column_index(letters)


def _vml(refs: list[str], idmap: int) -> bytes:
    """Excel's drawing of the notes: one hidden note box per comment."""
    shapes = []
    for i, ref in enumerate(refs):
        letters, number = R.split_cell(ref)
        column, row = xlsx_patch.column_index(letters), number - 1
        shapes.append(
            f'<v:shape id="_x0000_s{idmap * 1024 + i + 1}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
            'margin-top:1.5pt;width:240pt;height:80pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{column + 1}, 15, {row}, 10, '
            f'{column + 5}, 15, {row + 5}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row>'
            f'<x:Column>{column}</x:Column></x:ClientData></v:shape>')
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>").encode()


# --- the Problems sheet's XML ---------------------------------------------------------------------------

def problems_xml(layout: Layout, titles: set[str]) -> bytes:
    rows = [_row(1, [(name, header) for name, header in zip(NAMES, layout.header, strict=False)])]
    boxes = []
    for number, line in enumerate(layout.lines, start=2):
        cells = []
        for name in NAMES:
            if name == "link":
                formula = _link(line, layout.link_label, titles)
                if formula:
                    cells.append((name, ("formula", formula, layout.link_label)))
            elif name == "confirmed" and line.checkbox:
                cells.append((name, bool(line.cells[name])))
                boxes.append(f"{column_letter(NAMES.index(name))}{number}")
            else:
                cells.append((name, line.cells[name]))
        rows.append(_row(number, cells))
    last = f"{column_letter(len(NAMES) - 1)}{len(layout.lines) + 1}"
    widths = "".join(f'<col min="{NAMES.index(n) + 1}" max="{NAMES.index(n) + 1}" width="{w}" customWidth="1"/>'
                     for n, w in sorted(WIDTHS.items(), key=lambda item: NAMES.index(item[0])))
    validation = (f'<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" sqref="{" ".join(boxes)}">'
                  '<formula1>"TRUE,FALSE"</formula1></dataValidation></dataValidations>') if boxes else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:r="{REL_NS}">'
            f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{widths}</cols><sheetData>{"".join(rows)}</sheetData>{validation}'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>').encode()


def _row(number: int, cells: list[tuple[str, Any]]) -> str:
    out = []
    for name, value in cells:
        ref = f"{column_letter(NAMES.index(name))}{number}"
        if isinstance(value, tuple) and value[0] == "formula":
            out.append(f'<c r="{ref}" t="str"><f>{escape(value[1])}</f><v>{escape(value[2])}</v></c>')
        elif isinstance(value, bool):
            out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, (int, float)):
            out.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif value not in (None, ""):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(_xml_text(str(value)))}</t></is></c>')
    return f'<row r="{number}">{"".join(out)}</row>'


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Characters XML cannot hold (a control character typed in a cell) shown as Excel writes them: _x0001_."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _link(line: Line, label: str, titles: set[str]) -> str | None:
    """`HYPERLINK("#'households'!C"&IFERROR(MATCH("HH-0042",'households'!A:A,0),17),"Open")`: the row found by key."""
    if line.link is None or line.link.tab not in titles:
        return None
    sheet = "'" + line.link.tab.replace("'", "''") + "'"
    if line.link.cell is None:
        return f"HYPERLINK({R.text_literal(f'#{sheet}!A1')},{R.text_literal(label)})"
    letters, row = R.split_cell(line.link.cell)
    found = R.row_formula(line.link.tab, line.link.key_refs, row, array="") if line.link.key_refs else None
    target = f"{R.text_literal(f'#{sheet}!{letters}')}&{found}" if found else R.text_literal(f"#{sheet}!{line.link.cell}")
    return f"HYPERLINK({target},{R.text_literal(label)})"
