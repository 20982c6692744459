"""The cache: typed tables per tab, refreshes in one transaction, nothing read when nothing changed."""
import datetime as dt

import openpyxl
import pytest

from connectors.sources.interface import SourceError
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from schemas.registry import TABS
from tests.factories import type_in_cells


class CountingWorkbook(WorkbookSource):
    """The real workbook source, counting how often its tabs are read."""

    def __init__(self, path):
        super().__init__(path)
        self.reads = 0

    def read(self, tabs=None):
        self.reads += 1
        return super().read(tabs)


def test_a_refresh_loads_every_tab_as_a_typed_table(demo_cache):
    con = demo_cache.cursor()
    counts = {spec.name: con.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()[0] for spec in TABS}
    assert all(n > 0 for name, n in counts.items() if name != "audit_log"), counts
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'rice_ledger'").fetchall())
    assert types == {"entry_id": "VARCHAR", "date": "DATE", "bank_id": "VARCHAR", "kind": "VARCHAR", "kg": "DOUBLE",
                     "household_id": "VARCHAR", "loan_id": "VARCHAR", "note": "VARCHAR", "_row": "BIGINT"}
    assert con.execute("SELECT min(_row) FROM rice_ledger").fetchone()[0] == 2  # header is row 1


def test_the_demo_workbook_loads_with_no_validation_issue(demo_cache):
    issues = demo_cache.cursor().execute("SELECT tab, cell, rule, message FROM _issues").fetchall()
    assert issues == []


def test_refreshing_an_unchanged_workbook_reads_no_tab(tmp_path, demo_copy):
    source = CountingWorkbook(demo_copy)
    cache = Cache(tmp_path / "cache.duckdb")
    first = read_check_load(cache, source)
    second = read_check_load(cache, source)
    assert (first.skipped, second.skipped, source.reads) == (False, True, 1)
    assert cache.cursor().execute("SELECT count(*) FROM _refreshes").fetchone()[0] == 1


def test_a_changed_workbook_is_read_again(tmp_path, demo_copy):
    source = CountingWorkbook(demo_copy)
    cache = Cache(tmp_path / "cache.duckdb")
    read_check_load(cache, source)
    type_in_cells(demo_copy, {"rice_banks": {"B2": "Renamed bank"}})
    result = read_check_load(cache, source)
    assert (result.skipped, source.reads) == (False, 2)
    assert cache.cursor().execute("SELECT name FROM rice_banks WHERE _row = 2").fetchone()[0] == "Renamed bank"


@pytest.mark.usefixtures("tmp_path")
def test_a_missing_tab_and_a_missing_column_give_one_issue_each_and_the_rest_loads(demo_copy):
    book = openpyxl.load_workbook(demo_copy)
    del book["ambulance_trips"]
    sheet = book["rice_banks"]
    sheet.delete_cols(5)  # capacity_kg
    book.save(demo_copy)
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_copy))
    con = cache.cursor()
    issues = con.execute("SELECT tab, rule FROM _issues WHERE tab IN ('ambulance_trips', 'rice_banks') ORDER BY tab").fetchall()
    assert [tab for tab, _ in issues] == ["ambulance_trips", "rice_banks"]
    assert con.execute("SELECT count(*) FROM rice_banks").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM clinic_visits").fetchone()[0] > 40_000


def test_a_source_that_cannot_be_read_leaves_the_last_good_cache(tmp_path, demo_copy):
    cache = Cache(tmp_path / "cache.duckdb")
    read_check_load(cache, WorkbookSource(demo_copy))
    before = cache.cursor().execute("SELECT count(*) FROM clinic_visits").fetchone()[0]
    demo_copy.write_bytes(b"not a workbook")
    with pytest.raises(SourceError):
        read_check_load(cache, WorkbookSource(demo_copy))
    assert cache.cursor().execute("SELECT count(*) FROM clinic_visits").fetchone()[0] == before


def test_the_cache_survives_a_restart(tmp_path, demo_copy):
    path = tmp_path / "cache.duckdb"
    first = Cache(path)
    read_check_load(first, WorkbookSource(demo_copy))
    first.close()
    again = Cache(path)
    assert read_check_load(again, WorkbookSource(demo_copy)).skipped
    assert again.cursor().execute("SELECT count(*) FROM rice_banks").fetchone()[0] == 2
    assert again.last_refresh()["refreshed_at"] <= dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_atomic_keeps_every_statement_or_none():
    import duckdb

    from connectors.store.transaction import atomic

    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    with atomic(con):
        con.execute("INSERT INTO t VALUES (1)")
        con.execute("INSERT INTO t VALUES (2)")
    with pytest.raises(duckdb.ConstraintException), atomic(con):
        con.execute("INSERT INTO t VALUES (3)")
        con.execute("INSERT INTO t VALUES (1)")  # a duplicate key: the 3 goes too
    assert con.execute("SELECT k FROM t ORDER BY k").fetchall() == [(1,), (2,)]
