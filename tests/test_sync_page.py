"""Sync & history: admins only (also in its data functions), source and freshness, refresh, the outbox
(with the replay after a refresh) and the audit trail with its CSV."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from connectors import sync
from connectors.access import AccessDenied, User
from connectors.sources.interface import SourceUnreachable
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit, outbox
from gateway import reads
from tests.factories import EMAIL, frames, signed_in

ADMIN = User(EMAIL["admin"], "admin")


@pytest.mark.parametrize("role", ["editor", "clinic", "viewer"])
def test_the_data_functions_refuse_everyone_but_an_admin(demo_cache, role):
    user = User(EMAIL[role], role)
    for call in (reads.sync_status, reads.audit_log, reads.outbox_entries, reads.audit_choices):
        with pytest.raises(AccessDenied):
            call(demo_cache, user)


def test_the_data_functions_answer_an_admin(demo_cache):
    status = reads.sync_status(demo_cache, ADMIN)
    assert status["version"] and status["rows"] > 1000 and status["outbox"]["pending"] == 0
    assert list(reads.audit_log(demo_cache, ADMIN).columns) == ["at", "user", "tab", "row_key", "column", "old", "new", "via"]
    assert reads.outbox_entries(demo_cache, ADMIN).empty


def test_the_audit_log_is_newest_first_and_filtered(demo_workbook):
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    reads.read_tab(cache, ADMIN, "households", limit=1)
    reads.read_tab(cache, User(EMAIL["viewer"], "viewer"), "clinic_visits", limit=1)
    trail = reads.audit_log(cache, ADMIN)
    assert len(trail) == 2 and trail["at"].is_monotonic_decreasing
    assert reads.audit_log(cache, ADMIN, tab="households")["user"].tolist() == [EMAIL["admin"]]
    assert reads.audit_log(cache, ADMIN, who="viewer@")["tab"].tolist() == ["clinic_visits"]
    assert set(reads.audit_choices(cache, ADMIN)["via"]) == {"view"}


class _Offline:
    """A source that cannot be reached for writing (reads of the change token still work)."""

    def __init__(self, inner):
        self.inner, self.label = inner, inner.label

    def version(self):
        return self.inner.version()

    def read(self, tabs):  # noqa: ARG002 - the Source protocol's signature
        raise SourceUnreachable("The network is down (test).")

    def write(self, batch, located=None):  # noqa: ARG002 - the Source protocol's signature
        raise SourceUnreachable("The network is down (test).")

    def cell_link(self, tab, a1):  # noqa: ARG002 - the Source protocol's signature
        return None


def _queue_a_change(app_env) -> str:
    """An admin's edit that waited in the outbox of the app's cache file; returns the village's code."""
    cache = Cache(app_env["cache"])
    source = WorkbookSource(app_env["workbook"])
    read_check_load(cache, source)
    code, name = cache.cursor().execute("SELECT village_code, village FROM villages ORDER BY _row LIMIT 1").fetchone()
    result = sync.save(cache, _Offline(source), ADMIN, [CellEdit("villages", (code,), "village", name, name + " Leu")])
    assert result.status == sync.QUEUED and outbox.pending(cache) == 1
    cache.close()
    return code


def test_a_refresh_sends_the_waiting_changes_and_the_page_lists_them(app_env):
    code = _queue_a_change(app_env)
    at = signed_in(EMAIL["admin"])  # the first load refreshes (forced: the file changed) and then replays the outbox
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    assert at.session_state["last_replay"].sent == 1
    assert any("sent 1" in i.value for i in at.info)
    entries = next(f for f in frames(at) if "Last error" in f.columns)  # shown under the columns' titles
    assert entries["State"].tolist() == ["sent"]
    grid = WorkbookSource(app_env["workbook"]).read(["villages"])["villages"]
    assert any(row[0] == code and str(row[1]).endswith(" Leu") for row in grid.rows)
    trail = next(f for f in frames(at) if "Via" in f.columns)
    assert ((trail["Tab"] == "Villages") & (trail["Column"] == "Village")).any()  # by their titles, not the sheet's names


def test_the_send_button_replays_the_outbox(app_env):
    at = signed_in(EMAIL["admin"])
    at.switch_page("pages/sync.py").run()
    assert at.button(key="sync_send_waiting").disabled  # nothing waits
    con = duckdb.connect(str(app_env["cache"]))  # the same process: DuckDB shares the app's database
    code, name = con.execute("SELECT village_code, village FROM villages ORDER BY _row LIMIT 1").fetchone()
    request = sync.SaveRequest([CellEdit("villages", (code,), "village", name, name + " Kandal")])
    outbox.put(_Cursorless(con), ADMIN.email,
               {"request": request.to_payload(), "role": "admin", "name": "", "via": "app"}, "offline (test)")
    at.run()
    assert "1" in [m.value for m in at.metric if m.label == "Waiting"]
    at.button(key="sync_send_waiting").click().run()
    assert not at.exception, at.exception
    assert any("sent 1" in i.value for i in at.info)
    grid = WorkbookSource(app_env["workbook"]).read(["villages"])["villages"]
    assert any(row[0] == code and str(row[1]).endswith(" Kandal") for row in grid.rows)


class _Cursorless:
    def __init__(self, con):
        self.con = con

    def cursor(self):
        return self.con.cursor()


@pytest.mark.usefixtures("app_env")
def test_the_page_shows_the_source_label_freshness_refresh_and_the_trail_csv(downloads):
    at = signed_in(EMAIL["admin"])
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("households").run()  # a view worth auditing
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "app.xlsx" in shown and "Last refresh" in shown and "Version" in shown
    at.checkbox(key="sync_force").check().run()
    at.button(key="sync_refresh").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Refreshed:") for s in at.success)
    at.selectbox(key="sync_audit_tab").set_value("households").run()
    trail = pd.read_csv(io.BytesIO(downloads[-1]))
    assert list(trail.columns) == ["At", "User", "Tab", "Row key", "Column", "Old", "New", "Via"]  # a download for people: titles
    assert set(trail["Tab"]) == {"households"} and (trail["User"] == EMAIL["admin"]).all()
