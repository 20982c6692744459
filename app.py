"""Entry point: page config, the data, the sidebar and the navigation. Nothing else lives here."""
import streamlit as st

from ui.sidebar import sidebar
from ui.state import ensure_loaded

st.set_page_config(page_title="CCPCR Back Office", page_icon="🌾", layout="wide")

PAGES = {
    "Dashboards": [
        st.Page("pages/overview.py", title="Overview", icon="📊", default=True),
        st.Page("pages/rice_bank.py", title="Rice bank", icon="🌾"),
        st.Page("pages/cow_bank.py", title="Cow bank", icon="🐄"),
        st.Page("pages/clinic.py", title="Clinic", icon="🏥"),
        st.Page("pages/savings.py", title="Savings groups", icon="💰"),
        st.Page("pages/prevention.py", title="Prevention", icon="🛡️"),
    ],
    "Data": [
        st.Page("pages/data_quality.py", title="Data quality", icon="✅"),
        st.Page("pages/tables.py", title="Tables", icon="📋"),
    ],
    "Admin": [
        st.Page("pages/sync.py", title="Sync & history", icon="🔄"),
    ],
}

ensure_loaded()
sidebar()
st.navigation(PAGES).run()
