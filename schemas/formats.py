"""How a value reads to a person, in the current language: coded values' labels, column titles, dates,
numbers, riel and compact metrics. One place for pages, ui, the charts and the donor pack (no Streamlit).

- A coded value shows its label declared in the schema column (`column(..., labels=...)`), never its code.
- A blank is blank: None, NaN and NaT read "" everywhere.
- Dates read "dd Mon yyyy" (Babel, so Khmer month names in Khmer); numbers are grouped per locale.
- A metric is compact from a million ("118.4 M ៛"; "82,592" in full) so it never truncates; `exact` gives the full figure for its help.
- A table shown reads in titles and labels; a download for people (`download_frame`) too, but keeps dates
  ISO (yyyy-mm-dd) and numbers plain so a spreadsheet still sorts and sums them.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

import pandas as pd
from babel.dates import format_date as babel_date
from babel.numbers import format_compact_decimal

from schemas.base import ColumnSpec, blank
from schemas.column_titles import COLUMN_TITLES
from schemas.i18n import HUGE, current_language, gettext, written_number

# A column `c` may come with a column `c` + HIDDEN: where that holds a mark ("<5": a count the gateway hid,
# insights.small_counts), the mark is what `c` reads - its value there is missing, never a number.
HIDDEN = "_hidden"
# Columns the app adds to a tab's rows: where a row sits in its sheet.
INTERNAL_TITLES = {"sheet_row": "Row", "_row": "Row", "row": "Row"}
# A unit at the end of a computed column's name becomes its title's unit: capital_riel -> "Capital (riel)".
_UNITS = {"riel": "riel", "usd": "$", "kg": "kg", "pct": "%", "km": "km"}
_YES_NO = {True: "Yes", False: "No"}


# -- labels of coded values ----------------------------------------------------------------------------

def _spec(column: ColumnSpec | str) -> ColumnSpec:
    """A ColumnSpec, or "tab.column" looked up in the registry."""
    if isinstance(column, ColumnSpec):
        return column
    from schemas.registry import tab  # the registry imports every schema; formats is imported by them never

    tab_name, _, name = column.partition(".")
    return tab(tab_name).column(name)


def label(column: ColumnSpec | str, value: Any) -> str:
    """`value` of a coded column as a person reads it in the current language ("passed_on" -> "Passed on").
    A blank reads ""; a value the column declares no label for reads as it is (validation flags it)."""
    if blank(value):
        return ""
    found = _spec(column).label(value, current_language())
    return found if found is not None else str(value)


def labels_of(column: ColumnSpec | str) -> dict[str, str]:
    """code -> label in the current language, in the column's declared order (legend and filter order)."""
    spec = _spec(column)
    return {code: spec.label(code, current_language()) or code for code, *_ in spec.labels}


@cache
def _labels_by_name(language: str) -> dict[str, dict[str, str]]:
    """Column name -> code -> label over every registered tab: a computed frame's `kind` or `sex` column
    carries the codes of the tab column it came from, and one name means one thing across the tabs."""
    from schemas.registry import TABS

    merged: dict[str, dict[str, str]] = {}
    for registered in TABS:
        for spec in registered.columns:
            for code, *_ in spec.labels:
                merged.setdefault(spec.name, {}).setdefault(code, spec.label(code, language) or code)
    return merged


def declared_labels(name: str) -> list[str]:
    """The labels of the coded column `name` (any tab's column of that name) in their declared order, in the
    current language; [] for a column that holds no codes."""
    return list(_labels_by_name(current_language()).get(name, {}).values())


def labelled(frame: pd.DataFrame, columns: dict[str, ColumnSpec | str] | None = None) -> pd.DataFrame:
    """The frame with its coded columns' values replaced by their labels. `columns`: column -> the schema
    column it holds ("activities.kind"); without it, any column named like a coded schema column."""
    out = frame.copy()
    by_name = _labels_by_name(current_language())
    for name in out.columns:
        if columns is not None and name in columns:
            names = labels_of(columns[name])
        elif columns is None and name in by_name:
            names = by_name[name]
        else:
            continue
        out[name] = out[name].map(lambda v, names=names: "" if blank(v) else names.get(v, str(v))).astype(object)
    return out


def yes_no(value: Any) -> str:
    """True -> "Yes"; a text (a masked "•••") stays as it is."""
    if blank(value):
        return ""
    return value if isinstance(value, str) else gettext(_YES_NO[bool(value)])


