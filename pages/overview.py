"""Overview: the year's results as the programme report states them, one small chart per programme, and
the donor pack (PDF, XLSX, Markdown), built only when asked so the page stays fast."""
import streamlit as st

from insights.common import default_year, years_with_data
from insights.overview import PROGRAMME_FIGURES, results_sentences, year_results
from insights.overview_charts import monthly_figures, programme_charts, results_table
from reports import FORMATS
from schemas.i18n import LANGUAGES, _, current_language
from schemas.registry import TABS
from ui.markdown import literal
from ui.state import cache, query, signed_in_user
from ui.widgets import altair_chart, csv_download, file_download, left_out_note, open_errors_notice, place_picker

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
    text.markdown("\n".join(f"- {literal(s)}" for s in sentences))
    left_out_note(*PROGRAMME_FIGURES[programme], container=text)
    if programme in charts:
        altair_chart(chart, charts[programme])

csv_download(results_table(sentences_by_programme), f"ccpcr-results-{year}", _("results for {year}").format(year=year), key="overview_csv")

# The donor pack: built through the gateway for the signed-in role, shown as to a viewer (reports.pack).
with st.expander(_("Donor pack (PDF, XLSX, Markdown)"), expanded=False):
    st.caption(_("For donors: the year's figures per programme with these charts, the data problems and the source. "
                 "Small counts read \"<5\" whatever your role, and the pack holds no personal data."))
    languages = list(LANGUAGES)
    pack_language = st.selectbox(_("Language of the pack"), languages, index=languages.index(current_language()),
                                 format_func=LANGUAGES.get, key="pack_language")
    wanted = (year, place, pack_language, cache().generation())
    if st.button(_("Prepare donor pack"), key="pack_prepare"):
        from reports.files import build_pack, pack_bytes  # the renderers load on the first pack, not with the page

        with st.spinner(_("Preparing the donor pack…")):
            pack = build_pack(cache(), signed_in_user(), year, pack_language, place)
            st.session_state["donor_pack"] = (wanted, {fmt: pack_bytes(pack, fmt) for fmt in FORMATS})
    prepared = st.session_state.get("donor_pack")
    if prepared and prepared[0] == wanted:
        from reports.files import MIME, file_name

        for fmt in FORMATS:
            file_download(prepared[1][fmt], _("Download donor pack ({format})").format(format=fmt.upper()), file_name(year, fmt, pack_language), MIME[fmt],
                          key=f"pack_{fmt}", rerun=False)
