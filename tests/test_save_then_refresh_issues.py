"""After a save fixes the last problem of a tab, the next refresh leaves no issue behind: the save forgets the
edited cell's own issues in place, and the refresh rewrites the rest (a tab-level "checks not made" warning
included) even when it finds no issue at all."""
from __future__ import annotations

import shutil

from connectors import sync
from connectors.access import User
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from tests.factories import stored_in_cell, type_in_cells


def _issues(cache: Cache) -> list[tuple]:
    return cache.con.execute('SELECT tab, "row", rule FROM _issues ORDER BY ALL').fetchall()


def test_the_last_problem_fixed_by_a_save_leaves_no_stale_warning_after_the_refresh(tmp_path, demo_workbook):
    path = tmp_path / "planted.xlsx"
    shutil.copy(demo_workbook, path)
    key = stored_in_cell(path, "rice_ledger", "A3")
    type_in_cells(path, {"rice_ledger": {"E3": "abc"}})
    source, cache = WorkbookSource(path), Cache(str(tmp_path / "cache.duckdb"))
    read_check_load(cache, source)
    assert _issues(cache) == [("rice_ledger", 3, "cell.not_a_number"), ("rice_ledger", None, "rules.not_checked")]

    saved = sync.save(cache, source, User("admin@example.org", "admin"), [sync.CellEdit("rice_ledger", (key,), "kg", "abc", "70")],
                      None, [], date_order="day_first")
    assert saved.status == sync.SAVED, saved.message
    read_check_load(cache, source)
    assert _issues(cache) == []
