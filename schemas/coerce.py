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
  ("139,791,300", "13 000"), a sign and an exponent; a unit or currency before or after the number when
  it is the column's own ("4,000 ៛" in a riel column, "250 kg", "12 ឆ្នាំ", "10%": schemas.human_forms),
  with a `cell.read_as` warning. A dollar amount in a column of unit riel is `cell.wrong_currency`
  (converting it would be a guess at the day's rate); another known unit is `cell.wrong_unit` ("250 g"
  in a kg column); in a column without a unit, any unit is not a number. An int column takes a whole
  float (3.0 -> 3); 3.5 is `cell.not_whole`. Booleans and dates are not numbers. Past NUMBER_LIMIT
  (either side) a number is `value.too_large` / `value.too_small`, not stored.
- date: sheet serials (days since 1899-12-30; only between 1950 and 2100, so a count typed into a
  date cell is not taken for a day in 1905), date/datetime objects (xlsx), ISO "2018-03-25" (and
  yyyy/mm/dd), and dd/mm/yyyy or mm/dd/yyyy by `date_order`. A two-digit year ("03/03/18") and a date
  in words, English or Khmer ("3 March 2018", "៣ មីនា ២០១៨") are read with a `cell.read_as` warning
  (schemas.human_forms). A day or month that does not exist (31/02/2018, 13/25/2018) is an issue: the
  two are never swapped. The time of day is dropped: every date column holds dates.
- a coded column (text with labels) reads its code, its English label or its Khmer label, any case
  ("Loan", "ខ្ចីស្រូវ" -> "loan"), so a sheet provisioned in either language reads the same.
- bool: Yes/No, Y/N, TRUE/FALSE, 1/0 (number or text), បាទ/ចាស (yes), ទេ/អត់/មិនមែន (no), any case.
  A blank is missing, never "no", so a tick mark such as "x" or "✓" is not read: with ticks, an
  unticked cell could not be told from a forgotten one.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schemas.base import ColumnSpec
from schemas.cell_arrays import arrow_text as _arrow_text
from schemas.cell_arrays import blank_text as _blank_text
from schemas.cell_arrays import latin_digits as _latin_digits
from schemas.cell_arrays import mask as _mask
from schemas.coerce_dates import DATE_FORMATS, typed_days
from schemas.human_forms import NAT, units_of

__all__ = ["DATE_FORMATS", "Coerced", "coerce_column", "empty_column", "kinds_of"]

TRUE_WORDS = ["yes", "y", "true", "1", "បាទ", "ចាស"]
FALSE_WORDS = ["no", "n", "false", "0", "ទេ", "អត់", "មិនមែន"]

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
    r"(?i)^(?P<pre>\$|us\$|usd|khr|៛)?" + _SPACE + r"*(?P<sign>[+-]?)" + _SPACE + r"*"
    r"(?P<digits>\d{1,3}(?:[," + r"\x{00A0}\x{202F} " + r"]\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<exp>e[+-]?\d+)?" + _SPACE + r"*(?P<post>\D*?)" + _SPACE + r"*$"  # post: a unit word, read by human_forms
)


@dataclass
class Coerced:
    """One column, typed: its values, which cells were blank, and which could not be read."""

    values: Any  # a pandas array of the column's dtype, nulls where blank or unreadable
    blank: np.ndarray  # bool per cell: nothing was typed (None, "", spaces)
    bad: dict[str, np.ndarray] = field(default_factory=dict)  # rule id -> positions unreadable
    read_as: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # positions read from a human form
    fields: dict[str, dict[str, list]] = field(default_factory=dict)  # rule id -> field -> a value per position of bad[rule]


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


