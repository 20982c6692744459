"""The site every tab and programme registers with, like Django's AdminSite: `register` a Programme and its
Tabs (each programme does it at the end of its own schemas/<programme>.py), and `check()` names what is
inconsistent. Nothing here names a programme; `schemas.registry` imports every schemas module, so that is
where the whole site is read from.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemas.app_tabs import problems_titles
from schemas.i18n import N_
from schemas.programme import Page, Programme
from schemas.settings import SETTINGS, unregister_settings_of
from schemas.tab import Tab

# The pages of no one programme: open to everyone signed in (the data behind them is role-checked) or to admins.
SITE_PAGES: list[Page] = [
    Page("pages/overview.py", N_("Overview"), ":material/dashboard:"),
    Page("pages/data_quality.py", N_("Data quality"), ":material/fact_check:", N_("Data")),
    Page("pages/tables.py", N_("Tables"), ":material/table_view:", N_("Data")),
    Page("pages/sync.py", N_("Sync & history"), ":material/sync:", N_("Admin"), admin_only=True),
]


def tab(name: str | Tab) -> Tab:
    """The registered tab of that name (a Tab is returned as it is, so callers may pass either)."""
    if isinstance(name, Tab):
        return name
    for t in site.tabs:
        if t.name == name:
            return t
    raise KeyError(f"no tab named {name!r}; known tabs: {', '.join(site.names())}")


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
    `check()` names what is inconsistent. `schemas.registry.TABS` and `PROGRAMMES` are the site's own
    collections, so everything that lists them sees a registration at once. Both are kept in the order the
    programmes declare (`Programme.order`; a programme's tabs in the order it registers them), whatever the
    order the modules were imported in."""

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
        merged = {**self.programmes, **{p.name: p for p in programmes}}
        self.programmes.clear()  # in place: the collections are shared (schemas.registry.PROGRAMMES)
        self.programmes.update(sorted(merged.items(), key=lambda item: item[1].order))
        self.tabs.extend(tabs)
        self.tabs.sort(key=self._programme_order)  # stable: a programme's tabs keep the order they came in

    def _programme_order(self, registered: Tab) -> int:
        programme = self.programmes.get(registered.programme)
        return programme.order if programme else Programme.order

    def unregister(self, name: str) -> Tab:
        for position, registered in enumerate(self.tabs):
            if registered.name == name:
                return self.tabs.pop(position)
        raise NotRegistered(f"no tab named {name!r} is registered; known tabs: {', '.join(self.names())}")

    def unregister_programme(self, name: str) -> Programme:
        """Remove a programme, every tab of it and the settings it declared."""
        if name not in self.programmes:
            raise NotRegistered(f"no programme named {name!r} is registered; known: {', '.join(self.programmes)}")
        self.tabs[:] = [t for t in self.tabs if t.programme != name]
        unregister_settings_of(name)
        return self.programmes.pop(name)

    def navigation(self) -> dict[str, list[tuple[Page, str | None]]]:
        """Section -> its pages, each with the programme whose tabs it reads (None: a page of the site).
        The site's pages lead their section; programme pages follow in the order their pages declare."""
        sections: dict[str, list[tuple[Page, str | None]]] = {}
        for page in self.pages:
            sections.setdefault(page.section, []).append((page, None))
        paged = sorted((p for p in self.programmes.values() if p.page is not None), key=lambda p: p.page.order)
        for programme in paged:
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


site = Registry([], {})


def register(*items: Tab | Programme) -> None:
    """Add programmes and tabs (a programme module, a plug-in, a test); raises AlreadyRegistered for a taken name."""
    site.register(*items)


def unregister(name: str) -> Tab:
    """Remove a tab; raises NotRegistered for an unknown name."""
    return site.unregister(name)


def unregister_programme(name: str) -> Programme:
    """Remove a programme, its tabs and its settings; raises NotRegistered for an unknown name."""
    return site.unregister_programme(name)
