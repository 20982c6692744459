"""The forms people write that a plain number or date reader refuses, read vectorised (schemas.coerce).

Each reading here is an interpretation, so every cell read through it gets a `cell.read_as` warning that
says how it was read; nothing is converted (no rate, no grams to kg) and nothing impossible is adjusted.

- Dates in words, English or Khmer, full or short month names, any separator, an optional weekday and
  ordinal: "3 March 2018", "3-Mar-2018", "March 3, 2018", "Sat 3rd Mar 18", "2018-Mar-03",
  "៣ មីនា ២០១៨", "ថ្ងៃទី៣ ខែមីនា ឆ្នាំ២០១៨".
- Two-digit years ("03/03/18", "3-Mar-18"): read in 1950-2049 (TWO_DIGIT_PIVOT), the same window a
  sheet's date serial is read in; the order of day and month follows BACKOFFICE_DATE_ORDER as ever.
- A number with a unit or currency word or sign: the column's own unit is read ("250 kg" in a kg
  column, "12 ឆ្នាំ" in an age column, "4,000 ៛" in a riel column, "10%" in a % column); a unit
  this vocabulary knows but the column does not use is `cell.wrong_unit` (dollars in a riel column
  stay `cell.wrong_currency`); a word it does not know is not a number.

schemas.coerce_dates.read_date reads ONE typed date the same way (for an editor's date box).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from schemas.i18n import N_, _

NAT = np.iinfo(np.int64).min  # "no day" in arrays of days since 1970
TWO_DIGIT_PIVOT = 50  # "49" -> 2049, "50" -> 1950

_ENGLISH_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december"]
# Khmer month names as Babel (CLDR) writes them, and the forms people type without the final sign.
_KHMER_MONTHS = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"]
_MONTH_WORDS: dict[str, int] = {}
for _number, (_english, _khmer) in enumerate(zip(_ENGLISH_MONTHS, _KHMER_MONTHS, strict=True), start=1):
    _MONTH_WORDS.update({_english: _number, _english[:3]: _number, _khmer: _number})
_MONTH_WORDS.update({"sept": 9, "កុម្ភ": 2, "កុម្ភះ": 2})
_MONTH_NAMES = pa.array(list(_MONTH_WORDS))
_MONTH_NUMBERS = pa.array(list(_MONTH_WORDS.values()), pa.int64())

# Khmer words around the parts of a date ("day", "the", "month", "year") and the weekdays: dropped before reading.
_KHMER_DATE_WORDS = r"ថ្ងៃទី|ថ្ងៃ|ទី|ខែ|ឆ្នាំ|គ\.ស\.?"
_WEEKDAY = (r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|អាទិត្យ|ច័ន្ទ|អង្គារ|ពុធ|ព្រហស្បតិ៍|សុក្រ|សៅរ៍)"
            r"[\s,]+")
_SEP = r"[\s,./\-]"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[\p{L}\p{M}]+)\.?"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_WORD_DATES = (
    rf"^(?:{_WEEKDAY})?{_DAY}{_SEP}*(?:of\s+)?{_MONTH}{_SEP}*{_YEAR}$",  # 3 March 2018, 3-Mar-18
    rf"^(?:{_WEEKDAY})?{_MONTH}{_SEP}*{_DAY}{_SEP}+{_YEAR}$",  # March 3, 2018
    rf"^(?P<year>\d{{4}}){_SEP}+{_MONTH}{_SEP}+(?P<day>\d{{1,2}})$",  # 2018-Mar-03
)

# Units and currencies a number may carry: the unit a column declares (ColumnSpec.unit) -> what is typed for it.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes", "គីឡូ", "គីឡូក្រាម",
           "គ.ក", "គក"),
    "g": ("g", "gr", "gram", "grams", "gramme", "grammes", "ក្រាម"),
    "t": ("t", "ton", "tons", "tonne", "tonnes", "តោន"),
    "riel": ("៛", "riel", "riels", "khr", "រៀល"),
    "usd": ("$", "us$", "usd", "dollar", "dollars", "ដុល្លារ"),
    "%": ("%", "percent", "pct", "ភាគរយ"),
    "years": ("years", "year", "yrs", "yr", "y", "ឆ្នាំ"),
    "months": ("months", "month", "mos", "mo", "ខែ"),
    "days": ("days", "day", "ថ្ងៃ"),
    "people": ("people", "persons", "person", "នាក់"),
}
# How a message names a unit (the catalog translates it when the message is written).
UNIT_NAMES = {"kg": N_("kg"), "g": N_("grams"), "t": N_("tonnes"), "riel": N_("riel"), "usd": N_("dollars"), "%": "%",
              "years": N_("years"), "months": N_("months"), "days": N_("days"), "people": N_("people")}
_UNIT_TEXTS = pa.array([word for words in UNIT_WORDS.values() for word in words])
_UNIT_KEYS = np.array([unit for unit, words in UNIT_WORDS.items() for _word in words], dtype=object)


def unit_name(unit: str) -> str:
    """A unit as a sentence names it, in the current language."""
    return _(UNIT_NAMES.get(unit, unit))


def units_of(words: pa.Array) -> np.ndarray:
    """The unit each typed word stands for ("KG." -> "kg", "ឆ្នាំ" -> "years"); None where the word is blank
    or unknown. Vectorised: one hash look-up per cell."""
    clean = pc.utf8_trim_whitespace(pc.replace_substring(words, "\u200b", ""))  # Khmer's zero-width spaces
    clean = pc.replace_substring_regex(pc.utf8_lower(clean), r"\.$", "")
    found = pc.index_in(clean, value_set=_UNIT_TEXTS)
    positions = np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.where(positions >= 0, _UNIT_KEYS[np.maximum(positions, 0)], None)


# --- dates ------------------------------------------------------------------------------------

def full_years(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-digit years into four (49 -> 2049, 50 -> 1950), and which ones were two-digit."""
    short = (years >= 0) & (years < 100)
    return np.where(short, np.where(years < TWO_DIGIT_PIVOT, 2000 + years, 1900 + years), years), short


def _int_parts(part: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.cast(part, pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64)


def dates_in_words(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dates written with a month name (text already trimmed, Khmer digits as 0-9): (year, month, day)
    per cell, 0 where the cell is not such a date."""
    text = pc.utf8_lower(pc.replace_substring(text, "\u200b", " "))  # Khmer is often typed with zero-width spaces
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _KHMER_DATE_WORDS, " "))
    year = month = day = None
    for pattern in _WORD_DATES:
        parts = pc.extract_regex(text, pattern)
        found = [pc.struct_field(parts, name) for name in ("year", "month", "day")]
        year, month, day = (part if earlier is None else pc.coalesce(earlier, part)
                            for earlier, part in zip((year, month, day), found, strict=False))
    numbers = pc.index_in(month, value_set=_MONTH_NAMES)
    month_number = pc.take(_MONTH_NUMBERS, numbers)
    return _int_parts(year), _int_parts(month_number), _int_parts(day)


def days_from_parts(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970 for each (year, month, day); NAT where that day does not exist (never adjusted)."""
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month_start = (np.where(ok, year, 1970) - 1970) * 12 + np.where(ok, month, 1) - 1
    first = month_start.astype("datetime64[M]")
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    days = first.astype("datetime64[D]").astype(np.int64) + np.where(ok, day, 1) - 1
    return np.where(ok, days, NAT)
