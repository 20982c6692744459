"""Altair charts of the household-hygiene dashboard. Each takes the small frame an insights.wash function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

_SHARES = {"share_toilet": "With a toilet", "share_clean_water": "Clean water", "share_handwashing": "Hand-washing place"}


def _long(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    long = frame.melt(id_vars=keys, value_vars=list(_SHARES), var_name="measure", value_name="share")
    long["measure"] = long["measure"].map(_SHARES)
    return long


def trend(frame: pd.DataFrame) -> alt.Chart:
    """Share of surveyed households with a toilet, clean water and a hand-washing place, year by year."""
    return alt.Chart(_long(frame, ["year", "households"])).mark_line(point=True).encode(
        alt.X("year:O", title="Year (latest survey by 31 Dec)"), alt.Y("share:Q", title="Households", axis=alt.Axis(format="%"),
                                                                         scale=alt.Scale(domain=[0, 1])),
        alt.Color("measure:N", title=None, sort=list(_SHARES.values())),
        tooltip=["year:O", "measure:N", alt.Tooltip("share:Q", format=".0%"), "households:Q"],
    ).properties(height=240)


def villages(frame: pd.DataFrame) -> alt.Chart:
    """Per village at the period's end: the three shares as dots on one line."""
    data = _long(frame, ["village", "commune"])
    data["place"] = data["village"].astype(str) + ", " + data["commune"].astype(str)  # village names repeat across communes
    return alt.Chart(data).mark_point(filled=True, size=60).encode(
        alt.Y("place:N", title=None), alt.X("share:Q", title="Households", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        alt.Color("measure:N", title=None, sort=list(_SHARES.values())), alt.Shape("measure:N", title=None),
        tooltip=["village:N", "commune:N", "measure:N", alt.Tooltip("share:Q", format=".0%")],
    ).properties(height=alt.Step(14))


def water_sources(frame: pd.DataFrame) -> alt.Chart:
    data = frame.assign(kind=frame["clean"].map({True: "clean", False: "not clean"}))
    return alt.Chart(data).mark_bar().encode(
        alt.Y("water_source:N", title=None, sort="-x"), alt.X("households:Q", title="Households"),
        alt.Color("kind:N", title=None, scale=alt.Scale(domain=["clean", "not clean"], range=["#2a7ab0", "#c9854a"])),
        tooltip=["water_source:N", "kind:N", "households:Q"],
    ).properties(height=alt.Step(18))
