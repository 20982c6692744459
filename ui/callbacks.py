"""Callbacks of widgets drawn outside every fragment run only for a person's own change.

A fragment's timed rerun (the freshness line redraws every few seconds, ui.live) can carry the values the
page's other widgets had before the person's last pick, and Streamlit then calls their `on_change` as if
they had changed back: a Khmer choice just made was saved back as English (2 runs in 6 of
tests/test_khmer_fragment_browser.py; the callback was seen running inside the fragment's run). A person's
change to a widget outside a fragment always comes as a full run, so a callback in a fragment's run is
never theirs. The next full run carries the browser's real values again."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from streamlit.runtime.scriptrunner import get_script_run_ctx


def in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def persons_change_only(callback: Callable[..., Any]) -> Callable[..., Any]:
    """`callback`, skipped when Streamlit calls it in a fragment's run (see the module's note)."""
    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if in_fragment_run():
            return None
        return callback(*args, **kwargs)

    return guarded
