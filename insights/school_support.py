"""School support: children given materials to enrol in state school, per school year and village.

A child is counted once per year (its child code), whatever the number of supports that year; the
village is the household's. Every figure is aggregated in SQL.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import MAX_CHART_ROWS, Filters, one_row, per_year_and_village, reads
from insights.small_counts import parts
from schemas.i18n import N_, _

# The tabs behind the school-support figures: a page reading them shows their open errors.
TABS = ["school_support", "households", "villages"]

DEFINITIONS = {
    "children": N_("Children supported = children (by child code) given materials in the period, each counted once a year."),
    "enrolled": N_("Enrolled = supported children with Enrolled = Yes that year."),
    "share_in_school": N_("Still in school = enrolled children still in school at the year's end ÷ enrolled children whose "
                       "year-end answer is filled in (a blank answer is not counted either way)."),
    "materials_per_child": N_("Materials per child = items given (each comma-separated item of 'Materials given') ÷ children supported."),
}

# Worked out from the counts: hidden with them (gateway) where a count is small.
SHARES = {"share_in_school": ("in_school", "answered"), "materials_per_child": ("items", "children")}
# Enrolled of the children supported, answered of the enrolled, in school of those answered: a small
# count of children not enrolled, or dropped out, must not come back by subtraction.
PARTS = (parts("children", "enrolled"), parts("enrolled", "answered"), parts("answered", "in_school"))

def definitions() -> dict[str, str]:
    """DEFINITIONS in the current language."""
    return {key: _(line) for key, line in DEFINITIONS.items()}

# One row per child and year: enrolled if any support that year says so; in school at the year's end
# if any answer says so, unknown (NULL) while no answer is filled in.
_CHILD_YEARS = """
    SELECT year(s.date) AS year, h.village_code, s.child_code, any_value(s.sex) AS sex,
           bool_or(s.enrolled) AS enrolled, bool_or(s.in_school_at_year_end) AS in_school,
           sum(len(list_filter(string_split(coalesce(s.materials, ''), ','), lambda m: trim(m) <> ''))) AS items
    FROM school_support s JOIN households h USING (household_id)
    WHERE {where} GROUP BY ALL"""

_MEASURES = """count(*) AS children, count(*) FILTER (enrolled) AS enrolled,
               count(*) FILTER (enrolled AND in_school) AS in_school,
               count(*) FILTER (enrolled AND in_school IS NOT NULL) AS answered,
               round(count(*) FILTER (enrolled AND in_school) / nullif(count(*) FILTER (enrolled AND in_school IS NOT NULL), 0), 4)
                   AS share_in_school,
               coalesce(sum(items), 0)::BIGINT AS items, round(sum(items) / nullif(count(*), 0), 2) AS materials_per_child"""


def _child_years(filters: Filters) -> tuple[str, list]:
    where, params = filters.where("s.date", "h.village_code")
    return _CHILD_YEARS.format(where=where), params


@reads("school_support", "households", counts=("children", "enrolled", "in_school", "answered", "items"),
       shares=SHARES, totals=PARTS)
def summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """children, enrolled, in_school, answered, share_in_school, items, materials_per_child (see DEFINITIONS)."""
    child_years, params = _child_years(filters)
    return one_row(con, f"SELECT {_MEASURES} FROM ({child_years})", params)


@reads("school_support", "households", counts=("children", "enrolled", "in_school", "answered", "items"),
       shares=SHARES, totals=PARTS)
def by_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """year, children, enrolled, in_school, answered, share_in_school, items, materials_per_child."""
    child_years, params = _child_years(filters)
    return con.execute(f"SELECT year, {_MEASURES} FROM ({child_years}) GROUP BY year ORDER BY year", params).df()


@reads("school_support", "households", "villages", counts=("children", "enrolled", "in_school", "answered", "items"),
       shares=SHARES, totals=PARTS)
def by_year_and_village(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """year, village, commune, district, children, enrolled, in_school, answered, share_in_school, items, materials_per_child."""
    child_years, params = _child_years(filters)
    return per_year_and_village(con, child_years, params, _MEASURES)


@reads("school_support", "households", counts=("children", "times"))
def materials(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """item, children (given it at least once in the period), times (it was given); most given first."""
    where, params = filters.where("s.date", "h.village_code")
    return con.execute(
        f"""SELECT lower(trim(item)) AS item, count(DISTINCT s.child_code) AS children, count(*) AS times
            FROM school_support s JOIN households h USING (household_id),
                 unnest(string_split(coalesce(s.materials, ''), ',')) AS t(item)
            WHERE {where} AND trim(item) <> '' GROUP BY ALL ORDER BY times DESC, item LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()
