"""Small counts hidden, so nobody can be recognised in a figure (pure: who gets it is decided in the gateway).

A count from 1 to threshold - 1 is hidden ("<5"). A hidden count carries no number anywhere:
- in a dict it becomes SmallCount("<5"), text that formats as itself;
- in a frame its cell becomes missing (the column keeps its number type, so charts, sums and the pack's
  XLSX keep the other counts as numbers) and the column `<count>_hidden` (schemas.formats.HIDDEN) holds
  the mark "<5" in that row - what tables, CSVs and charts show instead of the number.

A count that is shown beside a total it is part of can give a hidden count back by subtraction: 9
households, 8 with a toilet -> 1 without. An insight declares such groups (`Parts`); when what the shown
figures of a group leave unknown is one small count, one more figure of the group is hidden (the smallest
part shown, else the total). Its mark is "5+": true (every count still shown is 0 or at least the
threshold) and it gives no small count back. A share worked out from a hidden count is hidden too ("—"):
the insight says from which counts (`shares={"share_toilet": ("with_toilet", "households")}`); a share
declared by name alone is hidden beside any hidden count of its row or dict.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from schemas.formats import HIDDEN

SHARE_HIDDEN = "—"  # language-neutral: the share beside a hidden count is left out, not worded


class SmallCount(str):
    """A count hidden as "<5" (or "5+"): text that formats as itself whatever the format ("{:,}" included),
    so a page's f"{n:,}" shows the mark rather than failing or the number."""

    def __format__(self, spec: str) -> str:
        return str(self)


@dataclass(frozen=True)
class Parts:
    """`parts` are counts of some of the `total`'s people or events, shown beside it (with_toilet of
    households). `complete`: the parts add up to the total (women + men = participants); otherwise what
    the parts leave out of the total is a count too (households without a toilet)."""

    total: str
    parts: tuple[str, ...]
    complete: bool = False


def parts(total: str, *names: str, complete: bool = False) -> Parts:
    return Parts(total, tuple(names), complete)


def small_mark(threshold: int) -> str:
    return f"<{int(threshold)}"


def kept_mark(threshold: int) -> str:
    """The mark of a count hidden only because it would give a small one back: it is at least the threshold."""
    return f"{int(threshold)}+"


def _is_small(value: Any, threshold: int) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)
            and 0 < value < threshold)


def also_hidden(values: dict[str, Any], hidden: set[str], groups: Sequence[Parts], threshold: int) -> set[str]:
    """The counts to hide besides `hidden` so that no group's shown figures give a small count back."""
    extra: set[str] = set()
    changed = True
    while changed:
        changed = False
        for group in groups:
            names = (group.total, *group.parts)
            if any(not isinstance(values.get(n), numbers.Real) or pd.isna(values.get(n)) for n in names):
                continue
            gone = hidden | extra
            if group.total in gone:
                continue
            shown = [p for p in group.parts if p not in gone]
            unknown = len(group.parts) - len(shown) + (0 if group.complete else 1)
            if unknown != 1:
                continue  # nothing left unknown, or two unknowns whose sum alone can be worked out
            worked_out = values[group.total] - sum(values[p] for p in shown)
            if not 0 < worked_out < threshold:
                continue
            candidates = [p for p in shown if values[p] > 0]
            extra.add(min(candidates, key=lambda p: values[p]) if candidates else group.total)
            changed = True
    return extra


def suppress_counts(value: Any, count_names: Iterable[str], threshold: int, share_names: Iterable[str] | Mapping[str, tuple] = (),
                    groups: Iterable[Parts] = ()) -> Any:
    """`value` (a frame, a dict, a list of those, nested) with every count named in `count_names` from 1 to
    threshold - 1 hidden, and the counts `groups` say would give one back; the shares worked out from them
    hidden too (`share_names`: share -> the counts it is worked out from, or share names alone)."""
    names, groups = tuple(count_names), tuple(groups)
    shares = dict(share_names) if isinstance(share_names, Mapping) else {name: () for name in share_names}
    if not names:
        return value
    if isinstance(value, pd.DataFrame):
        return _suppressed_frame(value, names, threshold, shares, groups)
    if isinstance(value, dict):
        return _suppressed_dict(value, names, threshold, shares, groups)
    if isinstance(value, (list, tuple)):
        return type(value)(suppress_counts(v, names, threshold, shares, groups) for v in value)
    return value


def _suppressed_dict(value: dict, names: tuple, threshold: int, shares: tuple, groups: tuple) -> dict:
    small = {k for k in names if k in value and _is_small(value[k], threshold)}
    kept = also_hidden(value, small, groups, threshold)
    out = {}
    for key, v in value.items():
        if key in small:
            out[key] = SmallCount(small_mark(threshold))
        elif key in kept:
            out[key] = SmallCount(kept_mark(threshold))
        elif key in names:
            out[key] = v
        else:
            out[key] = suppress_counts(v, names, threshold, shares, groups)
    out.update({k: SmallCount(SHARE_HIDDEN) for k in _shares_hidden(shares, small | kept) if out.get(k) is not None})
    return out


def _shares_hidden(shares: dict[str, tuple], hidden: set[str]) -> list[str]:
    """The shares worked out from a hidden count (a share declared alone: any hidden count)."""
    if not hidden:
        return []
    return [share for share, counts in shares.items() if not counts or set(counts) & hidden]


def _suppressed_frame(frame: pd.DataFrame, names: tuple, threshold: int, shares: tuple, groups: tuple) -> pd.DataFrame:
    columns = [c for c in names if c in frame.columns]
    values = {c: pd.to_numeric(frame[c], errors="coerce") for c in columns}
    marks = {c: pd.Series([None] * len(frame), index=frame.index, dtype=object) for c in columns}
    for column in columns:
        marks[column][values[column].gt(0) & values[column].lt(threshold)] = small_mark(threshold)
    present = [g for g in groups if all(n in values for n in (g.total, *g.parts))]
    if present:
        for index in frame.index:
            row = {c: values[c][index] for c in columns}
            for column in also_hidden(row, {c for c in columns if marks[c][index] is not None}, present, threshold):
                marks[column][index] = kept_mark(threshold)
    if not any(marks[c].notna().any() for c in columns):
        return frame
    out = frame.copy()
    for column in columns:
        if marks[column].notna().any():
            out[column] = _numbers(values[column].where(marks[column].isna()))
            out[column + HIDDEN] = marks[column]
    for share, counts in shares.items():
        if share not in out.columns:
            continue
        hidden = pd.Series(False, index=frame.index)
        for column in (c for c in (counts or columns) if c in marks):
            hidden |= marks[column].notna()
        if hidden.any():
            out[share] = pd.to_numeric(out[share], errors="coerce").astype(float).where(~hidden)
            out[share + HIDDEN] = pd.Series([SHARE_HIDDEN if h else None for h in hidden], index=out.index, dtype=object)
    return out


def _numbers(series: pd.Series) -> pd.Series:
    """Whole counts stay whole ("12", never "12.0") with their hidden cells missing."""
    kept = series.dropna()
    if (kept == kept.round()).all():
        return series.astype("Int64")
    return series.astype(float)


