"""Altair charts of the clinic dashboard. Each takes the small frame an insights.clinic function returned.

Time series frames name their first column after their grain ("week", "month", ...): the axis follows it.
Chart data carries labels (Health centre, Mobile check-up), never the codes the sheet holds.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, category_axis, coded_colour, hidden_counts, melt_counts, or_empty, with_labels
from schemas.formats import HIDDEN
from schemas.i18n import N_, weekday_names
from schemas.i18n import gettext as _

ON_TARGET, SHORT, NONE, CUT = (N_("on target"), N_("short of the target"), N_("no outing this week"),
                               N_("part of the week outside the period"))
_WEEK_COLOURS = {ON_TARGET: "#4c9a2a", SHORT: "#d1495b", NONE: "#6b1320", CUT: "#bbbbbb"}
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
    data = with_labels(frame)
    bars = alt.Chart(data).mark_bar().encode(
        x, alt.Y("visits:Q", title=_("Visits"), stack="zero"), coded_colour("site", title=_("Site"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("site:N", title=_("Site")), alt.Tooltip("visits:Q", title=_("Visits"))],
    )
    return hidden_counts(bars, data, "visits", frame.columns[0]).properties(height=260)


@or_empty("clinic visits")
def weekday_heatmap(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    """Visits per day of the week (rows, named in the page's language) and week (columns along a time axis,
    so its labels are months, never 52 crowded dates). A count hidden for viewers is a grey cell whose
    tooltip says "<5"."""
    grain = frame.columns[0]
    days = weekday_names()
    data = frame.drop(columns="weekday_name", errors="ignore").assign(day_name=frame["weekday"].map(dict(enumerate(days))))
    unit = {"day": "yearmonthdate", "week": "yearweek", "month": "yearmonth", "quarter": "yearquarter", "year": "year"}.get(grain, "yearmonth")
    name = _(_GRAINS.get(grain, grain.title()))
    x = alt.X(f"{grain}:T", timeUnit=unit, title=name, axis=MONTH_AXIS)
    y = alt.Y("day_name:O", title=None, sort=days, axis=category_axis())
    cells = alt.Chart(data).mark_rect().encode(
        x, y, alt.Color("visits:Q", title=_("Visits"), scale=alt.Scale(scheme="greens")),
        tooltip=[alt.Tooltip(f"{grain}:T", title=name, format="%d %b %Y"), alt.Tooltip("day_name:N", title=_("Day")),
                 alt.Tooltip("visits:Q", title=_("Visits"))],
    )
    if "visits" + HIDDEN not in data or data["visits" + HIDDEN].isna().all():
        return cells.properties(height=200)
    hidden = alt.Chart(data[data["visits" + HIDDEN].notna()]).mark_rect(color="#d9d9d9").encode(
        x, y, tooltip=[alt.Tooltip(f"{grain}:T", title=name, format="%d %b %Y"), alt.Tooltip("day_name:N", title=_("Day")),
                       alt.Tooltip("visits" + HIDDEN + ":N", title=_("Visits"))])
    return alt.layer(cells, hidden).properties(height=200)


def week_statuses(frame: pd.DataFrame) -> pd.Series:
    """Each week's colour key: on target, short of the target (red), no outing at all (a dark mark, no bar),
    or cut by the period (grey)."""
    status = pd.Series(ON_TARGET, index=frame.index, dtype=object)
    status[frame["short"]] = SHORT
    status[frame["short"] & (frame["mobile_days"] == 0)] = NONE
    return status.where(frame["full_week"], CUT)


@or_empty("mobile-clinic days")
def mobile_days_against_target(frame: pd.DataFrame) -> alt.LayerChart:
    """Days the mobile clinic ran each week against the setting mobile_clinic_days_per_week. A short week is
    a red bar up to the target, its days held darker inside it; a week the clinic never went out has no bar
    (it held no day) but a mark on the axis, so it reads as a week without outing, never as three days."""
    status = week_statuses(frame)
    data = frame.assign(week_status=status.map(lambda s: _(s)),
                        bar_top=frame["mobile_days"].where(~frame["short"] | (frame["mobile_days"] == 0), frame["target"]))
    statuses = [_(s) for s in _WEEK_COLOURS]
    colour = alt.Color("week_status:N", title=_("Week"), legend=LEGEND,
                       scale=alt.Scale(domain=statuses, range=list(_WEEK_COLOURS.values())))
    tooltip = [alt.Tooltip("week:T", title=_("Week of"), format="%d %b %Y"), alt.Tooltip("mobile_days:Q", title=_("Mobile-clinic days")),
               alt.Tooltip("target:Q", title=_("Target")), alt.Tooltip("week_status:N", title=_("Week"))]
    x = alt.X("week:T", title=_("Week (Monday)"), axis=MONTH_AXIS)
    went = data[data["mobile_days"] > 0]
    weeks = alt.Chart(went).mark_bar(opacity=0.85).encode(x, alt.Y("bar_top:Q", title=_("Mobile-clinic days")), colour, tooltip=tooltip)
    held = alt.Chart(went[went["short"]]).mark_bar(color="#8c1c2b").encode(x, alt.Y("mobile_days:Q"), tooltip=tooltip)
    none = alt.Chart(data[status == NONE]).mark_point(shape="cross", filled=True, size=70).encode(
        x, alt.Y("mobile_days:Q"), colour, tooltip=tooltip)
    target = alt.Chart(data).mark_rule(strokeDash=[4, 3], color="black").encode(alt.Y("mean(target):Q"))
    return alt.layer(weeks, held, none, target).properties(height=220)


@or_empty("clinic visits")
def care_and_sex(frame: pd.DataFrame) -> alt.Chart:
    data = with_labels(frame)
    bars = alt.Chart(data).mark_bar().encode(
        alt.Y("care:N", title=_("Care"), axis=category_axis()), alt.X("visits:Q", title=_("Visits"), stack="zero"),
        coded_colour("sex", title=_("Sex"), legend=LEGEND),
        tooltip=[alt.Tooltip("care:N", title=_("Care")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("visits:Q", title=_("Visits"))],
    )
    return hidden_counts(bars, data, "visits", "care", horizontal=True).properties(height=alt.Step(30))


@or_empty("clinic visits")
def age_bands(frame: pd.DataFrame) -> alt.Chart:
    data = with_labels(frame).assign(age_band=frame["age_band"].replace({"other": _("other")}))
    order = data.sort_values("band_order")["age_band"].drop_duplicates().tolist()
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("age_band:N", title=_("Age band"), sort=order, axis=category_axis(labelAngle=0)), alt.Y("visits:Q", title=_("Visits"), stack="zero"),
        coded_colour("sex", title=_("Sex"), legend=LEGEND),
        tooltip=[alt.Tooltip("age_band:N", title=_("Age band")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("visits:Q", title=_("Visits"))],
    )
    return hidden_counts(bars, data, "visits", "age_band").properties(height=220)


@or_empty("conditions treated")
def conditions_by_month(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    data = frame.assign(condition=frame["condition"].replace({"other": _("Other"), "not recorded": _("not recorded")}))
    bars = alt.Chart(data).mark_bar().encode(
        x, alt.Y("visits:Q", title=_("Visits"), stack="zero"), alt.Color("condition:N", title=_("Condition"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("condition:N", title=_("Condition")), alt.Tooltip("visits:Q", title=_("Visits"))],
    )
    return hidden_counts(bars, data, "visits", frame.columns[0]).properties(height=260)


@or_empty("new patients and referrals")
def new_patients_and_referrals(frame: pd.DataFrame) -> alt.Chart:
    long = melt_counts(frame, frame.columns[0], ["new_patients", "referrals"], "measure", "patients")
    long["measure"] = long["measure"].map({"new_patients": _("New patients"), "referrals": _("Referrals")})
    x, when = _time(long)
    lines = alt.Chart(long).mark_line(point=True).encode(
        x, alt.Y("patients:Q", title=_("Patients")), alt.Color("measure:N", title=None, legend=LEGEND),
        tooltip=[when, alt.Tooltip("measure:N", title=_("Measure")), alt.Tooltip("patients:Q", title=_("Patients"))],
    )
    return hidden_counts(lines, long, "patients", long.columns[0], stacked=False).properties(height=220)


@or_empty("ambulance trips")
def ambulance_trips(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    data = with_labels(frame)
    bars = alt.Chart(data).mark_bar().encode(
        x, alt.Y("trips:Q", title=_("Trips"), stack="zero"), coded_colour("purpose", title=_("Purpose"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("purpose:N", title=_("Purpose")), alt.Tooltip("trips:Q", title=_("Trips"))],
    )
    return hidden_counts(bars, data, "trips", frame.columns[0]).properties(height=220)


@or_empty("donations")
def donations(frame: pd.DataFrame) -> alt.Chart:
    x, when = _time(frame)
    return alt.Chart(with_labels(frame)).mark_bar().encode(
        x, alt.Y("donation_riel:Q", title=_("Donations (riel)"), stack="zero"), coded_colour("site", title=_("Site"), legend=LEGEND),
        tooltip=[when, alt.Tooltip("site:N", title=_("Site")), alt.Tooltip("donation_riel:Q", title=_("Donations (riel)"), format=",.0f"),
                 alt.Tooltip("donation_usd:Q", title=_("Donations ($)"), format="$,.2f"), alt.Tooltip("donors:Q", title=_("Donors"))],
    ).properties(height=220)
