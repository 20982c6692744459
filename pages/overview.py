"""Overview: the year's results as the programme report states them, one small chart per programme."""
import streamlit as st

from insights.common import default_year, years_with_data
from insights.overview import PROGRAMME_FIGURES, results_sentences, year_results
from insights.overview_charts import monthly_figures, programme_charts, results_table
from schemas.i18n import _
from schemas.registry import TABS
from ui.state import query
from ui.widgets import csv_download, left_out_note, open_errors_notice, place_picker

st.title(_("CCPCR — the year's results"))
years = query(years_with_data)
if not years:
    st.info(_("No data yet. Check the source in the sidebar and press Refresh."))
    st.stop()
year = st.selectbox(_("Year"), years, index=years.index(query(default_year)), key="year")
with st.expander(_("Place"), expanded=False):
    place = place_picker("overview_place")
open_errors_notice([t.name for t in TABS if t.programme != "admin" or t.name == "settings"])
results = query(year_results, year, place)
charts = programme_charts(query(monthly_figures, year, place))
sentences_by_programme = results_sentences(results)
for programme, sentences in sentences_by_programme.items():
    st.subheader(_(programme))
    text, chart = st.columns([3, 2])
    text.markdown("\n".join(f"- {s}" for s in sentences))
    left_out_note(*PROGRAMME_FIGURES[programme], container=text)
    if programme in charts:
        chart.altair_chart(charts[programme], width="stretch")

csv_download(results_table(sentences_by_programme), f"ccpcr-results-{year}", key="overview_csv")
