"""The sidebar every page shares: where the data comes from and a Refresh button. How fresh the data is
shows in the line at the top of every page (ui.live), drawn after this button has done its work."""
from __future__ import annotations

import streamlit as st

from schemas.i18n import _, number
from ui.markdown import literal
from ui.state import masked_source_text, refresh, source_label


def sidebar() -> None:
    with st.sidebar:
        st.markdown(_("**Source:** {source}").format(source=literal(source_label())))
        if st.button(_("Refresh"), key="refresh", help=_("Read the source again if it changed since the last refresh.")):
            bar = st.progress(0.0, text=_("Starting…"))
            refresh(force=False, progress=lambda what, done: bar.progress(min(max(done, 0.0), 1.0), text=what))
            bar.empty()
            result = st.session_state.get("last_refresh")
            if result is not None and "source_problem" not in st.session_state:
                st.success(_("Nothing changed since the last refresh.") if result.skipped
                           else _("Refreshed: {errors} errors, {warnings} warnings.").format(errors=number(result.errors), warnings=number(result.warnings)))
        problem = st.session_state.get("source_problem")
        if problem:
            st.warning(_("The source could not be read, so this shows the last data loaded. {problem}").format(problem=literal(masked_source_text(problem))))
