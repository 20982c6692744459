"""The pack as a workbook: an "About" sheet (year, source, freshness, data problems) and one sheet per
programme with its sentences, its figures (one per row: figure, value) and the aggregated tables behind
them and behind its chart. Counts hidden as "<5" stay text; everything else keeps its number type."""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.pack import Pack
from schemas.i18n import LANGUAGES
from schemas.i18n import gettext as _

RESULTS, FIGURES, NOTES = "Results", "Figures", "Left out"
BOLD = Font(bold=True)
HEADING = Font(bold=True, size=13)


def sheet_title(title: str) -> str:
    """A valid sheet name (31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def workbook_bytes(pack: Pack) -> bytes:
    book = Workbook()
    about = book.active
    about.title = sheet_title(_("About"))
    _about(about, pack)
    for programme in pack.programmes:
        sheet = book.create_sheet(sheet_title(programme.title))
        rows = _Rows(sheet)
        rows.add([f"{programme.title} — {pack.year}"], HEADING)
        rows.section(_(RESULTS), [[s] for s in programme.sentences])
        rows.section(_(FIGURES), [[name, value] for _key, name, value in programme.figures], header=[_("Figure"), _("Value")],
                     formats={row: _number_format(key) for row, (key, _name, _value) in enumerate(programme.figures)})
        if programme.notes:
            rows.section(_(NOTES), [[n] for n in programme.notes])
        for title, frame in programme.tables.items():
            rows.section(title, frame.itertuples(index=False, name=None), header=list(frame.columns))
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(sheet, pack: Pack) -> None:
    rows = _Rows(sheet)
    rows.add([_("CCPCR results for {year}").format(year=pack.year)], HEADING)
    rows.add([_("Language"), LANGUAGES.get(pack.language, pack.language)])
    if pack.place:
        rows.add([_("Place"), pack.place])
    rows.add([_("Small counts"), _("Counts below the threshold read \"<5\" (as for viewers); no personal data.")])
    rows.section(_("Source and freshness"), [[line] for line in pack.source_lines()])
    rows.section(_("Data problems"), [[p] for p in pack.problems] or [[_("None: every figure is complete.")]])
    sheet.column_dimensions["A"].width = 60


class _Rows:
    """Writes rows one after the other, a blank row between sections."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def add(self, values: list[Any], font: Font | None = None, number_format: str | None = None) -> None:
        self.sheet.append([_cell(v) for v in values])
        for cell in self.sheet[self.sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # openpyxl would store it as a formula: a name typed "=..." stays a name
            if font is not None:
                cell.font = font
            if number_format and isinstance(cell.value, (int, float)):
                cell.number_format = number_format

    def section(self, title: str, rows, header: list[str] | None = None, formats: dict[int, str | None] | None = None) -> None:
        self.sheet.append([])
        self.add([title], BOLD)
        if header:
            self.add(header, BOLD)
        for index, row in enumerate(rows):
            self.add(list(row), number_format=(formats or {}).get(index))


def _number_format(key: str) -> str | None:
    if key.rpartition(".")[2].startswith("share_"):
        return "0%"
    return None


def _cell(value: Any) -> Any:
    """A value openpyxl writes as the type it is: "<5" as text, dates as dates, missing as empty."""
    if isinstance(value, str):
        return str(value)  # a SmallCount ("<5") included
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
