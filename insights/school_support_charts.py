"""Altair charts of the school-support dashboard. Each takes the small frame an insights.school_support function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, STEP, category_axis, hidden_counts, melt_counts, or_empty
from schemas.i18n import N_
from schemas.i18n import gettext as _

_STAGES = {"children": N_("Supported"), "enrolled": N_("Enrolled"), "in_school": N_("Still in school at year end")}


@or_empty("school support")
def children_by_year(frame: pd.DataFrame) -> alt.Chart:
    """Per year: children supported, enrolled, and still in school at the year's end, side by side."""
    long = melt_counts(frame, "year", list(_STAGES), "stage", "count")
    stages = [_(s) for s in _STAGES.values()]
    long["stage"] = long["stage"].map(lambda s: _(_STAGES[s]))
    offset = alt.XOffset("stage:N", sort=stages)
    bars = alt.Chart(long).mark_bar().encode(
        alt.X("year:O", title=_("Year"), axis=category_axis(labelAngle=0)), offset,
        alt.Y("count:Q", title=_("Children")), alt.Color("stage:N", title=None, sort=stages, legend=LEGEND),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("stage:N", title=_("Stage")), alt.Tooltip("count:Q", title=_("Children"))],
    )
    chart = hidden_counts(bars, long, "count", "year", stacked=False)
    if isinstance(chart, alt.LayerChart):  # each mark over its own bar of the group
        chart.layer = [chart.layer[0], *(layer.encode(offset) for layer in chart.layer[1:])]
    return chart.properties(height=240)


@or_empty("school support")
def share_in_school_by_village(frame: pd.DataFrame) -> alt.Chart:
    """Share of enrolled children still in school at the year's end, one bar per village (and year)."""
    # Two communes may have villages of the same name: each bar is a village of a commune, never a stack of two.
    data = frame.assign(place=frame["village"].astype(str) + ", " + frame["commune"].astype(str))
    return alt.Chart(data).mark_bar().encode(
        alt.Y("place:N", title=None, sort="x", axis=category_axis()),
        alt.X("share_in_school:Q", title=_("Still in school"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), stack=None),
        alt.Color("year:O", title=_("Year"), legend=LEGEND), alt.YOffset("year:O"),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("village:N", title=_("Village")),
                 alt.Tooltip("commune:N", title=_("Commune")), alt.Tooltip("share_in_school:Q", title=_("Still in school"), format=".0%")],
    ).properties(height=alt.Step(STEP))


@or_empty("school materials")
def materials(frame: pd.DataFrame) -> alt.Chart:
    order = frame.sort_values("times", ascending=False)["item"].tolist()
    bars = alt.Chart(frame).mark_bar().encode(
        alt.Y("item:N", title=None, sort=order, axis=category_axis()), alt.X("children:Q", title=_("Children given it")),
        tooltip=[alt.Tooltip("item:N", title=_("Item")), alt.Tooltip("children:Q", title=_("Children")), alt.Tooltip("times:Q", title=_("Times"))],
    )
    return hidden_counts(bars, frame, "children", "item", horizontal=True).properties(height=alt.Step(STEP))
