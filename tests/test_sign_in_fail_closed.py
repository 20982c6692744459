"""Sign-in fails closed, proven on a real `streamlit run` (free port) seen through a real browser: a secrets
file that does not parse, `[auth]` only in the BACKOFFICE_SECRETS file, or no sign-in on a non-loopback
address each show a refusal that says what to do - and nothing is read: the cache file is never made."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.factories import ROOT, free_port

AUTH = """[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "test-cookie-secret"
client_id = "test-client-id"
client_secret = "test-client-secret"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""


@contextmanager
def streamlit_run(work: Path, workbook: Path, address: str, *extra: str, secrets: str | None = None):
    """`streamlit run app.py` bound to `address` on a free port; yields the URL to open (via 127.0.0.1)."""
    port = free_port()
    secrets_file = work / "secrets.toml"
    if secrets is not None:
        secrets_file.write_text(secrets)
    env = dict(os.environ, BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(work / "cache.duckdb"),
               BACKOFFICE_SECRETS=str(secrets_file))
    log_path = work / "streamlit.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", address, "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start: {log_path.read_text()}") from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


def _body(browser, url: str, wait_for: str) -> str:
    page = browser.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_text(wait_for, exact=False).first.wait_for(timeout=90_000)
        return page.inner_text("body")
    finally:
        page.close()


@pytest.fixture
def work(tmp_path, demo_workbook):
    shutil.copy(demo_workbook, tmp_path / "demo.xlsx")
    return tmp_path


def test_a_secrets_file_that_does_not_parse_stops_the_app(browser, work):
    with streamlit_run(work, work / "demo.xlsx", "127.0.0.1", secrets='[auth]\nclient_id = "unterminated\n') as url:
        body = _body(browser, url, "cannot be read")
    assert f"The secrets file {work / 'secrets.toml'} cannot be read" in body and "unterminated" not in body
    assert "Overview" not in body and "patients assessed" not in body
    assert not (work / "cache.duckdb").exists()  # nothing was read from the source


def test_streamlits_own_secrets_file_that_does_not_parse_stops_the_app(browser, work):
    broken = work / "streamlit-secrets.toml"
    broken.write_text("[auth\nclient_secret = 'x'\n")
    with streamlit_run(work, work / "demo.xlsx", "127.0.0.1", "--secrets.files", str(broken)) as url:
        body = _body(browser, url, "cannot be read")
    assert f"Streamlit's secrets file {broken} cannot be read" in body and "client_secret" not in body
    assert not (work / "cache.duckdb").exists()


def test_auth_only_in_the_backoffice_secrets_file_is_never_the_local_admin(browser, work):
    with streamlit_run(work, work / "demo.xlsx", "127.0.0.1", secrets=AUTH) as url:
        body = _body(browser, url, "Sign-in is configured in")
    assert "local admin" not in body and "Move the [auth] section there" in body
    assert not (work / "cache.duckdb").exists()


def test_no_sign_in_on_every_interface_is_refused(browser, work):
    with streamlit_run(work, work / "demo.xlsx", "0.0.0.0") as url:
        body = _body(browser, url, "The app stays closed")
    assert "No sign-in is configured and the app listens on 0.0.0.0" in body and "[auth]" in body
    assert "Overview" not in body and "patients assessed" not in body
    assert not (work / "cache.duckdb").exists()


def test_no_sign_in_on_loopback_is_the_local_admin_and_says_where_it_listens(browser, work):
    with streamlit_run(work, work / "demo.xlsx", "127.0.0.1") as url:
        body = _body(browser, url, "patients assessed")
    assert "you are the local admin, and the app listens on 127.0.0.1 only" in body
    assert (work / "cache.duckdb").exists()


def test_a_page_asked_for_first_by_its_address_goes_through_sign_in(browser, work):
    """The first URL a fresh process serves may be a page's own (/tables): Streamlit would run that file
    alone, without app.py - no sign-in, no navigation. The page sends the visitor to app.py, which signs
    them in and then opens the page they asked for, with its query (a problem's link)."""
    with streamlit_run(work, work / "demo.xlsx", "127.0.0.1") as url:
        body = _body(browser, f"{url}/tables?tab=rice_ledger", "Add a row")
    assert "One movement of rice into or out of a bank." in body  # the Tables page, at the tab the link named (its description)
    assert "patients assessed" not in body  # not the Overview
    assert "\nrice bank\n" not in body  # not Streamlit's own list of the pages/ files (the navigation says "Rice bank")
