"""What a figure could not use: rows of the tabs behind it that have errors, tabs or columns missing, and
settings it could not read (it used their defaults).

Every insight that computes a figure declares the tabs and settings it reads with `insights.common.reads(...)`;
`left_out(con, tabs, settings)` answers, from `_issues`, what of those the figure had to do without. The
figures read each tab's rows with no error (connectors.store.cache.FIGURES), so the rows a note counts are
exactly the rows the figure left out. The pages show it under the figure (ui.widgets.left_out_note) and
`cli.py report` lists it in its "Data problems" part, so a figure copied into a donor report never hides
that it is short.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb

from insights.common import RegisteredTabs, reads
from schemas.i18n import _, ngettext, number
from schemas.registry import TABS, site
from schemas.settings import SETTINGS, spec

# The settings every page reads whoever opens it (small counts are hidden by them on every page).
PRIVACY_SETTINGS = tuple(s.key for s in SETTINGS if s.privacy)


def settings_read(*figures: Callable) -> tuple[str, ...]:
    """The programme settings these figures use (declared with @reads(settings=...)), in the settings' order."""
    keys = {key for figure in figures if callable(figure) for key in getattr(figure, "settings", ())}
    return tuple(s.key for s in SETTINGS if s.key in keys)


def tabs_read(*figures: Callable | str | Iterable[str]) -> tuple[str, ...]:
    """The tabs behind these figures (insights marked with @reads, or tab names), in registry order."""
    names: set[str] = set()
    for figure in figures:
        if isinstance(figure, str):
            names.add(figure)
        elif callable(figure):
            names.update(getattr(figure, "tabs", ()))
        else:
            names.update(figure)
    return tuple(t.name for t in TABS if t.name in names)


@dataclass(frozen=True)
class LeftOut:
    """One tab's share of what a figure could not use."""

    tab: str
    rows: int = 0  # data rows with at least one error
    missing: bool = False  # the source has no such tab
    columns: tuple[str, ...] = ()  # required columns the tab lacks (headers as the schema titles them)

    @property
    def title(self) -> str:
        return next((t.title for t in TABS if t.name == self.tab), self.tab)

    def sentence(self, see: str | None = None) -> str:
        """The note under a figure, in plain words, pointing to where it is fixed (`see`: the Data quality page)."""
        name, see = self.title.lower(), see or _("Data quality")
        if self.missing:
            return _("The {tab} tab is missing: figures from it are left out — see {see}.").format(tab=name, see=see)
        parts = []
        if self.columns:
            listed = ", ".join(f"'{c}'" for c in self.columns)
            parts.append(_("The {tab} tab has no column {columns}: figures that need it are left out").format(tab=name, columns=listed))
        if self.rows:
            parts.append(ngettext("{rows} row of the {tab} has errors and is left out of these figures",
                                  "{rows} rows of the {tab} have errors and are left out of these figures",
                                  self.rows).format(rows=number(self.rows), tab=name))
        return "; ".join(parts) + " — " + _("see {see}.").format(see=see)

    def for_donors(self) -> str:
        """The note under a programme in the donor pack: what is missing, in a donor's words (no tab, row or
        command named: the pack leaves the organisation)."""
        what = _(self.title)
        if self.missing or self.columns:
            return _("Records of {what} were not available: the figures that need them are left out.").format(what=what)
        return ngettext("{n} record of {what} could not be used: it is left out of these figures or counted wrong.",
                        "{n} records of {what} could not be used: they are left out of these figures or counted wrong.",
                        self.rows).format(n=number(self.rows), what=what)

    def for_donors_summary(self) -> str:
        """One line of the donor pack's list of what the figures had to do without."""
        what = _(self.title)
        if self.missing or self.columns:
            return _("{what}: not available").format(what=what)
        return ngettext("{what}: {n} record could not be used", "{what}: {n} records could not be used", self.rows).format(
            what=what, n=number(self.rows))

    def summary(self) -> str:
        """One line of the report's Data problems part."""
        if self.missing:
            return _("{title} (tab '{tab}'): the tab is missing").format(title=self.title, tab=self.tab)
        parts = [_("no column {columns}").format(columns=", ".join(repr(c) for c in self.columns))] if self.columns else []
        if self.rows:
            parts.append(ngettext("{rows} row with errors", "{rows} rows with errors", self.rows).format(rows=number(self.rows)))
        return _("{title} (tab '{tab}'): ").format(title=self.title, tab=self.tab) + ", ".join(parts)


