"""What finds a row: its key, as text. The one owner of "the row with this key" for every part that looks a row
up - the planner and the verifier of a save (connectors.sync), both writers (the Google Sheet's and the
workbook's), the cache update and the editor - so a row one of them finds, the others find too.

A key cell is read as its column reads it (schemas.coerce: "២០១៧", "2017.0" and " 2017 " are the year 2017) and
then written as text ("2017"): a key typed with Khmer digits, a trailing space or as a whole float is the same key.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from schemas.base import ColumnSpec, blank
from schemas.coerce import coerce_column

Key = tuple[str, ...]


def value_text(value: Any) -> str | None:
    """A typed value as text (None for a blank): dates ISO, whole floats without '.0', yes/no as TRUE/FALSE."""
    if blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, dict)):
        value = value.item()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp.time() == dt.time(0) else stamp.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def key_text(value: Any) -> str:
    """A typed key cell as text, the way keys are compared everywhere (2017.0 -> "2017", " HH-1 " -> "HH-1")."""
    text = value_text(value)
    return "" if text is None else text.strip()


@dataclass(frozen=True)
class Located:
    """A grid's rows by key: the first position of each key (in grid.rows), and the keys on more than one row."""

    first: dict[Key, int]
    twice: dict[Key, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class RowKey:
    """A tab's key (`Tab.row_key`): the columns that name a row, none for an append-only log."""

    specs: tuple[ColumnSpec, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.specs)

    def of(self, row: Mapping[str, Any]) -> Key:
        """The key of a row of typed values, by schema column name."""
        return tuple(key_text(row.get(k)) for k in self.columns)

    def missing(self, columns: Mapping[str, int]) -> list[str]:
        """The key columns a sheet's header (schema name -> position) lacks."""
        return [k for k in self.columns if k not in columns]

    def locate(self, rows: Sequence[Sequence[Any]], columns: Mapping[str, int], date_order: str = "day_first") -> Located:
        """A sheet's data rows (a grid's `rows`) by key, each key cell read as its column reads it; rows whose key is
        all blank are left out. `columns` (schema name -> position) must hold every key column (see `missing`)."""
        parts = []
        for spec in self.specs:
            i = columns[spec.name]
            raw = np.array([row[i] if i < len(row) else None for row in rows], dtype=object)
            parts.append([key_text(v) for v in coerce_column(raw, spec, date_order).values])
        first: dict[Key, int] = {}
        seen: dict[Key, list[int]] = {}
        for position, key in enumerate(zip(*parts, strict=True)):
            if any(key):
                first.setdefault(key, position)
                seen.setdefault(key, []).append(position)
        return Located(first, {k: v for k, v in seen.items() if len(v) > 1})

    def where_sql(self, quote: Any) -> str:
        """A cached table's rows with a key (bound as text, one `?` per key column): a whole-number key is stored as
        a BIGINT and reads back as "2017", as `key_text` writes it."""
        return " AND ".join(f"CAST({quote(k)} AS VARCHAR) = ?" for k in self.columns)

    @staticmethod
    def wanted(key: Sequence[Any]) -> Key:
        """A key as a request carries it, compared as `of` writes keys."""
        return tuple(key_text(k) for k in key)
