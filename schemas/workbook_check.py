"""Validation that remembers its last answer, so a new read is checked in proportion to what changed.

`WorkbookCheck.run(grids)` gives what `validate_workbook` gives (typed frames and issues, the same issues
in the same order), and keeps, between runs:
- per tab, its fingerprint (schemas.grid.Grid.fingerprint), typed frame and issues: a tab whose cells did
  not change is neither typed nor checked again (its cells are not even decoded: the frame is reused);
- per cross-tab rule (per tab, for the foreign keys), the tabs it read (recorded as it ran, from what it
  asked the Book: a rule that stopped early because a tab is missing read only that tab) with their
  fingerprints, its issues and the rows it left out: a rule none of whose tabs changed is not run again.
  The settings tab feeds the rules that read a setting, so a settings change re-runs those.
What a run did is in `Checked.checked` (tabs typed and checked) and `Checked.rules_run`; tests pin it.

Everything a run depends on besides the cells (date order, the links' source, the settings an admin set
in the secrets, the tabs asked for) is the run's `context`: another context starts from nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schemas.grid import Grid
from schemas.issue_rows import IssueRows
from schemas.left_out import LeftOut
from schemas.rules_context import CROSS_TAB_RULES, Book, Link, TabFrame
from schemas.tab import Tab

MISSING = "missing"  # the fingerprint of a tab the read did not have


@dataclass
class _TabResult:
    fingerprint: str
    found: TabFrame  # kept without its grid: the next read's grid (same cells) is put back
    issues: IssueRows
    reshaped: bool  # merges or a second header row changed the grid: done again on the next read's grid


@dataclass
class _RuleResult:
    reads: dict[str, str]  # tab -> its fingerprint when the rule ran
    issues: list[Any]
    left_out: list[tuple]  # Book.leave_out calls, replayed in rule order


@dataclass
class Checked:
    frames: dict[str, TabFrame]
    issues: IssueRows
    fingerprints: dict[str, str]
    checked: set[str] = field(default_factory=set)  # tabs typed and checked in this run
    rules_run: list[str] = field(default_factory=list)  # rules (and "foreign_keys:<tab>") run in this run
    issues_of: dict[str, IssueRows] = field(default_factory=dict)  # per tab, its stored issues


class _ReadsRecorded(Mapping):
    """The Book's tabs, noting each one a rule looks at."""

    def __init__(self, frames: dict[str, TabFrame], reads: set[str]):
        self._frames, self._reads = frames, reads

    def __getitem__(self, name: str) -> TabFrame:
        self._reads.add(name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        self._reads.update(self._frames)
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


class _RecordingBook(Book):
    """A Book that notes what each rule reads (tabs, settings) and the rows it leaves out."""

    def __init__(self, frames: dict[str, TabFrame], settings: dict[str, Any], link: Link | None):
        self.reads: set[str] = set()
        self.left_out_calls: list[tuple] = []
        super().__init__(_ReadsRecorded(frames, self.reads), settings, link)  # type: ignore[arg-type]

    def setting(self, key: str, default: float) -> float:
        self.reads.add("settings")
        return super().setting(key, default)

    def leave_out(self, tab: str, positions: Any, rule: str, owners: Any = None, since: Any = None) -> None:
        import numpy as np

        rows = self.frames[tab].sheet_rows(np.asarray(positions, dtype=np.int64)).tolist()
        self.left_out_calls.append((tab, rows, rule, None if owners is None else list(owners), since))

    def start(self) -> None:
        self.reads.clear()
        self.left_out_calls = []


def rule_units(frames: Mapping[str, TabFrame]) -> list[tuple[str, Callable[[Book], Any]]]:
    """The registered cross-tab rules in order; a rule declaring `each_tab` is one unit per tab (the foreign
    keys: a change in one tab re-checks that tab's references and the references into it, not all)."""
    units: list[tuple[str, Callable[[Book], Any]]] = []
    for rule in CROSS_TAB_RULES:
        each = getattr(rule, "each_tab", None)
        if each is None:
            units.append((rule.__name__, rule))
        else:
            units += [(f"{rule.__name__}:{name}", (lambda book, name=name, each=each: each(book, name))) for name in frames]
    return units


def rules_across(frames: dict[str, TabFrame], settings: dict[str, Any], link: Link | None = None) -> list[Any]:
    """Every cross-tab rule once on these tabs (a save's check), with the `rules.not_checked` warnings: the issues
    (Issue or IssueRows) as `WorkbookCheck.run` adds them, without remembering anything for a next run."""
    book = Book(frames, settings, link)
    found: list[Any] = []
    for _name, rule in rule_units(frames):
        found += list(rule(book))
    return found + book.not_checked()


class WorkbookCheck:
    """`check_tab(tab, grid, date_order=, link=) -> (TabFrame, IssueRows)`, `settings_of(found, link, admin)` and
    `reshape(tab, grid, columns) -> (grid, ...)` are schemas.validate's (schemas.validate.new_check)."""

    def __init__(self, check_tab: Callable[..., tuple[TabFrame, IssueRows]], settings_of: Callable[..., tuple[dict, list]],
                 reshape: Callable[..., tuple[Grid, Any, Any]]) -> None:
        self._check_tab, self._settings_of, self._reshape = check_tab, settings_of, reshape
        self._context: Any = None
        self._tabs: dict[str, _TabResult] = {}
        self._rules: dict[str, _RuleResult] = {}

    def forget(self, tabs: Any = None) -> None:
        """Check these tabs (None: every tab) in full at the next run, whatever their fingerprints."""
        for name in list(self._tabs) if tabs is None else tabs:
            self._tabs.pop(name, None)

    def run(self, grids: dict[str, Grid], *, tabs: list[Tab] | None = None, date_order: str = "day_first",
            link: Link | None = None, admin_settings: dict[str, Any] | None = None, context: Any = None,
            fingerprints: dict[str, str] | None = None) -> Checked:
        if tabs is None:
            from schemas.registry import TABS  # the registry imports every schemas module, this one too

            tabs = TABS
        tabs = list(tabs)
        context = (context, date_order, tuple(t.name for t in tabs), tuple(sorted((admin_settings or {}).items())))
        if context != self._context:
            self._context, self._tabs, self._rules = context, {}, {}
        prints = dict(fingerprints or {})
        for tab in tabs:
            if tab.name not in prints:
                grid = grids.get(tab.name)
                prints[tab.name] = MISSING if grid is None else grid.fingerprint(date_order)
        done = Checked({}, IssueRows(), prints)
        for tab in tabs:
            grid = grids.get(tab.name)
            kept = self._tabs.get(tab.name)
            if kept is not None and kept.fingerprint == prints[tab.name]:
                done.frames[tab.name] = replace(kept.found, grid=self._shaped(tab, grid, kept) if grid is not None else None)
            else:
                found, issues = self._check_tab(tab, grid, date_order=date_order, link=link)
                done.frames[tab.name] = found
                kept = self._tabs[tab.name] = _TabResult(prints[tab.name], replace(found, grid=None), issues,
                                                         grid is not None and found.grid is not grid)
                done.checked.add(tab.name)
            done.issues.extend(kept.issues)
        settings, setting_issues = self._settings_of(done.frames.get("settings"), link, admin_settings or {})
        done.issues.extend(setting_issues)
        book = _RecordingBook(done.frames, settings, link)
        left_out = LeftOut()
        for name, rule in rule_units(done.frames):
            ran = self._rules.get(name)
            if ran is None or any(prints.get(t, MISSING) != at for t, at in ran.reads.items()):
                book.start()
                found_issues = list(rule(book))
                ran = self._rules[name] = _RuleResult({t: prints.get(t, MISSING) for t in book.reads}, found_issues,
                                                      book.left_out_calls)
                done.rules_run.append(name)
            for issues in ran.issues:
                done.issues.extend(issues) if isinstance(issues, IssueRows) else done.issues.append(issues)
            for call in ran.left_out:
                left_out.add(*call)
        book.left_out = left_out
        done.issues.extend(book.not_checked())
        done.issues.sort({name: i for i, name in enumerate(done.frames)})  # stable: per-tab order kept
        return done


    def _shaped(self, tab: Tab, grid: Grid, kept: _TabResult) -> Grid:
        """The grid as the kept frame was typed from: the read's own grid, or with its merges and second header
        row applied again (the cells are the same: the fingerprint says so)."""
        return self._reshape(tab, grid, kept.found.columns)[0] if kept.reshaped else grid
