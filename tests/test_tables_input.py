"""The Tables editor never changes what staff type: every value reaches the schema as typed, a wrong one
comes back as the validation message of its cell (the words of the Data quality page) and nothing is
written; after an add, the form suggests the next free key, and a refused add keeps what was typed."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from connectors.store.refresh import read_check_load
from insights.quality import issue_list
from schemas.registry import tab as registered_tab
from tests.conftest import app_on
from tests.factories import small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
EDITOR = "tables_editor_rice_ledger_0"


@pytest.fixture
def small_app(monkeypatch, tmp_path):
    book = small_book()
    book["rice_ledger"][0] = [c.title for c in registered_tab("rice_ledger").columns]  # headed as the demo is: "Kg"
    return app_on(write_xlsx(book, tmp_path / "small.xlsx"), monkeypatch, tmp_path)


def _rice_ledger() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("rice_ledger").run()
    assert not at.exception, at.exception
    return at


def _rows(workbook: Path, tab: str) -> list[list]:
    return WorkbookSource(workbook).read([tab])[tab].rows


def _problems(at: AppTest) -> list[tuple[str, str, str]]:
    [errors] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    return list(errors[["Row", "Column", "Problem"]].itertuples(index=False, name=None))


@pytest.mark.usefixtures("small_app")
def test_numbers_are_edited_as_text_with_no_constraint_that_drops_characters():
    at = _rice_ledger()
    [grid] = [d for d in at.data_editor if d.key == EDITOR]
    assert grid.value["kg"].tolist() == ["1000", "100", "50"]
    config = grid.proto.columns
    assert '"kg"' in config and '"type_config": {"type": "text"' in config.split('"kg"')[1].split("}}")[0] + "}}"
    assert "min_value" not in config and "max_value" not in config


def test_wrong_values_come_back_at_their_cells_in_the_data_quality_words_and_nothing_is_written(small_app):
    before = _rows(small_app, "rice_ledger")
    at = _rice_ledger()
    at.session_state[EDITOR] = {"edited_rows": {0: {"kg": "-50"}, 1: {"kg": "abc"}, 2: {"kg": "1,5OO"}},
                                "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert _problems(at) == [
        ("RL-000121", "Kg", "Row 2: 'Kg' is -50; it must be 0.001 or more. Correct it in cell E2."),
        ("RL-000122", "Kg", "Row 3: 'Kg' is 'abc', which is not a number. Type a number such as 1250 in cell E3."),
        ("RL-000123", "Kg", "Row 4: 'Kg' is '1,5OO', which is not a number. Type a number such as 1250 in cell E4."),
    ]
    assert "nothing was saved" in at.error[0].value
    assert _rows(small_app, "rice_ledger") == before
    assert _rows(small_app, "audit_log") == []
    # What was typed is still in the grid, to correct.
    assert at.session_state[EDITOR]["edited_rows"] == {0: {"kg": "-50"}, 1: {"kg": "abc"}, 2: {"kg": "1,5OO"}}


def test_the_same_words_as_the_data_quality_page(small_app):
    """"abc" typed in the sheet itself reads, on Data quality, exactly as it does under the editor."""
    import openpyxl

    from connectors.store.cache import Cache

    at = _rice_ledger()
    at.session_state[EDITOR] = {"edited_rows": {1: {"kg": "abc"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    [(_, _, under_the_editor)] = _problems(at)
    book = openpyxl.load_workbook(small_app)
    book["rice_ledger"]["E3"] = "abc"
    book.save(small_app)
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(small_app))
    listed = issue_list(cache.cursor())
    assert listed.loc[listed["cell"] == "E3", "message"].tolist() == [under_the_editor]


@pytest.mark.usefixtures("small_app")
def test_zero_is_not_silently_reverted():
    at = _rice_ledger()
    at.session_state[EDITOR] = {"edited_rows": {2: {"kg": "0"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert _problems(at) == [("RL-000123", "Kg", "Row 4: 'Kg' is 0; it must be 0.001 or more. Correct it in cell E4.")]


def _fill_add_form(at: AppTest, kg: str) -> None:
    at.text_input(key="tables_add_rice_ledger_date").input("01/07/2017")  # as the sheet is typed: dd/mm/yyyy
    at.selectbox(key="tables_add_rice_ledger_bank_id").set_value("RB-01")
    at.selectbox(key="tables_add_rice_ledger_kind").set_value("donation")
    at.text_input(key="tables_add_rice_ledger_kg").input(kg)


def _add(at: AppTest) -> None:
    [submit] = [b for b in at.button if b.label == "Add the row"]
    submit.click().run()
    assert not at.exception, at.exception


def test_after_an_add_the_next_free_key_is_suggested_and_the_form_is_blank(small_app):
    at = _rice_ledger()
    assert at.text_input(key="tables_add_rice_ledger_entry_id").value == "RL-000124"
    _fill_add_form(at, "25")
    _add(at)
    assert [(r[0], r[4]) for r in _rows(small_app, "rice_ledger")][-1] == ("RL-000124", 25)
    assert at.text_input(key="tables_add_rice_ledger_entry_id").value == "RL-000125"
    assert at.text_input(key="tables_add_rice_ledger_kg").value == ""
    _fill_add_form(at, "30")
    _add(at)  # the second add is not refused as a duplicate
    assert [(r[0], r[4]) for r in _rows(small_app, "rice_ledger")][-2:] == [("RL-000124", 25), ("RL-000125", 30)]


def test_a_refused_add_keeps_what_was_typed_and_says_why(small_app):
    before = _rows(small_app, "rice_ledger")
    at = _rice_ledger()
    _fill_add_form(at, "-50")
    _add(at)
    assert _rows(small_app, "rice_ledger") == before
    assert _problems(at) == [("RL-000124", "Kg", "Row 5: 'Kg' is -50; it must be 0.001 or more. Correct it in cell E5.")]
    assert at.text_input(key="tables_add_rice_ledger_kg").value == "-50"
    assert at.text_input(key="tables_add_rice_ledger_entry_id").value == "RL-000124"
    assert at.selectbox(key="tables_add_rice_ledger_kind").value == "donation"


@pytest.mark.usefixtures("small_app")
def test_a_cleared_required_cell_reaches_the_schema_too():
    at = _rice_ledger()
    [grid] = [d for d in at.data_editor if d.key == EDITOR]
    assert "required" not in grid.proto.columns  # no column refuses a cleared cell on its own
    at.session_state[EDITOR] = {"edited_rows": {2: {"kg": None}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert _problems(at) == [("RL-000123", "Kg", "Row 4: 'Kg' is blank; it must be filled in. Type it in cell E4.")]
