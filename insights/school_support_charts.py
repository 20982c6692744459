"""Altair charts of the school-support dashboard. Each takes the small frame an insights.school_support function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

_STAGES = {"children": "Supported", "enrolled": "Enrolled", "in_school": "Still in school at year end"}


def children_by_year(frame: pd.DataFrame) -> alt.Chart:
    """Per year: children supported, enrolled, and still in school at the year's end, side by side."""
    long = frame.melt(id_vars="year", value_vars=list(_STAGES), var_name="stage", value_name="count")
    long["stage"] = long["stage"].map(_STAGES)
    return alt.Chart(long).mark_bar().encode(
        alt.X("year:O", title="Year"), alt.XOffset("stage:N", sort=list(_STAGES.values())),
        alt.Y("count:Q", title="Children"), alt.Color("stage:N", title=None, sort=list(_STAGES.values())),
        tooltip=["year:O", "stage:N", alt.Tooltip("count:Q", title="Children")],
    ).properties(height=240)


def share_in_school_by_village(frame: pd.DataFrame) -> alt.Chart:
    """Share of enrolled children still in school at the year's end, one bar per village (and year)."""
    # Two communes may have villages of the same name: each bar is a village of a commune, never a stack of two.
    data = frame.assign(place=frame["village"].astype(str) + ", " + frame["commune"].astype(str))
    return alt.Chart(data).mark_bar().encode(
        alt.Y("place:N", title=None, sort="x"), alt.X("share_in_school:Q", title="Still in school", axis=alt.Axis(format="%"),
                                                      scale=alt.Scale(domain=[0, 1]), stack=None),
        alt.Color("year:O", title="Year"), alt.YOffset("year:O"),
        tooltip=["year:O", "village:N", "commune:N", alt.Tooltip("share_in_school:Q", format=".0%")],
    ).properties(height=alt.Step(12))


def materials(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        alt.Y("item:N", title=None, sort="-x"), alt.X("children:Q", title="Children given it"),
        tooltip=["item:N", "children:Q", "times:Q"],
    ).properties(height=alt.Step(18))
