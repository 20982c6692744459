"""A value that breaks its column's rule never enters a figure as if valid: kg = 1e26, 2**70 members, inf, nan,
1e308 and a few whole numbers past INT64 typed into the demo workbook. Each is one issue at its cell, every
figure leaves its row out, the note under the figure counts exactly those rows, every page that reads them
renders, and the report ends with exit 1 and no traceback."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.access import LOCAL_ADMIN
from connectors.sources.interface import CellUpdate, WriteBatch
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from gateway.figures import figure
from insights import clinic, prevention, rice_bank, savings
from insights.common import Filters
from insights.left_out import LeftOut, left_out
from tests.conftest import app_on

ROOT = Path(__file__).resolve().parent.parent
DONATION = "RL-000055"  # the rice banks' one donation of 2017
YEAR_END = dt.date(2017, 12, 31)


def _planted(demo_frames) -> dict[tuple[str, str, str], object]:
    """(tab, key, column) -> what was typed, on rows of 2017 so the year's figures would show it."""
    visit = demo_frames["clinic_visits"]
    activities = demo_frames["activities"]
    acts = activities[activities["date"].dt.year == 2017]["activity_id"].head(3).tolist()
    homes = demo_frames["households"]["household_id"].head(2).tolist()
    return {
        ("rice_ledger", DONATION, "kg"): 1e26,
        ("savings_groups", "SG-01", "members"): 2**70,
        ("clinic_visits", visit[visit["date"].dt.year == 2017]["visit_id"].iloc[0], "donation_riel"): 1e308,
        **{("activities", key, "female"): 4_600_000_000_000_000_000 for key in acts},  # three past INT64's sum
        ("households", homes[0], "members"): float("inf"),
        ("households", homes[1], "children"): float("nan"),
    }


@pytest.fixture(scope="module")
def huge_book(tmp_path_factory, demo_workbook, demo_frames) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("huge") / "huge.xlsx"
    path.write_bytes(demo_workbook.read_bytes())
    planted = _planted(demo_frames)
    WorkbookSource(path).write(WriteBatch(updates=[CellUpdate(tab, (key,), column, None, value) for (tab, key, column), value in planted.items()]))
    return path, planted


@pytest.fixture(scope="module")
def huge_cache(huge_book) -> Cache:
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(huge_book[0]))
    return cache


def test_each_value_is_one_error_at_its_cell_and_nothing_huge_is_stored(huge_cache):
    found = huge_cache.cursor().execute('SELECT tab, rule, count(*) FROM _issues GROUP BY ALL ORDER BY ALL').fetchall()
    assert found == [("activities", "value.too_large", 3), ("clinic_visits", "value.too_large", 1), ("households", "cell.not_a_number", 1),
                     ("households", "value.missing", 1), ("rice_ledger", "rules.not_checked", 1), ("rice_ledger", "value.too_large", 1),
                     ("savings_groups", "value.too_large", 1)]  # the stock rule says once that it left that row out (no knock-on)
    assert huge_cache.cursor().execute("SELECT max(kg) FROM rice_ledger").fetchone()[0] <= 1e15
    assert huge_cache.cursor().execute("SELECT kg FROM rice_ledger WHERE entry_id = ?", [DONATION]).fetchone()[0] is None


def test_the_rows_figures_leave_out_are_exactly_those_the_note_counts(huge_cache, demo_cache, demo_frames):
    def both(insight, *args):
        return figure(demo_cache, LOCAL_ADMIN, insight, *args), figure(huge_cache, LOCAL_ADMIN, insight, *args)

    ledger = demo_frames["rice_ledger"].set_index("entry_id")
    bank, kg = ledger.loc[DONATION, "bank_id"], ledger.loc[DONATION, "kg"]
    clean, planted = both(rice_bank.stock_on, YEAR_END)
    stock = {b["bank_id"]: b["stock_kg"] for b in planted}
    assert stock[bank] == pytest.approx({b["bank_id"]: b["stock_kg"] for b in clean}[bank] - kg)
    clean, planted = both(savings.groups_summary, None, YEAR_END)
    members = demo_frames["savings_groups"].set_index("group_id").loc["SG-01", "members"]
    assert sum(g["members"] for g in planted) == sum(g["members"] for g in clean) - members
    clean, planted = both(clinic.results, Filters.year(2017))
    assert planted["assessed"] == clean["assessed"] - 1
    clean, planted = both(prevention.coverage, Filters.year(2017))
    assert planted["activities"] == clean["activities"] - 3
    assert figure(huge_cache, LOCAL_ADMIN, left_out, tabs=("households", "activities", "savings_groups", "rice_ledger", "clinic_visits")) == [
        LeftOut("households", rows=2), LeftOut("activities", rows=3), LeftOut("savings_groups", rows=1), LeftOut("rice_ledger", rows=1),
        LeftOut("clinic_visits", rows=1)]


PAGES = {
    "pages/overview.py": ["1 row of the rice ledger has errors and is left out of these figures — see Data quality.",
                          "1 row of the savings groups has errors and is left out of these figures — see Data quality.",
                          "1 row of the clinic visits has errors and is left out of these figures — see Data quality.",
                          "3 rows of the prevention activities have errors and are left out of these figures — see Data quality."],
    "pages/rice_bank.py": ["1 row of the rice ledger has errors and is left out of these figures — see Data quality."],
    "pages/savings.py": ["1 row of the savings groups has errors and is left out of these figures — see Data quality."],
    "pages/clinic.py": ["1 row of the clinic visits has errors and is left out of these figures — see Data quality."],
    "pages/prevention.py": ["3 rows of the prevention activities have errors and are left out of these figures — see Data quality."],
}


def test_every_page_that_reads_them_renders_and_says_what_it_left_out(huge_book, monkeypatch, tmp_path):
    app_on(huge_book[0], monkeypatch, tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    for page, notes in PAGES.items():
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        shown = {c.value.removeprefix(":material/warning: ") for c in at.caption if c.value.startswith(":material/warning:")}
        assert set(notes) <= shown, (page, set(notes) - shown)
        text = "\n".join([m.value for m in at.markdown] + [str(m.value) for m in at.metric])
        assert "E26" not in text and "E21" not in text and "∞" not in text, page


def test_the_report_prints_the_figures_without_them_and_exits_1(huge_book, tmp_path):
    result = subprocess.run([sys.executable, "cli.py", "report", "--year", "2017", "--source", str(huge_book[0])], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "BACKOFFICE_SECRETS": str(tmp_path / "none")})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Rice ledger (tab 'rice_ledger'): 1 row with errors" in result.stdout
    assert "Prevention activities (tab 'activities'): 3 rows with errors" in result.stdout
    assert "E26" not in result.stdout and "1,180,591" not in result.stdout and "4,600,000" not in result.stdout
