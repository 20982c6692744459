"""The process's background poll (connectors.poll), driven tick by tick on an injected clock, against the
real gspread client and the local Sheets API server: what it calls, and when."""
from __future__ import annotations

import itertools
import re

import pytest

from connectors.access import LOCAL_ADMIN
from connectors.poll import Poller, PollSettings, describe
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit, save

DEFAULTS = PollSettings()  # 30 s, 120 s: what a deployment runs with


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _name(cache: Cache, bank: str = "BA-00000") -> str:
    return cache.cursor().execute("SELECT name FROM rice_banks WHERE bank_id = ?", [bank]).fetchone()[0]


@pytest.fixture
def sheet(make_spreadsheet) -> str:
    return make_spreadsheet()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def poller(sheet, make_source, clock):
    return Poller(Cache(":memory:"), make_source(sheet), DEFAULTS, clock=clock)


def _run(poller: Poller, clock: Clock, server, seconds: int, heartbeat_every: int | None = 5) -> list[tuple[int, str]]:
    """Tick once a second for `seconds`, the session heartbeating like the page's fragment; -> (second, API call)."""
    calls: list[tuple[int, str]] = []
    start = clock.now
    for second in range(seconds):
        clock.now = start + second
        if heartbeat_every and second % heartbeat_every == 0:
            poller.heartbeat("manager")
        before = len(server.api_calls())
        poller.tick()
        calls += [(second, call["path"]) for call in server.api_calls()[before:]]
    clock.now = start + seconds
    return calls


def _warm(poller: Poller, clock: Clock, server) -> None:
    """The first tick loads the cache (token + metadata + one batchGet); the tests count from there."""
    poller.heartbeat("manager")
    assert poller.tick() == "read"
    server.reset()
    clock.now += 1


def test_with_no_session_open_it_calls_nothing(poller, clock, sheets_server):
    calls = _run(poller, clock, sheets_server, 600, heartbeat_every=None)
    assert calls == []
    assert poller.status().calls_last_hour == 0


def test_idle_with_one_page_open_it_costs_two_calls_a_minute_at_the_defaults(poller, clock, sheets_server):
    _warm(poller, clock, sheets_server)
    calls = _run(poller, clock, sheets_server, 900)
    token_checks = [s for s, path in calls if path.startswith("/drive/v3/files/")]
    reads = [s for s, path in calls if path.endswith("values:batchGet")]
    assert len(token_checks) + len(reads) == len(calls)  # nothing else: no metadata again, no writes
    # Each tick is one call; a full read replaces the token check whenever the next one would be too late.
    assert [s for s, _ in calls] == list(range(29, 900, 30))  # one call every 30 s
    assert reads == [89, 179, 269, 359, 449, 539, 629, 719, 809, 899]  # every 90 s: never older than 120 s
    for start in range(0, 900 - 60):
        assert sum(start <= s < start + 60 for s, _ in calls) <= 2, start
    status = poller.status()
    assert (status.token_checks_last_hour, status.full_reads_last_hour) == (len(token_checks) + 1, len(reads) + 1)  # and the first load


def test_when_the_last_session_closes_the_poll_stops_after_three_intervals(poller, clock, sheets_server):
    _warm(poller, clock, sheets_server)
    poller.heartbeat("manager")
    calls = _run(poller, clock, sheets_server, 600, heartbeat_every=None)
    assert [s for s, _ in calls] == [29, 59, 89]  # within 3 × 30 s of the last heartbeat, then nothing
    assert poller.sessions_open() == 0


def test_an_edit_by_someone_else_is_in_the_cache_after_the_next_token_check(poller, clock, sheets_server, sheet):
    _warm(poller, clock, sheets_server)
    generation = poller.cache.change_count
    sheets_server.edit(sheet, "rice_banks", "B2", "Teng Mao rice bank")
    calls = _run(poller, clock, sheets_server, 30)
    # token moved: the metadata again (merged cells are not in the values), one read
    assert [path.rsplit("/", 1)[-1] for _, path in calls] == [sheet, sheet, "values:batchGet"]
    assert calls[1][1].startswith("/v4/spreadsheets/")
    assert _name(poller.cache) == "Teng Mao rice bank"
    assert poller.cache.change_count == generation + 1


def test_an_edit_the_token_does_not_show_yet_is_read_within_max_stale(poller, clock, sheets_server, sheet):
    _warm(poller, clock, sheets_server)
    sheets_server.edit(sheet, "rice_banks", "B2", "Seen late", move_modified_time=False)
    outcomes = []
    for _ in range(90):
        clock.now += 1
        poller.heartbeat("manager")
        outcomes.append(poller.tick())
    assert outcomes.count("unchanged") == 2 and outcomes.count("read") == 1  # 2 token checks missed it; the read did not
    assert _name(poller.cache) == "Seen late"


def test_a_full_read_that_finds_nothing_new_keeps_the_tables_and_moves_the_time(poller, clock, sheets_server):
    _warm(poller, clock, sheets_server)
    generation, before = poller.cache.change_count, poller.cache.last_refresh()["refreshed_at"]
    outcomes = [o for o in (_tick_at(poller, clock, s) for s in range(1, 91)) if o not in ("waiting",)]
    assert outcomes == ["unchanged", "unchanged", "same"]
    assert poller.cache.change_count == generation  # open pages need not redraw
    assert poller.cache.last_refresh()["refreshed_at"] > before


def _tick_at(poller: Poller, clock: Clock, _second: int) -> str:
    clock.now += 1
    poller.heartbeat("manager")
    return poller.tick()


