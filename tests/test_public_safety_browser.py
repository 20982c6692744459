"""Safe in public, in a real browser (chromium) against `streamlit run`:
- a page that raises shows one short message with an error id, never the traceback; the server's log has it;
- a cell holding Markdown (`[text](url)`, `![](url)`) is drawn as those characters, not as a link or an image;
- in local-admin mode a page asked for under another name (DNS rebinding: evil.example resolving to 127.0.0.1)
  is refused by the app, and with `make run`'s options Streamlit itself refuses the connection."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from tests.factories import CHROMIUM, ROOT, app_environment, clean_clone, start_streamlit, stop, type_in_cells, websocket_answer

PLANTED_NAME = "[click me](http://evil.example/x) ![](http://evil.example/pixel.png)"
SECRET_PATH = "/srv/ccpcr/private/planted-boom"


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory, demo_workbook):
    """A copy of this checkout whose Rice bank page raises, on the demo workbook with a bank named in Markdown."""
    work = tmp_path_factory.mktemp("safety")
    clone = clean_clone(work / "clone")
    page = clone / "pages" / "rice_bank.py"
    page.write_text(page.read_text() + f"\nraise RuntimeError('planted failure reading {SECRET_PATH}')\n")
    workbook = work / "demo.xlsx"
    shutil.copy(demo_workbook, workbook)
    type_in_cells(workbook, {"rice_banks": {"B2": PLANTED_NAME}})
    env = app_environment(BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
                          BACKOFFICE_SECRETS=str(work / "none.toml"))
    server, url = start_streamlit(env, work / "streamlit.log", cwd=clone)
    yield url, work / "streamlit.log"
    stop(server)


def _visible(page) -> str:
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=90_000)
    return page.locator("body").inner_text()


def test_a_page_that_raises_shows_a_short_message_with_an_id_and_no_traceback(browser, broken_app):
    url, log = broken_app
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(url, wait_until="domcontentloaded")  # a fresh process sends a first URL of pages/ to app.py first
    page.get_by_text("prevention activities reached").first.wait_for(timeout=120_000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Rice bank").click()
    page.get_by_text("Something went wrong while drawing this page").wait_for(timeout=120_000)
    text = _visible(page)
    found = re.search(r"Something went wrong while drawing this page \(error ([0-9a-f]{8})\)", text)
    assert found, text
    for leak in ("Traceback", "RuntimeError", SECRET_PATH, 'File "', "rice_bank.py", "site-packages"):
        assert leak not in text, (leak, text)
    assert not page.locator("[data-testid='stException']").count()
    page.close()
    server_log = log.read_text()
    at = server_log.index(f"error {found.group(1)} while drawing the page rice_bank")
    assert "Traceback" in server_log[at:] and SECRET_PATH in server_log[at:]  # the details are in the server's log


def test_a_cell_holding_markdown_is_drawn_as_its_characters(browser, broken_app):
    url, _log = broken_app
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("prevention activities reached").first.wait_for(timeout=120_000)
    page.get_by_text("kg in stock on", exact=False).first.wait_for(timeout=120_000)  # the rice banks' sentences drawn too
    text = _visible(page)
    sentences = [line for line in text.replace("\u2060", "").splitlines() if "kg in stock on" in line]  # the Overview's rice banks
    assert any(line.startswith(f"{PLANTED_NAME} (RB-01): ") for line in sentences), sentences  # as typed
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='evil.example']").count() == 0
    page.close()


# --- DNS rebinding -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rebinding_browser(browser):
    """chromium that resolves evil.example to 127.0.0.1, as a rebinding attacker's DNS would (launched by the same
    Playwright as `browser`, which skips or fails where there is no chromium)."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def local_admin_app(tmp_path_factory, demo_workbook):
    """`streamlit run app.py` bound to 127.0.0.1 with no sign-in (the local admin) and no other option."""
    work = tmp_path_factory.mktemp("rebinding")
    shutil.copy(demo_workbook, work / "demo.xlsx")
    env = app_environment(BACKOFFICE_SOURCE=str(work / "demo.xlsx"), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
                          BACKOFFICE_SECRETS=str(work / "none.toml"))
    server, url = start_streamlit(env, work / "streamlit.log", options=())
    yield url
    stop(server)


def test_the_local_admin_refuses_a_page_asked_for_under_another_name(rebinding_browser, local_admin_app):
    port = local_admin_app.rsplit(":", 1)[1]
    page = rebinding_browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"http://evil.example:{port}/", wait_until="domcontentloaded")
    page.get_by_text("This local app answers only to the addresses of this computer").wait_for(timeout=120_000)
    text = _visible(page)
    assert "this page was asked for as evil.example" in text
    for data in ("Data as of", "Demo workbook", "prevention activities", "Refresh"):
        assert data not in text, (data, text)
    page.goto(local_admin_app, wait_until="domcontentloaded")  # the same server, asked for as 127.0.0.1: open
    page.get_by_text("prevention activities reached").first.wait_for(timeout=120_000)
    page.close()


def make_run_options() -> list[str]:
    """The options `make run` passes to `streamlit run app.py` (from `make -n run`), the port left out."""
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in planned.splitlines() if "streamlit run app.py" in line)
    words = shlex.split(line)
    options = words[words.index("app.py") + 1:]
    at = options.index("--server.port")
    return options[:at] + options[at + 2:]


def test_make_run_sets_streamlits_allowed_hosts_so_another_name_gets_no_connection(tmp_path, demo_workbook):
    options = make_run_options()
    assert options[:2] == ["--server.address", "127.0.0.1"] and "--server.allowedHosts" in options
    shutil.copy(demo_workbook, tmp_path / "demo.xlsx")
    env = app_environment(BACKOFFICE_SOURCE=str(tmp_path / "demo.xlsx"), BACKOFFICE_CACHE=str(tmp_path / "cache.duckdb"),
                          BACKOFFICE_SECRETS=str(tmp_path / "none.toml"))
    server, url = start_streamlit(env, tmp_path / "streamlit.log", options=tuple(options[2:]))
    try:
        port = int(url.rsplit(":", 1)[1])
        assert websocket_answer(port, f"evil.example:{port}") == "HTTP/1.1 403 Forbidden"
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert websocket_answer(port, host) == "HTTP/1.1 101 Switching Protocols", host
    finally:
        stop(server)
