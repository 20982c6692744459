"""Issues as columns: what a vectorised check found, stored without one Python object per issue.

A check that fails on 80,000 rows adds ONE batch (rule, tab, header, the rows, the values as read and
the rule's fields); the batch goes to DuckDB's `_issues` as Arrow columns. A sentence is only written
when an issue is read (`issues[i].message`, `schemas.rules.issue_message`), in the reader's language.
Iterating gives `Issue`s, so small callers (a save's check, the CLI) read them as before.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from schemas.cell_arrays import utf8_array
from schemas.issues import ERROR, Issue, column_letter, params_json
from schemas.rules import RULES, shown

Link = Callable[[str, str], "str | None"]

# The stored columns, in `_issues` order; `message` stays empty (written when read), `_order` only sorts.
STORED = ("tab", "row", "column", "cell", "value", "severity", "rule", "message", "link", "shown", "params")
_COLUMNS = ("tab", "row", "column", "cell", "value", "severity", "rule", "link", "shown", "params", "_order")


def _column_index(cell: str | None) -> int:
    """-1 for no cell; else the 0-based column of an A1 cell (sorts as the letters do: A < Z < AA)."""
    if not cell:
        return -1
    index = 0
    for char in cell.rstrip("0123456789"):
        index = index * 26 + ord(char) - 64
    return index - 1


def cell_links(link: Link | None, tab: str, cells: list[str]) -> list[str | None]:
    """Each cell's link. A link made of a fixed start and the A1 cell (a Google Sheet's) is built by
    joining strings, not by asking the source once per cell."""
    if link is None:
        return [None] * len(cells)
    first, second = link(tab, "A1"), link(tab, "B7")
    if first and second and first.endswith("A1") and second == first[:-2] + "B7":
        start = first[:-2]
        return [start + cell for cell in cells]
    return [link(tab, cell) for cell in cells]


class IssueRows(Sequence[Issue]):
    def __init__(self, issues: Iterable[Issue] = ()):
        self._columns: dict[str, list] = {name: [] for name in _COLUMNS}
        self._parsed: dict[str, dict] = {}  # stored fields -> parsed, once each
        self._texts: dict[int, str] = {}  # position -> a given sentence (not a rule's), kept as it is
        self.extend(issues)

    # -- adding ---------------------------------------------------------------------------------
    def append(self, issue: Issue) -> None:
        columns = self._columns
        for name in _COLUMNS[:-2]:
            columns[name].append(getattr(issue, name))
        columns["params"].append(params_json(issue.params) if issue._text is None else None)
        columns["_order"].append(_column_index(issue.cell))
        if issue._text is not None:
            self._texts[len(self) - 1] = issue._text

    def extend(self, issues: Iterable[Issue] | IssueRows) -> None:
        if isinstance(issues, IssueRows):
            offset = len(self)
            for name in _COLUMNS:
                self._columns[name].extend(issues._columns[name])
            self._texts.update({offset + position: text for position, text in issues._texts.items()})
            return
        for issue in issues:
            self.extend(issue) if isinstance(issue, IssueRows) else self.append(issue)

    def add_cells(self, rule: str, tab: str, header: str | None, column_index: int, rows: np.ndarray, values: list,
                  link: Link | None = None, row_fields: dict[str, list] | None = None, **fields: Any) -> None:
        """One failing check: `rule` at `rows` (sheet rows) of one column, with the values as read."""
        rows = [int(r) for r in np.asarray(rows).tolist()]
        if not rows:
            return
        letter = column_letter(column_index)
        cells = [f"{letter}{r}" for r in rows]
        n = len(rows)
        params = ([params_json({**fields, **{k: v[i] for k, v in row_fields.items()}}) for i in range(n)] if row_fields
                  else [params_json(fields)] * n)
        columns = self._columns
        columns["tab"] += [tab] * n
        columns["row"] += rows
        columns["column"] += [header] * n
        columns["cell"] += cells
        columns["value"] += values
        columns["severity"] += [RULES[rule].severity] * n
        columns["rule"] += [rule] * n
        columns["link"] += cell_links(link, tab, cells)
        columns["shown"] += [shown(v) for v in values]
        columns["params"] += params
        columns["_order"] += [column_index] * n

    # -- reading --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._columns["tab"])

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        columns = self._columns
        if position < 0:
            position += len(self)
        text = self._texts.get(position)
        stored = columns["params"][position]
        params = {} if stored is None else self._parsed.get(stored)
        if params is None:
            params = self._parsed[stored] = json.loads(stored)
        return Issue(columns["tab"][position], columns["row"][position], columns["column"][position], columns["cell"][position],
                     columns["value"][position], columns["severity"][position], columns["rule"][position], text,
                     columns["link"][position], shown=columns["shown"][position], params=dict(params))

    def __iter__(self) -> Iterator[Issue]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, tuple, IssueRows)) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # a growing collection

    def __repr__(self) -> str:
        return f"IssueRows({list(self)!r})"

    def errors(self) -> int:
        return self._columns["severity"].count(ERROR)

    def column(self, name: str) -> list:
        """One stored field of every issue, in order (tab, row, column, cell, value, severity, rule, link, shown),
        without making an Issue per row."""
        return self._columns[name]

    def without(self, positions: Iterable[int]) -> IssueRows:
        """A copy without the issues at these positions (e.g. warnings staff confirmed as typed)."""
        dropped = set(positions)
        kept = [p for p in range(len(self)) if p not in dropped]
        out = IssueRows()
        out._columns = {name: [values[p] for p in kept] for name, values in self._columns.items()}
        new_place = {old: new for new, old in enumerate(kept)}
        out._texts = {new_place[p]: text for p, text in self._texts.items() if p in new_place}
        return out

    def sort(self, tab_order: dict[str, int] | None = None) -> None:
        """Header problems first, then row by row, left to right (the order a person fixes them in);
        with `tab_order`, tab by tab first. Stable: issues in the same place keep their order."""
        if len(self) < 2:
            return
        columns = self._columns
        rows = np.array([r or 0 for r in columns["row"]], dtype=np.int64)
        keys: list[Any] = [np.array(columns["_order"], dtype=np.int64), rows]
        if tab_order is not None:
            keys.append(np.array([tab_order.get(t, len(tab_order)) for t in columns["tab"]], dtype=np.int64))
        order = np.lexsort(keys)
        if (order == np.arange(len(order))).all():
            return
        positions = order.tolist()
        for name in _COLUMNS:
            values = columns[name]
            columns[name] = [values[p] for p in positions]
        if self._texts:
            new_place = {old: new for new, old in enumerate(positions)}
            self._texts = {new_place[old]: text for old, text in self._texts.items()}

    def digests(self) -> dict[str, str]:
        """Per tab, a digest of its issues as stored: equal digests, equal rows in `_issues` for that tab."""
        columns = self._columns
        names = [name for name in _COLUMNS if name != "_order"]
        out: dict[str, Any] = {}
        for position, row in enumerate(zip(*(columns[name] for name in names), strict=True)):
            out.setdefault(row[0], hashlib.blake2b(digest_size=16)).update(repr((row, self._texts.get(position))).encode())
        return {tab: digest.hexdigest() for tab, digest in out.items()}

    def arrow(self) -> pa.Table:
        """The `_issues` rows: values as text, the message empty unless given (written when read)."""
        columns = self._columns
        messages: list[str | None] = [None] * len(self)
        for position, text in self._texts.items():
            messages[position] = text
        data = {
            "tab": utf8_array(columns["tab"]), "row": pa.array(columns["row"], pa.int64()),
            "column": utf8_array(columns["column"]), "cell": utf8_array(columns["cell"]),
            "value": utf8_array([None if v is None else str(v) for v in columns["value"]]),
            "severity": utf8_array(columns["severity"]), "rule": utf8_array(columns["rule"]),
            "message": utf8_array(messages), "link": utf8_array(columns["link"]),
            "shown": utf8_array(columns["shown"]), "params": utf8_array(columns["params"]),
        }
        return pa.table(data)
