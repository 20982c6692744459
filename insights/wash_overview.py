"""Household hygiene in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words).
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import datetime as dt

import duckdb

from insights import wash
from insights.common import Filters, reads
from insights.parts import ReportPart, register_report, uses
from schemas.i18n import N_, _, day, ngettext, number, percent


@uses(wash.summary)
@reads(*wash.TABS, counts=wash.summary.counts, shares=wash.summary.shares, totals=wash.summary.totals)
def wash_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return wash.summary(con, Filters.year(year, place))


def wash_sentences(year: int, w: dict) -> list[str]:
    if not w["households"]:
        return [_("No household hygiene survey recorded by the end of {year}.").format(year=year)]
    return [_("Of {households} surveyed by {day} (latest survey of each), {toilet} can access a toilet and {water} clean water; "
              "{handwashing} have a hand-washing place.").format(
        households=ngettext("{n} household", "{n} households", w["households"]).format(n=number(w["households"])), day=day(dt.date(year, 12, 31)),
        toilet=percent(w["share_toilet"]), water=percent(w["share_clean_water"]), handwashing=percent(w["share_handwashing"]))]


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "households": N_("Households surveyed"), "with_toilet": N_("With a toilet"),
    "own_toilet": N_("With their own toilet"), "clean_water": N_("With clean water"),
    "handwashing": N_("With a hand-washing place"), "share_toilet": N_("Share with a toilet"),
    "share_clean_water": N_("Share with clean water"), "share_handwashing": N_("Share with a hand-washing place"),
}

register_report(ReportPart("wash", N_("Household hygiene"), 70, wash_part, wash_sentences, FIGURE_LABELS))
