"""validate_tab: a grid as read in, the typed frame and the exact issues out."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from connectors.sources.interface import Grid
from schemas.registry import TABS, tab
from schemas.validate import validate_tab

RICE_HEADER = ["Entry ID", "Date", "Bank ID", "Kind", "Kg", "Household ID", "Loan ID", "Note"]


def where(issues):
    """What a test pins: tab, row, column as written, cell, rule, severity (and the value as read)."""
    return [(i.tab, i.row, i.column, i.cell, i.value, i.rule, i.severity) for i in issues]


def rice(*rows, header=RICE_HEADER):
    return validate_tab(tab("rice_ledger"), Grid("rice_ledger", list(header), [list(r) for r in rows]))


def test_a_clean_tab_gives_typed_columns_in_schema_order_and_no_issue():
    found, issues = rice(
        ["RL-0001", "25/03/2018", "RB-01", "donation", 1000],
        ["RL-0002", 43184, "RB-01", "loan", "1,250.5", "HH-0001", "L-1", "  first loan "],
    )
    assert issues == []
    frame = found.frame
    assert list(frame.columns) == [s.name for s in tab("rice_ledger").columns] + ["_row"]
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "entry_id": "string", "date": "datetime64[us]", "bank_id": "string", "kind": "string", "kg": "Float64",
        "household_id": "string", "loan_id": "string", "note": "string", "_row": "Int64",
    }
    assert frame["date"].tolist() == [pd.Timestamp("2018-03-25"), pd.Timestamp("2018-03-25")]
    assert frame["kg"].tolist() == [1000.0, 1250.5]
    assert frame["note"].tolist()[1] == "first loan"
    assert frame["_row"].tolist() == [2, 3]
    assert found.columns == {name: i for i, name in enumerate(["entry_id", "date", "bank_id", "kind", "kg", "household_id", "loan_id", "note"])}
    assert found.header == RICE_HEADER


def test_blank_rows_are_skipped_but_rows_keep_the_sheet_numbers():
    found, issues = rice(
        ["RL-0001", "25/03/2018", "RB-01", "donation", 1000],
        [],
        ["", None, "   "],
        ["RL-0002", "26/03/2018", "RB-01", "donation", 5],
    )
    assert issues == []
    assert found.frame["_row"].tolist() == [2, 5]


def test_a_value_out_of_bounds_is_reported_at_its_cell_with_the_value_as_read():
    _, issues = rice(["RL-0001", "25/03/2018", "RB-01", "loan", -50, "HH-0001", "L-1"],
                     [], [], [], [], [], [], [], [], [], [], [],
                     ["RL-0002", "25/03/2018", "RB-01", "loan", "-50", "HH-0001", "L-2"])
    assert where(issues) == [
        ("rice_ledger", 2, "Kg", "E2", -50, "value.too_small", "error"),
        ("rice_ledger", 14, "Kg", "E14", "-50", "value.too_small", "error"),
    ]
    assert issues[1].message == "Row 14: 'Kg' is '-50'; it must be 0.001 or more. Correct it in cell E14."


def test_every_pandera_failure_comes_back_not_only_the_first():
    _, issues = rice(
        ["RL-1", "25/03/2018", "RB-01", "lend", 10],
        ["RL-0002", None, "RB-01", "loan", 2_000_000],
    )
    assert where(issues) == [
        ("rice_ledger", 2, "Entry ID", "A2", "RL-1", "value.bad_format", "error"),
        ("rice_ledger", 2, "Kind", "D2", "lend", "value.not_allowed", "error"),
        ("rice_ledger", 3, "Date", "B3", None, "value.missing", "error"),
        ("rice_ledger", 3, "Kg", "E3", 2_000_000, "value.too_large", "error"),
    ]
    assert issues[1].message == (
        "Row 2: 'Kind' is 'lend'; it must be one of: donation, loan, repayment, loss, sale. Pick one of these in cell D2.")


def test_an_unreadable_cell_is_one_issue_with_the_original_text_and_no_blank_issue():
    found, issues = rice(["RL-0001", "31/02/2018", "RB-01", "donation", "ten"])
    assert where(issues) == [
        ("rice_ledger", 2, "Date", "B2", "31/02/2018", "cell.not_a_date", "error"),
        ("rice_ledger", 2, "Kg", "E2", "ten", "cell.not_a_number", "error"),
    ]
    assert issues[0].message == (
        "Row 2: 'Date' is '31/02/2018', which is not a date we can read. "
        "Type it as dd/mm/yyyy (for example 25/12/2018) in cell B2.")
    assert found.frame["date"].isna().all() and found.frame["kg"].isna().all()


def test_a_missing_required_column_is_one_issue_and_the_column_is_null():
    header = ["Entry ID", "Date", "Bank ID", "Kind", "Household ID"]
    found, issues = rice(["RL-0001", "25/03/2018", "RB-01", "donation"], header=header)
    assert where(issues) == [("rice_ledger", None, "Kg", None, None, "header.missing_column", "error")]
    assert issues[0].message == "Tab 'rice_ledger' has no column 'Kg'. Add a column headed 'Kg' in row 1."
    assert found.frame["kg"].isna().all() and str(found.frame["kg"].dtype) == "Float64"
    assert "kg" not in found.columns


def test_duplicate_and_unknown_headers():
    header = [*RICE_HEADER, "Remarks", "kg"]
    _, issues = rice(["RL-0001", "25/03/2018", "RB-01", "donation", 3, None, None, None, "x", 4], header=header)
    assert where(issues) == [
        ("rice_ledger", 1, "Remarks", "I1", "Remarks", "header.unknown_column", "warning"),
        ("rice_ledger", 1, "kg", "J1", "kg", "header.duplicate", "error"),
    ]


def test_headers_match_by_name_or_title_whatever_the_case_and_spacing():
    header = ["entry_id", " date ", "BANK ID", "kind", "KG", "household-id", "Loan_ID", "note"]
    found, issues = rice(["RL-0001", "25/03/2018", "RB-01", "donation", 3], header=header)
    assert issues == [] and found.frame["kg"].tolist() == [3.0]


def test_a_duplicate_key_points_at_the_first_use():
    _, issues = rice(
        ["RL-0001", "25/03/2018", "RB-01", "donation", 3],
        ["RL-0002", "25/03/2018", "RB-01", "donation", 3],
        ["RL-0001", "26/03/2018", "RB-01", "donation", 4],
    )
    assert where(issues) == [("rice_ledger", 4, "Entry ID", "A4", "RL-0001", "key.duplicate", "error")]
    assert issues[0].message == (
        "Row 4: 'Entry ID' 'RL-0001' is also used in row 2; each row needs its own. Give this row a new id in cell A4.")


def test_a_composite_key_is_duplicate_only_when_all_its_parts_are():
    header = ["Commune code", "Year", "TIP in development plan", "TIP in investment plan"]
    rows = [["200101", 2017, "Yes", "No"], ["200101", 2018, "Yes", "No"], [200101, 2017.0, "y", "n"]]
    _, issues = validate_tab(tab("commune_plans"), Grid("commune_plans", header, rows))
    assert where(issues) == [("commune_plans", 4, "Commune code", "A4", 200101, "key.duplicate", "error")]


def test_a_missing_tab_is_one_issue_and_an_empty_typed_frame():
    found, issues = validate_tab(tab("rice_ledger"), None)
    assert where(issues) == [("rice_ledger", None, None, None, None, "tab.missing", "error")]
    assert len(found.frame) == 0 and str(found.frame["date"].dtype) == "datetime64[us]"


def test_links_point_at_the_cell():
    grid = Grid("rice_ledger", RICE_HEADER, [["RL-0001", "25/03/2018", "RB-01", "donation", 0]])
    _, issues = validate_tab(tab("rice_ledger"), grid, link=lambda t, cell: f"https://sheet/{t}#{cell}")
    assert [i.link for i in issues] == ["https://sheet/rice_ledger#E2"]


def test_dates_follow_the_date_order_setting():
    grid = Grid("rice_ledger", RICE_HEADER, [["RL-0001", "03/25/2018", "RB-01", "donation", 1]])
    found, issues = validate_tab(tab("rice_ledger"), grid, date_order="month_first")
    assert issues == [] and found.frame["date"].tolist() == [pd.Timestamp("2018-03-25")]
    _, issues = validate_tab(tab("rice_ledger"), grid)  # day first: month 25 does not exist
    assert where(issues) == [("rice_ledger", 2, "Date", "B2", "03/25/2018", "cell.not_a_date", "error")]
    assert "dd/mm/yyyy" in issues[0].message


def test_xlsx_datetimes_are_values_as_read_in_iso():
    grid = Grid("rice_ledger", RICE_HEADER, [["RL-1", dt.datetime(2018, 3, 25), "RB-01", "donation", 1]])
    _, issues = validate_tab(tab("rice_ledger"), grid)
    assert where(issues) == [("rice_ledger", 2, "Entry ID", "A2", "RL-1", "value.bad_format", "error")]


@pytest.mark.parametrize("spec", TABS, ids=lambda t: t.name)
def test_every_tab_with_only_a_header_is_clean(spec):
    header = [c.title for c in spec.columns]
    found, issues = validate_tab(spec, Grid(spec.name, header, []))
    assert issues == [] and len(found.frame) == 0
