"""The local Sheets server's notes, grid data, lookup formulas and sorting, driven by the real gspread
client in Google's shapes (what the Problems tab and its notes rely on: connectors.problems)."""
from __future__ import annotations

import gspread
import pytest

from connectors.sources.google_http import GoogleSession


@pytest.fixture
def gc(sheets_server):
    return gspread.Client(auth=None, session=GoogleSession(sheets_server.base_url, compact=False, gzip=False))


@pytest.fixture
def book(sheets_server, gc):
    key = sheets_server.create_spreadsheet("Notes", {"households": [["household_id", "head_name"], ["HH-0041", "Sok"],
                                                                    ["HH-0042", "Chan"], ["HH-0043", "Keo"]],
                                                     "links": []})
    return key, gc.open_by_key(key)


def test_a_note_written_read_and_cleared_with_gspread(book, sheets_server):
    key, sh = book
    ws = sh.worksheet("households")
    ws.update_note("B3", "Ask Chan about the spelling")
    assert ws.get_note("B3") == "Ask Chan about the spelling"
    assert ws.get_notes() == [[], [], ["", "Ask Chan about the spelling"]]
    assert sheets_server.notes(key, "households") == {"B3": "Ask Chan about the spelling"}
    ws.clear_note("B3")
    assert ws.get_note("B3") == "" and sheets_server.notes(key, "households") == {}


def test_grid_data_is_answered_in_googles_shape_for_the_fields_asked(book, gc):
    key, sh = book
    sh.worksheet("households").update_note("B3", "mine")
    got = gc.http_client.fetch_sheet_metadata(key, params={
        "ranges": ["'households'!A2:B4"], "fields": "sheets(properties(title),data(startRow,startColumn,rowData(values(note,effectiveValue))))"})
    assert got == {"sheets": [{"properties": {"title": "households"}, "data": [{"startRow": 1, "rowData": [
        {"values": [{"effectiveValue": {"stringValue": "HH-0041"}}, {"effectiveValue": {"stringValue": "Sok"}}]},
        {"values": [{"effectiveValue": {"stringValue": "HH-0042"}}, {"effectiveValue": {"stringValue": "Chan"}, "note": "mine"}]},
        {"values": [{"effectiveValue": {"stringValue": "HH-0043"}}, {"effectiveValue": {"stringValue": "Keo"}}]}]}]}]}
    only_notes = gc.http_client.fetch_sheet_metadata(key, params={"ranges": ["households"], "fields": "sheets.data.rowData.values.note"})
    assert only_notes == {"sheets": [{"data": [{"rowData": [{}, {}, {"values": [{}, {"note": "mine"}]}]}]}]}


