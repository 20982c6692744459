"""Clinic insights: hand-computed cases on literal tables, the report's 2017 figures, and chart sizes at 1 M visits."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from connectors.store.cache import Cache
from insights import clinic
from insights.common import MAX_CHART_ROWS, Filters, chart_grain

D = dt.date


def visits(*rows: dict) -> pd.DataFrame:
    """Clinic visits with sensible defaults; each row names only what the test is about."""
    base = {"site": "health_centre", "village_code": "07080101", "patient_code": "P-0001", "sex": "female",
            "age_years": 30, "care": "outpatient", "condition": "fever", "new_patient": False,
            "referred_to": "", "dental_kit": False, "donation_riel": 0.0}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame.insert(0, "visit_id", [f"CV-{i:05d}" for i in range(1, len(frame) + 1)])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def cache():
    c = Cache(":memory:")
    yield c
    c.close()


def test_a_week_with_two_mobile_clinic_days_is_short_when_the_target_is_three(cache):
    cache.load_frames({
        "settings": pd.DataFrame({"key": ["mobile_clinic_days_per_week"], "value": ["3"], "note": [""]}),
        "clinic_visits": visits(
            # week of Mon 6 Mar 2017: mobile clinic on Tue and Thu (two patients on Tue) -> 2 days, short
            {"date": "2017-03-07", "site": "mobile_clinic"}, {"date": "2017-03-07", "site": "mobile_clinic"},
            {"date": "2017-03-09", "site": "mobile_clinic"},
            {"date": "2017-03-10", "site": "health_centre"},  # the health centre does not count
            # week of Mon 13 Mar 2017: Mon, Wed, Fri -> 3 days, on target
            {"date": "2017-03-13", "site": "mobile_clinic"}, {"date": "2017-03-15", "site": "mobile_clinic"},
            {"date": "2017-03-17", "site": "mobile_clinic"},
        ),
    })
    weeks = clinic.mobile_clinic_days(cache.cursor(), Filters(D(2017, 3, 6), D(2017, 3, 26)))
    assert weeks.to_dict("list") == {
        "week": [pd.Timestamp("2017-03-06"), pd.Timestamp("2017-03-13"), pd.Timestamp("2017-03-20")],
        "mobile_days": [2, 3, 0],
        "target": [3, 3, 3],
        "full_week": [True, True, True],
        "short": [True, False, True],  # a week with no mobile clinic at all is short too
    }


def test_a_week_cut_by_the_period_is_never_marked_short(cache):
    cache.load_frames({"clinic_visits": visits({"date": "2017-01-04", "site": "mobile_clinic"})})
    # 1 Jan 2017 is a Sunday: its week starts on Mon 26 Dec 2016, outside the period.
    weeks = clinic.mobile_clinic_days(cache.cursor(), Filters(D(2017, 1, 1), D(2017, 1, 8)))
    assert weeks[["week", "mobile_days", "full_week", "short"]].values.tolist() == [
        [pd.Timestamp("2016-12-26"), 0, False, False],
        [pd.Timestamp("2017-01-02"), 1, True, True],
    ]


def test_results_count_care_ages_and_new_patients_in_the_period_and_place(cache):
    cache.load_frames({"clinic_visits": visits(
        {"date": "2017-01-02", "care": "inpatient", "age_years": 4, "new_patient": True},
        {"date": "2017-02-02", "care": "outpatient", "age_years": 6},
        {"date": "2017-03-02", "care": "mobile_checkup", "age_years": 12, "dental_kit": True, "site": "mobile_clinic"},
        {"date": "2017-03-02", "care": "mobile_checkup", "age_years": 13, "village_code": "20010101", "site": "mobile_clinic"},
        {"date": "2018-01-02", "care": "inpatient", "age_years": 1},  # another year
    )})
    r = clinic.results(cache.cursor(), Filters.year(2017, place="07"))
    assert r == {"assessed": 3, "inpatients": 1, "outpatients": 1, "mobile_checkups": 1,
                 "aged_0_5": 1, "aged_6_12": 2, "new_patients": 1, "dental_kits": 1}
    assert clinic.results_sentences(r) == [
        "3 patients were assessed (one assessment per visit); 1 were hospitalised, 1 treated as out-patients, 1 checked by the mobile team "
        "(1 received dental education and a toothbrush and toothpaste).",
        "Health assessments of 3 patients, including 1 aged 0–5 and 2 aged 6–12.",
        "1 new patients admitted to the health centre.",
    ]


def test_age_bands_follow_the_setting(cache):
    cache.load_frames({
        "settings": pd.DataFrame({"key": ["age_bands"], "value": ["0-4, 5-14,15+"], "note": [""]}),
        "clinic_visits": visits({"date": "2017-01-02", "age_years": 4}, {"date": "2017-01-02", "age_years": 5, "sex": "male"},
                                {"date": "2017-01-02", "age_years": 14}, {"date": "2017-01-02", "age_years": 80}),
    })
    bands = clinic.visits_by_age_band(cache.cursor(), Filters.year(2017))
    assert bands[["age_band", "sex", "visits"]].values.tolist() == [
        ["0–4", "female", 1], ["5–14", "female", 1], ["5–14", "male", 1], ["15+", "female", 1]]


def test_case_mix_referrals_conditions_trips_and_donations(cache):
    cache.load_frames({
        "settings": pd.DataFrame({"key": ["riel_per_usd"], "value": ["4000"], "note": [""]}),
        "clinic_visits": visits(
            {"date": "2017-01-03", "condition": "Diarrhea", "new_patient": True, "referred_to": "Takeo Referral Hospital", "donation_riel": 2000.0},
            {"date": "2017-01-04", "condition": "diarrhea ", "referred_to": "  ", "donation_riel": 6000.0},
            {"date": "2017-01-05", "condition": "worms", "site": "mobile_clinic", "care": "mobile_checkup"},
            {"date": "2017-02-01", "condition": "", "sex": "male"},
        ),
        "ambulance_trips": pd.DataFrame({
            "trip_id": ["AT-0001", "AT-0002", "AT-0003"], "date": pd.to_datetime(["2017-01-03", "2017-01-20", "2017-02-02"]),
            "purpose": ["emergency_referral", "emergency_referral", "deceased_transport"],
            "village_code": ["07080101"] * 3, "destination": ["Takeo Referral Hospital"] * 3, "visit_id": ["CV-00001", "", ""]}),
    })
    con, year = cache.cursor(), Filters.year(2017)
    assert clinic.visits_by_care_and_sex(con, year).values.tolist() == [
        ["mobile_checkup", "female", 1], ["outpatient", "female", 2], ["outpatient", "male", 1]]
    assert clinic.new_patients_and_referrals(con, year).values.tolist() == [
        [pd.Timestamp("2017-01-01"), 3, 1, 1], [pd.Timestamp("2017-02-01"), 1, 0, 0]]
    assert clinic.referrals_by_hospital(con, year).values.tolist() == [["Takeo Referral Hospital", 1]]
    assert clinic.top_conditions(con, year, top=1).values.tolist() == [
        [pd.Timestamp("2017-01-01"), "diarrhea", 2], [pd.Timestamp("2017-01-01"), "other", 1],
        [pd.Timestamp("2017-02-01"), "not recorded", 1]]
    assert clinic.ambulance_trips(con, year).values.tolist() == [
        [pd.Timestamp("2017-01-01"), "emergency_referral", 2], [pd.Timestamp("2017-02-01"), "deceased_transport", 1]]
    gifts = clinic.donations(con, year)
    assert gifts.values.tolist() == [
        [pd.Timestamp("2017-01-01"), "health_centre", 2, 8000.0, 2.0], [pd.Timestamp("2017-01-01"), "mobile_clinic", 0, 0.0, 0.0],
        [pd.Timestamp("2017-02-01"), "health_centre", 0, 0.0, 0.0]]


def test_workload_by_site_and_heat_map_by_weekday(cache):
    cache.load_frames({"clinic_visits": visits(
        {"date": "2017-03-06"}, {"date": "2017-03-06", "site": "mobile_clinic"}, {"date": "2017-03-12"}, {"date": "2017-03-13"})})
    period = Filters(D(2017, 3, 1), D(2017, 3, 31))
    assert clinic.visits_by_site(cache.cursor(), period).values.tolist() == [
        [pd.Timestamp("2017-03-06"), "health_centre", 2], [pd.Timestamp("2017-03-06"), "mobile_clinic", 1],
        [pd.Timestamp("2017-03-13"), "health_centre", 1]]
    assert clinic.visits_heatmap(cache.cursor(), period)[["week", "weekday_name", "visits"]].values.tolist() == [
        [pd.Timestamp("2017-03-06"), "Mon", 2], [pd.Timestamp("2017-03-06"), "Sun", 1], [pd.Timestamp("2017-03-13"), "Mon", 1]]


def test_chart_grain_coarsens_long_periods():
    assert chart_grain(Filters.year(2017), series=7) == "week"
    assert chart_grain(Filters(D(2000, 1, 1), D(2024, 12, 31)), series=7) == "month"
    assert chart_grain(Filters(D(2000, 1, 1), D(2024, 12, 31)), series=10, finest="month") == "month"
    assert chart_grain(Filters(D(1900, 1, 1), D(2024, 12, 31)), series=10, finest="month") == "year"


def test_no_chart_gets_more_than_5000_rows_at_one_million_visits(cache):
    n, rng = 1_000_000, np.random.default_rng(7)
    first = np.datetime64("2000-01-01")
    frame = pd.DataFrame({
        "visit_id": np.char.add("CV-", np.arange(n).astype("U7")),
        "date": first + rng.integers(0, 25 * 365, n).astype("timedelta64[D]"),
        "site": np.array(["health_centre", "mobile_clinic"])[rng.integers(0, 2, n)],
        "village_code": np.array(["07080101", "07080201", "20010101"])[rng.integers(0, 3, n)],
        "patient_code": np.char.add("P-", rng.integers(1000, 99999, n).astype("U5")),
        "sex": np.array(["female", "male"])[rng.integers(0, 2, n)],
        "age_years": rng.integers(0, 90, n),
        "care": np.array(["outpatient", "inpatient", "mobile_checkup"])[rng.integers(0, 3, n)],
        "condition": np.char.add("condition ", rng.integers(0, 40, n).astype("U2")),
        "new_patient": rng.random(n) < 0.03,
        "referred_to": np.array(["", "", "", "Takeo Referral Hospital"])[rng.integers(0, 4, n)],
        "dental_kit": rng.random(n) < 0.5,
        "donation_riel": rng.integers(0, 3, n) * 1000.0,
    })
    cache.load_frames({"clinic_visits": frame})
    con = cache.cursor()
    assert con.execute("SELECT count(*) FROM clinic_visits").fetchone()[0] == n
    for period in (Filters(D(2000, 1, 1), D(2024, 12, 31)), Filters.year(2017)):
        for chart_data in clinic.CHART_DATA:
            rows = len(chart_data(con, period))
            assert rows <= MAX_CHART_ROWS, (chart_data.__name__, period, rows)
            assert rows > 0 or chart_data is clinic.ambulance_trips  # no trips were loaded


def test_the_demo_workbook_gives_the_reports_2017_figures(demo_cache):
    r = clinic.results(demo_cache.cursor(), Filters.year(2017))
    assert (r["assessed"], r["inpatients"], r["outpatients"], r["mobile_checkups"]) == (11_292, 375, 2_954, 7_963)
    assert (r["aged_0_5"], r["aged_6_12"], r["new_patients"]) == (2_261, 3_606, 300)
    assert clinic.results_sentences(r)[0].startswith("11,292 patients were assessed (one assessment per visit); 375 were hospitalised, 2,954 treated as out-patients, 7,963 checked by the mobile team")
    weeks = clinic.mobile_clinic_days(demo_cache.cursor(), Filters.year(2017))
    assert len(weeks) == 53 and weeks["target"].eq(3).all()
