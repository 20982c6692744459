"""Every tab the back office knows, registered once.

The generic Tables page, the validator, the cache, provisioning and exports all read this list: a
new tab is one schema class and one line in TABS.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.admin import AuditEntry, Setting, User
from schemas.clinic import AmbulanceTrip, ClinicVisit, HealthEducationSession
from schemas.cow_bank import Cow, CowEvent
from schemas.places import Household, Village
from schemas.prevention import Activity, CommunePlan, MigrationCheck, ParentGroup
from schemas.rice_bank import RiceBank, RiceEntry
from schemas.savings import SavingsEntry, SavingsGroup
from schemas.school_support import SchoolSupport
from schemas.tab import Tab
from schemas.wash import WashSurvey


@dataclass(frozen=True)
class Programme:
    """A programme owns tabs; roles are granted per programme (see `connectors.access`)."""

    name: str
    title: str
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]


PROGRAMMES: dict[str, Programme] = {
    p.name: p
    for p in [
        Programme("places", "Villages and households", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("prevention", "Prevention", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("savings", "Savings groups", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("cow_bank", "Cow bank", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("rice_bank", "Rice bank", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("school_support", "School support", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("wash", "Household hygiene (toilets, clean water)", ("admin", "editor", "viewer"), ("admin", "editor")),
        Programme("clinic", "Clinic", ("admin", "clinic", "viewer"), ("admin", "clinic")),
        Programme("admin", "Administration", ("admin",), ("admin",)),
    ]
}


TABS: list[Tab] = [
    Tab("villages", Village, ("village_code",), "places", "Villages"),
    Tab("households", Household, ("household_id",), "places", "Households"),
    Tab("activities", Activity, ("activity_id",), "prevention", "Prevention activities"),
    Tab("commune_plans", CommunePlan, ("commune_code", "year"), "prevention", "Commune plans"),
    Tab("parent_groups", ParentGroup, ("group_id",), "prevention", "Parent groups"),
    Tab("migration_checks", MigrationCheck, ("check_id",), "prevention", "Migration checks"),
    Tab("school_support", SchoolSupport, ("support_id",), "school_support", "School support"),
    Tab("wash_surveys", WashSurvey, ("survey_id",), "wash", "Hygiene surveys"),
    Tab("savings_groups", SavingsGroup, ("group_id",), "savings", "Savings groups"),
    Tab("savings_ledger", SavingsEntry, ("entry_id",), "savings", "Savings ledger"),
    Tab("cows", Cow, ("cow_id",), "cow_bank", "Cows"),
    Tab("cow_events", CowEvent, ("event_id",), "cow_bank", "Cow events"),
    Tab("rice_banks", RiceBank, ("bank_id",), "rice_bank", "Rice banks"),
    Tab("rice_ledger", RiceEntry, ("entry_id",), "rice_bank", "Rice ledger"),
    Tab("clinic_visits", ClinicVisit, ("visit_id",), "clinic", "Clinic visits"),
    Tab("ambulance_trips", AmbulanceTrip, ("trip_id",), "clinic", "Ambulance trips"),
    Tab("health_education", HealthEducationSession, ("session_id",), "clinic", "Health education"),
    Tab("settings", Setting, ("key",), "admin", "Settings"),
    Tab("users", User, ("email",), "admin", "Users"),
    Tab("audit_log", AuditEntry, (), "admin", "Audit log"),
]


def tab(name: "str | Tab") -> Tab:
    """The registered tab of that name (a Tab is returned as it is, so callers may pass either)."""
    if isinstance(name, Tab):
        return name
    for t in TABS:
        if t.name == name:
            return t
    raise KeyError(f"no tab named {name!r}; known tabs: {', '.join(t.name for t in TABS)}")


def register(new: Tab) -> None:
    """Add a tab at run time (tests, plug-ins); registering the same name again replaces it."""
    TABS[:] = [t for t in TABS if t.name != new.name] + [new]
