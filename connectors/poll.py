"""One background poll per app process, shared by every open session (the Streamlit side is ui.live).

Sheets API calls are the cost that binds first (60 reads a minute per user, 300 per project), so the
poll asks as little as it can:
- while a session is open, the change token (one call) every `poll_seconds`; when it moved, one read;
- Drive's modifiedTime can lag an edit by about three minutes, so a full read (one call, in place of
  that tick's token check) whenever the next tick would leave the data older than `max_stale_seconds`,
  or, where a full read costs more than a tenth of that, as often as keeps full reads to a tenth of the
  time (`FULL_READ_SHARE`): at the 10 M-cell cap a full read of a minute comes every ten minutes, not
  every two (`Poller.full_read_every`, stated on the Sync page);
- while no session is open (none sent a heartbeat within `session_timeout`), nothing at all.
With the defaults (30 s, 120 s) that is 2 calls a minute per process while nothing changes: token
checks at 30 and 60 s, a full read at 90 s, and so on.

A read that finds every cell as before keeps the tables (read_check_load keep_same), so open pages redraw
only when the data really changed. A tick that reached the source also sends the saves waiting in the
outbox (each as its author, role checked again), so a save queued while the network was down leaves
once it is back, even if nobody reloads a page; with an empty outbox that costs no call. The refresh is
connectors.pipeline.refresh, the app's one refresh: it also writes the sheet's Problems tab and notes when
the problems changed (nothing otherwise) and sends those saves. Nothing here imports Streamlit; the clock is
injectable for tests.
"""
from __future__ import annotations

import collections
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.pipeline import refresh
from connectors.sources.interface import Source, SourceError
from connectors.store.cache import Cache
from connectors.sync import ReplayResult
from schemas.i18n import _, day, number

HOUR = 3600.0
FULL_READ_SHARE = 0.1  # while nothing changes, at most this share of wall time goes to full reads


@dataclass(frozen=True)
class PollSettings:
    poll_seconds: float = 30.0
    max_stale_seconds: float = 120.0

    @property
    def session_timeout(self) -> float:
        """A session counts as open until it misses three poll intervals (a hidden browser tab may tick
        only once a minute)."""
        return 3 * self.poll_seconds

    @classmethod
    def from_settings(cls) -> PollSettings:
        from connectors.config import setting

        def seconds(name: str, env: str) -> float:
            text = setting(name)
            try:
                value = float(text)
            except (TypeError, ValueError):
                raise SourceError(_("{setting}={value} is not a number of seconds: set it to e.g. {example}.").format(
                    setting=env, value=repr(text), example=f"{cls.__dataclass_fields__[name].default:g}")) from None
            if value <= 0:
                raise SourceError(_("{setting}={value} must be more than 0 seconds.").format(setting=env, value=repr(text)))
            return value

        return cls(seconds("poll_seconds", "BACKOFFICE_POLL_SECONDS"), seconds("max_stale_seconds", "BACKOFFICE_MAX_STALE_SECONDS"))


@dataclass(frozen=True)
class PollStatus:
    """What the Sync & history page and the freshness line show. Times are the clock's seconds."""

    sessions: int
    last_check: float | None  # the last time the poll asked the source (token or full read), answered or not
    last_token_check: float | None  # the last change-token call that was answered
    last_full_read: float | None  # the last time the poll read every tab
    token_checks_last_hour: int
    full_reads_last_hour: int
    problem: str | None  # why the last attempt failed; None when it succeeded
    problem_since: float | None
    full_read_every: float = 0.0  # seconds between full reads while nothing changes (Poller.full_read_every)
    full_read_cost: float | None = None  # seconds the last full read took

    @property
    def calls_last_hour(self) -> int:
        return self.token_checks_last_hour + self.full_reads_last_hour


