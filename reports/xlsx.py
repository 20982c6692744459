"""The pack as a workbook: an "About" sheet (year, where the figures come from, what they leave out) and one
sheet per programme with its sentences, its figures (one per row: figure, value) and the tables behind
them, the chart's own table among them. Counts are numbers a spreadsheet sums; a hidden one is its mark
("<5") in its own cell. Every cell is set in Noto Sans Khmer (it holds Latin letters too), so Khmer does
not show as boxes where no Khmer font is installed, and every text is XML-safe (openpyxl refuses control
characters)."""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.charts import FONT_FAMILY
from reports.pack import Pack
from schemas.i18n import LANGUAGES, N_
from schemas.i18n import gettext as _
from schemas.safe_text import xml_safe

RESULTS, FIGURES, NOTES = N_("Results"), N_("Figures"), N_("Left out")
TEXT = Font(name=FONT_FAMILY, size=11)
BOLD = Font(name=FONT_FAMILY, size=11, bold=True)
HEADING = Font(name=FONT_FAMILY, size=13, bold=True)


def sheet_title(title: str) -> str:
    """A valid sheet name (31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", xml_safe(title))[:31]


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
        if programme.figures:
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
    rows.add([_("Small counts"), pack.privacy_note()])
    rows.section(_("About these figures"), [[line] for line in pack.provenance()])
    rows.section(_("What the figures leave out"), [[p] for p in pack.problems] or [[_("Nothing: every record could be used.")]])
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
            cell.font = font or TEXT
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
    """A value openpyxl writes as the type it is: a hidden count's mark ("<5") as text, counts as numbers,
    dates as dates, missing as empty; text made XML-safe."""
    if isinstance(value, str):
        return xml_safe(str(value))  # a SmallCount ("<5") included
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