# -- titles ----------------------------------------------------------------------------------------------

@cache
def _titles_by_name() -> dict[str, str]:
    from schemas.registry import TABS

    titles: dict[str, str] = {}
    for registered in TABS:
        for spec in registered.columns:
            titles.setdefault(spec.name, spec.title)
    return titles


def humanise(name: str) -> str:
    """A computed column's name as a title: "loans_outstanding_riel" -> "Loans outstanding (riel)"."""
    words = [w for w in str(name).split("_") if w]
    if not words:
        return str(name)
    unit = _UNITS.get(words[-1]) if len(words) > 1 else None
    if unit:
        words = words[:-1]
    text = " ".join("ID" if w == "id" else w for w in words)
    text = gettext(text[:1].upper() + text[1:])  # "Loans outstanding" is often a catalog text already
    return f"{text} ({unit})" if unit else text


def _registered(tab: Any) -> Any:
    """A registered Tab from a Tab or its name (None stays None)."""
    if isinstance(tab, str):
        from schemas.registry import tab as registered_tab

        return registered_tab(tab)
    return tab


def title(name: str, tab: Any = None) -> str:
    """What a table header shows for column `name` (of `tab`, a registered Tab or its name, when given)."""
    tab = _registered(tab)
    if name in INTERNAL_TITLES:
        return gettext(INTERNAL_TITLES[name])
    if tab is not None and name in {c.name for c in tab.columns}:
        return gettext(tab.column(name).title)
    if not re.fullmatch(r"[a-z0-9_]+", str(name)):
        return str(name)  # already a title ("Row", "What is wrong")
    return gettext(_titles_by_name().get(name) or COLUMN_TITLES.get(name) or humanise(name))


# -- dates and numbers --------------------------------------------------------------------------------------

def format_date(value: Any, pattern: str = "dd MMM y") -> str:
    """A date as "21 Feb 2016" (Khmer month names in Khmer); blank stays blank."""
    if blank(value):
        return ""
    if isinstance(value, str):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_date(value, pattern, locale=current_language())


def format_number(value: Any, decimals: int = 0) -> str:
    """1234567.8 -> "1,234,568" (grouped per locale); `decimals` digits at most; blank stays blank."""
    if blank(value):
        return ""
    if isinstance(value, str):
        return value  # a masked count ("<5") or a text already formatted
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return written_number(value, pattern, current_language())  # inf, 1e308, -0: never raises


def format_share(value: Any) -> str:
    """0.423 -> "42%"."""
    if blank(value):
        return ""
    return value if isinstance(value, str) else written_number(value, "#,##0%", current_language(), percent=True)


def compact(value: Any, unit: str = "") -> str:
    """A metric that fits its box: 118_388_000 -> "118.4 M" (Khmer: "118.4 លាន"); under a million in full
    ("82,592": seven characters fit, and a donor reads the count itself, not "82.6 k"). `unit` follows
    ("118.4 M ៛"). A text (a masked "<5") stays as it is."""
    if blank(value):
        return "–"
    if isinstance(value, str):
        return value
    try:
        if abs(value) < 1_000_000:
            text = format_number(value, decimals=1 if abs(value) < 100 and float(value) != int(value) else 0)
        elif abs(value) >= HUGE:
            text = format_number(value)  # 1.18E21: no word for that size
        else:
            text = format_compact_decimal(value, format_type="short", locale=current_language(), fraction_digits=1)
            if current_language() == "en":
                text = re.sub(r"(?<=\d)([KMBT])$", lambda m: " " + ("k" if m[1] == "K" else m[1]), text)
    except (ArithmeticError, ValueError, TypeError):  # inf, NaN of a kind blank() does not see
        text = format_number(value)
    return f"{text} {unit}".strip()


def exact(value: Any, unit: str = "") -> str:
    """The full figure behind a compact metric, for its help: "118,388,000 ៛"."""
    return f"{format_number(value, decimals=2)} {unit}".strip() if not blank(value) else ""


# -- whole frames ---------------------------------------------------------------------------------------------

def _is_date(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, dt.date) for v in values)


def _has_time(series: pd.Series) -> bool:
    """A column of moments (a refresh, an audit entry), not of days."""
    values = pd.to_datetime(series.dropna(), errors="coerce").dropna()
    return len(values) > 0 and bool((values != values.dt.normalize()).any())


