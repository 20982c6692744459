"""A real browser (Debian's chromium through Playwright) against `streamlit run` on a free port.

CI sets BACKOFFICE_REQUIRE_BROWSER=1, so there a missing chromium fails instead of skipping.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PAGES = ["overview", "rice_bank", "cow_bank", "clinic", "savings", "prevention", "school_support", "wash", "data_quality",
         "tables", "sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
        pytest.fail("Browser tests are required here but no chromium was found: apt-get install chromium.", pytrace=False)
    pytest.skip("No chromium found (apt-get install chromium); browser tests skipped on this machine.", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, demo_workbook):
    work = tmp_path_factory.mktemp("browser")
    workbook = work / "demo.xlsx"
    shutil.copy(demo_workbook, workbook)
    port = _free_port()
    env = dict(os.environ, BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(work / "cache.duckdb"), BACKOFFICE_SECRETS=str(work / "none.toml"))
    log = (work / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(work / 'streamlit.log').read_text()}")
            time.sleep(0.5)
    else:
        server.kill()
        raise RuntimeError("streamlit did not start within 90 s")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(url, wait_until="domcontentloaded")
    return page


def test_overview_shows_the_year_of_the_report(browser, app_url):
    page = _open(browser, app_url)
    page.get_by_text("11,292 patients assessed", exact=False).first.wait_for(timeout=90_000)
    assert "55 villages in 18 communes of 11 districts in 3 provinces" in page.inner_text("body")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_a_browser(browser, app_url, name):
    page = _open(browser, f"{app_url}/{'' if name == 'overview' else name}")
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_timeout(2500)  # let charts draw before the screenshot
    assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")[:2000]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.close()
