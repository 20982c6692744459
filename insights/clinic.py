"""The Sre Ambel health centre and its mobile clinic: workload, case mix, the year's results.

Every chart-data function aggregates in SQL and returns at most MAX_CHART_ROWS rows, whatever the
period: `chart_grain` picks weeks, months, quarters or years so that the chart stays small, and the
time column is named after the grain it holds ("week", "month", ...), so a CSV says what it is.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import MAX_CHART_ROWS, Filters, chart_grain, counts_by_period, reads, setting
from insights.small_counts import parts
from schemas.i18n import _, number, weekday_names

# The clinic's tabs: a page reading them shows their open errors.
TABS = ["clinic_visits", "ambulance_trips", "settings"]


# Every visit has its care (in-patient, out-patient, mobile check-up); the other counts are some of the visits.
RESULT_PARTS = (parts("assessed", "inpatients", "outpatients", "mobile_checkups", complete=True), parts("assessed", "aged_0_5", "aged_6_12"),
                parts("assessed", "new_patients"), parts("assessed", "dental_kits"))


@reads("clinic_visits", counts=("assessed", "inpatients", "outpatients", "mobile_checkups", "aged_0_5", "aged_6_12", "new_patients", "dental_kits"),
       totals=RESULT_PARTS)
def results(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """The report's measures for the period: patients assessed by care, young patients, new patients."""
    where, params = filters.where("date", "village_code")
    row = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (care = 'inpatient'), count(*) FILTER (care = 'outpatient'),
                   count(*) FILTER (care = 'mobile_checkup'),
                   count(*) FILTER (age_years BETWEEN 0 AND 5), count(*) FILTER (age_years BETWEEN 6 AND 12),
                   count(*) FILTER (new_patient), count(*) FILTER (dental_kit)
            FROM clinic_visits WHERE {where}""",
        params,
    ).fetchone()
    keys = ["assessed", "inpatients", "outpatients", "mobile_checkups", "aged_0_5", "aged_6_12", "new_patients", "dental_kits"]
    return dict(zip(keys, row, strict=False))


def results_sentences(r: dict) -> list[str]:
    """The results block as the programme report words it."""
    n = {key: number(value or 0) for key, value in r.items()}
    return [
        _("{assessed} patients were assessed (one assessment per visit); {inpatients} were hospitalised, {outpatients} treated as out-patients, "
          "{mobile_checkups} checked by the mobile team ({dental_kits} received dental education and a toothbrush and toothpaste).").format(**n),
        _("Health assessments of {assessed} patients, including {aged_0_5} aged 0–5 and {aged_6_12} aged 6–12.").format(**n),
        _("{new_patients} new patients admitted to the health centre.").format(**n),
    ]


# -- workload ------------------------------------------------------------------------------------


@reads("clinic_visits", counts=("visits",))
def visits_by_site(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Visits per week and site: week, site, visits. (For long periods the first column is month, quarter or year.)"""
    return counts_by_period(con, "clinic_visits", "site", "visits", filters, chart_grain(filters, series=2))


