"""Merged cells on both sources: an .xlsx's merged ranges (made with openpyxl) and a Google Sheet's `merges`
(made with the real gspread client against the local Sheets server). A merge's value is read in every
row it covers, with one warning per merge; a merge down the key column is an error, never a guess; a
save refuses to write inside a merge, because a row is found by its key and the sheet would show the
merge's value over it."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from connectors import sync
from connectors.sources.workbook import WorkbookSource
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit, RowDelete
from schemas.grid import Merge
from schemas.validate import validate_workbook
from tests.factories import EDITOR, SOURCES, Env, small_book, write_xlsx

LEDGER = [
    ["entry_id", "date", "bank_id", "kind", "kg", "household_id", "loan_id", "note"],
    ["RL-000120", dt.date(2017, 1, 1), "RB-01", "donation", 500],
    ["RL-000121", dt.date(2017, 1, 5), "RB-01", "donation", 1000, "", "", "one day's entries"],
    ["RL-000122", None, "RB-01", "loan", 100, "HH-0041", "RL-000122"],
    ["RL-000123", None, "RB-01", "repayment", 50, "HH-0041", "RL-000122"],
]


DATED = [LEDGER[0], LEDGER[1], LEDGER[2]] + [[r[0], dt.date(2017, 1, 5), *r[2:]] for r in LEDGER[3:]]


def book_with_ledger(rows=LEDGER):
    book = small_book()
    book["rice_ledger"] = rows
    return book


def merge(env: Env, cells: str, tab: str = "rice_ledger") -> None:
    """Staff merge cells: in Excel (openpyxl) or in the Google Sheet (gspread's merge_cells)."""
    if env.kind == "workbook":
        workbook = openpyxl.load_workbook(env.path)
        workbook[tab].merge_cells(cells)
        workbook.save(env.path)
    else:
        env.source.client.open_by_key(env.key).worksheet(tab).merge_cells(cells)
        env.source.version()  # the sheet changed: the next read asks for its merges again
    read_check_load(env.cache, env.source)


@pytest.fixture(params=SOURCES)
def ledger_env(request, tmp_path) -> Env:
    return Env(request.param, tmp_path, request, book_with_ledger())


@pytest.fixture(params=SOURCES)
def dated_env(request, tmp_path) -> Env:
    return Env(request.param, tmp_path, request, book_with_ledger(DATED))


def ledger_issues(env: Env) -> tuple[dict, list]:
    """The typed tabs, and the rice ledger's issues (the small book's other tabs have their own)."""
    frames, issues = validate_workbook(env.source.read())
    return frames, [i for i in issues if i.tab == "rice_ledger"]


def test_a_date_merged_down_the_rows_of_one_day_is_read_in_each_row_with_one_warning(ledger_env):
    merge(ledger_env, "B3:B5")
    grid = ledger_env.source.read(["rice_ledger"])["rice_ledger"]
    assert grid.merges == (Merge(2, 5, 1, 2),)
    frames, issues = ledger_issues(ledger_env)
    ledger = frames["rice_ledger"].frame
    assert [d.date() for d in ledger["date"]] == [dt.date(2017, 1, 1)] + [dt.date(2017, 1, 5)] * 3
    assert [(i.tab, i.row, i.cell, i.rule, i.severity) for i in issues] == [("rice_ledger", 3, "B3", "cell.merged", "warning")]
    assert issues[0].message == ("Row 3: Cells B3:B5 are merged, so 'date' is 5 Jan 2017 in each of rows 3 to 5. "
                                 "If one of those rows has another value, unmerge the cells and type it.")
    cached = ledger_env.cache.cursor().execute("SELECT count(*) FROM rice_ledger WHERE date = DATE '2017-01-05'").fetchone()[0]
    assert cached == 3


def test_a_merge_down_the_key_column_is_one_error_and_nothing_is_guessed(dated_env):
    merge(dated_env, "A4:A5")
    frames, issues = ledger_issues(dated_env)
    assert [(i.row, i.cell, i.rule) for i in issues if i.severity == "error"] == [
        (4, "A4", "cell.merged_key")]
    assert "rows 4 to 5 cannot be told apart" in issues[[i.rule for i in issues].index("cell.merged_key")].message
    assert frames["rice_ledger"].frame["entry_id"].fillna("").tolist()[2:] == ["RL-000122", ""]  # the key is not copied down


def test_a_save_refuses_to_write_inside_a_merge_and_writes_beside_it(ledger_env):
    merge(ledger_env, "B3:B5")
    refused = sync.save(ledger_env.cache, ledger_env.source, EDITOR,
                        [CellEdit("rice_ledger", ("RL-000122",), "date", dt.date(2017, 1, 5), dt.date(2017, 1, 6))])
    assert refused.status == sync.REFUSED
    assert "is part of the merged cells B3:B5" in refused.message and "Nothing was saved" in refused.message
    deleted = sync.save(ledger_env.cache, ledger_env.source, EDITOR, deletes=[RowDelete("rice_ledger", ("RL-000123",))])
    assert deleted.status == sync.REFUSED and "B3:B5" in deleted.message
    saved = sync.save(ledger_env.cache, ledger_env.source, EDITOR, [CellEdit("rice_ledger", ("RL-000122",), "kg", 100, 90)])
    assert saved.status == sync.SAVED, saved.message
    assert ledger_env.cell("rice_ledger", "RL-000122", "kg") == 90
    assert ledger_env.source.read(["rice_ledger"])["rice_ledger"].merges == (Merge(2, 5, 1, 2),)


def test_deleting_a_row_above_a_merge_moves_the_merge_with_its_rows(ledger_env):
    merge(ledger_env, "B3:B5")
    result = sync.save(ledger_env.cache, ledger_env.source, EDITOR, deletes=[RowDelete("rice_ledger", ("RL-000120",))])
    assert result.status == sync.SAVED, result.message
    if ledger_env.kind == "gsheets":
        ledger_env.source.version()
    grid = ledger_env.source.read(["rice_ledger"])["rice_ledger"]
    assert grid.merges == (Merge(1, 4, 1, 2),)
    frames, issues = ledger_issues(ledger_env)
    assert [d.date() for d in frames["rice_ledger"].frame["date"]] == [dt.date(2017, 1, 5)] * 3
    assert [(i.cell, i.rule) for i in issues] == [("B2", "cell.merged")]


def test_the_local_server_answers_merges_in_googles_shape(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"Sheet1": [["a", "b"], [1, 2], [3, 4]], "rice_ledger": LEDGER})
    source = make_source(key)
    spreadsheet = source.client.open_by_key(key)
    spreadsheet.worksheet("Sheet1").merge_cells("A1:B1")
    spreadsheet.worksheet("rice_ledger").merge_cells("B3:B5", merge_type="MERGE_COLUMNS")
    metadata = spreadsheet.fetch_sheet_metadata()
    first, ledger = metadata["sheets"]
    assert first["merges"] == [{"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}]  # sheetId 0 left out
    assert ledger["merges"] == [{"sheetId": ledger["properties"]["sheetId"], "startRowIndex": 2, "endRowIndex": 5,
                                 "startColumnIndex": 1, "endColumnIndex": 2}]
    assert sheets_server.cell(key, "Sheet1", "B1") == ""  # a merge keeps only its top-left value
    spreadsheet.worksheet("rice_ledger").unmerge_cells("B3:B5")
    assert "merges" not in spreadsheet.fetch_sheet_metadata()["sheets"][1]


def test_a_workbook_merge_is_read_from_the_xlsx(tmp_path):
    path = write_xlsx(book_with_ledger(), tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["rice_ledger"].merge_cells("B3:B5")
    workbook["rice_ledger"].merge_cells("H2:J2")  # a wide note: one cell, nothing to apply
    workbook.save(path)
    grid = WorkbookSource(path).read(["rice_ledger"])["rice_ledger"]
    assert sorted(grid.merges) == [Merge(1, 2, 7, 10), Merge(2, 5, 1, 2)]
