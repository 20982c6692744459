"""One date form wherever a person types a date: in the Tables grid and its add form dates are typed as text
in the sheet's date order (BACKOFFICE_DATE_ORDER) and read by the sheet's own rules (schemas.coerce, through
connectors.sync): 03/04/2018 is 3 April or 4 March by that order, 2018-04-03 is read in both, and 31/02/2018
is refused with the sheet's message - never turned into another day. AppTest, the real runtime: no
exception on any input (the browser test checks the server's log)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from schemas.registry import tab as registered_tab
from tests.conftest import app_on
from tests.factories import small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
FORMS = {"day_first": "dd/mm/yyyy (for example 25/12/2018)", "month_first": "mm/dd/yyyy (for example 12/25/2018)"}
# What is typed -> the day it is, by date order (None: refused).
TYPED = {"day_first": [("2018-04-03", dt.date(2018, 4, 3)), ("03/04/2018", dt.date(2018, 4, 3)), ("31/02/2018", None)],
         "month_first": [("2018-04-03", dt.date(2018, 4, 3)), ("03/04/2018", dt.date(2018, 3, 4)), ("31/02/2018", None)]}


@pytest.fixture
def titled(monkeypatch, tmp_path):
    book = small_book()
    for name in ("households", "rice_ledger"):
        book[name][0] = [c.title for c in registered_tab(name).columns]
    return app_on(write_xlsx(book, tmp_path / "dates.xlsx"), monkeypatch, tmp_path)


def _tables(tab: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value(tab).run()
    assert not at.exception, at.exception
    return at


def _day(workbook: Path, tab: str, key: str, column: int) -> dt.date:
    rows = WorkbookSource(workbook).read([tab])[tab].rows
    return pd.Timestamp(next(r[column] for r in rows if r[0] == key)).date()


def _problems(at: AppTest) -> list[tuple[str, str, str]]:
    [errors] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    return list(errors[["Row", "Column", "Problem"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("order", ["day_first", "month_first"])
def test_a_date_typed_in_the_grid_is_read_by_the_sheets_rules_in_its_date_order(titled, monkeypatch, order):
    monkeypatch.setenv("BACKOFFICE_DATE_ORDER", order)
    at = _tables("households")
    for typed, day in TYPED[order]:
        before = _day(titled, "households", "HH-0042", 9)
        [grid] = [d for d in at.data_editor if d.key.startswith("tables_editor_households_")]
        at.session_state[grid.key] = {"edited_rows": {1: {"enrolled_on": typed}}, "added_rows": [], "deleted_rows": []}
        at.run()
        at.button(key="tables_save").click().run()
        assert not at.exception, (typed, at.exception)
        if day is None:
            assert _problems(at) == [("HH-0042", "Enrolled on", f"Row 3: 'Enrolled on' is '{typed}', which is not a date we can read. "
                                                                f"Type it as {FORMS[order]} in cell J3.")]
            assert _day(titled, "households", "HH-0042", 9) == before  # refused: nothing written, nothing adjusted
        else:
            assert _day(titled, "households", "HH-0042", 9) == day, typed
            [grid] = [d for d in at.data_editor if d.key.startswith("tables_editor_households_")]
            assert grid.value.loc[3, "enrolled_on"] == day.strftime("%d/%m/%Y" if order == "day_first" else "%m/%d/%Y")
    assert any(FORMS[order].split(" (")[0] in c.value for c in at.caption)  # the date order is said on the page


@pytest.mark.parametrize("order", ["day_first", "month_first"])
def test_a_date_typed_in_the_add_form_is_read_the_same_way(titled, monkeypatch, order):
    monkeypatch.setenv("BACKOFFICE_DATE_ORDER", order)
    at = _tables("rice_ledger")
    assert at.text_input(key="tables_add_rice_ledger_date").placeholder == FORMS[order].split(" (")[0]
    for typed, day in TYPED[order]:
        key = at.text_input(key="tables_add_rice_ledger_entry_id").value
        at.text_input(key="tables_add_rice_ledger_date").input(typed)
        at.selectbox(key="tables_add_rice_ledger_bank_id").set_value("RB-01")
        at.selectbox(key="tables_add_rice_ledger_kind").set_value("donation")
        at.text_input(key="tables_add_rice_ledger_kg").input("25")
        [submit] = [b for b in at.button if b.label == "Add the row"]
        submit.click().run()
        assert not at.exception, (typed, at.exception)
        keys = [r[0] for r in WorkbookSource(titled).read(["rice_ledger"])["rice_ledger"].rows]
        if day is None:
            assert key not in keys
            row = len(keys) + 2  # the row it would have taken, under the header and the rows there
            assert _problems(at) == [(key, "Date", f"Row {row}: 'Date' is '{typed}', which is not a date we can read. "
                                                   f"Type it as {FORMS[order]} in cell B{row}.")]
            assert at.text_input(key="tables_add_rice_ledger_date").value == typed  # kept, to correct
        else:
            assert _day(titled, "rice_ledger", key, 1) == day, typed
