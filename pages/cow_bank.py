"""Cow bank: lineages, pass-on obligations and policy breaches, herd and families reached over time."""
import streamlit as st

from insights.cow_bank import (
    TABS,
    calves_by_year,
    definitions,
    founders,
    generations,
    herd_over_time,
    lineage,
    pass_on_by_family,
    pass_on_obligations,
    policy_breaches,
    summary,
)
from insights.cow_bank_charts import calves_chart, generations_chart, herd_chart, lineage_chart
from schemas.i18n import _, day, ngettext, number
from ui.state import query
from ui.widgets import altair_chart, count, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, settings_note, table

WIDE = {"calf_1": st.column_config.TextColumn(_("Calf 1"), width="large"), "calf_2": st.column_config.TextColumn(_("Calf 2"), width="large")}

st.title(_("Cow bank"))
filters = dashboard_filters("cow")
open_errors_notice(TABS)  # the tabs the programme's insights declare
with st.expander(_("How these numbers are computed")):
    st.markdown("\n".join(f"- {line}" for line in definitions()))

totals = query(summary, filters)
depth = query(generations, filters)
obligations = query(pass_on_obligations, filters)
cols = st.columns(5)
# every cow bought or born by the day, sold and dead ones included (the herd alive is the chart's line below)
metric(cols[0], _("Cows bought or born by {day}").format(day=day(filters.end)), totals["herd"],
       help=_("{founders} bought + {born} born, sold and dead ones included").format(founders=number(totals["founders"]), born=number(totals["born_total"])))
metric(cols[1], _("Calves born"), totals["born"], help=_("In the period"))
metric(cols[2], _("Calves passed on"), totals["passed_on"], help=_("In the period"))
cols[3].metric(_("Generations"), f"{int(depth['generation'].max()) + 1 if len(depth) else 0}")
metric(cols[4], _("Overdue pass-ons"), count(int((obligations["status"] == "overdue").sum()) if len(obligations) else 0))
left_out_note(summary, generations, pass_on_obligations)

st.subheader(_("Lineages"))
lines = query(founders, filters)
if lines.empty:
    st.info(_("No cows in this place by the end of the period."))
else:
    labels = {r.founder_id: ngettext("{founder} — {n} cow, {village}", "{founder} — {n} cows, {village}", r.cows).format(
        founder=r.founder_id, n=number(r.cows), village=r.village or "?") for r in lines.itertuples()}
    founder = st.selectbox(_("Lineage"), [None, *labels], key="cow_lineage", format_func=lambda f: _("All lineages") if f is None else labels[f])
    tree = query(lineage, filters, founder)
    if tree["truncated"]:
        st.caption(_("Too many cows to draw at once: the first {n} are drawn; pick one lineage to see the rest.").format(n=number(len(tree["nodes"]))))
    altair_chart(st, lineage_chart(tree["nodes"], tree["links"]))
    left_out_note(lineage)
    csv_download(tree["nodes"], "cow-lineage", _("the cow's lineage"), key="cow_lineage_csv")

st.subheader(_("Pass-on obligations"))
left, right = st.columns([3, 2])
with left:
    by_family = query(pass_on_by_family, filters)
    st.caption(_("Per family granted a cow: its first calves, as things stood at the period's end (overdue first)."))
    table(by_family, column_config=WIDE)
    left_out_note(pass_on_by_family)
    csv_download(by_family, "cow-pass-on-obligations", _("pass-on obligations"), key="cow_obligations_csv")
with right:
    breaches = query(policy_breaches, filters)
    st.caption(_("Policy breaches found by validation"))
    settings_note(policy_breaches.settings)  # the policy the breaches were found against
    if breaches.empty:
        st.success(_("No cow-bank policy breaches."))
    else:
        table(breaches[["severity", "cow_id", "message", "link"]],
              column_config={"link": st.column_config.LinkColumn(_("Link"), display_text=_("open cell"))})
        csv_download(breaches, "cow-policy-breaches", _("policy breaches"), key="cow_breaches_csv")

st.subheader(_("Herd and families reached"))
herd = query(herd_over_time, filters)
altair_chart(st, herd_chart(herd))
left_out_note(herd_over_time)
csv_download(herd, "cow-herd", _("the herd"), key="cow_herd_csv")
left, right = st.columns(2)
with left:
    st.markdown(_("**Calves born per year, up to {day}**").format(day=day(filters.end)))
    calves = query(calves_by_year, filters)
    altair_chart(st, calves_chart(calves))
    left_out_note(calves_by_year)
    csv_download(calves, "cow-calves-by-year", _("calves born per year"), key="cow_calves_csv")
with right:
    st.markdown(_("**Cows per generation**"))
    altair_chart(st, generations_chart(depth))
    left_out_note(generations)
    csv_download(depth, "cow-generations", _("cows per generation"), key="cow_generations_csv")
