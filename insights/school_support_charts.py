"""Altair charts of the school-support dashboard. Each takes the small frame an insights.school_support function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, or_empty
from schemas.i18n import gettext as _

_STAGES = {"children": "Supported", "enrolled": "Enrolled", "in_school": "Still in school at year end"}


@or_empty("school support")
def children_by_year(frame: pd.DataFrame) -> alt.Chart:
    """Per year: children supported, enrolled, and still in school at the year's end, side by side."""
    long = frame.melt(id_vars="year", value_vars=list(_STAGES), var_name="stage", value_name="count")
    stages = [_(s) for s in _STAGES.values()]
    long["stage"] = long["stage"].map(lambda s: _(_STAGES[s]))
    return alt.Chart(long).mark_bar().encode(
        alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)), alt.XOffset("stage:N", sort=stages),
        alt.Y("count:Q", title=_("Children")), alt.Color("stage:N", title=None, sort=stages, legend=LEGEND),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("stage:N", title=_("Stage")), alt.Tooltip("count:Q", title=_("Children"))],
    ).properties(height=240)


@or_empty("school support")
def share_in_school_by_village(frame: pd.DataFrame) -> alt.Chart:
    """Share of enrolled children still in school at the year's end, one bar per village (and year)."""
    # Two communes may have villages of the same name: each bar is a village of a commune, never a stack of two.
    data = frame.assign(place=frame["village"].astype(str) + ", " + frame["commune"].astype(str))
    return alt.Chart(data).mark_bar().encode(
        alt.Y("place:N", title=None, sort="x", axis=alt.Axis(labelLimit=260)),
        alt.X("share_in_school:Q", title=_("Still in school"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), stack=None),
        alt.Color("year:O", title=_("Year"), legend=LEGEND), alt.YOffset("year:O"),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("village:N", title=_("Village")),
                 alt.Tooltip("commune:N", title=_("Commune")), alt.Tooltip("share_in_school:Q", title=_("Still in school"), format=".0%")],
    ).properties(height=alt.Step(12))


@or_empty("school materials")
def materials(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        alt.Y("item:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)), alt.X("children:Q", title=_("Children given it")),
        tooltip=[alt.Tooltip("item:N", title=_("Item")), alt.Tooltip("children:Q", title=_("Children")), alt.Tooltip("times:Q", title=_("Times"))],
    ).properties(height=alt.Step(18))
