"""A problem found in the data, said in the sheet's terms so a field officer can fix it in minutes.

An issue keeps its rule's fields, not its sentence: the message is written when it is read, in the
language of whoever reads it (a refresh in English, a Data quality page in Khmer: Khmer sentences).
Validation collects issues as columns (schemas.issue_rows.IssueRows), one batch per failing check.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np

from schemas.rules import ERROR, WARNING, issue_message

__all__ = ["ERROR", "ISSUE_KEYS", "WARNING", "Issue", "a1", "column_letter", "params_json"]

# The JSON of `cli.py validate --format json` has exactly these keys, in this order.
ISSUE_KEYS = ("tab", "row", "column", "cell", "value", "severity", "rule", "message", "link")


class Issue:
    """One problem: where (tab, sheet row, header as written, A1 cell, value as read), which rule, and
    the rule's fields; `message` is the rule's sentence in the current language (or a given text)."""

    __slots__ = ("_text", "cell", "column", "link", "params", "row", "rule", "severity", "shown", "tab", "value")

    def __init__(self, tab: str, row: int | None, column: str | None, cell: str | None, value: Any, severity: str,
                 rule: str, message: str | None = None, link: str | None = None, *, shown: str | None = None,
                 params: dict[str, Any] | None = None):
        self.tab, self.row, self.column, self.cell, self.value = tab, row, column, cell, value
        self.severity, self.rule, self.link = severity, rule, link
        self.shown = shown  # the value as a sentence quotes it; None: blank
        self.params = params or {}
        self._text = message

    @property
    def message(self) -> str:
        if self._text is not None:
            return self._text
        return issue_message(self.rule, self.row, self.tab, self.column, self.cell, self.shown, self.params)

    def replace(self, **changes: Any) -> Issue:
        """A copy with some fields changed (`message=` fixes the sentence, e.g. with a value masked)."""
        fields = {name: getattr(self, name) for name in ISSUE_KEYS if name != "message"}
        fields.update(shown=self.shown, params=self.params, message=self._text)
        fields.update(changes)
        return Issue(**fields)

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in ISSUE_KEYS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.tab, self.row, self.cell, self.rule))

    def __repr__(self) -> str:
        return f"Issue({', '.join(f'{k}={getattr(self, k)!r}' for k in ISSUE_KEYS)})"


def params_json(params: dict[str, Any]) -> str:
    """A rule's fields as stored beside the issue (numpy numbers as plain numbers)."""
    return json.dumps(params, ensure_ascii=False, default=lambda v: v.item() if isinstance(v, np.generic) else str(v))


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
