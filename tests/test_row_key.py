"""One owner of "the row with this key" (schemas.row_key): a key cell is read as its column reads it, then
written as text, and every part that looks a row up - the save's planner, both writers, the cache update -
finds the same row. Before, the Google Sheet's writer compared the key cells as typed, so a year typed with
Khmer digits was found by the planner and then "not in the sheet" at write time."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from connectors import sync
from connectors.sync import CellEdit
from schemas.registry import tab
from schemas.row_key import key_text
from tests.factories import EDITOR, SOURCES, Env, small_book


@pytest.mark.parametrize(("value", "text"), [
    ("  HH-0042 ", "HH-0042"), (2017, "2017"), (2017.0, "2017"), (np.int64(2017), "2017"), (2017.5, "2017.5"),
    (True, "TRUE"), (None, ""), (float("nan"), ""), (dt.date(2018, 3, 4), "2018-03-04"),
])
def test_a_key_cell_as_text(value, text):
    assert key_text(value) == text


def test_a_key_is_found_however_its_cells_were_typed():
    plans = tab("commune_plans").row_key
    columns = {"commune_code": 0, "year": 1}
    rows = [["120101", "២០១៧"], ["120101 ", 2018.0], [120101, " 2019 "], ["120102", 2017], ["", ""], ["120102", "2017.0"]]
    found = plans.locate(rows, columns)
    assert found.first == {("120101", "2017"): 0, ("120101", "2018"): 1, ("120101", "2019"): 2, ("120102", "2017"): 3}
    assert found.twice == {("120102", "2017"): [3, 5]}  # the same key, typed two ways: the planner refuses to guess
    assert plans.of({"commune_code": "120101", "year": 2017}) == ("120101", "2017")


@pytest.mark.parametrize("kind", SOURCES)
def test_a_save_finds_a_row_whose_key_was_typed_with_khmer_digits(kind, tmp_path, request):
    book = small_book()
    book["commune_plans"] = [["commune_code", "year", "tip_in_development_plan", "tip_in_investment_plan"],
                             ["120101", "២០១៧", True, False], ["120101", 2018, True, True]]
    env = Env(kind, tmp_path, request, book)
    assert env.cache.cursor().execute("SELECT year FROM commune_plans ORDER BY 1").fetchall() == [(2017,), (2018,)]
    result = sync.save(env.cache, env.source, EDITOR, [CellEdit("commune_plans", ("120101", "2017"), "tip_in_investment_plan", False, True)])
    assert result.status == sync.SAVED, result.message
    first = env.rows("commune_plans")[0]
    assert first[1] == "២០១៧" and first[3] in (True, 1)  # ours written in the row found; its key kept as typed
    assert env.cache.cursor().execute(
        "SELECT tip_in_investment_plan FROM commune_plans WHERE year = 2017").fetchone() == (True,)  # the cache update found it too
