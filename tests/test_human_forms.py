"""Human forms, in both languages: each form in, the typed value and the warning that says how it was read
out, in English and in Khmer; a unit that is not the column's stays an error (schemas.human_forms)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from schemas.coerce_dates import read_date
from schemas.grid import Grid
from schemas.i18n import language
from schemas.registry import tab
from schemas.validate import validate_tab

D = dt.date


def one_cell(tab_name: str, column: str, typed, date_order: str = "day_first"):
    """A tab of one row with `typed` in `column` (the other cells blank): its typed value and its issues."""
    spec = tab(tab_name)
    header = [c.title for c in spec.columns]
    row = [None] * len(header)
    row[[c.name for c in spec.columns].index(column)] = typed
    found, issues = validate_tab(spec, Grid(tab_name, header, [row]), date_order=date_order)
    value = found.frame[column].iat[0]
    value = None if pd.isna(value) else value.date() if isinstance(value, pd.Timestamp) else value
    return value, [i for i in issues if i.column == spec.column(column).title]


DATES = [  # typed, date order, read as, the warning's "read as" in English and in Khmer
    ("3 March 2018", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("3-Mar-2018", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("March 3, 2018", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("Sat 3rd Mar 2018", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("2018-Mar-03", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("3 SEPT 2019", "day_first", D(2019, 9, 3), "3 Sep 2019", "3 កញ្ញា 2019"),
    ("3-Mar-18", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("៣ មីនា ២០១៨", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("ថ្ងៃទី៣ ខែមីនា ឆ្នាំ២០១៨", "day_first", D(2018, 3, 3), "3 Mar 2018", "3 មីនា 2018"),
    ("២៥ ធ្នូ ២០១៧", "day_first", D(2017, 12, 25), "25 Dec 2017", "25 ធ្នូ 2017"),
    ("03/04/18", "day_first", D(2018, 4, 3), "3 Apr 2018", "3 មេសា 2018"),
    ("03/04/18", "month_first", D(2018, 3, 4), "4 Mar 2018", "4 មីនា 2018"),
    ("01.01.49", "day_first", D(2049, 1, 1), "1 Jan 2049", "1 មករា 2049"),  # the pivot: 00-49 -> 20xx
    ("01.01.50", "day_first", D(1950, 1, 1), "1 Jan 1950", "1 មករា 1950"),  # 50-99 -> 19xx
]


@pytest.mark.parametrize("typed, order, expected, english, khmer", DATES)
def test_a_date_in_words_or_with_a_two_digit_year_is_read_with_a_warning(typed, order, expected, english, khmer):
    value, issues = one_cell("rice_ledger", "date", typed, order)
    assert value == expected
    assert [(i.rule, i.severity, i.cell) for i in issues] == [("cell.read_as", "warning", "B2")]
    assert issues[0].message == f"Row 2: 'Date' is '{typed}', read as {english}. If that is not what was meant, correct cell B2."
    with language("km"):
        assert f"ត្រូវបានអានថា {khmer}។" in issues[0].message


NUMBERS = [  # tab, column, typed, read as
    ("rice_ledger", "kg", "250 kg", 250.0),
    ("rice_ledger", "kg", "250kg", 250.0),
    ("rice_ledger", "kg", "1,250.5 KG.", 1250.5),
    ("rice_ledger", "kg", "250 kilos", 250.0),
    ("rice_ledger", "kg", "២៥០ គីឡូ", 250.0),
    ("rice_ledger", "kg", "250 គីឡូក្រាម", 250.0),
    ("clinic_visits", "age_years", "12 years", 12),
    ("clinic_visits", "age_years", "12 yrs", 12),
    ("clinic_visits", "age_years", "១២ ឆ្នាំ", 12),
    ("savings_ledger", "amount_riel", "4,000 ៛", 4000.0),
    ("savings_ledger", "amount_riel", "៛4000", 4000.0),
    ("savings_ledger", "amount_riel", "4000 riels", 4000.0),
    ("savings_ledger", "amount_riel", "4000 KHR", 4000.0),
    ("savings_ledger", "amount_riel", "៤០០០ រៀល", 4000.0),
    ("rice_banks", "interest_pct", "10%", 10.0),
    ("rice_banks", "interest_pct", "12.5 %", 12.5),
    ("households", "members", "5 people", 5),
    ("households", "members", "៥ នាក់", 5),
]


@pytest.mark.parametrize("tab_name, column, typed, expected", NUMBERS)
def test_a_number_with_its_columns_own_unit_is_read_with_a_warning(tab_name, column, typed, expected):
    value, issues = one_cell(tab_name, column, typed)
    assert value == expected
    assert [(i.rule, i.severity) for i in issues] == [("cell.read_as", "warning")]
    shown = f"{expected:,.3f}".rstrip("0").rstrip(".")
    assert issues[0].message.startswith(f"Row 2: '{tab(tab_name).column(column).title}' is '{typed}', read as {shown}.")
    with language("km"):
        assert f"ត្រូវបានអានថា {shown}។" in issues[0].message


WRONG_UNITS = [  # tab, column, typed, rule, the message's middle in English, in Khmer
    ("rice_ledger", "kg", "250 g", "cell.wrong_unit", "in grams, but this column is in kg", "គិតជាក្រាម ប៉ុន្តែជួរឈរនេះគិតជាគីឡូ"),
    ("rice_ledger", "kg", "2 tonnes", "cell.wrong_unit", "in tonnes, but this column is in kg", "គិតជាតោន"),
    ("rice_ledger", "kg", "25 ក្រាម", "cell.wrong_unit", "in grams, but this column is in kg", "គិតជាក្រាម"),
    ("clinic_visits", "age_years", "18 months", "cell.wrong_unit", "in months, but this column is in years", "គិតជាខែ ប៉ុន្តែជួរឈរនេះគិតជាឆ្នាំ"),
    ("clinic_visits", "age_years", "១៨ ខែ", "cell.wrong_unit", "in months, but this column is in years", "គិតជាខែ"),
    ("savings_ledger", "amount_riel", "10 kg", "cell.wrong_unit", "in kg, but this column is in riel", "គិតជាគីឡូ"),
    ("savings_ledger", "amount_riel", "10%", "cell.wrong_unit", "in %, but this column is in riel", "គិតជា%"),
    ("savings_ledger", "amount_riel", "$25", "cell.wrong_currency", "an amount in dollars, but this column is in riel", None),
    ("savings_ledger", "amount_riel", "25 dollars", "cell.wrong_currency", "an amount in dollars, but this column is in riel", None),
    ("households", "members", "$5", "cell.wrong_unit", "in dollars, but this column is in people", "គិតជាដុល្លារ"),
    ("rice_banks", "interest_pct", "10 kg", "cell.wrong_unit", "in kg, but this column is in %", None),
    ("rice_ledger", "kg", "250 bags", "cell.not_a_number", "which is not a number", None),
    ("households", "children", "2 people", "cell.not_a_number", "which is not a number", None),  # no unit: plain numbers
]


@pytest.mark.parametrize("tab_name, column, typed, rule, english, khmer", WRONG_UNITS)
def test_a_unit_that_is_not_the_columns_stays_an_error(tab_name, column, typed, rule, english, khmer):
    value, issues = one_cell(tab_name, column, typed)
    assert value is None
    assert [(i.rule, i.severity) for i in issues] == [(rule, "error")]
    assert english in issues[0].message
    if khmer:
        with language("km"):
            assert khmer in issues[0].message


@pytest.mark.parametrize("typed", ["3 Foo 2018", "31 Feb 2018", "March 2018", "3 March", "31/02/18", "29/02/19", "the first of May"])
def test_a_date_in_words_that_does_not_exist_or_lacks_a_part_is_not_a_date(typed):
    value, issues = one_cell("rice_ledger", "date", typed)
    assert value is None and [i.rule for i in issues] == ["cell.not_a_date"]


@pytest.mark.parametrize("typed, code", [("Loan", "loan"), ("LOAN", "loan"), ("ខ្ចីស្រូវ", "loan"), ("Repayment", "repayment"),
                                         ("សងស្រូវ", "repayment"), ("donation", "donation")])
def test_a_coded_column_reads_its_code_its_english_label_or_its_khmer_label(typed, code):
    value, issues = one_cell("rice_ledger", "kind", typed)
    assert value == code and issues == []


def test_clean_cells_get_no_warning():
    for tab_name, column, typed in [("rice_ledger", "kg", "1,250"), ("rice_ledger", "date", "03/03/2018"),
                                    ("rice_ledger", "date", "2018-03-03"), ("rice_ledger", "date", 43162), ("households", "members", "៥")]:
        assert one_cell(tab_name, column, typed)[1] == [], typed


def test_one_typed_date_read_for_an_editor():
    assert read_date("3 March 2018") == read_date("៣ មីនា ២០១៨")
    reading = read_date("3 March 2018")
    assert (reading.date, reading.interpreted, reading.reason) == (D(2018, 3, 3), True, None)
    assert read_date("2018-03-03").interpreted is False
    assert read_date("03/04/2018", "month_first").date == D(2018, 3, 4)
    refused = read_date("31/02/2018")
    assert refused.date is None and "31/02/2018" in refused.reason and "25/12/2018" in refused.reason
    assert read_date("  ").reason == "The date is blank."
    with language("km"):
        assert read_date("31/02/2018").reason.startswith("'31/02/2018' មិនមែនជាកាលបរិច្ឆេទ")
