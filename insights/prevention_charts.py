"""Altair charts of the prevention dashboard. Each takes the small frame an insights.prevention function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

STATUS_COLOURS = alt.Scale(domain=["reached", "target not reached yet", "not a target"], range=["#2a9d8f", "#e76f51", "#bbbbbb"])


def activities_by_month(frame: pd.DataFrame) -> alt.Chart:
    grain = frame.columns[0]  # "month", or coarser for a long period
    return alt.Chart(frame).mark_bar().encode(
        alt.X(f"{grain}:T", title=grain.title()), alt.Y("activities:Q", title="Activities", stack="zero"),
        alt.Color("kind:N", title="Kind"),
        tooltip=[alt.Tooltip(f"{grain}:T", title=grain.title()), "kind:N", "activities:Q", "women:Q", "men:Q", "children:Q", "authorities:Q"],
    ).properties(height=260)


def activities_by_topic(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        alt.Y("topic:N", title=None, sort="-x"), alt.X("activities:Q", title="Activities", stack="zero"), alt.Color("kind:N", title="Kind"),
        tooltip=["topic:N", "kind:N", "activities:Q"],
    ).properties(height=alt.Step(16))


def participants(totals: dict) -> alt.Chart:
    data = pd.DataFrame({"who": ["Women", "Men", "Children"], "people": [totals["women"], totals["men"], totals["children"]]})
    return alt.Chart(data).mark_bar().encode(
        alt.Y("who:N", title=None, sort=None), alt.X("people:Q", title="Participants"), tooltip=["who:N", "people:Q"]
    ).properties(height=110)


def village_map(frame: pd.DataFrame) -> alt.Chart:
    """Villages as points on latitude/longitude (no base map: the app works offline)."""
    located = frame.dropna(subset=["latitude", "longitude"])
    activities = "activities:Q" if pd.api.types.is_numeric_dtype(located["activities"]) else "activities:N"  # "<5" for viewers
    return alt.Chart(located).mark_circle(size=60, opacity=0.85).encode(
        alt.Longitude("longitude:Q"), alt.Latitude("latitude:Q"), alt.Color("status:N", title="Village", scale=STATUS_COLOURS),
        tooltip=["village:N", "commune:N", "district:N", "province:N", "status:N", activities],
    ).project("mercator").properties(height=380)


def commune_plans(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(id_vars=["year", "communes"], value_vars=["tip_in_development_plan", "tip_in_investment_plan"],
                      var_name="plan", value_name="with_tip")
    long["plan"] = long["plan"].map({"tip_in_development_plan": "Development plan", "tip_in_investment_plan": "Investment plan"})
    return alt.Chart(long).mark_bar().encode(
        alt.X("year:O", title="Plan year"), alt.XOffset("plan:N"), alt.Y("with_tip:Q", title="Communes with TIP prevention"),
        alt.Color("plan:N", title=None), tooltip=["year:O", "plan:N", "with_tip:Q", "communes:Q"],
    ).properties(height=240)


def migration_share(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_line(point=True).encode(
        alt.X("quarter:T", title="Quarter"), alt.Y("share_took_children:Q", title="Migrating households that took their children", axis=alt.Axis(format="%")),
        alt.Color("parent_group:N", title="Village at the time of the check"),
        tooltip=[alt.Tooltip("quarter:T", format="%Y Q%q"), "parent_group:N", "migrating:Q", "took_children:Q",
                 alt.Tooltip("share_took_children:Q", format=".0%")],
    ).properties(height=260)
