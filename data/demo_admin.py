"""The back office's own tabs in the demo: settings, users (one per role) and an empty audit log."""
from __future__ import annotations

import pandas as pd

from data.demo_common import DemoBook, demo_builder, typed_frame
from schemas.registry import SETTINGS

# The back office's own setting beside the programmes' (connectors.config reads it; it is not a programme's).
DATE_ORDER = ("date_order", "day_first", "How dates typed as text are read: day_first (31/12/2018) or month_first.")

USERS = [
    ("admin@example.org", "Sok Dara", "admin"),
    ("editor@example.org", "Chea Sopheap", "editor"),
    ("clinic@example.org", "Meas Bopha", "clinic"),
    ("viewer@example.org", "Keo Vannak", "viewer"),
]


def settings_rows() -> list[tuple[str, str, str]]:
    """Every setting a programme declares (schemas/<programme>.py, `register_settings`), at its default and with its
    note, in programme order: a new programme's settings reach the demo with no line here."""
    return [(s.key, s.default, s.note) for s in SETTINGS if s.default is not None] + [DATE_ORDER]


def build_settings() -> pd.DataFrame:
    rows = settings_rows()
    return typed_frame("settings", {"key": [r[0] for r in rows], "value": [r[1] for r in rows], "note": [r[2] for r in rows]})


def build_users() -> pd.DataFrame:
    return typed_frame("users", {"email": [u[0] for u in USERS], "name": [u[1] for u in USERS],
                                 "role": [u[2] for u in USERS]})


def build_audit_log() -> pd.DataFrame:
    return typed_frame("audit_log")


@demo_builder("admin")
def demo(_book: DemoBook) -> dict[str, pd.DataFrame]:
    return {"settings": build_settings(), "users": build_users(), "audit_log": build_audit_log()}
