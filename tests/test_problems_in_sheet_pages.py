"""The pages under the real Streamlit runtime (AppTest): the Data quality page says when the problems were last
sent to the sheet and how many warnings staff confirmed, and confirms a warning as typed (the same as a tick
in the sheet, recorded with who did it); the Sync page lists the sends, for admins only."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from connectors.problems import feedback
from schemas.registry import TABS
from tests.conftest import app_on
from tests.factories import page_text, small_book, write_xlsx

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app_workbook(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "tab+notes")
    book = small_book()
    for tab in TABS:
        book.setdefault(tab.name, [[c.name for c in tab.columns]])
    return app_on(write_xlsx(book, tmp_path / "book.xlsx"), monkeypatch, tmp_path)


def _data_quality(at: AppTest) -> AppTest:
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, at.exception
    return at


def test_the_data_quality_page_says_when_problems_were_sent_and_confirms_a_warning_as_typed(app_workbook):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    feedback.wait()  # the page's refresh sends in the background; the page never waits for it
    at = _data_quality(at)
    text = page_text(at)
    assert "Problems last sent to the sheet's 'Problems' tab at" in text and "0 warnings confirmed correct as typed by staff." in text
    picker = at.multiselect(key="dq_confirm_pick")
    assert len(picker.options) == 6
    picker.select("villages|12010101|village|places.name_mismatch").run()
    at.button(key="dq_confirm").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] [1] == "5"  # the warnings left: the confirmed one is not shown any more
    feedback.wait()
    book = openpyxl.load_workbook(app_workbook)
    last = list(book["Problems"].iter_rows(values_only=True))[-1]
    assert last[8] is True and last[6].endswith("by local-admin@localhost in the back office")
    at.run()
    assert "1 warning confirmed correct as typed by staff." in page_text(at)


@pytest.mark.usefixtures("app_workbook")
def test_the_sync_page_lists_the_sends_to_admins():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    feedback.wait()
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    assert "Problems sent to the sheet" in [s.value for s in at.subheader]
    sends = next(frame.value for frame in at.dataframe if "Notes set" in frame.value.columns or "notes_set" in frame.value.columns)
    assert len(sends) == 1
