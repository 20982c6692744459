"""`python cli.py validate`: the exit codes, and the three formats as scripts and CI read them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from schemas.issues import ISSUE_KEYS
from schemas.registry import TABS
from tests.factories import type_in_cells

ROOT = Path(__file__).resolve().parent.parent


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "validate", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def plant(path: Path, tab: str, cell: str, value) -> Path:
    return type_in_cells(path, {tab: {cell: value}})


def test_a_clean_workbook_exits_0_with_a_summary(demo_workbook):
    result = validate("--source", str(demo_workbook))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{len(TABS)} tabs checked: 0 errors, 0 warnings."


def test_errors_exit_1_and_json_is_one_array_of_issues_with_exactly_the_public_keys(demo_copy):
    plant(demo_copy, "rice_ledger", "E3", -50)
    result = validate("--source", str(demo_copy), "--format", "json")
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    assert [list(i) for i in issues] == [list(ISSUE_KEYS)] * 2
    # The stock and repayment checks that needed the loan's kg say once that they were not made (issue 23).
    assert next((i["rule"], i["row"], i["severity"]) for i in issues) == ("rules.not_checked", None, "warning")
    issues = issues[1:]
    assert {k: issues[0][k] for k in ("tab", "row", "column", "cell", "value", "severity", "rule", "link")} == {
        "tab": "rice_ledger", "row": 3, "column": "Kg", "cell": "E3", "value": -50, "severity": "error",
        "rule": "value.too_small", "link": None}
    assert issues[0]["message"] == "Row 3: 'Kg' is -50; it must be 0.001 or more. Correct it in cell E3."


def test_warnings_alone_exit_0(demo_copy):
    plant(demo_copy, "users", "D1", "Phone")
    result = validate("--source", str(demo_copy), "--tab", "users", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [(i["cell"], i["rule"], i["severity"]) for i in json.loads(result.stdout)] == [
        ("D1", "header.unknown_column", "warning")]


def test_junit_has_one_testcase_per_tab_and_a_failure_per_error(demo_copy):
    plant(demo_copy, "households", "E5", "ten")
    result = validate("--source", str(demo_copy), "--format", "junit")
    assert result.returncode == 1, result.stderr
    suite = ET.fromstring(result.stdout)
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [t.name for t in TABS]
    assert [f.get("type") for f in cases["households"].iter("failure")] == ["cell.not_a_number"]
    assert sum(len(list(c.iter("failure"))) for c in cases.values()) == 1
    assert suite.get("failures") == "1"


def test_only_the_named_tabs_are_checked(demo_workbook):
    result = validate("--source", str(demo_workbook), "--tab", "rice_banks", "--tab", "rice_ledger")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("2 tabs checked: 0 errors, 0 warnings.")


def test_a_source_that_cannot_be_read_exits_2_with_a_reason(tmp_path):
    result = validate("--source", str(tmp_path / "missing.xlsx"))
    assert result.returncode == 2
    assert result.stderr.startswith("Could not read the source: The workbook ") and "missing.xlsx does not exist" in result.stderr
    assert result.stdout == ""
