"""Altair charts of the clinic dashboard. Each takes the small frame an insights.clinic function returned.

Time series frames name their first column after their grain ("week", "month", ...): the axis follows it.
Chart data carries labels (Health centre, Mobile check-up), never the codes the sheet holds.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, or_empty, with_labels
from insights.clinic import WEEKDAYS
from schemas.formats import format_date, format_month
from schemas.i18n import gettext as _

ON_TARGET, SHORT, CUT = "on target", "short of the target", "part of the week outside the period"
_WEEK_COLOURS = {ON_TARGET: "#4c9a2a", SHORT: "#d1495b", CUT: "#bbbbbb"}
_GRAINS = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}


def _time(frame: pd.DataFrame) -> tuple[alt.X, alt.Tooltip]:
    """The x axis and tooltip for the frame's time column (its first), titled by its grain."""
    grain = frame.columns[0]
    name = _(_GRAINS.get(grain, grain.title()))
    fmt = "%d %b %Y" if grain in ("day", "week") else "%b %Y"
    return alt.X(f"{grain}:T", title=name, axis=MONTH_AXIS), alt.Tooltip(f"{grain}:T", title=name, format=fmt)


@or_empty("clinic visits")
def workload_by_site(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        x, alt.Y("visits:Q", title=_("Visits"), stack="zero"), alt.Color("site:N", title=_("Site"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("site:N", title=_("Site")), alt.Tooltip("visits:Q", title=_("Visits"))],
    ).properties(height=260)


@or_empty("clinic visits")
def weekday_heatmap(frame: pd.DataFrame) -> alt.Chart:
    grain = frame.columns[0]
    # An ordinal axis gives each week (or month) one full-width cell; the label says which.
    data = frame.assign(label=frame[grain].map(format_date if grain in ("day", "week") else format_month))
    name = _(_GRAINS.get(grain, grain.title()))
    return alt.Chart(data).mark_rect().encode(
        alt.X("label:O", title=name, sort=data["label"].drop_duplicates().tolist(), axis=alt.Axis(labelOverlap=True, labelAngle=-45)),
        alt.Y("weekday_name:O", title=None, sort=WEEKDAYS),
        alt.Color("visits:Q", title=_("Visits"), scale=alt.Scale(scheme="greens")),
        tooltip=[alt.Tooltip("label:N", title=name), alt.Tooltip("weekday_name:N", title=_("Day")), alt.Tooltip("visits:Q", title=_("Visits"))],
    ).properties(height=200)


def week_statuses(frame: pd.DataFrame) -> pd.Series:
    """Each week's colour key: short of the target (red), on target, or cut by the period (grey)."""
    return frame["short"].map({True: SHORT, False: ON_TARGET}).where(frame["full_week"], CUT)


@or_empty("mobile-clinic days")
def mobile_days_against_target(frame: pd.DataFrame) -> alt.LayerChart:
    """Days the mobile clinic ran each week against the setting mobile_clinic_days_per_week. A short week is
    a red bar up to the target, its days held darker inside it: a week with no day at all is a full red
    bar, never a gap."""
    data = frame.assign(week_status=week_statuses(frame).map(lambda s: _(s)),
                        bar_top=frame["mobile_days"].where(~frame["short"], frame["target"]))
    statuses = [_(s) for s in _WEEK_COLOURS]
    colour = alt.Color("week_status:N", title=_("Week"), legend=LEGEND,
                       scale=alt.Scale(domain=statuses, range=list(_WEEK_COLOURS.values())))
    tooltip = [alt.Tooltip("week:T", title=_("Week of"), format="%d %b %Y"), alt.Tooltip("mobile_days:Q", title=_("Mobile-clinic days")),
               alt.Tooltip("target:Q", title=_("Target")), alt.Tooltip("week_status:N", title=_("Week"))]
    x = alt.X("week:T", title=_("Week (Monday)"), axis=MONTH_AXIS)
    weeks = alt.Chart(data).mark_bar(opacity=0.85).encode(x, alt.Y("bar_top:Q", title=_("Mobile-clinic days")), colour, tooltip=tooltip)
    held = alt.Chart(data[data["short"] & (data["mobile_days"] > 0)]).mark_bar(color="#8c1c2b").encode(
        x, alt.Y("mobile_days:Q"), tooltip=tooltip)
    target = alt.Chart(data).mark_rule(strokeDash=[4, 3], color="black").encode(alt.Y("mean(target):Q"))
    return alt.layer(weeks, held, target).properties(height=220)


@or_empty("clinic visits")
def care_and_sex(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        alt.Y("care:N", title=_("Care")), alt.X("visits:Q", title=_("Visits"), stack="zero"), alt.Color("sex:N", title=_("Sex"), legend=LEGEND),
        tooltip=[alt.Tooltip("care:N", title=_("Care")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("visits:Q", title=_("Visits"))],
    ).properties(height=160)


@or_empty("clinic visits")
def age_bands(frame: pd.DataFrame) -> alt.Chart:
    order = frame.sort_values("band_order")["age_band"].drop_duplicates().tolist()
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        alt.X("age_band:N", title=_("Age band"), sort=order, axis=alt.Axis(labelAngle=0)), alt.Y("visits:Q", title=_("Visits"), stack="zero"),
        alt.Color("sex:N", title=_("Sex"), legend=LEGEND),
        tooltip=[alt.Tooltip("age_band:N", title=_("Age band")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("visits:Q", title=_("Visits"))],
    ).properties(height=220)


@or_empty("conditions treated")
def conditions_by_month(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    data = frame.assign(condition=frame["condition"].replace({"other": _("Other")}))
    return alt.Chart(data).mark_bar().encode(
        x, alt.Y("visits:Q", title=_("Visits"), stack="zero"), alt.Color("condition:N", title=_("Condition"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("condition:N", title=_("Condition")), alt.Tooltip("visits:Q", title=_("Visits"))],
    ).properties(height=260)


@or_empty("new patients and referrals")
def new_patients_and_referrals(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(id_vars=frame.columns[0], value_vars=["new_patients", "referrals"], var_name="measure", value_name="patients")
    long["measure"] = long["measure"].map({"new_patients": _("New patients"), "referrals": _("Referrals")})
    x, when = _time(long)
    return alt.Chart(long).mark_line(point=True).encode(
        x, alt.Y("patients:Q", title=_("Patients")), alt.Color("measure:N", title=None, legend=LEGEND),
        tooltip=[when, alt.Tooltip("measure:N", title=_("Measure")), alt.Tooltip("patients:Q", title=_("Patients"))],
    ).properties(height=220)


@or_empty("ambulance trips")
def ambulance_trips(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        x, alt.Y("trips:Q", title=_("Trips"), stack="zero"), alt.Color("purpose:N", title=_("Purpose"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("purpose:N", title=_("Purpose")), alt.Tooltip("trips:Q", title=_("Trips"))],
    ).properties(height=220)


@or_empty("donations")
def donations(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        x, alt.Y("donation_riel:Q", title=_("Donations (riel)"), stack="zero"), alt.Color("site:N", title=_("Site"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("site:N", title=_("Site")), alt.Tooltip("donation_riel:Q", title=_("Donations (riel)"), format=",.0f"),
                 alt.Tooltip("donation_usd:Q", title=_("Donations ($)"), format="$,.2f"), alt.Tooltip("donors:Q", title=_("Donors"))],
    ).properties(height=220)
