"""Prevention insights: activities, coverage, commune plans, parent groups and migration checks on literal tables."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from connectors.store.cache import Cache
from insights import prevention
from insights.common import Filters

D = dt.date


def villages(*codes_and_targets: tuple[str, bool]) -> pd.DataFrame:
    rows = []
    for code, target in codes_and_targets:
        rows.append({"village_code": code, "village": f"V{code}", "commune_code": code[:6], "commune": f"C{code[:6]}",
                     "district_code": code[:4], "district": f"D{code[:4]}", "province_code": code[:2], "province": f"P{code[:2]}",
                     "latitude": 11.0, "longitude": 105.0, "target_village": target})
    return pd.DataFrame(rows)


def activities(*rows: tuple) -> pd.DataFrame:
    """(date, kind, topic, village, women, men, children, authorities) rows."""
    frame = pd.DataFrame(rows, columns=["date", "kind", "topic", "village_code", "female", "male", "children", "authorities"])
    frame.insert(0, "activity_id", [f"ACT-{i:04d}" for i in range(1, len(frame) + 1)])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["facilitator"] = "Sok Dara"
    return frame


@pytest.fixture
def cache():
    c = Cache(":memory:")
    c.load_frames({
        # two target villages in one commune of Svay Rieng, one target in Koh Kong, one non-target
        "villages": villages(("20010101", True), ("20010102", True), ("09010101", True), ("20020101", False)),
        "activities": activities(
            ("2017-01-10", "awareness_session", "safe migration", "20010101", 20, 10, 15, 2),
            ("2017-01-20", "authority_meeting", "TIP prevention in the commune plan", "20010101", 3, 9, 0, 12),
            ("2017-02-03", "refresher_training", "trafficking risks", "09010101", 4, 8, 0, 10),
            ("2017-02-03", "awareness_session", "safe migration", "20020101", 5, 5, 5, 1),
            ("2016-05-05", "awareness_session", "child education", "20010102", 9, 9, 9, 1),  # last year
        ),
    })
    yield c
    c.close()


def test_participants_by_sex_children_and_authorities_trained(cache):
    assert prevention.participants(cache.cursor(), Filters.year(2017)) == {
        "activities": 4, "women": 32, "men": 32, "children": 20, "authorities_trained": 22}  # 12 + 10: meetings and trainings only


def test_activities_by_month_kind_and_topic(cache):
    months = prevention.activities_by_month(cache.cursor(), Filters.year(2017))
    assert months[["month", "kind", "activities", "women", "children"]].values.tolist() == [
        [pd.Timestamp("2017-01-01"), "authority_meeting", 1, 3, 0],
        [pd.Timestamp("2017-01-01"), "awareness_session", 1, 20, 15],
        [pd.Timestamp("2017-02-01"), "awareness_session", 1, 5, 5],
        [pd.Timestamp("2017-02-01"), "refresher_training", 1, 4, 0]]
    topics = prevention.activities_by_topic(cache.cursor(), Filters.year(2017, place="20"))
    assert topics[["topic", "activities", "men"]].values.tolist()[0] == ["safe migration", 2, 15]


def test_coverage_and_target_villages_not_reached_yet(cache):
    con = cache.cursor()
    assert prevention.coverage(con, Filters.year(2017)) | {"province_names": None} == {
        "villages": 3, "communes": 3, "districts": 3, "provinces": 2, "province_names": None, "activities": 4}
    assert prevention.target_villages(con, Filters.year(2017)) == {"targets": 3, "reached": 2, "not_reached": 1}
    reached = prevention.villages_reached(con, Filters.year(2017, place="20"))
    assert reached[["village_code", "activities", "status"]].values.tolist() == [
        ["20010101", 2, "reached"], ["20010102", 0, "target not reached yet"], ["20020101", 1, "reached"]]


def test_commune_plans_by_year_up_to_the_period(cache):
    cache.load_frames({"commune_plans": pd.DataFrame({
        "commune_code": ["200101", "200101", "090101", "090101", "200101"], "year": [2016, 2017, 2016, 2017, 2018],
        "tip_in_development_plan": [False, True, True, True, True], "tip_in_investment_plan": [False, True, False, True, True]})})
    assert prevention.commune_plans_by_year(cache.cursor(), Filters.year(2017)).values.tolist() == [[2016, 2, 1, 0], [2017, 2, 2, 2]]
    assert prevention.commune_plans_by_year(cache.cursor(), Filters.year(2017, place="09")).values.tolist() == [[2016, 1, 1, 0], [2017, 1, 1, 1]]


def test_parent_groups_and_the_share_of_migrants_taking_children_by_quarter(cache):
    cache.load_frames({
        "parent_groups": pd.DataFrame({"group_id": ["PG-001", "PG-002"], "village_code": ["20010101", "20010102"],
                                       "founded_on": pd.to_datetime(["2017-02-01", "2018-01-01"]), "parents": [20, 15],
                                       "teachers": [2, 3], "village_chief_member": [True, False]}),
        "households": pd.DataFrame({"household_id": ["HH-0001", "HH-0002", "HH-0003"], "head_name": ["x"] * 3, "head_sex": ["female"] * 3,
                                    "village_code": ["20010101", "20010101", "20010102"], "members": [5] * 3, "children": [2] * 3,
                                    "phone": [""] * 3, "poverty_level": ["id_poor_1"] * 3, "survivor": [False] * 3,
                                    "enrolled_on": pd.to_datetime(["2015-01-01"] * 3)}),
        "migration_checks": pd.DataFrame({
            "check_id": [f"MC-{i:04d}" for i in range(1, 7)],
            "date": pd.to_datetime(["2017-01-15", "2017-01-20", "2017-03-10", "2017-03-11", "2017-03-12", "2017-03-13"]),
            "household_id": ["HH-0001", "HH-0002", "HH-0001", "HH-0002", "HH-0003", "HH-0003"],
            "migrating": [True, True, True, True, True, False], "destination": ["Vietnam"] * 6, "work": ["begging"] * 6,
            "took_children": [True, False, False, False, True, False], "children_in_school": [True] * 6}),
    })
    con = cache.cursor()
    assert prevention.parent_group_totals(con, Filters.year(2017)) == {
        "groups": 1, "parents": 20, "teachers": 2, "village_chiefs": 1, "members": 23}
    assert prevention.parent_groups(con, Filters.year(2018))["members"].tolist() == [23, 18]
    quarters = prevention.migration_by_quarter(con, Filters.year(2017))
    # Before PG-001 (1 Feb) village 20010101 had no group; from March on it had one; 20010102's came in 2018.
    assert quarters.values.tolist() == [[pd.Timestamp("2017-01-01"), "with parent group", 2, 2, 0, 0.0],
                                        [pd.Timestamp("2017-01-01"), "without parent group", 4, 3, 2, round(2 / 3, 4)]]


def test_the_demo_workbook_gives_the_reports_2017_coverage(demo_cache):
    c = prevention.coverage(demo_cache.cursor(), Filters.year(2017))
    assert (c["villages"], c["communes"], c["districts"], c["provinces"]) == (55, 18, 11, 3)
    quarters = prevention.migration_by_quarter(demo_cache.cursor(), Filters(D(2015, 1, 1), D(2018, 12, 31)))
    share = quarters.groupby("parent_group")["took_children"].sum() / quarters.groupby("parent_group")["migrating"].sum()
    assert share["with parent group"] < share["without parent group"]  # the report: it fell after the groups began


def test_a_village_whose_province_could_not_be_read_is_counted_and_names_only_the_provinces_known(cache):
    # The province cell of a village held what could not be read (typed as nothing): the coverage still
    # counts the village, and the names are only those known, never a None among them (issue 23).
    blank = villages(("20010101", True), ("20010102", True), ("09010101", True), ("20020101", False))
    blank.loc[blank["village_code"] == "09010101", "province"] = None
    cache.load_frames({"villages": blank})
    coverage = prevention.coverage(cache.cursor(), Filters.year(2017))
    assert (coverage["villages"], coverage["provinces"], coverage["province_names"]) == (3, 2, ["P20"])
