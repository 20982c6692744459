"""Rice bank: stock per bank, the ledger behind it, inflows and outflows, loans and lean-season cover."""
import datetime as dt

import streamlit as st

from insights.common import Filters, int_list_setting
from insights.rice_bank import (
    DEFINITIONS,
    MAX_TABLE_ROWS,
    bank_status,
    banks,
    ledger_count,
    ledger_entries,
    loan_book,
    loan_figures,
    loans_by_household,
    rice_flows_by_month,
    rice_stock_by_day,
)
from insights.rice_bank_charts import BANK_CLICK, PERIOD_BRUSH, cover_chart, flows_chart, stock_chart
from ui.state import query
from ui.widgets import csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

CHART_KEY = "rice_stock_chart"


def _as_date(value) -> dt.date:
    """A brush end as Vega sends it: milliseconds since 1970 (or an ISO text)."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date()
    return dt.date.fromisoformat(str(value)[:10])


def _chart_selection() -> tuple[str | None, tuple[dt.date, dt.date] | None]:
    """The bank clicked and the days brushed on the stock chart in the last interaction (read before drawing)."""
    state = st.session_state.get(CHART_KEY) or {}
    selection = state.get("selection", {}) if hasattr(state, "get") else {}
    clicked = selection.get(BANK_CLICK) or []
    bank = clicked[0].get("bank") if clicked and isinstance(clicked[0], dict) else None
    brushed = (selection.get(PERIOD_BRUSH) or {}).get("day")
    days = (_as_date(min(brushed)), _as_date(max(brushed))) if brushed else None
    return bank, days


def _kg(value) -> str:
    return "—" if value is None else f"{value:,.0f} kg"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0%}"


st.title("Rice bank")
filters = dashboard_filters("rice")
open_errors_notice(["rice_banks", "rice_ledger", "households", "settings"])
with st.expander("How these numbers are computed"):
    st.markdown("\n".join(f"- {line}" for line in DEFINITIONS))

bank_list = query(banks, filters.place)
if bank_list.empty:
    st.info("No rice bank in this place.")
    st.stop()

# Clicking a bank on the chart (or its legend) filters everything; so does the picker.
clicked_bank, brushed_days = _chart_selection()
bank_ids = bank_list["bank_id"].tolist()
names = dict(zip(bank_list["bank_id"], bank_list["bank"]))
picked = st.selectbox("Bank", [None, *bank_ids], key="rice_bank_pick", format_func=lambda b: "All banks" if b is None else f"{names[b]} ({b})")
by_name = {name: bank_id for bank_id, name in names.items()}
bank_id = by_name.get(clicked_bank) or picked
if clicked_bank and bank_id != picked:
    st.caption(f"Showing **{clicked_bank}**, clicked on the chart — click it again (or empty space) to show all banks.")

# Alerts first: what needs doing.
status = query(bank_status, filters)
shown_status = status if bank_id is None else status[status["bank_id"] == bank_id]
season = len(query(int_list_setting, "rice_lean_months"))
for row in shown_status.itertuples():
    if row.alerts:
        st.warning(f"**{row.bank}**: {row.alerts}.")

figures = query(loan_figures, filters, bank_id)
cols = st.columns(5)
metric(cols[0], f"Stock on {filters.end:%d %b %Y}", figures["stock_kg"], "kg")
cols[1].metric("Share of stock out on loan", _pct(figures["share_on_loan"]))
cols[2].metric("Repayment rate", _pct(figures["repayment_rate"]), help=f"Of the {figures['loans_due']} loans due in the period")
metric(cols[3], "Interest earned", figures["interest_earned_kg"], "kg")
metric(cols[4], "Overdue loans", figures["overdue_loans"], help=f"{_kg(figures['overdue_kg'])} still owed on them")
left_out_note(loan_figures)

st.subheader("Stock per bank")
stock = query(rice_stock_by_day, filters)
if not stock.empty and stock["grain"].iat[0] != "day":
    st.caption(f"Long period: stock at the end of each {stock['grain'].iat[0]}.")
st.altair_chart(stock_chart(stock, bank_list), key=CHART_KEY, on_select="rerun", selection_mode=[PERIOD_BRUSH, BANK_CLICK], width="stretch")
left_out_note(rice_stock_by_day)
csv_download(stock if bank_id is None else stock[stock["bank_id"] == bank_id], "rice-stock", key="rice_stock_csv")

st.subheader("Ledger")
ledger_filters = filters
if brushed_days:
    ledger_filters = Filters(max(filters.start, brushed_days[0]), min(filters.end, brushed_days[1]), filters.place)
    st.caption(f"Entries from {ledger_filters.start:%d %b %Y} to {ledger_filters.end:%d %b %Y}, as brushed on the chart (double-click the chart to clear).")
entries = query(ledger_entries, ledger_filters, bank_id)
total = query(ledger_count, ledger_filters, bank_id)
if total > len(entries):
    st.caption(f"The {len(entries):,} most recent of {total:,} entries; narrow the period or brush the chart to see others.")
table(entries, tab="rice_ledger", height=280)
left_out_note(ledger_entries)
csv_download(entries, "rice-ledger", key="rice_ledger_csv")

st.subheader("Inflows and outflows")
flows = query(rice_flows_by_month, filters, bank_id)
st.altair_chart(flows_chart(flows), width="stretch")
left_out_note(rice_flows_by_month)
csv_download(flows, "rice-flows", key="rice_flows_csv")

st.subheader("Loans")
st.caption(
    f"In the period: {_kg(figures['lent_kg'])} lent, {_kg(figures['repaid_kg'])} repaid. "
    f"At its end: {_kg(figures['principal_out_kg'])} of principal out, {_kg(figures['still_owed_kg'])} still owed with interest."
)
households = query(loans_by_household, filters, bank_id)
st.markdown("**Still owed per household** (overdue first)")
table(households)
left_out_note(loans_by_household)
csv_download(households, "rice-loans-by-household", key="rice_households_csv")
with st.expander("Every loan open, lent, due or repaid in the period"):
    book = query(loan_book, filters, bank_id)
    if len(book) >= MAX_TABLE_ROWS:
        st.caption(f"The first {MAX_TABLE_ROWS:,} loans (overdue first); narrow the period or pick a bank.")
    table(book)
    csv_download(book, "rice-loans", key="rice_loans_csv")

st.subheader("Lean-season cover")
st.altair_chart(cover_chart(shown_status, season), width="stretch")
left_out_note(bank_status)
no_history = shown_status[shown_status["lean_cover_months"].isna()]
if not no_history.empty:
    st.caption("No lending in past lean seasons to measure cover against: " + ", ".join(no_history["bank"]) + ".")
cover = shown_status[["bank", "village", "capacity_kg", "stock_kg", "principal_out_kg", "share_on_loan", "kg_per_lean_month",
                      "lean_months_seen", "lean_cover_months", "overdue_loans", "alerts"]]
table(cover)
csv_download(cover, "rice-banks", key="rice_banks_csv")
