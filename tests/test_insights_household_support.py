"""School support, household hygiene and health education insights on literal tables, figures worked out by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from connectors.store.cache import Cache
from data.demo_common import typed_frame
from insights import health_education, school_support, wash
from insights.common import Filters

D = dt.date
VILLAGES = ["20010101", "20010102", "09010101", "07080101", "07080102"]


def villages() -> pd.DataFrame:
    return typed_frame("villages", {
        "village_code": VILLAGES, "village": [f"V{c}" for c in VILLAGES], "commune_code": [c[:6] for c in VILLAGES],
        "commune": [f"C{c[:6]}" for c in VILLAGES], "district_code": [c[:4] for c in VILLAGES],
        "district": [f"D{c[:4]}" for c in VILLAGES], "province_code": [c[:2] for c in VILLAGES],
        "province": [f"P{c[:2]}" for c in VILLAGES], "target_village": [True] * len(VILLAGES)})


def households() -> pd.DataFrame:
    return typed_frame("households", {"household_id": ["HH-0001", "HH-0002", "HH-0003"],
                                      "village_code": ["20010101", "20010102", "09010101"]})


def records(tab: str, columns: str, *rows: tuple) -> pd.DataFrame:
    names = columns.split()
    return typed_frame(tab, {name: [row[i] for row in rows] for i, name in enumerate(names)})


@pytest.fixture
def cache():
    c = Cache(":memory:")
    c.load_frames({
        "villages": villages(),
        "households": households(),
        "school_support": records(
            "school_support", "support_id date household_id child_code enrolled in_school_at_year_end materials",
            ("SS-0001", "2016-10-03", "HH-0001", "C-0001", True, True, "uniform"),
            ("SS-0002", "2017-10-02", "HH-0001", "C-0001", True, None, "uniform, bag"),
            ("SS-0003", "2017-11-20", "HH-0001", "C-0001", True, True, "books"),  # a second support the same year
            ("SS-0004", "2017-10-02", "HH-0001", "C-0002", True, False, "uniform, bag, books"),
            ("SS-0005", "2017-10-05", "HH-0002", "C-0003", False, False, "Uniform"),
            ("SS-0006", "2017-10-09", "HH-0003", "C-0004", True, None, "uniform, , pens "),  # year-end answer still blank
        ),
        "wash_surveys": records(
            "wash_surveys", "survey_id date household_id toilet water_source handwashing",
            ("WS-0001", "2016-03-01", "HH-0001", "none", "pond_or_river", False),
            ("WS-0002", "2017-05-01", "HH-0001", "own", "protected_well", True),
            ("WS-0003", "2018-02-01", "HH-0001", "own", "protected_well", True),
            ("WS-0004", "2017-06-01", "HH-0002", "shared", "unprotected_well", False),
            ("WS-0005", "2018-07-01", "HH-0003", "none", "bought", True),
        ),
        "health_education": records(
            "health_education", "session_id date village_code given_by villagers village_chiefs community_leaders female male",
            ("HE-0001", "2016-12-30", "07080101", "ccpcr", 50, 1, 1, 30, 22),  # last year
            ("HE-0002", "2017-01-09", "07080101", "ccpcr", 20, 1, 2, 13, 10),
            ("HE-0003", "2017-01-12", "07080102", "health_department", 30, 0, 3, 20, 13),
            ("HE-0004", "2017-02-06", "07080101", "both", 10, 1, 0, 6, 5),
        ),
        "clinic_visits": records(
            "clinic_visits", "visit_id date site village_code",
            ("CV-0001", "2017-01-09", "mobile_clinic", "07080101"),  # the mobile clinic was there that day
            ("CV-0002", "2017-02-06", "mobile_clinic", "07080102"),  # that day it was in another village
            ("CV-0003", "2017-01-12", "health_centre", "07080102"),
        ),
    })
    yield c
    c.close()


# --- school support -------------------------------------------------------------------------------

def test_children_are_counted_once_a_year_and_the_share_leaves_blank_answers_out(cache):
    # C-0001 (twice), C-0002, C-0003 (not enrolled), C-0004 (no answer yet): 1 of 2 answered enrolled children stayed.
    assert school_support.summary(cache.cursor(), Filters.year(2017)) == {
        "children": 4, "enrolled": 3, "in_school": 1, "answered": 2, "share_in_school": 0.5,
        "items": 9, "materials_per_child": 2.25}  # 2 + 1 + 3 + 1 + 2 items; the empty item between commas is not one


def test_the_place_is_the_households_village(cache):
    figures = school_support.summary(cache.cursor(), Filters.year(2017, "2001"))
    assert (figures["children"], figures["enrolled"], figures["items"], figures["materials_per_child"]) == (3, 2, 7, 2.33)


def test_per_year_and_per_village(cache):
    period = Filters(D(2016, 1, 1), D(2017, 12, 31))
    years = school_support.by_year(cache.cursor(), period)
    assert years[["year", "children", "enrolled", "in_school", "share_in_school"]].values.tolist() == [
        [2016, 1, 1, 1, 1.0], [2017, 4, 3, 1, 0.5]]
    villages = school_support.by_year_and_village(cache.cursor(), Filters.year(2017))
    assert villages[["village", "children", "enrolled", "in_school", "answered"]].values.tolist() == [
        ["V09010101", 1, 1, 0, 0], ["V20010101", 2, 2, 1, 2], ["V20010102", 1, 0, 0, 0]]


def test_materials_per_item(cache):
    frame = school_support.materials(cache.cursor(), Filters.year(2017))
    assert frame.values.tolist() == [["uniform", 4, 4], ["bag", 2, 2], ["books", 2, 2], ["pens", 1, 1]]


# --- household hygiene ----------------------------------------------------------------------------

def test_a_household_counts_once_as_its_latest_survey_found_it(cache):
    assert wash.summary(cache.cursor(), Filters.year(2017)) == {
        "households": 2, "with_toilet": 2, "own_toilet": 1, "clean_water": 1, "handwashing": 1,
        "share_toilet": 1.0, "share_clean_water": 0.5, "share_handwashing": 0.5}


def test_the_trend_carries_a_household_forward_to_later_years(cache):
    frame = wash.by_year(cache.cursor(), Filters(D(2016, 1, 1), D(2018, 12, 31)))
    assert frame[["year", "households", "with_toilet", "clean_water", "handwashing", "share_toilet"]].values.tolist() == [
        [2016, 1, 0, 0, 0, 0.0], [2017, 2, 2, 1, 1, 1.0], [2018, 3, 2, 2, 2, 0.6667]]


def test_a_period_ending_mid_year_uses_the_surveys_up_to_its_end(cache):
    figures = wash.summary(cache.cursor(), Filters(D(2018, 1, 1), D(2018, 3, 31)))
    assert (figures["households"], figures["clean_water"]) == (2, 1)  # HH-0003 was first surveyed in July


def test_hygiene_by_village_and_water_source(cache):
    villages = wash.by_year_and_village(cache.cursor(), Filters.year(2018, "20"))
    assert villages[["village", "households", "with_toilet", "clean_water"]].values.tolist() == [
        ["V20010101", 1, 1, 1], ["V20010102", 1, 1, 0]]
    sources = wash.water_sources(cache.cursor(), Filters.year(2018))
    assert sources.values.tolist() == [["bought", True, 1], ["protected_well", True, 1], ["unprotected_well", False, 1]]


# --- health education -----------------------------------------------------------------------------

def test_health_education_totals(cache):
    assert health_education.totals(cache.cursor(), Filters.year(2017)) == {
        "sessions": 3, "villages": 2, "villagers": 60, "village_chiefs": 2, "community_leaders": 5, "participants": 67,
        "women": 39, "men": 28, "with_health_department": 2}


def test_sessions_by_month_and_those_on_the_mobile_clinics_day_in_its_village(cache):
    frame = health_education.by_month(cache.cursor(), Filters.year(2017))
    assert frame.values.tolist() == [
        [pd.Timestamp("2017-01-01"), "ccpcr", 1, 23, 1],
        [pd.Timestamp("2017-01-01"), "health_department", 1, 33, 0],
        [pd.Timestamp("2017-02-01"), "both", 1, 11, 0]]
