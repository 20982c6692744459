"""The local Sheets API server itself: ranges, rendering, errors, faults, admin endpoints, CLI."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import gspread
import pytest
import requests

from connectors.sources.google_http import GoogleSession, rewrite

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gc(sheets_server):
    return gspread.Client(auth=None, session=GoogleSession(sheets_server.base_url, compact=False, gzip=False))


@pytest.fixture
def api(sheets_server):
    """Raw HTTP to the server: (method, path, **kwargs) -> response."""
    session = requests.Session()

    def call(method: str, path: str, **kwargs):
        return session.request(method, sheets_server.base_url + path, **kwargs)

    return call


def test_gspread_round_trip_trims_like_google(gc):
    sh = gc.create("Round trip")
    ws = sh.sheet1
    ws.update([["A1", "B1", "", "D1"], ["", "b2", "", ""], ["", "", "", ""], ["A4", "B4", "", "D4"]], "A1")
    assert ws.get_all_values() == [["A1", "B1", "", "D1"], ["", "b2", "", ""], ["", "", "", ""], ["A4", "B4", "", "D4"]]
    data = sh.values_batch_get(["Sheet1!A1:D4", "'Sheet1'!B4:D4", "Sheet1!A:A"])["valueRanges"]
    assert data[0]["values"] == [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]]
    assert [d["range"] for d in data] == ["Sheet1!A1:D4", "Sheet1!B4:D4", "Sheet1!A1:A1000"]


@pytest.mark.parametrize("asked, answered", [
    ("Sheet1", "Sheet1!A1:Z1000"),
    ("'Sheet1'!A1:1", "Sheet1!A1:Z1"),
    ("Sheet1!B2:A1", "Sheet1!A1:B2"),
    ("Sheet1!C3", "Sheet1!C3"),
    ("A2:B", "Sheet1!A2:B1000"),
    ("'My tab'!A1:B2", "'My tab'!A1:B2"),
    ("My tab!A:A", "'My tab'!A1:A1000"),
    ("'O''Neil'", "'O''Neil'!A1:Z1000"),
])
def test_ranges_are_normalised_as_google_does(sheets_server, api, asked, answered):
    key = sheets_server.create_spreadsheet("Ranges", {"Sheet1": [], "My tab": [], "O'Neil": []})
    body = api("GET", f"/v4/spreadsheets/{key}/values/{requests.utils.quote(asked, safe='')}").json()
    assert body == {"range": answered, "majorDimension": "ROWS"}


def test_render_options_and_input_options(sheets_server, api):
    key = sheets_server.create_spreadsheet("Render", {"Sheet1": []})
    put = lambda option, rows: api("PUT", f"/v4/spreadsheets/{key}/values/Sheet1!A1?valueInputOption={option}", json={"values": rows})
    assert put("USER_ENTERED", [["=4/2", "2020-01-01", "string", 53, "TRUE"]]).status_code == 200
    assert put("RAW", [[None, None, None, None, None, "=IMPORTXML(\"http://x\",\"//a\")", "0123"]]).json()["updatedCells"] == 2
    get = lambda query: api("GET", f"/v4/spreadsheets/{key}/values/Sheet1?{query}").json()["values"][0]
    assert get("valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER") == [2, 43831, "string", 53, True, "=IMPORTXML(\"http://x\",\"//a\")", "0123"]
    assert get("valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=FORMATTED_STRING")[1] == "2020-01-01"
    assert get("") == ["2", "2020-01-01", "string", "53", "TRUE", "=IMPORTXML(\"http://x\",\"//a\")", "0123"]
    assert get("valueRenderOption=FORMULA")[:2] == ["=4/2", 43831]
    columns = api("GET", f"/v4/spreadsheets/{key}/values/Sheet1!A1:B1?majorDimension=COLUMNS").json()["values"]
    assert columns == [["2"], ["2020-01-01"]]


def test_errors_have_google_bodies(sheets_server, api):
    key = sheets_server.create_spreadsheet("Errors", {"Sheet1": []})
    bad = api("GET", f"/v4/spreadsheets/{key}/values/Nope!A1")
    assert bad.status_code == 400
    assert bad.json() == {"error": {"code": 400, "message": "Unable to parse range: Nope!A1", "status": "INVALID_ARGUMENT"}}
    outside = api("GET", f"/v4/spreadsheets/{key}/values/Sheet1!A1:AB2")
    assert outside.status_code == 400 and "exceeds grid limits" in outside.json()["error"]["message"]
    missing = api("GET", "/v4/spreadsheets/1nope")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"
    sheets_server.deny(match="values")
    denied = api("GET", f"/v4/spreadsheets/{key}/values/Sheet1")
    assert denied.status_code == 403 and denied.json()["error"]["status"] == "PERMISSION_DENIED"


def test_compact_json_and_gzip_only_when_asked_the_google_way(sheets_server, api):
    key = sheets_server.create_spreadsheet("Bytes", {"Sheet1": [["a", "b"], [1, 2]]})
    path = f"/v4/spreadsheets/{key}/values/Sheet1"
    pretty = api("GET", path)
    compact = api("GET", path + "?prettyPrint=false")
    assert pretty.json() == compact.json() and len(compact.content) < len(pretty.content)
    assert b"\n  " in pretty.content and b"\n" not in compact.content
    plain = api("GET", path, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers  # Google also wants "gzip" in the User-Agent
    zipped = requests.get(sheets_server.base_url + path, headers={"Accept-Encoding": "gzip", "User-Agent": "x (gzip)"}, stream=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.raw.read())) == pretty.json()


def test_modified_time_moves_on_every_write_and_edit(sheets_server, api):
    key = sheets_server.create_spreadsheet("Times", {"Sheet1": []})
    stamp = lambda: api("GET", f"/drive/v3/files/{key}?fields=modifiedTime").json()
    first = stamp()
    assert list(first) == ["modifiedTime"]
    api("PUT", f"/v4/spreadsheets/{key}/values/Sheet1!A1?valueInputOption=RAW", json={"values": [["x"]]})
    second = stamp()
    sheets_server.edit(key, "Sheet1", "B2", "by someone else")
    third = stamp()
    assert first["modifiedTime"] < second["modifiedTime"] < third["modifiedTime"]
    api("GET", f"/v4/spreadsheets/{key}/values/Sheet1")
    assert stamp() == third  # reading changes nothing


def test_structure_requests_show_in_metadata_and_formats(sheets_server, api):
    key = sheets_server.create_spreadsheet("Structure", {"Sheet1": [["when"], [45000]]})
    requests_ = [
        {"addSheet": {"properties": {"title": "villages", "gridProperties": {"rowCount": 10, "columnCount": 3, "frozenRowCount": 1}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}, "description": "header", "warningOnly": True}}},
        {"repeatCell": {"range": {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1},
                        "cell": {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}},
                        "fields": "userEnteredFormat.numberFormat"}},
        {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 1}, "rule": {"condition": {"type": "BOOLEAN"}}}},
    ]
    reply = api("POST", f"/v4/spreadsheets/{key}:batchUpdate", json={"requests": requests_}).json()
    assert reply["replies"][0]["addSheet"]["properties"]["gridProperties"] == {"rowCount": 10, "columnCount": 3, "frozenRowCount": 1}
    assert "sheetId" not in reply["replies"][1]["addProtectedRange"]["protectedRange"]["range"]
    meta = api("GET", f"/v4/spreadsheets/{key}?fields=sheets(properties(title),protectedRanges(description))").json()
    assert meta == {"sheets": [{"properties": {"title": "Sheet1"}, "protectedRanges": [{"description": "header"}]},
                               {"properties": {"title": "villages"}}]}
    assert api("GET", f"/v4/spreadsheets/{key}/values/Sheet1!A2").json()["values"] == [["2023-03-15"]]
    unknown = api("POST", f"/v4/spreadsheets/{key}:batchUpdate", json={"requests": [{"explode": {}}]})
    assert unknown.status_code == 400


def test_faults_and_request_log_through_admin_endpoints(sheets_server, api):
    key = sheets_server.create_spreadsheet("Admin", {"Sheet1": []})
    api("POST", "/_admin/reset")
    api("POST", "/_admin/faults", json={"kind": "status", "status": 429, "times": 2, "match": "values"})
    codes = [api("GET", f"/v4/spreadsheets/{key}/values/Sheet1").status_code for _ in range(3)]
    assert codes == [429, 429, 200]
    logged = api("GET", "/_admin/requests").json()
    assert [(r["method"], r["status"]) for r in logged] == [("GET", 429), ("GET", 429), ("GET", 200)]
    assert logged[0]["path"] == f"/v4/spreadsheets/{key}/values/Sheet1" and logged[0]["query"] == {}
    api("POST", "/_admin/edit", json={"spreadsheetId": key, "sheet": "Sheet1", "cell": "A1", "value": "typed"})
    assert sheets_server.cell(key, "Sheet1", "A1") == "typed"
    api("POST", "/_admin/reset")
    assert api("GET", "/_admin/requests").json() == []


def test_before_next_runs_an_edit_between_two_requests(sheets_server, api):
    key = sheets_server.create_spreadsheet("Race", {"Sheet1": [["a"]]})
    sheets_server.before_next("values:batchUpdate", lambda: sheets_server.edit(key, "Sheet1", "A1", "theirs"))
    assert api("GET", f"/v4/spreadsheets/{key}/values/Sheet1").json()["values"] == [["a"]]
    api("POST", f"/v4/spreadsheets/{key}/values:batchUpdate", json={"valueInputOption": "RAW", "data": [{"range": "Sheet1!B1", "values": [["ours"]]}]})
    assert sheets_server.sheet_values(key, "Sheet1") == [["theirs", "ours"]]


def test_rewrite_sends_only_google_hosts_to_the_base():
    assert rewrite("https://sheets.googleapis.com/v4/spreadsheets/x?a=1", "http://127.0.0.1:9") == "http://127.0.0.1:9/v4/spreadsheets/x?a=1"
    assert rewrite("https://oauth2.googleapis.com/token", "http://h:1/") == "http://h:1/token"
    assert rewrite("https://example.org/x", "http://h:1") == "https://example.org/x"
    assert rewrite("https://www.googleapis.com/drive/v3/files", None) == "https://www.googleapis.com/drive/v3/files"


def test_command_line_loads_a_workbook_and_prints_the_id(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "villages"
    book.active.append(["village_code", "village"])
    book.active.append(["12010101", "Kok"])
    book.save(tmp_path / "w.xlsx")
    process = subprocess.Popen([sys.executable, "-m", "tests.sheets_server", "--port", "0", "--load", str(tmp_path / "w.xlsx")],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        lines = [process.stdout.readline().strip() for _ in range(2)]
        base = lines[0].removeprefix("listening on ")
        key = lines[1].removeprefix("spreadsheet_id=")
        assert lines[1].startswith("spreadsheet_id=") and len(key) == 44
        answer = requests.get(f"{base}/v4/spreadsheets/{key}/values/villages?prettyPrint=false", timeout=5).json()
        assert answer["values"] == [["village_code", "village"], ["12010101", "Kok"]]
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_append_cells_lands_after_the_last_row_with_data_at_write_time_and_grows_the_grid(sheets_server, api):
    key = sheets_server.create_spreadsheet("Append", {"t": [["id", "v"], ["a", 1]]})
    sheet = sheets_server.state.get(key).sheet_named("t")
    sheet.row_count = 2  # no empty row left
    sheets_server.edit(key, "t", "A3", "typed")  # someone typed under the last row (the grid grows to fit)
    rows = [{"values": [{"userEnteredValue": {"stringValue": "=1+1"}}, {"userEnteredValue": {"numberValue": 2}}]}]
    answer = api("POST", f"/v4/spreadsheets/{key}:batchUpdate",
                 json={"requests": [{"appendCells": {"sheetId": sheet.sheet_id, "rows": rows, "fields": "userEnteredValue"}}]}).json()
    assert answer == {"spreadsheetId": key, "replies": [{}]}
    assert sheets_server.sheet_values(key, "t") == [["id", "v"], ["a", 1], ["typed"], ["=1+1", 2]]
    assert not sheet.formulas and sheet.row_count == 4


def test_batch_update_is_applied_whole_or_not_at_all(sheets_server, api):
    key = sheets_server.create_spreadsheet("Atomic", {"t": [["id"], ["a"], ["b"]]})
    sheet_id = sheets_server.state.get(key).sheet_named("t").sheet_id
    body = {"requests": [
        {"deleteDimension": {"range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}},
        {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 5000, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}], "fields": "userEnteredValue"}},
    ]}
    answer = api("POST", f"/v4/spreadsheets/{key}:batchUpdate", json=body)
    assert answer.status_code == 400 and "exceeds grid limits" in answer.json()["error"]["message"]
    assert sheets_server.sheet_values(key, "t") == [["id"], ["a"], ["b"]]  # the delete was rolled back


def test_sort_range_and_a_lost_answer_of_a_write_that_landed(sheets_server, api):
    key = sheets_server.create_spreadsheet("Sort", {"t": [["id", "n"], ["b", 2], ["c", ""], ["a", 1]]})
    sheet_id = sheets_server.state.get(key).sheet_named("t").sheet_id
    sheets_server.lose_answer(match=r":batchUpdate")
    sort = {"sortRange": {"range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 4},
                          "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}]}}
    with pytest.raises(requests.ConnectionError):
        api("POST", f"/v4/spreadsheets/{key}:batchUpdate", json={"requests": [sort]})
    assert sheets_server.sheet_values(key, "t") == [["id", "n"], ["a", 1], ["b", 2], ["c"]]  # blanks last
    assert sheets_server.requests()[-1]["status"] == "dropped"


def test_a_status_fault_can_carry_retry_after(sheets_server, api):
    key = sheets_server.create_spreadsheet("Busy", {"t": [["id"]]})
    sheets_server.inject(429, match="values", retry_after=3)
    answer = api("GET", f"/v4/spreadsheets/{key}/values/t")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "3"
