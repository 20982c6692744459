"""Shapes staff give a sheet: blank rows are skipped, hidden rows are read, a column staff added is one note,
and a second header row (names, English or Khmer titles, descriptions typed under the headers) is skipped
with one warning."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from connectors.sources.workbook import WorkbookSource
from schemas.base import khmer_title
from schemas.grid import Grid
from schemas.i18n import language
from schemas.registry import tab
from schemas.validate import validate_tab
from tests.factories import small_book, write_xlsx

BANKS = tab("rice_banks")
ROW = ["RB-01", "Krol Kor", "12010101", dt.date(2016, 1, 10), 5000, 10]


def check(rows, header=None):
    found, issues = validate_tab(BANKS, Grid("rice_banks", header or [c.title for c in BANKS.columns], rows))
    return found.frame, [(i.row, i.cell, i.rule, i.severity) for i in issues], issues


@pytest.mark.parametrize("second", [
    [c.name for c in BANKS.columns],
    [c.title for c in BANKS.columns],
    [khmer_title(c) for c in BANKS.columns],
    [c.description for c in BANKS.columns],
    ["bank id", "", "VILLAGE CODE", "", "Capacity (kg)"],  # some columns only, any case
])
def test_a_second_header_row_is_skipped_with_one_warning(second):
    frame, found, issues = check([second, ROW, ["RB-02", *ROW[1:]]])
    assert frame["bank_id"].tolist() == ["RB-01", "RB-02"] and frame["_row"].tolist() == [3, 4]
    assert found == [(2, None, "header.second_row", "warning")]
    assert issues[0].message == "Row 2: This row names or describes the columns of tab 'rice_banks' under their headers; it is not read as data."
    with language("km"):
        assert "មិនត្រូវបានអានជាទិន្នន័យទេ" in issues[0].message


def test_a_data_row_holding_one_word_like_a_header_is_still_data():
    frame, found, _ = check([["RB-01", "Name", "12010101", dt.date(2016, 1, 10), 5000, 10]])
    assert frame["name"].tolist() == ["Name"] and found == []


def test_blank_rows_are_skipped_and_a_column_staff_added_is_one_note():
    header = [c.title for c in BANKS.columns] + ["Checked by"]
    frame, found, _issues = check([[*ROW, "Sokha"], [], ["", "  ", None], ["RB-02", *ROW[1:], "Dara"]], header)
    assert frame["_row"].tolist() == [2, 5]
    assert found == [(1, "G1", "header.unknown_column", "warning")]


def test_hidden_rows_are_read_like_any_other(tmp_path):
    book = small_book()
    book["rice_banks"] = [[c.name for c in BANKS.columns], ROW, ["RB-02", *ROW[1:]], ["RB-03", *ROW[1:]]]
    path = write_xlsx(book, tmp_path / "hidden.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["rice_banks"].row_dimensions[3].hidden = True
    workbook.save(path)
    found, issues = validate_tab(BANKS, WorkbookSource(path).read(["rice_banks"])["rice_banks"])
    assert found.frame["bank_id"].tolist() == ["RB-01", "RB-02", "RB-03"] and list(issues) == []
