"""The Data quality page's chart: open errors and warnings at each refresh."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, or_empty
from schemas.i18n import gettext as _


def time_format(times: pd.Series) -> str:
    """A tick format that tells the refreshes apart over the span they cover (never ":30 :30")."""
    span = pd.to_datetime(times).max() - pd.to_datetime(times).min()
    if span < pd.Timedelta(hours=1):
        return "%H:%M:%S"
    if span < pd.Timedelta(days=2):
        return "%d %b %H:%M"
    return "%d %b %Y"


@or_empty("refreshes")
def error_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    long = trend.melt(id_vars="refreshed_at", value_vars=["errors", "warnings"], var_name="severity", value_name="problems")
    long["severity"] = long["severity"].map({"errors": _("Open errors"), "warnings": _("Warnings")})
    return alt.Chart(long).mark_line(point=True).encode(
        alt.X("refreshed_at:T", title=_("Refresh"),
              axis=alt.Axis(format=time_format(trend["refreshed_at"]), labelOverlap=True, labelAngle=-30, tickCount=6)),
        alt.Y("problems:Q", title=_("Problems"), axis=alt.Axis(tickMinStep=1, format="d")),
        alt.Color("severity:N", title=None, legend=LEGEND),
        tooltip=[alt.Tooltip("refreshed_at:T", title=_("Refresh"), format="%d %b %Y %H:%M:%S"),
                 alt.Tooltip("severity:N", title=_("Severity")), alt.Tooltip("problems:Q", title=_("Problems"))],
    ).properties(height=220)
