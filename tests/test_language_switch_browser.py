"""The language switch clicked in a real browser (chromium through Playwright), end to end: the sidebar's
"ខ្មែរ" turns the page Khmer, a new browser context of the same user opens in Khmer (the choice is
remembered on the server, not in the browser), and "English" turns it back, remembered too.

No sign-in is configured, so every context is the same user (the local admin); each context has its own
cookies and storage, so only the server's saved choice can carry the language from one to the next.
Without chromium the `browser` fixture skips, or fails where BACKOFFICE_REQUIRE_BROWSER=1."""
from __future__ import annotations

KHMER = range(0x1780, 0x1800)


def khmer(text: str) -> bool:
    return any(ord(ch) in KHMER for ch in text)


def new_context_page(browser, url: str):
    """A page in a fresh browser context: no cookies, no storage, no session of an earlier context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    return context, page


def navigation(page) -> list[str]:
    links = page.locator("[data-testid='stSidebarNav'] a")
    return [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]  # after the icon's name


def pick_language(page, name: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Language / ភាសា").click()
    page.get_by_role("option", name=name, exact=True).click()


def wait_for_heading(page, text: str) -> None:
    page.locator("h1", has_text=text).first.wait_for(timeout=90_000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)


HEADING = {"en": "CCPCR — the year's results", "km": "CCPCR — លទ្ធផលប្រចាំឆ្នាំ"}
LINKS = {"en": {"Overview", "Savings groups", "Data quality", "Tables"}, "km": {"ទិដ្ឋភាពទូទៅ", "ក្រុមសន្សំ", "គុណភាពទិន្នន័យ", "តារាង"}}
SECTION = {"en": "Dashboards", "km": "តារាងសង្ខេប"}


def assert_shown_in(page, code: str) -> None:
    """The Overview's heading, every navigation link and the sections' headings are in this language."""
    wait_for_heading(page, HEADING[code])
    links = navigation(page)
    assert LINKS[code] <= set(links), links
    assert all(khmer(link) == (code == "km") for link in links), links
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    other = "en" if code == "km" else "km"
    assert SECTION[code] in sidebar and SECTION[other] not in sidebar, sidebar


def test_the_sidebar_switch_turns_the_app_khmer_remembers_it_for_a_new_context_and_back(browser, app_url):
    context, page = new_context_page(browser, app_url)
    assert_shown_in(page, "en")

    pick_language(page, "ខ្មែរ")
    assert_shown_in(page, "km")
    page.locator("[data-testid='stSidebarNav'] a", has_text="ក្រុមសន្សំ").click()  # through the navigation
    wait_for_heading(page, "ក្រុមសន្សំ")  # the page opened next is Khmer too (a widget's value alone was dropped on a page switch)
    page.get_by_text("៛").first.wait_for(timeout=60_000)  # the groups' riel amounts, with the riel sign
    context.close()

    # A new context: nothing of the first one's session is left in the browser, yet the user's choice is.
    context, page = new_context_page(browser, app_url)
    assert_shown_in(page, "km")

    pick_language(page, "English")
    assert_shown_in(page, "en")
    context.close()

    context, page = new_context_page(browser, app_url)  # and English is what is remembered now
    assert_shown_in(page, "en")
    context.close()
