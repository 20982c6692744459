"""The workbook source: reads every tab as raw grids; a save rewrites only the sheets it touches."""
import datetime as dt
import zipfile

import pytest

from connectors.sources.interface import CellUpdate, RowAppend, SourceError, WriteBatch
from connectors.sources.workbook import WorkbookSource
from connectors.sources.xlsx_patch import sheet_parts
from schemas.registry import tab as registered_tab


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(part) for name, part in sheet_parts(archive).items()}


def test_reading_gives_headers_as_written_and_sheet_rows(demo_workbook):
    grids = WorkbookSource(demo_workbook).read(["rice_banks", "rice_ledger"])
    assert set(grids) == {"rice_banks", "rice_ledger"}
    assert grids["rice_ledger"].header == ["Entry ID", "Date", "Bank ID", "Kind", "Kg", "Household ID", "Loan ID", "Note"]
    assert grids["rice_ledger"].first_row == 2
    assert grids["rice_ledger"].rows[0][:4] == ["RL-000001", dt.date(2016, 2, 18), "RB-01", "donation"]


def test_a_save_changes_only_the_touched_sheet_and_keeps_types(demo_copy):
    source = WorkbookSource(demo_copy)
    before = _parts(demo_copy)
    result = source.write(WriteBatch(
        updates=[CellUpdate("rice_ledger", ("RL-000002",), "note", None, '=IMPORTXML("http://x","//a")'),
                 CellUpdate("rice_ledger", ("RL-000002",), "kg", 60.0, 62.5)],
        appends=[RowAppend("rice_ledger", {"entry_id": "RL-009999", "date": dt.date(2019, 1, 2), "bank_id": "RB-01", "kind": "donation", "kg": 100.0})],
        deletes=[("rice_ledger", ("RL-000003",))],
    ))
    assert (result.cells_updated, result.rows_appended, result.rows_deleted) == (2, 1, 1)
    after = _parts(demo_copy)
    assert [name for name in before if before[name] != after[name]] == ["rice_ledger"]
    rows = source.read(["rice_ledger"])["rice_ledger"].rows
    assert rows[1] == ["RL-000002", dt.date(2016, 7, 1), "RB-01", "loan", 62.5, "HH-0328", "RB-01-L001", '=IMPORTXML("http://x","//a")']
    assert rows[2][0] == "RL-000004"  # the deleted row's neighbours moved up
    assert rows[-1] == ["RL-009999", dt.date(2019, 1, 2), "RB-01", "donation", 100.0]


def test_a_save_to_a_row_that_is_gone_says_so_and_writes_nothing(demo_copy):
    before = demo_copy.read_bytes()
    with pytest.raises(SourceError, match="RL-777777 is no longer in tab 'rice_ledger'"):
        WorkbookSource(demo_copy).write(WriteBatch(updates=[CellUpdate("rice_ledger", ("RL-777777",), "kg", 1, 2)]))
    assert demo_copy.read_bytes() == before


def test_a_missing_workbook_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        WorkbookSource(tmp_path / "none.xlsx").version()


def test_a_huge_negative_number_in_a_date_cell_is_read_as_typed_and_the_rest_of_the_sheet_as_ever(tmp_path):
    # calamine panics (pyo3's PanicException, a BaseException) on a date-formatted number far outside any
    # date: the whole read failed and the app had no data (issue 23). The row is read as stored instead.
    import openpyxl

    from schemas.validate import validate_workbook

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "rice_ledger"
    sheet.append(["Entry ID", "Date", "Bank ID", "Kind", "Kg", "Household ID", "Loan ID", "Note"])
    for entry, date in [("RL-000001", dt.date(2016, 2, 18)), ("RL-000002", -1e12), ("RL-000003", dt.date(2016, 3, 1))]:
        sheet.append([entry, date, "RB-01", "donation", 100, None, None, "typed"])
    for row in (2, 3, 4):
        sheet.cell(row=row, column=2).number_format = "dd/mm/yyyy"
    sheet["I3"] = "beside"
    path = tmp_path / "typed.xlsx"
    book.save(path)

    rows = WorkbookSource(path).read(["rice_ledger"])["rice_ledger"].rows
    assert rows == [["RL-000001", dt.date(2016, 2, 18), "RB-01", "donation", 100.0, "", "", "typed"],
                    ["RL-000002", -1e12, "RB-01", "donation", 100.0, None, None, "typed", "beside"],
                    ["RL-000003", dt.date(2016, 3, 1), "RB-01", "donation", 100.0, "", "", "typed"]]
    issues = validate_workbook(WorkbookSource(path).read(["rice_ledger"]), tabs=[registered_tab("rice_ledger")])[1]
    assert [(i.cell, i.rule, i.value) for i in issues if i.row == 3] == [("B3", "cell.not_a_date", -1e12)]
