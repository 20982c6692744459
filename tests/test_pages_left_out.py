"""Every dashboard says, under its figures, what they leave out: on the demo workbook with a bad cell per
programme and the cows tab deleted (tests/flawed_demo.py), under the real Streamlit runtime."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_on

ROOT = Path(__file__).resolve().parent.parent

RICE = "1 row of the rice ledger has errors and is left out of these figures — see Data quality."
COWS = "The cows tab is missing: figures from it are left out — see Data quality."
SAVINGS = "1 row of the savings ledger has errors and is left out of these figures — see Data quality."
CLINIC = "1 row of the clinic visits has errors and is left out of these figures — see Data quality."
PREVENTION = "1 row of the prevention activities has errors and is left out of these figures — see Data quality."


@pytest.fixture
def flawed_app(monkeypatch, tmp_path, flawed_workbook):
    return app_on(Path(shutil.copy(flawed_workbook, tmp_path / "flawed.xlsx")), monkeypatch, tmp_path)


def _page(path: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    if path:
        at.switch_page(path).run()
        assert not at.exception, at.exception
    return at


def _notes(at: AppTest) -> list[str]:
    return [c.value.removeprefix(":material/warning: ") for c in at.caption if c.value.startswith(":material/warning:")]


@pytest.mark.usefixtures("flawed_app")
def test_the_overview_says_it_beside_each_programmes_sentences():
    at = _page()
    assert sorted(_notes(at)) == sorted([PREVENTION, SAVINGS, COWS, RICE, CLINIC])
    # Each note sits in its programme's column, under the sentences it qualifies.
    columns = [("\n".join(m.value for m in c.markdown), _notes(c)) for c in at.columns]
    assert [notes for text, notes in columns if "founding cows" in text] == [[COWS]]
    assert [notes for text, notes in columns if "kg in stock on 31 Dec 2018" in text] == [[RICE]]
    assert [notes for text, notes in columns if "patients assessed" in text] == [[CLINIC]]


@pytest.mark.parametrize("page, notes, minimum", [
    ("pages/rice_bank.py", [RICE], 6),
    ("pages/cow_bank.py", [COWS], 4),
    ("pages/savings.py", [SAVINGS], 5),
    ("pages/clinic.py", [CLINIC], 10),
    ("pages/prevention.py", [PREVENTION], 5),
])
@pytest.mark.usefixtures("flawed_app")
def test_each_dashboard_says_it_under_every_figure(page, notes, minimum):
    at = _page(page)
    shown = _notes(at)
    assert set(shown) == set(notes), shown
    assert len(shown) >= minimum, f"only {len(shown)} figures say what they leave out"


@pytest.mark.usefixtures("app_env")
def test_a_clean_source_shows_no_note():
    at = _page("pages/rice_bank.py")
    assert _notes(at) == []
