"""Issue messages are written in the reader's language, not the refresh's: a refresh in English, then the
Data quality page in Khmer shows Khmer sentences (and a refresh in Khmer, then English, English ones)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from schemas.i18n import language
from tests.conftest import app_on
from tests.factories import small_book, write_xlsx

APP = str(Path(__file__).resolve().parent.parent / "app.py")

ENGLISH = "Row 4: 'members' is 'many', which is not a number. Type a number such as 1250 in cell E4."
KHMER_START = "ជួរ 4៖ "  # "Row 4: " in Khmer


def _flawed(tmp_path: Path) -> Path:
    book = small_book()
    book["households"][3][4] = "many"  # HH-0043's members: row 4, cell E4
    return write_xlsx(book, tmp_path / "flawed.xlsx")


def _page_messages(at: AppTest) -> list[str]:
    return [str(v) for element in at.dataframe for column in element.value.columns for v in element.value[column]
            if isinstance(v, str) and "E4" in v and len(v) > 20]  # the sentences, not the cell column


@pytest.mark.parametrize(("refreshed_in", "read_in"), [("en", "km"), ("km", "en")])
def test_the_data_quality_page_writes_issues_in_the_readers_language(refreshed_in, read_in, monkeypatch, tmp_path):
    workbook = app_on(_flawed(tmp_path), monkeypatch, tmp_path)
    with language(refreshed_in):
        cache = Cache(tmp_path / "cache.duckdb")
        read_check_load(cache, WorkbookSource(workbook))
        stored = cache.cursor().execute("SELECT rule, message FROM _issues WHERE cell = 'E4'").fetchall()
        cache.close()
    assert stored == [("cell.not_a_number", None)]  # no sentence is stored: it is written when read
    with language("km"):
        from schemas.rules import issue_message

        khmer = issue_message("cell.not_a_number", 4, "households", "members", "E4", "'many'", {})
    assert khmer.startswith(KHMER_START) and "'many'" in khmer and "E4" in khmer and "number" not in khmer

    monkeypatch.setenv("BACKOFFICE_LANGUAGE", read_in)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, at.exception
    assert _page_messages(at) == ([khmer] if read_in == "km" else [ENGLISH])
