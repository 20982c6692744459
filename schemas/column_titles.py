"""Titles of the columns the insights compute (a tab's own columns take their title from their schema column):
declared once here, marked N_, so the catalog has them and a Khmer table reads in Khmer. A computed column
missing here falls back to its humanised name (schemas.formats.humanise), which no catalog has:
tests/test_languages.py walks every page in Khmer and names any such header."""
from __future__ import annotations

from schemas.i18n import N_

COLUMN_TITLES: dict[str, str] = {
    # counts and shares over the programmes
    "households": N_("Households"),
    "patients": N_("Patients"),
    "new_patients": N_("New patients"),
    "visits": N_("Visits"),
    "referrals": N_("Referrals"),
    "share_women": N_("Share women"),
    "clean_water": N_("Clean water"),
    # rice bank
    "banks": N_("Banks"),
    "bank": N_("Bank"),
    "stock_kg": N_("Stock (kg)"),
    "stock_change_kg": N_("Stock change (kg)"),
    "loans_open": N_("Loans open"),
    "kg_lent": N_("Kg lent"),
    "repaid_kg": N_("Repaid (kg)"),
    "owed_kg": N_("Owed (kg)"),
    "still_owed_kg": N_("Still owed (kg)"),
    "principal_out_kg": N_("Principal out (kg)"),
    "share_on_loan": N_("Share on loan"),
    "lean_months_seen": N_("Lean months seen"),
    "kg_per_lean_month": N_("Kg per lean month"),
    "lean_cover_months": N_("Lean cover months"),
    "lent_on": N_("Lent on"),
    "due_on": N_("Due on"),
    "next_due_on": N_("Next due on"),
    "overdue": N_("Overdue"),
    "days_overdue": N_("Days overdue"),
    "most_days_overdue": N_("Most days overdue"),
    "overdue_loans": N_("Overdue loans"),
    "alerts": N_("Alerts"),
    # cow bank
    "granted_on": N_("Granted on"),
    "worst": N_("Worst"),
    "calf_1": N_("Calf 1"),
    "calf_2": N_("Calf 2"),
    # savings groups (SAVIX)
    "capital_riel": N_("Capital (riel)"),
    "loans_outstanding_riel": N_("Loans outstanding (riel)"),
    "cash_in_hand_riel": N_("Cash in hand (riel)"),
    "savings_per_member_riel": N_("Savings per member (riel)"),
    "borrowers": N_("Borrowers"),
    "share_borrowing": N_("Share borrowing"),
    "loans_lent": N_("Loans lent"),
    "average_loan_riel": N_("Average loan (riel)"),
    "outstanding_riel": N_("Outstanding (riel)"),
    "income_riel": N_("Income (riel)"),
    "return_on_savings": N_("Return on savings"),
    "at_risk_riel": N_("At risk (riel)"),
    "portfolio_at_risk": N_("Portfolio at risk"),
    # school support
    "answered": N_("Answered"),
    "in_school": N_("In school"),
    "share_in_school": N_("Share in school"),
    "items": N_("Items"),
    "materials_per_child": N_("Materials per child"),
    # household hygiene
    "with_toilet": N_("With toilet"),
    "own_toilet": N_("Own toilet"),
    "share_toilet": N_("Share toilet"),
    "share_clean_water": N_("Share clean water"),
    "share_handwashing": N_("Share handwashing"),
    # data quality and sync
    "rule": N_("Rule"),
    "severity": N_("Severity"),
    "message": N_("Message"),
    "what_to_do": N_("What to do"),
    "fix": N_("Fix"),
    "link": N_("Link"),
    "cell": N_("Cell"),
    "issues": N_("Issues"),
    "errors": N_("Errors"),
    "warnings": N_("Warnings"),
    "first_rows": N_("First rows"),
    "first_cell": N_("First cell"),
    "rows": N_("Rows"),
    "version": N_("Version"),
    "refreshed_at": N_("Refreshed at"),
}
