"""From a problem to its fix in a real browser (Debian's chromium, `streamlit run` on a free port), on the
built-in kind of source, a workbook on disk:

- a planted mistake is listed on Data quality; its link opens the Tables page at that row, the cell's column
  marked, the message beside it and the typed text in the box to correct; the fix is saved and the problem
  is gone;
- dates typed into the grid follow the sheet's date order: 31/02/2018 is refused with the sheet's message,
  03/04/2018 is saved as 3 April; the add form suggests the next free id after a save;
- a walk over the Tables page of every tab finds no "None" and no raw code in a coded column;
- and the server's log holds no traceback after all of it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from schemas.formats import labels_of
from schemas.registry import TABS
from schemas.registry import tab as registered_tab
from tests.factories import (
    CHROMIUM,
    grid_cell,
    pick_option,
    select_cell,
    start_streamlit,
    stop,
    stored_in_cell,
    type_in_cells,
    type_into_cell,
    wait_until_idle,
)

if not Path(CHROMIUM).exists():
    if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
        pytest.fail("Browser tests are required here but no chromium was found: apt-get install chromium.", pytrace=False)
    pytest.skip("No chromium found (apt-get install chromium); browser tests skipped on this machine.", allow_module_level=True)

KG_MESSAGE = "Row 3: 'Kg' is 'abc', which is not a number. Type a number such as 1250 in cell E3."
FIX_LINK = "tables?tab=rice_ledger&row=3&column=kg"


@contextlib.contextmanager
def _planted(work: Path, demo_workbook: Path):
    """The demo app with "abc" typed in the Kg of RL-000002 (rice_ledger!E3) -> (its URL, its workbook, its log)."""
    workbook = work / "planted.xlsx"
    shutil.copy(demo_workbook, workbook)
    type_in_cells(workbook, {"rice_ledger": {"E3": "abc"}})
    log = work / "streamlit.log"
    # A quiet poll: the workbook's own saves would otherwise come back as a refresh that redraws the page
    # while a test types (the live redraw has its own browser tests: tests/test_live_browser.py).
    env = dict(os.environ, BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
               BACKOFFICE_SECRETS=str(work / "none.toml"),
               BACKOFFICE_POLL_SECONDS="3600", BACKOFFICE_MAX_STALE_SECONDS="7200",
               BACKOFFICE_PROBLEMS_IN_SHEET="off")  # the Problems tab has its own browser test; here its background writes only redraw
    env.pop("BACKOFFICE_LANGUAGE", None)
    env.pop("BACKOFFICE_DATE_ORDER", None)
    server, url = start_streamlit(env, log)
    yield url, workbook, log
    stop(server)
    assert "Traceback" not in log.read_text(), log.read_text()[-5000:]  # no input, no click logged one


@pytest.fixture(scope="module")
def planted_app(tmp_path_factory, demo_workbook):
    with _planted(tmp_path_factory.mktemp("problems"), demo_workbook) as app:
        yield app


@pytest.fixture
def own_planted_app(tmp_path, demo_workbook):
    """A planted app of the test's own, started again for a rerun: the test saves, and a rerun must find the
    demo's values, not the ones its first attempt saved."""
    with _planted(tmp_path, demo_workbook) as app:
        yield app


def _open(browser, url: str, width: int = 1400):
    context = browser.new_context(viewport={"width": width, "height": 1600})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")  # a fresh process learns st.navigation from its entry page
    page.get_by_text("Data as of ", exact=False).first.wait_for(timeout=90_000)
    return context, page


