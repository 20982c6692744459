"""Data quality: every open issue against its cell, errors first (the full page comes with the validation issue)."""
import streamlit as st

from insights.quality import issue_counts, issue_list
from ui.state import query
from ui.widgets import csv_download

st.title("Data quality")
counts = query(issue_counts)
if counts.empty:
    st.success("No problems found in any tab.")
    st.stop()
st.dataframe(counts, hide_index=True)
issues = query(issue_list)
st.dataframe(issues, hide_index=True, column_config={"link": st.column_config.LinkColumn("Link", display_text="open cell")})
csv_download(issues, "data-quality-issues", key="issues_csv")
