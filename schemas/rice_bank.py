"""Rice banks: the banks and their ledger of rice in kilograms."""
from schemas.base import Date, Float, TabSchema, Text, code, column

RICE_LEDGER_KINDS = ["donation", "loan", "repayment", "loss", "sale"]


class RiceBank(TabSchema):
    """A village rice bank."""

    bank_id: Text = column("Bank ID", "Our id for the bank, e.g. RB-01.", pattern=r"^RB-\d{2,}$")
    name: Text = column("Name", "The bank's name, usually its village.")
    village_code: Text = code("Village code", "Village where the store stands.", 8, ref="villages.village_code")
    established_on: Date = column("Established on", "Day of the first donation.")
    capacity_kg: Float = column("Capacity (kg)", "How much rice the store can hold.", ge=1, le=1_000_000)
    interest_pct: Float = column("Interest (%)", "Interest in kind on a loan, in percent of the kg lent.", ge=0, le=100)


class RiceEntry(TabSchema):
    """One movement of rice into or out of a bank."""

    entry_id: Text = column("Entry ID", "Our id for the entry, e.g. RL-000123.", pattern=r"^RL-\d{4,}$")
    date: Date = column("Date", "Day of the movement.")
    bank_id: Text = column("Bank ID", "Which bank.", ref="rice_banks.bank_id")
    kind: Text = column("Kind", "donation, loan, repayment, loss or sale.", isin=RICE_LEDGER_KINDS)
    kg: Float = column("Kg", "Kilograms of rice, always more than 0; the kind says which way it goes.", ge=0.001, le=1_000_000)
    household_id: Text = column("Household ID", "The borrowing family, for loans and repayments.", required=False, ref="households.household_id")
    loan_id: Text = column("Loan ID", "For a loan: its own id; for a repayment: the loan it repays.", required=False)
    note: Text = column("Note", "Anything worth knowing.", required=False)
