"""Altair charts of the prevention dashboard. Each takes the small frame an insights.prevention function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pydeck as pdk

from insights.chart_parts import LEGEND, MONTH_AXIS, STEP, category_axis, hidden_counts, or_empty, with_labels
from schemas.formats import HIDDEN, labels_of
from schemas.gazetteer import names_of
from schemas.i18n import N_, current_language
from schemas.i18n import gettext as _

STATUSES = [N_("reached"), N_("target not reached yet"), N_("not a target")]  # insights.prevention.villages_reached
PARENT_GROUPS = [N_("with parent group"), N_("without parent group")]  # insights.prevention.migration_by_quarter
_STATUS_COLOURS = ["#2a9d8f", "#e76f51", "#bbbbbb"]
_GRAINS = {"month": "Month", "quarter": "Quarter", "year": "Year"}


def _kinds(frame: pd.DataFrame) -> pd.DataFrame:
    return with_labels(frame, {"kind": "activities.kind"})


def _kind_colour() -> alt.Color:
    return alt.Color("kind:N", title=_("Kind"), sort=list(labels_of("activities.kind").values()), legend=LEGEND)


@or_empty("prevention activities")
def activities_by_month(frame: pd.DataFrame) -> alt.Chart:
    grain = frame.columns[0]  # "month", or coarser for a long period
    name = _(_GRAINS.get(grain, grain.title()))
    data = _kinds(frame)
    bars = alt.Chart(data).mark_bar().encode(
        alt.X(f"{grain}:T", title=name, axis=MONTH_AXIS), alt.Y("activities:Q", title=_("Activities"), stack="zero"),
        _kind_colour(),
        tooltip=[alt.Tooltip(f"{grain}:T", title=name, format="%b %Y"), alt.Tooltip("kind:N", title=_("Kind")),
                 alt.Tooltip("activities:Q", title=_("Activities")), alt.Tooltip("women:Q", title=_("Women")),
                 alt.Tooltip("men:Q", title=_("Men")), alt.Tooltip("children:Q", title=_("Children")),
                 alt.Tooltip("authorities:Q", title=_("Authorities"))],
    )
    return hidden_counts(bars, data, "activities", grain).properties(height=260)


@or_empty("prevention activities")
def activities_by_topic(frame: pd.DataFrame) -> alt.Chart:
    data = _kinds(frame)
    order = data.groupby("topic")["activities"].sum().sort_values(ascending=False).index.tolist()  # biggest first, hidden ones too
    bars = alt.Chart(data).mark_bar().encode(
        alt.Y("topic:N", title=None, sort=order, axis=category_axis()), alt.X("activities:Q", title=_("Activities"), stack="zero"),
        _kind_colour(),
        tooltip=[alt.Tooltip("topic:N", title=_("Topic")), alt.Tooltip("kind:N", title=_("Kind")), alt.Tooltip("activities:Q", title=_("Activities"))],
    )
    return hidden_counts(bars, data, "activities", "topic", horizontal=True).properties(height=alt.Step(STEP))


def participants(totals: dict) -> alt.Chart:
    data = pd.DataFrame({"who": [_("Women"), _("Men"), _("Children")], "people": [totals["women"], totals["men"], totals["children"]]})
    return alt.Chart(data).mark_bar().encode(
        alt.Y("who:N", title=None, sort=None, axis=category_axis()), alt.X("people:Q", title=_("Participants")),
        tooltip=[alt.Tooltip("who:N", title=_("Who")), alt.Tooltip("people:Q", title=_("Participants"))],
    ).properties(height=110)


def _located(frame: pd.DataFrame) -> pd.DataFrame:
    """The villages with coordinates, their status in words, in Khmer their official Khmer names, and their
    activities as a tooltip says them (a count hidden for viewers as its mark, "<5")."""
    located = frame.dropna(subset=["latitude", "longitude"]).assign(status=lambda f: f["status"].map(lambda s: _(s)))
    if current_language() == "km" and "village_code" in located and not located.empty:
        located["village"] = names_of("village", located["village_code"], "kh").fillna(located["village"])
    marks = located["activities" + HIDDEN] if "activities" + HIDDEN in located else pd.Series(None, index=located.index, dtype=object)
    located["activities_shown"] = [m if isinstance(m, str) else "" if pd.isna(n) else f"{int(n)}" for n, m in zip(located["activities"], marks, strict=False)]
    return located


@or_empty("villages with a location")
def village_map(frame: pd.DataFrame) -> alt.LayerChart:
    """Villages as points on latitude/longitude. Dozens of names would pile on each other, so the map names
    only the target villages not reached yet (what needs doing); every village is named on hover. No base
    map here: the app works offline (village_street_map draws the same villages on street-map tiles when online)."""
    located = _located(frame)
    if located.empty:
        return village_map(located)  # the empty state: no village has coordinates
    where = [alt.Longitude("longitude:Q"), alt.Latitude("latitude:Q")]
    tooltip = [alt.Tooltip("village:N", title=_("Village")), alt.Tooltip("commune:N", title=_("Commune")),
               alt.Tooltip("district:N", title=_("District")), alt.Tooltip("province:N", title=_("Province")),
               alt.Tooltip("status:N", title=_("Village")), alt.Tooltip("activities_shown:N", title=_("Activities"))]
    dots = alt.Chart(located).mark_circle(size=60, opacity=0.85).encode(
        *where, alt.Color("status:N", title=_("Village"), scale=alt.Scale(domain=[_(s) for s in STATUSES], range=_STATUS_COLOURS), legend=LEGEND),
        tooltip=tooltip)
    to_reach = located[located["status"] == _(STATUSES[1])]
    names = alt.Chart(to_reach).mark_text(align="left", dx=6, dy=-4, fontSize=10, color="#333333").encode(
        *where, alt.Text("village:N"), tooltip=tooltip)
    return alt.layer(dots, names).project("mercator").properties(height=420)


@or_empty("commune plans")
def commune_plans(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(id_vars=["year", "communes"], value_vars=["tip_in_development_plan", "tip_in_investment_plan"],
                      var_name="plan", value_name="with_tip")
    long["plan"] = long["plan"].map({"tip_in_development_plan": _("Development plan"), "tip_in_investment_plan": _("Investment plan")})
    return alt.Chart(long).mark_bar().encode(
        alt.X("year:O", title=_("Plan year"), axis=category_axis(labelAngle=0)), alt.XOffset("plan:N"),
        alt.Y("with_tip:Q", title=_("Communes with TIP prevention")), alt.Color("plan:N", title=None, legend=LEGEND),
        tooltip=[alt.Tooltip("year:O", title=_("Plan year")), alt.Tooltip("plan:N", title=_("Plan")),
                 alt.Tooltip("with_tip:Q", title=_("With TIP prevention")), alt.Tooltip("communes:Q", title=_("Communes"))],
    ).properties(height=240)


def quarter_label(day: pd.Timestamp) -> str:
    """The quarter a check fell in, as the axis names it: "2018 Q3" (in Khmer, in Khmer words)."""
    return _("{year} Q{quarter}").format(year=day.year, quarter=(day.month - 1) // 3 + 1)


@or_empty("migration checks")
def migration_share(frame: pd.DataFrame) -> alt.Chart:
    """One point per quarter (an ordinal axis of quarters, so the ticks are the quarters, never fortnights)."""
    data = frame.assign(quarter_name=pd.to_datetime(frame["quarter"]).map(quarter_label),
                        parent_group=frame["parent_group"].map(lambda s: _(s) if isinstance(s, str) else ""))
    order = data.sort_values("quarter")["quarter_name"].drop_duplicates().tolist()
    return alt.Chart(data).mark_line(point=True).encode(
        alt.X("quarter_name:O", title=_("Quarter"), sort=order, axis=category_axis(labelAngle=0 if len(order) <= 6 else -90)),
        alt.Y("share_took_children:Q", title=_("Migrating households that took their children"), axis=alt.Axis(format="%")),
        alt.Color("parent_group:N", title=_("Village at the time of the check"), legend=LEGEND),
        tooltip=[alt.Tooltip("quarter_name:N", title=_("Quarter")), alt.Tooltip("parent_group:N", title=_("Village")),
                 alt.Tooltip("migrating:Q", title=_("Migrating")), alt.Tooltip("took_children:Q", title=_("Took children")),
                 alt.Tooltip("share_took_children:Q", title=_("Share"), format=".0%")],
    ).properties(height=260)


STREET_MAP_TILES = "carto"  # CARTO's free basemap, fetched by the browser; needs no key


def village_street_map(frame: pd.DataFrame) -> pdk.Deck | None:
    """The villages of village_map on a street map (deck.gl, CARTO tiles loaded by the viewer's browser when
    it is online; offline the dots and names still draw on a blank ground). None when no village has
    coordinates."""
    located = _located(frame)
    if located.empty:
        return None
    colours = dict(zip([_(s) for s in STATUSES], _STATUS_COLOURS, strict=False))
    points = located[["village", "commune", "status", "latitude", "longitude"]].assign(
        colour=located["status"].map(lambda s: [int(colours.get(s, "#bbbbbb")[i:i + 2], 16) for i in (1, 3, 5)] + [220]))
    dots = pdk.Layer("ScatterplotLayer", points, id="villages", get_position=["longitude", "latitude"], get_fill_color="colour",
                     get_radius=350, radius_min_pixels=4, pickable=True)
    names = pdk.Layer("TextLayer", points, id="village-names", get_position=["longitude", "latitude"], get_text="village", get_size=12,
                      get_color=[51, 51, 51], get_pixel_offset=[8, -8], get_text_anchor="'start'",
                      character_set="'auto'", font_family="'Noto Sans Khmer, sans-serif'")  # quoted: a literal, not an expression
    view = pdk.data_utils.compute_view(points[["longitude", "latitude"]].to_numpy().tolist())
    return pdk.Deck(layers=[dots, names], initial_view_state=view, map_provider=STREET_MAP_TILES, map_style="light",
                    tooltip={"text": "{village} · {commune}\n{status}"})
