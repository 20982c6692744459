"""Privacy helpers that stay pure (no Streamlit, no source): small counts suppressed, personal data in
validation issues masked. Who gets which treatment is decided in the gateway, not here.
"""
from __future__ import annotations

import numbers
from typing import Any, Iterable

import pandas as pd

from schemas.base import match_headers
from schemas.registry import tab as registered_tab

MASK = "•••"  # the same mark as connectors.access.MASK (insights do not import connectors)


def suppress_small_counts(frame: pd.DataFrame, count_columns: Iterable[str], threshold: int) -> pd.DataFrame:
    """A copy where every count in `count_columns` from 1 to threshold - 1 reads "<threshold" (e.g. "<5"),
    and the column's other counts are text too ("12").

    Zero stays "0" (nobody can be recognised in nobody); missing values stay missing. The columns become
    text only when something was suppressed, so charts keep numbers where nothing was hidden."""
    out = frame.copy()
    label = f"<{int(threshold)}"
    for column in count_columns:
        if column not in out.columns:
            continue
        values = pd.to_numeric(out[column], errors="coerce")
        small = values.notna() & (values > 0) & (values < threshold)
        if small.any():  # the whole column as text: one type per column (Arrow, CSV)
            out[column] = pd.Series([None if pd.isna(v) else label if s else _count_text(v)
                                     for v, s in zip(out[column], small)], index=out.index, dtype=object)
    return out


def _count_text(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else str(value)


def pii_headers(tab_name: str, headers: Iterable[str | None]) -> set[str]:
    """Which of these sheet headers (as issues name them) are personal-data columns of the tab."""
    try:
        spec = registered_tab(tab_name)
    except KeyError:
        return set()
    wanted = [h for h in headers if h is not None]
    found: set[str] = set()
    for header in set(wanted):
        names = match_headers(spec.schema, [header])
        name = next(iter(names), header)
        if any(c.name == name and c.pii for c in spec.columns):
            found.add(header)
    return found


def masked_message(value: object, message: str, column: str | None, why: str) -> str:
    """The issue's sentence with the personal value replaced by •••; a sentence that does not quote it
    verbatim is replaced whole, so a value formatted differently cannot slip through."""
    text = str(value)
    if f"'{text}'" in message:
        return message.replace(f"'{text}'", f"'{MASK}'")
    if text in message:
        return message.replace(text, MASK)
    return f"'{column}' has a problem (the value is personal data, {why})."


def mask_issue_frame(frame: pd.DataFrame, masked_tabs: Iterable[str]) -> pd.DataFrame:
    """Issues with the value and message of personal-data cells masked, for the tabs in `masked_tabs`.

    The message keeps its sense ("Row 14: 'Phone' is •••; ...") when it quotes the value; a message that
    does not quote it verbatim is replaced whole, so a value formatted differently cannot slip through."""
    masked_tabs = set(masked_tabs)
    if frame.empty or not masked_tabs or not {"tab", "column", "value", "message"} <= set(frame.columns):
        return frame
    out = frame.copy()
    out["value"] = out["value"].astype(object)
    out["message"] = out["message"].astype(object)
    for tab_name in masked_tabs & set(out["tab"].unique()):
        in_tab = out["tab"] == tab_name
        hidden = pii_headers(tab_name, out.loc[in_tab, "column"].unique())
        if not hidden:
            continue
        for index in out.index[in_tab & out["column"].isin(hidden)]:
            value, message = out.at[index, "value"], out.at[index, "message"]
            text = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            if isinstance(message, str) and text:
                message = masked_message(text, message, out.at[index, "column"], "hidden for your role")
            out.at[index, "message"] = message
            out.at[index, "value"] = MASK if text else value
    return out


class SmallCount(str):
    """A count hidden as "<5": text that formats as itself whatever the format ("{:,}" included), so a
    page's f"{n:,}" shows "<5" rather than failing or the number."""

    def __format__(self, spec: str) -> str:
        return str(self)


def suppress_counts(value: Any, count_names: Iterable[str], threshold: int, share_names: Iterable[str] = ()) -> Any:
    """`value` (a frame, a dict, a list of those, nested) with every count named in `count_names` from 1 to
    threshold - 1 hidden: frame columns as suppress_small_counts does, dict values as SmallCount("<5").

    A share (`share_names`) beside a hidden count is hidden too - in the same frame row or the same dict -
    since "75 %" of "<5" children gives the count back (3 of 4)."""
    names, shares = tuple(count_names), tuple(share_names)
    if not names:
        return value
    if isinstance(value, pd.DataFrame):
        hidden_rows = _small_rows(value, names, threshold)
        out = suppress_small_counts(value, names, threshold)
        for column in shares:
            if column in out.columns and hidden_rows.any():
                out[column] = out[column].astype(float).where(~hidden_rows)
        return out
    if isinstance(value, dict):
        out = {k: _small(v, threshold) if k in names else suppress_counts(v, names, threshold, shares)
               for k, v in value.items()}
        if any(isinstance(out[k], SmallCount) for k in names if k in out):
            out.update({k: SmallCount(SHARE_HIDDEN) for k in shares if out.get(k) is not None})
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(suppress_counts(v, names, threshold, shares) for v in value)
    return value


SHARE_HIDDEN = "—"  # language-neutral: the share beside a "<5" count is left out, not worded


def _small_rows(frame: pd.DataFrame, count_names: tuple[str, ...], threshold: int) -> pd.Series:
    small = pd.Series(False, index=frame.index)
    for column in count_names:
        if column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            small |= values.notna() & (values > 0) & (values < threshold)
    return small


def _small(value: Any, threshold: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or pd.isna(value):
        return value
    return SmallCount(f"<{int(threshold)}") if 0 < value < threshold else value
