"""Saving groups and the agricultural cooperative, and their cash ledger (riel)."""
from schemas.base import Date, Float, Int, TabSchema, Text, code, column

GROUP_KINDS = ["saving_group", "agricultural_cooperative"]
LEDGER_KINDS = ["deposit", "withdrawal", "loan", "repayment", "interest", "grant", "expense"]

class SavingsGroup(TabSchema):
    """A saving group or the agricultural cooperative."""

    group_id: Text = column("Group ID", "Our id for the group, e.g. SG-01 or AC-01.", pattern=r"^(SG|AC)-\d{2,}$")
    name: Text = column("Name", "The group's name.")
    kind: Text = column("Kind", "saving_group or agricultural_cooperative.", isin=GROUP_KINDS)
    village_code: Text = code("Village code", "Where the group meets.", 8, ref="villages.village_code")
    founded_on: Date = column("Founded on", "Date of the first meeting.")
    members: Int = column("Members", "Members today.", ge=1, le=500)
    female_members: Int = column("Women members", "Members who are women.", ge=0, le=500)

class SavingsEntry(TabSchema):
    """One movement of a group's cash, in riel."""

    entry_id: Text = column("Entry ID", "Our id for the entry, e.g. SL-000123.", pattern=r"^SL-\d{4,}$")
    date: Date = column("Date", "Day of the movement.")
    group_id: Text = column("Group ID", "Whose cash moved.", ref="savings_groups.group_id")
    kind: Text = column("Kind", "deposit, withdrawal, loan, repayment, interest, grant or expense.", isin=LEDGER_KINDS)
    amount_riel: Float = column("Amount (riel)", "Amount in riel, always positive; the kind says which way it goes.", ge=1, le=1e10)
    household_id: Text = column("Household ID", "The member's family, for deposits, loans and repayments.", required=False, ref="households.household_id")
    loan_id: Text = column("Loan ID", "For a loan: its own id; for a repayment or interest: the loan it pays.", required=False)
    note: Text = column("Note", "Anything worth knowing.", required=False)
