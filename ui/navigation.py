"""The pages, by section, and which roles see them: from the registry (schemas.registry.site). Hiding a
page is a courtesy: the data functions behind every page check the role again (connectors.access)."""
from __future__ import annotations

import streamlit as st

from connectors.access import User, may_open_page
from schemas.i18n import _
from schemas.registry import Page, site
from ui.state import ASKED_FOR

DEFAULT_PAGE = "pages/overview.py"


def pages() -> dict[str, list[tuple[Page, str | None]]]:
    """Section -> (page, the programme whose tabs it reads or None), as registered now."""
    return site.navigation()


def pages_for(user: User) -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, listed in pages().items():
        allowed = [
            st.Page(page.file, title=_(page.title), icon=page.icon, default=(page.file == DEFAULT_PAGE))
            for page, programme in listed
            if may_open_page(user, programme, page.admin_only)
        ]
        if allowed:
            sections[_(section)] = allowed
    return sections


def open_page_asked_for(sections: dict[str, list]) -> None:
    """After sign-in, the page a visitor asked for by its address before app.py ever ran (a fresh process's
    first URL, ui.state.signed_in_user), with its query (a problem's link): opened if this user may see it;
    otherwise the navigation's default page stays."""
    asked = st.session_state.pop(ASKED_FOR, None)
    if not asked or not asked[0]:
        return
    url_path, query = asked
    for listed in sections.values():
        for page in listed:
            if page.url_path == url_path:  # the default page has no address of its own
                st.switch_page(page, query_params=query or None)
