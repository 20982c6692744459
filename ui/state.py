"""The app's connection to its data: one cache and one source per process, refreshed per session.

Pages call `query(fn, ...)` with an insights function; results are cached by the cache's generation, so
a refresh or a save invalidates them and nothing else does.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

import streamlit as st

from connectors.cache import Cache
from connectors.config import open_source, setting, source_spec
from connectors.source import Source, SourceError


@st.cache_resource(show_spinner=False)
def _cache(path: str) -> Cache:
    return Cache(path)


@st.cache_resource(show_spinner=False)
def _source(spec_text: str) -> Source:
    return open_source(spec_text or None)


def cache() -> Cache:
    return _cache(str(setting("cache_path")))


def source() -> Source:
    return _source(str(setting("source") or ""))


def source_label() -> str:
    spec = source_spec()
    return "Demo workbook (built in)" if spec.is_demo else source().label


def refresh(force: bool = False, progress: Callable[[str, float], None] | None = None) -> None:
    """Refresh the cache; when the source cannot be read, keep serving the last good cache and say why."""
    try:
        result = cache().refresh(source(), force=force, date_order=setting("date_order"), progress=progress)
    except SourceError as exc:
        st.session_state["source_problem"] = str(exc)
        return
    st.session_state.pop("source_problem", None)
    st.session_state["last_refresh"] = result
    st.session_state["live_seen"] = cache().change_count  # the page that asked draws the new data itself (ui.live)
    _replay_waiting()


def _replay_waiting() -> None:
    """After a successful refresh: send the saves waiting in the outbox (nothing at all when it is empty)."""
    from connectors import sync
    from ui.auth import current_user  # imported here: ui.auth imports this module

    try:
        done = sync.replay_pending(cache(), source(), current_user(), date_order=setting("date_order"))
    except SourceError as exc:
        done = sync.ReplayResult(problem=str(exc), waiting=sync.pending(cache()))
    if done is not None:
        st.session_state["last_replay"] = done


def ensure_loaded() -> None:
    """Once per browser session: one cheap change-token call, and a refresh only if the data changed."""
    if st.session_state.get("loaded_once"):
        return
    st.session_state["loaded_once"] = True
    with st.spinner("Loading the data…"):
        refresh()


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an insights function on the cache, cached until the next refresh or save."""
    return _cached_query(fn.__module__, fn.__name__, cache().generation(), args, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(module: str, name: str, generation: str, args: tuple, kwargs: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(cache().cursor(), *args, **dict(kwargs))
