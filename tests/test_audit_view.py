"""The audit trail in words (Sync & history, a row's history): each change edited, added, deleted or viewed,
old and new values written as the tables write them, in the reader's language; never a row as JSON. And a
save says what it did with the plural of each count right, in both languages."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.interface import WriteResult
from connectors.sync.send import saved_message
from schemas.i18n import language
from tests.factories import APP
from ui.audit_view import audit_shown

AT = dt.datetime(2018, 4, 3, 9, 30)


def _trail() -> pd.DataFrame:
    return pd.DataFrame([
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "rice_ledger", "row_key": "RL-000122", "column": "kind", "old": "loan",
         "new": "donation", "via": "app"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "rice_ledger", "row_key": "RL-000122", "column": "date", "old": "2017-02-05",
         "new": "2018-04-03", "via": "app"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "rice_ledger", "row_key": "RL-000122", "column": "kg", "old": "abc",
         "new": "1250", "via": "app (outbox)"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "villages", "row_key": "12010101", "column": "target_village", "old": "FALSE",
         "new": "TRUE", "via": "app"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "rice_ledger", "row_key": "RL-000124", "column": None, "old": None,
         "new": '{"entry_id": "RL-000124", "date": "2018-04-03", "bank_id": "RB-01", "kind": "loan", "kg": "1250"}', "via": "app"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "rice_ledger", "row_key": "RL-000121", "column": None,
         "old": '{"entry_id": "RL-000121", "kind": "donation", "kg": "1000"}', "new": None, "via": "app"},
        {"at": AT, "user": "sokha@ccpcr.org", "tab": "households", "row_key": "", "column": None, "old": None,
         "new": "page 1 (personal data shown)", "via": "view"},
    ])


def test_each_change_says_what_happened_with_values_as_the_tables_write_them():
    shown = audit_shown(_trail())
    assert list(shown.columns) == ["at", "user", "tab", "row_key", "change", "column", "old", "new", "via"]
    assert shown[["change", "column", "old", "new"]].values.tolist() == [
        ["edited", "Kind", "Loan", "Donation"],
        ["edited", "Date", "05 Feb 2017", "03 Apr 2018"],
        ["edited", "Kg", "abc", "1,250"],  # what could not be read stays as it was typed
        ["edited", "Target village", "No", "Yes"],
        ["added", "", "", "Entry ID: RL-000124 · Date: 03 Apr 2018 · Bank ID: RB-01 · Kind: Loan · Kg: 1,250"],
        ["deleted", "", "Entry ID: RL-000121 · Kind: Donation · Kg: 1,000", ""],
        ["viewed", "", "", "page 1 (personal data shown)"],
    ]
    assert shown["tab"].tolist()[:2] == ["Rice ledger", "Rice ledger"] and shown["via"].tolist()[2] == "app (sent from the outbox)"


def test_the_same_trail_in_khmer():
    with language("km"):
        shown = audit_shown(_trail())
    assert shown["change"].tolist()[:1] + shown["change"].tolist()[4:] == ["បានកែ", "បានបន្ថែម", "បានលុប", "បានមើល"]
    assert shown["old"].tolist()[0] == "ខ្ចីស្រូវ" and shown["new"].tolist()[3] == "បាទ/ចាស"
    assert "{" not in " ".join(shown["new"].tolist() + shown["old"].tolist())


def test_a_row_history_without_its_tab_column_names_the_tab_once():
    history = _trail().drop(columns=["tab", "row_key"]).iloc[:2]
    assert audit_shown(history, "rice_ledger")[["change", "old"]].values.tolist() == [["edited", "Loan"], ["edited", "05 Feb 2017"]]


def test_a_save_says_one_cell_and_two_cells_in_both_languages():
    assert saved_message(WriteResult(1, 0, 0)) == "Saved: 1 cell changed."
    assert saved_message(WriteResult(2, 1, 0)) == "Saved: 2 cells changed, 1 row added."
    assert saved_message(WriteResult(0, 0, 3)) == "Saved: 3 rows deleted."
    with language("km"):
        assert saved_message(WriteResult(1, 0, 0)) == "បានរក្សាទុក៖ បានកែ 1 ក្រឡា។"


@pytest.mark.usefixtures("app_env")
def test_the_sync_page_shows_an_edit_in_words():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("rice_ledger").run()
    [grid] = [d for d in at.data_editor if d.key.startswith("tables_editor_rice_ledger_")]
    old = grid.value.iloc[0]["date"]
    at.session_state[grid.key] = {"edited_rows": {0: {"date": "03/04/2015"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Saved: 1 cell changed."
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    trail = next(d.value for d in at.dataframe if "Via" in d.value.columns)
    edited = trail[trail["Change"] == "edited"]
    expected_old = pd.Timestamp(dt.datetime.strptime(old, "%d/%m/%Y")).strftime("%d %b %Y")
    assert edited[["Tab", "Column", "Old", "New"]].values.tolist() == [["Rice ledger", "Date", expected_old, "03 Apr 2015"]]
