"""Shared fixtures. The demo workbook is the shared fixture: built once per test session, read-only."""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from connectors.store.refresh import read_check_load
from tests.factories import CHROMIUM, SOURCES, Env, start_streamlit, stop

pytest_plugins = ["tests.fixtures_sheets"]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_frames():
    from data.build_demo import build_demo_frames

    return build_demo_frames()


@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory, demo_frames) -> Path:
    """The demo workbook, written once per session. Tests that change it take `demo_copy`."""
    from data.build_demo import write_workbook

    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_workbook(demo_frames, path)
    return path


@pytest.fixture
def demo_copy(tmp_path, demo_workbook) -> Path:
    """A private copy of the demo workbook that a test may edit."""
    path = tmp_path / "workbook.xlsx"
    shutil.copy(demo_workbook, path)
    return path


@pytest.fixture(scope="session")
def demo_cache(demo_workbook):
    """A DuckDB cache (in memory) refreshed from the demo workbook. Read-only for tests."""
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    return cache


def app_on(workbook: Path, monkeypatch, tmp_path) -> Path:
    """Point the app under AppTest at this workbook, with a private cache file and no secrets."""
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(workbook))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)
    return workbook


@pytest.fixture
def app_env(monkeypatch, tmp_path, demo_workbook):
    """Environment for the app under AppTest: the demo workbook (a private copy) and a private cache file."""
    workbook = tmp_path / "app.xlsx"
    shutil.copy(demo_workbook, workbook)
    app_on(workbook, monkeypatch, tmp_path)
    return {"workbook": workbook, "cache": tmp_path / "cache.duckdb"}


@pytest.fixture(autouse=True)
def problems_in_sheet_off(monkeypatch):
    """Tests that pin a refresh's exact calls or a workbook's bytes run with problems_in_sheet=off; the tests of
    that feature (tests/test_problems_in_sheet*.py) turn it on, as the app's default (tab+notes) has it."""
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "off")


@pytest.fixture(autouse=True)
def loopback_bind():
    """Streamlit bound to 127.0.0.1, as `make run` binds it: AppTest leaves server.address unset, which the
    app reads as "every interface" and refuses without sign-in. A test may set another address itself."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


@pytest.fixture(scope="session")
def flawed_workbook(tmp_path_factory, demo_workbook) -> Path:
    """The demo workbook with one planted mistake per programme and the cows tab deleted (tests/flawed_demo.py).
    Read-only: written once per session."""
    from tests.flawed_demo import write_flawed

    return write_flawed(demo_workbook, tmp_path_factory.mktemp("flawed") / "flawed.xlsx")


@pytest.fixture(params=SOURCES)
def env(request, tmp_path) -> Env:
    env = Env(request.param, tmp_path, request)
    yield env
    env.cache.close()


@pytest.fixture
def downloads(monkeypatch) -> list[bytes]:
    """The bytes of every st.download_button the app offers, as the browser would get them."""
    seen: list[bytes] = []
    import streamlit

    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        data_now = data() if callable(data) else data  # a file written on click: what the click would get
        seen.append(data_now if isinstance(data_now, bytes) else str(data_now).encode())
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return seen


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright; skipped where there is none (failed when CI requires it)."""
    import os

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):
            pytest.fail("Browser tests are required here but no chromium was found: apt-get install chromium.", pytrace=False)
        pytest.skip("No chromium found (apt-get install chromium); browser tests skipped on this machine.")

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=["km", "en"])
def app_in(request, tmp_path_factory, demo_workbook):
    """(language, URL): the demo app under `streamlit run` in Khmer, then in English (BACKOFFICE_LANGUAGE)."""
    from tests.catalogs import build_assets

    build_assets()
    work = tmp_path_factory.mktemp(f"browser-{request.param}")
    shutil.copy(demo_workbook, work / "demo.xlsx")
    env = dict(os.environ, BACKOFFICE_SOURCE=str(work / "demo.xlsx"), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
               BACKOFFICE_SECRETS=str(work / "none.toml"), BACKOFFICE_LANGUAGE=request.param)
    server, url = start_streamlit(env, work / "streamlit.log")
    yield request.param, url
    stop(server)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, demo_workbook):
    """The demo app under `streamlit run` on a free port, for a module's browser tests."""
    work = tmp_path_factory.mktemp("browser")
    workbook = work / "demo.xlsx"
    shutil.copy(demo_workbook, workbook)
    env = dict(os.environ, BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(work / "cache.duckdb"), BACKOFFICE_SECRETS=str(work / "none.toml"))
    server, url = start_streamlit(env, work / "streamlit.log")
    yield url
    stop(server)


@pytest.fixture(autouse=True)
def browser_pages_told_and_closed(request):
    """For a browser test: what its pages showed when it failed goes into the report (CI prints only the
    report), and the contexts it opened are closed even when it failed, so that no page of a failed test
    lives on beside the next one."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = set(browser.contexts)
    request.node.opened_contexts = lambda: [c for c in browser.contexts if c not in before]
    yield
    for context in request.node.opened_contexts():
        with contextlib.suppress(Exception):  # already closed by the browser or the test
            context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item):
    outcome = yield
    report = outcome.get_result()
    opened = getattr(item, "opened_contexts", None)
    if report.when != "call" or not report.failed or opened is None:
        return
    for context in opened():
        for page in context.pages:
            try:
                shown = page.inner_text("body", timeout=5_000)
            except Exception as error:  # a page that cannot answer says why
                shown = f"(could not read the page: {error})"
            report.sections.append((f"page {page.url} at the failure", shown[-6000:]))


def pytest_terminal_summary(terminalreporter):
    """A failure that a rerun absorbed, or that its rerun failed again, is printed too: the rerun's own failure
    can differ from the first (state the first attempt left), and the first one is the cause."""
    for report in terminalreporter.stats.get("rerun", []):
        terminalreporter.write_sep("-", f"first attempt of {report.nodeid} (rerun)")
        terminalreporter.write_line(report.longreprtext[-4000:])
        for title, text in report.sections:
            if title.startswith("page "):
                terminalreporter.write_line(f"--- {title}\n{text[-3000:]}")


def _in_browser(item) -> bool:
    return "browser" in getattr(item, "fixturenames", ()) or item.path.name.endswith("_browser.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """With workers (`make test PYTEST_ARGS="-n auto --dist loadgroup"`, pytest-xdist): a test module runs on one
    worker, so its module fixtures (a Streamlit server, a Sheets server) start once; and every browser test runs
    on the same worker, one after another - two browsers and their apps at once on two cores would leave too little
    time for either. The browser tests, the longest share, come first, so that the other worker takes the rest
    meanwhile. On this 2-core machine that takes 16 minutes instead of 23, but tests/test_live_browser.py fails
    under a worker (a second page of its app never draws), even with the other worker idle, and passes in one
    process, even with a core kept busy: not a matter of load, and not understood yet. So `make test` and CI stay
    in one process."""
    if not config.pluginmanager.hasplugin("xdist") or config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        item.add_marker(pytest.mark.xdist_group("browser" if _in_browser(item) else item.path.stem))
    items.sort(key=lambda item: not _in_browser(item))  # stable: each module keeps its order
