"""Altair charts of the Rice bank page, drawn from the small frames of insights.rice_bank."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, STEP, category_axis, empty_chart, or_empty, with_labels
from schemas.formats import label
from schemas.i18n import gettext as _

# Names of the chart selections: the page reads them back from st.altair_chart(..., on_select="rerun").
PERIOD_BRUSH = "period"
BANK_CLICK = "bank"

_FLOW_ORDER = ["donation", "repayment", "loan", "loss", "sale"]
_FLOW_COLOURS = ["#1f77b4", "#9ecae1", "#d62728", "#ff9896", "#ff7f0e"]  # rice in: blues; rice out: reds


def stock_chart(stock: pd.DataFrame, banks: pd.DataFrame) -> alt.LayerChart:
    """Stock per bank over time, each bank's capacity as a dashed rule; brush the time axis, click a bank."""
    brush = alt.selection_interval(name=PERIOD_BRUSH, encodings=["x"])
    pick = alt.selection_point(name=BANK_CLICK, fields=["bank"], bind="legend")
    grain = stock["grain"].iat[0] if len(stock) else "day"
    lines = (
        alt.Chart(stock)
        .mark_line(interpolate="step-after")
        .encode(
            alt.X("day:T", title=None if grain == "day" else _("End of each {grain}").format(grain=_(grain)), axis=MONTH_AXIS),
            alt.Y("stock_kg:Q", title=_("Stock (kg)")),
            alt.Color("bank:N", title=_("Bank"), legend=LEGEND),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.25)),
            tooltip=[alt.Tooltip("bank:N", title=_("Bank")), alt.Tooltip("day:T", title=_("Day"), format="%d %b %Y"),
                     alt.Tooltip("stock_kg:Q", title=_("Stock (kg)"), format=",.0f")],
        )
        .add_params(brush, pick)
    )
    capacity = (
        alt.Chart(banks[["bank", "capacity_kg"]])
        .mark_rule(strokeDash=[6, 4])
        .encode(alt.Y("capacity_kg:Q", title=_("Stock (kg)")), alt.Color("bank:N", legend=LEGEND),
                tooltip=[alt.Tooltip("bank:N", title=_("Bank")), alt.Tooltip("capacity_kg:Q", title=_("Capacity (kg)"), format=",.0f")])
    )
    return alt.layer(lines, capacity).properties(height=320)


@or_empty("rice going in or out")
def flows_chart(flows: pd.DataFrame) -> alt.Chart:
    """Kg in above the axis, kg out below it, per month and kind."""
    grain = flows["grain"].iat[0] if len(flows) else "month"
    return (
        alt.Chart(with_labels(flows, {"kind": "rice_ledger.kind"}))
        .mark_bar()
        .encode(
            alt.X("month:T", title=None, timeUnit="yearmonth" if grain == "month" else None, axis=MONTH_AXIS),
            alt.Y("sum(signed_kg):Q", title=_("Kg in (+) and out (−)")),
            alt.Color("kind:N", title=_("Kind"), legend=LEGEND,
                      scale=alt.Scale(domain=[label("rice_ledger.kind", k) for k in _FLOW_ORDER], range=_FLOW_COLOURS)),
            tooltip=[alt.Tooltip("month:T", title=_(grain.title()), format="%b %Y"), alt.Tooltip("kind:N", title=_("Kind")),
                     alt.Tooltip("kg:Q", title=_("Kg"), format=",.0f")],
        )
        .properties(height=240)
    )


def cover_chart(status: pd.DataFrame, season_months: int) -> alt.LayerChart | alt.Chart:
    """Months of lean-season lending each bank's stock can meet, against the season's length."""
    data = status[["bank", "lean_cover_months"]].dropna()
    if data.empty:
        return empty_chart("lean-season lending")
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("lean_cover_months:Q", title=_("Months of lean-season lending the stock covers")),
        alt.Y("bank:N", title=None, axis=category_axis()),
        color=alt.when(alt.datum.lean_cover_months < season_months).then(alt.value("#d62728")).otherwise(alt.value("#2ca02c")),
        tooltip=[alt.Tooltip("bank:N", title=_("Bank")), alt.Tooltip("lean_cover_months:Q", title=_("Cover (months)"))],
    )
    season = alt.Chart(pd.DataFrame({"months": [season_months]})).mark_rule(strokeDash=[6, 4]).encode(x="months:Q")
    return alt.layer(bars, season).properties(height=alt.Step(max(STEP, 30)))
