"""Savings groups in the Overview and the year's results: its part (the figures and their sentences, in the programme
report's words), and its month-by-month chart.
Registered with insights.parts, which the Overview, `cli.py report` and the donor pack read."""
from __future__ import annotations

import datetime as dt

import altair as alt
import duckdb
import pandas as pd

from insights import savings
from insights.chart_parts import month_end_x, with_labels
from insights.common import YEAR_MONTHS, Filters, reads
from insights.parts import ChartPart, ReportPart, register_chart, register_report, uses
from insights.savings import CAPITAL_SIGN
from schemas.i18n import N_, _, day, ngettext, number, place_names


@uses(savings.capital_on, savings.groups_summary)
@reads(*savings.TABS, counts=savings.groups_summary.counts, totals=savings.groups_summary.totals)
def savings_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    year_end = dt.date(year, 12, 31)
    return {"capital": savings.capital_on(con, year_end, place), "groups": savings.groups_summary(con, place, year_end)}


def savings_sentences(year: int, s: dict) -> list[str]:
    cap = s["capital"]
    savings_lines = [
        _("Capital of the saving groups and agricultural cooperative on {day}: {riel} riel "
          "(${usd} at {rate} riel per dollar).").format(day=day(dt.date(year, 12, 31)), riel=number(cap["riel"]),
                                                         usd=number(cap["usd"], 2), rate=number(cap["riel_per_usd"]))
    ]
    for g in sorted(s["groups"], key=lambda g: g["kind"] != "saving_group"):
        figures = {"members": number(g["members"] or 0), "women": number(g["women"] or 0)}
        if g["kind"] == "saving_group":
            savings_lines.append(_("{groups} with {members} members, {women} of them women.").format(
                groups=ngettext("{n} saving group", "{n} saving groups", g["groups"]).format(n=number(g["groups"])), **figures))
            continue
        groups = ngettext("{n} agricultural cooperative", "{n} agricultural cooperatives", g["groups"]).format(n=number(g["groups"]))
        if g["communes"]:
            template = ngettext("{groups} in {communes} commune with {members} members, {women} of them women.",
                                "{groups} in {communes} communes with {members} members, {women} of them women.", len(g["communes"]))
            savings_lines.append(template.format(groups=groups, communes=place_names(g["communes"]), **figures))
        else:
            savings_lines.append(_("{groups} with {members} members, {women} of them women.").format(groups=groups, **figures))
    return savings_lines


@reads(*savings.TABS)
def savings_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    groups_where, groups_params = period.where(None, "g.village_code")
    return con.execute(
        f"""SELECT m.month, coalesce(sum({CAPITAL_SIGN}), 0) AS capital_riel
            FROM {YEAR_MONTHS} m LEFT JOIN (
                SELECT l.date, l.kind, l.amount_riel FROM savings_ledger l JOIN savings_groups g USING (group_id) WHERE {groups_where}
            ) l ON l.date < m.month + INTERVAL 1 MONTH
            GROUP BY ALL ORDER BY 1""",
        [period.start.year, period.start.year, *groups_params],
    ).df()


def savings_chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(with_labels(frame, None)).mark_line(point=True).encode(
        month_end_x(), alt.Y("capital_riel:Q", title=_("Capital (riel)")),
        tooltip=[alt.Tooltip("month:T", title=_("Month end"), format="%B %Y"), alt.Tooltip("capital_riel:Q", title=_("Capital (riel)"), format=",.0f")])


# What each figure of the part is, in words (the donor pack's tables).
FIGURE_LABELS = {
    "capital": N_("Capital"), "riel": N_("Riel"), "usd": N_("US dollars"), "riel_per_usd": N_("Riel per US dollar"),
    "groups": N_("Groups"), "kind": N_("Kind"), "members": N_("Members"), "women": N_("Women"),
    "communes": N_("Communes"),
}

register_report(ReportPart("savings", N_("Savings groups"), 30, savings_part, savings_sentences, FIGURE_LABELS))
register_chart(ChartPart("Savings groups", 30, savings_months, savings_chart, "savings groups"))
