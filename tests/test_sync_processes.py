"""Saves from more than one OS process against the local Sheets server (real gspread in each): two
processes with their own caches adding rows at once, and a restart that sends what waited."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import small_book

ROOT = Path(__file__).resolve().parents[1]


def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.sync_worker", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _answer(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def sheet(make_spreadsheet):
    return make_spreadsheet(small_book())


def test_two_processes_adding_rows_at_once_keep_every_row_and_audit_row(sheets_server, sheet, tmp_path):
    start = tmp_path / "go"
    workers = [_worker("append", sheets_server.base_url, sheet, str(tmp_path / f"cache{tag}.duckdb"), tag, "6", str(start))
               for tag in ("1", "2")]
    start.touch()
    answers = [_answer(w) for w in workers]
    assert [a["statuses"] for a in answers] == [["saved"] * 6, ["saved"] * 6]
    ledger = [r[0] for r in sheets_server.sheet_values(sheet, "rice_ledger")[1:]]
    ours = sorted(k for k in ledger if k.startswith(("RL-1", "RL-2")))
    assert ours == sorted(f"RL-{tag}{i:03d}" for tag in ("1", "2") for i in range(6))  # all 12, none twice
    audit = sheets_server.sheet_values(sheet, "audit_log")[1:]
    assert sorted(r[3] for r in audit) == ours


def test_restart_sends_what_waited_exactly_once_from_a_new_process(sheets_server, sheet, tmp_path):
    cache = str(tmp_path / "cache.duckdb")
    sheets_server.inject(503, times=-1, match=r"batchUpdate")  # writes fail: the save waits
    assert _answer(_worker("edit", sheets_server.base_url, sheet, cache)) == {"status": "queued", "pending": 1}
    sheets_server.clear_faults()
    assert sheets_server.sheet_values(sheet, "households")[2][4] == 4  # nothing landed
    assert _answer(_worker("replay", sheets_server.base_url, sheet, cache)) == {"sent": 1, "pending": 0}
    assert sheets_server.sheet_values(sheet, "households")[2][4] == 5
    assert [(r[3], r[4], r[5], r[6]) for r in sheets_server.sheet_values(sheet, "audit_log")[1:]] == [("HH-0042", "members", "4", "5")]
    assert _answer(_worker("replay", sheets_server.base_url, sheet, cache)) == {"sent": 0, "pending": 0}
