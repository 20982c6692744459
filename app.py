"""Entry point: page config, the language, what a first start needs, sign-in, the data, the sidebar and the
navigation. Nothing else lives here. Sign-in comes first: nothing is written to the source before it succeeds,
and nothing read but what sign-in itself needs (the users tab, with Google sign-in). Every page runs inside
`shown_safely`: an exception is a short message with an id."""
import streamlit as st

from data.build_demo import ensure_demo_workbook
from gateway.declared import registry_problems
from schemas.i18n import _
from ui import live
from ui.auth import require_user
from ui.errors import shown_safely
from ui.language import apply_language, language_switch
from ui.navigation import open_page_asked_for, pages_for
from ui.sidebar import sidebar
from ui.startup import prepare
from ui.state import ensure_loaded, mark_entry
from ui.widgets import page_style

# No traceback in a browser, however the app was started (Community Cloud passes the legacy `False`, which
# still shows tracebacks): whatever escapes shown_safely below gets Streamlit's generic sentence only.
st.set_option("client.showErrorDetails", "none")
st.set_page_config(page_title="CCPCR Back Office", page_icon=":material/grass:", layout="wide")
apply_language()  # before any text: the whole run speaks one language
page_style()
mark_entry()
with shown_safely("app.py"):
    prepare(ensure_demo_workbook)  # the font, the demo workbook on a first start, a catalog that cannot load
    problems = registry_problems()
    if problems:  # a wrongly declared tab or setting: refuse to start rather than show wrong figures
        st.error(_("The back office cannot start: the registry of tabs is inconsistent. Fix these in schemas/ and restart:")
                 + "\n\n" + "\n".join(f"- {problem}" for problem in problems))
        st.stop()
    user = require_user()  # also applies the user's saved language before anything is drawn for them
    ensure_loaded()  # once per session: the refresh and the saves waiting (connectors.pipeline)
    language_switch(user)
    live.start()  # after sign-in: the poll never reads for a page nobody may see
    sidebar()
    live.freshness()
    sections = pages_for(user)
    page = st.navigation(sections)
    open_page_asked_for(sections)  # a page's own address asked for first, before sign-in
    with shown_safely(f"the page {page.url_path or 'overview'}"):
        page.run()
