"""What a programme declares besides its tabs: roles, its page and its place in the order. It registers itself
and its tabs at the end of its own schemas/<programme>.py (`schemas.site.register`). What it brings in the layers
above, it registers from its own modules with the functions themselves (no dotted names): its Overview and report parts
(insights.parts, from insights/<programme>_overview.py) and its demo rows (data.demo_common.demo_builder)."""
from __future__ import annotations

from dataclasses import dataclass

from schemas.i18n import N_

# The roles a programme grants (connectors.access knows what each role is).
EVERYONE = ("admin", "editor", "viewer")
STAFF = ("admin", "editor")


@dataclass(frozen=True)
class Page:
    """An entry of the navigation: its file under pages/, title, icon and section."""

    file: str  # "pages/rice_bank.py", relative to the project root
    title: str
    icon: str
    section: str = N_("Dashboards")  # titles are English msgids, shown through gettext (ui.navigation)
    admin_only: bool = False
    order: int = 1000  # where a programme's page comes in its section (the programme report's order); the last if unsaid


@dataclass(frozen=True)
class Programme:
    """A programme owns tabs; roles are granted per programme (see `connectors.access`)."""

    name: str
    title: str
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]
    page: Page | None = None
    # Roles that see personal data in this programme's tabs (those they may read): an admin only, unless the
    # programme says so. Clinic staff see the pseudonymous patient codes of their own tabs; nobody but an admin
    # sees household names, phones or who is a survivor.
    personal_data_roles: tuple[str, ...] = ("admin",)
    # Where its tabs come in every list of tabs (the Tables page, provisioning, the validator's issues, the sheet's
    # Problems tab); a programme that does not say comes last. Its page's place in the navigation is the Page's.
    order: int = 1000
