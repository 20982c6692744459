"""The refresh is one function (connectors.pipeline): read -> check -> load -> the Problems tab -> the saves
waiting. Against the real gspread client and the local Sheets API server: what each caller's refresh sends to
the sheet, and that no module but the pipeline runs those steps."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from connectors import pipeline
from connectors.access import LOCAL_ADMIN
from connectors.sources.interface import SourceError
from connectors.store.cache import Cache
from connectors.sync import CellEdit, pending, save

ROOT = Path(__file__).resolve().parent.parent
STEPS = {"read_check_load", "replay_pending", "send_after_refresh"}  # the pipeline's steps, called by it alone


@pytest.fixture
def loaded(make_spreadsheet, make_source, sheets_server, monkeypatch):
    """A cache in step with a sheet whose problems go to its Problems tab, and one save waiting (the network
    was down when it was made)."""
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "tab")
    key = make_spreadsheet()
    source, cache = make_source(key), Cache(":memory:")
    pipeline.refresh(cache, source, send_saves=True)
    assert len(sheets_server.sheet_values(key, "Problems")) > 1  # the first refresh wrote the problems
    name = cache.cursor().execute("SELECT name FROM rice_banks WHERE bank_id = 'BA-00000'").fetchone()[0]
    sheets_server.drop(times=-1)
    assert save(cache, source, LOCAL_ADMIN, [CellEdit("rice_banks", ("BA-00000",), "name", name, "Waited")]).status == "queued"
    sheets_server.clear_faults()
    sheets_server.edit(key, "rice_banks", "B3", "Someone else's edit")  # another bank: the data moved, no conflict
    sheets_server.reset()
    return cache, source, sheets_server


def _writes(server) -> list[str]:
    return [c["path"] for c in server.api_calls() if c["method"] == "POST"]


def test_the_command_lines_refresh_reads_and_never_writes(loaded):
    cache, source, server = loaded
    done = pipeline.refresh(cache, source, send_saves=False, write_problems=False)
    assert not done.result.skipped and done.sent is None
    assert _writes(server) == []  # no Problems tab, no save sent
    assert pending(cache) == 1


def test_the_apps_refresh_loads_and_sends_the_save_waiting(loaded):
    cache, source, server = loaded
    done = pipeline.refresh(cache, source, send_saves=True)
    assert not done.result.skipped and "rice_banks" in done.result.reloaded
    assert done.sent is not None and done.sent.sent == 1 and pending(cache) == 0
    assert len(_writes(server)) == 1  # the save (the problems are as the Problems tab shows them: not written again)
    assert source.read(["rice_banks"])["rice_banks"].rows[0][1] == "Waited"


def test_a_source_that_cannot_be_read_gets_no_write_and_the_save_keeps_waiting(loaded):
    cache, source, server = loaded
    server.drop(times=-1)
    with pytest.raises(SourceError):
        pipeline.refresh(cache, source, send_saves=True, force=True)
    server.clear_faults()
    assert _writes(server) == [] and pending(cache) == 1


def test_nothing_waits_and_nothing_changed_costs_one_call(loaded):
    cache, source, server = loaded
    pipeline.refresh(cache, source, send_saves=True)  # reads the other edit, sends the save
    pipeline.refresh(cache, source, send_saves=True)  # reads the save back (it moved the change token)
    server.reset()
    done = pipeline.refresh(cache, source, send_saves=True)
    assert done.result.skipped and done.sent is None
    assert len(server.api_calls()) == 1  # the change token


def test_no_module_but_the_pipeline_runs_its_steps():
    callers = []
    for folder in ("app.py", "cli.py", "commands", "connectors", "gateway", "insights", "pages", "reports", "schemas", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else (
                    node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None)
                if called in STEPS:
                    callers.append(f"{path.relative_to(ROOT)}: {called}")
    assert sorted(callers) == ["connectors/pipeline.py: read_check_load", "connectors/pipeline.py: replay_pending",
                               "connectors/pipeline.py: send_after_refresh"]
