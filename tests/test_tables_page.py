"""The Tables page under the real Streamlit runtime (AppTest): pick a tab, edit through the editor's
state, press Save; the change is in the source and in the audit log."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from connectors.store.refresh import read_check_load
from tests.factories import small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small_app(monkeypatch, tmp_path):
    workbook = write_xlsx(small_book(), tmp_path / "small.xlsx")
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(workbook))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)
    return workbook


def _tables(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/tables.py").run()
    assert not at.exception, at.exception
    if tab:
        at.selectbox(key="tables_tab").set_value(tab).run()
        assert not at.exception, at.exception
    return at


def _cell(workbook: Path, tab: str, key: str, column: str):
    grid = WorkbookSource(workbook).read([tab])[tab]
    k, c = grid.header.index(grid.header[0]), grid.header.index(column)
    return next(row[c] for row in grid.rows if row[k] == key)


def test_edit_and_save_reaches_the_source_and_the_audit_log(small_app):
    at = _tables("households")
    key = "tables_editor_households_0"
    at.session_state[key] = {"edited_rows": {1: {"members": 6, "poverty_level": "near_poor"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert _cell(small_app, "households", "HH-0042", "members") == 6
    assert _cell(small_app, "households", "HH-0042", "poverty_level") == "near_poor"
    audit = WorkbookSource(small_app).read(["audit_log"])["audit_log"].rows
    assert {(r[2], r[3], r[4], r[6]) for r in audit} == {("households", "HH-0042", "members", "6"),
                                                         ("households", "HH-0042", "poverty_level", "near_poor")}
    assert any("Saved" in s.value for s in at.success)


def test_invalid_edit_shows_the_error_and_writes_nothing(small_app):
    at = _tables("households")
    at.session_state["tables_editor_households_0"] = {"edited_rows": {0: {"children": 9}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert _cell(small_app, "households", "HH-0041", "children") == 2
    [errors] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    assert errors["Row"].tolist()[0] == "HH-0041"
    assert "Children" in errors["Column"].tolist()


@pytest.mark.usefixtures("small_app")
def test_added_row_and_next_key():
    at = _tables("rice_ledger")
    assert at.text_input(key="tables_add_rice_ledger_entry_id").value == "RL-000124"


def test_foreign_keys_show_labels_and_personal_data_is_masked(small_app):
    from connectors.access import User
    from connectors.store.cache import Cache
    from gateway import reads
    from gateway.reads import fk_labels
    from ui import table_editor as te

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(small_app))
    editor = User("e@x.org", "editor")
    labels = fk_labels(cache.cursor(), editor, "households.household_id")
    assert labels["HH-0042"] == "HH-0042 · ••• · Krol Kor"
    assert fk_labels(cache.cursor(), User("a@x.org", "admin"), "households.household_id")["HH-0042"] == "HH-0042 · Chan Vanna · Krol Kor"
    frame, total = te.rows(cache.cursor(), editor, te.TableQuery("households", reads.RowFilter(search="Krol")))
    assert total == 0  # village_code is a code; the search looks at the row's own cells
    frame, total = te.rows(cache.cursor(), editor, te.TableQuery("households", reads.RowFilter(place="12010101")))
    assert total == 2 and set(frame["head_name"]) == {"•••"}
    frame, total = te.rows(cache.cursor(), editor, te.TableQuery("households", reads.RowFilter(search="Dara")))
    assert total == 0  # masked columns are not searched
    frame, total = te.rows(cache.cursor(), editor, te.TableQuery("rice_ledger", reads.RowFilter(choices={"kind": ["loan", "repayment"]}), page_size=1, page=2))
    assert total == 2 and frame["entry_id"].tolist() == ["RL-000123"]
    assert "head_name" in te.disabled_columns(editor, te.registered_tab("households"))


def test_conflict_shows_theirs_and_ours_then_reapply_mine(small_app):
    import openpyxl

    at = _tables("households")
    book = openpyxl.load_workbook(small_app)  # another person edits HH-0042's members meanwhile
    book["households"]["E3"].value = 9
    book.save(small_app)
    at.session_state["tables_editor_households_0"] = {"edited_rows": {1: {"members": 6}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    [side_by_side] = [d.value for d in at.dataframe if "Theirs (in the sheet now)" in d.value.columns]
    assert side_by_side.iloc[0][["You started from", "Theirs (in the sheet now)", "Yours"]].tolist() == ["4", "9", "6"]
    assert _cell(small_app, "households", "HH-0042", "members") == 9
    book = openpyxl.load_workbook(small_app)  # ... and edits it again while the conflict is on the screen
    book["households"]["E3"].value = 11
    book.save(small_app)
    at.button(key="tables_reapply").click().run()
    assert not at.exception, at.exception
    assert not [d for d in at.dataframe if "Theirs (in the sheet now)" in d.value.columns]  # no second conflict on a stale "theirs"
    assert _cell(small_app, "households", "HH-0042", "members") == 6


def test_delete_needs_a_confirmation(small_app):
    at = _tables("households")
    at.session_state["tables_editor_households_0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [2]}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert "HH-0043" in [r[0] for r in WorkbookSource(small_app).read(["households"])["households"].rows]
    at.checkbox(key="tables_confirm_delete").check().run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert "HH-0043" not in [r[0] for r in WorkbookSource(small_app).read(["households"])["households"].rows]


@pytest.mark.usefixtures("small_app")
def test_viewer_sees_a_read_only_table(monkeypatch):
    import ui.auth
    from connectors.access import User

    monkeypatch.setattr(ui.auth, "current_user", lambda: User("v@x.org", "viewer"))
    at = _tables("households")
    assert not any(b.key == "tables_save" for b in at.button)
    assert any("may read this tab but not change it" in c.value for c in at.caption)


def test_rows_added_in_the_editor_get_the_next_keys(small_app):
    at = _tables("rice_ledger")
    at.session_state["tables_editor_rice_ledger_0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"date": "2017-07-01", "bank_id": "RB-01", "kind": "donation", "kg": 10},
        {"date": "2017-07-02", "bank_id": "RB-01", "kind": "donation", "kg": 20},
    ]}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    rows = WorkbookSource(small_app).read(["rice_ledger"])["rice_ledger"].rows
    assert [(r[0], r[4]) for r in rows[-2:]] == [("RL-000124", 10), ("RL-000125", 20)]