@reads("clinic_visits", counts=("visits",))
def visits_heatmap(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Visits by week (or coarser) and day of week: week, weekday (0 = Monday), visits, weekday_name."""
    grain = chart_grain(filters, series=7)
    where, params = filters.where("date", "village_code")
    frame = con.execute(
        f"""SELECT date_trunc('{grain}', date)::DATE AS "{grain}", isodow(date) - 1 AS weekday, count(*) AS visits
            FROM clinic_visits WHERE {where} GROUP BY ALL ORDER BY 1, weekday""",
        params,
    ).df()
    frame["weekday_name"] = frame["weekday"].map(dict(enumerate(weekday_names())))  # in the reader's language
    return frame


@reads("clinic_visits", settings=("mobile_clinic_days_per_week",))
def mobile_clinic_days(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per week (Monday start): distinct days the mobile clinic saw patients, the target, and whether it fell short.

    Every week of the period is listed, including weeks with no mobile clinic at all. A week cut by the
    period's start or end is `full_week = False` and never marked short: its missing days were outside
    the period, not missed.
    """
    target = setting(con, "mobile_clinic_days_per_week")
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""WITH weeks AS (
                SELECT unnest(generate_series(date_trunc('week', ?::DATE), ?::DATE, INTERVAL 7 DAY))::DATE AS week),
            days AS (
                SELECT date_trunc('week', date)::DATE AS week, count(DISTINCT date) AS mobile_days
                FROM clinic_visits WHERE site = 'mobile_clinic' AND {where} GROUP BY ALL)
            SELECT w.week, coalesce(d.mobile_days, 0) AS mobile_days, ?::BIGINT AS target,
                   (w.week >= ?::DATE AND w.week + 6 <= ?::DATE) AS full_week,
                   (coalesce(d.mobile_days, 0) < ? AND w.week >= ?::DATE AND w.week + 6 <= ?::DATE) AS short
            FROM weeks w LEFT JOIN days d USING (week) ORDER BY w.week""",
        [filters.start, filters.end, *params, target, filters.start, filters.end, target, filters.start, filters.end],
    ).df()


# -- case mix ------------------------------------------------------------------------------------


def age_bands(bands: list[tuple[int, int | None]]) -> list[tuple[str, int, int | None]]:
    """The age_bands setting, typed ([(0, 5), ..., (18, None)]), with labels: [('0–5', 0, 5), ..., ('18+', 18, None)]."""
    return [(f"{low}+" if high is None else f"{low}–{high}", low, high) for low, high in bands]


@reads("clinic_visits", counts=("visits",))
def visits_by_care_and_sex(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """care, sex, visits for the period."""
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"SELECT care, sex, count(*) AS visits FROM clinic_visits WHERE {where} GROUP BY ALL ORDER BY care, sex", params
    ).df()


@reads("clinic_visits", counts=("visits",), settings=("age_bands",))
def visits_by_age_band(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """age_band (from the age_bands setting, in order), band_order, sex, visits. Ages in no band: 'other'."""
    bands = age_bands(setting(con, "age_bands"))
    cases = " ".join(
        f"WHEN age_years >= {low}" + ("" if high is None else f" AND age_years <= {high}") + f" THEN {i}"
        for i, (_label, low, high) in enumerate(bands)
    )
    where, params = filters.where("date", "village_code")
    frame = con.execute(
        f"""SELECT CASE {cases} ELSE {len(bands)} END AS band_order, sex, count(*) AS visits
            FROM clinic_visits WHERE {where} GROUP BY ALL ORDER BY band_order, sex""",
        params,
    ).df()
    labels = [label for label, _low, _high in bands] + ["other"]
    frame.insert(0, "age_band", frame["band_order"].map(dict(enumerate(labels))))
    return frame


@reads("clinic_visits", counts=("visits",))
def top_conditions(con: duckdb.DuckDBPyConnection, filters: Filters, top: int = 8) -> pd.DataFrame:
    """The period's `top` conditions by month (or coarser): month, condition, visits; the rest are 'other'."""
    grain = chart_grain(filters, series=top + 2, finest="month")
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""WITH named AS (
                SELECT date, coalesce(nullif(trim(lower(condition)), ''), 'not recorded') AS condition
                FROM clinic_visits WHERE {where}),
            ranked AS (
                SELECT condition FROM named WHERE condition <> 'not recorded'
                GROUP BY condition ORDER BY count(*) DESC, condition LIMIT {int(top)})
            SELECT date_trunc('{grain}', date)::DATE AS "{grain}",
                   CASE WHEN condition IN (SELECT condition FROM ranked) OR condition = 'not recorded' THEN condition ELSE 'other' END AS condition,
                   count(*) AS visits
            FROM named GROUP BY ALL ORDER BY 1, visits DESC""",
        params,
    ).df()


@reads("clinic_visits", counts=("visits", "new_patients", "referrals"), totals=(parts("visits", "new_patients"), parts("visits", "referrals")))
def new_patients_and_referrals(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """month (or coarser), visits, new_patients, referrals (visits with `referred_to` filled in)."""
    grain = chart_grain(filters, series=3, finest="month")
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""SELECT date_trunc('{grain}', date)::DATE AS "{grain}", count(*) AS visits,
                   count(*) FILTER (new_patient) AS new_patients,
                   count(*) FILTER (coalesce(trim(referred_to), '') <> '') AS referrals
            FROM clinic_visits WHERE {where} GROUP BY ALL ORDER BY 1""",
        params,
    ).df()


@reads("clinic_visits", counts=("referrals",))
def referrals_by_hospital(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """referred_to, referrals, in the period (most first)."""
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""SELECT trim(referred_to) AS referred_to, count(*) AS referrals FROM clinic_visits
            WHERE coalesce(trim(referred_to), '') <> '' AND {where} GROUP BY ALL ORDER BY referrals DESC, referred_to
            LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()


@reads("ambulance_trips", counts=("trips",))
def ambulance_trips(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """month (or coarser), purpose, trips."""
    return counts_by_period(con, "ambulance_trips", "purpose", "trips", filters, chart_grain(filters, series=3, finest="month"))


@reads("clinic_visits", counts=("donors",), settings=("riel_per_usd",))
def donations(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """month (or coarser), site, donors (visits that gave something), donation_riel, donation_usd."""
    grain = chart_grain(filters, series=2, finest="month")
    where, params = filters.where("date", "village_code")
    frame = con.execute(
        f"""SELECT date_trunc('{grain}', date)::DATE AS "{grain}", site,
                   count(*) FILTER (donation_riel > 0) AS donors, coalesce(sum(donation_riel), 0) AS donation_riel
            FROM clinic_visits WHERE {where} GROUP BY ALL ORDER BY 1, site""",
        params,
    ).df()
    frame["donation_usd"] = (frame["donation_riel"] / setting(con, "riel_per_usd")).round(2)
    return frame


# Every chart-data function above: the page draws them, the scale test bounds their rows.
CHART_DATA = [visits_by_site, visits_heatmap, mobile_clinic_days, visits_by_care_and_sex, visits_by_age_band,
              top_conditions, new_patients_and_referrals, referrals_by_hospital, ambulance_trips, donations]


@reads("clinic_visits", "villages", counts=("visits", "patients", "new_patients"), totals=(parts("visits", "new_patients"),))
def visits_by_village(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per patient's village: village, commune, visits, patients (distinct codes), new_patients - the period's
    visits, most first. Village-level counts: viewers see small ones as "<5" (ui.widgets.small_counts_hidden)."""
    where, params = filters.where("c.date", "c.village_code")
    return con.execute(
        f"""SELECT c.village_code, coalesce(v.village, c.village_code) AS village, v.commune, count(*) AS visits,
                   count(DISTINCT c.patient_code) AS patients, count(*) FILTER (c.new_patient) AS new_patients
            FROM clinic_visits c LEFT JOIN villages v USING (village_code)
            WHERE {where} GROUP BY ALL ORDER BY visits DESC, village""",
        params,
    ).df()
