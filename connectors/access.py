"""Who may read, write and see what: the one access policy. Every role decision of the app is a question to
this module, asked where data is read (gateway) and written (connectors.sync), not by hiding buttons; the gateway
and the masking helpers only carry the answers out.

- Roles are granted per programme (its `Programme`, schemas/<programme>.py): reading, writing and seeing its
  personal data (Programme.personal_data_roles; admin only unless the programme says so).
- A reference tab (`Tab.reference`: the villages, the settings) is read by every known role's figures.
- Small counts are hidden ("<5") from viewers, and in whatever leaves the organisation (`PUBLISHED`).
- The sheet's key and address, cell links, the audit trail, the outbox and another person's e-mail are an
  admin's only; everyone sees their own e-mail and acts on their own waiting saves.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from schemas.i18n import N_, _
from schemas.registry import PROGRAMMES, Tab, site
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
# Whom a published figure (the donor pack) is shown to: nobody with access to personal data, small counts hidden.
# It only decides what is shown: what is read is still the signed-in user's.
PUBLISHED = User("published@donor-pack", "viewer")
COUNTS_HIDDEN_FROM = frozenset({"viewer"})


def require_known_role(user: User | None) -> User:
    if user is None or user.role not in ROLES:
        who = _("nobody signed in") if user is None else _("role '{role}'").format(role=user.role)
        raise AccessDenied(_("No data for {who}: ask an admin to give your e-mail a role in the users tab.").format(who=who))
    return user


def require_admin(user: User, what: str = N_("the sync page and the audit trail")) -> None:
    if not user.is_admin:
        raise AccessDenied(_("Only an admin may see {what}; your role is {role}.").format(what=_(what), role=user.role))


def can_read(user: User, tab: Tab | str) -> bool:
    return user.role in PROGRAMMES[registered_tab(tab).programme].read_roles


def can_write(user: User, tab: Tab | str) -> bool:
    return user.role in PROGRAMMES[registered_tab(tab).programme].write_roles


def may_read_for_figures(user: User, tab: Tab | str) -> bool:
    """A figure may read the tab: the user's role reads it, or it is a reference tab."""
    spec = registered_tab(tab)
    return spec.reference or can_read(user, spec)


def may_open_page(user: User, programme: str | None, admin_only: bool) -> bool:
    """A page of the navigation: an admin's page, a programme's (when the role reads one of its tabs) or the site's."""
    if admin_only:
        return user.is_admin
    return programme is None or any(can_read(user, t) for t in site.tabs if t.programme == programme)


def counts_hidden(user: User) -> bool:
    """Counts below small_count_threshold read "<5" for this user (a viewer; `PUBLISHED`)."""
    return user.role in COUNTS_HIDDEN_FROM


def sees_sheet_address(user: User | None) -> bool:
    """The Google Sheet's key, address and links to its cells: with a sheet shared by link, whoever has them reads
    every name in it."""
    return user is not None and user.is_admin


def sees_person(user: User, email: object) -> bool:
    """Another person's e-mail (who made a change, who saved an entry) is personal data; one's own is not."""
    return user.is_admin or str(email).strip().lower() == user.email.strip().lower()


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
