"""The pages, by section, and which roles see them. Hiding a page is a courtesy: the data functions
behind every page check the role again (connectors.access)."""
from __future__ import annotations

import streamlit as st

from connectors.access import User, can_read
from schemas.i18n import N_, _
from schemas.registry import TABS

# page file, title, icon, the programme whose tabs it reads (None: everyone signed in), admin only
PAGES = {
    N_("Dashboards"): [
        ("pages/overview.py", N_("Overview"), ":material/dashboard:", None, False),
        ("pages/rice_bank.py", N_("Rice bank"), ":material/grass:", "rice_bank", False),
        ("pages/cow_bank.py", N_("Cow bank"), ":material/pets:", "cow_bank", False),
        ("pages/clinic.py", N_("Clinic"), ":material/local_hospital:", "clinic", False),
        ("pages/savings.py", N_("Savings groups"), ":material/savings:", "savings", False),
        ("pages/prevention.py", N_("Prevention"), ":material/shield:", "prevention", False),
        ("pages/school_support.py", N_("School support"), ":material/school:", "school_support", False),
        ("pages/wash.py", N_("Household hygiene"), ":material/water_drop:", "wash", False),
    ],
    N_("Data"): [
        ("pages/data_quality.py", N_("Data quality"), ":material/fact_check:", None, False),
        ("pages/tables.py", N_("Tables"), ":material/table_view:", None, False),
    ],
    N_("Admin"): [
        ("pages/sync.py", N_("Sync & history"), ":material/sync:", None, True),
    ],
}


def may_open(user: User, programme: str | None, admin_only: bool) -> bool:
    if admin_only:
        return user.is_admin
    if programme is None:
        return True
    return any(can_read(user, t) for t in TABS if t.programme == programme)


def pages_for(user: User) -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, pages in PAGES.items():
        allowed = [
            st.Page(path, title=_(title), icon=icon, default=(path == "pages/overview.py"))
            for path, title, icon, programme, admin_only in pages
            if may_open(user, programme, admin_only)
        ]
        if allowed:
            sections[_(section)] = allowed
    return sections
