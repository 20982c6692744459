"""The command line speaks with one voice whatever the command: `--lang` before or after any command (checked
the same way), one sentence for a source it cannot read, one plain sentence for a source with no data yet, and
`validate` warns (users.no_admin) when sign-in is on and nobody in the users tab is an admin."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from data.demo_admin import USERS
from schemas.registry import TABS
from tests.factories import ROOT, stored_in_cell, type_in_cells, write_xlsx

COMMANDS = [["validate"], ["report", "--year", "2017"]]
AUTH = """[auth]
redirect_uri = "https://backoffice.example.org/oauth2callback"
cookie_secret = "not-a-real-secret"
client_id = "id.apps.googleusercontent.com"
client_secret = "not-a-real-secret"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""


def cli(*args: str, secrets: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("BACKOFFICE_LANGUAGE", "BACKOFFICE_SECRETS")} | env
    if secrets:
        environment["BACKOFFICE_SECRETS"] = secrets
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


@pytest.fixture
def auth_secrets(tmp_path) -> str:
    path = tmp_path / "secrets.toml"
    path.write_text(AUTH)
    return str(path)


@pytest.fixture
def no_secrets(tmp_path) -> str:
    return str(tmp_path / "none.toml")


@pytest.fixture
def empty_workbook(tmp_path):
    """A provisioned sheet nobody has typed in yet: every tab with its header row, no rows."""
    return write_xlsx({t.name: [[c.title for c in t.columns]] for t in TABS}, tmp_path / "empty.xlsx")


@pytest.mark.parametrize("command", COMMANDS, ids=["validate", "report"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_is_taken_before_or_after_every_command(command, where, tmp_path, no_secrets):
    args = [*command, "--source", str(tmp_path / "missing.xlsx")]
    args = ["--lang", "km", *args] if where == "before" else [*args, "--lang", "km"]
    out = cli(*args, secrets=no_secrets)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("មិនអាចអានប្រភពបាន៖ "), out.stderr


@pytest.mark.parametrize("command", [*COMMANDS, ["provision"]], ids=["validate", "report", "provision"])
def test_an_unknown_language_is_refused_by_every_command_in_the_same_words(command, no_secrets):
    out = cli(*command, "--lang", "fr", secrets=no_secrets)
    assert out.returncode == 2
    assert "argument --lang: invalid choice: 'fr' (choose from 'en', 'km')" in out.stderr, out.stderr


def test_a_missing_workbook_gets_the_same_sentence_from_validate_and_report(tmp_path, no_secrets):
    missing = tmp_path / "missing.xlsx"
    said = {tuple(command): cli(*command, "--source", str(missing), secrets=no_secrets) for command in COMMANDS}
    assert {out.returncode for out in said.values()} == {2}
    assert {out.stderr for out in said.values()} == {
        f"Could not read the source: The workbook {missing} does not exist. Check the path in BACKOFFICE_SOURCE (or --source).\n"}


def test_a_report_on_a_source_with_no_data_yet_is_one_plain_sentence(empty_workbook, no_secrets):
    out = cli("report", "--year", "2017", "--source", str(empty_workbook), secrets=no_secrets)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        "No data for 2017: the source holds no dated rows yet, so there is nothing to report. Check --source, "
        "or enter the year's records first."]


def _no_admin(out: subprocess.CompletedProcess) -> list[dict]:
    return [issue for issue in json.loads(out.stdout) if issue["rule"] == "users.no_admin"]


def test_an_empty_sheet_with_sign_in_on_warns_that_nobody_is_admin(empty_workbook, auth_secrets):
    out = cli("validate", "--source", str(empty_workbook), "--format", "json", secrets=auth_secrets)
    assert out.returncode == 0, out.stderr  # a warning: the sheet itself has no error
    assert _no_admin(out) == [{
        "tab": "users", "row": None, "column": "Role", "cell": None, "value": None, "severity": "warning", "rule": "users.no_admin",
        "message": "Sign-in is on, but no row of tab 'users' has the role admin: nobody could manage the users and the settings "
                   "(and with no row at all, nobody could sign in). Add a row with the admin's Google e-mail and the role admin.",
        "link": None}]


def test_a_users_tab_without_an_admin_warns_only_when_sign_in_is_on(demo_copy, auth_secrets, no_secrets):
    admins = [f"C{number}" for number in range(2, len(USERS) + 2) if stored_in_cell(demo_copy, "users", f"C{number}") == "admin"]
    assert admins, "the demo has an admin"
    type_in_cells(demo_copy, {"users": dict.fromkeys(admins, "editor")})
    assert len(_no_admin(cli("validate", "--source", str(demo_copy), "--tab", "users", "--format", "json", secrets=auth_secrets))) == 1
    assert _no_admin(cli("validate", "--source", str(demo_copy), "--tab", "users", "--format", "json", secrets=no_secrets)) == []


def test_the_demo_with_its_admin_and_sign_in_on_has_no_such_warning(demo_workbook, auth_secrets):
    out = cli("validate", "--source", str(demo_workbook), "--tab", "users", secrets=auth_secrets)
    assert out.returncode == 0, out.stderr
    assert "users.no_admin" not in out.stdout and out.stdout.strip().endswith("1 tabs checked: 0 errors, 0 warnings.")
