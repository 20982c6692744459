"""The refresh, one function for every caller: a page (ui.state), the live poll (connectors.poll) and the
command line (commands.report).

    read -> check -> load         connectors.store.refresh: the change token, one read, only the tabs that
                                  changed typed and checked again, their tables replaced in one transaction
    -> the sheet's Problems tab   connectors.problems.feedback: written only when what it shows changed
    -> the saves waiting          connectors.sync.replay: each as its author, role checked again; nothing at
                                  all (no call) when the outbox is empty

The cache only stores; nothing else runs these steps. A source that cannot be read raises SourceError from
the first step, and then nothing else is tried: the last good cache stays, and the saves keep waiting.
"""
from __future__ import annotations

from dataclasses import dataclass

from connectors.problems import feedback
from connectors.sources.interface import Source
from connectors.store.cache import Cache
from connectors.store.refresh import Progress, RefreshResult, read_check_load
from connectors.sync import ReplayResult, replay_pending


@dataclass(frozen=True)
class Refreshed:
    result: RefreshResult
    sent: ReplayResult | None = None  # the waiting saves' sending; None: none waited (no call), or not asked


def refresh(cache: Cache, source: Source, *, send_saves: bool, write_problems: bool = True, background: bool = False,
            force: bool = False, version: str | None = None, keep_same: bool = False, date_order: str = "day_first",
            progress: Progress | None = None) -> Refreshed:
    """`send_saves`: only once someone is signed in (a page) or for the process (the poll); never from the
    command line, which has a cache of its own and no outbox. `write_problems`: the Problems tab, when
    `problems_in_sheet` is on (the command line never writes to the source). `background`: a page never waits
    for the Problems tab. `force`, `version`, `keep_same`, `progress`: see read_check_load."""
    problems = feedback.hook(cache, source) if write_problems else None
    result = read_check_load(cache, source, force=force, date_order=date_order, progress=progress, version=version,
                             keep_same=keep_same, hook=problems)
    if problems is not None:
        feedback.send_after_refresh(cache, source, background=background)
    return Refreshed(result, send_waiting(cache, source, date_order=date_order) if send_saves else None)


def send_waiting(cache: Cache, source: Source, *, date_order: str = "day_first") -> ReplayResult | None:
    """The saves waiting in the outbox, sent now (also the pages' "Send waiting changes" button). None when none
    waits; a source gone again is a result that says so, with the saves still waiting."""
    return replay_pending(cache, source, date_order=date_order)
