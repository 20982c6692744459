"""Text no sheet can store - U+FFFE, U+FFFF, XML's forbidden control characters, a lone surrogate - in a save
gets an answer, never an exception: the save is refused naming the tab, row, column and value, and nothing
is written. A control character already in the sheet (Excel's _x0001_ escape, or typed through the Sheets
API) does not stop a save of that row: the audit trail stores it escaped. Through the real save path, on the
workbook and on the local Sheets server."""
from __future__ import annotations

import pytest

from connectors import sync
from connectors.sync import CellEdit
from tests.factories import EDITOR, SOURCES, Env, small_book

UNSTORABLE = ["Chan\ufffeVanna", "Chan\uffffVanna", "Chan\ud800Vanna", "\udfff", "Chan\x0bVanna", "Chan\x1fVanna"]
CODES = {"Chan\ufffeVanna": "U+FFFE", "Chan\uffffVanna": "U+FFFF", "Chan\ud800Vanna": "U+D800", "\udfff": "U+DFFF",
         "Chan\x0bVanna": "U+000B", "Chan\x1fVanna": "U+001F"}


@pytest.mark.parametrize("text", UNSTORABLE, ids=lambda t: CODES[t])
def test_an_edit_holding_it_is_refused_by_name_and_nothing_is_written(env, text):
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "head_name", "Chan Vanna", text)])
    assert result.status == sync.INVALID
    [error] = result.errors
    assert (error.tab, error.key, error.column) == ("households", ("HH-0042",), "head_name")
    assert error.message.startswith(f"Households, row HH-0042, Head of household: {text!r} holds ")
    assert f"({CODES[text]}). Retype the value and save again." in error.message
    assert env.cell("households", "HH-0042", "head_name") == "Chan Vanna" and env.audit_rows() == []


@pytest.mark.parametrize("column, text", [("note", "Opening\ufffestock"), ("entry_id", "RL-\ud800"), ("kg", "5\ud800")])
def test_a_new_row_holding_it_in_any_column_key_or_number_is_refused(env, column, text):
    row = {"entry_id": "RL-000124", "date": "01/07/2017", "bank_id": "RB-01", "kind": "donation", "kg": 5, "note": "", column: text}
    result = sync.save(env.cache, env.source, EDITOR, appends={"rice_ledger": [row]})
    assert result.status == sync.INVALID, result.message
    assert [(e.tab, e.column, e.new_row) for e in result.errors] == [("rice_ledger", column, 0)]
    assert "Rice ledger, new row 1, " in result.errors[0].message
    assert len(env.rows("rice_ledger")) == 3 and env.audit_rows() == []


@pytest.fixture(params=SOURCES)
def env_with_a_control_character(request, tmp_path):
    """Head HH-0042's name holds U+0001 in the sheet: Excel's escape in the workbook, the character itself on Google."""
    book = small_book()
    book["households"][2][1] = "Chan_x0001_Vanna" if request.param == "workbook" else "Chan\x01Vanna"
    env = Env(request.param, tmp_path, request, book=book)
    yield env
    env.cache.close()


def test_a_control_character_already_in_the_sheet_is_kept_escaped_in_the_audit_trail(env_with_a_control_character):
    env = env_with_a_control_character
    assert env.cell("households", "HH-0042", "head_name") == "Chan\x01Vanna"
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "head_name", "Chan\x01Vanna", "Chan Vanna")])
    assert result.status == sync.SAVED, result.message
    assert env.cell("households", "HH-0042", "head_name") == "Chan Vanna"
    [entry] = env.audit_rows()
    assert entry[5:7] == ["Chan\\x01Vanna", "Chan Vanna"]  # old, new
