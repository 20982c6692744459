"""How a cell shows in the Tables grid and its forms: as the text a person would type, never a widget that
reads it differently from the sheet.

- Dates are text in the sheet's date order (BACKOFFICE_DATE_ORDER: 03/04/2018 is 3 April when day_first),
  read back by the schema's own coercion (schemas.coerce, through connectors.sync) - so 31/02/2018 is
  refused with the sheet's message, never turned into 3 March; a browser's date picker (mm/dd/yyyy, or a
  five-digit year) is never in between.
- Numbers are text too (ui.table_editor.editor_frame says why); yes/no cells are "yes" / "no" codes picked
  by their labels, so a blank stays blank (a checkbox shows a blank as "no").
- A cell the schema could not read ("abc" in Kg, "31/02/2018") shows what was typed, from its issue; the
  row's problems are written beside it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from schemas.base import blank
from schemas.coerce import DATE_FORMATS
from schemas.i18n import _
from ui.cell_links import schema_column

YES, NO = "yes", "no"
PROBLEMS = "_problems"  # the grid's column of each row's problems (read-only, never sent)
WARNING_MARK = "⚠"


def date_format(date_order: str) -> tuple[str, str]:
    """("dd/mm/yyyy", "25/12/2018"): how dates are typed in this sheet, and an example."""
    return DATE_FORMATS.get(date_order, DATE_FORMATS["day_first"])


def date_text(value: Any, date_order: str) -> str | None:
    """A cached date as it is typed in the sheet's order: 2018-04-03 -> "03/04/2018" (day_first)."""
    if blank(value):
        return None
    day = pd.Timestamp(value).date() if not isinstance(value, dt.date) or isinstance(value, dt.datetime) else value
    pattern = date_format(date_order)[0]
    return pattern.replace("dd", f"{day.day:02d}").replace("mm", f"{day.month:02d}").replace("yyyy", f"{day.year:04d}")


def date_hint(date_order: str) -> str:
    form, example = date_format(date_order)
    return _("Type dates as {form}, for example {example} (or yyyy-mm-dd).").format(form=form, example=example)


def date_input_format(date_order: str) -> str:
    """st.date_input's `format` for the sheet's date order ("DD/MM/YYYY"), for the filters' date pickers."""
    return date_format(date_order)[0].upper()


def number_text(value: Any) -> str | None:
    """A cached number as a person would type it: 70.0 -> "70", 0.5 -> "0.5"; blank -> None."""
    if blank(value):
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def yes_no_code(value: Any) -> str | None:
    if blank(value):
        return None
    return YES if bool(value) else NO


def yes_no_label(code: Any) -> str:
    """The label of a yes/no code in the reader's language; anything else (what was typed) as it is."""
    if blank(code):
        return ""
    return {YES: _("Yes"), NO: _("No")}.get(code, str(code))


def unreadable_cells(issues: pd.DataFrame) -> dict[tuple[int, str], str]:
    """(sheet row, schema column) -> the text typed there, for cells the schema could not read."""
    if issues.empty:
        return {}
    found: dict[tuple[int, str], str] = {}
    for row, header, value, rule, tab in zip(issues["row"], issues["column"], issues["value"], issues["rule"], issues["tab"], strict=True):
        column = schema_column(tab, header)
        if str(rule).startswith("cell.") and column is not None and not blank(row) and not blank(value) and str(value) != "":
            found.setdefault((int(row), column), str(value))
    return found


def problems_by_row(issues: pd.DataFrame) -> dict[int, str]:
    """Sheet row -> its problems in one line ("⚠ ... · ⚠ ...")."""
    lines: dict[int, list[str]] = {}
    for row, message in zip(issues["row"], issues["message"], strict=True):
        if not blank(row):
            lines.setdefault(int(row), []).append(f"{WARNING_MARK} {message}")
    return {row: " · ".join(texts) for row, texts in lines.items()}
