"""Savings groups: capital, loans, cash and members of the saving groups; the agricultural cooperative apart."""
import streamlit as st

from insights import savings
from insights import savings_charts as charts
from schemas.i18n import N_, _, day, number, percent
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table, total

KINDS = {"saving_group": N_("Saving groups"), "agricultural_cooperative": N_("Agricultural cooperative")}
NONE_FOUNDED = {"saving_group": N_("No saving groups founded by {day} in this place."),
                "agricultural_cooperative": N_("No agricultural cooperative founded by {day} in this place.")}
definitions = savings.definitions()

st.title(_("Savings groups and the agricultural cooperative"))
filters = dashboard_filters("savings")
open_errors_notice(savings.TABS)

capital = query(savings.capital_on, filters.end, filters.place)
st.markdown(_("Capital of the saving groups and agricultural cooperative on {day}: **{riel} riel** (**${usd}** at {rate} riel "
              "per dollar, the rate in the settings tab).").format(day=day(filters.end), riel=number(capital["riel"]),
                                                                usd=number(capital["usd"], 2), rate=number(capital["riel_per_usd"])))
left_out_note(savings.capital_on)
st.caption(" · ".join(definitions[k] for k in ("capital", "loans_outstanding", "cash_in_hand")))

# One switch for every money figure of the page: headline figures, charts and tables alike.
currency = st.radio(_("Show money in"), ["riel", "dollars"], horizontal=True, key="savings_currency",
                    format_func=lambda c: _({"riel": N_("riel"), "dollars": N_("dollars")}[c]))
rate = capital["riel_per_usd"]


def money(container, label: str, riel: float, help_riel: float | None = None, help_text: str | None = None) -> None:
    """A money metric in the chosen currency (`help_text`: a template with {amount}, said in it too)."""
    if currency == "riel":
        shown, unit, aside = riel, "៛", (f"{number(help_riel)} ៛" if help_riel is not None else None)
    else:
        shown, unit = savings.dollars(riel, rate), "$"
        aside = f"${number(savings.dollars(help_riel, rate), 2)}" if help_riel is not None else None
    metric(container, label, shown, unit, help=help_text.format(amount=aside) if help_text and aside else None)


groups = query(savings.groups_on, filters.end, filters.place)
over_time = query(savings.capital_over_time, filters)
ratios = query(savings.ratios, filters)

for kind, title in KINDS.items():
    mine = groups[groups["kind"] == kind]
    st.header(_(title))
    if mine.empty:
        st.info(_(NONE_FOUNDED[kind]).format(day=day(filters.end)))
        continue
    cols = st.columns(5)
    metric(cols[0], _("Groups"), len(mine))
    members, women = total(mine, "members"), total(mine, "female_members")
    metric(cols[1], _("Members"), members, help=_("Members today, as the groups tab records them."))
    cols[2].metric(_("Women"), percent(women / max(members, 1)) if isinstance(members, int) and isinstance(women, int) else _("hidden (small counts)"))
    money(cols[3], _("Capital"), mine["capital_riel"].sum())
    money(cols[4], _("Cash in hand"), mine["cash_in_hand_riel"].sum(), mine["loans_outstanding_riel"].sum(), _("loans out {amount}"))
    left_out_note(savings.groups_on)

    series = over_time[over_time["kind"] == kind]
    left, right = st.columns([3, 2])
    left.markdown(_("**Capital per group over time**"))
    altair_chart(left, charts.capital_by_group(series, "riel" if currency == "riel" else "usd"))
    right.markdown(_("**Loans outstanding and cash in hand**"))
    altair_chart(right, charts.loans_and_cash(series, currency, rate))
    left_out_note(savings.capital_over_time)
    csv_download(series, f"savings_capital_over_time_{kind}", _("{groups}: capital over time").format(groups=_(title)),
                 key=f"csv_over_time_{kind}")

    st.markdown(_("**Groups on {day}**").format(day=day(filters.end)))
    table(savings.in_currency(mine, currency, rate), tab="savings_groups")
    csv_download(mine, f"savings_groups_{kind}", _(title), key=f"csv_groups_{kind}")
    if kind == "saving_group":
        altair_chart(st, charts.members_and_women(mine))

st.header(_("Ratios savings-group practitioners use (SAVIX-style)"))
st.caption(_("For {start} – {end}; the totals add up the groups' parts, they do not average ratios.").format(start=day(filters.start), end=day(filters.end)))
st.markdown("\n".join(f"- {definitions[k]}" for k in
                      ("savings_per_member", "share_borrowing", "average_loan", "return_on_savings", "portfolio_at_risk")))
shown = ratios[["name", "kind", "members", "savings_per_member_riel", "share_borrowing", "average_loan_riel",
                "return_on_savings", "portfolio_at_risk", "borrowers", "loans_lent", "income_riel", "outstanding_riel", "at_risk_riel"]]
table(savings.in_currency(shown, currency, rate), percent=("share_borrowing", "return_on_savings", "portfolio_at_risk"))
left_out_note(savings.ratios)
csv_download(ratios, "savings_ratios", _("savings ratios"), key="csv_ratios")
