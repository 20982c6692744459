"""The README's "Deploy", as far as this machine can try it (the clean clone with `streamlit run app.py` alone is
tests/test_clean_clone_browser.py):
- secrets given to Streamlit only (as Community Cloud's Secrets box gives them) reach the app's source;
- the README's secrets example is TOML with the keys the app reads;
- the systemd unit passes `systemd-analyze verify`, and its command line serves the app on 127.0.0.1 to its
  public host name only."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import APP, ROOT, app_environment, start_streamlit, stop, websocket_answer
from ui.auth import HOW_TO_SIGN_IN

UNIT = ROOT / "deploy" / "backoffice.service"
PUBLIC_HOST = "backoffice.example.org"


def test_secrets_given_to_streamlit_only_reach_the_apps_source(monkeypatch, tmp_path, demo_workbook, sheets_server):
    key = sheets_server.load_xlsx(str(demo_workbook))
    for name in ("BACKOFFICE_SECRETS", "BACKOFFICE_SOURCE"):
        monkeypatch.delenv(name, raising=False)
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()  # no file beside the app: only Streamlit has them
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["connections"] = {"gsheets": {"spreadsheet": f"https://docs.google.com/spreadsheets/d/{key}/edit"}}
    at.run()
    assert not at.exception, at.exception
    shown = [m.value.replace("\\", "") for m in at.sidebar.markdown]  # (a key's "_" is shown escaped)
    assert f"**Source:** Google Sheet {key}" in shown  # the local admin sees the key
    assert any(f"/v4/spreadsheets/{key}" in call["path"] for call in sheets_server.api_calls())
    assert not at.error


def _readme_secrets() -> dict:
    readme = (ROOT / "README.md").read_text()
    deploy = readme[readme.index("## Deploy"):readme.index("## Layout")]
    return tomllib.loads(re.search(r"```toml\n(.*?)```", deploy, re.S).group(1))


def test_the_readmes_secrets_example_holds_what_the_app_reads():
    secrets = _readme_secrets()
    assert {"spreadsheet", "type", "private_key", "client_email"} <= set(secrets["connections"]["gsheets"])
    named = set(re.search(r"\(Google OAuth: ([^)]*)\)", HOW_TO_SIGN_IN).group(1).replace(" ", "").split(","))
    assert set(secrets["auth"]) == named == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert secrets["auth"]["redirect_uri"].endswith("/oauth2callback")


def _exec_start() -> list[str]:
    line = next(line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_service_unit_passes_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed here")
    words = _exec_start()
    unit = UNIT.read_text().replace(words[0], sys.executable).replace("WorkingDirectory=/srv/ccpcr-backoffice", f"WorkingDirectory={ROOT}")
    (tmp_path / "ccpcr-backoffice.service").write_text(unit)
    done = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "ccpcr-backoffice.service")], capture_output=True, text=True)
    problems = [line for line in (done.stdout + done.stderr).splitlines() if "ccpcr-backoffice.service" in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def test_the_units_command_line_serves_the_app_on_loopback_to_its_host_name_only(tmp_path, demo_workbook):
    words = _exec_start()
    assert words[1:5] == ["-m", "streamlit", "run", "app.py"]
    options = words[5:]
    assert options[options.index("--server.address") + 1] == "127.0.0.1"  # the proxy is the one door
    assert options[options.index("--server.allowedHosts") + 1] == PUBLIC_HOST
    for name in ("--server.address", "--server.port"):  # (start_streamlit binds 127.0.0.1 on a free port itself)
        at = options.index(name)
        del options[at:at + 2]
    shutil.copy(demo_workbook, tmp_path / "demo.xlsx")
    env = app_environment(BACKOFFICE_SOURCE=str(tmp_path / "demo.xlsx"), BACKOFFICE_CACHE=str(tmp_path / "cache.duckdb"),
                          BACKOFFICE_SECRETS=str(tmp_path / "none.toml"))
    server, url = start_streamlit(env, tmp_path / "streamlit.log", options=tuple(options))
    try:
        port = int(url.rsplit(":", 1)[1])
        assert websocket_answer(port, PUBLIC_HOST) == "HTTP/1.1 101 Switching Protocols"
        assert websocket_answer(port, f"evil.example:{port}") == "HTTP/1.1 403 Forbidden"
    finally:
        stop(server)
