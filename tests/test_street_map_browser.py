"""The coverage map's street-map view in a real browser (chromium through Playwright): the toggle draws the
villages with deck.gl and asks CARTO for its tiles; with the tiles unreachable (a field laptop offline,
made certain here by refusing every request to CARTO) the page still draws the map and shows no error.
Without chromium the `browser` fixture skips, or fails where BACKOFFICE_REQUIRE_BROWSER=1."""
from __future__ import annotations

import io

from PIL import Image


def settled(page, heading: str) -> None:
    page.locator("h1", has_text=heading).first.wait_for(timeout=90_000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)


def test_the_street_map_asks_for_tiles_and_still_draws_its_villages_offline(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    asked: list[str] = []

    def offline(route):
        asked.append(route.request.url)
        route.abort()

    page.route("**/*cartocdn.com/**", offline)
    page.goto(app_url, wait_until="domcontentloaded")
    settled(page, "CCPCR — the year's results")  # the first run over before we move: else it lands after
    page.locator("[data-testid='stSidebarNav'] a", has_text="Prevention").click()
    settled(page, "Prevention of trafficking")
    page.get_by_role("tab", name="Coverage map").click(timeout=90_000)
    assert not page.locator("[data-testid='stDeckGlJsonChart']").count()  # off until asked
    page.locator("[data-testid='stCheckbox']").filter(has_text="Show on a street map (needs internet)").locator("label").click(timeout=60_000)
    deck = page.locator("[data-testid='stDeckGlJsonChart']")
    deck.wait_for(timeout=60_000)
    deck.locator("canvas").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert asked and all("cartocdn.com" in url for url in asked)  # the basemap was asked for, online it would show
    assert deck.bounding_box()["height"] > 200
    shot = Image.open(io.BytesIO(deck.screenshot())).convert("RGB")
    dots = sum(1 for r, g, b in shot.getdata() if abs(r - 42) + abs(g - 157) + abs(b - 143) < 60  # "reached" teal
               or abs(r - 231) + abs(g - 111) + abs(b - 81) < 60)  # "not reached yet" orange
    assert dots > 50, f"no village dots drawn ({dots} pixels in their colours)"
    assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")[:2000]
    page.close()
