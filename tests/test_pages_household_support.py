"""The school-support and household-hygiene dashboards, and the Clinic page's health-education section,
under the real Streamlit runtime on the demo workbook."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import page_text

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _open(page: str, key: str, period: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if period is not None:
        at.selectbox(key=f"{key}_period").set_value(period).run()
        assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page, key", [("pages/school_support.py", "school_support"), ("pages/wash.py", "wash")])
@pytest.mark.usefixtures("app_env")
def test_the_page_renders_with_charts_downloads_and_the_open_error_count(page, key):
    at = _open(page, key, "2017")
    assert at.title
    assert len(at.get("vega_lite_chart")) >= 3, "charts missing"
    assert len(at.get("download_button")) >= 3, "CSV downloads missing"
    assert "No open errors in the tabs behind this page." in page_text(at)


@pytest.mark.usefixtures("app_env")
def test_the_school_support_page_states_the_years_children(demo_cache):
    from insights import school_support
    from insights.common import Filters

    figures = school_support.summary(demo_cache.cursor(), Filters.year(2017))
    text = page_text(_open("pages/school_support.py", "school_support", "2017"))
    assert f"**{figures['children']:,} children** were given school materials and **{figures['enrolled']:,}** were enrolled" in text
    assert f"**{figures['share_in_school']:.0%}** of the enrolled children were still in school" in text


@pytest.mark.usefixtures("app_env")
def test_the_wash_page_states_toilets_and_clean_water(demo_cache):
    from insights import wash
    from insights.common import Filters

    now = wash.summary(demo_cache.cursor(), Filters.year(2018))
    text = page_text(_open("pages/wash.py", "wash", "2018"))
    assert f"of the **{now['households']:,} households** surveyed, **{now['share_toilet']:.0%}** had a toilet" in text


@pytest.mark.usefixtures("app_env")
def test_a_place_with_no_surveys_says_so():
    at = _open("pages/wash.py", "wash")
    province = at.selectbox(key="wash_place_province")
    province.select_index(province.options.index("Kampot")).run()  # the clinic's province: no programme households
    assert not at.exception, at.exception
    assert "No household of this place had been surveyed by 31 Dec 2018." in [i.value for i in at.info]


@pytest.mark.usefixtures("app_env")
def test_the_clinic_page_shows_health_education_beside_the_mobile_clinic_days(demo_cache):
    from insights import health_education
    from insights.common import Filters

    taught = health_education.totals(demo_cache.cursor(), Filters.year(2017))
    at = _open("pages/clinic.py", "clinic", "2017")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sessions"] == f"{taught['sessions']:,}" and metrics["Village chiefs"] == f"{taught['village_chiefs']:,}"
    assert f"{taught['participants']:,} participants ({taught['women']:,} women, {taught['men']:,} men)." in page_text(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download health education by month (CSV)" in labels
