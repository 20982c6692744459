"""The interface language: chosen in the sidebar, remembered per user (connectors.preferences), else
BACKOFFICE_LANGUAGE. `apply_language()` runs first thing on every run (app.py), so every text of the run
(catalog messages, labels, numbers and dates) is in one language."""
from __future__ import annotations

import streamlit as st

from connectors.access import User
from connectors.preferences import save_language, saved_language
from schemas.i18n import LANGUAGES, configured_language, current_language, set_language
from ui.callbacks import persons_change_only

KEY = "language"  # session-state key of the sidebar switch
# The choice itself, under a key no widget owns: Streamlit drops a widget's value on a page switch, which
# made the page opened next from the navigation English again.
_CHOSEN = "language_chosen"
_LOADED_FOR = "language_loaded_for"  # the e-mail whose saved choice this session has applied


def apply_language() -> str:
    """The session's language (the switch, else the saved choice, else BACKOFFICE_LANGUAGE) for this run."""
    code = st.session_state.get(_CHOSEN)
    set_language(code if code in LANGUAGES else configured_language())
    return current_language()


def remember_for(email: str) -> None:
    """Once the e-mail is known (before anything is drawn for it: the sidebar's sign-in note, the loading spinner):
    this user's saved choice, unless they picked one in this session already."""
    if st.session_state.get(_LOADED_FOR) == email:
        return
    st.session_state[_LOADED_FOR] = email
    saved = saved_language(email)
    if saved in LANGUAGES and st.session_state.get(_CHOSEN) in (None, saved):
        st.session_state[_CHOSEN] = saved
        set_language(saved)


@persons_change_only
def _chosen(email: str) -> None:
    code = st.session_state.get(KEY)
    if code not in LANGUAGES:  # clicking the chosen language again unselects it: keep the language shown
        st.session_state[KEY] = current_language()
        return
    st.session_state[_CHOSEN] = code
    save_language(email, code)


def language_switch(user: User) -> None:
    if st.session_state.get(KEY) != current_language():  # a new page's run: the switch shows the language in use
        st.session_state[KEY] = current_language()
    # One label in both languages: it reads the same whichever is chosen, and a label that changed with the
    # choice would make Streamlit see a new widget and drop the choice just made.
    st.sidebar.selectbox("Language / ភាសា", list(LANGUAGES), format_func=LANGUAGES.get, key=KEY,
                         on_change=_chosen, args=(user.email,))
