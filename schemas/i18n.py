"""The language a text is being produced in, shared by every layer (no Streamlit here).

The pages set it once per run from the user's choice (or BACKOFFICE_LANGUAGE); the CLI sets it from
`--lang`. Everything that turns a value into words — catalog messages, coded values' labels, number
and date formats — asks `current_language()` instead of taking a parameter through every call.
"""
from __future__ import annotations

import contextvars
import gettext as gettext_module
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from numbers import Integral, Real
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "km": "ខ្មែរ"}
ENGLISH_NAMES: dict[str, str] = {"en": "English", "km": "Khmer"}
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


# Catalogs: locale/<lang>/LC_MESSAGES/backoffice.po, compiled to its .mo the first time it is needed and again
# whenever the .po is newer (so a clean clone, where git holds only the .po, speaks Khmer with no build step).
# English is the source language, so a text with no Khmer translation yet shows in English rather than not at
# all; a whole catalog that cannot be loaded is no such quiet fallback: `catalog_problem()` says why, and the
# app and the command line show it.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "backoffice"
_problems: dict[str, str] = {}


def catalog_files(code: str, locale_dir: Path | None = None) -> tuple[Path, Path]:
    folder = (locale_dir or LOCALE_DIR) / code / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compiled_catalog(code: str, locale_dir: Path | None = None) -> bytes:
    """The .mo bytes of a language: its .mo when it is as new as its .po, else the .po compiled now (Babel) and
    written beside it (one rename, so a reader never sees half a file); where the folder cannot be written
    (a read-only checkout) the compiled catalog is only kept in memory."""
    import io

    po, mo = catalog_files(code, locale_dir)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:  # no .po either: FileNotFoundError, said by catalog_problem()
        catalog = read_po(source, locale=code)
    out = io.BytesIO()
    write_mo(out, catalog)
    data = out.getvalue()
    temporary = mo.with_name(f".{mo.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, mo)
    except OSError:  # read-only: this process keeps its copy in memory
        temporary.unlink(missing_ok=True)
    return data


@cache
def _catalog(code: str) -> gettext_module.NullTranslations:
    import io

    _problems.pop(code, None)
    try:
        return gettext_module.GNUTranslations(io.BytesIO(compiled_catalog(code)))
    except Exception as exc:  # a missing or damaged .po/.mo: English is shown, and said (catalog_problem)
        _problems[code] = f"{type(exc).__name__}: {exc}"
        return gettext_module.NullTranslations()


def catalog_problem(code: str | None = None) -> str | None:
    """Why the texts of a language (default: the current one) could not be loaded, or None when they were.
    Not from the catalog (it is what failed): in both languages, with the reason as the system gave it."""
    code = code or current_language()
    if code == DEFAULT_LANGUAGE:
        return None
    _catalog(code)
    reason = _problems.get(code)
    if reason is None:
        return None
    po, _mo = catalog_files(code)
    return (f"The {ENGLISH_NAMES[code]} texts could not be loaded from {po} ({reason}), so this shows English. "
            f"Restore that file from git and restart. / មិនអាចផ្ទុកអត្ថបទ{LANGUAGES[code]}ពី {po} បានទេ ({reason}) "
            "ដូច្នេះបង្ហាញជាភាសាអង់គ្លេស។ សូមយកឯកសារនោះពី git មកវិញ ហើយចាប់ផ្តើមកម្មវិធីឡើងវិញ។")


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
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)
    return written_number(value, "#,##0" + ("." + "0" * decimals if decimals else ""), babel_locale())


def quantity(value: float | int, decimals: int = 2) -> str:
    """18,500 or 11,168.5: a measured amount (kg) with decimals only where it has them."""
    from babel.numbers import format_decimal

    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)
    return format_decimal(value, format="#,##0." + "#" * decimals, locale=babel_locale())


def percent(value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return str(value)
    return written_number(value, "#,##0%", babel_locale(), percent=True)


HUGE = 1e18  # past any figure the programmes hold (and past a whole number the cache keeps): 1.18E21
NO_NUMBER = "—"  # NaN: no number at all


def written_number(value: Real | Decimal, pattern: str, locale: str, percent: bool = False) -> str:
    """`value` written by Babel's `pattern` in `locale` (a percent pattern when `percent`), for any number, never
    raising: NaN reads "—", an infinity "∞", a number past HUGE in scientific form (Babel's decimal context
    cannot quantize 1e308, and 22 grouped digits tell nobody anything), a negative zero "0"."""
    import decimal
    import math

    from babel.numbers import format_decimal, format_percent, format_scientific

    suffix = "%" if percent else ""
    try:
        size = abs(float(value))
    except OverflowError:  # a whole number past 1e308
        size = math.inf
        value = Decimal(value)
    except (ValueError, TypeError):  # a signalling NaN
        return NO_NUMBER
    if math.isnan(size):
        return NO_NUMBER
    if (math.isinf(size) and not isinstance(value, Decimal)) or (isinstance(value, Decimal) and value.is_infinite()):
        return ("-∞" if value < 0 else "∞") + suffix
    try:
        if size * (100 if percent else 1) >= HUGE:  # exactly, in Decimal: 1e308 * 100 is no float
            exact = value if isinstance(value, Decimal) else Decimal(int(value)) if isinstance(value, Integral) else Decimal(float(value))
            return format_scientific(exact * 100 if percent else exact, "0.##E0", locale=locale) + suffix
        with decimal.localcontext() as context:
            context.prec = 60  # a grouped figure to its cents, whatever its size below HUGE
            text = (format_percent if percent else format_decimal)(value, format=pattern, locale=locale)
    except (ArithmeticError, ValueError, TypeError):  # Babel refusing a value it cannot write: still no crash
        return str(value) + suffix
    return text[1:] if text.startswith("-") and not re.search("[1-9១-៩]", text) else text  # -0 -> 0


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
