"""The refresh's read -> check -> load, in proportion to what changed (the cache itself only stores; the whole
refresh, with the Problems tab and the waiting saves, is connectors.pipeline).

- The change token first: unchanged, nothing else is asked (one call).
- ONE read of every tab; each tab's fingerprint (the source's digest of the cells as sent, when it has one)
  says which tabs changed. Only those are typed and checked again, and only the cross-tab rules that read
  them (or the settings they use) run again (schemas.workbook_check); the issues of the rest are kept.
- In ONE transaction: the changed tabs' tables are replaced (Arrow in, no pandas copy), the unchanged ones
  kept as they are; `_issues` is rewritten only when some tab's issues changed. A reader never sees half a
  refresh, and a failed refresh leaves the last good cache as it was.
- Every table the refresh replaced, or whose issues changed, gets a new stamp (Cache.generation(tabs)):
  a figure cached on tabs that did not change survives the refresh.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa

from connectors.config import admin_settings
from connectors.sources.gsheets_http import gc_paused
from connectors.sources.interface import Source
from connectors.store.transaction import atomic
from schemas.i18n import _
from schemas.issue_rows import IssueRows
from schemas.registry import TABS

Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)


class RefreshHook(Protocol):
    """What a refresh lets the app add (connectors.problems.collect implements it)."""

    def tabs(self) -> list[str]:
        """Tabs the app owns, read in the same call as the data (absent ones are simply not there)."""

    def unchanged(self, con: Any, grids: dict[str, Any]) -> bool:
        """The data is as at the last read: is what the app's tabs hold as good (then nothing is validated again)?"""

    def validated(self, con: Any, grids: dict[str, Any], issues: IssueRows) -> IssueRows:
        """Inside the refresh's transaction: keep what the app needs of this read; answer the issues to store."""

@dataclass
class RefreshResult:
    skipped: bool  # the change token was unchanged: nothing else was read
    version: str
    same_data: bool = False  # read, but every cell was as at the last read: tables kept, only the time moved
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    checked: list[str] = field(default_factory=list)  # tabs typed and checked again (their cells changed)
    rules_run: list[str] = field(default_factory=list)  # cross-tab rules run again (they read a changed tab)
    reloaded: list[str] = field(default_factory=list)  # tables replaced


def read_check_load(cache: Any, source: Source, *, force: bool = False, date_order: str = "day_first", progress: Progress | None = None,
                    version: str | None = None, keep_same: bool = False, hook: RefreshHook | None = None) -> RefreshResult:
    """Bring the cache in step with the source: the refresh's first three steps (connectors.pipeline runs them
    and the rest). `version`: a change token the caller asked for just before; then this reads without asking
    again (the poll's bounded-staleness read costs one call, not two). `keep_same`: when every cell is as at the
    last read, keep the tables and the generation, so open pages need not redraw (the poll's reads). `hook`: tabs
    the app owns, read in the same call, and what the app keeps of a validation before its issues are stored
    (connectors.problems)."""
    say = progress or (lambda _what, _done: None)
    with cache._lock:
        say(_("Checking whether the data changed"), 0.0)
        if version is None:
            version = source.version()
        if not force and cache.stored_version(source.label) == version:
            say(_("Nothing changed since the last refresh."), 1.0)
            return RefreshResult(skipped=True, version=version)
        say(_("Reading the source"), 0.05)  # never its label: it may hold the sheet's key
        own = hook.tabs() if hook is not None else []
        grids = source.read([t.name for t in TABS] + own)
        prints = {t.name: (grids[t.name].fingerprint(date_order) if t.name in grids else "missing") for t in TABS}
        if keep_same and prints == cache.loaded and (hook is None or hook.unchanged(cache.cursor(), grids)):
            now = _now()
            cache.cursor().execute("UPDATE _meta SET version = ?, refreshed_at = ? WHERE source = ?", [version, now, source.label])
            cache.forget_generation()
            say(_("Nothing changed since the last refresh."), 1.0)
            return RefreshResult(skipped=False, version=version, same_data=True)
        say(_("Checking the tabs that changed"), 0.3)
        with gc_paused():  # a million decoded cells are a million objects the collector would rescan, for nothing
            checked = cache.check.run(grids, date_order=date_order, link=source.cell_link, admin_settings=admin_settings(),
                                      context=source.label, fingerprints=prints)
        result = RefreshResult(skipped=False, version=version, checked=sorted(checked.checked), rules_run=list(checked.rules_run))
        now = _now()
        issues = checked.issues
        reload = [t for t in TABS if cache.loaded.get(t.name) != prints[t.name]]
        with atomic(cache.con):
            if hook is not None:
                issues = hook.validated(cache.con, grids, issues)
            for found in checked.frames.values():
                found.grid = None
            release(grids)  # nothing reads the cells any more
            del grids  # before the thread runs: it holds the last reference
            result.errors = issues.errors()
            result.warnings = len(issues) - result.errors
            for number, tab in enumerate(reload, start=1):
                say(_("Loading {tab}").format(tab=tab.title), 0.4 + 0.55 * number / len(reload))
                cache.replace_table(tab, checked.frames[tab.name].frame)
            for tab in TABS:
                result.rows[tab.name] = len(checked.frames[tab.name].frame)
            cache.con.executemany("INSERT OR REPLACE INTO _meta VALUES (?, ?, ?, ?, ?)",
                                  [[t.name, source.label, version, now, result.rows[t.name]] for t in TABS])
            digests = issues.digests()
            if digests != cache.issues_stored:
                cache.con.execute("DELETE FROM _issues")
                cache.insert_issues(issues)
            cache.con.execute("INSERT OR REPLACE INTO _meta VALUES ('*', ?, ?, ?, ?)", [source.label, version, now, sum(result.rows.values())])
            cache.con.execute("INSERT INTO _refreshes VALUES (?, ?, ?, ?, ?)", [now, source.label, version, result.errors, result.warnings])
        result.reloaded = [t.name for t in reload]
        moved = set(result.reloaded) | {t for t in set(digests) | set(cache.issues_stored) if digests.get(t) != cache.issues_stored.get(t)}
        cache.stored(prints, digests, moved, version)
        say(_("Refreshed"), 1.0)
        return result


def release(grids: dict[str, Any]) -> None:
    """Drop the decoded cells in a thread of its own: freeing a million Python values takes ~70 ms, which then
    overlaps with the DuckDB load and commit (they run without the GIL) instead of adding to them."""
    threading.Thread(target=_drop, args=(grids,), name="backoffice-free", daemon=True).start()


def _drop(_grids: Any) -> None:
    """The thread's arguments are its last reference (the caller let go of its own): freed as the thread ends."""


def arrow_of(frame: Any) -> pa.Table:
    """A typed frame as Arrow: the text columns are Arrow already (no copy), and DuckDB scans Arrow faster
    than it converts pandas' masked arrays."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
