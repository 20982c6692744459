"""The real Streamlit runtime (AppTest): every page renders on the demo workbook, the Overview shows the report."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")



def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


@pytest.mark.usefixtures("app_env")
def test_the_overview_shows_2017_in_the_reports_terms():
    at = _app()
    at.selectbox(key="year").set_value(2017).run()
    assert not at.exception, at.exception
    text = _text(at)
    assert "11,292 patients assessed (one assessment per visit): 375 hospitalised, 2,954 treated as out-patients, 7,963 checked by the mobile team" in text
    assert "55 villages in 18 communes of 11 districts in 3 provinces" in text


@pytest.mark.usefixtures("app_env")
def test_every_page_opens_on_the_latest_year_with_data():
    at = _app()
    assert at.selectbox(key="year").value == 2018
    assert "139,791,300 riel" in _text(at)
    for page, key in [("pages/rice_bank.py", "rice"), ("pages/cow_bank.py", "cow"), ("pages/clinic.py", "clinic"),
                      ("pages/savings.py", "savings"), ("pages/prevention.py", "prevention")]:
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert at.selectbox(key=f"{key}_period").value == "2018", page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.usefixtures("app_env")
def test_every_page_renders_without_an_exception(page):
    at = _app()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} has no title"


@pytest.mark.usefixtures("app_env")
def test_the_sidebar_says_where_the_data_comes_from():
    at = _app()
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "app.xlsx" in sidebar
