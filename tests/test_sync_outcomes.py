"""Every save path ends in a result, never an exception; the outbox replays as the person's current role,
once per entry; "Re-apply mine" starts from the sheet's current values; the workbook is locked from the
check read to the end of the write, waits while Excel or LibreOffice has it open and keeps its file mode."""
from __future__ import annotations

import os
import stat
import threading

import pytest

from connectors import sync
from connectors.sources.interface import SourceUnreachable
from connectors.sources.workbook import WorkbookSource, office_lock_owner
from connectors.sync import CellEdit, RowDelete, outbox
from tests.factories import EDITOR, Env, cut_network, restore_network


def test_offline_delete_is_queued(env):
    cut_network(env)
    result = sync.save(env.cache, env.source, EDITOR, deletes=[RowDelete("households", ("HH-0043",))])
    assert result.status == sync.QUEUED, result.message
    assert env.cache.cursor().execute("SELECT count(*) FROM households WHERE household_id = 'HH-0043'").fetchone()[0] == 0
    restore_network(env)
    source = env.source.inner if env.kind == "workbook" else env.source
    assert sync.replay(env.cache, source).sent == 1
    assert "HH-0043" not in [r[0] for r in env.rows("households")]


def test_edit_of_a_row_someone_deleted_is_a_conflict(env):
    if env.kind == "workbook":
        from connectors.sources.interface import WriteBatch
        WorkbookSource(env.path).write(WriteBatch(deletes=[("households", ("HH-0043",))]))
    else:
        env.source.client.open_by_key(env.key).worksheet("households").delete_rows(4)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0043",), "members", 6, 7)])
    assert result.status == sync.CONFLICT and result.conflicts[0].theirs == sync.DELETED
    assert env.cache.cursor().execute("SELECT count(*) FROM households WHERE household_id = 'HH-0043'").fetchone()[0] == 0


def test_control_characters_are_refused_naming_tab_row_column_and_value(env):
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "head_name", "Chan Vanna", "Chan\x00Vanna")])
    assert result.status == sync.INVALID
    [error] = result.errors
    assert (error.tab, error.key, error.column) == ("households", ("HH-0042",), "head_name")
    assert "'Chan\\x00Vanna' holds an invisible control character (U+0000)" in error.message
    assert env.cell("households", "HH-0042", "head_name") == "Chan Vanna"
    ok = sync.save(env.cache, env.source, EDITOR, [CellEdit("rice_ledger", ("RL-000122",), "note", "", "line one\nline two")])
    assert ok.status == sync.SAVED  # line breaks are fine


def _users(env: Env, rows: list[list]) -> None:
    cur = env.cache.cursor()
    cur.execute("DELETE FROM users")
    for email, name, role in rows:
        cur.execute("INSERT INTO users (email, name, role, _row) VALUES (?, ?, ?, 2)", [email, name, role])


@pytest.mark.parametrize("now", [[], [["sokha@ccpcr.org", "Sokha", "viewer"]]], ids=["removed", "made_viewer"])
def test_replay_rechecks_the_current_role(env, now):
    cut_network(env)
    assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)]).status == sync.QUEUED
    restore_network(env)
    _users(env, now)  # an admin removed Sokha, or made her a viewer, while the save waited
    source = env.source.inner if env.kind == "workbook" else env.source
    replayed = sync.replay(env.cache, source)
    assert replayed.refused == 1 and replayed.sent == 0
    [entry] = outbox.entries(env.cache, (outbox.REFUSED,))
    assert entry.last_error.startswith("Refused: ")
    assert ("no longer in the users tab" in entry.last_error) if not now else ("Your role (viewer)" in entry.last_error)
    assert env.cell("households", "HH-0042", "members") == 4 and env.audit_rows() == []


def test_two_sessions_replaying_at_once_send_each_entry_once(env):
    cut_network(env)
    for key, column, old, new in [("HH-0042", "members", 4, 5), ("HH-0041", "children", 2, 3)]:
        assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", (key,), column, old, new)]).status == sync.QUEUED
    restore_network(env)
    source = env.source.inner if env.kind == "workbook" else env.source
    results = []
    threads = [threading.Thread(target=lambda: results.append(sync.replay(env.cache, source))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == 2 and sum(r.already for r in results) == 0
    assert len(env.audit_rows()) == 2


def test_reapply_mine_starts_from_the_current_values(env):
    cut_network(env)
    sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    restore_network(env)
    source = env.source.inner if env.kind == "workbook" else env.source
    env.source = source
    env.edit_as_someone_else("households", "HH-0042", "members", 9)
    assert sync.replay(env.cache, source).conflicts == 1
    env.edit_as_someone_else("households", "HH-0042", "members", 11)  # changed again after the conflict was shown
    [entry] = outbox.entries(env.cache, (outbox.CONFLICT,))
    result = sync.resolve(env.cache, source, entry.id, "mine")
    assert result.status == sync.SAVED, result.message  # not a second conflict on stale values
    assert env.cell("households", "HH-0042", "members") == 5
    assert [(r[5], r[6]) for r in env.audit_rows()] == [("11", "5")]


# --- the workbook ---------------------------------------------------------------------------------

@pytest.mark.parametrize("env", ["workbook"], indirect=True)
@pytest.mark.parametrize("lock_name, content, who", [
    (".~lock.book.xlsx#", "Sokha Chan,sokha,laptop-3,01.12.2026 08:10,file:///C:/Users/sokha/AppData/Roaming/LibreOffice/4;\n",
     "sokha (LibreOffice)"),
    ("~$book.xlsx", bytes([5]) + b"Vanna" + b" " * 48, "Vanna (Excel)"),
])
def test_workbook_open_in_an_office_app_waits_in_the_outbox_naming_who(env, lock_name, content, who):
    lock = env.path.with_name(lock_name)
    lock.write_bytes(content.encode() if isinstance(content, str) else content)
    assert office_lock_owner(env.path) == who
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    assert result.status == sync.QUEUED and who in result.message
    assert env.cell("households", "HH-0042", "members") == 4
    lock.unlink()
    assert sync.replay(env.cache, env.source).sent == 1
    assert env.cell("households", "HH-0042", "members") == 5


@pytest.mark.parametrize("env", ["workbook"], indirect=True)
def test_workbook_keeps_its_file_mode(env):
    os.chmod(env.path, 0o664)
    assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)]).status == sync.SAVED
    assert stat.S_IMODE(os.stat(env.path).st_mode) == 0o664


@pytest.mark.parametrize("env", ["workbook"], indirect=True)
def test_workbook_lock_is_held_from_the_check_read_to_the_write(env):
    import fcntl

    held = []
    real_read = env.source.read

    def read(tabs=None):
        with open(env.path.with_suffix(".xlsx.lock"), "w") as probe:  # another process would block here
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held.append(False)
                fcntl.flock(probe, fcntl.LOCK_UN)
            except BlockingIOError:
                held.append(True)
        return real_read(tabs)

    env.source.read = read
    assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)]).status == sync.SAVED
    assert held == [True]


def test_unreachable_without_queue_is_a_result(env, monkeypatch):
    def down(*_a, **_k):
        raise SourceUnreachable("offline")

    monkeypatch.setattr(env.source, "read", down)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)], queue=False)
    assert result.status == sync.FAILED and "offline" in result.message and sync.pending(env.cache) == 0
