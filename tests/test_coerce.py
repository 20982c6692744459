"""Coercion of what staff really type: one literal column in, the typed values and the unreadable cells out."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from schemas.coerce import coerce_column
from schemas.registry import tab

NA = None


def coerce(tab_name, column, cells, **kw):
    result = coerce_column(np.array(cells, dtype=object), tab(tab_name).column(column), **kw)
    values = [None if pd.isna(v) else v for v in pd.Series(result.values).tolist()]
    bad = {rule: positions.tolist() for rule, positions in result.bad.items()}
    return values, result.blank.tolist(), bad


def test_whole_numbers_khmer_digits_separators_and_a_currency_that_is_not_the_columns_unit():
    values, blank, bad = coerce("households", "members", [3, 3.0, "3", " ៣ ", "13 000", "1,234", "$5", None, "", "  "])
    assert values == [3, 3, 3, 3, 13000, 1234, NA, NA, NA, NA]
    assert blank == [False] * 7 + [True] * 3
    assert bad == {"cell.wrong_unit": [6]}  # dollars in a count of people (schemas.human_forms)


def test_a_fraction_in_a_count_is_not_whole_and_text_is_not_a_number():
    values, _, bad = coerce("households", "members", [3.5, "3.5", "1,5", "ten", True, dt.date(2020, 1, 1), float("inf"), 10**30])
    assert values == [NA] * 8
    assert bad == {"cell.not_whole": [0, 1], "cell.not_a_number": [2, 3, 4, 5, 6], "value.too_large": [7]}


def test_numbers_are_bounded_when_read_so_no_huge_value_is_ever_stored():
    values, _, bad = coerce("rice_ledger", "kg", [1e26, "1e26", -1e26, 2**70, 1e308, "1e999", 1e15, -0.0, 250])
    assert values == [NA, NA, NA, NA, NA, NA, 1e15, 0.0, 250.0]
    assert bad == {"value.too_large": [0, 1, 3, 4, 5], "value.too_small": [2]}


def test_amounts_in_riel_with_marks_and_a_dollar_amount_is_not_converted():
    values, _, bad = coerce("savings_ledger", "amount_riel", ["139,791,300", "៛ 4000", "4000 riel", "4,000៛", "4000 KHR", "$34,947.83", "10%"])
    assert values == [139791300.0, 4000.0, 4000.0, 4000.0, 4000.0, NA, NA]
    assert bad == {"cell.wrong_currency": [5], "cell.wrong_unit": [6]}


def test_a_percent_sign_is_read_in_a_percent_column():
    values, _, bad = coerce("rice_banks", "interest_pct", ["10%", 10, "12.5 %"])
    assert values == [10.0, 10.0, 12.5] and bad == {}


@pytest.mark.parametrize("cells, expected", [
    (["Yes", "no", "Y", "n", "TRUE", "false", " true "], [True, False, True, False, True, False, True]),
    ([True, False, 1, 0, 1.0, "1", "0"], [True, False, True, False, True, True, False]),
    (["បាទ", "ចាស", "ទេ", "អត់", "១"], [True, True, False, False, True]),
])
def test_yes_and_no_in_the_forms_staff_type(cells, expected):
    values, _, bad = coerce("households", "survivor", cells)
    assert values == expected and bad == {}


def test_a_tick_or_a_two_is_not_yes_or_no_and_blank_is_not_no():
    values, blank, bad = coerce("households", "survivor", ["x", "✓", 2, "", None])
    assert values == [NA] * 5
    assert blank == [False, False, False, True, True]
    assert bad == {"cell.not_yes_no": [0, 1, 2]}


def test_dates_from_serials_objects_iso_and_day_first_text():
    cells = [43184, 43184.75, "2018-03-25", "2018/03/25", "25/03/2018", "25-03-2018", "25.3.2018",
             dt.date(2018, 3, 25), dt.datetime(2018, 3, 25, 17, 30), pd.Timestamp("2018-03-25"),
             "២៥/០៣/២០១៨", "2018-03-25T10:00:00Z", " 25/03/2018 "]
    values, _, bad = coerce("households", "enrolled_on", cells)
    assert values == [pd.Timestamp("2018-03-25")] * len(cells) and bad == {}


def test_dates_that_cannot_be_read_are_never_guessed():
    cells = ["31/02/2018", "03/25/2018", "31/02/18", "March 2018", 2018, True, "43184", ""]
    values, blank, bad = coerce("households", "enrolled_on", cells)
    assert values == [NA] * 8
    assert blank == [False] * 7 + [True]
    assert bad == {"cell.not_a_date": [0, 1, 2, 3, 4, 5, 6]}


def test_month_first_reads_the_us_order():
    values, _, bad = coerce("households", "enrolled_on", ["03/25/2018", "25/03/2018"], date_order="month_first")
    assert values == [pd.Timestamp("2018-03-25"), NA] and bad == {"cell.not_a_date": [1]}


def test_codes_typed_as_numbers_get_their_leading_zero_back():
    values, _, bad = coerce("villages", "province_code", [9, 9.0, "9", " 09 ", "០៩", 12, "abc"])
    assert values == ["09", "09", "09", "09", "09", "12", "abc"] and bad == {}


def test_text_columns_take_any_cell_as_text_trimmed():
    values, blank, bad = coerce("households", "head_name", ["  Sok ", 5, 5.5, True, dt.datetime(2020, 1, 2), None, "", " "])
    assert values == ["Sok", "5", "5.5", "TRUE", "2020-01-02", NA, NA, NA]
    assert blank == [False] * 5 + [True] * 3 and bad == {}


def test_the_unit_comes_from_the_column_declaration_not_its_name():
    from dataclasses import replace

    amount = tab("savings_ledger").column("amount_riel")
    renamed = replace(amount, name="amount")  # still declared unit="riel"
    undeclared = replace(amount, unit=None)  # named *_riel, but no unit declared
    assert list(coerce_column(np.array(["$5"], dtype=object), renamed).bad) == ["cell.wrong_currency"]
    assert list(coerce_column(np.array(["$5"], dtype=object), undeclared).bad) == ["cell.not_a_number"]  # no unit: plain numbers
    share = replace(tab("rice_banks").column("interest_pct"), name="interest")
    assert coerce_column(np.array(["10%"], dtype=object), share).bad == {}
    assert list(coerce_column(np.array(["10%"], dtype=object), replace(share, unit=None)).bad) == ["cell.not_a_number"]
