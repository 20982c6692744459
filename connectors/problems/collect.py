"""After each validation, inside the refresh's transaction: what the Problems tab should show.

The refresh reads the app's Problems tab in the same call as the data (`tabs()`); `validated()` then
- finds each problem's row by key (rows.anchors) and gives it its id;
- takes the "Correct as typed" ticks from the tab, keeps the app's own confirmations until they are in
  the tab, and drops a confirmation whose value changed (the warning comes back) or that was unticked;
  errors are never confirmed away;
- stores the rows the tab should show (`_problem_rows`, first seen kept per problem id) and the state
  the next send compares with;
- answers the issues without the confirmed warnings, so the app stops showing them too.
Nothing here calls the source: the send (connectors.problems.feedback.send) writes later, only when needed.
A mistake in this code must never stop the data from being refreshed: the work is done first, and if it
fails, the issues are stored as validated and nothing of the Problems tab changes this time.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from connectors.problems import rows as R
from connectors.problems import store
from connectors.problems.store import Confirmation
from connectors.store.audit import AuditEntry
from schemas.app_tabs import PROBLEMS_OTHER_TITLE, PROBLEMS_TITLE, problems_titles
from schemas.grid import Grid
from schemas.i18n import _, configured_language, language
from schemas.issue_rows import IssueRows
from schemas.rules import WARNING

SHEET = store.SHEET
log = logging.getLogger(__name__)
VIA_CONFIRMED = "confirmed correct as typed"
VIA_WITHDRAWN = "confirmation withdrawn (unticked in the sheet)"
VIA_LAPSED = "confirmation lapsed: the value changed"


def stamp(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def sheet_title(grids: dict[str, Grid]) -> tuple[str, str | None]:
    """(the title the app's tab should have, the title it has now or None): the sheet's language decides;
    a staff tab that already has that title (no marker in its header) keeps it, and the app takes the second."""
    ours = next((title for title in problems_titles() if R.is_ours(grids.get(title))), None)
    with language(configured_language()):
        first, second = _(PROBLEMS_TITLE), _(PROBLEMS_OTHER_TITLE)
    taken = first in grids and not R.is_ours(grids.get(first))
    return (second if taken else first), ours


def ticks(sheet: R.SheetProblems | None) -> list[str]:
    """The boxes ticked in the tab, as "id|value" (what the app compares with the ones it wrote ticked)."""
    return sorted(f"{row.ident}|{row.value}" for row in sheet.rows if row.ticked) if sheet is not None else []


class ProblemsHook:
    """connectors.store.cache.RefreshHook for the Problems tab (see the module's docstring)."""

    def __init__(self, cache: Any):
        self.cache = cache
        store.ensure(cache)  # before the refresh's transaction begins

    def tabs(self) -> list[str]:
        return problems_titles()

    def unchanged(self, con: Any, grids: dict[str, Grid]) -> bool:
        """The data is as at the last read. The boxes ticked in the tab are the ones the app last wrote ticked:
        nothing to validate again (the app's own write, read back, costs no validation and no redraw); the tab
        as read is noted, so a tab someone emptied or deleted is written again. Another tick or untick: False."""
        try:
            title, existing = sheet_title(grids)
            sheet = R.read_sheet(grids[existing]) if existing else None
            if json.dumps(ticks(sheet)) != (store.state(con).get("written_ticks") or "[]"):
                return False
        except Exception:  # then the full check decides
            log.exception("The Problems tab could not be read; the sheet is checked in full.")
            return False
        store.set_state(con, title=title, existing_title=existing, sheet_digest=sheet.digest if sheet else "")
        return True

    def validated(self, con: Any, grids: dict[str, Grid], issues: IssueRows) -> IssueRows:
        try:
            kept, write = self._work(con, grids, issues)
        except Exception:  # the refresh goes on; the Problems tab waits for the next check
            log.exception("The Problems tab could not be prepared; the data is refreshed without it.")
            return issues
        write()
        return kept

    def _work(self, con: Any, grids: dict[str, Grid], issues: IssueRows) -> tuple[IssueRows, Callable[[], None]]:
        """(the issues to store, what to write into the cache): computed first, written after, so a mistake here
        never leaves the refresh's transaction half done."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        title, existing = sheet_title(grids)
        sheet = R.read_sheet(grids[existing]) if existing else None
        found = R.anchors(grids, issues)
        columns = {name: issues.column(name) for name in ("tab", "row", "column", "cell", "value", "severity", "rule")}
        idents = [R.ident(t, a.row_key, c, r) for t, a, c, r in zip(columns["tab"], found, columns["column"], columns["rule"], strict=False)]
        values = [R.value_text(v) for v in columns["value"]]
        current: dict[str, int] = {}
        for position, name in enumerate(idents):
            current.setdefault(name, position)
        missing_tabs = {t for t, r in zip(columns["tab"], columns["rule"], strict=True) if r == "tab.missing"}
        confirmed, entries = self._confirmations(con, sheet, current, values, columns, missing_tabs, now)
        hidden = {current[i] for i in confirmed if i in current and columns["severity"][current[i]] == WARNING
                  and values[current[i]] == confirmed[i].value}
        seen = store.first_seen(con)
        if sheet is not None:
            seen = {**{r.ident: r.first_seen for r in sheet.rows if r.section == R.OPEN and r.first_seen}, **seen}
        rows = self._rows(issues, idents, hidden, confirmed, current, columns, values, found, seen, stamp(now))
        audit = grids.get("audit_log")
        data_tabs = json.dumps(sorted(t for t in grids if t not in problems_titles()))

        def write() -> None:
            store.replace_rows(con, rows)
            store.replace_confirmations(con, confirmed)
            store.add_audit(con, entries)
            store.set_state(con, title=title, existing_title=existing, sheet_digest=sheet.digest if sheet else "",
                            audit_header=json.dumps(audit.header) if audit is not None else None, data_tabs=data_tabs)

        return (issues.without(hidden) if hidden else issues), write

    @staticmethod
    def _rows(issues: IssueRows, idents: list[str], hidden: set[int], confirmed: dict[str, Confirmation], current: dict[str, int],
              columns: dict[str, list], values: list[str], found: list[R.Anchor], seen: dict[str, str], now: str) -> dict[str, list]:
        """`_problem_rows` as columns: the open problems in the issues' order (sentences written, in the sheet's
        language, for the ones the tab lists), then the confirmed ones, each with the data of its current issue."""
        shown = [p for p in range(len(issues)) if p not in hidden]
        listed = [(name, current[name]) for name in sorted(confirmed, key=lambda c: current.get(c, 0)) if name in current]
        sources = shown + [p for _name, p in listed]  # a confirmed row whose tab is missing from this read: kept, not shown
        with language(configured_language()):
            messages = [issues[p].message for p in shown[:R.MAX_ROWS]] + [None] * max(len(shown) - R.MAX_ROWS, 0)
            messages += [issues[p].message for _name, p in listed]
        # A link's key cells, for the rows the tab lists (the others have no link to build).
        listed_positions = set(shown[:R.MAX_ROWS]) | {p for _name, p in listed}

        def key_refs(p: int) -> str | None:
            return json.dumps([list(ref) for ref in found[p].key_refs], ensure_ascii=False) if p in listed_positions else None

        out = {"position": shown + [len(issues) + n for n in range(len(listed))],
               "section": [R.OPEN] * len(shown) + [R.CONFIRMED] * len(listed),
               "ident": [idents[p] for p in sources], "value": [values[p] for p in sources], "message": messages,
               "first_seen": [seen.get(idents[p]) or now for p in sources], "key_refs": [key_refs(p) for p in sources]}
        for name in ("tab", "row", "column", "cell", "severity", "rule"):
            out[name] = [columns[name][p] for p in sources]
        return out

    @staticmethod
    def _confirmations(con: Any, sheet: R.SheetProblems | None, current: dict[str, int], values: list[str],
                       columns: dict[str, list], missing_tabs: set[str],
                       now: dt.datetime) -> tuple[dict[str, Confirmation], list[AuditEntry]]:
        prior = store.confirmations(con)
        listed = {r.ident: r for r in sheet.rows} if sheet is not None else {}
        active: dict[str, Confirmation] = {}
        entries: list[AuditEntry] = []

        def entry(name: str, old: str | None, new: str | None, via: str, who: str = SHEET) -> AuditEntry:
            tab, row_key, column, _rule = [*name.split("|"), "", "", "", ""][:4]
            return AuditEntry(now, who, tab, row_key, column or None, old, new, via)

        for name, row in listed.items():
            position = current.get(name)
            if not row.ticked or position is None or columns["severity"][position] != WARNING:
                continue  # errors cannot be confirmed away; a tick on a problem already gone means nothing
            known = prior.get(name)
            if known is not None and known.value == row.value:
                active[name] = Confirmation(name, known.tab, known.value, known.confirmed_at, known.confirmed_by, known.via,
                                            known.written or row.section == R.CONFIRMED, known.shown_as)
            elif row.section == R.CONFIRMED:  # shown confirmed by another copy of the app: take it as it is shown
                active[name] = Confirmation(name, columns["tab"][position], row.value, now, SHEET, "sheet", True, row.first_seen)
            else:
                active[name] = Confirmation(name, columns["tab"][position], row.value, now, SHEET, "sheet", False)
                entries.append(entry(name, None, row.value, VIA_CONFIRMED))
        for name, known in prior.items():
            if name in active:
                continue
            row = listed.get(name)
            if sheet is None or (known.via == "app" and not known.written) or row is None:
                active[name] = known  # not in the tab yet (or the tab could not be read): kept until it is
            elif not row.ticked:
                entries.append(entry(name, known.value, None, VIA_WITHDRAWN))
        for name, confirmation in list(active.items()):
            position = current.get(name)
            if position is None:
                if confirmation.tab not in missing_tabs:
                    del active[name]  # the warning is gone: nothing left to confirm
            elif values[position] != confirmation.value:
                del active[name]
                entries.append(entry(name, confirmation.value, values[position], VIA_LAPSED))
        return active, entries
