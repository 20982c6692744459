"""Altair chart of the health-education section of the Clinic page (frames from insights.health_education)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, hidden_counts, or_empty, with_labels
from schemas.formats import labels_of
from schemas.i18n import gettext as _


@or_empty("health education sessions")
def sessions_by_month(frame: pd.DataFrame) -> alt.Chart:
    data = with_labels(frame, {"given_by": "health_education.given_by"})
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("month:T", title=_("Month"), axis=MONTH_AXIS), alt.Y("sessions:Q", title=_("Sessions"), stack="zero"),
        alt.Color("given_by:N", title=_("Given by"), sort=list(labels_of("health_education.given_by").values()), legend=LEGEND),
        tooltip=[alt.Tooltip("month:T", title=_("Month"), format="%b %Y"), alt.Tooltip("given_by:N", title=_("Given by")),
                 alt.Tooltip("sessions:Q", title=_("Sessions")), alt.Tooltip("participants:Q", title=_("Participants")),
                 alt.Tooltip("on_mobile_clinic_days:Q", title=_("On mobile-clinic days"))],
    )
    return hidden_counts(bars, data, "sessions", "month").properties(height=220)
