"""A refresh in proportion to the change (issue 29), through real gspread and the local Sheets server: a
change in one tab types and checks exactly that tab and the cross-tab rules that read it, reloads only its
table, keeps the generation of the others, and stores the same issues as a check of everything would."""
from __future__ import annotations

import pytest

from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from schemas.registry import TABS

EVERY_TAB = sorted(t.name for t in TABS)


class Recording:
    """The real Google Sheets source, keeping the grids of its last read (to see which were decoded)."""

    def __init__(self, source):
        self.source, self.label, self.grids = source, source.label, {}

    def version(self):
        return self.source.version()

    def read(self, tabs=None):
        self.grids = self.source.read(tabs)
        return self.grids

    def cell_link(self, tab, a1):
        return self.source.cell_link(tab, a1)


@pytest.fixture
def demo_sheet(make_spreadsheet, demo_workbook) -> str:
    """The demo workbook, every tab, in a Google Sheet of the local server."""
    grids = WorkbookSource(demo_workbook).read()
    return make_spreadsheet({name: [grid.header, *grid.rows] for name, grid in grids.items()})


@pytest.fixture
def loaded(demo_sheet, make_source):
    cache = Cache(":memory:")
    source = Recording(make_source(demo_sheet))
    first = read_check_load(cache, source)
    assert first.checked == EVERY_TAB and first.reloaded == [t.name for t in TABS]
    return cache, source


def _stored_issues(cache: Cache) -> list[tuple]:
    return cache.cursor().execute("SELECT * FROM _issues").fetchall()


def test_an_edit_in_one_tab_checks_that_tab_and_the_rules_that_read_it(loaded, sheets_server, demo_sheet):
    cache, source = loaded
    clinic, rice = cache.generation(["clinic_visits"]), cache.generation(["rice_banks"])
    sheets_server.edit(demo_sheet, "rice_banks", "B2", "Teng Mao rice bank")
    result = read_check_load(cache, source)
    assert result.checked == ["rice_banks"] and result.reloaded == ["rice_banks"]
    assert sorted(result.rules_run) == ["foreign_keys:rice_banks", "foreign_keys:rice_ledger", "repayments_never_exceed_what_is_owed",
                                        "rice_loans_are_named", "rice_stock_never_below_zero"]
    assert cache.cursor().execute("SELECT name FROM rice_banks ORDER BY _row").fetchone()[0] == "Teng Mao rice bank"
    assert cache.generation(["clinic_visits"]) == clinic  # its cached figures survive
    assert cache.generation(["rice_banks"]) != rice
    # The clinic visits' cells were read, but never decoded into Python values.
    assert not source.grids["clinic_visits"].decoded and source.grids["rice_banks"].decoded


def test_a_settings_change_re_runs_the_rules_that_use_a_setting(loaded, sheets_server, demo_sheet):
    cache, source = loaded
    row = cache.cursor().execute("SELECT _row FROM settings WHERE key = 'cow_pass_on_min_age_months'").fetchone()[0]
    sheets_server.edit(demo_sheet, "settings", f"B{row}", "14")
    result = read_check_load(cache, source)
    assert result.checked == ["settings"] and result.reloaded == ["settings"]
    assert {"cow_events_follow_the_policy", "mothers_are_grown_cows"} <= set(result.rules_run)
    assert not {"rice_stock_never_below_zero", "group_cash_never_below_zero", "foreign_keys:clinic_visits"} & set(result.rules_run)
    assert cache.cursor().execute(
        "SELECT count(*) FROM _issues WHERE rule = 'cow.pass_on_too_young'").fetchone()[0] > 0  # 14 months: now some are too young


def test_a_read_that_finds_nothing_changed_checks_and_reloads_nothing(loaded):
    cache, source = loaded
    stamps = cache.generation(EVERY_TAB)
    result = read_check_load(cache, source, force=True)
    assert (result.checked, result.rules_run, result.reloaded) == ([], [], [])
    assert cache.generation(EVERY_TAB) == stamps
    assert not any(grid.decoded for grid in source.grids.values())


def test_issues_after_each_edit_are_those_a_check_of_everything_finds(make_spreadsheet, make_source, sheets_server):
    """The bench grids break most rules (every tab, across tabs); after each edit the kept and re-run parts
    store exactly the rows, in the order, that a new cache checking everything stores."""
    key = make_spreadsheet()
    cache, source = Cache(":memory:"), make_source(key)
    read_check_load(cache, source)
    edits = [("rice_banks", "A2", "BA-00009"),  # a bank id the ledger points to disappears
             ("households", "E3", "eleven"),  # an unreadable count
             ("villages", "A2", "12000000"),  # a village every tab refers to
             ("settings", "A2", "cow_pass_on_calves"), ("settings", "B2", "two"),  # a setting, then a bad value
             ("rice_banks", "A2", "BA-00000")]  # and back
    for tab, cell, value in edits:
        sheets_server.edit(key, tab, cell, value)
        result = read_check_load(cache, source)
        assert tab in result.checked and len(result.checked) == 1, (tab, result.checked)
        fresh = Cache(":memory:")
        read_check_load(fresh, make_source(key))
        assert _stored_issues(cache) == _stored_issues(fresh), (tab, cell, value)
        assert [cache.cursor().execute(f'SELECT * FROM "{t.name}" ORDER BY _row').fetchall() for t in TABS] == \
               [fresh.cursor().execute(f'SELECT * FROM "{t.name}" ORDER BY _row').fetchall() for t in TABS]


def test_a_save_in_the_app_reloads_the_tables_it_touched_at_the_next_read(loaded):
    cache, source = loaded
    clinic = cache.generation(["clinic_visits"])
    cache.changed(["rice_banks"])  # what a save does after writing rice_banks' rows into the cache
    assert cache.generation(["clinic_visits"]) == clinic
    result = read_check_load(cache, source, force=True)
    assert result.checked == [] and result.reloaded == ["rice_banks"]  # the sheet did not change: nothing checked again
