"""A tab schema's column checks, run straight on the typed frame (one vector operation per check).

Pandera validates the same frame with the same checks, but around every check it checks dtypes our
coercion already made exact, and on a million rows it spends most of its time formatting failure
cases; the issues only need each failing check's positions. So the checks pandera knows by these
names (the only ones `schemas.base.column` declares) run here, with pandas' own kernels: the same
`isin`, `>=`, `<=` and `str.match` pandera calls, nulls passing as pandera's `ignore_na` makes
them. A schema with any other check returns None, and validation asks pandera as before.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

_KERNELS: dict[str, Callable[[pd.Series, dict[str, Any]], Any]] = {
    "isin": lambda values, stats: values.isin(stats["allowed_values"]),
    "greater_than_or_equal_to": lambda values, stats: values >= stats["min_value"],
    "less_than_or_equal_to": lambda values, stats: values <= stats["max_value"],
    "str_matches": lambda values, stats: values.str.match(str(stats["pattern"]), na=False),
}

Failure = tuple[str, str, np.ndarray, str]  # column, check name ("not_nullable", "isin", ...), positions, check as text


@cache
def _plan(model: type[pa.DataFrameModel]) -> tuple[tuple[str, bool, tuple[tuple[str, dict, str], ...]], ...] | None:
    schema = model.to_schema()
    if schema.checks or schema.unique or any(c.unique for c in schema.columns.values()):
        return None
    plan = []
    for name, column in schema.columns.items():
        checks = []
        for check in column.checks:
            if check.name not in _KERNELS or not check.ignore_na or check.element_wise:
                return None
            checks.append((check.name, dict(check.statistics), str(check.error or check.name)))
        plan.append((name, bool(column.nullable), tuple(checks)))
    return tuple(plan)


def column_failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> list[Failure] | None:
    """Every failing (column, check) with its frame positions, in pandera's order; None: ask pandera."""
    plan = _plan(model)
    if plan is None:
        return None
    failures: list[Failure] = []
    for name, nullable, checks in plan:
        if name not in frame.columns:
            continue
        values = frame[name]
        blank = values.isna().to_numpy(dtype=bool)
        if not nullable and blank.any():
            failures.append((name, "not_nullable", np.flatnonzero(blank), "not_nullable"))
        if blank.all():
            continue
        for check, stats, text in checks:
            try:
                passed = pd.array(_KERNELS[check](values, stats), dtype="boolean")
            except (TypeError, ValueError, NotImplementedError):  # pandera reports these without a row: skipped too
                continue
            failed = ~passed.to_numpy(dtype=bool, na_value=True) & ~blank
            if failed.any():
                failures.append((name, check, np.flatnonzero(failed), text))
    return failures
