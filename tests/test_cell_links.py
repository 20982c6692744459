"""A problem's link into the app (ui.cell_links): the Tables page at the problem's tab, row and column, the
same from the Data quality page and the command line, and read back by the Tables page."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.factories import type_in_cells
from ui.cell_links import Focus, fix_url, fix_urls, focus_from

ROOT = Path(__file__).resolve().parent.parent


def test_a_problem_links_to_the_tables_page_at_its_tab_row_and_schema_column():
    assert fix_url("rice_ledger", 3, "Kg") == "tables?tab=rice_ledger&row=3&column=kg"  # the header as written
    assert fix_url("rice_ledger", 3, "kg") == "tables?tab=rice_ledger&row=3&column=kg"  # or the schema name
    assert fix_url("rice_ledger", 3, "Kg", base="http://localhost:8501/") == "http://localhost:8501/tables?tab=rice_ledger&row=3&column=kg"


def test_a_problem_with_a_whole_column_or_tab_links_to_the_tab():
    assert fix_url("rice_ledger", None, "Weight") == "tables?tab=rice_ledger"  # an unknown header: the tab only
    assert fix_url("rice_ledger", 1, "Kg") == "tables?tab=rice_ledger&column=kg"  # the header row is not a data row
    assert fix_urls(["rice_ledger", "rice_ledger"], [float("nan"), 7.0], [None, "Kg"]) == [
        "tables?tab=rice_ledger", "tables?tab=rice_ledger&row=7&column=kg"]
    assert fix_url("not_a_tab", 3, "Kg") is None


def test_the_tables_page_reads_the_link_back_and_drops_what_is_not_one():
    assert focus_from({"tab": "rice_ledger", "row": "3", "column": "kg"}) == Focus("rice_ledger", 3, "kg")
    assert focus_from({"tab": ["rice_ledger"], "row": ["3"], "column": ["Kg"]}) == Focus("rice_ledger", 3, "kg")
    assert focus_from({"tab": "rice_ledger", "row": "three", "column": "weight"}) == Focus("rice_ledger", None, None)
    assert focus_from({"tab": "nothing", "row": "3"}) is None
    assert focus_from({}) is None


def test_cli_validate_prints_under_each_problem_the_link_that_opens_it_in_the_app(demo_copy):
    type_in_cells(demo_copy, {"rice_ledger": {"E3": "abc"}})
    done = subprocess.run([sys.executable, "cli.py", "validate", "--source", str(demo_copy), "--tab", "rice_ledger"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**_env(), "BACKOFFICE_APP_URL": "http://backoffice.example:8501"})
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    problem = next(i for i, line in enumerate(lines) if "rice_ledger!E3" in line)
    assert "Row 3: 'Kg' is 'abc', which is not a number." in lines[problem]
    assert lines[problem + 1].strip() == "fix in the app: http://backoffice.example:8501/tables?tab=rice_ledger&row=3&column=kg"


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("BACKOFFICE_")}
