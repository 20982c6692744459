"""Household hygiene: toilets, clean water and hand-washing places, from each household's latest survey.

A household's state on a day is what its latest survey on or before that day found; households never
surveyed by then are not counted. A year's figure is the state on the year's last day (or the period's end).
"""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import Filters, one_row, per_year_and_village, reads
from insights.small_counts import parts
from schemas.i18n import N_, _
from schemas.wash import CLEAN_WATER_SOURCES

TABS = ["wash_surveys", "households", "villages"]

# Each a part of the households surveyed (or of those with a toilet): shown beside them, none may give
# back a small count of households without by subtraction.
PARTS = (parts("households", "with_toilet"), parts("households", "clean_water"), parts("households", "handwashing"),
         parts("with_toilet", "own_toilet"))

# Each share is worked out from its count and the households: hidden when one of those is.
SHARES = {"share_toilet": ("with_toilet", "households"), "share_clean_water": ("clean_water", "households"),
          "share_handwashing": ("handwashing", "households")}

_CLEAN = "(" + ", ".join(f"'{s}'" for s in CLEAN_WATER_SOURCES) + ")"

DEFINITIONS = {
    "latest": N_("Each household counts once, as its latest survey on or before the day found it (31 Dec, or the period's end)."),
    "toilet": N_("With a toilet = the household's own toilet or one shared with neighbours."),
    "clean_water": N_("Clean water = {clean_water_sources} (an unprotected well, a pond or a river is not)."),
    "handwashing": N_("Hand-washing = a place to wash hands with water and soap."),
}


def definitions() -> dict[str, str]:
    """DEFINITIONS in the current language."""
    return {key: _(line).format(clean_water_sources=", ".join(s.replace("_", " ") for s in CLEAN_WATER_SOURCES)) for key, line in DEFINITIONS.items()}

_MEASURES = f"""count(*) AS households,
    count(*) FILTER (toilet IN ('own', 'shared')) AS with_toilet, count(*) FILTER (toilet = 'own') AS own_toilet,
    count(*) FILTER (water_source IN {_CLEAN}) AS clean_water, count(*) FILTER (handwashing) AS handwashing,
    round(count(*) FILTER (toilet IN ('own', 'shared')) / nullif(count(*), 0), 4) AS share_toilet,
    round(count(*) FILTER (water_source IN {_CLEAN}) / nullif(count(*), 0), 4) AS share_clean_water,
    round(count(*) FILTER (handwashing) / nullif(count(*), 0), 4) AS share_handwashing"""


def _latest(filters: Filters) -> tuple[str, list]:
    """Each household's latest survey on or before each year end of the period (the period's end for its last year)."""
    place, params = filters.where(None, "h.village_code")
    sql = f"""
        WITH ends AS (
            SELECT least(make_date(y, 12, 31), ?::DATE) AS as_of, y AS year
            FROM (SELECT unnest(range(year(?::DATE), year(?::DATE) + 1)) AS y))
        SELECT e.year, e.as_of, w.household_id, h.village_code, w.toilet, w.water_source, w.handwashing
        FROM ends e JOIN wash_surveys w ON w.date <= e.as_of JOIN households h USING (household_id)
        WHERE {place}
        QUALIFY row_number() OVER (PARTITION BY e.year, w.household_id ORDER BY w.date DESC, w._row DESC) = 1"""
    return sql, [filters.end, filters.start, filters.end, *params]


@reads("wash_surveys", "households", counts=("households", "with_toilet", "own_toilet", "clean_water", "handwashing"),
       shares=SHARES, totals=PARTS)
def summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """At the period's end: households, with_toilet, own_toilet, clean_water, handwashing and their shares."""
    latest, params = _latest(filters)
    return one_row(con, f"SELECT {_MEASURES} FROM ({latest}) WHERE year = year(?::DATE)", [*params, filters.end])


@reads("wash_surveys", "households", counts=("households", "with_toilet", "own_toilet", "clean_water", "handwashing"),
       shares=SHARES, totals=PARTS)
def by_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The trend: year, as_of, households, with_toilet, ..., share_handwashing, for every year of the period."""
    latest, params = _latest(filters)
    return con.execute(f"SELECT year, as_of, {_MEASURES} FROM ({latest}) GROUP BY ALL ORDER BY year", params).df()


@reads("wash_surveys", "households", "villages", counts=("households", "with_toilet", "own_toilet", "clean_water", "handwashing"),
       shares=SHARES, totals=PARTS)
def by_year_and_village(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """year, village, commune, district, households, with_toilet, ..., share_handwashing."""
    latest, params = _latest(filters)
    return per_year_and_village(con, latest, params, _MEASURES)


@reads("wash_surveys", "households", counts=("households",))
def water_sources(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """At the period's end: water_source, clean (bool), households; most households first."""
    latest, params = _latest(filters)
    return con.execute(
        f"""SELECT water_source, water_source IN {_CLEAN} AS clean, count(*) AS households
            FROM ({latest}) WHERE year = year(?::DATE) GROUP BY ALL ORDER BY households DESC, water_source""",
        [*params, filters.end],
    ).df()
