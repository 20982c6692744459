"""Every tab the back office knows, registered once.

The generic Tables page, the validator, the cache, provisioning, exports, the navigation, the Overview,
the year's report and the demo builder all read the site: a new tab is one schema class and one line in
TABS (or one `register` call); a new programme declares its roles and page in its Programme, and registers
its Overview and report parts (insights.parts) and its demo rows (data.demo_common) from its own modules.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemas.admin import AuditEntry, Setting, User
from schemas.app_tabs import problems_titles
from schemas.clinic import AmbulanceTrip, ClinicVisit, HealthEducationSession
from schemas.cow_bank import Cow, CowEvent
from schemas.i18n import N_
from schemas.places import Household, Village
from schemas.prevention import Activity, CommunePlan, MigrationCheck, ParentGroup
from schemas.programme import Page, Programme
from schemas.rice_bank import RiceBank, RiceEntry
from schemas.savings import SavingsEntry, SavingsGroup
from schemas.school_support import SchoolSupport
from schemas.settings import SETTINGS
from schemas.tab import Tab
from schemas.wash import WashSurvey

ALL, STAFF = ("admin", "editor", "viewer"), ("admin", "editor")


# In the order of the programme report: the navigation lists the dashboards in this order (the Overview and the
# year's results take the order each programme declares for its parts: insights.parts).
PROGRAMMES: dict[str, Programme] = {
    p.name: p
    for p in [
        Programme("places", "Villages and households", ALL, STAFF),
        Programme("prevention", "Prevention", ALL, STAFF, Page("pages/prevention.py", N_("Prevention"), ":material/shield:")),
        Programme("clinic", "Clinic", ("admin", "clinic", "viewer"), ("admin", "clinic"),
                  Page("pages/clinic.py", N_("Clinic"), ":material/local_hospital:"), personal_data_roles=("admin", "clinic")),
        Programme("savings", "Savings groups", ALL, STAFF, Page("pages/savings.py", N_("Savings groups"), ":material/savings:")),
        Programme("cow_bank", "Cow bank", ALL, STAFF, Page("pages/cow_bank.py", N_("Cow bank"), ":material/pets:")),
        Programme("rice_bank", "Rice bank", ALL, STAFF, Page("pages/rice_bank.py", N_("Rice bank"), ":material/grass:")),
        Programme("school_support", "School support", ALL, STAFF,
                  Page("pages/school_support.py", N_("School support"), ":material/school:")),
        Programme("wash", "Household hygiene (toilets, clean water)", ALL, STAFF,
                  Page("pages/wash.py", N_("Household hygiene"), ":material/water_drop:")),
        Programme("admin", "Administration", ("admin",), ("admin",)),
    ]
}

# The pages of no one programme: open to everyone signed in (the data behind them is role-checked) or to admins.
SITE_PAGES: list[Page] = [
    Page("pages/overview.py", N_("Overview"), ":material/dashboard:"),
    Page("pages/data_quality.py", N_("Data quality"), ":material/fact_check:", N_("Data")),
    Page("pages/tables.py", N_("Tables"), ":material/table_view:", N_("Data")),
    Page("pages/sync.py", N_("Sync & history"), ":material/sync:", N_("Admin"), admin_only=True),
]


TABS: list[Tab] = [
    Tab("villages", Village, ("village_code",), "places", N_("Villages")),
    Tab("households", Household, ("household_id",), "places", N_("Households")),
    Tab("activities", Activity, ("activity_id",), "prevention", N_("Prevention activities"), period="date"),
    Tab("commune_plans", CommunePlan, ("commune_code", "year"), "prevention", N_("Commune plans")),
    Tab("parent_groups", ParentGroup, ("group_id",), "prevention", N_("Parent groups")),
    Tab("migration_checks", MigrationCheck, ("check_id",), "prevention", N_("Migration checks")),
    Tab("school_support", SchoolSupport, ("support_id",), "school_support", N_("School support")),
    Tab("wash_surveys", WashSurvey, ("survey_id",), "wash", N_("Hygiene surveys")),
    Tab("savings_groups", SavingsGroup, ("group_id",), "savings", N_("Savings groups")),
    Tab("savings_ledger", SavingsEntry, ("entry_id",), "savings", N_("Savings ledger"), period="date"),
    Tab("cows", Cow, ("cow_id",), "cow_bank", N_("Cows")),
    Tab("cow_events", CowEvent, ("event_id",), "cow_bank", N_("Cow events"), period="date"),
    Tab("rice_banks", RiceBank, ("bank_id",), "rice_bank", N_("Rice banks")),
    Tab("rice_ledger", RiceEntry, ("entry_id",), "rice_bank", N_("Rice ledger"), period="date"),
    Tab("clinic_visits", ClinicVisit, ("visit_id",), "clinic", N_("Clinic visits"), period="date"),
    Tab("ambulance_trips", AmbulanceTrip, ("trip_id",), "clinic", N_("Ambulance trips")),
    Tab("health_education", HealthEducationSession, ("session_id",), "clinic", N_("Health education")),
    Tab("settings", Setting, ("key",), "admin", N_("Settings")),
    Tab("users", User, ("email",), "admin", N_("Users")),
    Tab("audit_log", AuditEntry, (), "admin", N_("Audit log")),
]


def tab(name: str | Tab) -> Tab:
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

    def __init__(self, tabs: list[Tab], programmes: dict[str, Programme], pages: list[Page] | None = None) -> None:
        self.tabs = tabs
        self.programmes = programmes
        self.pages = SITE_PAGES if pages is None else pages

    def names(self) -> list[str]:
        return [t.name for t in self.tabs]

    def register(self, *items: Tab | Programme) -> None:
        """Programmes first, then tabs (so one call may add a programme and its tabs); nothing is added
        when any item is refused."""
        programmes = [i for i in items if isinstance(i, Programme)]
        tabs = [i for i in items if isinstance(i, Tab)]
        taken = [p.name for p in programmes if p.name in self.programmes]
        if taken:
            raise AlreadyRegistered(f"a programme named {taken[0]!r} is already registered; unregister_programme({taken[0]!r}) first")
        known = set(self.programmes) | {p.name for p in programmes}
        names = self.names()
        for new in tabs:
            if new.name in names:
                raise AlreadyRegistered(f"a tab named {new.name!r} is already registered; unregister({new.name!r}) first")
            if new.programme not in known:
                raise KeyError(f"tab {new.name!r} names programme {new.programme!r}, which is not registered; "
                               f"known: {', '.join(sorted(known))}")
            names.append(new.name)
        self.programmes.update({p.name: p for p in programmes})
        self.tabs.extend(tabs)

    def unregister(self, name: str) -> Tab:
        for position, registered in enumerate(self.tabs):
            if registered.name == name:
                return self.tabs.pop(position)
        raise NotRegistered(f"no tab named {name!r} is registered; known tabs: {', '.join(self.names())}")

    def unregister_programme(self, name: str) -> Programme:
        """Remove a programme and every tab of it."""
        if name not in self.programmes:
            raise NotRegistered(f"no programme named {name!r} is registered; known: {', '.join(self.programmes)}")
        self.tabs[:] = [t for t in self.tabs if t.programme != name]
        return self.programmes.pop(name)

    def navigation(self) -> dict[str, list[tuple[Page, str | None]]]:
        """Section -> its pages, each with the programme whose tabs it reads (None: a page of the site).
        The site's pages lead their section; programme pages follow in programme order."""
        sections: dict[str, list[tuple[Page, str | None]]] = {}
        for page in self.pages:
            sections.setdefault(page.section, []).append((page, None))
        for programme in self.programmes.values():
            if programme.page is not None:
                sections.setdefault(programme.page.section, []).append((programme.page, programme.name))
        return sections

    def dated_tabs(self) -> list[Tab]:
        """The tabs with a period column: what the dashboards' years span."""
        return [t for t in self.tabs if t.period]

    def check(self, reads: dict[str, tuple[str, ...]] | None = None, settings: tuple | None = None,
              root: Path | None = None) -> list[Problem]:
        """Problems, each with a stable id:
        registry.E001 a foreign key (`ref`) to an unknown tab or column;
        registry.E002 an insight or page (`reads`: its name -> the tabs it declares) reading an unregistered tab;
        registry.E003 a setting without a default (`settings`: schemas.settings.SETTINGS by default);
        registry.E004 a tab's key column that its schema does not have;
        registry.E005 a tab of an unregistered programme;
        registry.E006 a page file that does not exist (checked when `root`, the project's folder, is given);
        registry.E008 a tab's period column that is not a date column of its schema;
        registry.E009 a tab named like a tab the app owns (the Problems tab, schemas.app_tabs).
        `reads` comes from the layer that knows the insights (the gateway), so schemas import nothing above.
        (registry.E007, a dotted name that did not resolve, is retired: parts and demo builders register
        themselves with the functions, so there is no name left to resolve.)"""
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
            if registered.name in problems_titles():
                problems.append(Problem("registry.E009", f"tab {registered.name!r}: the back office writes a tab of that name itself "
                                        "(its Problems tab); name the tab otherwise"))
            if registered.period and registered.period not in {c.name for c in registered.columns if c.kind == "date"}:
                problems.append(Problem("registry.E008", f"tab {registered.name!r}: period column {registered.period!r} "
                                        "is not a date column of its schema"))
        for reader, tabs in sorted((reads or {}).items()):
            for name in tabs:
                if name not in columns:
                    problems.append(Problem("registry.E002", f"{reader} reads tab {name!r}, which is not registered"))
        for setting in (SETTINGS if settings is None else settings):
            if setting.default is None or str(setting.default).strip() == "":
                problems.append(Problem("registry.E003", f"setting {setting.key!r} ({setting.programme}) has no default"))
        for page, programme in (pair for pages in self.navigation().values() for pair in pages):
            if root is not None and not (root / page.file).is_file():
                owner = f"programme {programme!r}" if programme else "the site"
                problems.append(Problem("registry.E006", f"{owner}: page file {page.file!r} does not exist"))
        return problems


site = Registry(TABS, PROGRAMMES)


def register(*items: Tab | Programme) -> None:
    """Add programmes and tabs (a programme module, a plug-in, a test); raises AlreadyRegistered for a taken name."""
    site.register(*items)


def unregister(name: str) -> Tab:
    """Remove a tab; raises NotRegistered for an unknown name."""
    return site.unregister(name)


def unregister_programme(name: str) -> Programme:
    """Remove a programme and its tabs; raises NotRegistered for an unknown name."""
    return site.unregister_programme(name)
