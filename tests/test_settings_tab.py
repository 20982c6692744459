"""The settings tab is a schema like every tab: each key has its kind, limits and default. What staff type
there that its rule refuses is one issue at its cell, in the reader's language, and every figure uses the
default. A privacy setting (small_count_threshold) is never lowered from the sheet, only from the secrets file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.sources.interface import CellUpdate, WriteBatch
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache, for_figures
from connectors.store.refresh import read_check_load
from gateway import figures
from gateway.reads import small_count_threshold
from insights.common import setting
from schemas.i18n import language
from schemas.settings import SETTINGS
from schemas.settings import spec as setting_spec
from tests.factories import VIEWER, check, sheet

ROOT = Path(__file__).resolve().parent.parent

# What staff typed -> (the problem in the message, the default used, as the sentence shows it).
BAD = [
    ("riel_per_usd", "abc", "not a number", "4,000"),
    ("riel_per_usd", 0, "less than 1,000", "4,000"),
    ("mobile_clinic_days_per_week", "three", "not a number", "3"),
    ("age_bands", "0-5,x", "not a list of age bands", "0-5,6-12,13-17,18+"),
    ("rice_lean_months", "7,8,x", "not a list of months", "7,8,9,10"),
    ("cow_pass_on_calves", "inf", "not a number", "2"),
    ("small_count_threshold", "inf", "not a number", "5"),
    ("small_count_threshold", "1e999", "not a number", "5"),
    ("small_count_threshold", 2, "lower than 5, which only an admin may allow", "5"),
    ("cow_pass_on_min_age_months", 10.5, "not a whole number", "10"),
    ("age_bands", "0-5,4-12", "not a list of age bands", "0-5,6-12,13-17,18+"),
    ("rice_lean_months", "7,13", "not a list of months", "7,8,9,10"),
    ("mobile_clinic_days_per_week", 8, "more than 7", "3"),
]


def settings_tab(key: str, value) -> object:
    """A settings tab as the demo has it, one value replaced (row 2 is riel_per_usd, the key under test is last)."""
    rows = [[s.key, s.default] for s in SETTINGS if s.key != key] + [[key, value]]
    return sheet("settings", "key value", *rows), len(rows) + 1


@pytest.mark.parametrize("key, typed, problem, default", BAD, ids=[f"{k}={v!r}" for k, v, *_ in BAD])
def test_a_value_its_rule_refuses_is_one_issue_at_its_cell_and_the_default_is_used(key, typed, problem, default):
    grid, row = settings_tab(key, typed)
    found, issues = check(grid)
    assert found == [("settings", row, "Value", f"B{row}", "settings.bad_value", "error")]
    message = issues[0].message
    assert message.startswith(f"Row {row}: Setting '{key}' is ") and problem in message
    assert message.endswith(f"the default {default} is used until it is corrected in cell B{row}.")
    with language("km"):
        khmer = issues[0].message
    assert key in khmer and f"B{row}" in khmer and default in khmer and problem not in khmer


@pytest.mark.parametrize("key, typed, value", [
    ("riel_per_usd", "4,100", 4100.0), ("riel_per_usd", " ៤០០០ ", 4000.0), ("small_count_threshold", 10, 10),
    ("age_bands", "0-4, 5-17, 18+", [(0, 4), (5, 17), (18, None)]), ("rice_lean_months", "8,9", [8, 9]),
    ("mobile_clinic_days_per_week", 0, 0),
])
def test_what_staff_really_type_is_read(key, typed, value):
    grid, _row = settings_tab(key, typed)
    assert check(grid)[0] == []
    assert setting_spec(key).read(typed).value == value


def test_a_blank_value_is_missing_once_and_the_default_is_used():
    grid, row = settings_tab("cow_pass_on_calves", "")
    assert check(grid)[0] == [("settings", row, "Value", f"B{row}", "value.missing", "error")]
    assert setting_spec("cow_pass_on_calves").read("").value == 2


def test_every_default_passes_its_own_rule():
    for spec in SETTINGS:
        assert spec.read(spec.default).problem is None, spec.key


def _book_with(tmp_path: Path, demo_workbook: Path, **typed) -> Path:
    """A copy of the demo workbook with these settings typed over (through the workbook's own writer)."""
    path = tmp_path / "settings.xlsx"
    path.write_bytes(demo_workbook.read_bytes())
    WorkbookSource(path).write(WriteBatch(updates=[CellUpdate("settings", (key,), "value", None, value) for key, value in typed.items()]))
    return path


def _cache(path: Path) -> Cache:
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(path))
    return cache


