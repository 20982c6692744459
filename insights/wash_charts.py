"""Altair charts of the household-hygiene dashboard. Each takes the small frame an insights.wash function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, STEP, category_axis, hidden_counts, or_empty, with_labels
from schemas.i18n import gettext as _

_SHARES = {"share_toilet": "With a toilet", "share_clean_water": "Clean water", "share_handwashing": "Hand-washing place"}


def _long(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    long = frame.melt(id_vars=keys, value_vars=list(_SHARES), var_name="measure", value_name="share")
    long["measure"] = long["measure"].map(lambda m: _(_SHARES[m]))
    return long


@or_empty("hygiene surveys")
def trend(frame: pd.DataFrame) -> alt.Chart:
    """Share of surveyed households with a toilet, clean water and a hand-washing place, year by year."""
    return alt.Chart(_long(frame, ["year", "households"])).mark_line(point=True).encode(
        alt.X("year:O", title=_("Year (latest survey by 31 Dec)"), axis=alt.Axis(labelAngle=0)),
        alt.Y("share:Q", title=_("Share of households"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        alt.Color("measure:N", title=None, sort=[_(m) for m in _SHARES.values()], legend=LEGEND),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("measure:N", title=_("Measure")),
                 alt.Tooltip("share:Q", title=_("Share"), format=".0%"), alt.Tooltip("households:Q", title=_("Households"))],
    ).properties(height=240)


@or_empty("hygiene surveys")
def villages(frame: pd.DataFrame) -> alt.Chart:
    """Per village at the period's end: the three shares as dots on one line."""
    data = _long(frame, ["village", "commune"])
    data["place"] = data["village"].astype(str) + ", " + data["commune"].astype(str)  # village names repeat across communes
    return alt.Chart(data).mark_point(filled=True, size=60).encode(
        alt.Y("place:N", title=None, axis=category_axis()),
        alt.X("share:Q", title=_("Share of households"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        alt.Color("measure:N", title=None, sort=[_(m) for m in _SHARES.values()], legend=LEGEND), alt.Shape("measure:N", title=None),
        tooltip=[alt.Tooltip("village:N", title=_("Village")), alt.Tooltip("commune:N", title=_("Commune")),
                 alt.Tooltip("measure:N", title=_("Measure")), alt.Tooltip("share:Q", title=_("Share"), format=".0%")],
    ).properties(height=alt.Step(STEP))


@or_empty("hygiene surveys")
def water_sources(frame: pd.DataFrame) -> alt.Chart:
    clean, not_clean = _("Clean"), _("Not clean")
    data = with_labels(frame, {"water_source": "wash_surveys.water_source"}).assign(kind=frame["clean"].map({True: clean, False: not_clean}))
    bars = alt.Chart(data).mark_bar().encode(
        alt.Y("water_source:N", title=None, sort=data["water_source"].tolist(), axis=category_axis()), alt.X("households:Q", title=_("Households")),
        alt.Color("kind:N", title=None, scale=alt.Scale(domain=[clean, not_clean], range=["#2a7ab0", "#c9854a"]), legend=LEGEND),
        tooltip=[alt.Tooltip("water_source:N", title=_("Water source")), alt.Tooltip("kind:N", title=_("Clean?")),
                 alt.Tooltip("households:Q", title=_("Households"))],
    )
    return hidden_counts(bars, data, "households", "water_source", horizontal=True).properties(height=alt.Step(STEP))
