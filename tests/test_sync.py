"""connectors.sync on both sources: validation, conflicts, one batched write, audit, cache in place.

Every test runs on the workbook and on a Google Sheet served by the local Sheets API server (real
gspread client over HTTP). The data is a small consistent book, so any issue a save reports is one the
save itself brings.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from connectors import sync
from connectors.access import LOCAL_ADMIN
from connectors.sources.interface import SourceUnreachable
from connectors.store import audit
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit, RowDelete
from tests.factories import EDITOR, HAS_SHEETS, VIEWER

FORMULA = '=IMPORTXML("http://x","//a")'


def test_three_cells_one_write_with_audit_and_cache(env):
    edits = [
        CellEdit("households", ("HH-0042",), "members", 4, 5),
        CellEdit("households", ("HH-0042",), "poverty_level", "id_poor_2", "near_poor"),
        CellEdit("rice_ledger", ("RL-000121",), "note", "Opening stock", "Opening stock (checked)"),
    ]
    generation = env.cache.generation()
    result = sync.save(env.cache, env.source, EDITOR, edits)
    assert result.status == sync.SAVED, result.message
    assert env.cell("households", "HH-0042", "members") == 5
    assert env.cell("households", "HH-0042", "poverty_level") == "near_poor"
    assert env.cell("rice_ledger", "RL-000121", "note") == "Opening stock (checked)"
    audit_rows = env.audit_rows()
    assert len(audit_rows) == 3
    assert {(r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in audit_rows} == {
        ("sokha@ccpcr.org", "households", "HH-0042", "members", "4", "5", "app"),
        ("sokha@ccpcr.org", "households", "HH-0042", "poverty_level", "id_poor_2", "near_poor", "app"),
        ("sokha@ccpcr.org", "rice_ledger", "RL-000121", "note", "Opening stock", "Opening stock (checked)", "app"),
    }
    assert env.cache.cursor().execute("SELECT count(*) FROM _audit WHERE \"user\" = 'sokha@ccpcr.org'").fetchone()[0] == 3
    assert env.cached("households", "HH-0042", "members") == 5
    assert env.cached("rice_ledger", "RL-000121", "note") == "Opening stock (checked)"
    assert env.cache.generation() != generation  # cached queries go stale
    assert audit.history(env.cache, "households", "HH-0042")["column"].tolist().count("members") == 1


@pytest.mark.skipif(not HAS_SHEETS, reason="no local Sheets server yet")
@pytest.mark.parametrize("env", ["gsheets"], indirect=True)
def test_request_log_check_read_one_write_verify_read(env):
    edits = [
        CellEdit("households", ("HH-0042",), "members", 4, 5),
        CellEdit("households", ("HH-0043",), "children", 3, 2),
        CellEdit("rice_ledger", ("RL-000121",), "note", "Opening stock", "Checked"),
    ]
    assert sync.save(env.cache, env.source, EDITOR, edits).status == sync.SAVED
    calls = env.server.api_calls()
    assert [c["path"].rsplit(":", 1)[-1] for c in calls] == ["batchGet", "batchUpdate", "batchGet"]  # 3 calls
    assert "/values" not in calls[1]["path"]  # one spreadsheets:batchUpdate, applied whole or not at all
    requests = calls[1]["body"]["requests"]
    cells = [r["updateCells"] for r in requests if "updateCells" in r]
    assert sorted(str(next(iter(c["rows"][0]["values"][0]["userEnteredValue"].values()))) for c in cells) == ["2", "5", "Checked"]
    assert all(len(c["rows"]) == 1 and len(c["rows"][0]["values"]) == 1 for c in cells)
    appends = [r["appendCells"] for r in requests if "appendCells" in r]
    assert len(appends) == 1 and len(appends[0]["rows"]) == 3  # the audit rows, placed by Google at write time
    verify = calls[2]["query"]["ranges"]
    assert sorted(verify) == ["'households'", "'rice_ledger'"]  # the touched tabs only


def test_a_save_that_only_adds_rows_costs_two_calls(env):
    row = {"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10}
    assert sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [row]}).status == sync.SAVED
    if env.server is not None:
        assert [c["path"].rsplit(":", 1)[-1] for c in env.server.api_calls()] == ["batchGet", "batchUpdate"]
        assert [next(iter(r)) for r in env.server.api_calls()[1]["body"]["requests"]] == ["appendCells", "appendCells"]


def test_someone_else_edits_between_read_and_save_conflict(env):
    env.edit_as_someone_else("households", "HH-0042", "members", 7)  # after our cache was read
    result = sync.save(env.cache, env.source, EDITOR, [
        CellEdit("households", ("HH-0042",), "members", 4, 5),
        CellEdit("households", ("HH-0041",), "children", 2, 3),
    ])
    assert result.status == sync.CONFLICT
    assert [(c.key, c.column, c.started_from, c.theirs, c.ours) for c in result.conflicts] == [(("HH-0042",), "members", 4, 7, 5)]
    assert env.cell("households", "HH-0042", "members") == 7  # their edit is intact
    assert env.cell("households", "HH-0041", "children") == 2  # nothing of our save was written
    assert env.audit_rows() == []
    assert env.cached("households", "HH-0042", "members") == 7  # the cache now shows theirs
    again = sync.save(env.cache, env.source, EDITOR, **_as_kwargs(sync.rebase(env.source, result.request, result.conflicts)))  # "re-apply mine"
    assert again.status == sync.SAVED
    assert env.cell("households", "HH-0042", "members") == 5
    assert env.cell("households", "HH-0041", "children") == 3


def _as_kwargs(request: sync.SaveRequest) -> dict:
    return {"edits": request.edits, "appends": request.appends, "deletes": request.deletes}


def test_invalid_edit_never_reaches_the_sheet(env):
    before = env.rows("rice_ledger")
    if env.server is not None:
        env.server.reset()
    result = sync.save(env.cache, env.source, EDITOR, [
        CellEdit("rice_ledger", ("RL-000122",), "kind", "loan", "gift"),
        CellEdit("rice_ledger", ("RL-000121",), "kg", 1000, -5),
    ])
    assert result.status == sync.INVALID
    assert {(e.key, e.column) for e in result.errors} >= {(("RL-000122",), "kind"), (("RL-000121",), "kg")}
    assert all(e.message for e in result.errors)
    if env.server is not None:
        assert env.server.api_calls() == []  # not even a read
    assert env.rows("rice_ledger") == before
    assert env.audit_rows() == []


def test_cross_tab_rule_on_the_edited_row(env):
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0041",), "village_code", "12010101", "12999999")])
    assert result.status == sync.INVALID
    assert [(e.key, e.column) for e in result.errors] == [(("HH-0041",), "village_code")]


def test_duplicate_key_on_append_is_refused(env):
    before = env.rows("rice_ledger")
    row = {"entry_id": "RL-000123", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10}
    result = sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [row]})
    assert result.status == sync.INVALID
    assert any(e.new_row == 0 and e.column == "entry_id" for e in result.errors)
    assert env.rows("rice_ledger") == before


def test_formula_text_arrives_as_text(env):
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("rice_ledger", ("RL-000122",), "note", "", FORMULA)])
    assert result.status == sync.SAVED
    assert env.cell("rice_ledger", "RL-000122", "note") == FORMULA
    if env.kind == "workbook":
        sheet = openpyxl.load_workbook(env.path)["rice_ledger"]
        cell = next(r[7] for r in sheet.iter_rows(min_row=2) if r[0].value == "RL-000122")
        assert cell.data_type == "s" and cell.value == FORMULA
    else:
        assert env.server.cell(env.key, "rice_ledger", "H3") == FORMULA


def test_viewer_save_is_refused_and_writes_nothing(env):
    result = sync.save(env.cache, env.source, VIEWER, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    assert result.status == sync.REFUSED and "may not change the 'Households' tab" in result.message
    if env.server is not None:
        assert env.server.api_calls() == []
    assert env.cell("households", "HH-0042", "members") == 4


def test_append_and_delete_update_the_cache_in_place(env):
    row = {"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10, "note": "Gift"}
    first_row = env.cache.cursor().execute("SELECT _row FROM rice_ledger WHERE entry_id = 'RL-000123'").fetchone()[0]
    result = sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [row]},
                       deletes=[RowDelete("households", ("HH-0043",))])
    assert result.status == sync.SAVED, result.message
    assert [r[0] for r in env.rows("rice_ledger")][-1] == "RL-000124"
    assert "HH-0043" not in [r[0] for r in env.rows("households")]
    assert env.cached("rice_ledger", "RL-000124", "kg") == 10
    assert env.cache.cursor().execute("SELECT _row FROM rice_ledger WHERE entry_id = 'RL-000124'").fetchone()[0] == first_row + 1
    assert env.cache.cursor().execute("SELECT count(*) FROM households WHERE household_id = 'HH-0043'").fetchone()[0] == 0
    kinds = {(r[2], r[3], r[4]) for r in env.audit_rows()}
    assert kinds == {("rice_ledger", "RL-000124", ""), ("households", "HH-0043", "")}
    # the refreshed cache agrees with what was saved in place
    fresh = Cache(":memory:")
    read_check_load(fresh, env.source)
    assert fresh.frame("rice_ledger").drop(columns=[]).equals(env.cache.frame("rice_ledger"))


def test_delete_of_a_row_someone_changed_is_a_conflict(env):
    old = {"household_id": "HH-0043", "members": 6}
    env.edit_as_someone_else("households", "HH-0043", "members", 8)
    result = sync.save(env.cache, env.source, EDITOR, deletes=[RowDelete("households", ("HH-0043",), old)])
    assert result.status == sync.CONFLICT
    assert "HH-0043" in [r[0] for r in env.rows("households")]


def test_unreachable_source_keeps_the_save(env, monkeypatch):
    def down(*_a, **_k):
        raise SourceUnreachable("offline")

    monkeypatch.setattr(env.source, "read", down)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    assert result.status == sync.QUEUED and sync.pending(env.cache) == 1
    assert env.cached("households", "HH-0042", "members") == 5  # shown at once, marked as waiting
    assert sync.save(env.cache, env.source, LOCAL_ADMIN, []).status == sync.UNCHANGED