@pytest.mark.usefixtures("gc", "sheets_server")
def test_update_cells_with_a_range_clears_what_its_rows_leave_out(book):
    _key, sh = book
    sheet_id = sh.worksheet("households").id
    sh.batch_update({"requests": [{"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 2},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "X"}}]}], "fields": "userEnteredValue"}}]})
    assert sh.worksheet("households").get_all_values() == [["household_id", "head_name"], ["X", ""]]


@pytest.mark.usefixtures("gc")
def test_a_hyperlink_found_by_key_follows_its_row_through_a_sort_and_inserted_rows(book, sheets_server):
    key, sh = book
    households = sh.worksheet("households")
    formula = f'=HYPERLINK("#gid={households.id}&range=B"&IFERROR(MATCH("HH-0042",\'households\'!A:A,0),3),"Open")'
    links = sh.worksheet("links")
    sh.batch_update({"requests": [{"updateCells": {"start": {"sheetId": links.id, "rowIndex": 0, "columnIndex": 0},
                                                   "rows": [{"values": [{"userEnteredValue": {"formulaValue": formula}}]}],
                                                   "fields": "userEnteredValue"}}]})
    assert links.acell("A1").value == "Open"
    assert sheets_server.cell_parts(key, "links", "A1")["hyperlink"] == f"#gid={households.id}&range=B3"
    households.update_note("B3", "Chan's note")
    households.freeze(rows=1)  # as staff keep their header: a sort leaves it in place
    households.sort((1, "des"))  # HH-0043, HH-0042, HH-0041 under the header
    assert households.col_values(1) == ["household_id", "HH-0043", "HH-0042", "HH-0041"]
    assert sheets_server.notes(key, "households") == {"B3": "Chan's note"}  # the note moved with its row (it stayed 3rd)
    households.sort((2, "asc"))  # Chan, Keo, Sok
    assert households.col_values(1) == ["household_id", "HH-0042", "HH-0043", "HH-0041"]
    assert sheets_server.notes(key, "households") == {"B2": "Chan's note"}
    assert sheets_server.cell_parts(key, "links", "A1")["hyperlink"] == f"#gid={households.id}&range=B2"
    households.insert_rows([["HH-0050", "New"], ["HH-0051", "Newer"]], row=2)
    assert households.cell(4, 1).value == "HH-0042"
    assert sheets_server.cell_parts(key, "links", "A1")["hyperlink"] == f"#gid={households.id}&range=B4"
    assert sheets_server.notes(key, "households") == {"B4": "Chan's note"}
    households.delete_rows(4)  # the row is gone: IFERROR falls back to the row it was written for
    assert sheets_server.cell_parts(key, "links", "A1")["hyperlink"] == f"#gid={households.id}&range=B3"


def test_checkbox_validation_on_a_cell_and_a_warning_only_protection_with_an_editable_column(book, gc):
    key, sh = book
    links = sh.worksheet("links")
    checkbox = {"condition": {"type": "BOOLEAN"}, "showCustomUi": True}
    sh.batch_update({"requests": [
        {"updateCells": {"start": {"sheetId": links.id, "rowIndex": 1, "columnIndex": 2},
                         "rows": [{"values": [{"userEnteredValue": {"boolValue": False}, "dataValidation": checkbox}]}],
                         "fields": "userEnteredValue,dataValidation"}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": links.id}, "description": "ours", "warningOnly": True,
                                                  "unprotectedRanges": [{"sheetId": links.id, "startRowIndex": 1, "startColumnIndex": 2,
                                                                         "endColumnIndex": 3}]}}}]})
    cell = gc.http_client.fetch_sheet_metadata(key, params={"ranges": ["links!C2"], "fields": "sheets.data.rowData.values(userEnteredValue,dataValidation)"})
    assert cell["sheets"][0]["data"][0]["rowData"][0]["values"][0] == {"userEnteredValue": {"boolValue": False}, "dataValidation": checkbox}
    meta = gc.http_client.fetch_sheet_metadata(key, params={"fields": "sheets(properties(title),protectedRanges(warningOnly,unprotectedRanges))"})
    assert meta["sheets"][1]["protectedRanges"] == [{"warningOnly": True, "unprotectedRanges": [
        {"sheetId": links.id, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3}]}]


@pytest.mark.usefixtures("gc")
def test_a_hyperlink_typed_user_entered_is_a_formula_and_raw_stays_text(book, sheets_server):
    key, sh = book
    links = sh.worksheet("links")
    formula = '=HYPERLINK("#gid=0&range=A"&MATCH("HH-0043",households!A:A,0),"Keo")'
    links.update([[formula]], "A1", value_input_option="USER_ENTERED")
    links.update([[formula]], "A2", value_input_option="RAW")
    assert links.get("A1:A2", value_render_option="FORMULA") == [[formula], [formula]]
    assert sheets_server.cell_parts(key, "links", "A1") == {
        "userEnteredValue": {"formulaValue": formula}, "effectiveValue": {"stringValue": "Keo"}, "formattedValue": "Keo",
        "hyperlink": "#gid=0&range=A4"}
    assert sheets_server.cell_parts(key, "links", "A2") == {
        "userEnteredValue": {"stringValue": formula}, "effectiveValue": {"stringValue": formula}, "formattedValue": formula}
