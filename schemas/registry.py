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
from schemas.settings import SETTINGS
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


class AlreadyRegistered(KeyError):
    """`register` of a name that is taken: unregister it first (a silent replace hid mistakes)."""


class NotRegistered(KeyError):
    """`unregister` of a name nobody registered."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the registry, with a stable id (registry.E001 ...) for docs and tests."""

    id: str
    message: str

    def __str__(self) -> str:
        return f"{self.id}: {self.message}"


class Registry:
    """The tabs and programmes, like Django's AdminSite: register / unregister raise on a mistake, and
    `check()` names what is inconsistent. `TABS` and `PROGRAMMES` are this site's own collections, so
    everything that lists them sees a registration at once."""

    def __init__(self, tabs: list[Tab], programmes: dict[str, Programme]) -> None:
        self.tabs = tabs
        self.programmes = programmes

    def names(self) -> list[str]:
        return [t.name for t in self.tabs]

    def register(self, new: Tab) -> Tab:
        if new.name in self.names():
            raise AlreadyRegistered(f"a tab named {new.name!r} is already registered; unregister({new.name!r}) first")
        if new.programme not in self.programmes:
            raise KeyError(f"tab {new.name!r} names programme {new.programme!r}, which is not registered; "
                           f"known: {', '.join(self.programmes)}")
        self.tabs.append(new)
        return new

    def unregister(self, name: str) -> Tab:
        for position, registered in enumerate(self.tabs):
            if registered.name == name:
                return self.tabs.pop(position)
        raise NotRegistered(f"no tab named {name!r} is registered; known tabs: {', '.join(self.names())}")

    def check(self, reads: dict[str, tuple[str, ...]] | None = None, settings: tuple | None = None) -> list[Problem]:
        """Problems, each with a stable id:
        registry.E001 a foreign key (`ref`) to an unknown tab or column;
        registry.E002 an insight or page (`reads`: its name -> the tabs it declares) reading an unregistered tab;
        registry.E003 a setting without a default (`settings`: schemas.settings.SETTINGS by default);
        registry.E004 a tab's key column that its schema does not have;
        registry.E005 a tab of an unregistered programme.
        `reads` comes from the layer that knows the insights (the gateway), so schemas import nothing above."""
        problems: list[Problem] = []
        columns = {t.name: {c.name for c in t.columns} for t in self.tabs}
        for registered in self.tabs:
            if registered.programme not in self.programmes:
                problems.append(Problem("registry.E005", f"tab {registered.name!r}: programme {registered.programme!r} is not registered"))
            for key in registered.key:
                if key not in columns[registered.name]:
                    problems.append(Problem("registry.E004", f"tab {registered.name!r}: key column {key!r} is not in its schema"))
            for spec in registered.columns:
                if not spec.ref:
                    continue
                target_tab, _, target_column = spec.ref.partition(".")
                if target_tab not in columns or target_column not in columns[target_tab]:
                    problems.append(Problem("registry.E001", f"{registered.name}.{spec.name} refers to {spec.ref!r}, "
                                            "which is not a registered tab and column"))
        for reader, tabs in sorted((reads or {}).items()):
            for name in tabs:
                if name not in columns:
                    problems.append(Problem("registry.E002", f"{reader} reads tab {name!r}, which is not registered"))
        for setting in (SETTINGS if settings is None else settings):
            if setting.default is None or str(setting.default).strip() == "":
                problems.append(Problem("registry.E003", f"setting {setting.key!r} ({setting.programme}) has no default"))
        return problems


site = Registry(TABS, PROGRAMMES)


def register(new: Tab) -> Tab:
    """Add a tab (a programme module, a plug-in, a test); raises AlreadyRegistered for a taken name."""
    return site.register(new)


def unregister(name: str) -> Tab:
    """Remove a tab; raises NotRegistered for an unknown name."""
    return site.unregister(name)
