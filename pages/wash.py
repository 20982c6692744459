"""Household hygiene: toilets, clean water and hand-washing places, from each household's latest survey."""
import streamlit as st

from insights import wash
from insights import wash_charts as charts
from ui.state import query
from ui.widgets import csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

st.title("Household hygiene — toilets, clean water and sanitation")
filters = dashboard_filters("wash")
open_errors_notice(wash.TABS)

now = query(wash.summary, filters)
if not now["households"]:
    st.info(f"No household of this place had been surveyed by {filters.end:%d %b %Y}.")
else:
    st.markdown(f"On {filters.end:%d %b %Y}, of the **{now['households']:,} households** surveyed, **{now['share_toilet']:.0%}** "
                f"had a toilet and **{now['share_clean_water']:.0%}** drank clean water "
                f"({now['share_handwashing']:.0%} had a hand-washing place).")
    cols = st.columns(4)
    metric(cols[0], "Households surveyed", now["households"])
    cols[1].metric("With a toilet", f"{now['share_toilet']:.0%}", help=f"{now['with_toilet']:,} households, {now['own_toilet']:,} with their own")
    cols[2].metric("Clean water", f"{now['share_clean_water']:.0%}", help=f"{now['clean_water']:,} households")
    cols[3].metric("Hand-washing place", f"{now['share_handwashing']:.0%}", help=f"{now['handwashing']:,} households")
left_out_note(wash.summary)
st.caption(" · ".join(wash.DEFINITIONS.values()))

st.markdown("**Trend, year by year**")
frame = query(wash.by_year, filters)
st.altair_chart(charts.trend(frame), width="stretch")
csv_download(frame, "wash_by_year", key="csv_wash_by_year")

st.markdown(f"**By village on {filters.end:%d %b %Y}**")
villages = query(wash.by_year_and_village, filters)
latest = villages[villages["year"] == filters.end.year]
st.altair_chart(charts.villages(latest), width="stretch")
frame = villages  # small counts already hidden for viewers by the gateway
table(frame)
csv_download(frame, "wash_by_village", key="csv_wash_by_village")

st.markdown("**Where the drinking water comes from**")
frame = query(wash.water_sources, filters)
st.altair_chart(charts.water_sources(frame), width="stretch")
csv_download(frame, "wash_water_sources", key="csv_wash_water_sources")
