"""`provision` against the local Sheets server: tabs, headers, dropdowns, formats, copy, idempotence."""
from __future__ import annotations

import argparse
import datetime as dt

import openpyxl

from commands import provision as command
from connectors.sources.workbook import WorkbookSource
from schemas.registry import TABS, tab

ENUMERATIONS = sum(1 for t in TABS for c in t.columns if c.allowed)


def writes(server):
    return [r for r in server.api_calls() if r["method"] != "GET"]


def test_creates_every_tab_with_header_dropdowns_and_formats_in_one_write(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"Sheet1": []})
    done = command.provision(make_source(key))
    assert len(done.changes) >= len(TABS)
    assert [r["path"].rsplit("/", 1)[-1] for r in sheets_server.api_calls()] == [key, f"{key}:batchUpdate"]
    book = sheets_server.state.get(key)
    households = book.sheet_named("households")
    assert households.values[0] == [c.title for c in tab("households").columns]
    assert households.frozen_rows == 1
    assert [p["description"] for p in households.protected] == [command.HEADER_NOTE]
    rules = {g["startColumnIndex"]: r["condition"] for g, r in households.validations}
    names = [c.name for c in tab("households").columns]
    poverty = names.index("poverty_level")
    assert rules[poverty]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in rules[poverty]["values"]] == list(tab("households").column("poverty_level").allowed)
    assert rules[names.index("survivor")] == {"type": "BOOLEAN"}
    dropdowns = sum(1 for s in book.sheets for _g, r in s.validations if r["condition"]["type"] == "ONE_OF_LIST")
    assert dropdowns == ENUMERATIONS
    activities = book.sheet_named("activities")
    date_column = [c.name for c in tab("activities").columns].index("date")
    assert activities.number_format(5, date_column) == {"type": "DATE", "pattern": "yyyy-mm-dd"}
    code_column = [c.name for c in tab("activities").columns].index("village_code")
    assert activities.number_format(5, code_column) == {"type": "TEXT"}


def test_a_second_run_changes_nothing_and_says_so(sheets_server, make_spreadsheet, make_source, monkeypatch, tmp_path, capsys):
    key = make_spreadsheet({"Sheet1": []})
    command.provision(make_source(key))
    sheets_server.reset()
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    assert command.run(argparse.Namespace(source=f"gsheets:{key}", workbook=None)) == 0
    assert "Nothing needed changing" in capsys.readouterr().out
    assert writes(sheets_server) == []
    assert len(sheets_server.api_calls()) == 2  # metadata and one read of the header rows


def _workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "villages"
    columns = tab("villages").columns
    sheet.append([c.name for c in reversed(columns)])  # another column order than the schema's
    for i in range(3):
        values = {"village_code": f"0102030{i}", "village": f"Village {i}", "latitude": 11.5 + i / 10, "target_village": i == 0}
        sheet.append([values.get(c.name, "") for c in reversed(columns)])
    events = book.create_sheet("cow_events")
    events.append(["event_id", "date", "cow_id", "kind", "household_id", "note"])
    events.append(["CE-0001", dt.datetime(2017, 5, 3), "CB-001", "granted", "HH-0001", "+855 12 345 678"])
    book.save(path)
    return path


def test_copies_a_workbook_into_empty_tabs_in_schema_order(sheets_server, make_spreadsheet, make_source, tmp_path):
    key = make_spreadsheet({"villages": [[c.title for c in tab("villages").columns]]})  # header only: empty
    source = make_source(key)
    done = command.provision(source, WorkbookSource(_workbook(tmp_path / "w.xlsx")).read())
    assert "villages: 3 rows copied from the workbook" in done.changes
    grids = source.read(["villages", "cow_events"])
    first = dict(zip([c.name for c in tab("villages").columns], grids["villages"].rows[0], strict=False))
    assert first["village_code"] == "01020300" and first["village"] == "Village 0" and first["target_village"] is True
    assert grids["cow_events"].rows == [["CE-0001", 42858, "CB-001", "granted", "HH-0001", "+855 12 345 678"]]
    assert not sheets_server.state.get(key).sheet_named("cow_events").formulas  # copied RAW: text stays text
    again = command.provision(make_source(key), WorkbookSource(tmp_path / "w.xlsx").read())
    assert again.changes == []
    assert "villages: already has data; the workbook's rows were not copied" in again.notes


def test_an_existing_tab_keeps_its_columns_and_gets_the_missing_ones(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"users": [["Role", "email"], ["admin", "a@x.org"]]})
    done = command.provision(make_source(key), tabs=[tab("users")])
    users = sheets_server.state.get(key).sheet_named("users")
    assert users.values[0] == ["Role", "email", tab("users").column("name").title]
    assert users.values[1] == ["admin", "a@x.org"]
    roles = [r for g, r in users.validations if g["startColumnIndex"] == 0]
    assert [v["userEnteredValue"] for v in roles[0]["condition"]["values"]] == list(tab("users").column("role").allowed)
    assert any("header completed" in line for line in done.changes)


def test_provision_rides_out_rate_limits(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"Sheet1": []})
    sheets_server.inject(429, times=2, match=":batchUpdate")
    command.provision(make_source(key))
    assert len(sheets_server.state.get(key).sheets) == len(TABS) + 1


def test_refuses_a_workbook_source(capsys, tmp_path):
    assert command.run(argparse.Namespace(source=str(tmp_path / "x.xlsx"), workbook=None)) == 2
    assert "needs a Google Sheet" in capsys.readouterr().err