@dataclass(frozen=True)
class SettingRefused:
    """A setting a figure uses whose value in the settings tab its rule refused: the figure used the default."""

    key: str
    value: str | None  # as read, quoted ("'abc'"), None when blank
    problem: str  # why (an N_ text of schemas.settings, filled with `fields` when shown)
    default: str  # the value used instead, as a person reads it ("4,000")
    fields: tuple[tuple[str, str], ...] = ()
    tab: str = "settings"

    def _why(self) -> str:
        return _(self.problem).format(**dict(self.fields))

    def sentence(self, see: str | None = None) -> str:
        """"riel_per_usd in the settings tab is 'abc', not a number: 4,000 is used — see Data quality." """
        return _("{key} in the settings tab is {value}, {problem}: {default} is used — see {see}.").format(
            key=self.key, value=self.value if self.value is not None else _("blank"), problem=self._why(), default=self.default,
            see=see or _("Data quality"))

    def _what(self) -> str:
        return _(spec(self.key).note)

    def for_donors(self) -> str:
        """The note under a programme in the donor pack, in a donor's words (no tab or setting's code named)."""
        return _("{what}: the value recorded could not be used, so the standard value {default} is used.").format(
            what=self._what(), default=self.default)

    def for_donors_summary(self) -> str:
        """One line of the donor pack's list of what the figures had to do without."""
        return _("{what}: the standard value {default} is used").format(what=self._what(), default=self.default)

    def summary(self) -> str:
        """One line of the report's Data problems part."""
        return _("Settings (tab 'settings'): {key} is {value}, {problem}: {default} is used").format(
            key=self.key, value=self.value if self.value is not None else _("blank"), problem=self._why(), default=self.default)


@reads("settings",)
def settings_refused(con: duckdb.DuckDBPyConnection, keys: Iterable[str] = ()) -> list[SettingRefused]:
    """The settings among `keys` whose value validation refused (`settings.bad_value`), in the settings' order."""
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        return []
    rows = con.execute("""SELECT shown, params FROM _issues WHERE tab = 'settings' AND rule = 'settings.bad_value'
                          ORDER BY "row" """).fetchall()
    found: dict[str, SettingRefused] = {}
    for shown, params in rows:
        fields = json.loads(params or "{}")
        key = fields.pop("key", None)
        if key in keys and key not in found:
            problem, default = fields.pop("problem", ""), str(fields.pop("default", ""))
            found[key] = SettingRefused(key, shown, problem, default, tuple(sorted((k, str(v)) for k, v in fields.items())))
    return [found[key] for key in (s.key for s in SETTINGS) if key in found]


@reads(RegisteredTabs(site.names), scoped=True)
def left_out(con: duckdb.DuckDBPyConnection, tabs: Iterable[str] = (), settings: Iterable[str] = ()) -> list[LeftOut | SettingRefused]:
    """For each of these tabs that has one: its data rows with errors (counted once however many errors
    a row has), whether it is missing, and the required columns it lacks. Clean tabs are not listed.
    Then the `settings` whose value was refused (their defaults were used): a settings row whose only
    error is that is said this way, not counted as a row left out."""
    names = list(dict.fromkeys(tabs))
    refused: list[LeftOut | SettingRefused] = list(settings_refused(con, settings))
    if not names:
        return refused
    marks = ", ".join("?" for _ in names)
    found = con.execute(
        f"""SELECT tab,
                   count(DISTINCT "row") FILTER ("row" > 1 AND rule <> 'settings.bad_value') AS rows,
                   bool_or(rule = 'tab.missing') AS missing,
                   list(DISTINCT "column" ORDER BY "column") FILTER (rule = 'header.missing_column') AS columns
            FROM _issues WHERE severity = 'error' AND tab IN ({marks}) GROUP BY tab""",
        names,
    ).fetchall()
    by_tab = {tab: LeftOut(tab, int(rows), bool(missing), tuple(columns or ())) for tab, rows, missing, columns in found}
    return [by_tab[t] for t in names if t in by_tab and (by_tab[t].rows or by_tab[t].missing or by_tab[t].columns)] + refused
