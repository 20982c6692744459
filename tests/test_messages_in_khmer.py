"""The command line and the connectors speak the user's language: `cli.py --help` in a new process follows
BACKOFFICE_LANGUAGE (or --lang), and a failure the local Sheets server really answers (a sheet key it does not
hold: HTTP 404) reaches a Khmer page, and the Khmer command line, in Khmer."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.catalogs import build_assets
from tests.factories import ROOT

APP = str(ROOT / "app.py")
MISSING_KEY = "1NoSuchSheetKeyOnThisServer0000000000000000"
NO_SHEET_KM = f"គ្មាន Google Sheet ណាមានសោ {MISSING_KEY} ទេ៖ សោខុស ឬសៀវភៅត្រូវបានលុប។"
NO_SHEET_EN = f"No Google Sheet has the key {MISSING_KEY}: the key is wrong or the sheet was deleted."


def khmer(text: str) -> bool:
    return any("\u1780" <= ch <= "\u17ff" for ch in text)


def cli(*args: str, language: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "BACKOFFICE_LANGUAGE"} | env
    if language:
        environment["BACKOFFICE_LANGUAGE"] = language
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    build_assets()


def test_the_command_lines_help_is_khmer_with_backoffice_language_km():
    out = cli("--help", language="km")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("របៀបប្រើ៖ cli.py"), out.stdout
    for khmer_text in ["បញ្ជាតាមបន្ទាត់របស់ CCPCR Back Office។", "បង្ហាញជំនួយនេះ រួចចេញ។", "ពិនិត្យគ្រប់ផ្ទាំង។"]:
        assert khmer_text in out.stdout, out.stdout
    assert "Check every tab" not in out.stdout and "show this help" not in out.stdout.lower()


def test_lang_wins_over_the_setting_and_english_is_the_default():
    report_help = cli("report", "--lang", "km", "--help", language="en")
    assert "ឆ្នាំដែលត្រូវរាយការណ៍ ឧទាហរណ៍ 2017។" in report_help.stdout, report_help.stdout
    english = cli("--lang", "en", "validate", "--help", language="km")
    assert "Only this tab (repeat for several)" in english.stdout and not khmer(english.stdout), english.stdout
    default = cli("--help")
    assert default.stdout.startswith("usage: cli.py") and not khmer(default.stdout), default.stdout


def test_a_sheet_the_server_does_not_hold_is_reported_in_khmer_by_the_command_line(sheets_server):
    out = cli("validate", "--source", f"gsheets:{MISSING_KEY}", language="km", GSHEETS_API_BASE=sheets_server.base_url)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("មិនអាចអានប្រភពបាន៖ " + NO_SHEET_KM), out.stderr  # the same sentence as report's
    assert any("/v4/spreadsheets/" + MISSING_KEY in r["path"] for r in sheets_server.api_calls())  # it was really asked


def test_a_sheet_the_server_does_not_hold_is_reported_in_khmer_on_a_khmer_page(monkeypatch, tmp_path, sheets_server):
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "km")
    monkeypatch.setenv("BACKOFFICE_SOURCE", f"gsheets:{MISSING_KEY}")
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join([e.value for e in at.error] + [w.value for w in at.warning] + [w.value for w in at.sidebar.warning])
    assert NO_SHEET_KM in shown, shown
    assert NO_SHEET_EN not in shown and "No Google Sheet" not in shown, shown
