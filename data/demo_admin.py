"""The back office's own tabs in the demo: settings, users (one per role) and an empty audit log."""
from __future__ import annotations

import pandas as pd

from data.demo_common import DemoBook, demo_builder, typed_frame

SETTINGS = [
    ("riel_per_usd", "4000", "Exchange rate used to show riel amounts in dollars."),
    ("cow_pass_on_calves", "2", "Calves a granted family passes on to another family."),
    ("cow_pass_on_min_age_months", "10", "Youngest age, in months, at which a calf may be passed on."),
    ("rice_lean_months", "7,8,9,10", "Months of the lean season, when rice banks lend (1 = January)."),
    ("rice_loan_term_months", "6", "Months within which a rice loan is expected back."),
    ("mobile_clinic_days_per_week", "3", "Days a week the mobile clinic travels."),
    ("age_bands", "0-5,6-12,13-17,18+", "Age bands of the clinic figures, in years."),
    ("small_count_threshold", "5", "Counts below this are hidden from viewers, so nobody can be recognised."),
    ("date_order", "day_first", "How dates typed as text are read: day_first (31/12/2018) or month_first."),
]

USERS = [
    ("admin@example.org", "Sok Dara", "admin"),
    ("editor@example.org", "Chea Sopheap", "editor"),
    ("clinic@example.org", "Meas Bopha", "clinic"),
    ("viewer@example.org", "Keo Vannak", "viewer"),
]


def build_settings() -> pd.DataFrame:
    return typed_frame("settings", {"key": [s[0] for s in SETTINGS], "value": [s[1] for s in SETTINGS],
                                    "note": [s[2] for s in SETTINGS]})


def build_users() -> pd.DataFrame:
    return typed_frame("users", {"email": [u[0] for u in USERS], "name": [u[1] for u in USERS],
                                 "role": [u[2] for u in USERS]})


def build_audit_log() -> pd.DataFrame:
    return typed_frame("audit_log")


@demo_builder("admin")
def demo(_book: DemoBook) -> dict[str, pd.DataFrame]:
    return {"settings": build_settings(), "users": build_users(), "audit_log": build_audit_log()}
