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
    # CRLF rows (RFC 4180): the csv writer then quotes any cell holding a CR or LF, so a CR inside a cell can
    # never start a new row whose first cell a spreadsheet would run as a formula.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
