"""A real browser (Debian's chromium through Playwright) against `streamlit run` on a free port.

CI sets BACKOFFICE_REQUIRE_BROWSER=1, so there a missing chromium fails instead of skipping.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import CHROMIUM, SCREENSHOTS, WRITE_SCREENSHOTS, grid_cell, open_page, pick_option, type_into_cell
from tests.factories import PAGE_NAMES as PAGES

if not Path(CHROMIUM).exists():
    if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
        pytest.fail("Browser tests are required here but no chromium was found: apt-get install chromium.", pytrace=False)
    pytest.skip("No chromium found (apt-get install chromium); browser tests skipped on this machine.", allow_module_level=True)


def test_overview_opens_on_the_latest_year_with_data(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_text("11,618 patients assessed", exact=False).first.wait_for(timeout=90_000)
    assert "58 villages in 18 communes of 11 districts in 3 provinces" in page.inner_text("body")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_a_browser(browser, app_url, name):
    page = open_page(browser, f"{app_url}/{'' if name == 'overview' else name}")
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_timeout(2500)  # let charts draw before the screenshot
    assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")[:2000]
    if WRITE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.close()


def test_typing_into_the_grid_keeps_what_was_typed_and_shows_each_cells_message(browser, app_url):
    """The Tables grid edits numbers as text: "-50" keeps its sign, "1,5OO" its letter O, and Save answers
    with the schema's message for each cell (nothing is written: the save is refused)."""
    page = open_page(browser, app_url)
    page.get_by_text("patients assessed", exact=False).first.wait_for(timeout=90_000)
    page.get_by_role("link", name="Tables").click()  # through the navigation, as a person does
    page.get_by_text("87 rows", exact=False).first.wait_for(timeout=90_000)
    pick_option(page, "Tab", "Rice ledger", first=True)
    page.get_by_text("209 rows", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(2500)  # the grid draws after its rows arrive
    grid = page.locator("[data-testid='stDataFrame']").first
    for key, typed in [("RL-000002", "-50"), ("RL-000003", "1,5OO")]:  # both loans, in sheet rows 3 and 4
        type_into_cell(page, grid, key, "Kg", typed)
    assert grid_cell(grid, "RL-000002", "Kg").text_content() == "-50"  # the first edit survived the second's rerun
    page.get_by_role("button", name="Save").click()
    page.get_by_text("nothing was saved", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    body = "\n".join(page.locator("[data-testid='stDataFrame']").all_text_contents())  # the grids' accessible cells
    assert "Row 3: 'Kg' is -50; it must be 0.001 or more. Correct it in cell E3." in body, body[-2000:]
    assert "Row 4: 'Kg' is '1,5OO', which is not a number. Type a number such as 1250 in cell E4." in body, body[-2000:]
    page.close()
