"""The freshness line on every page, the poll on the Sync & history page, and the Tables editor's rows
held while they carry unsaved edits — in the real Streamlit runtime (AppTest), where the poll is ticked
by hand (it runs in a thread only under `streamlit run`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.live import freshness_text
from ui.markdown import literal

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NOW = dt.datetime(2026, 12, 1, 14, 3, 40)


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_line_says_when_the_data_was_read_how_long_ago_and_from_where():
    meta = {"refreshed_at": dt.datetime(2026, 12, 1, 14, 3, 0)}
    assert freshness_text(meta, "Google Sheet 1AbC", None, 120, now=NOW) == ("fresh", "Data as of 14:03 UTC (40 s ago) from Google Sheet 1AbC.")


def test_the_line_turns_amber_once_the_data_is_older_than_the_max_stale_setting():
    meta = {"refreshed_at": dt.datetime(2026, 12, 1, 13, 58, 40)}
    assert freshness_text(meta, "Google Sheet 1AbC", None, 120, now=NOW) == (
        "stale", "Data as of 13:58 UTC (5 min ago) from Google Sheet 1AbC. That is older than 120 s: the source has not been read since.")


def test_the_line_turns_red_with_the_reason_when_the_source_cannot_be_read():
    meta = {"refreshed_at": dt.datetime(2026, 11, 30, 9, 0, 0)}
    assert freshness_text(meta, "Workbook demo.xlsx", "The workbook /x/demo.xlsx does not exist.", 120, now=NOW) == (
        "down", "Data as of 09:00 UTC on 30 Nov 2026 (29 h ago) from Workbook demo.xlsx. The source cannot be read, so this "
        "is the last data loaded: The workbook /x/demo.xlsx does not exist.")


@pytest.mark.usefixtures("app_env")
def test_the_first_page_shows_the_freshness_line_above_it():
    """(AppTest's switch_page runs a page without the entry script around it, so the other pages are
    checked in a real browser, in tests/test_live_browser.py.)"""
    at = _app()
    first = at.main.children[0].children[0]
    assert str(first.value).startswith("Data as of ") and str(first.value).endswith(" s ago) from Workbook app.xlsx."), first.value


def test_the_line_goes_red_with_the_reason_once_the_poll_cannot_read_the_source(app_env):
    from ui import live

    assert not _app().exception
    app_env["workbook"].unlink()
    poll = live.poller()
    poll.heartbeat("someone")
    assert poll.tick() == "failed"
    at = _app()  # a page opened now (AppTest keeps only a page's own elements on a second run)
    red = at.main.children[0].children[0]
    assert type(red).__name__ == "Caption", red
    assert red.value.startswith(":red[Data as of ") and red.value.endswith(literal(  # the reason shown as written
        f"The source cannot be read, so this is the last data loaded: The workbook {app_env['workbook']} does not exist. "
        "Check the path in BACKOFFICE_SOURCE (or --source).") + "]"), red.value


@pytest.mark.usefixtures("app_env")
def test_the_sync_page_shows_the_poll():
    from ui import live

    at = _app()
    poll = live.poller()
    poll.heartbeat("someone")
    assert poll.tick() in ("unchanged", "read")  # one token check (and a read if the cache was new)
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**Last token check**" in text and "**Last full read**" in text
    calls = poll.status().calls_last_hour
    assert f"**Calls in the last hour**  \n{calls:,}" in text and calls >= 1
    assert "The background poll of this app process:" in _captions(at)


def _steady_script() -> None:
    import streamlit as st

    from ui import live
    from ui.state import cache

    reads = st.session_state.setdefault("reads", [])

    def read() -> str:
        reads.append(cache().change_count)
        return f"rows at change {cache().change_count}"

    st.text(live.steady("tables_editor_x_0", ("rice_banks", "search"), read))


@pytest.mark.usefixtures("app_env")
def test_the_editors_rows_stay_put_while_they_carry_unsaved_edits():
    from ui.state import cache

    at = AppTest.from_function(_steady_script, default_timeout=60)
    at.run()
    first = at.text[0].value
    at.session_state["tables_editor_x_0"] = {"edited_rows": {"0": {"name": "half typed"}}, "added_rows": [], "deleted_rows": []}
    cache().changed()  # the poll refreshed the cache meanwhile
    at.run()
    assert at.text[0].value == first and len(at.session_state["reads"]) == 1  # the same rows: nothing read again
    assert at.session_state["live_seen"] == at.session_state["reads"][0]  # so the line offers a Reload
    at.session_state["tables_editor_x_0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert at.text[0].value != first and len(at.session_state["reads"]) == 2  # saved or undone: the new rows


@pytest.mark.usefixtures("app_env")
def test_a_page_run_under_apptest_leaves_no_poll_thread_behind():
    import threading

    assert not _app().exception
    assert not [t for t in threading.enumerate() if t.name == "backoffice-poll" and t.is_alive()]  # ticked by hand here
