"""Who may read and write what: enforced where data is read and written, not by hiding buttons.

Roles are granted per programme in the registry (schemas.registry.PROGRAMMES). Personal-data columns
(ColumnSpec.pii) are masked for every role but admin and the roles a programme names for its own personal data
(Programme.personal_data_roles), and for the tabs a role may read at all.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from schemas.i18n import _
from schemas.registry import PROGRAMMES, Tab
from schemas.registry import tab as registered_tab

MASK = "•••"
ROLES = ("admin", "editor", "clinic", "viewer")


class AccessDenied(PermissionError):
    """The user's role does not allow this; the message says so in plain words."""


@dataclass(frozen=True)
class User:
    email: str
    role: str
    name: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


LOCAL_ADMIN = User("local-admin@localhost", "admin", "Local admin")


def can_read(user: User, tab: Tab | str) -> bool:
    return user.role in PROGRAMMES[registered_tab(tab).programme].read_roles


def can_write(user: User, tab: Tab | str) -> bool:
    return user.role in PROGRAMMES[registered_tab(tab).programme].write_roles


def sees_personal_data(user: User, tab: Tab | str) -> bool:
    spec = registered_tab(tab)
    return can_read(user, spec) and user.role in PROGRAMMES[spec.programme].personal_data_roles


def require_read(user: User, tab: Tab | str) -> None:
    spec = registered_tab(tab)
    if not can_read(user, spec):
        raise AccessDenied(_("Your role ({role}) may not read the '{tab}' tab. Ask an admin if you need it.").format(
            role=user.role, tab=spec.title))


def require_write(user: User, tab: Tab | str) -> None:
    spec = registered_tab(tab)
    if not can_write(user, spec):
        raise AccessDenied(_("Your role ({role}) may not change the '{tab}' tab. Nothing was saved; ask an admin if you need to.").format(
            role=user.role, tab=spec.title))


def readable_tabs(user: User, tabs: list[Tab]) -> list[Tab]:
    return [t for t in tabs if can_read(user, t)]


def mask_personal_data(user: User, tab: Tab | str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as this user may see it: personal-data columns shown as ••• unless allowed."""
    spec = registered_tab(tab)
    if sees_personal_data(user, spec):
        return frame
    hidden = [c.name for c in spec.columns if c.pii and c.name in frame.columns]
    if not hidden:
        return frame
    masked = frame.copy()
    for column in hidden:
        masked[column] = pd.Series([MASK if pd.notna(v) else None for v in masked[column]], index=masked.index, dtype="object")
    return masked
