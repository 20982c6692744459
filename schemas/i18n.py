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
from functools import lru_cache
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
    if current_language() == DEFAULT_LANGUAGE:
        return message
    return _catalog(current_language()).gettext(message)


_ = gettext
