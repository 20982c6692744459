"""The language a text is being produced in, shared by every layer (no Streamlit here).

The pages set it once per run from the user's choice (or BACKOFFICE_LANGUAGE); the CLI sets it from
`--lang`. Everything that turns a value into words — catalog messages, coded values' labels, number
and date formats — asks `current_language()` instead of taking a parameter through every call.
"""
from __future__ import annotations

import contextvars
import gettext as gettext_module
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from numbers import Real
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "km": "ខ្មែរ"}
DEFAULT_LANGUAGE = "en"

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("backoffice_language", default=None)


def configured_language() -> str:
    """BACKOFFICE_LANGUAGE when it names a known language, else English."""
    chosen = os.environ.get("BACKOFFICE_LANGUAGE", "").strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _language.get() or configured_language()


def set_language(code: str) -> None:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    _language.set(code)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Produce a text in `code` for the length of a block (a report in Khmer from an English session)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


# Catalogs: locale/<lang>/LC_MESSAGES/backoffice.po, compiled to .mo at install (`make`); English is the
# source language, so a text with no Khmer translation yet shows in English rather than not at all.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "backoffice"


@lru_cache(maxsize=None)
def _catalog(code: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def gettext(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    if current_language() == DEFAULT_LANGUAGE or not message:  # gettext("") is the catalog's header
        return message
    return _catalog(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural msgid's text for `n` (Khmer has one form; English two). A count the gateway
    hid ("<5" for a viewer) takes the plural: "<5 calves"."""
    if isinstance(n, bool) or not isinstance(n, (Real, Decimal)):
        n = 2
    if current_language() == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return _catalog(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for the catalog where it is declared (a module-level table); `_()` translates it where it is shown."""
    return message


# Numbers and dates inside the catalog's sentences, per language. One small set of functions so the shared
# formatting module (tables, metrics) can take their place without touching the sentences.
BABEL_LOCALES = {"en": "en", "km": "km_KH"}


def babel_locale() -> str:
    return BABEL_LOCALES[current_language()]


def number(value: float | int, decimals: int = 0) -> str:
    """1,250 or 1,250.50: grouped digits as the current language writes them. A value the gateway
    replaced (a small count shown as "<5" to a viewer) is shown as it is."""
    from babel.numbers import format_decimal

    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def quantity(value: float | int, decimals: int = 2) -> str:
    """18,500 or 11,168.5: a measured amount (kg) with decimals only where it has them."""
    from babel.numbers import format_decimal

    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)
    return format_decimal(value, format="#,##0." + "#" * decimals, locale=babel_locale())


def percent(value: float) -> str:
    from babel.numbers import format_percent

    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)

    return format_percent(value, format="#,##0%", locale=babel_locale())


def day(value) -> str:
    """A date as "31 Dec 2017" (English) or "31 ធ្នូ 2017" (Khmer)."""
    from babel.dates import format_date

    return format_date(value, "d MMM y", locale=babel_locale())


def weekday_names() -> list[str]:
    """Monday to Sunday, short ("Mon", "ចន្ទ"), in the current language."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=babel_locale())
    return [names[i] for i in range(7)]


def place_names(names: list[str]) -> str:
    """"A, B and C" in the current language."""
    if len(names) <= 1:
        return "".join(names)
    return gettext("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])
