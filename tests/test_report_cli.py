"""`python cli.py report --year 2017` prints every figure of the programme report."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def report(year: int, source) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "report", "--year", str(year), "--source", str(source)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_2017_report_prints_the_programme_reports_figures(demo_workbook):
    out = report(2017, demo_workbook)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for figure in [
        "In 2017, prevention activities reached 55 villages in 18 communes of 11 districts in 3 provinces (Kampong Thom, Koh Kong and Svay Rieng)",
        "11,292 patients assessed (one assessment per visit): 375 hospitalised, 2,954 treated as out-patients, 7,963 checked by the mobile team",
        "2,261 aged 0–5 and 3,606 aged 6–12; 300 new patients",
    ]:
        assert figure in text, text
    # The programmes added in issue 18, in their own sections (figures pinned in test_insights_overview).
    for heading in ["## School support", "## Household hygiene"]:
        assert heading in text, text
    assert "children enrolled in state school with CCPCR's material support" in text
    assert "Health education: 40 sessions in 17 villages" in text


def test_the_2018_report_has_savings_rice_and_cows(demo_workbook):
    out = report(2018, demo_workbook)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "139,791,300 riel ($34,947.83 at 4,000 riel per dollar)" in text
    assert "25 saving groups with" in text
    assert "1 agricultural cooperative in Andoung Pou commune with 45 members, 20 of them women." in text
    assert "18,500 kg in stock on 31 Dec 2018" in text
    assert "13,000 kg donated in 2018 (first on 26 Apr 2018)" in text
    assert "By the end of 2018: 30 founding cows + 25 calves born since (sold and dead ones included)." in text


def test_the_2015_report_has_the_cow_grants(demo_workbook):
    out = report(2015, demo_workbook)
    assert out.returncode == 0, out.stderr
    assert "30 cows granted to 30 families" in out.stdout
    assert "saving groups with" not in out.stdout  # the groups were founded in 2016: none existed yet


def test_an_unreadable_source_exits_2_with_a_clear_message(tmp_path):
    missing = tmp_path / "nowhere.xlsx"
    out = report(2017, missing)
    assert out.returncode == 2
    assert "does not exist" in out.stderr


def test_a_bad_cell_and_a_missing_tab_are_listed_first_and_exit_1(flawed_workbook):
    out = report(2017, flawed_workbook)
    assert out.returncode == 1, out.stderr
    text = out.stdout
    problems = text[text.index("## Data problems"):text.index("## Prevention")]
    assert [line for line in problems.splitlines() if line.startswith("- ")] == [
        "- Prevention activities (tab 'activities'): 1 row with errors",
        "- Savings ledger (tab 'savings_ledger'): 1 row with errors",
        "- Cows (tab 'cows'): the tab is missing",
        "- Rice ledger (tab 'rice_ledger'): 1 row with errors",
        "- Clinic visits (tab 'clinic_visits'): 1 row with errors",
    ]
    assert text.index("## Data problems") < text.index("## Prevention")
    # The figures are still printed, each programme with what it left out beside it.
    assert "8,403 kg in stock on 31 Dec 2017" in text
    assert "*1 row of the rice ledger has errors and is left out of these figures — see `python cli.py validate`.*" in text
    assert "*The cows tab is missing: figures from it are left out — see `python cli.py validate`.*" in text


def test_a_clean_source_has_no_data_problems_part(demo_workbook):
    out = report(2017, demo_workbook)
    assert out.returncode == 0, out.stderr
    assert "Data problems" not in out.stdout


@pytest.mark.parametrize("year", [1990, 2030])
def test_a_year_without_data_is_one_line_and_exit_1(demo_workbook, year):
    out = report(year, demo_workbook)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        f"No data for {year}: the source holds data for 2015, 2016, 2017, 2018. Pick one of those years."]
