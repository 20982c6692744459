"""The offline outbox on both sources: a save made while the source is down waits in DuckDB, survives a
restart, is written exactly once on reconnection, and a write that landed before a timeout is not
applied twice."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from connectors import sync
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit, outbox
from tests.factories import EDITOR, Env, Flaky, cut_network, restore_network

NEW_ROW = {"entry_id": "RL-000124", "date": dt.date(2017, 7, 1), "bank_id": "RB-01", "kind": "donation", "kg": 10}


def test_network_drop_then_restart_then_written_exactly_once(env):
    cut_network(env)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)],
                       appends={"rice_ledger": [NEW_ROW]})
    assert result.status == sync.QUEUED, result.message
    assert sync.pending(env.cache) == 1
    assert env.cached("households", "HH-0042", "members") == 5  # shown while it waits
    restore_network(env)
    assert env.cell("households", "HH-0042", "members") == 4  # nothing reached the source

    env.cache.close()  # restart: a new process opens the same cache file
    env.cache = Cache(env.cache_path)
    assert sync.pending(env.cache) == 1
    source = env.source if env.kind == "workbook" else env.make_source(env.key)
    read_check_load(env.cache, source)  # reconnection: the refresh succeeds ...
    replayed = sync.replay_pending(env.cache, source)  # ... and its hook sends what waits
    assert replayed is not None and replayed.sent == 1
    assert sync.pending(env.cache) == 0
    assert env.cell("households", "HH-0042", "members") == 5
    assert [r[0] for r in env.rows("rice_ledger")].count("RL-000124") == 1
    assert len(env.audit_rows()) == 2  # one cell + one new row, once
    assert sync.replay_pending(env.cache, source) is None  # nothing more to send
    assert env.cached("rice_ledger", "RL-000124", "kg") == 10
    assert env.cache.cursor().execute("SELECT count(*) FROM rice_ledger WHERE entry_id = 'RL-000124'").fetchone()[0] == 1
    assert [e.state for e in outbox.entries(env.cache, (outbox.SENT,))] == [outbox.SENT]


def _lose_the_answer(env: Env):
    if env.kind == "workbook":
        env.source = Flaky(env.source)
        env.source.lose_answer = True
    else:
        from connectors.sources.gsheets_http import RetryPolicy

        env.source = env.make_source(env.key, policy=RetryPolicy(tries=1, base_delay=0.001, max_delay=0.01, timeout=(5.0, 0.3)))
        env.server.slow(0.8, match="batchUpdate")  # the write lands after the client gave up


def test_write_that_landed_before_a_timeout_is_not_applied_twice(env):
    _lose_the_answer(env)
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)],
                       appends={"rice_ledger": [NEW_ROW]})
    assert result.status == sync.QUEUED, result.message
    if env.kind == "gsheets":
        time.sleep(1.0)  # let the slow write finish on the server
        env.server.clear_faults()
        env.server.reset()
    assert env.cell("households", "HH-0042", "members") == 5  # it did land
    landed_audit = env.audit_rows()
    assert len(landed_audit) == 2
    replayed = sync.replay(env.cache, env.source)
    assert (replayed.already, replayed.sent) == (1, 0)
    if env.kind == "workbook":
        assert env.source.writes == 1
    else:
        assert not [c for c in env.server.api_calls() if c["method"] == "POST"]  # no second write
    assert [r[0] for r in env.rows("rice_ledger")].count("RL-000124") == 1
    assert env.audit_rows() == landed_audit
    assert env.cache.cursor().execute("SELECT count(*) FROM _audit").fetchone()[0] == 2  # mirrored once
    assert sync.pending(env.cache) == 0


def test_replay_conflict_then_keep_theirs_or_reapply_mine(env):
    cut_network(env)
    assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)]).status == sync.QUEUED
    assert sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0041",), "children", 2, 3)]).status == sync.QUEUED
    restore_network(env)
    env.edit_as_someone_else("households", "HH-0042", "members", 9)
    replayed = sync.replay(env.cache, env.source)
    assert (replayed.conflicts, replayed.sent) == (1, 1)  # the second save is independent: it goes
    assert env.cell("households", "HH-0042", "members") == 9
    assert env.cell("households", "HH-0041", "children") == 3
    [entry] = outbox.entries(env.cache, (outbox.CONFLICT,))
    [conflict] = sync.outbox_conflicts(entry)
    assert (conflict.started_from, conflict.theirs, conflict.ours) == (4, 9, 5)
    result = sync.resolve(env.cache, env.source, entry.id, "mine")
    assert result.status == sync.SAVED
    assert env.cell("households", "HH-0042", "members") == 5
    assert outbox.entries(env.cache) == []


def test_keep_theirs_drops_the_waiting_change(env):
    cut_network(env)
    sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    restore_network(env)
    env.edit_as_someone_else("households", "HH-0042", "members", 9)
    assert sync.replay(env.cache, env.source).conflicts == 1
    [entry] = outbox.entries(env.cache, (outbox.CONFLICT,))
    assert sync.resolve(env.cache, env.source, entry.id, "theirs") is None
    assert env.cell("households", "HH-0042", "members") == 9
    assert env.cached("households", "HH-0042", "members") == 9
    assert outbox.entries(env.cache) == [] and sync.pending(env.cache) == 0


@pytest.mark.parametrize("env", ["workbook"], indirect=True)
def test_replay_hook_costs_nothing_when_the_outbox_is_empty(env):
    class NoCalls:
        label = "none"

        def __getattr__(self, name):
            raise AssertionError(f"the source was called ({name})")

    assert sync.replay_pending(env.cache, NoCalls()) is None


@pytest.mark.parametrize("env", ["workbook"], indirect=True)
def test_replay_stops_while_still_unreachable(env):
    cut_network(env)
    sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0042",), "members", 4, 5)])
    sync.save(env.cache, env.source, EDITOR, [CellEdit("households", ("HH-0041",), "children", 2, 3)])
    replayed = sync.replay(env.cache, env.source)
    assert replayed.waiting == 2 and replayed.sent == 0 and sync.pending(env.cache) == 2
