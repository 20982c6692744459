"""Turn what staff really type into the schema's types, before pandera sees it.

One column at a time, vectorised (Arrow string kernels and numpy), because a sheet can hold a million
rows. What a cell holds is never guessed at: a cell that cannot be read becomes null and is listed
under exactly one rule id in `Coerced.bad`, and validation turns that into one issue carrying the
original text.

What is read, per column kind:

- text: stray spaces trimmed, a whitespace-only cell is blank. Numbers become their digits (9.0 ->
  "9"); in a gazetteer code column (`code_width`) digit-only codes are zero-padded, because a sheet
  drops the leading zero of a code typed as a number (province 9 -> "09"); Khmer digits become 0-9.
- int / float: sheet numbers; text with Khmer digits (០-៩), thousands separators in groups of three
  ("139,791,300", "13 000"), a currency mark before or after ("$34,947.83", "៛", "riel", "KHR"),
  a sign and an exponent. A dollar amount in a column of unit riel is `cell.wrong_currency` (converting
  it would be a guess at the day's rate); "%" is read only in a column of unit %. An int column takes a
  whole float (3.0 -> 3); 3.5 is `cell.not_whole`. Booleans and dates are not numbers. Past NUMBER_LIMIT
  (either side) a number is `value.too_large` / `value.too_small`, not stored.
- date: sheet serials (days since 1899-12-30; only between 1950 and 2100, so a count typed into a
  date cell is not taken for a day in 1905), date/datetime objects (xlsx), ISO "2018-03-25" (and
  yyyy/mm/dd), and dd/mm/yyyy or mm/dd/yyyy by `date_order`. The year must have 4 digits, and a day
  or month that does not exist (31/02/2018, 13/25/2018) is an issue: the two are never swapped. The
  time of day is dropped: every date column holds dates.
- bool: Yes/No, Y/N, TRUE/FALSE, 1/0 (number or text), បាទ/ចាស (yes), ទេ/អត់/មិនមែន (no), any case.
  A blank is missing, never "no", so a tick mark such as "x" or "✓" is not read: with ticks, an
  unticked cell could not be told from a forgotten one.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schemas.base import ColumnSpec

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
TRUE_WORDS = ["yes", "y", "true", "1", "បាទ", "ចាស"]
FALSE_WORDS = ["no", "n", "false", "0", "ទេ", "អត់", "មិនមែន"]

SHEET_EPOCH_OFFSET = 25569  # the sheet serial of 1970-01-01 (serial 0 = 1899-12-30)
SERIAL_MIN = 18264  # 1950-01-01: earlier "dates" are far more likely a number typed in a date cell
SERIAL_MAX = 73415  # 2100-12-31
# No count, weight or amount a programme keeps comes near this: a value past it is a typo or a paste
# (kg = 1e26), too large or too small for any column. Nothing past it is stored, so no figure, sum or
# cache column (BIGINT) has to hold it.
NUMBER_LIMIT = 1e15

# Kinds of raw cell, as a source hands them over.
BLANK, TEXT, INT, FLOAT, BOOL, DATETIME, OTHER = range(7)
_TYPE_KIND = {
    type(None): BLANK, str: TEXT, int: INT, float: FLOAT, bool: BOOL,
    dt.datetime: DATETIME, dt.date: DATETIME, pd.Timestamp: DATETIME, np.datetime64: DATETIME,
    type(pd.NA): BLANK, type(pd.NaT): BLANK,
    np.int64: INT, np.int32: INT, np.float64: FLOAT, np.float32: FLOAT, np.bool_: BOOL,
}
# pandas' own one-pass type inference covers the usual case of a column of one type.
_INFERRED_KIND = {"string": TEXT, "integer": INT, "floating": FLOAT, "mixed-integer-float": FLOAT,
                  "boolean": BOOL, "datetime": DATETIME, "date": DATETIME, "datetime64": DATETIME,
                  "empty": BLANK}

_SPACE = r"[\s\x{00A0}\x{202F}]"
_NUMBER = (
    r"(?i)^(?P<pre>\$|usd|khr|៛)?" + _SPACE + r"*(?P<sign>[+-]?)" + _SPACE + r"*"
    r"(?P<digits>\d{1,3}(?:[," + r"\x{00A0}\x{202F} " + r"]\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<exp>e[+-]?\d+)?" + _SPACE + r"*(?P<post>\$|usd|khr|៛|riels?|%)?$"
)
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_DATE = r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME + "$"
_TYPED_DATE = r"^(?P<first>\d{1,2})[-/.](?P<second>\d{1,2})[-/.](?P<year>\d{4})" + _TIME + "$"
DATE_FORMATS = {"day_first": ("dd/mm/yyyy", "25/12/2018"), "month_first": ("mm/dd/yyyy", "12/25/2018")}


@dataclass
class Coerced:
    """One column, typed: its values, which cells were blank, and which could not be read."""

    values: Any  # a pandas array of the column's dtype, nulls where blank or unreadable
    blank: np.ndarray  # bool per cell: nothing was typed (None, "", spaces)
    bad: dict[str, np.ndarray] = field(default_factory=dict)  # rule id -> positions unreadable


def kinds_of(raw: np.ndarray) -> np.ndarray:
    """The kind of each raw cell (BLANK, TEXT, ...); NaN and pd.NA count as blank, except in a
    column of text and blanks, which is all TEXT: the text readers count its nulls as blank."""
    inferred = _INFERRED_KIND.get(pd.api.types.infer_dtype(raw, skipna=True))
    if inferred == TEXT:  # Arrow finds the blanks of a text column itself, for less
        return np.full(len(raw), TEXT, dtype=np.int8)
    if inferred is not None:
        kinds = np.full(len(raw), inferred, dtype=np.int8)
    else:
        kinds = np.fromiter(map(_TYPE_KIND.get, map(type, raw), repeat(OTHER)), np.int8, len(raw))
        others = np.flatnonzero(kinds == OTHER)
        if len(others):  # subclasses: a calamine or openpyxl date may be a subclass of dt.date
            kinds[others[[isinstance(v, dt.date) for v in raw[others]]]] = DATETIME
            kinds[others[pd.isna(raw[others])]] = BLANK  # pd.NA, pd.NaT
        floats = np.flatnonzero(kinds == FLOAT)
        kinds[floats[pd.isna(raw[floats])]] = BLANK  # NaN
        return kinds
    kinds[pd.isna(raw)] = BLANK
    return kinds


def _arrow_text(raw: np.ndarray) -> pa.Array:
    """Text cells trimmed, with Khmer digits as 0-9 only when there are any (it costs ten passes)."""
    return pc.utf8_trim_whitespace(pa.array(raw, type=pa.string(), from_pandas=True))


def _blank_text(text: pa.Array) -> np.ndarray:
    """Null or empty after trimming."""
    return np.asarray(pc.fill_null(pc.equal(text, ""), True), dtype=bool)


def _latin_digits(text: pa.Array) -> pa.Array:
    if len(text) == 0 or pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return text
    for i, digit in enumerate(KHMER_DIGITS):
        text = pc.replace_substring(text, digit, str(i))
    return text


def _positions(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _mask(array: pa.Array) -> np.ndarray:
    """An Arrow boolean array as numpy, null = False."""
    return np.asarray(pc.fill_null(array, False), dtype=bool)


def coerce_column(raw: np.ndarray, spec: ColumnSpec, date_order: str = "day_first") -> Coerced:
    """Coerce one column of raw cells (an object array) to `spec.kind`."""
    raw = np.asarray(raw, dtype=object)
    kinds = kinds_of(raw)
    if spec.kind == "text":
        return _text(raw, kinds, spec)
    if spec.kind in ("int", "float"):
        return _number(raw, kinds, spec)
    if spec.kind == "bool":
        return _bool(raw, kinds)
    if spec.kind == "date":
        return _date(raw, kinds, date_order)
    raise ValueError(f"unknown column kind {spec.kind!r}")


def empty_column(spec: ColumnSpec, n: int) -> Any:
    """A column of n nulls of the spec's dtype (for a column the sheet does not have)."""
    dtype = {"text": "string[pyarrow]", "int": "Int64", "float": "Float64", "bool": "boolean",
             "date": "datetime64[us]"}[spec.kind]
    return pd.array([None] * n, dtype=dtype)


