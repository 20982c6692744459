"""The clinic, savings and prevention dashboards under the real Streamlit runtime, on the demo workbook."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import page_text

APP = str(Path(__file__).resolve().parent.parent / "app.py")  # AppTest resolves relative paths against this file


def open_page(page: str, period: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    if period is not None:
        key = {"pages/clinic.py": "clinic", "pages/savings.py": "savings", "pages/prevention.py": "prevention"}[page]
        at.selectbox(key=f"{key}_period").set_value(period).run()
        assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", ["pages/clinic.py", "pages/savings.py", "pages/prevention.py"])
@pytest.mark.usefixtures("app_env")
def test_the_page_renders_with_charts_and_downloads(page):
    at = open_page(page)
    assert at.title
    assert at.get("vega_lite_chart"), "no chart"
    assert at.get("download_button"), "no CSV download"


@pytest.mark.usefixtures("app_env")
def test_the_clinic_page_states_the_reports_2017_results():
    text = page_text(open_page("pages/clinic.py", "2017"))
    assert "11,292 patients were assessed (one assessment per visit); 375 were hospitalised, 2,954 treated as out-patients, 7,963 checked by the mobile team" in text
    assert "including 2,261 aged 0–5 and 3,606 aged 6–12" in text
    assert "300 new patients" in text


@pytest.mark.usefixtures("app_env")
def test_the_savings_page_states_the_capital_on_31_december_2018():
    text = page_text(open_page("pages/savings.py", "2018"))
    assert "139,791,300 riel" in text and "$34,947.83" in text
    assert "Portfolio at risk = " in text


@pytest.mark.usefixtures("app_env")
def test_the_prevention_page_states_the_2017_coverage():
    text = page_text(open_page("pages/prevention.py", "2017"))
    assert "55 villages** in 18 communes of 11 districts in 3 provinces" in text


@pytest.mark.parametrize("page", ["pages/clinic.py", "pages/savings.py", "pages/prevention.py"])
@pytest.mark.usefixtures("app_env")
def test_the_page_renders_for_a_province_with_little_of_the_programme(page):
    at = open_page(page)
    key = page.removeprefix("pages/").removesuffix(".py")
    at.selectbox(key=f"{key}_period").set_value("Custom range").run()  # every year of data
    assert not at.exception, at.exception
    # Last: once a selectbox with a format_func holds a value, AppTest cannot run the script again.
    province = at.selectbox(key=f"{key}_place_province")
    province.select_index(province.options.index("Kampot")).run()  # the clinic's province; no savings or prevention there
    assert not at.exception, at.exception
    if page == "pages/savings.py":
        assert "No saving groups founded by 31 Dec 2018 in this place." in [i.value for i in at.info]


@pytest.mark.usefixtures("app_env")
def test_the_coverage_map_can_be_shown_on_a_street_map_with_every_located_village_named():
    import json

    import pyarrow as pa

    at = open_page("pages/prevention.py", "2017")
    assert not at.get("deck_gl_json_chart")  # off by default: a field laptop offline loads no tiles
    dots = next(c for c in at.get("vega_lite_chart") if '"latitude"' in c.proto.spec)  # the Altair map's own data
    located = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in dots.proto.datasets]
    villages = {v for frame in located if "village" in frame for v in frame["village"]}
    at.toggle(key="street_map").set_value(True).run()
    assert not at.exception, at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapProvider"] == "carto" and "basemaps.cartocdn.com" in deck["mapStyle"]
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert {row["village"] for row in layers["village-names"]["data"]} == villages and len(villages) > 10
    assert layers["village-names"]["getText"] == "@@=village" and layers["village-names"]["characterSet"] == "auto"
