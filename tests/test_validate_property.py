"""Whatever a sheet holds, validation answers with issues, never an exception; and every cell it could
not read is exactly one issue, at that cell, carrying what was in it."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.sources.interface import Grid
from schemas.issues import a1
from schemas.registry import TABS
from schemas.validate import validate_workbook

TYPED_TEXT = st.sampled_from([
    "", " ", "Yes", "no", "បាទ", "ទេ", "១២៣", "13 000", "139,791,300", "$34,947.83", "៛4000", "25/03/2018",
    "31/02/2018", "2018-03-25", "03/25/2018", "=SUM(A1:A9)", "NaN", "null", "n/a", "💩", "1e309", "-0", "0.5",
    "HH-0001", "20010101", "female", "loan", "10%", "\t", "x" * 5000,
])
CELLS = st.one_of(
    st.none(),
    TYPED_TEXT,
    st.text(max_size=30),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value))


READ_WITH_A_WARNING = {"cell.read_as", "cell.merged"}


@st.composite
def workbooks(draw):
    grids = {}
    for spec in TABS:
        header = [c.title for c in spec.columns]
        rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 1), max_size=3))
        grids[spec.name] = Grid(spec.name, header, rows)
    return grids


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workbooks())
def test_any_cells_give_issues_never_an_exception_and_one_issue_per_unreadable_cell(grids):
    frames, issues = validate_workbook(grids)
    # "cell.read_as" and "cell.merged" are warnings on cells that WERE read (a human form, a merge's value).
    unreadable = Counter((i.tab, i.cell) for i in issues if i.rule.startswith("cell.") and i.rule not in READ_WITH_A_WARNING)
    # A number past NUMBER_LIMIT is read but never stored: too large (or small) for any column, once.
    out_of_bounds = Counter((i.tab, i.cell) for i in issues if i.rule in ("value.too_large", "value.too_small"))
    assert all(count == 1 for count in (unreadable + out_of_bounds).values())
    flagged = {(i.tab, i.cell) for i in issues if i.cell}
    for name, found in frames.items():
        grid = grids[name]
        frame = found.frame
        for position, row in enumerate(frame["_row"].tolist()):
            raw = grid.rows[row - grid.first_row]
            for column, index in found.columns.items():
                value = raw[index] if index < len(raw) else None
                cell = (name, a1(index, row))
                if not is_blank(value) and pd.isna(frame[column].iat[position]):
                    assert cell in unreadable or cell in out_of_bounds, (cell, value)
                elif cell in unreadable:
                    raise AssertionError(f"{cell} read as {frame[column].iat[position]!r} yet reported unreadable")
        for issue in issues:
            assert issue.severity in ("error", "warning") and issue.message
            if issue.tab == name and issue.cell and issue.row and issue.row > 1:
                assert issue.row in set(frame["_row"].tolist())
    assert flagged is not None
