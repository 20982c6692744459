"""School support in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words).
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import duckdb

from insights import school_support
from insights.common import Filters, reads
from insights.parts import ReportPart, register_report, uses
from schemas.i18n import N_, _, ngettext, number, percent


@uses(school_support.summary)
@reads(*school_support.TABS, counts=school_support.summary.counts, shares=school_support.summary.shares, totals=school_support.summary.totals)
def school_support_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return school_support.summary(con, Filters.year(year, place))


def school_support_sentences(year: int, s: dict) -> list[str]:
    if not s["children"]:
        return [_("No school support recorded in {year}.").format(year=year)]
    figures = {"enrolled": ngettext("{n} child", "{n} children", s["enrolled"]).format(n=number(s["enrolled"])), "children": number(s["children"]),
               "materials": number(s["materials_per_child"], 1)}
    if s["share_in_school"] is None:
        return [_("{enrolled} enrolled in state school with CCPCR's material support "
                  "({children} supported, {materials} items of material per child).").format(**figures)]
    return [_("{enrolled} enrolled in state school with CCPCR's material support ({children} supported, {materials} items "
              "of material per child); {share} of them still in school at the end of {year}.").format(
        share=percent(s["share_in_school"]), year=year, **figures)]


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "children": N_("Children supported"), "enrolled": N_("Enrolled"), "in_school": N_("Still in school at year end"),
    "answered": N_("With a year-end answer"), "items": N_("Items of material"),
    "materials_per_child": N_("Items per child"), "share_in_school": N_("Share still in school"),
}

register_report(ReportPart("school_support", N_("School support"), 60, school_support_part, school_support_sentences, FIGURE_LABELS))
