"""Privacy helpers that stay pure (no Streamlit, no source): personal data in validation issues masked
(small counts: insights.small_counts). Who gets which treatment is decided in the gateway, not here.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from schemas.base import match_headers
from schemas.registry import tab as registered_tab

MASK = "•••"  # the same mark as connectors.access.MASK (insights do not import connectors)


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
