"""Rice bank: stock per bank, the ledger behind it, inflows and outflows, loans and lean-season cover."""
import datetime as dt

import streamlit as st

from insights.common import Filters, setting
from insights.rice_bank import (
    MAX_TABLE_ROWS,
    TABS,
    bank_status,
    banks,
    definitions,
    ledger_count,
    ledger_entries,
    loan_book,
    loan_figures,
    loans_by_household,
    rice_flows_by_month,
    rice_stock_by_day,
)
from insights.rice_bank_charts import BANK_CLICK, PERIOD_BRUSH, cover_chart, flows_chart, stock_chart
from schemas.i18n import N_, _, day, number, percent
from ui.markdown import literal
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

CHART_KEY = "rice_stock_chart"
GRAINS = {"week": N_("week"), "month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}


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
    return "—" if value is None else _("{kg} kg").format(kg=number(value))


def _pct(value) -> str:
    return "—" if value is None else percent(value)


st.title(_("Rice bank"))
filters = dashboard_filters("rice")
open_errors_notice(TABS)  # the tabs the programme's insights declare
with st.expander(_("How these numbers are computed")):
    st.markdown("\n".join(f"- {line}" for line in definitions()))

bank_list = query(banks, filters.place)
if bank_list.empty:
    st.info(_("No rice bank in this place."))
    st.stop()

# Clicking a bank on the chart (or its legend) filters everything; so does the picker.
clicked_bank, brushed_days = _chart_selection()
bank_ids = bank_list["bank_id"].tolist()
names = dict(zip(bank_list["bank_id"], bank_list["bank"], strict=True))
picked = st.selectbox(_("Bank"), [None, *bank_ids], key="rice_bank_pick", format_func=lambda b: _("All banks") if b is None else f"{names[b]} ({b})")
by_name = {name: bank_id for bank_id, name in names.items()}
bank_id = by_name.get(clicked_bank) or picked
if clicked_bank and bank_id != picked:
    st.caption(_("Showing **{bank}**, clicked on the chart — click it again (or empty space) to show all banks.").format(bank=literal(clicked_bank)))

# Alerts first: what needs doing.
status = query(bank_status, filters)
shown_status = status if bank_id is None else status[status["bank_id"] == bank_id]
season = len(query(setting, "rice_lean_months"))
for row in shown_status.itertuples():
    if row.alerts:
        st.warning(f"**{literal(row.bank)}**: {literal(row.alerts)}.")

figures = query(loan_figures, filters, bank_id)
cols = st.columns(5)
metric(cols[0], _("Stock on {day}").format(day=day(filters.end)), figures["stock_kg"], _("kg"))
cols[1].metric(_("Share of stock out on loan"), _pct(figures["share_on_loan"]))
cols[2].metric(_("Repayment rate"), _pct(figures["repayment_rate"]), help=_("Of the {n} loans due in the period").format(n=number(figures["loans_due"])))
metric(cols[3], _("Interest earned"), figures["interest_earned_kg"], _("kg"))
metric(cols[4], _("Overdue loans"), figures["overdue_loans"], help=_("{kg} still owed on them").format(kg=_kg(figures["overdue_kg"])))
left_out_note(loan_figures)

st.subheader(_("Stock per bank"))
stock = query(rice_stock_by_day, filters)
if not stock.empty and stock["grain"].iat[0] != "day":
    st.caption(_("Long period: stock at the end of each {grain}.").format(grain=_(GRAINS.get(stock["grain"].iat[0], stock["grain"].iat[0]))))
altair_chart(st, stock_chart(stock, bank_list), key=CHART_KEY, on_select="rerun", selection_mode=[PERIOD_BRUSH, BANK_CLICK])
left_out_note(rice_stock_by_day)
csv_download(stock if bank_id is None else stock[stock["bank_id"] == bank_id], "rice-stock", _("stock per bank"), key="rice_stock_csv")

st.subheader(_("Ledger"))
ledger_filters = filters
if brushed_days:
    ledger_filters = Filters(max(filters.start, brushed_days[0]), min(filters.end, brushed_days[1]), filters.place)
    st.caption(_("Entries from {start} to {end}, as brushed on the chart (double-click the chart to clear).").format(
        start=day(ledger_filters.start), end=day(ledger_filters.end)))
entries = query(ledger_entries, ledger_filters, bank_id)
total = query(ledger_count, ledger_filters, bank_id)
if total > len(entries):
    st.caption(_("The {shown} most recent of {total} entries; narrow the period or brush the chart to see others.").format(
        shown=number(len(entries)), total=number(total)))
table(entries, tab="rice_ledger", height=280)
left_out_note(ledger_entries)
csv_download(entries, "rice-ledger", _("the ledger"), key="rice_ledger_csv")

st.subheader(_("Inflows and outflows"))
flows = query(rice_flows_by_month, filters, bank_id)
altair_chart(st, flows_chart(flows))
left_out_note(rice_flows_by_month)
csv_download(flows, "rice-flows", _("rice in and out"), key="rice_flows_csv")

st.subheader(_("Loans"))
st.caption(
    _("In the period: {lent} lent, {repaid} repaid. At its end: {principal} of principal out, {owed} still owed with interest.").format(
        lent=_kg(figures["lent_kg"]), repaid=_kg(figures["repaid_kg"]), principal=_kg(figures["principal_out_kg"]), owed=_kg(figures["still_owed_kg"]))
)
households = query(loans_by_household, filters, bank_id)
st.markdown(_("**Still owed per household** (overdue first)"))
table(households)
left_out_note(loans_by_household)
csv_download(households, "rice-loans-by-household", _("still owed per household"), key="rice_households_csv")
with st.expander(_("Every loan open, lent, due or repaid in the period")):
    book = query(loan_book, filters, bank_id)
    if len(book) >= MAX_TABLE_ROWS:
        st.caption(_("The first {n} loans (overdue first); narrow the period or pick a bank.").format(n=number(MAX_TABLE_ROWS)))
    table(book)
    csv_download(book, "rice-loans", _("the loans"), key="rice_loans_csv")

st.subheader(_("Lean-season cover"))
altair_chart(st, cover_chart(shown_status, season))
left_out_note(bank_status)
no_history = shown_status[shown_status["lean_cover_months"].isna()]
if not no_history.empty:
    st.caption(_("No lending in past lean seasons to measure cover against: ") + literal(", ".join(no_history["bank"])) + ".")
cover = shown_status[["bank", "village", "capacity_kg", "stock_kg", "principal_out_kg", "share_on_loan", "kg_per_lean_month",
                      "lean_months_seen", "lean_cover_months", "overdue_loans", "alerts"]]
table(cover)
csv_download(cover, "rice-banks", _("lean-season cover"), key="rice_banks_csv")
