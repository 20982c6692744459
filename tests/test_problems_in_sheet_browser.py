"""In a real browser (Debian's chromium, Playwright) against `streamlit run` on the Google Sheets source: a
mistake typed into the sheet appears on the open Data quality page and in the sheet's Problems tab, with
its note, without a click. Short poll intervals; the local Sheets server runs in this test's process."""
from __future__ import annotations

import os
import time

import pytest

from schemas.registry import TABS
from tests.factories import open_page, small_book, start_streamlit, stop

POLL_SECONDS, MAX_STALE_SECONDS = 2, 10
MISTAKE = "Row 3: 'members' is 'lots', which is not a number."


@pytest.fixture
def live_sheet(sheets_server, make_spreadsheet, tmp_path):
    book = small_book()
    for tab in TABS:
        book.setdefault(tab.name, [[c.name for c in tab.columns]])
    key = make_spreadsheet(book)
    env = dict(os.environ, BACKOFFICE_SOURCE=f"gsheets:{key}", GSHEETS_API_BASE=sheets_server.base_url,
               BACKOFFICE_CACHE=str(tmp_path / "cache.duckdb"), BACKOFFICE_SECRETS=str(tmp_path / "none.toml"),
               BACKOFFICE_POLL_SECONDS=str(POLL_SECONDS), BACKOFFICE_MAX_STALE_SECONDS=str(MAX_STALE_SECONDS),
               BACKOFFICE_PROBLEMS_IN_SHEET="tab+notes")
    process, url = start_streamlit(env, tmp_path / "streamlit.log")
    yield url, key
    stop(process)


def _wait(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def test_a_mistake_typed_in_the_sheet_shows_on_the_open_data_quality_page_and_in_the_problems_tab(browser, live_sheet, sheets_server):
    url, key = live_sheet
    page = open_page(browser, url)
    page.get_by_text("Data as of ", exact=False).first.wait_for(timeout=90_000)  # the entry page first, then the page
    page.goto(f"{url}/data_quality", wait_until="domcontentloaded")
    page.get_by_text("Problems last sent to the sheet's 'Problems' tab", exact=False).first.wait_for(timeout=90_000)
    metrics = page.locator("[data-testid='stMetricValue']")
    # Open errors, warnings (the tables are drawn on a canvas); the page may be redrawing after the app's own write.
    assert _wait(lambda: metrics.all_text_contents()[:2] == ["0", "6"], 30), metrics.all_text_contents()
    sheets_server.edit(key, "households", "E3", "lots")  # someone types in the sheet: nobody touches the page
    assert _wait(lambda: metrics.all_text_contents()[:2] == ["1", "6"], 60), page.inner_text("body")[:3000]
    assert _wait(lambda: any(r and r[-1] == "households|HH-0042|members|cell.not_a_number"
                             for r in sheets_server.sheet_values(key, "Problems")), 30)
    assert sheets_server.notes(key, "households")["E3"].startswith(f"Back office:\n• {MISTAKE}")
    page.close()
