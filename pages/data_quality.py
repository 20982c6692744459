"""Data quality: every open problem against its cell, errors first, each with a link that opens it: the
Tables page at that tab and row with the cell marked (any source, ui.cell_links), and the sheet's own cell
on a Google Sheet."""
import pandas as pd
import streamlit as st

from gateway import reads
from gateway.figures import may_run
from insights.quality import error_trend
from insights.quality_charts import error_trend_chart
from schemas.i18n import _
from schemas.rules import RULES, SEVERITY_NAMES
from ui import sheet_problems
from ui.auth import current_user
from ui.cell_links import fix_urls
from ui.state import query, read
from ui.widgets import altair_chart, csv_download, metric, place_picker, table


def by_rule_title(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as shown: each rule by its title (declared with the rule, both languages); the download keeps the id."""
    return frame.assign(rule=frame["rule"].map(lambda r: _(RULES[r].title) if r in RULES else r))


def with_fix_links(frame: pd.DataFrame, row: str = "row") -> pd.DataFrame:
    """The problems with `fix` first: the Tables page at each one's tab, row and column (`row`: the frame's
    column holding the sheet row), for every source; `link` stays the sheet's own cell where it has one."""
    fix = fix_urls(frame["tab"].tolist(), frame[row].tolist(), frame["column"].tolist())
    out = frame.assign(fix=fix)[["fix", *frame.columns]]
    return out.drop(columns=["link"]) if out["link"].isna().all() else out  # a workbook's cells have no address


def link_columns(what: str) -> dict:
    """The two links as one-click columns: into the app (any source) and into the sheet (Google Sheets)."""
    return {"fix": st.column_config.LinkColumn(_("Fix"), display_text=what, help=_("Opens the Tables page at this row, with the cell marked.")),
            "link": st.column_config.LinkColumn(_("In the sheet"), display_text=_("open in the sheet"),
                                                help=_("Opens the cell in the Google Sheet (a workbook on disk has no such link)."))}


user = current_user()
if user is None:
    st.stop()
st.title(_("Data quality"))
# Through the gateway: only the tabs this role may read, personal data in values and messages masked.
totals = read(reads.issue_totals)
left, right = st.columns(2)
metric(left, _("Open errors"), totals["errors"])
metric(right, _("Warnings"), totals["warnings"])
if not totals["errors"] and not totals["warnings"]:
    st.success(_("No problems found in any tab."))
sheet_problems.sheet_status(user)  # when the problems last went back to the sheet; warnings staff confirmed

by_tab, by_rule = st.columns(2)
by_tab.markdown(_("**By tab**"))
table(read(reads.open_errors_by_tab), by_tab)
by_rule.markdown(_("**By rule**"))
counts = read(reads.issue_counts)
table(by_rule_title(counts), by_rule)

st.subheader(_("Problems to fix"))
f1, f2, f3 = st.columns(3)
tab = f1.selectbox(_("Tab"), [None, *sorted(counts["tab"].unique())], format_func=lambda t: _("All tabs") if t is None else t, key="dq_tab")
rule = f2.selectbox(_("Rule"), [None, *sorted(counts["rule"].unique())], format_func=lambda r: _("All rules") if r is None else _(RULES[r].title) if r in RULES else r, key="dq_rule")
severity = f3.selectbox(_("Severity"), [None, "error", "warning"], format_func=lambda s: _("Errors and warnings") if s is None else _(SEVERITY_NAMES[s]), key="dq_severity")
with st.expander(_("Village"), expanded=False):
    village = place_picker("dq_place")
groups = read(reads.issue_groups, tab, rule, severity, village)
st.markdown(_("**By rule, tab and column**"))
groups = groups.assign(first_row=[str(rows).split(",")[0].strip() if isinstance(rows, str) else None for rows in groups["first_rows"]])
table(by_rule_title(with_fix_links(groups, "first_row")).drop(columns=["first_row"]), column_config=link_columns(_("fix the first")))
issues = read(reads.issues, tab, rule, severity, village)
table(by_rule_title(with_fix_links(issues)), column_config={
    **link_columns(_("fix this cell")), "message": st.column_config.TextColumn(_("What is wrong"), width="large"),
})
sheet_problems.confirm_warnings(user)
if len(issues) == 5000:
    st.caption(_("Showing the first 5,000; narrow the filters or download the list from the command line (python cli.py validate)."))
csv_download(issues, "data-quality-issues", _("the problems to fix"), key="issues_csv")

st.subheader(_("Open errors across refreshes"))
trend = query(error_trend) if may_run(user, error_trend) else None  # totals over every tab: admins
if trend is None:
    st.caption(_("The trend of open errors across every tab is shown to admins."))
elif len(trend) > 1:
    altair_chart(st, error_trend_chart(trend))
else:
    st.caption(_("The trend appears after the second refresh that finds changes."))

with st.expander(_("What each rule checks")):
    table(pd.DataFrame([{"rule": _(r.title), "severity": _(SEVERITY_NAMES[r.severity]), "what_to_do": _(r.fix)}
                        for r in RULES.values()]))
