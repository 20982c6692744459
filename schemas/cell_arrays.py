"""Columns of typed text as Arrow arrays: trimmed, blanks found, Khmer digits as 0-9 (for schemas.coerce)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"


def arrow_text(raw: np.ndarray) -> pa.Array:
    """Text cells trimmed, with Khmer digits as 0-9 only when there are any (it costs ten passes)."""
    return pc.utf8_trim_whitespace(pa.array(raw, type=pa.string(), from_pandas=True))


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
