"""Health education in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words).
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import duckdb

from insights import health_education
from insights.common import Filters, reads
from insights.parts import ReportPart, register_report, uses
from schemas.i18n import N_, _, ngettext, number


@uses(health_education.totals)
@reads(*health_education.TABS, counts=health_education.totals.counts, totals=health_education.totals.totals)
def health_education_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return health_education.totals(con, Filters.year(year, place))


def health_education_sentences(year: int, h: dict) -> list[str]:
    if not h["sessions"]:
        return [_("No health education session recorded in {year}.").format(year=year)]
    return [_("Health education: {sessions} in {villages} ({with_health_department} with the Kampot Health Department) for "
              "{villagers} villagers, {village_chiefs} village chiefs and {community_leaders} community leaders "
              "({women} women, {men} men).").format(
        sessions=ngettext("{n} session", "{n} sessions", h["sessions"]).format(n=number(h["sessions"])),
        villages=ngettext("{n} village", "{n} villages", h["villages"]).format(n=number(h["villages"])),
        **{key: number(h[key]) for key in ("with_health_department", "villagers", "village_chiefs", "community_leaders", "women", "men")})]


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "sessions": N_("Sessions"), "villages": N_("Villages reached"), "villagers": N_("Villagers"),
    "village_chiefs": N_("Village chiefs"), "community_leaders": N_("Community leaders"),
    "participants": N_("Participants"), "women": N_("Women"), "men": N_("Men"),
    "with_health_department": N_("With the Health Department"),
}

register_report(ReportPart("health_education", N_("Health education"), 25, health_education_part, health_education_sentences, FIGURE_LABELS))
