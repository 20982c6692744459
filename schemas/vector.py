"""Column operations in Arrow, for the checks that run on every row of a million-row tab.

pandas' `isin` on an Arrow string column turns the set it looks in into Python strings one by one;
for a foreign key into a tab of a million ids that loop is most of the check. Here the set stays an
Arrow array and the look-up is one hash join in C (`pyarrow.compute.is_in`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def pa_array(series: pd.Series | pd.Index) -> pa.Array:
    """The Arrow array behind a column (copied only when it is not Arrow-backed already)."""
    array = series.array
    if not hasattr(array, "_pa_array"):
        return pa.array(array, from_pandas=True)
    chunked = array._pa_array
    if chunked.num_chunks == 1:
        return chunked.chunk(0)
    return pa.concat_arrays(chunked.chunks) if chunked.num_chunks else pa.array([], type=chunked.type)


def isin(values: pd.Series, targets: Any) -> np.ndarray:
    """True where the value is one of `targets` (a Series, Index or list); a blank is never in."""
    haystack = targets if isinstance(targets, (pd.Series, pd.Index)) else pd.Series(list(targets), dtype=values.dtype)
    needles, found = pa_array(values), pa_array(haystack)
    if len(needles) == 0:
        return np.zeros(0, dtype=bool)
    if needles.type != found.type:
        try:
            found = found.cast(needles.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. text looked up among numbers
            return values.isin(list(haystack)).to_numpy(dtype=bool, na_value=False)
    hit = pc.is_in(needles, value_set=found.drop_null())
    return np.asarray(pc.fill_null(pc.and_kleene(hit, pc.is_valid(needles)), False), dtype=bool)
