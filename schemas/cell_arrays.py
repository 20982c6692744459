"""Columns of typed text as Arrow arrays: trimmed, blanks found, Khmer digits as 0-9 (for schemas.coerce)."""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from schemas.safe_text import REPLACEMENT

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"


def utf8_array(values, from_pandas: bool = False) -> pa.Array:
    """Text as an Arrow string array. A lone surrogate (half of a character: a Sheets answer's JSON can carry one as
    "\\ud800", and a message quoting that cell too) is no UTF-8, which Arrow and DuckDB refuse: it becomes the
    replacement mark U+FFFD, as the files the app writes show it, instead of failing the whole refresh."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=from_pandas)
    except UnicodeEncodeError:
        return pa.array([_LONE_SURROGATE.sub(REPLACEMENT, v) if isinstance(v, str) else v for v in values], type=pa.string(),
                        from_pandas=from_pandas)


def arrow_text(raw: np.ndarray) -> pa.Array:
    """Text cells trimmed (see utf8_array for a lone surrogate)."""
    return pc.utf8_trim_whitespace(utf8_array(raw, from_pandas=True))


def blank_text(text: pa.Array) -> np.ndarray:
    """Null or empty after trimming."""
    return np.asarray(pc.fill_null(pc.equal(text, ""), True), dtype=bool)


def latin_digits(text: pa.Array) -> pa.Array:
    if len(text) == 0 or pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return text
    for i, digit in enumerate(KHMER_DIGITS):
        text = pc.replace_substring(text, digit, str(i))
    return text


def mask(array: pa.Array) -> np.ndarray:
    """An Arrow boolean array as numpy, null = False."""
    return np.asarray(pc.fill_null(array, False), dtype=bool)