def test_a_bad_value_never_reaches_a_figure_the_defaults_are_used(tmp_path, demo_workbook):
    typed = {"riel_per_usd": "abc", "mobile_clinic_days_per_week": "three", "age_bands": "0-5,x", "rice_lean_months": "7,8,x",
             "cow_pass_on_calves": "inf", "small_count_threshold": "1e999"}
    cache = _cache(_book_with(tmp_path, demo_workbook, **typed))
    cur = for_figures(cache.cursor())
    assert {key: setting(cur, key) for key in typed} == {key: setting_spec(key).value for key in typed}
    assert small_count_threshold(cache) == 5 and figures.count_shown(cache, VIEWER, 4) == "<5"
    rules = cache.cursor().execute("SELECT rule, count(*) FROM _issues WHERE tab = 'settings' GROUP BY ALL").fetchall()
    assert rules == [("settings.bad_value", len(typed))]


def test_the_threshold_cannot_be_lowered_from_the_sheet_but_can_from_the_secrets_file(tmp_path, demo_workbook, monkeypatch):
    path = _book_with(tmp_path, demo_workbook, small_count_threshold=2)
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    cache = _cache(path)
    assert small_count_threshold(cache) == 5 and figures.count_shown(cache, VIEWER, 3) == "<5"
    [(_cell, params)] = cache.cursor().execute("SELECT cell, params FROM _issues WHERE tab = 'settings'").fetchall()
    assert json.loads(params)["key"] == "small_count_threshold"

    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[backoffice]\nsmall_count_threshold = 2\n")
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(secrets))
    cache = _cache(path)
    assert cache.cursor().execute("SELECT count(*) FROM _issues WHERE tab = 'settings'").fetchone()[0] == 0
    assert small_count_threshold(cache) == 2 and figures.count_shown(cache, VIEWER, 3) == 3 and figures.count_shown(cache, VIEWER, 1) == "<2"

    cache = _cache(_book_with(tmp_path, demo_workbook, small_count_threshold=1))  # below the admin's value: refused again
    assert small_count_threshold(cache) == 2
    assert cache.cursor().execute("SELECT count(*) FROM _issues WHERE rule = 'settings.bad_value'").fetchone()[0] == 1

    monkeypatch.setenv("BACKOFFICE_SMALL_COUNT_THRESHOLD", "abc")  # an unreadable admin value weakens nothing
    assert small_count_threshold(_cache(path)) == 5


def test_validate_tab_settings_reports_each_at_its_cell_and_exits_1(tmp_path, demo_workbook):
    path = _book_with(tmp_path, demo_workbook, riel_per_usd="abc", age_bands="0-5,x")
    result = subprocess.run([sys.executable, "cli.py", "validate", "--source", str(path), "--tab", "settings", "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "BACKOFFICE_SECRETS": str(tmp_path / "none.toml")})
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    assert [(i["cell"], i["rule"], i["value"]) for i in issues] == [("B2", "settings.bad_value", "abc"), ("B10", "settings.bad_value", "0-5,x")]
    assert issues[0]["message"] == "Row 2: Setting 'riel_per_usd' is 'abc', not a number; the default 4,000 is used until it is corrected in cell B2."


@pytest.mark.parametrize("pack", [False, True], ids=["report", "donor pack"])
def test_the_report_and_the_donor_pack_use_the_defaults_and_list_the_settings_they_could_not_read(tmp_path, demo_workbook, pack):
    path = _book_with(tmp_path, demo_workbook, riel_per_usd="abc", small_count_threshold="inf")
    result = subprocess.run([sys.executable, "cli.py", "report", "--year", "2017", "--source", str(path), *(["--format", "md"] if pack else [])],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "BACKOFFICE_SECRETS": str(tmp_path / "none.toml")})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    if pack:  # the pack leaves the organisation: a donor's words, no tab or setting's code
        assert "Exchange rate for the dollar columns: the standard value 4,000 is used" in result.stdout
        assert "riel_per_usd" not in result.stdout
    else:
        assert "Settings (tab 'settings'): riel_per_usd is 'abc', not a number: 4,000 is used" in result.stdout
        assert "Settings (tab 'settings'): small_count_threshold is 'inf', not a number: 5 is used" in result.stdout
    assert "at 4,000 riel per dollar" in result.stdout