def _tab(page, tab) -> None:
    pick_option(page, "Tab", tab.title, first=True)
    page.get_by_text((tab.schema.__doc__ or "").strip(), exact=True).first.wait_for(timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(1500)  # the grid draws after its rows arrive


def _open_cell(page, grid, cell) -> None:
    """Select a grid cell through its accessible cell, then open it with Enter."""
    select_cell(page, grid, cell)
    page.keyboard.press("Enter")


def _cells(grid, title: str, seconds: float = 30) -> list[str]:
    """The texts the grid shows in the column headed `title` (its accessible cells: the rows drawn), once it
    has drawn some (a loaded machine draws late)."""
    deadline = time.monotonic() + seconds
    while True:
        index = _column_index(grid, title)
        texts = [] if index is None else [(t or "").strip() for t in grid.locator(f"td[aria-colindex='{index}']").all_text_contents()]
        if texts or time.monotonic() > deadline:
            return texts
        grid.page.wait_for_timeout(500)


def test_a_problem_opens_its_cell_in_the_tables_page_and_is_fixed_there(browser, planted_app):
    url, workbook, _log = planted_app
    context, page = _open(browser, url)
    page.get_by_role("link", name="Data quality", exact=True).click()
    page.get_by_text("Problems to fix", exact=True).wait_for(timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(1500)
    grid = page.locator("[data-testid='stDataFrame']").filter(has=page.locator("td", has_text="abc")).last
    _open_cell(page, grid, grid.locator("td", has_text=FIX_LINK))  # the link's cell opens on a real <a href>
    anchor = page.locator("a.gdg-link-area")
    anchor.wait_for(timeout=10_000)
    assert anchor.get_attribute("href") == FIX_LINK
    with context.expect_page() as opened:
        anchor.click()
    tables = opened.value
    tables.get_by_text("Row 3 of Rice ledger, column Kg").wait_for(timeout=90_000)
    wait_until_idle(tables)
    tables.wait_for_timeout(1500)
    body = tables.inner_text("body")
    assert KG_MESSAGE in body and "1 row" in body  # the message beside it; filtered to the problem's row
    box = tables.get_by_role("textbox", name="Correct Kg")
    assert box.input_value() == "abc"  # the typed text, to correct
    grid = tables.locator("[data-testid='stDataFrame']").first
    assert _cells(grid, "⚠ Kg") == ["abc"]  # the cell, in its marked column, shows what was typed
    assert _cells(grid, "Problems") == [f"⚠ {KG_MESSAGE}"]
    box.fill("70")
    box.press("Enter")
    wait_until_idle(tables)
    tables.get_by_role("button", name="Save this cell").click()
    tables.get_by_text("Saved: 1 cell changed.").wait_for(timeout=60_000)
    assert "No problem is left in this cell." in tables.inner_text("body")
    assert stored_in_cell(workbook, "rice_ledger", "E3") == 70
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("No problems found in any tab.").wait_for(timeout=90_000)
    context.close()


# Its failures had causes in the helpers, since fixed: Enter before the editor held the typed text
# (type_into_cell), a cell's focus ignored after the Tab picker (select_cell), Enter on typed text that picked
# nothing (pick_option). One rerun stays as insurance, on an app of its own started again; a second failure
# fails, and the first one is printed too (tests/conftest.py).
@pytest.mark.flaky(reruns=1)
def test_dates_typed_in_the_grid_follow_the_sheets_order_and_the_add_form_suggests_the_next_id(browser, own_planted_app):
    url, workbook, _log = own_planted_app
    context, page = _open(browser, url)
    page.get_by_role("link", name="Tables", exact=True).click()
    page.get_by_text("rows", exact=False).first.wait_for(timeout=90_000)
    _tab(page, registered_tab("rice_banks"))
    assert "Type dates as dd/mm/yyyy" in page.inner_text("body")
    grid = page.locator("[data-testid='stDataFrame']").first
    type_into_cell(page, grid, "RB-01", "Established on", "31/02/2018")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("nothing was saved", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    shown = "\n".join(page.locator("[data-testid='stDataFrame']").all_text_contents())
    assert "'Established on' is '31/02/2018', which is not a date we can read" in shown  # refused, never 3 March
    page.reload(wait_until="domcontentloaded")  # a fresh page: the refused edit is dropped
    page.get_by_text("Data as of ", exact=False).first.wait_for(timeout=90_000)
    _tab(page, registered_tab("rice_banks"))
    wait_until_idle(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    assert grid_cell(grid, "RB-01", "Established on").text_content() == "18/02/2016"  # nothing was adjusted or written
    type_into_cell(page, grid, "RB-01", "Established on", "03/04/2018")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved: 1 cell changed.").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(1500)
    assert grid_cell(page.locator("[data-testid='stDataFrame']").first, "RB-01", "Established on").text_content() == "03/04/2018"
    stored = dt.datetime(1899, 12, 30) + dt.timedelta(days=stored_in_cell(workbook, "rice_banks", "D2"))
    assert (stored.year, stored.month, stored.day) == (2018, 4, 3)  # 3 April: the sheet's day-first order
    page.get_by_text("Add a row").click()
    key = page.get_by_role("textbox", name="Bank ID")
    assert key.input_value() == "RB-03"
    page.get_by_role("textbox", name="Name").fill("Test bank")
    page.get_by_role("textbox", name="Established on").fill("01/05/2018")
    page.get_by_role("textbox", name="Capacity (kg)").fill("1000")
    page.get_by_role("textbox", name="Interest (%)").fill("10")
    for level, typed in [("Province", "Svay Rieng"), ("District", "Chantrea"), ("Commune", "Chantrea"), ("Village", "Kouk Taek")]:
        pick_option(page, level, typed)
    page.get_by_role("button", name="Add the row").click()
    page.get_by_text("Saved: 1 row added.").wait_for(timeout=60_000)
    wait_until_idle(page)
    assert page.get_by_role("textbox", name="Bank ID").input_value() == "RB-04"  # the next free id, not the one just used
    assert page.get_by_role("textbox", name="Name").input_value() == ""
    context.close()


def _column_index(grid, title: str) -> str | None:
    headers = grid.locator("th[role='columnheader']")
    return next((headers.nth(i).get_attribute("aria-colindex") for i in range(headers.count())
                 if headers.nth(i).inner_text().strip() == title), None)


def _drawn_choice(page, grid, index: str, labels: dict[str, str]) -> tuple[str, list[str] | None]:
    """(the code the first row holds in column `index`, the lines its editor shows once it shows that code's
    label). The grid draws a picked column's label on its canvas, where a test cannot read it, and keeps the
    code in its accessible cell; the editor, opened with Enter, shows the label in the DOM."""
    cell = grid.locator("tbody tr[role='row']").first.locator(f"td[aria-colindex='{index}']")
    code = (cell.text_content() or "").strip()
    if code in ("", "•••"):
        return code, None  # blank, or hidden for the role: nothing to pick
    portal = page.locator("#portal")
    for attempt in range(4):  # the editor may open late on a loaded machine
        _open_cell(page, grid, cell)
        try:
            portal.get_by_text(labels.get(code, code), exact=True).first.wait_for(timeout=5_000 * (attempt + 1))
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_until_idle(page)
    lines = [line.strip() for line in portal.inner_text().splitlines() if line.strip()]
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    return code, lines


@pytest.mark.flaky(reruns=1)  # it only reads: a second run sees the same; the first failure is printed too
def test_a_walk_over_every_tab_finds_no_none_and_no_raw_code(browser, planted_app):
    url, _workbook, _log = planted_app
    context, page = _open(browser, url, width=3000)  # wide: every column drawn at once
    page.get_by_role("link", name="Tables", exact=True).click()
    page.get_by_text("rows", exact=False).first.wait_for(timeout=90_000)
    yes_no = {"yes": "Yes", "no": "No"}
    checked = []
    for tab in TABS:
        _tab(page, tab)
        grid = page.locator("[data-testid='stDataFrame']").first
        texts = [(t or "").strip() for t in grid.locator("td").all_text_contents()]
        assert texts and "None" not in texts and "nan" not in texts, (tab.name, texts[:20])
        for spec in tab.columns:
            labels = labels_of(spec) if spec.labels else yes_no if spec.kind == "bool" else None
            index = _column_index(grid, spec.title) if labels else None
            if index is None:
                continue
            code, lines = _drawn_choice(page, grid, index, labels)
            if lines is None:
                continue
            assert labels[code] in lines, (tab.name, spec.name, code, lines)  # its label, in the reader's language
            assert code == labels[code] or code not in lines, (tab.name, spec.name, code, lines)  # never the code
            checked.append(f"{tab.name}.{spec.name}")
        page.locator("h1").first.click()
    coded = [f"{t.name}.{c.name}" for t in TABS for c in t.columns if c.labels or c.kind == "bool"]
    assert len(checked) >= len(coded) - 3, sorted(set(coded) - set(checked))  # all but blank or hidden ones
    context.close()
