"""The Khmer font in a real browser (chromium through Playwright): with the app set to Khmer, Khmer text
and the riel sign ៛ render in Noto Sans Khmer, served by the app itself (static/, theme.fontFaces), and
every page can be photographed in both languages (only with BACKOFFICE_SCREENSHOTS=1)."""
from __future__ import annotations

import pytest

from tests.factories import CHROMIUM, SCREENSHOTS, WRITE_SCREENSHOTS
from tests.factories import PAGE_NAMES as PAGES


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield chromium
        chromium.close()


def test_khmer_and_the_riel_sign_render_in_the_shipped_font(browser, app_in):
    code, url = app_in
    if code != "km":
        pytest.skip("the font check runs on the Khmer app")
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{url}/savings", wait_until="domcontentloaded")
    heading = page.locator("h1").first
    heading.wait_for(timeout=90_000)
    # a face of the shipped family, loaded from the app's static/ (check() alone is true for an unknown family)
    page.wait_for_function("[...document.fonts].some(f => f.family.includes('Noto Sans Khmer') && f.status === 'loaded')",
                           timeout=60_000)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក៛')")
    assert "ក្រុមសន្សំ" in heading.inner_text()
    family = heading.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Noto Sans Khmer" in family, family
    sources = page.evaluate("performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('NotoSansKhmer'))")
    assert any(s.endswith("/app/static/NotoSansKhmer.ttf") for s in sources), sources
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_both_languages_can_be_photographed(browser, app_in, name):
    code, url = app_in
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{url}/{'' if name == 'overview' else name}", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_timeout(2500)  # let charts draw before the screenshot
    assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")[:2000]
    title = page.locator("h1").first.inner_text()
    assert bool(any("\u1780" <= ch <= "\u17ff" for ch in title)) == (code == "km"), title
    if WRITE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{code}.png"), full_page=True)
    page.close()
