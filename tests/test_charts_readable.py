"""Charts a manager reads at a glance: a literal frame in, the Vega-Lite spec out. Legends hold at most a
few entries ("Other" for the rest), the data carries labels (never codes), short clinic weeks are red
bars, the migration chart ticks by quarter, the coverage map names its villages, and an empty frame
gives a sentence instead of an empty axis."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from insights import clinic_charts, cow_bank_charts, health_education_charts, overview_charts, prevention_charts, quality_charts, rice_bank_charts, savings_charts, school_support_charts, wash_charts
from insights.chart_parts import LEGEND_ENTRIES
from schemas.i18n import language


def rows(chart: alt.TopLevelMixin) -> list[dict]:
    """Every row of every dataset the spec carries."""
    return [row for dataset in chart.to_dict()["datasets"].values() for row in dataset]


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_twenty_five_groups_give_a_legend_of_the_biggest_and_other():
    frame = pd.DataFrame({"as_of": pd.to_datetime(["2018-01-31"] * 25 + ["2018-02-28"] * 25),
                          "name": [f"Group {i:02d}" for i in range(25)] * 2,
                          "capital_riel": [1000.0 * i for i in range(25)] * 2, "capital_usd": 0.0})
    chart = savings_charts.capital_by_group(frame)
    names = {row["name"] for row in rows(chart)}
    assert len(names) == LEGEND_ENTRIES and "Other" in names and "Group 24" in names and "Group 00" not in names
    assert sum(row["capital_riel"] for row in rows(chart)) == frame["capital_riel"].sum()  # nothing lost to "Other"
    assert chart.to_dict()["encoding"]["color"]["sort"][-1] == "Other"


EMPTY_CASES = [
    (savings_charts.capital_by_group, "savings groups' capital"),
    (clinic_charts.workload_by_site, "clinic visits"),
    (clinic_charts.mobile_days_against_target, "mobile-clinic days"),
    (prevention_charts.activities_by_month, "prevention activities"),
    (prevention_charts.migration_share, "migration checks"),
    (rice_bank_charts.flows_chart, "rice going in or out"),
    (health_education_charts.sessions_by_month, "health education sessions"),
    (school_support_charts.materials, "school materials"),
    (wash_charts.water_sources, "hygiene surveys"),
    (cow_bank_charts.herd_chart, "the herd"),
    (quality_charts.error_trend_chart, "refreshes"),
]


@pytest.mark.parametrize("chart, what", EMPTY_CASES, ids=[c.__name__ for c, _ in EMPTY_CASES])
def test_an_empty_frame_gives_the_empty_state_sentence(chart, what):
    spec = chart(pd.DataFrame()).to_dict()
    assert rows(chart(pd.DataFrame())) == [{"text": f"No records for {what} in this period and place."}]
    assert spec["mark"]["type"] == "text" and "x" not in spec["encoding"] and "y" not in spec["encoding"]


def test_an_overview_programme_with_nothing_in_the_year_says_so():
    charts = overview_charts.programme_charts({"Prevention": pd.DataFrame(columns=["month", "kind", "activities"])})
    assert rows(charts["Prevention"]) == [{"text": "No records for prevention activities in this period and place."}]


def test_short_mobile_clinic_weeks_are_red_bars_up_to_the_target_and_weeks_without_outing_have_no_bar():
    frame = pd.DataFrame({"week": pd.to_datetime(["2018-01-01", "2018-01-08", "2018-01-15", "2018-01-22"]),
                          "mobile_days": [3, 0, 1, 0], "target": 3,
                          "full_week": [True, True, True, False], "short": [False, True, True, False]})
    spec = clinic_charts.mobile_days_against_target(frame).to_dict()
    bars, _held, none, _target = layers(spec)
    scale = bars["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=False))
    assert colours["short of the target"] == "#d1495b" and colours["no outing this week"] != colours["short of the target"]
    weeks = {row["week"][:10]: row for row in spec["datasets"][bars["data"]["name"]]}
    assert set(weeks) == {"2018-01-01", "2018-01-15"}  # a week with no day out has no bar: it never reads as three days
    assert weeks["2018-01-15"]["week_status"] == "short of the target" and weeks["2018-01-15"]["bar_top"] == 3  # no gap
    assert weeks["2018-01-01"]["week_status"] == "on target"
    marked = {row["week"][:10]: row for row in spec["datasets"][none["data"]["name"]]}
    assert none["mark"]["type"] == "point" and set(marked) == {"2018-01-08"}
    assert marked["2018-01-08"]["week_status"] == "no outing this week" and marked["2018-01-08"]["mobile_days"] == 0
    with language("km"):
        khmer = clinic_charts.mobile_days_against_target(frame).to_dict()
    assert "on target" not in str(khmer["datasets"]) and "short of the target" not in str(khmer["datasets"])


def test_the_migration_chart_ticks_by_quarter():
    frame = pd.DataFrame({"quarter": pd.to_datetime(["2018-01-01", "2018-04-01", "2018-07-01"]),
                          "parent_group": "with parent group", "checks": 4, "migrating": 2, "took_children": 1,
                          "share_took_children": 0.5})
    spec = prevention_charts.migration_share(frame).to_dict()
    assert spec["encoding"]["x"]["title"] == "Quarter" and spec["encoding"]["x"]["type"] == "ordinal"
    assert spec["encoding"]["x"]["sort"] == ["2018 Q1", "2018 Q2", "2018 Q3"]


def test_chart_data_carries_labels_never_codes():
    frame = pd.DataFrame({"month": pd.to_datetime(["2018-01-01", "2018-01-01"]), "site": ["mobile_clinic", "health_centre"],
                          "visits": [3, 4]})
    assert {row["site"] for row in rows(clinic_charts.workload_by_site(frame))} == {"Mobile clinic", "Health centre"}
    activities = pd.DataFrame({"month": pd.to_datetime(["2018-01-01"]), "kind": ["self_help_group_meeting"], "activities": [2],
                               "women": 1, "men": 1, "children": 0, "authorities": 0})
    assert rows(prevention_charts.activities_by_month(activities))[0]["kind"] == "Self-help group meeting"
    with language("km"):
        assert rows(prevention_charts.activities_by_month(activities))[0]["kind"] == "ប្រជុំក្រុមជួយខ្លួនឯង"
    cows = overview_charts.programme_charts({"Cow bank": pd.DataFrame({"month": pd.to_datetime(["2018-01-01"]), "kind": ["passed_on"], "events": [1]})})
    assert rows(cows["Cow bank"])[0]["kind"] == "Passed on"


def test_the_coverage_map_names_its_villages():
    frame = pd.DataFrame({"village_code": ["20010101"], "village": ["Prey Kokir"], "commune": ["Chantrea"], "district": ["Chantrea"],
                          "province": ["Svay Rieng"], "latitude": [11.1], "longitude": [105.9], "activities": [3], "status": ["reached"]})
    spec = prevention_charts.village_map(frame).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["circle", "text"] and spec["layer"][1]["encoding"]["text"]["field"] == "village"


def test_the_error_trend_axis_tells_refreshes_minutes_apart_apart():
    trend = pd.DataFrame({"refreshed_at": pd.to_datetime(["2018-01-01 10:30:00", "2018-01-01 10:30:30", "2018-01-01 10:31:00"]),
                          "errors": [3, 2, 2], "warnings": [1, 1, 0]})
    spec = quality_charts.error_trend_chart(trend).to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == "%H:%M:%S"
    assert quality_charts.time_format(pd.Series(pd.to_datetime(["2018-01-01", "2018-03-01"]))) == "%d %b %Y"


def test_bar_charts_with_many_categories_run_horizontally_with_full_labels():
    topics = pd.DataFrame({"topic": [f"A rather long topic name number {i}" for i in range(20)], "kind": "awareness_session",
                           "activities": range(20)})
    spec = prevention_charts.activities_by_topic(topics).to_dict()
    assert spec["encoding"]["y"]["field"] == "topic" and spec["encoding"]["y"]["axis"]["labelLimit"] >= 150
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False and spec["height"]["step"] >= 20  # every topic labelled


@pytest.mark.parametrize("width", [700, 330])  # a page's chart, a phone's (390 px)
def test_a_legend_draws_each_groups_whole_name(width):
    import vl_convert as vlc

    names = ["Russei Chhuor Kang Chhoeung savings group", "Kouk Taek women's savings group", "Bos Mon"]
    frame = pd.DataFrame({"as_of": pd.to_datetime(["2018-01-31"] * 3), "name": names,
                          "capital_riel": [5000.0, 4000.0, 3000.0], "capital_usd": 0.0})
    spec = savings_charts.capital_by_group(frame).properties(width=width).to_dict()

    def labels(node: dict) -> list[str]:
        found = [it["text"] for it in node.get("items", []) if node.get("role") == "legend-label"]
        return found + [t for it in node.get("items", []) for t in labels(it)]

    assert sorted(labels(vlc.vegalite_to_scenegraph(spec)["scenegraph"])) == sorted(names)  # the scene holds the text...
    svg = vlc.vegalite_to_svg(spec)
    assert "…" not in svg and all(name.replace("'", "&#39;") in svg or name in svg for name in names)  # ...and draws it whole