def _with_time(date: Any) -> Any:
    """`date`'s writing of a day, then the time: "21 Feb 2016 14:05:09" (ISO: "2016-02-21 14:05:09")."""
    return lambda v: "" if blank(v) else f"{date(v)} {pd.Timestamp(v):%H:%M:%S}"


def marks(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """column -> its marks (see HIDDEN), for the columns that have some."""
    return {c: frame[c + HIDDEN] for c in frame.columns if isinstance(c, str) and c + HIDDEN in frame.columns}


def marked(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column with marks as one column of its numbers and, where hidden, its mark ("<5"); the marks'
    own columns dropped (a table, a workbook sheet: the counts stay numbers, the hidden ones read "<5")."""
    found = marks(frame)
    out = frame.drop(columns=[c + HIDDEN for c in found])
    for column, mark in found.items():
        out[column] = _with_marks(out[column], mark)
    return out


def _with_marks(values: pd.Series, mark: pd.Series) -> pd.Series:
    """The values (Python numbers, blanks None), with the mark where there is one."""
    plain = [m if isinstance(m, str) else None if blank(v) else v.item() if hasattr(v, "item") else v for v, m in zip(values, mark, strict=False)]
    return pd.Series(plain, index=values.index, dtype=object)


def _for_people(frame: pd.DataFrame, tab: Any, date: Any, number: Any, percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """Labels, Yes/No and titles; dates and numbers as `date` and `number` write them (None: as they are);
    `percent` columns (and any share_*) as "42%" when numbers are written; a hidden count as its mark."""
    hidden = marks(frame)
    frame = frame.drop(columns=[c + HIDDEN for c in hidden])
    tab = _registered(tab)
    specs = {c.name: c for c in tab.columns} if tab is not None else {}
    out = labelled(frame, {n: s for n, s in specs.items() if s.labels} if tab is not None else None)
    for name in out.columns:
        series = out[name]
        if pd.api.types.is_bool_dtype(series) or (specs.get(name) is not None and specs[name].kind == "bool"):
            out[name] = series.map(yes_no).astype(object)
        elif _is_date(series):
            out[name] = series.map(_with_time(date) if _has_time(series) else date).astype(object)
        elif number is not None and str(name) in ("year", "grade", "generation"):
            out[name] = series.map(lambda v: "" if blank(v) else str(v) if isinstance(v, str) else str(int(v))).astype(object)
        elif number is not None and (name in percent or str(name).startswith("share_")):
            out[name] = series.map(lambda v: v if isinstance(v, str) else format_share(v)).astype(object)
        elif pd.api.types.is_numeric_dtype(series):
            if number is not None:
                decimals = 0 if pd.api.types.is_integer_dtype(series) else 2
                out[name] = series.map(lambda v, d=decimals: number(v, d)).astype(object)
        elif number is not None:
            out[name] = series.map(lambda v: "" if blank(v) else str(v)).astype(object)
    for name, mark in hidden.items():
        out[name] = _with_marks(out[name], mark)
    out.columns = [title(c, tab) for c in out.columns]
    if out.index.name in INTERNAL_TITLES:
        out.index.name = gettext(INTERNAL_TITLES[out.index.name])
    return out


def display_frame(frame: pd.DataFrame, tab: Any = None, percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table as a person reads it: titles as headers, labels for codes, Yes/No, dates "dd Mon yyyy",
    numbers grouped, shares as "42%", blanks blank. Every cell is text, so the grid never shows "None" or "NaN"."""
    return _for_people(frame, tab, format_date, format_number, percent)


def _iso(value: Any) -> str:
    return "" if blank(value) else pd.Timestamp(value).date().isoformat()


def download_frame(frame: pd.DataFrame, tab: Any = None) -> pd.DataFrame:
    """A download for people: titles and labels like the table on screen, blanks blank, but dates ISO and
    numbers plain (a spreadsheet sorts and sums them)."""
    return _for_people(frame, tab, _iso, None)


def period_text(start: dt.date, end: dt.date) -> str:
    """A period as a sentence says it: "2018" for a whole year, "2016–2018" for whole years, else
    "21 Feb 2016 – 30 Jun 2016"."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return f"{format_date(start)} – {format_date(end)}"
