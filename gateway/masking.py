"""The other ways out, masked the same way as the tables: a save's conflicts (after a save and in the
outbox), its errors, an outbox entry's message, staff e-mail addresses, and the Google Sheet's key and address.

Whoever may not see a tab's personal data sees ••• for those columns here too - also inside a whole row
(a row deleted or added meanwhile is shown as its columns). Staff e-mails are personal data (the users
tab): only an admin sees another person's address; everyone sees their own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from connectors.access import MASK, User, sees_person, sees_personal_data, sees_sheet_address
from connectors.config import sheet_key
from connectors.store.audit import text
from schemas.i18n import _
from schemas.registry import tab as registered_tab


def personal_columns(user: User, tab_name: str) -> set[str]:
    """The tab's personal-data columns this user may not see (all of them for an unknown tab)."""
    try:
        spec = registered_tab(tab_name)
    except KeyError:
        return {"*"}
    return set() if sees_personal_data(user, spec) else {c.name for c in spec.columns if c.pii}


def value_shown(user: User, tab_name: str, column: str | None, value: Any) -> Any:
    """A cell (or a whole row, as a dict) as this user may see it."""
    hidden = personal_columns(user, tab_name)
    if not hidden or value is None:
        return value
    if "*" in hidden:
        return MASK
    if isinstance(value, dict):
        return {k: (MASK if k in hidden and v not in (None, "") else v) for k, v in value.items()}
    if column is None or column in hidden:
        return MASK if isinstance(value, (str, int, float)) else value
    return value


def conflicts_shown(user: User, conflicts: Iterable[Any]) -> pd.DataFrame:
    """Theirs vs ours, side by side, personal data masked for roles without access."""
    headers = [_("Tab"), _("Row"), _("Column"), _("You started from"), _("Theirs (in the sheet now)"), _("Yours")]
    rows = [[c.tab, "/".join(c.key), c.column or _("(whole row)"),
             *(text(value_shown(user, c.tab, c.column, value)) for value in (c.started_from, c.theirs, c.ours))] for c in conflicts]
    return pd.DataFrame(rows, columns=headers)


def message_shown(message: str | None, values: Iterable[Any]) -> str | None:
    """Any of these personal values quoted in a message -> •••."""
    if not message:
        return message
    for value in sorted({str(v) for v in values if v not in (None, "") and len(str(v)) >= 3}, key=len, reverse=True):
        message = message.replace(value, MASK)
    return message


def request_personal_values(user: User, request: dict) -> set[str]:
    """The personal values (for this user) an outbox entry's saved request holds: old and new cells, new rows."""
    found: set[str] = set()
    for tab_name, _key, column, old, new in (tuple(e)[:5] for e in request.get("edits", [])):
        if column in personal_columns(user, tab_name) or "*" in personal_columns(user, tab_name):
            found.update(str(v) for v in (old, new) if v is not None)
    for tab_name, rows in (request.get("appends") or {}).items():
        hidden = personal_columns(user, tab_name)
        for row in rows:
            found.update(str(v) for k, v in row.items() if v is not None and (k in hidden or "*" in hidden))
    for delete in request.get("deletes", []):
        tab_name, old = delete[0], delete[-1] if isinstance(delete[-1], dict) else {}
        hidden = personal_columns(user, tab_name)
        found.update(str(v) for k, v in old.items() if v is not None and (k in hidden or "*" in hidden))
    return found


def email_shown(user: User, email: Any) -> Any:
    """Another person's e-mail is personal data: shown to admins, ••• to others (their own stays)."""
    if email in (None, "") or sees_person(user, email):
        return email
    return MASK



def mask_personal_values(con: Any, text: str) -> str:
    """Any personal-data value of the cached tabs (names, phones, patient codes, e-mails) quoted in `text` -> •••:
    for texts built from figures (the report, the donor pack), which carry no column to mask by."""
    return masked_text(text, personal_values(con))


def personal_values(con: Any) -> list[str]:
    """Every personal-data text value (3 characters or more) of the cached tabs, longest first."""
    from connectors.store.cache import quote
    from schemas.registry import TABS

    cur = con.cursor() if hasattr(con, "cursor") else con
    values: set[str] = set()
    for tab in TABS:
        for spec in tab.columns:
            if spec.pii and spec.kind == "text":
                values.update(str(v).strip() for (v,) in cur.execute(f"SELECT DISTINCT {quote(spec.name)} FROM {quote(tab.name)}").fetchall()
                              if v is not None and len(str(v).strip()) >= 3)
    return sorted(values, key=len, reverse=True)


def masked_text(text: str, values: Iterable[str]) -> str:
    """`text` with each of `values` (longest first, so a full name goes before a part of it) -> •••."""
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


# The Google Sheet's key and address: with a sheet shared by link, whoever has them reads every name in it, so
# only admins see them (the sidebar, the freshness line, reasons a read failed, links to cells).
SHEET_ADDRESS = re.compile(r"https?://docs\.google\.com/spreadsheets/d/[A-Za-z0-9_-]+[^\s)\]'\"<>]*")


def source_text_shown(user: User | None, text: str) -> str:
    """`text` (a source's label, a reason it could not be read) with the sheet's address and key as ••• for
    anyone but an admin."""
    if not text or sees_sheet_address(user):
        return text
    text = SHEET_ADDRESS.sub(MASK, str(text))
    key = sheet_key()
    return text.replace(key, MASK) if key else text


def sheet_links_shown(user: User | None, result: Any) -> Any:
    """Frames (also inside dicts and lists) with their links to cells of the sheet emptied for anyone but an admin."""
    if sees_sheet_address(user):
        return result
    if isinstance(result, pd.DataFrame):
        return result.assign(link=None) if "link" in result.columns else result
    if isinstance(result, dict):
        return {k: sheet_links_shown(user, v) for k, v in result.items()}
    if isinstance(result, list):
        return [sheet_links_shown(user, v) for v in result]
    return result