def test_a_source_that_cannot_be_read_is_reported_then_forgotten_once_it_answers(poller, clock, sheets_server):
    _warm(poller, clock, sheets_server)
    sheets_server.deny()
    outcomes = [o for o in (_tick_at(poller, clock, s) for s in range(30)) if o != "waiting"]
    assert outcomes == ["failed"]
    status = poller.status()
    assert status.problem.startswith("Google Sheets refused access to spreadsheet"), status.problem
    sheets_server.clear_faults()
    outcomes = [o for o in (_tick_at(poller, clock, s) for s in range(30)) if o != "waiting"]
    assert outcomes == ["unchanged"] and poller.status().problem is None


def test_a_save_queued_while_the_source_was_down_is_sent_by_the_next_tick_that_reaches_it(poller, clock, sheets_server, sheet, make_source):
    from connectors.sync import outbox, pending

    _warm(poller, clock, sheets_server)
    sheets_server.drop(times=-1)  # the network is gone
    queued = save(poller.cache, poller.source, LOCAL_ADMIN, [CellEdit("rice_banks", ("BA-00000",), "name", _name(poller.cache), "Sent by the poll")])
    assert queued.status == "queued", queued.message
    assert [o for o in (_tick_at(poller, clock, s) for s in range(30)) if o != "waiting"] == ["failed"]
    assert pending(poller.cache) == 1  # still waiting: the source did not answer
    sheets_server.clear_faults()
    assert [o for o in (_tick_at(poller, clock, s) for s in range(30)) if o != "waiting"] == ["unchanged"]
    assert pending(poller.cache) == 0 and poller.last_replay.sent == 1
    assert [e.state for e in outbox.entries(poller.cache, (outbox.SENT,))] == [outbox.SENT]
    fresh = Cache(":memory:")
    read_check_load(fresh, make_source(sheet))
    assert _name(fresh) == "Sent by the poll"
    before = len(sheets_server.api_calls())
    assert [o for o in (_tick_at(poller, clock, s) for s in range(30)) if o != "waiting"]  # later ticks ...
    assert not [c for c in sheets_server.api_calls()[before:] if "batchUpdate" in c["path"]]  # ... send nothing more


@pytest.mark.usefixtures("sheets_server")
def test_two_replicas_each_with_its_own_cache_converge_on_a_save_in_one(sheet, make_source, clock):
    one = Poller(Cache(":memory:"), make_source(sheet), DEFAULTS, clock=clock)
    two = Poller(Cache(":memory:"), make_source(sheet), DEFAULTS, clock=clock)
    for replica in (one, two):
        replica.heartbeat("someone")
        replica.tick()
    result = save(one.cache, one.source, LOCAL_ADMIN, [CellEdit("rice_banks", ("BA-00000",), "name", _name(one.cache), "Saved in one")])
    assert result.status == "saved", result.message
    assert _name(two.cache) != "Saved in one"
    for _second in range(30):
        clock.now += 1
        for replica in (one, two):
            replica.heartbeat("someone")
            replica.tick()
    assert _name(two.cache) == _name(one.cache) == "Saved in one"


def test_the_settings_come_from_the_environment_and_bad_ones_say_what_to_type(monkeypatch):
    from connectors.sources.interface import SourceError

    monkeypatch.setenv("BACKOFFICE_POLL_SECONDS", "2")
    monkeypatch.setenv("BACKOFFICE_MAX_STALE_SECONDS", "10")
    assert PollSettings.from_settings() == PollSettings(2.0, 10.0)
    monkeypatch.setenv("BACKOFFICE_POLL_SECONDS", "often")
    with pytest.raises(SourceError, match=re.escape("BACKOFFICE_POLL_SECONDS='often' is not a number of seconds: set it to e.g. 30")):
        PollSettings.from_settings()


class SlowSource:
    """The real source, whose full read takes `seconds` of the injected clock (a sheet at the cap)."""

    def __init__(self, source, clock: Clock, seconds: float):
        self.source, self.clock, self.seconds, self.label = source, clock, seconds, source.label

    def version(self):
        return self.source.version()

    def read(self, tabs=None):
        self.clock.now += self.seconds
        return self.source.read(tabs)

    def cell_link(self, tab, a1):
        return self.source.cell_link(tab, a1)


def test_where_a_full_read_is_costly_full_reads_take_a_tenth_of_the_time(sheet, make_source, clock, sheets_server):
    """A full read of 60 s (the 10 M-cell cap on an office line): while nothing changes, one every 600 s,
    not every 120 s; the token is still asked every 30 s, and the Sync page says why."""
    poller = Poller(Cache(":memory:"), SlowSource(make_source(sheet), clock, 60.0), DEFAULTS, clock=clock)
    _warm(poller, clock, sheets_server)
    assert poller.full_read_every() == 600.0
    start, spent, reads = clock.now, 0.0, []
    while clock.now < start + 3600:
        clock.now += 1
        poller.heartbeat("manager")
        before = clock.now
        if poller.tick() in ("same", "read"):
            reads.append(before - start)
            spent += clock.now - before
    assert spent <= 0.1 * (clock.now - start)
    assert [round(b - a) for a, b in itertools.pairwise(reads)] == [601] * (len(reads) - 1)  # 600 s apart (and the next tick)
    assert poller.stale_after() == 600 + 30 + 60
    assert "the last full read took 60.0 s" in describe(poller.status(), DEFAULTS)["detail"]


def test_where_a_full_read_is_cheap_the_data_is_never_older_than_max_stale(poller, clock, sheets_server):
    _warm(poller, clock, sheets_server)
    assert poller.full_read_every() == DEFAULTS.max_stale_seconds
    assert "took" not in describe(poller.status(), DEFAULTS)["detail"]