def _positions(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


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
    if isinstance(value, (bool, np.bool_)):
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
    if spec.labels:
        text = _codes_of_labels(text, spec)
    if spec.code_width:
        text = _latin_digits(text)
        digits_only = pc.match_substring_regex(text, r"^\d+$")
        text = pc.if_else(digits_only, pc.utf8_lpad(text, spec.code_width, padding="0"), text)
    blank = _blank_text(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return Coerced(pd.array(text, dtype="string[pyarrow]") if len(text) else pd.array([], dtype="string[pyarrow]"), blank)


@cache
def _label_lookup(spec: ColumnSpec) -> tuple[pa.Array, pa.Array, pa.Array]:
    """A coded column's codes, and every way to write one (code, English or Khmer label, lower case) with its code."""
    names: dict[str, str] = {}
    for code, *_labels in spec.labels:
        names.setdefault(code.lower(), code)
    for code, *labels in spec.labels:
        for label in labels:
            names.setdefault(label.strip().lower(), code)
    return pa.array([code for code, *_ in spec.labels]), pa.array(list(names)), pa.array(list(names.values()))


def _codes_of_labels(text: pa.Array, spec: ColumnSpec) -> pa.Array:
    """Labels (English or Khmer, any case) and codes in another case, as the code; anything else as typed."""
    codes, names, their_codes = _label_lookup(spec)
    if len(text) == 0 or pc.all(pc.or_kleene(pc.is_in(text, value_set=codes), pc.is_null(text))).as_py():
        return text  # the usual case: every cell holds a code already
    found = pc.index_in(pc.utf8_lower(text), value_set=names)
    return pc.coalesce(pc.take(their_codes, found), text)


# --- numbers ------------------------------------------------------------------------------

@dataclass
class _TypedNumbers:
    values: np.ndarray
    blank: np.ndarray
    unreadable: np.ndarray
    wrong_currency: np.ndarray  # dollars in a riel column
    wrong_unit: np.ndarray  # another unit than the column's
    units: np.ndarray  # the unit typed, per cell (None: none)
    read_as: np.ndarray  # read with the column's own unit


def _numbers_from_text(raw_text: np.ndarray, spec: ColumnSpec) -> _TypedNumbers:
    """Parse typed numbers, and the unit or currency typed with each (schemas.human_forms)."""
    text = _latin_digits(_arrow_text(raw_text))
    blank = _blank_text(text)
    parts = pc.extract_regex(text, _NUMBER)
    readable = _mask(pc.is_valid(parts))
    digits = pc.replace_substring_regex(pc.struct_field(parts, "digits"), r"[,\s\x{00A0}\x{202F}]", "")
    joined = pc.binary_join_element_wise(pc.struct_field(parts, "sign"), digits, pc.struct_field(parts, "exp"), "")
    values = np.asarray(pc.cast(pc.if_else(pc.is_valid(parts), joined, "nan"), pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    n = len(values)
    none = np.zeros(n, dtype=bool)
    units = np.full(n, None, dtype=object)
    pre, post = pc.struct_field(parts, "pre"), pc.struct_field(parts, "post")
    marked = readable & (_mask(pc.not_equal(pre, "")) | _mask(pc.not_equal(post, "")))
    if not marked.any():  # the usual case: plain numbers
        return _TypedNumbers(values, blank, ~blank & ~readable, none, none, units, none)
    before, after = units_of(pre), units_of(post)
    with_pre, with_post = _mask(pc.not_equal(pre, "")), _mask(pc.not_equal(post, ""))
    units = np.where(with_pre, before, after)
    known = marked & (units != None) & ~(with_pre & with_post & (before != after))  # noqa: E711  (elementwise)
    units[~known] = None
    readable &= ~marked | known
    if spec.unit is None:
        readable &= ~marked  # a column without a unit takes plain numbers only
    own = known & (units == spec.unit)
    wrong_currency = known & (units == "usd") & (spec.unit == "riel")
    wrong_unit = readable & known & ~own & ~wrong_currency
    return _TypedNumbers(values, blank, ~blank & ~readable, wrong_currency, wrong_unit, units, readable & own)


def _number(raw: np.ndarray, kinds: np.ndarray, spec: ColumnSpec) -> Coerced:
    n = len(raw)
    values = np.full(n, np.nan)
    blank = kinds == BLANK
    not_number = np.isin(kinds, (BOOL, DATETIME, OTHER))
    wrong_currency = np.zeros(n, dtype=bool)
    wrong_unit = np.zeros(n, dtype=bool)
    units = None
    read_as = np.empty(0, np.int64)
    numeric = (kinds == INT) | (kinds == FLOAT)
    if numeric.all():
        values = _to_float(raw)
    elif numeric.any():
        values[numeric] = _to_float(raw[numeric])
    typed = kinds == TEXT
    if typed.any():
        where = _positions(typed)
        found = _numbers_from_text(raw[where], spec)
        values[where] = found.values
        blank[where[found.blank]] = True
        not_number[where[found.unreadable]] = True
        wrong_currency[where[found.wrong_currency]] = True
        if found.wrong_unit.any():
            wrong_unit[where[found.wrong_unit]] = True
            units = np.full(n, None, dtype=object)
            units[where] = found.units
        read_as = where[found.read_as]
    not_number |= numeric & ~np.isfinite(values)  # inf, or an int too large for a float
    bad = {}
    usable = ~(blank | not_number | wrong_currency | wrong_unit)
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
    bad["cell.wrong_unit"] = _positions(wrong_unit)
    fields = {"cell.wrong_unit": {"typed_unit": units[bad["cell.wrong_unit"]].tolist()}} if units is not None else {}
    return Coerced(array, blank, {k: v for k, v in bad.items() if len(v)}, read_as[usable[read_as]], fields)


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
    numeric = (kinds == INT) | (kinds == FLOAT)
    serials = _to_float(raw[numeric]) if numeric.any() else np.empty(0)
    days, blank, read_as = typed_days(raw, kinds == BLANK, (numeric, serials), kinds == DATETIME, kinds == TEXT, date_order)
    unreadable = ~blank & (days == NAT)
    values = days.astype("datetime64[D]").astype("datetime64[us]")
    return Coerced(values, blank, {"cell.not_a_date": _positions(unreadable)} if unreadable.any() else {}, read_as)
