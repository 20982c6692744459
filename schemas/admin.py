"""Tabs that run the back office itself: settings, users and the audit trail."""
from schemas.base import Date, TabSchema, Text
from schemas.base import column as field  # the audit log has a column named "column"
from schemas.i18n import N_
from schemas.programme import Programme
from schemas.site import register
from schemas.tab import Tab

ROLE_LABELS = {"admin": ("Administrator", "អ្នកគ្រប់គ្រង"), "editor": ("Editor", "អ្នកកែសម្រួល"),
               "clinic": ("Clinic staff", "បុគ្គលិកគ្លីនិក"), "viewer": ("Viewer", "អ្នកមើល")}
ROLES = list(ROLE_LABELS)


class Setting(TabSchema):
    """A setting the programmes' figures depend on (exchange rate, policies, thresholds)."""

    key: Text = field(N_("Key"), N_("Setting name, e.g. riel_per_usd."), pattern=r"^[a-z][a-z0-9_]*$")
    value: Text = field(N_("Value"), "Its value as text; the setting's own rule says how it is read.")
    note: Text = field(N_("Note"), "What it means.", required=False)


class User(TabSchema):
    """Who may sign in, and with which role."""

    email: Text = field(N_("E-mail"), N_("The Google account the person signs in with."), pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", pii=True)
    name: Text = field(N_("Name"), "The person's name.", pii=True)
    role: Text = field(N_("Role"), "admin, editor, clinic or viewer.", isin=ROLES, labels=ROLE_LABELS)


class AuditEntry(TabSchema):
    """One change made through the back office; only ever appended."""

    at: Date = field(N_("At"), "When the change was written (UTC).")
    user: Text = field(N_("User"), "Who made it.", pii=True)
    tab: Text = field(N_("Tab"), "Tab changed.")
    row_key: Text = field(N_("Row key"), "Key of the row changed.", required=False)
    column: Text = field(N_("Column"), "Column changed (blank for a whole row).", required=False)
    old: Text = field(N_("Old"), "Value before.", required=False)
    new: Text = field(N_("New"), "Value after.", required=False)
    via: Text = field(N_("Via"), "app, outbox replay, command line, ...")


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("admin", "Administration", ("admin",), ("admin",), order=900),
    Tab("settings", Setting, ("key",), "admin", N_("Settings"), reference=True),
    Tab("users", User, ("email",), "admin", N_("Users")),
    Tab("audit_log", AuditEntry, (), "admin", N_("Audit log")),
)
