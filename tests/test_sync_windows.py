"""The windows of a save on a Google Sheet, opened on purpose: a second person, through the API (their own
gspread client), changes the sheet between our check read and our write (the server's `before_next`), or
the answer of a write that landed is lost. Every case: nothing lost, misplaced or duplicated, and
audit_log has exactly one entry per change that landed."""
from __future__ import annotations

import datetime as dt

import pytest

from connectors import sync
from connectors.sources.gsheets_http import RetryPolicy
from connectors.sync import CellEdit, RowDelete
from tests.factories import EDITOR, Env

WRITE = r"POST .*:batchUpdate"
NEW_HOUSEHOLD = ["HH-0099", "Mao Sophea", "female", "12010102", 3, 1, "", "near_poor", False, 42800]


@pytest.fixture
def env(request, tmp_path) -> Env:
    env = Env("gsheets", tmp_path, request)
    yield env
    env.cache.close()


class Person:
    """Someone else at the sheet, with their own gspread client."""

    def __init__(self, env: Env):
        self.book = env.make_source(env.key).client.open_by_key(env.key)

    def tab(self, name: str):
        return self.book.worksheet(name)


def households(env: Env) -> dict[str, list]:
    return {row[0]: row for row in env.rows("households")}


def audit_of(env: Env) -> list[tuple]:
    return sorted((r[2], r[3], r[4], r[5], r[6]) for r in env.audit_rows())


def test_row_inserted_above_the_target_before_our_write(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").insert_row(NEW_HOUSEHOLD, index=2, value_input_option="RAW"))
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.SAVED, result.message
    assert "moved while saving" in result.message and "HH-0041" in result.message
    rows = households(env)
    assert [r[4] for r in (rows["HH-0041"], rows["HH-0042"], rows["HH-0043"], rows["HH-0099"])] == [5, 9, 6, 3]
    assert audit_of(env) == [("households", "HH-0042", "members", "4", "9")]


def test_row_deleted_above_the_target_before_our_write(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").delete_rows(2))  # HH-0041 goes
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "children", 1, 4)])
    assert result.status == sync.SAVED, result.message
    rows = households(env)
    assert sorted(rows) == ["HH-0042", "HH-0043"]
    assert (rows["HH-0042"][5], rows["HH-0043"][5]) == (4, 3)
    assert audit_of(env) == [("households", "HH-0042", "children", "1", "4")]


def test_tab_sorted_before_our_write(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").sort((1, "des"), range="A2:J4"))
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0041",), "members", 5, 8),
                                                       CellEdit("households", ("HH-0043",), "phone", None, "012 345 678")])
    assert result.status == sync.SAVED, result.message
    assert [r[0] for r in env.rows("households")] == ["HH-0043", "HH-0042", "HH-0041"]  # their sort stays
    rows = households(env)
    assert [rows[k][4] for k in ("HH-0041", "HH-0042", "HH-0043")] == [8, 4, 6]
    assert [rows[k][6] if len(rows[k]) > 6 else "" for k in ("HH-0041", "HH-0042", "HH-0043")] == ["", "", "012 345 678"]
    assert len(env.audit_rows()) == 2


def test_row_typed_under_the_last_row_while_we_add_one(env):
    person = Person(env)
    typed_row = ["RL-000200", 42900, "RB-01", "donation", 5, "", "", "typed in the sheet"]
    env.server.before_next(WRITE, lambda: person.tab("rice_ledger").update([typed_row], "A5", raw=True))
    ours = {"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10}
    result = sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [ours]})
    assert result.status == sync.SAVED, result.message
    assert [r[0] for r in env.rows("rice_ledger")] == ["RL-000121", "RL-000122", "RL-000123", "RL-000200", "RL-000124"]
    assert audit_of(env) == [("rice_ledger", "RL-000124", "", "", audit_of(env)[0][4])]