# --- text ---------------------------------------------------------------------------------

def _as_text(value: Any) -> str:
    """A non-text cell in a text column, written as a person would have typed it."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, np.floating)):
        if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(float(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _whole_numbers(raw: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """Which cells are sheet numbers that are whole and small enough for their digits to be exact."""
    whole = numeric.copy()
    values = _to_float(raw[numeric])
    with np.errstate(invalid="ignore"):
        whole[numeric] = np.isfinite(values) & (np.abs(values) < 2.0**53) & (values == np.floor(values))
    return whole


def _text(raw: np.ndarray, kinds: np.ndarray, spec: ColumnSpec) -> Coerced:
    numeric = (kinds == INT) | (kinds == FLOAT)
    others = _positions((kinds != TEXT) & (kinds != BLANK) & ~numeric)
    whole = None
    if numeric.any() or len(others):
        raw = raw.copy()
        raw[others] = [_as_text(v) for v in raw[others]]
        whole = _whole_numbers(raw, numeric)
        digits = pc.cast(pa.array(raw[whole].astype(np.float64).astype(np.int64)), pa.string())
        raw[whole] = None  # filled in below, as Arrow text, without a Python string per cell
        rest = _positions(numeric & ~whole)  # fractions, and integers too large for a float
        raw[rest] = [_as_text(v) for v in raw[rest]]
    raw[kinds == BLANK] = None
    text = _arrow_text(raw)
    if whole is not None and whole.any():
        text = pc.replace_with_mask(text, pa.array(whole), digits)
    if spec.code_width:
        text = _latin_digits(text)
        digits_only = pc.match_substring_regex(text, r"^\d+$")
        text = pc.if_else(digits_only, pc.utf8_lpad(text, spec.code_width, padding="0"), text)
    blank = _blank_text(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return Coerced(pd.array(text, dtype="string[pyarrow]") if len(text) else pd.array([], dtype="string[pyarrow]"), blank)


# --- numbers ------------------------------------------------------------------------------

def _numbers_from_text(raw_text: np.ndarray, spec: ColumnSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse typed numbers: values, blank mask, unreadable mask, dollar-in-riel mask."""
    text = _latin_digits(_arrow_text(raw_text))
    blank = _blank_text(text)
    parts = pc.extract_regex(text, _NUMBER)
    readable = _mask(pc.is_valid(parts))
    digits = pc.replace_substring_regex(pc.struct_field(parts, "digits"), r"[,\s\x{00A0}\x{202F}]", "")
    joined = pc.binary_join_element_wise(pc.struct_field(parts, "sign"), digits, pc.struct_field(parts, "exp"), "")
    values = np.asarray(pc.cast(pc.if_else(pc.is_valid(parts), joined, "nan"), pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    pre = pc.utf8_lower(pc.struct_field(parts, "pre"))
    post = pc.utf8_lower(pc.struct_field(parts, "post"))
    percent = _mask(pc.equal(post, "%"))
    dollars = _mask(pc.is_in(pre, pa.array(["$", "usd"]))) | _mask(pc.is_in(post, pa.array(["$", "usd"])))
    if spec.unit != "%":
        readable &= ~percent
    wrong_currency = readable & dollars & (spec.unit == "riel")
    unreadable = ~blank & ~readable
    return values, blank, unreadable, wrong_currency


def _number(raw: np.ndarray, kinds: np.ndarray, spec: ColumnSpec) -> Coerced:
    n = len(raw)
    values = np.full(n, np.nan)
    blank = kinds == BLANK
    not_number = np.isin(kinds, (BOOL, DATETIME, OTHER))
    wrong_currency = np.zeros(n, dtype=bool)
    numeric = (kinds == INT) | (kinds == FLOAT)
    if numeric.all():
        values = _to_float(raw)
    elif numeric.any():
        values[numeric] = _to_float(raw[numeric])
    typed = kinds == TEXT
    if typed.any():
        where = _positions(typed)
        parsed, text_blank, unreadable, dollars = _numbers_from_text(raw[where], spec)
        values[where] = parsed
        blank[where[text_blank]] = True
        not_number[where[unreadable]] = True
        wrong_currency[where[dollars]] = True
    not_number |= numeric & ~np.isfinite(values)  # inf, or an int too large for a float
    bad = {}
    usable = ~(blank | not_number | wrong_currency)
    with np.errstate(invalid="ignore"):  # bounded when read: past NUMBER_LIMIT a value is never stored
        huge = usable & (np.abs(values) > NUMBER_LIMIT)
    usable &= ~huge
    bad["value.too_large"] = _positions(huge & (values > 0))
    bad["value.too_small"] = _positions(huge & (values < 0))
    if spec.kind == "int":
        with np.errstate(invalid="ignore"):
            not_whole = usable & (values != np.floor(values))
        usable &= ~not_whole
        bad["cell.not_whole"] = _positions(not_whole)
        ints = np.where(usable, values, 0).astype(np.int64)
        array = pd.arrays.IntegerArray(ints, ~usable)
    else:
        array = pd.arrays.FloatingArray(np.where(usable, values, 0.0), ~usable)
    bad["cell.not_a_number"] = _positions(not_number)
    bad["cell.wrong_currency"] = _positions(wrong_currency)
    return Coerced(array, blank, {k: v for k, v in bad.items() if len(v)})


def _to_float(raw: np.ndarray) -> np.ndarray:
    try:
        return raw.astype(np.float64)
    except (OverflowError, TypeError, ValueError):  # an int past 1e308: unreadable, marked by the caller
        return np.array([_one_float(v) for v in raw], dtype=np.float64)


def _one_float(value: Any) -> float:
    try:
        return float(value)
    except (OverflowError, TypeError, ValueError):
        return math.inf


# --- yes / no -----------------------------------------------------------------------------

def _bool(raw: np.ndarray, kinds: np.ndarray) -> Coerced:
    n = len(raw)
    values = np.zeros(n, dtype=bool)
    known = np.zeros(n, dtype=bool)
    blank = kinds == BLANK
    flags = kinds == BOOL
    if flags.any():
        values[flags] = raw[flags].astype(bool)
        known |= flags
    numeric = (kinds == INT) | (kinds == FLOAT)
    if numeric.any():
        numbers = _to_float(raw[numeric])
        values[numeric] = numbers == 1
        known[numeric] = (numbers == 1) | (numbers == 0)
    typed = kinds == TEXT
    if typed.any():
        where = _positions(typed)
        text = pc.utf8_lower(_latin_digits(_arrow_text(raw[where])))
        yes = _mask(pc.is_in(text, pa.array(TRUE_WORDS)))
        no = _mask(pc.is_in(text, pa.array(FALSE_WORDS)))
        values[where] = yes
        known[where] = yes | no
        blank[where[_blank_text(text)]] = True
    unreadable = ~blank & ~known
    array = pd.arrays.BooleanArray(values, ~known)
    return Coerced(array, blank, {"cell.not_yes_no": _positions(unreadable)} if unreadable.any() else {})


# --- dates --------------------------------------------------------------------------------

def _date(raw: np.ndarray, kinds: np.ndarray, date_order: str) -> Coerced:
    n = len(raw)
    days = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)  # days since 1970-01-01; min = NaT
    known = np.zeros(n, dtype=bool)
    blank = kinds == BLANK
    numeric = (kinds == INT) | (kinds == FLOAT)
    if numeric.any():
        serial = _to_float(raw[numeric])
        ok = np.isfinite(serial) & (serial >= SERIAL_MIN) & (serial < SERIAL_MAX + 1)
        days[numeric] = np.where(ok, np.floor(np.where(ok, serial, 0)) - SHEET_EPOCH_OFFSET, days[numeric]).astype(np.int64)
        known[numeric] = ok
    stamps = kinds == DATETIME
    if stamps.any():
        day_values = _day_numbers(raw[stamps])
        days[stamps] = day_values
        known[stamps] = day_values != np.iinfo(np.int64).min
    typed = kinds == TEXT
    if typed.any():
        where = _positions(typed)
        text_days, text_blank = _days_from_text(raw[where], date_order)
        days[where] = text_days
        known[where] = text_days != np.iinfo(np.int64).min
        blank[where[text_blank]] = True
    days[~known] = np.iinfo(np.int64).min
    values = days.astype("datetime64[D]").astype("datetime64[us]")
    unreadable = ~blank & ~known
    return Coerced(values, blank, {"cell.not_a_date": _positions(unreadable)} if unreadable.any() else {})


def _day_numbers(values: np.ndarray) -> np.ndarray:
    """Days since 1970 of date/datetime objects: vectorised, one by one only if pandas balks."""
    try:
        stamps = pd.DatetimeIndex(pd.to_datetime(values))
        if stamps.tz is not None:
            stamps = stamps.tz_localize(None)
        return stamps.to_numpy().astype("datetime64[D]").astype(np.int64)
    except (ValueError, TypeError, OverflowError):
        return np.array([_day_number(v) for v in values], dtype=np.int64)


def _day_number(value: Any) -> int:
    try:
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        return (dt.date(stamp.year, stamp.month, stamp.day) - dt.date(1970, 1, 1)).days
    except (ValueError, TypeError, OverflowError):
        return np.iinfo(np.int64).min


def _days_from_text(raw_text: np.ndarray, date_order: str) -> tuple[np.ndarray, np.ndarray]:
    text = _latin_digits(_arrow_text(raw_text))
    blank = _blank_text(text)
    iso = pc.extract_regex(text, _ISO_DATE)
    typed = pc.extract_regex(text, _TYPED_DATE)
    first, second = pc.struct_field(typed, "first"), pc.struct_field(typed, "second")
    day, month = (first, second) if date_order != "month_first" else (second, first)
    year = pc.coalesce(pc.struct_field(iso, "year"), pc.struct_field(typed, "year"))
    month = pc.coalesce(pc.struct_field(iso, "month"), month)
    day = pc.coalesce(pc.struct_field(iso, "day"), day)
    numbers = [np.asarray(pc.fill_null(pc.cast(part, pa.int64()), 0).to_numpy(zero_copy_only=False)) for part in (year, month, day)]
    return _days_from_parts(*numbers), blank


def _days_from_parts(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970 for each (year, month, day); NaT-marker where that day does not exist."""
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month_start = (np.where(ok, year, 1970) - 1970) * 12 + np.where(ok, month, 1) - 1
    first = month_start.astype("datetime64[M]")
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    days = first.astype("datetime64[D]").astype(np.int64) + np.where(ok, day, 1) - 1
    return np.where(ok, days, np.iinfo(np.int64).min)
