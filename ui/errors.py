"""No traceback reaches a browser: a page (or the freshness line) that fails shows one short message with an
error id, and the server's log holds the traceback under that id.

Streamlit would otherwise draw the exception with its traceback (server paths, values) for whoever has the
page open. app.py also sets `client.showErrorDetails` to "none" for what escapes this wrapper (a widget's
callback): Streamlit then shows only its generic sentence.
"""
from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from schemas.i18n import _


def _server_log() -> logging.Logger:
    log = logging.getLogger("backoffice")
    if not log.handlers:  # standard error is the server's log (systemd's journal, Community Cloud's "Manage app")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


@contextmanager
def shown_safely(where: str) -> Iterator[None]:
    """Run a page (or a part drawn on its own, `where` says which) so that an exception becomes a short message."""
    try:
        yield
    except Exception:  # st.stop() and st.rerun() are not Exceptions: they pass
        error_id = uuid.uuid4().hex[:8]
        _server_log().exception("error %s while drawing %s", error_id, where)
        st.error(_("Something went wrong while drawing this page (error {id}). Try again; if it keeps happening, give "
                   "the admin this error id: the details are in the server's log under it.").format(id=error_id))
