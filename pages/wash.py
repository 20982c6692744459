"""Household hygiene: toilets, clean water and hand-washing places, from each household's latest survey."""
import streamlit as st

from insights import wash
from insights import wash_charts as charts
from schemas.i18n import _, day, number, percent
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

st.title(_("Household hygiene — toilets, clean water and sanitation"))
filters = dashboard_filters("wash")
open_errors_notice(wash.TABS)

now = query(wash.summary, filters)
if not now["households"]:
    st.info(_("No household of this place had been surveyed by {day}.").format(day=day(filters.end)))
else:
    st.markdown(_("On {day}, of the **{households} households** surveyed, **{toilet}** had a toilet and **{water}** drank clean water "
                  "({handwashing} had a hand-washing place).").format(
        day=day(filters.end), households=number(now["households"]), toilet=percent(now["share_toilet"]),
        water=percent(now["share_clean_water"]), handwashing=percent(now["share_handwashing"])))
    cols = st.columns(4)
    metric(cols[0], _("Households surveyed"), now["households"])
    cols[1].metric(_("With a toilet"), f"{now['share_toilet']:.0%}", help=_("{households} households, {own} with their own").format(
                       households=number(now["with_toilet"]), own=number(now["own_toilet"])))
    cols[2].metric(_("Clean water"), f"{now['share_clean_water']:.0%}", help=_("{households} households").format(households=number(now["clean_water"])))
    cols[3].metric(_("Hand-washing place"), f"{now['share_handwashing']:.0%}", help=_("{households} households").format(households=number(now["handwashing"])))
left_out_note(wash.summary)
st.caption(" · ".join(wash.definitions().values()))

st.markdown(_("**Trend, year by year**"))
frame = query(wash.by_year, filters)
altair_chart(st, charts.trend(frame))
csv_download(frame, "wash_by_year", _("household hygiene by year"), key="csv_wash_by_year")

st.markdown(_("**By village on {day}**").format(day=day(filters.end)))
villages = query(wash.by_year_and_village, filters)
latest = villages[villages["year"] == filters.end.year]
altair_chart(st, charts.villages(latest))
frame = villages  # small counts already hidden for viewers by the gateway
table(frame)
csv_download(frame, "wash_by_village", _("household hygiene by village"), key="csv_wash_by_village")

st.markdown(_("**Where the drinking water comes from**"))
frame = query(wash.water_sources, filters)
altair_chart(st, charts.water_sources(frame))
csv_download(frame, "wash_water_sources", _("drinking water sources"), key="csv_wash_water_sources")
