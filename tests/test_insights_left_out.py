"""What a figure could not use: rows with errors counted once per row, missing tabs and columns, per tab."""
from __future__ import annotations

import datetime as dt

import pytest

from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from insights import cow_bank, rice_bank
from insights.common import reads
from insights.left_out import LeftOut, left_out, tabs_read
from tests.factories import small_book, write_xlsx


def _cache(book, tmp_path) -> Cache:
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(write_xlsx(book, tmp_path / "book.xlsx")))
    return cache


def test_a_row_with_two_errors_counts_once_and_a_clean_tab_is_not_listed(tmp_path):
    book = small_book()
    book["rice_ledger"][2][4] = "seventy"  # RL-000122: Kg unreadable
    book["rice_ledger"][3][1] = "31/02/2017"  # RL-000123: no such day ...
    book["rice_ledger"][3][4] = "-50"  # ... and a negative Kg: two errors, one row
    cache = _cache(book, tmp_path)
    assert left_out(cache.cursor(), ["rice_banks", "rice_ledger"]) == [LeftOut("rice_ledger", rows=2)]


def test_a_missing_tab_and_a_missing_column_are_left_out_too(tmp_path):
    book = small_book()  # it has no cows tab; its rice banks lose their capacity column
    book["rice_banks"] = [["bank_id", "name", "village_code", "established_on", "interest_pct"],
                          ["RB-01", "Krol Kor", "12010101", dt.date(2016, 1, 10), 10]]
    cache = _cache(book, tmp_path)
    assert left_out(cache.cursor(), ["rice_banks", "cows"]) == [
        LeftOut("rice_banks", columns=("Capacity (kg)",)), LeftOut("cows", missing=True)]


def test_the_sentences_say_how_many_rows_of_which_tab_and_where_to_fix_them():
    assert LeftOut("rice_ledger", rows=3).sentence() == (
        "3 rows of the rice ledger have errors and are left out of these figures — see Data quality.")
    assert LeftOut("rice_ledger", rows=1).sentence(see="`python cli.py validate`") == (
        "1 row of the rice ledger has errors and is left out of these figures — see `python cli.py validate`.")
    assert LeftOut("cows", missing=True).sentence() == "The cows tab is missing: figures from it are left out — see Data quality."
    assert LeftOut("cows", missing=True).summary() == "Cows (tab 'cows'): the tab is missing"
    assert LeftOut("rice_ledger", rows=2).summary() == "Rice ledger (tab 'rice_ledger'): 2 rows with errors"


def test_figures_declare_the_tabs_they_read():
    assert tabs_read(rice_bank.stock_on) == ("rice_banks", "rice_ledger")
    assert tabs_read(cow_bank.summary, "settings") == ("villages", "households", "cows", "cow_events", "settings")
    with pytest.raises(KeyError, match="not registered: cow"):
        reads("cow")
