"""From a problem to its fix on the Tables page (AppTest, the real runtime): the grid shows what was typed in
a cell the schema could not read, with the row's problems beside it; a problem's link opens the page at its
tab, row and column with the typed text in a box to correct; either way the corrected value is saved through
connectors.sync and the problem is gone. After a delete, the problems below it keep matching the sheet."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from schemas.registry import tab as registered_tab
from tests.conftest import app_on
from tests.factories import small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
KG_MESSAGE = "Row 3: 'Kg' is 'abc', which is not a number. Type a number such as 1250 in cell E3."


@pytest.fixture
def planted(monkeypatch, tmp_path):
    """The small book, headed by the columns' titles as the demo is, with "abc" typed in RL-000122's Kg (E3)
    and "31/02/2017" in RL-000123's date (B4); an extra household HH-0040 in row 2 that nothing refers to, and
    "ten" typed in HH-0043's members (row 5)."""
    book = small_book()
    book["rice_ledger"][0] = [c.title for c in registered_tab("rice_ledger").columns]
    book["rice_ledger"][2][4] = "abc"
    book["rice_ledger"][3][1] = "31/02/2017"
    households = book["households"]
    households[0] = [c.title for c in registered_tab("households").columns]
    households.insert(1, ["HH-0040", "Mey Sophal", "female", "12010102", 3, 1, "", "near_poor", False, dt.date(2017, 5, 1)])
    households[4][4] = "ten"
    return app_on(write_xlsx(book, tmp_path / "planted.xlsx"), monkeypatch, tmp_path)


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _tables(at: AppTest, tab: str) -> AppTest:
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value(tab).run()
    assert not at.exception, at.exception
    return at


def _grid(at: AppTest, tab: str):
    [grid] = [d for d in at.data_editor if d.key.startswith(f"tables_editor_{tab}_")]
    return grid


def _cell(workbook: Path, tab: str, row: int, column: int):
    return WorkbookSource(workbook).read([tab])[tab].rows[row - 2][column]


def _problems(at: AppTest) -> list[str]:
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, at.exception
    [listed] = [d.value for d in at.dataframe if "Message" in d.value.columns]
    return listed["Message"].tolist()


@pytest.mark.usefixtures("planted")
def test_the_grid_shows_what_was_typed_and_each_rows_problems_and_never_none():
    at = _tables(_app(), "rice_ledger")
    grid = _grid(at, "rice_ledger")
    assert grid.value.loc[3, "kg"] == "abc" and grid.value.loc[4, "date"] == "31/02/2017"
    assert grid.value.loc[3, "_problems"] == f"⚠ {KG_MESSAGE}"
    assert "not a date we can read" in grid.value.loc[4, "_problems"] and pd.isna(grid.value.loc[2, "_problems"])
    assert grid.proto.placeholder == ""  # a blank cell shows blank, not "None"
    assert not (grid.value.astype(str) == "None").where(grid.value.notna(), False).any().any()


def test_correcting_the_typed_text_in_the_grid_saves_it_and_the_problem_is_gone(planted):
    at = _tables(_app(), "rice_ledger")
    key = _grid(at, "rice_ledger").key
    at.session_state[key] = {"edited_rows": {1: {"kg": "70"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Saved: 1 cell changed."  # "abc" was what the sheet held: no conflict with it
    assert _cell(planted, "rice_ledger", 3, 4) == 70
    assert [(r[5], r[6]) for r in WorkbookSource(planted).read(["audit_log"])["audit_log"].rows] == [("abc", "70")]
    assert KG_MESSAGE not in _problems(at)


def test_a_problems_link_opens_its_row_with_the_typed_text_to_correct(planted):
    at = _app()
    at.query_params.update({"tab": "rice_ledger", "row": "3", "column": "kg"})
    at.switch_page("pages/tables.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="tables_tab").value == "rice_ledger"
    grid = _grid(at, "rice_ledger")
    assert grid.value.index.tolist() == [3]  # filtered to the problem's row
    columns = grid.proto.columns
    assert '"kg": {"label": "\\u26a0 Kg"' in columns or '"label": "⚠ Kg"' in columns  # the cell's column is marked
    assert [e.value for e in at.error] == [KG_MESSAGE]  # the message beside it
    fix = at.text_input(key="tables_fix_rice_ledger_3_kg")
    assert fix.value == "abc"  # what was typed in the sheet, to correct
    fix.input("seventy").run()
    at.button(key="tables_fix_save").click().run()
    assert "Row 3: 'Kg' is 'seventy', which is not a number." in at.dataframe[-1].value["Problem"].iloc[0]  # refused, said why
    assert _cell(planted, "rice_ledger", 3, 4) == "abc"
    at.text_input(key="tables_fix_rice_ledger_3_kg").input("70").run()
    at.button(key="tables_fix_save").click().run()
    assert not at.exception, at.exception
    assert _cell(planted, "rice_ledger", 3, 4) == 70
    assert [s.value for s in at.success][:1] == ["No problem is left in this cell."]
    at.button(key="tables_show_all").click().run()
    assert len(_grid(at, "rice_ledger").value) == 3 and dict(at.query_params) == {}


def test_after_a_delete_every_problem_below_still_names_its_row_and_cell_in_the_sheet(planted):
    at = _tables(_app(), "households")
    assert "Row 5: 'Members' is 'ten', which is not a number. Type a number such as 1250 in cell E5." in _problems(at)
    _tables(at, "households")
    key = _grid(at, "households").key
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}  # HH-0040, row 2
    at.run()
    at.checkbox(key="tables_confirm_delete").check().run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    rows = WorkbookSource(planted).read(["households"])["households"].rows
    assert [r[0] for r in rows] == ["HH-0041", "HH-0042", "HH-0043"] and rows[2][4] == "ten"  # sheet row 4 now
    assert "Row 4: 'Members' is 'ten', which is not a number. Type a number such as 1250 in cell E4." in _problems(at)


def test_renumbering_moves_the_row_cell_link_and_the_rows_a_message_names():
    from connectors.store.cache import Cache
    from connectors.sync.cache_update import renumber_issues

    cache = Cache(":memory:")
    link = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7&range="
    cache.cursor().executemany('INSERT INTO _issues (tab, "row", "column", cell, value, severity, rule, link, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        ["cows", 3, "Ear tag", "A3", "C-01", "error", "key.duplicate", None, '{"first_row": 2}'],
        ["cows", 7, "Born on", "AB7", "x", "error", "cow.calves_too_close", link + "AB7", '{"other_row": 9, "days": 30}'],
        ["cows", 12, "Ear tag", "A12", "C-09", "error", "key.duplicate", link + "A12", '{"first_row": 5}'],
        ["cows", 4, "Ear tag", "A4", "C-04", "error", "key.duplicate", None, '{"first_row": 3}'],
        ["cow_events", 9, "Kind", "D9", "x", "error", "value.not_allowed", None, "{}"],
    ])
    renumber_issues(cache.cursor(), "cows", 5)  # sheet row 5 of cows was deleted
    assert cache.cursor().execute('SELECT "row", cell, link, params FROM _issues ORDER BY tab, "row"').fetchall() == [
        (9, "D9", None, "{}"),  # another tab: untouched
        (3, "A3", None, '{"first_row": 2}'),  # above the deleted row: untouched
        (4, "A4", None, '{"first_row": 3}'),
        (6, "AB6", link + "AB6", '{"other_row": 8, "days": 30}'),  # below: moved up, the row it names too
    ]  # the duplicate of the deleted row's id went with it
