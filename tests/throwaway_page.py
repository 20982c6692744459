"""The throwaway programme's dashboard (tests/throwaway_programme.py registers it with its programme): a page is
a file that asks `ui.state.query` for its figures, nothing more."""
import streamlit as st

from tests import throwaway_programme
from ui.state import query
from ui.widgets import dashboard_filters, metric

st.title("Solar lamps")
filters = dashboard_filters("energy")
metric(st, "Lamps handed on", query(throwaway_programme.lamps_handed_on, filters)["lamps"])
