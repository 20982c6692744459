"""The Problems tab as it should look, in the sheet's language, built from `_problem_rows`: the same for a
Google Sheet and a workbook; each writer only turns links into its own formulas and checkboxes into its
own cells.

    Tab | Row | Column | Value as typed | What is wrong | Error or warning | First seen | Open | Correct as typed | Back office id

Open problems first, sorted by tab (as the registry lists them) and row; at most `MAX_ROWS`, then one line
counting the rest; then, under a heading, the warnings confirmed correct as typed (ticked: unticking one
brings its warning back). Errors have no box: they cannot be confirmed away.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from connectors.problems import notes as N
from connectors.problems import rows as R
from connectors.problems import store
from schemas.app_tabs import PROBLEMS_COLUMNS
from schemas.i18n import _, configured_language, language, number
from schemas.rules import SEVERITY_NAMES, WARNING

NAMES = [name for name, _title in PROBLEMS_COLUMNS]


@dataclass
class Link:
    """Where a row's link leads: a tab, and a cell (None: the tab itself) found by key when it has one."""

    tab: str
    cell: str | None
    key_refs: list[list[Any]]


@dataclass
class Outcome:
    """What a send did: its calls, the notes it set and cleared, the file's change token after it (a workbook)."""

    calls: int = 0
    notes_set: int = 0
    notes_cleared: int = 0
    version: str | None = None


@dataclass
class Line:
    cells: dict[str, Any]  # by column name; "link" is left to the writer
    link: Link | None = None
    checkbox: bool = False  # the "Correct as typed" cell is a checkbox (a warning)


@dataclass
class Layout:
    title: str
    existing_title: str | None
    header: list[str]
    lines: list[Line]
    notes: dict[str, dict[str, str]]  # tab -> A1 cell -> the app's block
    counts: dict[str, int]
    link_label: str
    protection_note: str
    data_tabs: list[str] = field(default_factory=list)
    audit_header: list[str] | None = None

    @property
    def digest(self) -> str:
        return R.digest([[R.cell_text(h) for h in self.header], *(R.visible_of(line.cells) for line in self.lines)])

    @property
    def ticks(self) -> list[str]:
        """The boxes this layout shows ticked, as "id|value" (connectors.problems.collect.ticks reads them back)."""
        return sorted(f"{line.cells['ident']}|{R.cell_text(line.cells['value'])}" for line in self.lines
                      if line.cells.get("confirmed") is True)

    @property
    def empty(self) -> bool:
        return not self.counts["problems"] and not self.counts["confirmed"]


def _line(**cells: Any) -> dict[str, Any]:
    return {name: cells.get(name) for name in NAMES}


def build(con: Any, with_notes: bool) -> Layout:
    """The tab to show now (and the notes to set), from what the last validation stored."""
    state = store.state(con)
    open_rows, confirmed_rows, total = store.shown_rows(con, R.MAX_ROWS)
    confirmations = store.confirmations(con)
    with language(configured_language()):
        header = [_(title) if name != "ident" else title for name, title in PROBLEMS_COLUMNS]
        severity = {s: _(label) for s, label in SEVERITY_NAMES.items()}
        lines = [_problem_line(row, severity) for row in open_rows.itertuples(index=False)]
        if total > len(open_rows):
            lines.append(Line(_line(message=_("… and {count} more problems, not listed here: see the back office's Data quality page.").format(
                count=number(total - len(open_rows))))))
        if not total:
            lines.append(Line(_line(message=_("No open problems."))))
        if len(confirmed_rows):
            lines.append(Line(_line(tab=_("Confirmed correct as typed"), ident=R.SECTION_MARK,
                                    message=_("These warnings are not problems any more. Untick a box to bring its warning back."))))
            for row in confirmed_rows.itertuples(index=False):
                line = _problem_line(row, severity)
                line.cells["confirmed"] = True
                line.cells["first_seen"] = _confirmed_text(confirmations.get(row.ident))
                lines.append(line)
        link_label = _("Open")
        protection = _("Written by the back office after every check of the sheet. Tick 'Correct as typed' on a warning "
                       "that is right as typed; anything else typed here is replaced.")
    counts = {"problems": total, "errors": store_count(con, "error"), "warnings": store_count(con, WARNING),
              "confirmed": len(confirmed_rows)}
    notes: dict[str, dict[str, str]] = {}
    data_tabs = json.loads(state.get("data_tabs") or "[]")
    if with_notes:
        grouped: dict[tuple[str, str], list[str]] = {}
        for row in open_rows.itertuples(index=False):
            if isinstance(row.cell, str) and row.cell and row.tab in data_tabs and isinstance(row.message, str):
                grouped.setdefault((row.tab, row.cell), []).append(row.message)
        for (tab, cell), messages in grouped.items():
            notes.setdefault(tab, {})[cell] = N.block(messages)
    audit_header = json.loads(state["audit_header"]) if state.get("audit_header") else None
    return Layout(state.get("title") or header[0], state.get("existing_title"), header, lines, notes, counts, link_label,
                  protection, data_tabs, audit_header)


def store_count(con: Any, severity: str) -> int:
    return int(con.execute("SELECT count(*) FROM _problem_rows WHERE section = 'open' AND severity = ?", [severity]).fetchone()[0])


def _problem_line(row: Any, severity: dict[str, str]) -> Line:
    cells = _line(tab=row.tab, row=None if pd.isna(row.row) else int(row.row), column=None if pd.isna(row.column) else row.column, value=row.value or None,
                  message=row.message, severity=severity.get(row.severity, row.severity), first_seen=row.first_seen,
                  ident=row.ident, confirmed=False if row.severity == WARNING else None)
    cell = row.cell if isinstance(row.cell, str) and row.cell else None
    link = Link(row.tab, cell, json.loads(row.key_refs or "[]"))
    return Line(cells, link, checkbox=row.severity == WARNING)


def _confirmed_text(confirmation: store.Confirmation | None) -> str:
    if confirmation is None:
        return _("Confirmed")
    if confirmation.shown_as:
        return confirmation.shown_as
    when = f"{confirmation.confirmed_at:%Y-%m-%d %H:%M} UTC"
    if confirmation.confirmed_by == store.SHEET:
        return _("Confirmed {when}, ticked in the sheet").format(when=when)
    return _("Confirmed {when} by {who} in the back office").format(when=when, who=confirmation.confirmed_by)
