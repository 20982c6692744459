"""Saving groups and the agricultural cooperative, and their cash ledger (riel)."""
from collections.abc import Iterable

from schemas.base import Date, Float, Int, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.ledger import IN, NEUTRAL, OUT
from schemas.ledger_rules import balance_below_zero, loan_ids
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.rules import ERROR, Rule, register_rules
from schemas.rules_context import Book, cross_tab_rule, part_of_whole
from schemas.settings import NUMBER, SettingSpec, register_settings
from schemas.site import register
from schemas.tab import Tab

GROUP_KIND_LABELS = {"saving_group": ("Saving group", "ក្រុមសន្សំប្រាក់"),
                     "agricultural_cooperative": ("Agricultural cooperative", "សហគមន៍កសិកម្ម")}
GROUP_KINDS = list(GROUP_KIND_LABELS)
# Which way each kind moves a group's capital (insights.savings); a loan and its repayment move money
# between the fund and a member, not the capital.
LEDGER_DIRECTIONS = {"deposit": IN, "withdrawal": OUT, "loan": NEUTRAL, "repayment": NEUTRAL, "interest": IN, "grant": IN, "expense": OUT}
LEDGER_KINDS = list(LEDGER_DIRECTIONS)
LEDGER_LABELS = {"deposit": ("Deposit", "ដាក់សន្សំ"), "withdrawal": ("Withdrawal", "ដកប្រាក់"), "loan": ("Loan", "ខ្ចីប្រាក់"),
                 "repayment": ("Repayment", "សងប្រាក់"), "interest": ("Interest", "ការប្រាក់"), "grant": ("Grant", "ប្រាក់ជំនួយ"),
                 "expense": ("Expense", "ចំណាយ")}

class SavingsGroup(TabSchema):
    """A saving group or the agricultural cooperative."""

    group_id: Text = column(N_("Group ID"), N_("Our id for the group, e.g. SG-01 or AC-01."), pattern=r"^(SG|AC)-\d{2,}$")
    name: Text = column(N_("Name"), "The group's name.", row_label=True)
    kind: Text = column(N_("Kind"), "saving_group or agricultural_cooperative.", isin=GROUP_KINDS, labels=GROUP_KIND_LABELS)
    village_code: Text = code(N_("Village code"), N_("Where the group meets."), 8, ref="villages.village_code", place=True)
    founded_on: Date = column(N_("Founded on"), "Date of the first meeting.")
    members: Int = column(N_("Members"), "Members today.", ge=1, le=500, unit="people")
    female_members: Int = column(N_("Women members"), "Members who are women.", ge=0, le=500, unit="people")

class SavingsEntry(TabSchema):
    """One movement of a group's cash, in riel."""

    entry_id: Text = column(N_("Entry ID"), N_("Our id for the entry, e.g. SL-000123."), pattern=r"^SL-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the movement.")
    group_id: Text = column(N_("Group ID"), "Whose cash moved.", ref="savings_groups.group_id")
    kind: Text = column(N_("Kind"), "deposit, withdrawal, loan, repayment, interest, grant or expense.", isin=LEDGER_KINDS, labels=LEDGER_LABELS)
    amount_riel: Float = column(N_("Amount (riel)"), "Amount in riel, always positive; the kind says which way it goes.", ge=1, le=1e10, unit="riel")
    household_id: Text = column(N_("Household ID"), "The member's family, for deposits, loans and repayments.", required=False, ref="households.household_id")
    loan_id: Text = column(N_("Loan ID"), "For a loan: its own id; for a repayment or interest: the loan it pays.", required=False)
    note: Text = column(N_("Note"), "Anything worth knowing.", required=False)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

CASH_IN = {"deposit", "grant", "interest", "repayment"}
CASH_OUT = {"withdrawal", "expense", "loan"}


@cross_tab_rule
def women_are_members(book: Book) -> Iterable[Issue]:
    yield from part_of_whole(book, "savings_groups", "female_members", "members")


@cross_tab_rule
def savings_loans_are_named(book: Book) -> Iterable[Issue]:
    yield from loan_ids(book, "savings_ledger", "group_id", {"repayment", "interest"}, N_("group"))


@cross_tab_rule
def group_cash_never_below_zero(book: Book) -> Iterable[Issue]:
    yield from balance_below_zero(book, "savings_ledger", "group_id", "amount_riel", CASH_IN, CASH_OUT,
                                  "savings.cash_negative", N_("group"))


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("savings.cash_negative", ERROR, N_("Group cash below zero"),
         N_("This {kind} of {amount} riel takes the cash of group {group} below zero on {date} (to {balance} riel). Check the amount in cell {cell} and the entries before it."),
         N_("A group cannot pay out more than it holds: look for a missing deposit or a wrong amount.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("savings", "Savings groups", EVERYONE, STAFF, Page("pages/savings.py", N_("Savings groups"), ":material/savings:", order=30), order=40),
    Tab("savings_groups", SavingsGroup, ("group_id",), "savings", N_("Savings groups")),
    Tab("savings_ledger", SavingsEntry, ("entry_id",), "savings", N_("Savings ledger"), period="date"),
)


# The settings its figures and checks read from the settings tab (schemas.settings says how each is read).
register_settings(
    SettingSpec("riel_per_usd", "4000", NUMBER, "savings", N_("Exchange rate for the dollar columns"), low=1000, high=10_000),
)
