"""The app's connection to its data: one cache and one source per process, refreshed per session.

Pages call `query(fn, ...)` with an insights function: the gateway (gateway.figures) runs it for the
signed-in user - role checked, personal data masked, small counts suppressed, views audited - and this
module only caches what the gateway returned, keyed by the generation of the tabs the insight reads (a
refresh or a save that changed one of them invalidates it; a refresh of other tabs does not) and by the
user's e-mail and role. Nobody signed in: AccessDenied, nothing is read.
The source is read (refresh) before sign-in only where the users tab must say who may come in (ui.auth), and
written (the saves waiting) only after it.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from connectors import pipeline
from connectors.access import AccessDenied, User
from connectors.config import setting, source_spec
from connectors.sources import open_source
from connectors.sources.interface import Source, SourceError
from connectors.store.cache import Cache
from connectors.sync import ReplayResult
from gateway.figures import figure, require_known_role
from gateway.masking import source_text_shown
from schemas.i18n import _, current_language
from ui.markdown import literal

SIGNED_IN = "signed_in_user"  # session-state key: the User that ui.auth let in on this rerun
ENTRY = "entry_ran"  # session-state key: app.py (sign-in, navigation) has run in this session
LOADED_ONCE = "loaded_once"  # this session's first refresh ran (ensure_loaded)
SENT_ONCE = "sent_once"  # this session sent the saves waiting, once signed in
ASKED_FOR = "asked_for"  # the page (its address, its query) a visitor asked for before app.py ran


@st.cache_resource(show_spinner=False)
def _cache(path: str) -> Cache:
    return Cache(path)


@st.cache_resource(show_spinner=False)
def _source(spec_text: str) -> Source:
    return open_source(spec_text or None)


def cache() -> Cache:
    return _cache(str(setting("cache_path")))


def source_key() -> str:
    """The source as resolved from every setting (BACKOFFICE_SOURCE, else the sheet named in the secrets - a file's
    or Streamlit's - else the demo): what the process's source and poll are kept under."""
    spec = source_spec()
    return f"gsheets:{spec.location}" if spec.kind == "gsheets" else spec.location


def source() -> Source:
    return _source(source_key())


def source_label() -> str:
    """Where the data comes from, as the signed-in user may see it (a Google Sheet's key: admins only)."""
    spec = source_spec()
    return _("Demo workbook (built in)") if spec.is_demo else masked_source_text(source().label)


def masked_source_text(text: str) -> str:
    """A text about the source (its label, why it could not be read) with the sheet's key and address hidden
    from anyone but an admin (gateway.masking)."""
    return source_text_shown(st.session_state.get(SIGNED_IN), text)


def served() -> bool:
    """True under `streamlit run`, a real server with browsers. AppTest puts a stand-in Runtime in place while
    a script runs, so `runtime.exists()` is true there too."""
    from streamlit.runtime import Runtime, exists

    return exists() and type(Runtime.instance()) is Runtime


def mark_entry() -> None:
    """app.py ran in this session: pages run inside it from now on (st.navigation)."""
    st.session_state[ENTRY] = True


def signed_in_user() -> User | None:
    """The user app.py let in. A page reached before app.py ever ran in this session (Streamlit runs a
    `pages/` file on its own when it is the first URL a fresh process serves) goes to app.py instead,
    so no page ever runs without sign-in; app.py opens the page asked for after sign-in (ui.navigation)."""
    if not st.session_state.get(ENTRY):
        st.session_state[ASKED_FOR] = (_calling_page(), st.query_params.to_dict())
        st.switch_page("app.py")
    return st.session_state.get(SIGNED_IN)


def _calling_page() -> str | None:
    """The `pages/` file running this (its name, as its address has it), if any."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.parent.name == "pages" and path.suffix == ".py":
            return path.stem
        frame = frame.f_back
    return None


def refresh(force: bool = False, progress: Callable[[str, float], None] | None = None) -> None:
    """The refresh (connectors.pipeline), the saves waiting sent only once someone is signed in. When the source
    cannot be read, keep serving the last good cache and say why."""
    signed_in = signed_in_user() is not None
    try:
        refreshed = pipeline.refresh(cache(), source(), send_saves=signed_in, background=True,
                                     force=force, date_order=setting("date_order"), progress=progress)
    except SourceError as exc:
        st.session_state["source_problem"] = str(exc)
        return
    st.session_state.pop("source_problem", None)
    st.session_state["last_refresh"] = refreshed.result
    st.session_state["live_seen"] = cache().change_count  # the page that asked draws the new data itself (ui.live)
    st.session_state[SENT_ONCE] = st.session_state.get(SENT_ONCE) or signed_in
    if refreshed.sent is not None:
        st.session_state["last_replay"] = refreshed.sent


def send_waiting() -> ReplayResult | None:
    """Send the saves waiting in the outbox now, each as the person who made it (also the pages' button). None:
    none waited, and no call was made."""
    st.session_state[SENT_ONCE] = True
    sent = pipeline.send_waiting(cache(), source(), date_order=setting("date_order"))
    if sent is not None:
        st.session_state["last_replay"] = sent
    return sent


def ensure_loaded() -> None:
    """Once per browser session: the refresh (one cheap change-token call when the data did not change). Data read
    before sign-in (the users tab says who may come in) is not read again once signed in: only the saves waiting
    are sent then, once per session like the rest."""
    if not st.session_state.get(LOADED_ONCE):
        st.session_state[LOADED_ONCE] = True
        with st.spinner(_("Loading the data…")):
            refresh()
    elif signed_in_user() is not None and not st.session_state.get(SENT_ONCE):
        send_waiting()


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What the gateway returns for this insight and the signed-in user, cached until the next refresh or save."""
    return _through_gateway(_cached_query, fn, args, kwargs)


def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A gateway read function (gateway.reads: issues, rows, history) for the signed-in user, cached like `query`."""
    return _through_gateway(_cached_read, fn, args, kwargs)


def _through_gateway(cached: Callable[..., Any], fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    try:
        user = require_known_role(signed_in_user())
        # The language is in the key: issue messages and labels are written in the reader's language when read.
        generation = f"{cache().generation(tabs_read(fn))}:{current_language()}"
        return cached(fn.__module__, fn.__name__, generation, user.email, user.role, args, tuple(sorted(kwargs.items())))
    except AccessDenied as exc:  # the page stops at the first figure this role may not see
        st.error(literal(exc))
        st.stop()


def tabs_read(fn: Callable[..., Any]) -> tuple[str, ...] | None:
    """The tabs whose tables (and issues) a figure depends on: what the insight declares (@reads; a composite's
    parts'), and the settings (small counts are hidden by the settings' threshold). None: it reads anything
    (gateway reads such as issues or the audit trail), so any change makes it stale."""
    parts = getattr(fn, "parts", None)
    declared = getattr(fn, "tabs", None)
    if parts is None and declared is None:
        return None
    inner = [t for part in (parts or {}).values() for t in (getattr(part, "tabs", None) or ())]
    return (*(declared or ()), *inner, "settings")


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(module: str, name: str, generation: str, email: str, role: str, args: tuple, kwargs: tuple) -> Any:  # noqa: ARG001 - `generation` is st.cache_data's key
    fn = getattr(importlib.import_module(module), name)
    return figure(cache().cursor(), User(email, role), fn, *args, **dict(kwargs))


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_read(module: str, name: str, generation: str, email: str, role: str, args: tuple, kwargs: tuple) -> Any:  # noqa: ARG001 - `generation` is st.cache_data's key
    fn = getattr(importlib.import_module(module), name)
    return fn(cache().cursor(), User(email, role), *args, **dict(kwargs))
