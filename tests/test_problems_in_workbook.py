"""The same on the workbook source (what `make run` shows on the demo): a Problems sheet and cell comments,
written under the workbook's lock, every data cell untouched; read back with openpyxl, as Excel would open it.
"A person" edits the file with openpyxl, as they would in Excel."""
from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment

from connectors import pipeline
from connectors.problems import feedback
from connectors.problems import notes as N
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from schemas.registry import TABS
from tests.factories import small_book, write_xlsx


def whole_book() -> dict[str, list[list]]:
    book = small_book()
    for tab in TABS:
        book.setdefault(tab.name, [[c.name for c in tab.columns]])
    return book


@pytest.fixture
def workbook(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "tab+notes")
    path = write_xlsx(whole_book(), tmp_path / "book.xlsx")
    return path, WorkbookSource(path), Cache(":memory:")


def check(source, cache) -> str:
    """One check, as the poll makes it: the refresh, then the send (synchronous here)."""
    pipeline.refresh(cache, source, send_saves=False)
    return cache.cursor().execute('SELECT outcome FROM _problem_sends ORDER BY "at" DESC, rowid DESC LIMIT 1').fetchone()


def sheet_data(path) -> dict[str, bytes]:
    """Each data sheet's <sheetData> exactly as stored: the cells' values and style references, byte for byte."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                data = archive.read(name)
                found = re.search(rb"<sheetData>.*</sheetData>|<sheetData/>", data, re.S)
                out[name] = found.group(0) if found else b""
    return out


def cells(path) -> dict[str, list]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [(c.coordinate, c.value, c.number_format, c.style_id) for row in ws.iter_rows() for c in row]
            for ws in book.worksheets if ws.title != "Problems"}


def person_edits(path, sheet: str, cell: str, value=None, comment: str | None = None) -> None:
    book = openpyxl.load_workbook(path)
    if value is not None:
        book[sheet][cell].value = value
    if comment is not None:
        book[sheet][cell].comment = Comment(comment, "Sokha")
    book.save(path)


def test_a_mistake_gets_its_row_and_comment_and_both_go_once_fixed_read_back_by_openpyxl(workbook):
    path, source, cache = workbook
    before = sheet_data(path)
    assert check(source, cache) == ("sent",)
    assert {name: data for name, data in sheet_data(path).items() if name in before} == before
    book = openpyxl.load_workbook(path)
    rows = list(book["Problems"].iter_rows(values_only=True))
    assert rows[0] == ("Tab", "Row", "Column", "Value as typed", "What is wrong", "Error or warning", "First seen", "Open",
                       "Correct as typed", "Back office id")
    assert [(r[0], r[1], r[2], r[5], r[8]) for r in rows[1:]] == [
        ("villages", 2, "village", "warning", False), ("villages", 2, "commune", "warning", False),
        ("villages", 2, "district", "warning", False), ("villages", 3, "village", "warning", False),
        ("villages", 3, "commune", "warning", False), ("villages", 3, "district", "warning", False)]
    assert book["Problems"]["H2"].value == '=HYPERLINK("#\'villages\'!B"&IFERROR(MATCH("12010101",\'villages\'!A:A,0),2),"Open")'
    assert book["villages"]["B2"].comment.text.startswith("Back office:\n• Row 2: 'village' is 'Krol Kor'")
    person_edits(path, "households", "E3", "lots", comment="Chan said 4, then 5")
    check(source, cache)
    book = openpyxl.load_workbook(path)
    listed = [r for r in book["Problems"].iter_rows(values_only=True) if r[0] == "households"]
    assert [(r[1], r[2], r[3], r[5], r[8]) for r in listed] == [(3, "members", "lots", "error", None)]
    note = book["households"]["E3"].comment
    assert N.split(note.text) == ("Chan said 4, then 5", "Back office:\n• Row 3: 'members' is 'lots', which is not a number. "
                                                          "Type a number such as 1250 in cell E3.")
    assert note.author == "Sokha"  # the person's comment, with the app's block below theirs
    person_edits(path, "households", "E3", 4)
    check(source, cache)
    book = openpyxl.load_workbook(path)
    assert [r for r in book["Problems"].iter_rows(values_only=True) if r[0] == "households"] == []
    assert book["households"]["E3"].comment.text == "Chan said 4, then 5"


def test_no_data_cell_changes_in_value_or_format_only_the_problems_sheet_and_comments(workbook):
    path, source, cache = workbook
    person_edits(path, "households", "E3", "lots")  # a mistake, and a date cell with its format in the same sheet
    before_cells, before_bytes = cells(path), sheet_data(path)
    check(source, cache)
    assert cells(path) == before_cells
    after = sheet_data(path)
    assert {name: after[name] for name in before_bytes} == before_bytes  # every data sheet's cells, byte for byte
    assert len(after) == len(before_bytes) + 1  # and the Problems sheet
    version = source.version()
    assert check(source, cache) is not None and source.version() == version  # nothing changed: the file is not written


def test_ticking_correct_as_typed_in_the_workbook_hides_the_warning_and_the_comment(workbook):
    path, source, cache = workbook
    check(source, cache)
    book = openpyxl.load_workbook(path)
    problems = book["Problems"]
    row = next(r[0].row for r in problems.iter_rows(min_row=2) if r[9].value == "villages|12010101|village|places.name_mismatch")
    problems[f"I{row}"].value = True
    book.save(path)
    check(source, cache)
    book = openpyxl.load_workbook(path)
    ids = [r[9] for r in book["Problems"].iter_rows(min_row=2, values_only=True)]
    heading = ids.index("#confirmed")
    assert "villages|12010101|village|places.name_mismatch" not in ids[:heading]
    assert ids[heading + 1:] == ["villages|12010101|village|places.name_mismatch"]
    assert book["villages"]["B2"].comment is None
    assert cache.cursor().execute("SELECT count(*) FROM _issues WHERE tab = 'villages'").fetchone()[0] == 5
    assert book["audit_log"]["G2"].value == "Krol Kor" and book["audit_log"]["H2"].value == "confirmed correct as typed"


def test_a_workbook_open_in_excel_waits_and_is_written_once_it_is_closed(workbook):
    path, source, cache = workbook
    lock = path.with_name(f".~lock.{path.name}#")
    lock.write_text(",Sokha,laptop,07.12.2026 10:00,file:///home/sokha/.config/libreoffice/4;")
    assert check(source, cache)[0] == "failed"
    assert "Problems" not in openpyxl.load_workbook(path).sheetnames
    lock.unlink()
    assert feedback.send(cache, source) == "sent"  # a busy workbook is tried again at the next poll
    assert "Problems" in openpyxl.load_workbook(path).sheetnames
