"""Every page in both languages at a desktop's width (1440 px) and a phone's (390 px), in a real browser
(chromium through Playwright, against `streamlit run`): no error, its title in the app's language, no headline
figure cut off with "…" (Khmer words are long), no chart squeezed narrower than a reader can use, nothing wider
than the screen. With BACKOFFICE_SCREENSHOTS=1 each page is photographed whole, to
docs/screenshots/<page>-<language>-<width>.png.

The Khmer font too: with the app set to Khmer, Khmer text and the riel sign ៛ render in Noto Sans Khmer, served
by the app itself (static/, theme.fontFaces)."""
from __future__ import annotations

import pytest

from tests.factories import PAGE_NAMES, SCREENSHOTS, WRITE_SCREENSHOTS, wait_until_drawn

WIDTHS = (1440, 390)
NARROWEST_CHART = {1440: 300, 390: 280}  # px a chart keeps at least (a phone's column is ~350 px)

CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricValue"] *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
    .map(e => e.innerText)"""
NARROW_CHARTS = """(least) => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] .vega-embed')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().width < least)
    .map(e => Math.round(e.getBoundingClientRect().width))"""
HEIGHT = "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')].map(e => e.scrollHeight))"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_reads_at_a_desktops_and_a_phones_width(browser, app_in, name, width):
    code, url = app_in
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(f"{url}/{'' if name == 'overview' else name}", wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=120_000)
        wait_until_drawn(page)  # charts draw after the page's text
        assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")[:2000]
        title = page.locator("h1").first.inner_text()
        assert any("\u1780" <= ch <= "\u17ff" for ch in title) == (code == "km"), title
        assert page.evaluate(CUT_METRICS) == []
        assert page.evaluate(NARROW_CHARTS, NARROWEST_CHART[width]) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # nothing wider than the screen
        if WRITE_SCREENSHOTS:
            # Streamlit scrolls inside its main section: a viewport as tall as the page photographs all of it.
            page.set_viewport_size({"width": width, "height": min(int(page.evaluate(HEIGHT)) + 40, 16_000)})
            page.wait_for_timeout(2500)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{code}-{width}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("app_in", ["km"], indirect=True)  # the Khmer app only
def test_khmer_and_the_riel_sign_render_in_the_shipped_font(browser, app_in):
    _code, url = app_in
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
