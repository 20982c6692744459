"""Altair charts of the savings-groups dashboard. Each takes the small frame an insights.savings function returned."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, STEP, category_axis, hidden_counts, melt_counts, or_empty, order_with_other_last, top_n
from insights.small_counts import SHARE_HIDDEN
from schemas.i18n import gettext as _


@or_empty("savings groups' capital")
def capital_by_group(frame: pd.DataFrame, currency: str = "riel") -> alt.Chart:
    """Capital per group at each period end, stacked, so the top line is the groups' combined capital; the
    biggest groups by name, the others together as "Other" (25 names would squeeze the chart away)."""
    measure, fmt = ("capital_riel", ",.0f") if currency == "riel" else ("capital_usd", "$,.2f")
    data = top_n(frame, "name", measure, by=("as_of",))
    return alt.Chart(data).mark_area().encode(
        alt.X("as_of:T", title=_("End of"), axis=MONTH_AXIS),
        alt.Y(f"{measure}:Q", title=_("Capital (riel)") if currency == "riel" else _("Capital ($)"), stack="zero"),
        alt.Color("name:N", title=_("Group"), legend=LEGEND, sort=order_with_other_last(data, "name", measure)),
        tooltip=[alt.Tooltip("as_of:T", title=_("End of"), format="%d %b %Y"), alt.Tooltip("name:N", title=_("Group")),
                 alt.Tooltip(f"{measure}:Q", title=_("Capital"), format=fmt)],
    ).properties(height=300)


@or_empty("loans and cash")
def loans_and_cash(frame: pd.DataFrame, currency: str = "riel", rate: float | None = None) -> alt.Chart:
    """Capital split into loans outstanding and cash in hand, summed over the groups in the frame; in riel, or
    in dollars at `rate` riel per dollar (the page's switch)."""
    totals = frame.groupby("as_of", as_index=False)[["loans_outstanding_riel", "cash_in_hand_riel"]].sum()
    long = totals.melt(id_vars="as_of", var_name="measure", value_name="amount")
    long["measure"] = long["measure"].map({"loans_outstanding_riel": _("Loans outstanding"), "cash_in_hand_riel": _("Cash in hand")})
    dollars = currency != "riel" and bool(rate)
    if dollars:
        long["amount"] = (long["amount"] / rate).round(2)
    title, fmt = (_("Dollars"), "$,.2f") if dollars else (_("Riel"), ",.0f")
    return alt.Chart(long).mark_area().encode(
        alt.X("as_of:T", title=_("End of"), axis=MONTH_AXIS), alt.Y("amount:Q", title=title, stack="zero"),
        alt.Color("measure:N", title=None, legend=LEGEND),
        tooltip=[alt.Tooltip("as_of:T", title=_("End of"), format="%d %b %Y"), alt.Tooltip("measure:N", title=_("Measure")),
                 alt.Tooltip("amount:Q", title=title, format=fmt)],
    ).properties(height=240)


@or_empty("savings group members")
def members_and_women(frame: pd.DataFrame) -> alt.Chart:
    # Men = members - women: where either is hidden (a small count, for viewers) so is the difference.
    with_men = frame.assign(men=frame["members"] - frame["female_members"])
    if "female_members_hidden" in frame or "members_hidden" in frame:
        hidden = frame.get("female_members_hidden", pd.Series(None, index=frame.index)).notna() | \
            frame.get("members_hidden", pd.Series(None, index=frame.index)).notna()
        with_men["men_hidden"] = pd.Series([SHARE_HIDDEN if h else None for h in hidden], index=frame.index, dtype=object)
    long = melt_counts(with_men, "name", ["female_members", "men"], "sex", "people")
    long["sex"] = long["sex"].map({"female_members": _("Women"), "men": _("Men")})
    order = frame.sort_values("members", ascending=False)["name"].tolist()
    bars = alt.Chart(long).mark_bar().encode(
        alt.Y("name:N", title=None, sort=order, axis=category_axis()), alt.X("people:Q", title=_("Members"), stack="zero"),
        alt.Color("sex:N", title=None, sort=[_("Women"), _("Men")], legend=LEGEND),
        tooltip=[alt.Tooltip("name:N", title=_("Group")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("people:Q", title=_("Members"))],
    )
    return hidden_counts(bars, long, "people", "name", horizontal=True).properties(height=alt.Step(STEP))
