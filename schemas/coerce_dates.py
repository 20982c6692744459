"""Date cells into days (for schemas.coerce): sheet serials, date objects, and typed text in every form
schemas.coerce and schemas.human_forms describe; and `read_date`, the same reading for ONE typed date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schemas.cell_arrays import arrow_text, blank_text, latin_digits, mask
from schemas.human_forms import NAT, dates_in_words, days_from_parts, full_years
from schemas.i18n import _

SHEET_EPOCH_OFFSET = 25569  # the sheet serial of 1970-01-01 (serial 0 = 1899-12-30)
SERIAL_MIN = 18264  # 1950-01-01: earlier "dates" are far more likely a number typed in a date cell
SERIAL_MAX = 73415  # 2100-12-31

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_DATE = r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME + "$"
_TYPED_DATE = r"^(?P<first>\d{1,2})[-/.](?P<second>\d{1,2})[-/.](?P<year>\d{4}|\d{2})" + _TIME + "$"
DATE_FORMATS = {"day_first": ("dd/mm/yyyy", "25/12/2018"), "month_first": ("mm/dd/yyyy", "12/25/2018")}


def typed_days(raw: np.ndarray, blank: np.ndarray, numeric: tuple[np.ndarray, np.ndarray], stamps: np.ndarray,
               typed: np.ndarray, date_order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970 per cell (NAT where none), which cells were blank, and the positions read from a
    human form. `numeric`: which cells are sheet numbers, and those numbers as floats (serials)."""
    n = len(raw)
    days = np.full(n, NAT, dtype=np.int64)
    blank = blank.copy()
    read_as = np.empty(0, np.int64)
    numbers, serial = numeric
    if numbers.any():
        ok = np.isfinite(serial) & (serial >= SERIAL_MIN) & (serial < SERIAL_MAX + 1)
        days[numbers] = np.where(ok, np.floor(np.where(ok, serial, 0)) - SHEET_EPOCH_OFFSET, NAT).astype(np.int64)
    if stamps.any():
        days[stamps] = _day_numbers(raw[stamps])
    if typed.any():
        where = np.flatnonzero(typed)
        text_days, text_blank, interpreted = _days_from_text(raw[where], date_order)
        days[where] = text_days
        blank[where[text_blank]] = True
        read_as = where[interpreted]
    days[blank] = NAT
    return days, blank, read_as


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
        return NAT


def _days_from_text(raw_text: np.ndarray, date_order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days of typed dates, which cells were blank, and which were read from a human form (a two-digit
    year, a month name: schemas.human_forms)."""
    text = latin_digits(arrow_text(raw_text))
    blank = blank_text(text)
    iso = pc.extract_regex(text, _ISO_DATE)
    typed = pc.extract_regex(text, _TYPED_DATE)
    first, second = pc.struct_field(typed, "first"), pc.struct_field(typed, "second")
    day, month = (first, second) if date_order != "month_first" else (second, first)
    iso_year, typed_year = pc.struct_field(iso, "year"), pc.struct_field(typed, "year")
    parts = (pc.coalesce(iso_year, typed_year), pc.coalesce(pc.struct_field(iso, "month"), month),
             pc.coalesce(pc.struct_field(iso, "day"), day))
    years, months, days_of_month = (np.asarray(pc.fill_null(pc.cast(part, pa.int64()), 0).to_numpy(zero_copy_only=False))
                                    for part in parts)
    two_digit = mask(pc.and_(pc.is_null(iso_year), pc.equal(pc.utf8_length(typed_year), 2)))
    if two_digit.any():
        years = np.where(two_digit, full_years(years)[0], years)
    days = days_from_parts(years, months, days_of_month)
    interpreted = two_digit & (days != NAT)
    left = np.flatnonzero((days == NAT) & ~blank)
    if len(left):  # not a date in figures: perhaps one in words
        year, month_number, day_number = dates_in_words(text.take(pa.array(left)))
        word_days = days_from_parts(full_years(year)[0], month_number, day_number)
        days[left] = word_days
        interpreted[left] = word_days != NAT
    return days, blank, interpreted


@dataclass(frozen=True)
class DateReading:
    """One typed date, read: the day (None when it cannot be read), whether it was read from a human form
    (a month name, a two-digit year: worth showing the person how), and why it was not read."""

    date: dt.date | None
    interpreted: bool = False
    reason: str | None = None  # a sentence in the current language; None when the date was read


def read_date(text: str, date_order: str = "day_first") -> DateReading:
    """Read one typed date as a sheet cell is read: ISO, dd/mm/yyyy or mm/dd/yyyy by `date_order` (or
    BACKOFFICE_DATE_ORDER's value), two-digit years, dates in words in English or Khmer. A day that does
    not exist is refused, never adjusted."""
    days, blank, read_as = typed_days(np.array([text], dtype=object), np.zeros(1, dtype=bool),
                                      (np.zeros(1, dtype=bool), np.empty(0)), np.zeros(1, dtype=bool),
                                      np.ones(1, dtype=bool), date_order)
    if blank[0]:
        return DateReading(None, reason=_("The date is blank."))
    if days[0] == NAT:
        example = DATE_FORMATS.get(date_order, DATE_FORMATS["day_first"])[1]
        return DateReading(None, reason=_("'{text}' is not a date that exists or that can be read; type it like {example}.").format(
            text=str(text).strip(), example=example))
    return DateReading(dt.date(1970, 1, 1) + dt.timedelta(days=int(days[0])), interpreted=bool(len(read_as)))
