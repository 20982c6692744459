"""School support: children of the programme's families given materials to enrol in state school."""
import streamlit as st

from insights import school_support
from insights import school_support_charts as charts
from ui.state import query
from ui.widgets import csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

st.title("School support — materials so children can enrol in state school")
filters = dashboard_filters("school_support")
open_errors_notice(school_support.TABS)
period = f"{filters.start:%d %b %Y} – {filters.end:%d %b %Y}"

totals = query(school_support.summary, filters)
share = totals["share_in_school"]
st.markdown(f"In {period}, **{totals['children']:,} children** were given school materials and **{totals['enrolled']:,}** "
            "were enrolled in state school"
            + (f"; **{share:.0%}** of the enrolled children were still in school at the year's end." if share is not None else "."))
cols = st.columns(4)
metric(cols[0], "Children supported", totals["children"])
metric(cols[1], "Enrolled", totals["enrolled"])
cols[2].metric("Still in school at year end", "–" if share is None else f"{share:.0%}",
               help=f"{totals['in_school']:,} of {totals['answered']:,} enrolled children with a year-end answer")
cols[3].metric("Materials per child", "–" if totals["materials_per_child"] is None else f"{totals['materials_per_child']:.1f}")
left_out_note(school_support.summary)
st.caption(" · ".join(school_support.DEFINITIONS.values()))

st.markdown("**Children supported, enrolled and still in school, by year**")
frame = query(school_support.by_year, filters)
st.altair_chart(charts.children_by_year(frame), width="stretch")
csv_download(frame, "school_support_by_year", key="csv_school_by_year")

st.markdown("**By year and village**")
frame = query(school_support.by_year_and_village, filters)
if frame.empty:
    st.info("No school support in this period and place.")
else:
    st.altair_chart(charts.share_in_school_by_village(frame), width="stretch")
    table(frame)
csv_download(frame, "school_support_by_village", key="csv_school_by_village")

st.markdown("**Materials given**")
frame = query(school_support.materials, filters)
st.altair_chart(charts.materials(frame), width="stretch")
csv_download(frame, "school_support_materials", key="csv_school_materials")
