"""Live data in the browser: the process's one poll (connectors.poll), the freshness line at the top of
every page, and the redraw of an open page when the cache changed underneath it.

- `start()` runs after sign-in on every rerun: the first call in a process starts the poll (under
  `streamlit run`; AppTest has no browser to keep fresh, so there it is ticked by hand), every call tells
  it that this session is open.
- `freshness()` draws the line in a fragment that reruns every few seconds: it keeps the session's
  heartbeat going, keeps "40 s ago" true, and reruns the page once the cache's in-memory change count
  moved past what the page drew.
- A page that must not be redrawn under the user's hands (the Tables editor) calls `hold_redraws()` with
  what tells it that something is being edited: while that is true, the line says the sheet changed and
  offers a Reload instead; otherwise the page redraws by itself like any other. `steady()` keeps the
  editor's rows as they were while it holds unsaved edits, so a rerun the user causes does not replace them.
  (A cell whose editor is open but not yet committed is not known to the server: a redraw closes it.)
"""
from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from connectors.config import setting
from connectors.poll import Poller, PollSettings, describe
from connectors.sources.interface import SourceError
from schemas.i18n import _, day
from ui.errors import shown_safely
from ui.language import apply_language
from ui.markdown import literal
from ui.state import cache, masked_source_text, served, source, source_key, source_label

_SEEN = "live_seen"  # the cache's change count the page was drawn from
_HOLD = "live_hold"  # (the page's Reload action, whether it is editing now) while it may hold, else None
_STEADY = "live_steady"


@st.cache_resource(show_spinner=False)
def _poller(cache_path: str, source_text: str, poll_seconds: str, max_stale_seconds: str) -> Poller:  # noqa: ARG001 - st.cache_resource's key
    poller = Poller(cache(), source(), PollSettings.from_settings(), date_order=setting("date_order"))
    if served():  # under AppTest a poll thread would outlive every test: there the poll is ticked by hand
        poller.start()
    return poller


def poller() -> Poller:
    """The process's poll for the configured cache and source (one, whatever the number of sessions)."""
    return _poller(str(setting("cache_path")), source_key(), str(setting("poll_seconds")),
                   str(setting("max_stale_seconds")))


def _session_id() -> str:
    return st.session_state.setdefault("live_session", uuid.uuid4().hex)


def start() -> None:
    """After sign-in: start the poll if this process has none yet, and count this session as open."""
    try:
        poller().heartbeat(_session_id())
    except SourceError as exc:  # a poll setting that is not a number
        st.session_state["live_problem"] = str(exc)


def poll_summary() -> dict[str, Any]:
    """The poll in words, for the Sync & history page: sessions open, last token check, last full read,
    calls in the last hour."""
    try:
        poll = poller()
    except SourceError as exc:  # a poll setting that is not a number: say which, and what to type
        return {"sessions": 0, "last_token_check": "—", "last_full_read": "—", "calls_last_hour": 0, "detail": str(exc)}
    return describe(poll.status(), poll.settings)


def hold_redraws(on_reload: Callable[[], None], editing: Callable[[], bool] = lambda: True) -> None:
    """This page is not redrawn by the poll while `editing()` says so (asked each time the line looks):
    the line offers a Reload instead, and `on_reload` runs before it. Nothing being edited: it redraws."""
    st.session_state[_HOLD] = (on_reload, editing)


def steady(key: str, query: Any, read: Callable[[], Any]) -> Any:
    """`read()`, except while the editor `key` holds unsaved edits made on the same query: then what was
    read for them, so a background refresh never moves rows under those edits."""
    state = st.session_state
    edits = state.get(key) or {}
    pending = any(edits.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))
    held = state.get(_STEADY)
    if pending and held is not None and held[0] == (key, query):
        state[_SEEN] = held[2]  # drawn from that data: the line says so once the cache has moved on
        return held[1]
    drawn_from = cache().change_count
    value = read()
    state[_STEADY] = ((key, copy.deepcopy(query)), value, drawn_from)
    return value


def freshness() -> None:
    """The freshness line, at the top of every page (call it before the page runs)."""
    state = st.session_state
    state[_SEEN] = cache().change_count
    state[_HOLD] = None  # the page says again, in this run, if it holds
    every = PollSettings.from_settings().poll_seconds if "live_problem" not in state else 30.0
    st.fragment(_line, run_every=min(5.0, every))()


def _line() -> None:
    # A fragment's rerun runs this function alone, not app.py: set the session's language again, or the line
    # (and the Reload warning) would come out in BACKOFFICE_LANGUAGE on a page drawn in another language.
    apply_language()
    with shown_safely("the freshness line"):
        _drawn_line()


def _drawn_line() -> None:
    state = st.session_state
    if "live_problem" in state:
        st.error(literal(state["live_problem"]))
        return
    poll = poller()
    poll.heartbeat(_session_id())
    if cache().change_count != state.get(_SEEN):
        hold = state.get(_HOLD)
        if hold is None or not hold[1]():
            st.rerun()
        on_reload = hold[0]
        left, right = st.columns([5, 1])
        left.warning(_("The sheet changed since this page was drawn. Reload to see it; unsaved edits in the table "
                       "are discarded, so save them first to keep them."))
        if right.button(_("Reload"), key="live_reload"):
            on_reload()
            st.rerun()
    status = poll.status()
    # The poll's last answer is the newest word on the source; before its first, this session's refresh.
    problem = status.problem if status.last_check is not None else state.get("source_problem")
    problem = masked_source_text(problem) if problem else problem
    level, text = freshness_text(cache().last_refresh(), source_label(), problem, poll.stale_after())
    # Always one caption, so the page below never moves when the colour changes; brackets in a reason
    # (e.g. "[connections.gsheets]") would end the colour markup early, and the rest is shown as written.
    plain = literal(text.replace("[", "(").replace("]", ")"))
    st.caption({"fresh": plain, "stale": f":orange[{plain}]", "down": f":red[{plain}]"}[level])


def freshness_text(meta: dict | None, label: str, problem: str | None, max_stale: float,
                   now: dt.datetime | None = None) -> tuple[str, str]:
    """"Data as of 14:03 UTC (40 s ago) from <source>", and how to show it: "fresh"; "stale" (amber) when
    older than `max_stale` seconds; "down" (red, with the reason) when the source cannot be read."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if meta is None or meta.get("refreshed_at") is None:
        text = _("No data loaded yet from {source}.").format(source=label)
        age = None
    else:
        at = meta["refreshed_at"]
        age = max((now - at).total_seconds(), 0.0)
        text = (_("Data as of {time} UTC ({ago}) from {source}.") if at.date() == now.date()
                else _("Data as of {time} UTC on {day} ({ago}) from {source}.")).format(time=f"{at:%H:%M}", day=day(at), ago=_ago(age), source=label)
    if problem:
        return "down", text + " " + _("The source cannot be read, so this is the last data loaded: {problem}").format(problem=problem)
    if age is None:
        return "stale", text
    if age > max_stale:
        return "stale", text + " " + _("That is older than {seconds} s: the source has not been read since.").format(seconds=f"{max_stale:g}")
    return "fresh", text


def _ago(seconds: float) -> str:
    if seconds < 90:
        return _("{n} s ago").format(n=f"{seconds:.0f}")
    if seconds < 90 * 60:
        return _("{n} min ago").format(n=f"{seconds / 60:.0f}")
    if seconds < 36 * 3600:
        return _("{n} h ago").format(n=f"{seconds / 3600:.0f}")
    return _("{n} days ago").format(n=f"{seconds / 86400:.0f}")
