"""Altair charts of the savings-groups dashboard. Each takes the small frame an insights.savings function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd


def capital_by_group(frame: pd.DataFrame, currency: str = "riel") -> alt.Chart:
    """Capital per group at each period end, stacked, so the top line is the groups' combined capital."""
    measure, fmt = ("capital_riel", ",.0f") if currency == "riel" else ("capital_usd", "$,.2f")
    return alt.Chart(frame).mark_area().encode(
        alt.X("as_of:T", title="End of"), alt.Y(f"{measure}:Q", title=f"Capital ({currency})", stack="zero"),
        alt.Color("name:N", title="Group", legend=alt.Legend(columns=2, symbolLimit=40)),
        tooltip=[alt.Tooltip("as_of:T", title="End of"), "name:N", alt.Tooltip(f"{measure}:Q", format=fmt)],
    ).properties(height=300)


def loans_and_cash(frame: pd.DataFrame) -> alt.Chart:
    """Capital split into loans outstanding and cash in hand, summed over the groups in the frame."""
    totals = frame.groupby("as_of", as_index=False)[["loans_outstanding_riel", "cash_in_hand_riel"]].sum()
    long = totals.melt(id_vars="as_of", var_name="measure", value_name="riel")
    long["measure"] = long["measure"].map({"loans_outstanding_riel": "Loans outstanding", "cash_in_hand_riel": "Cash in hand"})
    return alt.Chart(long).mark_area().encode(
        alt.X("as_of:T", title="End of"), alt.Y("riel:Q", title="Riel", stack="zero"), alt.Color("measure:N", title=None),
        tooltip=[alt.Tooltip("as_of:T", title="End of"), "measure:N", alt.Tooltip("riel:Q", format=",.0f")],
    ).properties(height=240)


def members_and_women(frame: pd.DataFrame) -> alt.Chart:
    long = frame.assign(men=frame["members"] - frame["female_members"]).melt(
        id_vars="name", value_vars=["female_members", "men"], var_name="sex", value_name="people")
    long["sex"] = long["sex"].map({"female_members": "Women", "men": "Men"})
    return alt.Chart(long).mark_bar().encode(
        alt.Y("name:N", title=None, sort="-x"), alt.X("people:Q", title="Members", stack="zero"), alt.Color("sex:N", title=None),
        tooltip=["name:N", "sex:N", "people:Q"],
    ).properties(height=alt.Step(14))
