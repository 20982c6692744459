"""Savings groups: capital, loans, cash and members of the saving groups; the agricultural cooperative apart."""
import streamlit as st

from insights import savings
from insights import savings_charts as charts
from ui.state import query
from ui.widgets import csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table, total

KINDS = {"saving_group": "Saving groups", "agricultural_cooperative": "Agricultural cooperative"}

st.title("Savings groups and the agricultural cooperative")
filters = dashboard_filters("savings")
open_errors_notice(savings.TABS)

capital = query(savings.capital_on, filters.end, filters.place)
st.markdown(f"Capital of the saving groups and agricultural cooperative on {filters.end:%d %b %Y}: "
            f"**{capital['riel']:,.0f} riel** (**${capital['usd']:,.2f}** at {capital['riel_per_usd']:,.0f} riel per dollar, "
            "the setting riel_per_usd).")
left_out_note(savings.capital_on)
st.caption(" · ".join(savings.DEFINITIONS[k] for k in ("capital", "loans_outstanding", "cash_in_hand")))

groups = query(savings.groups_on, filters.end, filters.place)
over_time = query(savings.capital_over_time, filters)
ratios = query(savings.ratios, filters)

for kind, title in KINDS.items():
    mine = groups[groups["kind"] == kind]
    st.header(title)
    if mine.empty:
        st.info(f"No {title.lower()} founded by {filters.end:%d %b %Y} in this place.")
        continue
    cols = st.columns(5)
    metric(cols[0], "Groups", len(mine))
    members, women = total(mine, "members"), total(mine, "female_members")
    metric(cols[1], "Members", members, help="Members today, as the groups tab records them.")
    cols[2].metric("Women", f"{women / max(members, 1):.0%}" if isinstance(members, int) and isinstance(women, int) else "hidden (small counts)")
    metric(cols[3], "Capital", mine["capital_riel"].sum(), "៛", help=f"${mine['capital_usd'].sum():,.2f}")
    metric(cols[4], "Cash in hand", mine["cash_in_hand_riel"].sum(), "៛",
           help=f"loans out {mine['loans_outstanding_riel'].sum():,.0f} ៛")
    left_out_note(savings.groups_on)

    series = over_time[over_time["kind"] == kind]
    currency = st.radio("Show capital in", ["riel", "dollars"], horizontal=True, key=f"currency_{kind}")
    left, right = st.columns([3, 2])
    left.markdown("**Capital per group over time**")
    left.altair_chart(charts.capital_by_group(series, "riel" if currency == "riel" else "usd"), width="stretch")
    right.markdown("**Loans outstanding and cash in hand**")
    right.altair_chart(charts.loans_and_cash(series), width="stretch")
    left_out_note(savings.capital_over_time)
    csv_download(series, f"savings_capital_over_time_{kind}", key=f"csv_over_time_{kind}")

    st.markdown(f"**Groups on {filters.end:%d %b %Y}**")
    table(mine, tab="savings_groups")
    csv_download(mine, f"savings_groups_{kind}", key=f"csv_groups_{kind}")
    if kind == "saving_group":
        st.altair_chart(charts.members_and_women(mine), width="stretch")

st.header("Ratios savings-group practitioners use (SAVIX-style)")
st.caption(f"For {filters.start:%d %b %Y} – {filters.end:%d %b %Y}; the totals add up the groups' parts, they do not average ratios.")
st.markdown("\n".join(f"- {savings.DEFINITIONS[k]}" for k in
                      ("savings_per_member", "share_borrowing", "average_loan", "return_on_savings", "portfolio_at_risk")))
shown = ratios[["name", "kind", "members", "savings_per_member_riel", "share_borrowing", "average_loan_riel",
                "return_on_savings", "portfolio_at_risk", "borrowers", "loans_lent", "income_riel", "outstanding_riel", "at_risk_riel"]]
table(shown, percent=("share_borrowing", "return_on_savings", "portfolio_at_risk"))
left_out_note(savings.ratios)
csv_download(ratios, "savings_ratios", key="csv_ratios")
