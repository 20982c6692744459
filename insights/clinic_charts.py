"""Altair charts of the clinic dashboard. Each takes the small frame an insights.clinic function returned.

Time series frames name their first column after their grain ("week", "month", ...): the axis follows it.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.clinic import WEEKDAYS


def _time(frame: pd.DataFrame) -> tuple[alt.X, alt.Tooltip]:
    """The x axis and tooltip for the frame's time column (its first), titled by its grain."""
    grain = frame.columns[0]
    return alt.X(f"{grain}:T", title=grain.title()), alt.Tooltip(f"{grain}:T", title=grain.title())


def workload_by_site(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(frame).mark_bar().encode(
        x, alt.Y("visits:Q", title="Visits", stack="zero"), alt.Color("site:N", title="Site"), tooltip=[when, "site:N", "visits:Q"],
    ).properties(height=260)


def weekday_heatmap(frame: pd.DataFrame) -> alt.Chart:
    grain = frame.columns[0]
    # An ordinal axis gives each week (or month) one full-width cell; the label says which.
    data = frame.assign(label=frame[grain].dt.strftime("%d %b %Y" if grain in ("day", "week") else "%b %Y"))
    return alt.Chart(data).mark_rect().encode(
        alt.X("label:O", title=grain.title(), sort=data["label"].drop_duplicates().tolist(), axis=alt.Axis(labelOverlap=True)),
        alt.Y("weekday_name:O", title=None, sort=WEEKDAYS),
        alt.Color("visits:Q", title="Visits", scale=alt.Scale(scheme="greens")),
        tooltip=[alt.Tooltip("label:N", title=grain.title()), alt.Tooltip("weekday_name:N", title="Day"), "visits:Q"],
    ).properties(height=200)


def mobile_days_against_target(frame: pd.DataFrame) -> alt.LayerChart:
    data = frame.assign(week_status=frame["short"].map({True: "short", False: "on target"}).where(frame["full_week"], "part of the week outside the period"))
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("week:T", title="Week (Monday)"), alt.Y("mobile_days:Q", title="Mobile-clinic days"),
        alt.Color("week_status:N", title="Week", scale=alt.Scale(domain=["on target", "short", "part of the week outside the period"],
                                                                  range=["#4c9a2a", "#d1495b", "#bbbbbb"])),
        tooltip=[alt.Tooltip("week:T", title="Week of"), "mobile_days:Q", "target:Q", "week_status:N"],
    )
    target = alt.Chart(data).mark_rule(strokeDash=[4, 3], color="black").encode(alt.Y("mean(target):Q"))
    return (bars + target).properties(height=220)


def care_and_sex(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        alt.Y("care:N", title="Care"), alt.X("visits:Q", title="Visits", stack="zero"), alt.Color("sex:N", title="Sex"),
        tooltip=["care:N", "sex:N", "visits:Q"],
    ).properties(height=160)


def age_bands(frame: pd.DataFrame) -> alt.Chart:
    order = frame.sort_values("band_order")["age_band"].drop_duplicates().tolist()
    return alt.Chart(frame).mark_bar().encode(
        alt.X("age_band:N", title="Age band", sort=order), alt.Y("visits:Q", title="Visits", stack="zero"), alt.Color("sex:N", title="Sex"),
        tooltip=["age_band:N", "sex:N", "visits:Q"],
    ).properties(height=220)


def conditions_by_month(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(frame).mark_bar().encode(
        x, alt.Y("visits:Q", title="Visits", stack="zero"), alt.Color("condition:N", title="Condition"),
        tooltip=[when, "condition:N", "visits:Q"],
    ).properties(height=260)


def new_patients_and_referrals(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(id_vars=frame.columns[0], value_vars=["new_patients", "referrals"], var_name="measure", value_name="patients")
    long["measure"] = long["measure"].map({"new_patients": "New patients", "referrals": "Referrals"})
    x, when = _time(long)
    return alt.Chart(long).mark_line(point=True).encode(
        x, alt.Y("patients:Q", title="Patients"), alt.Color("measure:N", title=None), tooltip=[when, "measure:N", "patients:Q"],
    ).properties(height=220)


def ambulance_trips(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(frame).mark_bar().encode(
        x, alt.Y("trips:Q", title="Trips", stack="zero"), alt.Color("purpose:N", title="Purpose"), tooltip=[when, "purpose:N", "trips:Q"],
    ).properties(height=220)


def donations(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(frame).mark_bar().encode(
        x, alt.Y("donation_riel:Q", title="Donations (riel)", stack="zero"), alt.Color("site:N", title="Site"),
        tooltip=[when, "site:N", alt.Tooltip("donation_riel:Q", format=",.0f"),
                 alt.Tooltip("donation_usd:Q", format="$,.2f"), "donors:Q"],
    ).properties(height=220)
