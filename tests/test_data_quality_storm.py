"""An error storm on the Data quality page: 20,000 issues in one column arrive grouped, and no table
sent to the browser holds more than 5,000 rows."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from schemas.formats import title
from schemas.registry import TABS
from tests.conftest import app_on
from tests.factories import STORM, WRONG_SEX, storm_workbook

APP = str(Path(__file__).resolve().parent.parent / "app.py")
def test_a_storm_of_20000_issues_is_grouped_and_sends_at_most_5000_rows(monkeypatch, tmp_path):
    app_on(storm_workbook(tmp_path / "storm.xlsx"), monkeypatch, tmp_path)
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, at.exception

    frames = [element.value for element in at.dataframe]
    assert frames and max(len(frame) for frame in frames) <= 5000
    # Tables are shown as people read them: column titles, numbers grouped as text ("20,000").
    rule, tab_, column, issues, first_rows, first_cell, message = (
        title(name) for name in ("rule", "tab", "column", "issues", "first_rows", "first_cell", "message"))
    groups = next(f for f in frames if first_rows in f.columns)
    counts = groups[issues].astype(str).str.replace(",", "").astype(int)
    storm = groups[(groups[tab_] == "households") & (groups[column] == "Members")].iloc[0]
    assert (storm[rule], storm[first_rows], storm[first_cell]) == ("Not a number", "2, 3, 4, 5, 6", "E2")
    assert counts[storm.name] == STORM
    sexes = groups[(groups[tab_] == "households") & (groups[column] == "Sex of head")].iloc[0]
    assert (sexes[rule], counts[sexes.name], sexes[first_cell]) == ("Value not in the list", WRONG_SEX, "C2")
    missing = groups[rule] == "Tab missing"  # each rule by its title
    assert counts[missing].sum() == missing.sum() == len(TABS) - 1
    listed = next(f for f in frames if message in f.columns)
    assert len(listed) == 5000  # the first 5,000 of 20,519, errors first; the caption says so
    assert any("Showing the first 5,000" in str(c.value) for c in at.caption)
