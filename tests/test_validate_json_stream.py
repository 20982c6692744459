"""`cli.py validate --format json` streams: one array, one issue per line, written while the issues come."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from commands.validate import as_json, mask_personal_data
from schemas.issues import Issue
from schemas.registry import TABS
from tests.factories import STORM, WRONG_SEX, storm_workbook

ROOT = Path(__file__).resolve().parent.parent


def _issue(row: int) -> Issue:
    return Issue("households", row, "Members", f"E{row}", "many", "error", "cell.not_a_number", f"Row {row}: ...")


def test_the_first_issue_is_written_before_the_last_is_made():
    made: list[int] = []

    def storm():
        for row in range(2, 100_002):
            made.append(row)
            yield _issue(row)

    chunks = as_json(mask_personal_data(storm()))
    assert next(chunks) == "["
    first = next(chunks)
    assert json.loads(first.strip())["cell"] == "E2" and made == [2]  # nothing else made yet
    rest = list(chunks)
    assert len(made) == 100_000 and len(json.loads("[" + first + "".join(rest))) == 100_000


def test_a_storm_comes_out_whole_one_issue_per_line(tmp_path):
    workbook = storm_workbook(tmp_path / "storm.xlsx")
    result = subprocess.run([sys.executable, "cli.py", "validate", "--source", str(workbook), "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == STORM + WRONG_SEX + len(TABS) - 1 + 2
    issues = json.loads(result.stdout)
    assert Counter(i["rule"] for i in issues) == {"cell.not_a_number": STORM, "value.not_allowed": WRONG_SEX,
                                                   "tab.missing": len(TABS) - 1}
    assert [i for i in issues if i["tab"] == "households"][-1]["cell"] == f"E{STORM + 1}"
