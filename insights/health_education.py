"""Health education given by the clinic staff and the Kampot Health Department, shown beside the mobile clinic."""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import Filters, one_row, reads
from insights.small_counts import parts
from schemas.i18n import N_, _

# The tab behind the health-education section (the Clinic page adds it to its open-error count).
TABS = ["health_education"]

DEFINITIONS = {
    "participants": N_("Participants = villagers + village chiefs + community leaders (the same people as women + men)."),
}


# Participants are villagers + chiefs + leaders, and also women + men: with the total shown, one hidden
# group among them would come back by subtraction.
PARTS = (parts("participants", "villagers", "village_chiefs", "community_leaders", complete=True),
         parts("participants", "women", "men", complete=True), parts("sessions", "with_health_department"))


def definitions() -> dict[str, str]:
    """DEFINITIONS in the current language."""
    return {key: _(line) for key, line in DEFINITIONS.items()}


@reads("health_education", counts=("sessions", "villages", "villagers", "village_chiefs", "community_leaders", "participants", "women", "men", "with_health_department"),
       totals=PARTS)
def totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """sessions, villages, villagers, village_chiefs, community_leaders, participants, women, men, with_health_department."""
    where, params = filters.where("date", "village_code")
    return one_row(con,
        f"""SELECT count(*) AS sessions, count(DISTINCT village_code) AS villages,
                   coalesce(sum(villagers), 0)::BIGINT AS villagers, coalesce(sum(village_chiefs), 0)::BIGINT AS village_chiefs,
                   coalesce(sum(community_leaders), 0)::BIGINT AS community_leaders,
                   coalesce(sum(villagers + village_chiefs + community_leaders), 0)::BIGINT AS participants,
                   coalesce(sum(female), 0)::BIGINT AS women, coalesce(sum(male), 0)::BIGINT AS men,
                   count(*) FILTER (given_by IN ('health_department', 'both')) AS with_health_department
            FROM health_education WHERE {where}""",
        params)


@reads("health_education", "clinic_visits", counts=("sessions", "participants", "on_mobile_clinic_days"))
def by_month(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """month, given_by, sessions, participants, on_mobile_clinic_days (sessions held where and when the mobile clinic was)."""
    where, params = filters.where("e.date", "e.village_code")
    return con.execute(
        f"""SELECT date_trunc('month', e.date)::DATE AS month, e.given_by, count(*) AS sessions,
                   sum(e.villagers + e.village_chiefs + e.community_leaders)::BIGINT AS participants,
                   count(*) FILTER (EXISTS (SELECT 1 FROM clinic_visits c WHERE c.site = 'mobile_clinic'
                                            AND c.date = e.date AND c.village_code = e.village_code)) AS on_mobile_clinic_days
            FROM health_education e WHERE {where} GROUP BY ALL ORDER BY 1, 2""",
        params,
    ).df()