class Poller:
    """Keeps one cache in step with one source for as long as any session heartbeats."""

    def __init__(self, cache: Cache, source: Source, settings: PollSettings = PollSettings(), *,
                 date_order: str = "day_first", clock: Callable[[], float] = time.time):
        self.cache = cache
        self.source = source
        self.settings = settings
        self.date_order = date_order
        self.clock = clock
        self._sessions: dict[str, float] = {}  # session id -> its last heartbeat
        self._tick_lock = threading.Lock()
        self._lock = threading.Lock()  # guards the fields below
        self._last_check: float | None = None
        self._last_token_check: float | None = None
        self._last_full_read: float | None = None
        self._full_read_cost: float | None = None  # seconds the last full read took, by the clock
        self._last_token: str | None = None
        self._calls: collections.deque[tuple[float, str]] = collections.deque()  # (when, "token" | "read")
        self._problem: str | None = None
        self._problem_since: float | None = None
        self.last_replay: ReplayResult | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- sessions ------------------------------------------------------------------------------
    def heartbeat(self, session_id: str) -> None:
        """A session is open and looking: called on every rerun and every fragment tick."""
        with self._lock:
            self._sessions[session_id] = self.clock()

    def sessions_open(self) -> int:
        with self._lock:
            return len(self._open_sessions(self.clock()))

    def _open_sessions(self, now: float) -> dict[str, float]:
        timeout = self.settings.session_timeout
        for sid in [s for s, seen in self._sessions.items() if now - seen > timeout]:
            del self._sessions[sid]
        return self._sessions

    # -- one step --------------------------------------------------------------------------------
    def tick(self) -> str:
        """Do what is due now: "idle" (nobody open), "waiting" (not due), "unchanged", "read",
        "same" (read, nothing changed) or "failed"."""
        with self._tick_lock:  # ticks never overlap; heartbeats never wait for a slow source
            with self._lock:
                now = self.clock()
                if not self._open_sessions(now):
                    return "idle"
                if self._last_check is not None and now - self._last_check < self.settings.poll_seconds:
                    return "waiting"
                self._last_check = now
                token = self._last_token
                since = None if self._last_full_read is None else now - self._last_full_read
                stale = token is not None and (since is None or (
                    since + self.settings.poll_seconds >= self.settings.max_stale_seconds and since >= (self._full_read_cost or 0.0) / FULL_READ_SHARE))
            try:
                refreshed = refresh(self.cache, self.source, send_saves=True, force=stale, version=token if stale else None,
                                    date_order=self.date_order, keep_same=True)
                result = refreshed.result
                if not result.skipped:
                    with self._lock:
                        self._full_read_cost = max(self.clock() - now, 0.0)
            except SourceError as exc:
                with self._lock:
                    self._count(now, "read" if stale else "token")
                    if self._problem is None:
                        self._problem_since = now
                    self._problem = str(exc)
                return "failed"
            with self._lock:
                if not stale:
                    self._count(now, "token")
                    self._last_token_check = now
                if not result.skipped:
                    self._count(now, "read")
                    self._last_full_read = now
                self._last_token = result.version
                self._problem = self._problem_since = None
                if refreshed.sent is not None:
                    self.last_replay = refreshed.sent
            if result.skipped:
                return "unchanged"
            return "same" if result.same_data else "read"

    def full_read_every(self) -> float:
        """Seconds between full reads while nothing changes: `max_stale_seconds`, or more where a full read
        costs more than FULL_READ_SHARE of that (then full reads take a tenth of the time, no more)."""
        with self._lock:
            return self._every()

    def stale_after(self) -> float:
        """How old the data may get while nothing changes: `max_stale_seconds`, or, where full reads are spaced
        out, their spacing plus a tick and the read itself (what the freshness line compares with)."""
        with self._lock:
            every = self._every()
            if every <= self.settings.max_stale_seconds:
                return self.settings.max_stale_seconds
            return every + self.settings.poll_seconds + (self._full_read_cost or 0.0)

    def _every(self) -> float:
        cost = self._full_read_cost or 0.0
        return max(self.settings.max_stale_seconds, cost / FULL_READ_SHARE)

    def _count(self, now: float, kind: str) -> None:
        self._calls.append((now, kind))
        while self._calls and now - self._calls[0][0] > HOUR:
            self._calls.popleft()

    def status(self) -> PollStatus:
        with self._lock:
            now = self.clock()
            recent = [kind for at, kind in self._calls if now - at <= HOUR]
            return PollStatus(len(self._open_sessions(now)), self._last_check, self._last_token_check, self._last_full_read,
                              recent.count("token"), recent.count("read"), self._problem, self._problem_since,
                              self._every(), self._full_read_cost)

    # -- the thread ------------------------------------------------------------------------------
    def start(self) -> Poller:
        """Run tick() in a daemon thread, waking every second (cheap: a tick that is not due does nothing)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="backoffice-poll", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        wake = min(1.0, self.settings.poll_seconds / 4)
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a bug in one tick must not end live data for the process
                import logging

                logging.getLogger(__name__).exception("The background poll failed; it tries again next tick.")
            self._stop.wait(wake)


def as_datetime(seconds: float | None) -> dt.datetime | None:
    """A clock reading (time.time seconds) as a naive UTC datetime, like the cache's timestamps."""
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def describe(status: PollStatus, settings: PollSettings) -> dict[str, Any]:
    """The poll in words for the Sync & history page."""
    def when(seconds: float | None) -> str:
        moment = as_datetime(seconds)
        return _("not yet") if moment is None else f"{day(moment)} {moment:%H:%M:%S} UTC"

    return {
        "sessions": status.sessions,
        "last_token_check": when(status.last_token_check),
        "last_full_read": when(status.last_full_read),
        "calls_last_hour": status.calls_last_hour,
        # read on the page, in its reader's language
        "detail": _("{checks} change-token checks and {reads} full reads in the last hour; the token every {poll} s and a full "
                    "read every {every} s while someone has the app open, nothing while nobody has").format(
            checks=number(status.token_checks_last_hour), reads=number(status.full_reads_last_hour), poll=f"{settings.poll_seconds:g}",
            every=f"{max(status.full_read_every, settings.max_stale_seconds):g}") + _cost(status, settings) + ".",
    }


def _cost(status: PollStatus, settings: PollSettings) -> str:
    """Why full reads come less often than `max_stale_seconds`, when they do."""
    if status.full_read_cost is None or status.full_read_every <= settings.max_stale_seconds:
        return ""
    return " " + _("(not every {stale} s: the last full read took {cost} s, and full reads take at most a tenth of the time)").format(
        stale=f"{settings.max_stale_seconds:g}", cost=f"{status.full_read_cost:.1f}")
