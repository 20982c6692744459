"""What a figure could not use: rows of the tabs behind it that have errors, and tabs or columns missing.

Every insight that computes a figure declares the tabs it reads with `insights.common.reads(...)`; `left_out(con, tabs)`
answers, from `_issues`, what of those tabs the figure had to do without. The pages show it under the
figure (ui.widgets.left_out_note) and `cli.py report` lists it in its "Data problems" part, so a figure
copied into a donor report never hides that it is short.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import duckdb

from insights.common import RegisteredTabs, reads
from schemas.i18n import _, ngettext, number
from schemas.registry import TABS, site


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
            parts.append(ngettext("{rows} row of the {tab} has errors and is left out of these figures or counted wrong",
                                  "{rows} rows of the {tab} have errors and are left out of these figures or counted wrong",
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


@reads(RegisteredTabs(site.names), scoped=True)
def left_out(con: duckdb.DuckDBPyConnection, tabs: Iterable[str] = ()) -> list[LeftOut]:
    """For each of these tabs that has one: its data rows with errors (counted once however many errors
    a row has), whether it is missing, and the required columns it lacks. Clean tabs are not listed."""
    names = list(dict.fromkeys(tabs))
    if not names:
        return []
    marks = ", ".join("?" for _ in names)
    found = con.execute(
        f"""SELECT tab,
                   count(DISTINCT "row") FILTER ("row" > 1) AS rows,
                   bool_or(rule = 'tab.missing') AS missing,
                   list(DISTINCT "column" ORDER BY "column") FILTER (rule = 'header.missing_column') AS columns
            FROM _issues WHERE severity = 'error' AND tab IN ({marks}) GROUP BY tab""",
        names,
    ).fetchall()
    by_tab = {tab: LeftOut(tab, int(rows), bool(missing), tuple(columns or ())) for tab, rows, missing, columns in found}
    return [by_tab[t] for t in names if t in by_tab and (by_tab[t].rows or by_tab[t].missing or by_tab[t].columns)]