def test_delete_after_a_row_was_deleted_above_puts_the_wrong_row_back(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").delete_rows(2))  # HH-0041 goes; HH-0043 moves up
    result = sync.save(env.cache, env.source, EDITOR, deletes=[RowDelete("households", ("HH-0042",))])
    assert result.status == sync.SAVED, result.message
    rows = env.rows("households")
    assert [r[0] for r in rows] == ["HH-0043"]  # theirs gone (their delete), ours gone, HH-0043 back with its values
    assert rows[0][:6] == ["HH-0043", "Keo Srey", "female", "12010102", 6, 3]
    assert [(r[2], r[3]) for r in env.audit_rows()] == [("households", "HH-0042")]


def test_delete_after_a_row_was_inserted_above(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").insert_row(NEW_HOUSEHOLD, index=2, value_input_option="RAW"))
    result = sync.save(env.cache, env.source, EDITOR, deletes=[RowDelete("households", ("HH-0043",))])
    assert result.status == sync.SAVED, result.message
    assert sorted(households(env)) == ["HH-0041", "HH-0042", "HH-0099"]
    assert households(env)["HH-0042"][1] == "Chan Vanna"
    assert len(env.audit_rows()) == 1


def test_same_cell_typed_after_our_write_is_kept_and_reported(env):
    person = Person(env)
    env.server.before_next(r"GET .*values:batchGet", lambda: None)  # the check read
    env.server.before_next(r"GET .*values:batchGet", lambda: person.tab("households").update([[7]], "E3", raw=True))
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.SAVED  # ours landed; theirs came after it and is what the sheet shows
    assert "someone set it to 7 right after your save; theirs is kept" in result.message
    assert households(env)["HH-0042"][4] == 7
    assert len(env.audit_rows()) == 1


def test_same_cell_typed_just_before_our_write_is_the_window_the_api_cannot_close(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").update([[7]], "E3", raw=True))
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    # Documented in connectors.sync: without a conditional write, ours overwrites theirs; the audit row
    # shows what we started from, and their value is in the sheet's version history.
    assert result.status == sync.SAVED and households(env)["HH-0042"][4] == 9
    assert audit_of(env) == [("households", "HH-0042", "members", "4", "9")]


def test_lost_answer_of_a_write_that_landed_is_not_sent_again(env):
    env.server.lose_answer(match=WRITE)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)],
                       appends={"rice_ledger": [{"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01",
                                                 "kind": "donation", "kg": 10}]},
                       deletes=[RowDelete("households", ("HH-0043",))])
    assert result.status == sync.SAVED, result.message
    assert len([c for c in env.server.api_calls() if c["method"] == "POST"]) == 1  # sent once, recognised as landed
    assert sorted(households(env)) == ["HH-0041", "HH-0042"]  # no second delete took a neighbour
    assert households(env)["HH-0042"][4] == 9
    assert [r[0] for r in env.rows("rice_ledger")].count("RL-000124") == 1
    assert len(env.audit_rows()) == 3
    assert env.cache.cursor().execute("SELECT count(*) FROM _audit").fetchone()[0] == 3


def test_failed_write_is_replanned_from_a_fresh_read_when_a_row_came_in_the_backoff(env):
    person = Person(env)
    env.server.inject(503, match=WRITE)
    env.server.before_next(r"GET .*values:batchGet", lambda: None)  # the check read
    env.server.before_next(r"GET .*values:batchGet", lambda: person.tab("households").insert_row(NEW_HOUSEHOLD, index=2, value_input_option="RAW"))
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.SAVED, result.message
    assert "moved" not in result.message  # planned again from the read after the backoff: right first time
    rows = households(env)
    assert [rows[k][4] for k in ("HH-0041", "HH-0042", "HH-0043", "HH-0099")] == [5, 9, 6, 3]
    assert len(env.audit_rows()) == 1


def test_retry_after_is_honoured(env):
    waits: list[float] = []
    env.source = env.make_source(env.key, policy=RetryPolicy(tries=4, base_delay=0.001, max_delay=0.01, sleep=waits.append))
    env.server.inject(429, match=r"values:batchGet", retry_after=2.5)
    env.server.inject(503, match=WRITE, retry_after=1.5)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.SAVED, result.message
    assert waits[:2] == [2.5, 1.5]  # what the server asked for, not the 10 ms backoff cap
    assert len(env.audit_rows()) == 1


def test_a_key_on_two_rows_is_refused_naming_both(env):
    env.server.edit(env.key, "households", "A4", "HH-0042")  # HH-0043's row now also says HH-0042
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.REFUSED
    assert "HH-0042 is on rows 3 and 4 of Households: give one of them a new id first." in result.message
    assert [r[4] for r in env.rows("households")] == [5, 4, 6] and env.audit_rows() == []


def test_a_tab_recreated_meanwhile_is_replanned_once_with_fresh_metadata(env):
    env.source.sheets()
    env.server.state.get(env.key).sheet_named("households").sheet_id = 777  # the cached sheetId is now wrong
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.SAVED, result.message
    assert households(env)["HH-0042"][4] == 9 and len(env.audit_rows()) == 1


def test_appends_after_the_empty_rows_were_trimmed(env):
    env.source.sheets()
    for name in ("rice_ledger", "audit_log"):
        sheet = env.server.state.get(env.key).sheet_named(name)
        sheet.row_count = sheet.data_rows()  # someone trimmed the empty rows under the tab
    row = {"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10}
    assert sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [row]}).status == sync.SAVED
    assert [r[0] for r in env.rows("rice_ledger")][-1] == "RL-000124" and len(env.audit_rows()) == 1


def test_target_row_deleted_by_someone_before_our_write(env):
    person = Person(env)
    env.server.before_next(WRITE, lambda: person.tab("households").delete_rows(3))  # HH-0042 itself goes
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 9)])
    assert result.status == sync.FAILED  # never "saved": the row is gone
    assert "Households HH-0042, Members: the row was deleted by someone meanwhile" in result.message
    rows = households(env)
    assert sorted(rows) == ["HH-0041", "HH-0043"] and rows["HH-0043"][4] == 6  # our cell that hit HH-0043 was put back
