"""Prevention of trafficking: activities, coverage of villages, commune plans, parent groups, migration."""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import MAX_CHART_ROWS, Filters, chart_grain, reads
from insights.small_counts import parts
from schemas.prevention import ACTIVITY_KINDS

TABS = ["activities", "villages", "commune_plans", "parent_groups", "migration_checks", "households"]
PEOPLE = ("activities", "women", "men", "children", "authorities")  # the counts of the activity tables

@reads("activities", "villages", counts=("activities",))
def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Villages, communes, districts and provinces reached by activities in the period (the report's measure)."""
    where, params = filters.where("a.date", "a.village_code")
    row = con.execute(
        f"""SELECT count(DISTINCT a.village_code), count(DISTINCT v.commune_code), count(DISTINCT v.district_code),
                   count(DISTINCT v.province_code), list(DISTINCT v.province ORDER BY v.province) FILTER (v.province IS NOT NULL),
                   count(*)
            FROM activities a JOIN villages v USING (village_code) WHERE {where}""",
        params,
    ).fetchone()
    return {"villages": row[0], "communes": row[1], "districts": row[2], "provinces": row[3], "province_names": row[4] or [], "activities": row[5]}


# The prevention tabs: a page reading them shows their open errors.

# Authorities "trained": their attendances at the quarterly meetings and refresher trainings held for them
# (people are not tracked one by one, so one official at four meetings counts four times).
AUTHORITY_KINDS = ("authority_meeting", "refresher_training")


@reads("activities", counts=PEOPLE)
def activities_by_month(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """month (or coarser, for long periods), kind, activities, women, men, children, authorities."""

    grain = chart_grain(filters, series=len(ACTIVITY_KINDS), finest="month")
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""SELECT date_trunc('{grain}', date)::DATE AS "{grain}", kind, count(*) AS activities,
                   sum(female) AS women, sum(male) AS men, sum(children) AS children, sum(authorities) AS authorities
            FROM activities WHERE {where} GROUP BY ALL ORDER BY 1, kind""",
        params,
    ).df()


@reads("activities", counts=PEOPLE)
def activities_by_topic(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """kind, topic, activities, women, men, children, authorities in the period (most activities first)."""
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""SELECT kind, topic, count(*) AS activities, sum(female) AS women, sum(male) AS men,
                   sum(children) AS children, sum(authorities) AS authorities
            FROM activities WHERE {where} GROUP BY ALL ORDER BY activities DESC, kind, topic LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()


@reads("activities", counts=("activities", "women", "men", "children", "authorities_trained"))
def participants(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Totals for the period: activities, women, men, children, and authorities trained (see AUTHORITY_KINDS)."""
    where, params = filters.where("date", "village_code")
    row = con.execute(
        f"""SELECT count(*), coalesce(sum(female), 0), coalesce(sum(male), 0), coalesce(sum(children), 0),
                   coalesce(sum(authorities) FILTER (kind IN {AUTHORITY_KINDS}), 0)
            FROM activities WHERE {where}""",
        params,
    ).fetchone()
    return dict(zip(["activities", "women", "men", "children", "authorities_trained"], row, strict=False))


@reads("activities", "villages", counts=("activities",))
def villages_reached(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every village of the place: where it is, whether it is a target, activities in the period, reached or not.

    `status` is 'reached', 'target not reached yet' or 'not a target' (for the map's colours).
    """
    where, params = filters.where("a.date", None)
    place, place_params = filters.where(None, "v.village_code")
    return con.execute(
        f"""SELECT v.village_code, v.village, v.commune, v.district, v.province, v.latitude, v.longitude,
                   coalesce(v.target_village, FALSE) AS target_village, count(a.activity_id) AS activities,
                   count(a.activity_id) > 0 AS reached,
                   CASE WHEN count(a.activity_id) > 0 THEN 'reached'
                        WHEN coalesce(v.target_village, FALSE) THEN 'target not reached yet' ELSE 'not a target' END AS status
            FROM villages v LEFT JOIN activities a ON a.village_code = v.village_code AND {where}
            WHERE {place}
            GROUP BY v.village_code, v.village, v.commune, v.district, v.province, v.latitude, v.longitude, v.target_village
            ORDER BY v.province, v.district, v.commune, v.village
            LIMIT {MAX_CHART_ROWS}""",
        [*params, *place_params],
    ).df()


@reads("commune_plans")
def commune_plans_by_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """year, communes, with TIP in the development plan, with TIP in the investment plan.

    Every plan year up to the period's end, so the page shows the trend that led to it.
    """
    place, params = filters.where(None, "commune_code")
    return con.execute(
        f"""SELECT year, count(*) AS communes,
                   count(*) FILTER (tip_in_development_plan) AS tip_in_development_plan,
                   count(*) FILTER (tip_in_investment_plan) AS tip_in_investment_plan
            FROM commune_plans WHERE year <= ? AND {place} GROUP BY year ORDER BY year""",
        [filters.end.year, *params],
    ).df()


@reads("parent_groups", "villages", counts=("parents", "teachers", "members"))
def parent_groups(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The parent groups founded by the period's end: group, village, commune, founded_on, parents, teachers, chief."""
    place, params = filters.where(None, "p.village_code")
    return con.execute(
        f"""SELECT p.group_id, v.village, v.commune, p.founded_on, p.parents, p.teachers,
                   p.village_chief_member, p.parents + p.teachers + p.village_chief_member::INT AS members
            FROM parent_groups p LEFT JOIN villages v USING (village_code)
            WHERE p.founded_on <= ? AND {place} ORDER BY p.founded_on, p.group_id""",
        [filters.end, *params],
    ).df()


@reads("parent_groups", counts=("parents", "teachers", "village_chiefs", "members"),
       totals=(parts("members", "parents", "teachers", "village_chiefs", complete=True),))
def parent_group_totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """groups, parents, teachers, village_chiefs and members of the parent groups founded by the period's end."""
    place, params = filters.where(None, "village_code")
    row = con.execute(
        f"""SELECT count(*), coalesce(sum(parents), 0), coalesce(sum(teachers), 0),
                   count(*) FILTER (village_chief_member)
            FROM parent_groups WHERE founded_on <= ? AND {place}""",
        [filters.end, *params],
    ).fetchone()
    totals = dict(zip(["groups", "parents", "teachers", "village_chiefs"], row, strict=False))
    totals["members"] = totals["parents"] + totals["teachers"] + totals["village_chiefs"]
    return totals


@reads("migration_checks", "households", "parent_groups", counts=("checks", "migrating", "took_children"), shares={"share_took_children": ("took_children", "migrating")},
       totals=(parts("checks", "migrating"), parts("migrating", "took_children")))
def migration_by_quarter(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per quarter, split by whether the household's village had a parent group on the day of the check:
    quarter, parent_group ('with parent group' / 'without parent group'), checks, migrating, took_children,
    share_took_children (of the migrating households).
    """
    where, params = filters.where("m.date", "h.village_code")
    return con.execute(
        f"""SELECT date_trunc('quarter', m.date)::DATE AS quarter,
                   CASE WHEN EXISTS (SELECT 1 FROM parent_groups p WHERE p.village_code = h.village_code AND p.founded_on <= m.date)
                        THEN 'with parent group' ELSE 'without parent group' END AS parent_group,
                   count(*) AS checks, count(*) FILTER (m.migrating) AS migrating,
                   count(*) FILTER (m.migrating AND m.took_children) AS took_children,
                   round(count(*) FILTER (m.migrating AND m.took_children) / nullif(count(*) FILTER (m.migrating), 0), 4)
                       AS share_took_children
            FROM migration_checks m JOIN households h USING (household_id)
            WHERE {where} GROUP BY ALL ORDER BY quarter, parent_group
            LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()


@reads("villages", "activities")
def target_villages(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Target villages of the place: how many, how many reached in the period, how many not reached yet."""
    where, params = filters.where("a.date", None)
    place, place_params = filters.where(None, "v.village_code")
    row = con.execute(
        f"""SELECT count(*), count(*) FILTER (EXISTS (SELECT 1 FROM activities a WHERE a.village_code = v.village_code AND {where}))
            FROM villages v WHERE v.target_village AND {place}""",
        [*params, *place_params],
    ).fetchone()
    return {"targets": row[0], "reached": row[1], "not_reached": row[0] - row[1]}
