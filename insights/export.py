"""CSV exports that a spreadsheet opens as text, never as formulas (OWASP's CSV-injection advice)."""
from __future__ import annotations

import pandas as pd

# A spreadsheet runs a cell as a formula when it starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix risky text with a single quote, so Excel and Sheets show it as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    text_columns = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype).startswith(("string", "str"))]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(neutralise, na_action="ignore")
    return safe.to_csv(index=False).encode("utf-8")
