"""Entry point: page config, the language, sign-in, the data, the sidebar and the navigation. Nothing else lives here.
Sign-in comes first: nothing reads or writes the source before it succeeds (ui.auth loads the data)."""
import streamlit as st

from gateway.declared import registry_problems
from schemas.i18n import _
from ui import live
from ui.auth import require_user
from ui.language import apply_language, language_switch, remember_for
from ui.navigation import pages_for
from ui.sidebar import sidebar
from ui.state import mark_entry
from ui.widgets import page_style

st.set_page_config(page_title="CCPCR Back Office", page_icon=":material/grass:", layout="wide")
apply_language()  # before any text: the whole run speaks one language
page_style()
mark_entry()
problems = registry_problems()
if problems:  # a wrongly declared tab or setting: refuse to start rather than show wrong figures
    st.error(_("The back office cannot start: the registry of tabs is inconsistent. Fix these in schemas/ and restart:")
             + "\n\n" + "\n".join(f"- {problem}" for problem in problems))
    st.stop()
user = require_user()
remember_for(user)
language_switch(user)
live.start()  # after sign-in: the poll never reads for a page nobody may see
sidebar()
live.freshness()
st.navigation(pages_for(user)).run()
