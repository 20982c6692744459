"""Altair chart of the health-education section of the Clinic page (frames from insights.health_education)."""
from __future__ import annotations

import altair as alt
import pandas as pd

GIVEN_BY = {"ccpcr": "CCPCR clinic staff", "health_department": "Kampot Health Department", "both": "Both together"}


def sessions_by_month(frame: pd.DataFrame) -> alt.Chart:
    data = frame.assign(given=frame["given_by"].map(GIVEN_BY).fillna(frame["given_by"]))
    return alt.Chart(data).mark_bar().encode(
        alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")), alt.Y("sessions:Q", title="Sessions", stack="zero"),
        alt.Color("given:N", title="Given by", sort=list(GIVEN_BY.values())),
        tooltip=[alt.Tooltip("month:T", format="%b %Y"), "given:N", "sessions:Q", "participants:Q", "on_mobile_clinic_days:Q"],
    ).properties(height=220)
