"""How a setting of the settings tab is declared and read: its kind, limits and default, the settings tab's
schema beyond its three columns. Each programme declares its own settings in its schemas module
(`register_settings`); `SETTINGS` read through schemas.registry holds them all.

A value is read by its own setting's rule (`SettingSpec.read`): a number, a whole number, a list of
months, a list of age bands, each within its limits. A value the rule refuses is an issue at its cell
(`settings.bad_value`, schemas.validate) and every figure uses the default instead, with a note saying
so under it (insights.left_out). A privacy setting (small_count_threshold) may be raised in the sheet,
never lowered below its default: only an admin may lower it, in the secrets file (`[backoffice]`, read by
connectors.config), and the admin's value then takes the default's place (`floor`).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from schemas.i18n import N_

NUMBER = "number"  # any number within the limits (an exchange rate)
WHOLE = "whole"  # a whole number within the limits (days, months, calves, a count)
MONTHS = "months"  # month numbers 1-12, separated by commas: 7,8,9,10
BANDS = "bands"  # age bands from young to old, only the last open: 0-5,6-12,13-17,18+

# Why a typed value is refused: the words after "riel_per_usd in the settings tab is 'abc', ...".
NOT_A_NUMBER = N_("not a number")
NOT_WHOLE = N_("not a whole number")
TOO_SMALL = N_("less than {low}")
TOO_LARGE = N_("more than {high}")
NOT_MONTHS = N_("not a list of months (numbers from 1 to 12 separated by commas, such as 7,8,9,10)")
NOT_BANDS = N_("not a list of age bands (such as 0-5,6-12,13-17,18+: from the youngest up, only the last one open)")
BELOW_FLOOR = N_("lower than {floor}, which only an admin may allow (in the secrets file)")

_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?$", re.IGNORECASE)
_BAND = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")
OLDEST = 120  # an age band starts and ends at ages a person can have


class Refused(ValueError):
    """A typed value its setting's rule does not accept: `problem` says why (with its `fields`)."""

    def __init__(self, problem: str, **fields: str):
        super().__init__(problem)
        self.problem, self.fields = problem, fields


@dataclass(frozen=True)
class Reading:
    """What the figures use for one setting: its value, and when the typed one was refused, why."""

    value: Any
    problem: str | None = None  # an N_ text, filled with `fields` when shown
    fields: dict[str, str] = field(default_factory=dict)
    default: str = ""  # the value used instead, as a person reads it ("4,000")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str | None  # as typed in the settings tab's value column
    kind: str  # NUMBER | WHOLE | MONTHS | BANDS
    programme: str
    note: str
    low: float | None = None  # a number's limits, inclusive
    high: float | None = None
    privacy: bool = False  # the sheet may raise it, never lower it below the default (or the admin's value)

    def parse(self, text: Any) -> Any:
        """The typed value `text` stands for; Refused when this setting's rule does not accept it."""
        text = str(text).translate(_KHMER_DIGITS).strip()
        if self.kind == MONTHS:
            return _months(text)
        if self.kind == BANDS:
            return _bands(text)
        if not _NUMBER.match(text.replace(" ", "")):
            raise Refused(NOT_A_NUMBER)
        value = float(text.replace(" ", "").replace(",", ""))
        if not math.isfinite(value):
            raise Refused(NOT_A_NUMBER)
        if self.kind == WHOLE:
            if not value.is_integer():
                raise Refused(NOT_WHOLE)
            value = int(value)
        if self.low is not None and value < self.low:
            raise Refused(TOO_SMALL, low=shown_number(self.low))
        if self.high is not None and value > self.high:
            raise Refused(TOO_LARGE, high=shown_number(self.high))
        return value

    @property
    def value(self) -> Any:
        """The default, typed."""
        return self.parse(self.default)

    def floor_from(self, admin: Any) -> Any:
        """The value an admin set in the secrets file, typed; None when there is none or its rule refuses it
        (then the default stays the floor: a privacy setting is never weakened by a typo)."""
        if not self.privacy or admin is None or str(admin).strip() == "":
            return None
        try:
            return self.parse(admin)
        except Refused:
            return None

    def read(self, text: Any, floor: Any = None) -> Reading:
        """What the figures use for `text`, typed in the sheet (blank: the default, no problem). `floor`: an
        admin's value for a privacy setting, which replaces the default (see `floor_from`)."""
        default = floor if floor is not None else self.value
        shown_default = self.shown(default)
        if text is None or str(text).strip() == "":
            return Reading(default, default=shown_default)
        try:
            value = self.parse(text)
        except Refused as refused:
            return Reading(default, refused.problem, refused.fields, shown_default)
        if self.privacy and value < default:
            return Reading(default, BELOW_FLOOR, {"floor": shown_default}, shown_default)
        return Reading(value, default=shown_default)

    def shown(self, value: Any) -> str:
        """A typed value as a person reads it in a sentence: 4,000 - 7,8,9,10 - 0-5,6-12,18+."""
        if self.kind == MONTHS:
            return ",".join(str(m) for m in value)
        if self.kind == BANDS:
            return ",".join(f"{low}+" if high is None else f"{low}-{high}" for low, high in value)
        return shown_number(value)


def shown_number(value: float) -> str:
    """4000 -> "4,000", 2.5 -> "2.5" (the same in both languages: Khmer groups digits as English does)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _months(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts):
        raise Refused(NOT_MONTHS)
    return list(dict.fromkeys(int(p) for p in parts))


def _bands(text: str) -> list[tuple[int, int | None]]:
    """"0-5,6-12,13-17,18+" -> [(0, 5), (6, 12), (13, 17), (18, None)]: from the youngest up, no overlap."""
    bands: list[tuple[int, int | None]] = []
    for part in text.replace(" ", "").split(","):
        found = _BAND.match(part)
        if not found:
            raise Refused(NOT_BANDS)
        low, high = int(found[1]), None if found[2] is None else int(found[2])
        previous = bands[-1] if bands else None
        if (high is not None and not low <= high <= OLDEST) or low > OLDEST or (
                previous is not None and (previous[1] is None or low <= previous[1])):
            raise Refused(NOT_BANDS)
        bands.append((low, high))
    return bands


# The back office's own settings; each programme declares its own in its schemas module (`register_settings`), so
# read these through schemas.registry, which imports every programme.
SETTINGS: list[SettingSpec] = [
    SettingSpec("small_count_threshold", "5", WHOLE, "admin", N_("Counts below this show as <N to viewers"), low=1, high=1000,
                privacy=True),
]
BY_KEY: dict[str, SettingSpec] = {s.key: s for s in SETTINGS}


def register_settings(*specs: SettingSpec) -> None:
    """Add a programme's settings (from its schemas module); a key already taken is refused, not replaced."""
    taken = [s.key for s in specs if s.key in BY_KEY]
    if taken:
        raise KeyError(f"a setting {taken[0]!r} is already declared; give the new setting its own key")
    SETTINGS.extend(specs)
    BY_KEY.update({s.key: s for s in specs})


def unregister_settings_of(programme: str) -> None:
    """Remove the settings a programme declared, with the programme (schemas.site.unregister_programme)."""
    SETTINGS[:] = [s for s in SETTINGS if s.programme != programme]
    for key in [key for key, s in BY_KEY.items() if s.programme == programme]:
        del BY_KEY[key]


def spec(key: str) -> SettingSpec:
    """The declared setting `key` (KeyError: no such setting)."""
    return BY_KEY[key]

