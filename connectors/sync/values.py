"""Cell values as the sync compares them, typed per column; row keys as schemas.row_key writes them."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from connectors.sources.interface import UNSTORABLE
from schemas.base import ColumnSpec, blank
from schemas.coerce import coerce_column
from schemas.registry import Tab
from schemas.registry import tab as registered_tab


def typed(value: Any, spec: ColumnSpec, date_order: str = "day_first") -> Any:
    """A value in its column's Python type (str, int, float, bool, datetime.date) or None.

    Text that cannot be read as the column's type is kept as text so validation reports it."""
    if isinstance(value, np.generic):
        value = value.item()
    if blank(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str) and UNSTORABLE.search(value):
        return value  # kept as typed: the save refuses it by name (check_edits), the coercion could not even hold it
    if spec.kind == "text":
        if isinstance(value, str) and not spec.labels:
            return value.strip()  # a coded column's label (English or Khmer) is read as its code, below
    elif spec.kind == "date" and isinstance(value, dt.date):
        return pd.Timestamp(value).date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value
    elif isinstance(value, str) or spec.kind == "date" or (spec.kind == "bool") != isinstance(value, bool):
        pass  # let the schema's coercion read it, below
    elif spec.kind == "int":
        return int(value) if float(value).is_integer() else float(value)
    elif spec.kind == "float":
        return float(value)
    else:
        return bool(value)
    coerced = coerce_column(np.array([value], dtype=object), spec, date_order)
    if coerced.bad or coerced.blank[0]:
        return None if coerced.blank[0] else value
    out = coerced.values[0]
    if blank(out):
        return None
    if spec.kind == "date":
        return pd.Timestamp(out).date()
    return out.item() if isinstance(out, np.generic) else out


def same(a: Any, b: Any, spec: ColumnSpec, date_order: str = "day_first") -> bool:
    a, b = typed(a, spec, date_order), typed(b, spec, date_order)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def key_of(tab: Tab | str, row: Mapping[str, Any]) -> tuple[str, ...]:
    """The key of a row of typed values (schemas.row_key owns how a key is written)."""
    return (tab if isinstance(tab, Tab) else registered_tab(tab)).row_key.of(row)
