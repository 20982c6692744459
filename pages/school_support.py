"""School support: children of the programme's families given materials to enrol in state school."""
import streamlit as st

from insights import school_support
from insights import school_support_charts as charts
from schemas.i18n import _, day, number, percent
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

st.title(_("School support — materials so children can enrol in state school"))
filters = dashboard_filters("school_support")
open_errors_notice(school_support.TABS)
period = _("{start} – {end}").format(start=day(filters.start), end=day(filters.end))

totals = query(school_support.summary, filters)
share = totals["share_in_school"]
figures = {"period": period, "children": number(totals["children"]), "enrolled": number(totals["enrolled"])}
if share is None:
    st.markdown(_("From {period}, **{children} children** were given school materials and **{enrolled}** were enrolled in state school.").format(**figures))
else:
    st.markdown(_("From {period}, **{children} children** were given school materials and **{enrolled}** were enrolled in state school; "
                  "**{share}** of the enrolled children were still in school at the year's end.").format(share=percent(share), **figures))
cols = st.columns(4)
metric(cols[0], _("Children supported"), totals["children"])
metric(cols[1], _("Enrolled"), totals["enrolled"])
cols[2].metric(_("Still in school at year end"), "–" if share is None else percent(share),
               help=_("{in_school} of {answered} enrolled children with a year-end answer").format(
                   in_school=number(totals["in_school"]), answered=number(totals["answered"])))
cols[3].metric(_("Materials per child"), "–" if totals["materials_per_child"] is None else f"{totals['materials_per_child']:.1f}")
left_out_note(school_support.summary)
st.caption(" · ".join(school_support.definitions().values()))

st.markdown(_("**Children supported, enrolled and still in school, by year**"))
frame = query(school_support.by_year, filters)
altair_chart(st, charts.children_by_year(frame))
csv_download(frame, "school_support_by_year", _("children supported by year"), key="csv_school_by_year")

st.markdown(_("**By year and village**"))
frame = query(school_support.by_year_and_village, filters)
if frame.empty:
    st.info(_("No school support in this period and place."))
else:
    altair_chart(st, charts.share_in_school_by_village(frame))
    table(frame)
csv_download(frame, "school_support_by_village", _("school support by year and village"), key="csv_school_by_village")

st.markdown(_("**Materials given**"))
frame = query(school_support.materials, filters)
altair_chart(st, charts.materials(frame))
csv_download(frame, "school_support_materials", _("materials given"), key="csv_school_materials")
