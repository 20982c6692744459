"""One language per page, with the parts Streamlit redraws on their own: in chromium, a user who chose Khmer opens
every page (each in a new session, so the language comes from the saved choice) and waits until the freshness
line at the top has been redrawn by its fragment (it runs outside app.py, so outside the language app.py set);
no page shows an English sentence of the catalog - not in that line, not in the sidebar's sign-in note.

The server's own language is English (no BACKOFFICE_LANGUAGE): a part drawn outside the session's language
would come out English, which is what this looks for."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.catalogs import english_fragments
from tests.factories import PAGE_NAMES, app_environment, start_streamlit, stop

AGO = re.compile(r"\d+ វិនាទីមុន")  # "{n} s ago" in Khmer: changes every second while the fragment redraws


@pytest.fixture(scope="module")
def english_server(tmp_path_factory, demo_workbook):
    work = tmp_path_factory.mktemp("fragments")
    shutil.copy(demo_workbook, work / "demo.xlsx")
    env = app_environment(BACKOFFICE_SOURCE=str(work / "demo.xlsx"), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
                          BACKOFFICE_SECRETS=str(work / "none.toml"), BACKOFFICE_POLL_SECONDS="1")  # the line redraws every second
    server, url = start_streamlit(env, work / "streamlit.log")
    yield url
    stop(server)


def freshness_line(page) -> str:
    lines = [t for t in page.locator("[data-testid='stCaptionContainer']").all_inner_texts() if "UTC" in t]
    return lines[0] if lines else ""


def test_every_page_is_khmer_after_its_fragments_redraw(browser, english_server):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(english_server, wait_until="domcontentloaded")
    page.locator("h1", has_text="CCPCR — the year's results").wait_for(timeout=120_000)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Language / ភាសា").click()
    page.get_by_role("option", name="ខ្មែរ", exact=True).click()
    page.locator("h1", has_text="CCPCR — លទ្ធផលប្រចាំឆ្នាំ").wait_for(timeout=120_000)

    fragments, offenders = english_fragments(), []
    assert len(fragments) > 300
    for name in PAGE_NAMES:
        page.goto(f"{english_server}/{name}", wait_until="domcontentloaded")  # a new session: the saved choice
        page.locator("h1").first.wait_for(timeout=120_000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=120_000)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                               ".some(e => e.innerText.includes('UTC'))", timeout=60_000)
        first = freshness_line(page)
        page.wait_for_function(f"() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                               f".some(e => e.innerText.includes('UTC') && e.innerText !== {first!r})", timeout=60_000)
        redrawn = freshness_line(page)
        assert AGO.search(redrawn), (name, redrawn)  # redrawn by the fragment, in Khmer
        text = re.sub(r"'[^'\n]*'", "''", page.locator("body").inner_text())  # a quoted sheet header is not a sentence
        offenders += [f"{name}: {fragment!r}" for fragment in fragments if fragment in text]
    page.close()
    assert not offenders, "English on Khmer pages:\n" + "\n".join(offenders)
