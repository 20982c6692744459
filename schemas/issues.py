"""A problem found in the data, said in the sheet's terms so a field officer can fix it in minutes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"

# The JSON of `cli.py validate --format json` has exactly these keys, in this order.
ISSUE_KEYS = ("tab", "row", "column", "cell", "value", "severity", "rule", "message", "link")


@dataclass(frozen=True)
class Issue:
    tab: str
    row: int | None  # the sheet's row number (header = 1); None for a whole column or tab
    column: str | None  # the header as written in the sheet
    cell: str | None  # A1, e.g. "C7"
    value: Any  # as read, or None
    severity: str  # "error" | "warning"
    rule: str  # stable id, e.g. "rice.stock_negative"
    message: str  # a plain sentence: what is wrong and what to do
    link: str | None = None

    def as_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies every field, 30x the cost, and the fields are plain values.
        return {key: getattr(self, key) for key in ISSUE_KEYS}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(column_index: int, row: int) -> str:
    return f"{column_letter(column_index)}{row}"
