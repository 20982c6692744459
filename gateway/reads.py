"""The read path of the gateway: every function a page uses to read rows, issues or the audit trail checks
the role here (dashboards' figures go through gateway.figures, which uses these too).

- `read_tab` / `count_rows`: a tab's rows for this user - `require_read` first (a clinic user asking for
  households gets AccessDenied), personal-data columns masked for roles without access, and one entry
  in `_audit` (via "view") for every view of a tab that holds personal data, whoever looks at it;
- `quality_scope` and the `issues...` functions: validation issues of the tabs the user may read only,
  with personal-data values and messages masked (insights.quality stays pure; the scope comes from here);
- `row_history`: a row's audit entries, old/new values of personal data and other staff's e-mails masked;
- `user_for`: the signed-in e-mail's role from the users tab (sign-in itself: no role to check yet);
- `audit_log`, `outbox_entries`, `sync_status`: the Sync & history page's data, admins only;
- `source_freshness`: the source's label and when it was read (for the donor pack), any role.

`db` is a connectors.store.cache.Cache or a DuckDB connection/cursor (anything with `.cursor()`/`.execute()`).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from connectors.access import (
    MASK,
    ROLES,
    AccessDenied,
    User,
    can_read,
    can_write,
    mask_personal_data,
    readable_tabs,
    require_admin,
    require_read,
    sees_person,
    sees_personal_data,
)
from connectors.config import admin_settings
from connectors.store import audit
from connectors.store.cache import quote
from connectors.sync import outbox
from gateway.masking import email_shown, sheet_links_shown
from insights import quality
from insights.common import setting as programme_setting
from schemas.i18n import N_, ngettext
from schemas.registry import TABS, Tab
from schemas.registry import tab as registered_tab
from schemas.settings import spec as setting_spec


def _cur(db: Any) -> Any:
    return db.cursor() if hasattr(db, "cursor") else db


# --- rows -----------------------------------------------------------------------------------------

def record_view(db: Any, user: User, tab: Tab | str, what: str) -> None:
    """Who looked at which tab holding personal data and what was shown, with whether they saw it or not
    (connectors.store.audit writes it)."""
    spec = registered_tab(tab)
    shown = "personal data shown" if sees_personal_data(user, spec) else "personal data masked"
    audit.record_view(db, user.email, spec.name, f"{what} ({shown})")


@dataclass
class RowFilter:
    """Which rows of a tab a reader asks for, as data (the Tables page's search and filters); the gateway alone
    turns it into SQL, and a column masked for the reader is never searched (no oracle for hidden values)."""

    search: str = ""
    choices: dict[str, list[str]] = field(default_factory=dict)  # coded column -> the codes kept
    dates: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)  # date column -> (from, to)
    place: str | None = None  # a gazetteer code (province ... village): rows whose place column starts with it
    rows: tuple[int, ...] = ()  # only these sheet rows (a problem's row, opened from Data quality)


def _where(user: User, spec: Tab, rows: RowFilter | None) -> tuple[str, list[Any]]:
    if rows is None:
        return "", []
    names = {c.name for c in spec.columns}
    where, params = [], []
    if rows.search.strip():
        sees = sees_personal_data(user, spec)
        searchable = [c.name for c in spec.columns if sees or not c.pii]
        where.append("(" + " OR ".join(f"CAST({quote(c)} AS VARCHAR) ILIKE ?" for c in searchable) + ")")
        params += [f"%{rows.search.strip()}%"] * len(searchable)
    for column, values in rows.choices.items():
        if values and column in names:
            where.append(f"{quote(column)} IN ({', '.join('?' for _ in values)})")
            params += list(values)
    for column, (start, end) in rows.dates.items():
        if column in names:
            where.append(f"{quote(column)} BETWEEN ? AND ?")
            params += [start, end]
    if rows.place and spec.place_column is not None:
        where.append(f"{quote(spec.place_column)} LIKE ?")
        params.append(rows.place + "%")
    if rows.rows:
        where.append(f"_row IN ({', '.join('?' for _ in rows.rows)})")
        params += [int(r) for r in rows.rows]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def read_tab(db: Any, user: User, tab: Tab | str, *, rows: RowFilter | None = None, limit: int | None = None,
             offset: int = 0, what: str | None = None) -> pd.DataFrame:
    """The tab's rows (ordered by `_row`, only those `rows` keeps) as this user may see them; raises AccessDenied
    if they may not. Every call on a tab with personal data leaves a view entry in `_audit`."""
    spec = registered_tab(tab)
    require_read(user, spec)
    clause, params = _where(user, spec, rows)
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    cur = _cur(db)
    frame = cur.execute(f"SELECT * FROM {quote(spec.name)}{clause} ORDER BY _row{page}", params).df()
    if spec.has_personal_data:
        described = what or (f"{len(frame)} rows" + (f" from row {offset + 1}" if offset else ""))
        record_view(cur, user, spec, described)
    return mask_personal_data(user, spec, frame)


def count_rows(db: Any, user: User, tab: Tab | str, *, rows: RowFilter | None = None) -> int:
    """How many rows `rows` keeps (no values leave the cache, so no view entry)."""
    spec = registered_tab(tab)
    require_read(user, spec)
    clause, params = _where(user, spec, rows)
    return int(_cur(db).execute(f"SELECT count(*) FROM {quote(spec.name)}{clause}", params).fetchone()[0])


# --- validation issues ----------------------------------------------------------------------------

def quality_scope(user: User) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the tabs whose issues this user may see, the tabs whose personal-data cells are masked for them)."""
    readable = tuple(t.name for t in TABS if _can_read(user, t))
    masked = tuple(t.name for t in TABS if t.name in readable and t.has_personal_data and not sees_personal_data(user, t))
    return readable, masked


def _can_read(user: User, tab: Tab) -> bool:
    try:
        require_read(user, tab)
        return True
    except AccessDenied:
        return False


def issues(con: Any, user: User, tab: str | None = None, rule: str | None = None, severity: str | None = None,
           village: str | None = None, limit: int = 5000) -> pd.DataFrame:
    """insights.quality.issue_list within the user's scope (a named tab they may not read: AccessDenied)."""
    if tab:
        require_read(user, tab)
    readable, masked = quality_scope(user)
    return sheet_links_shown(user, quality.issue_list(_cur(con), tab, rule, severity, village, limit, tabs=readable, masked=masked))


def row_issues(con: Any, user: User, tab: str, rows: Sequence[int]) -> pd.DataFrame:
    """insights.quality.row_issues for rows of a tab the user may read (the Tables editor's problems column)."""
    require_read(user, tab)
    return quality.row_issues(_cur(con), tab, [int(r) for r in rows], masked=quality_scope(user)[1])


def issue_groups(con: Any, user: User, tab: str | None = None, rule: str | None = None, severity: str | None = None,
                 village: str | None = None) -> pd.DataFrame:
    """insights.quality.issue_groups within the user's scope (counts, rows and cell links - an admin's only: no values)."""
    if tab:
        require_read(user, tab)
    return sheet_links_shown(user, quality.issue_groups(_cur(con), tab, rule, severity, village, tabs=quality_scope(user)[0]))


def issue_counts(con: Any, user: User) -> pd.DataFrame:
    return quality.issue_counts(_cur(con), quality_scope(user)[0])


def issue_totals(con: Any, user: User) -> dict:
    return quality.issue_totals(_cur(con), quality_scope(user)[0])


def open_errors_by_tab(con: Any, user: User) -> pd.DataFrame:
    return quality.open_errors_by_tab(_cur(con), quality_scope(user)[0])


# --- what a page may offer ------------------------------------------------------------------------

def tabs_to_open(user: User) -> list[Tab]:
    """The tabs this user may read, in the registry's order (the Tables page's picker)."""
    return readable_tabs(user, TABS)


def may_edit(user: User, tab: Tab | str) -> bool:
    """The user may change this tab's rows here: their role writes it, and its rows have a key to be found by
    (an append-only log, such as the audit log, has none)."""
    spec = registered_tab(tab)
    return can_write(user, spec) and bool(spec.key)


# --- history and the audit trail ------------------------------------------------------------------

def row_history(db: Any, user: User, tab: Tab | str, row_key: str, limit: int = 200) -> pd.DataFrame:
    """A row's changes, newest first; old/new values of personal data masked for roles without access
    (a whole added or deleted row is kept as JSON: it is masked whole), and who made them (an e-mail,
    personal data) masked for everyone but an admin, except their own."""
    spec = registered_tab(tab)
    require_read(user, spec)
    frame = _cur(db).execute(
        'SELECT "at", "user", "column", old, new, via FROM _audit WHERE tab = ? AND row_key = ? AND via <> ? '
        'ORDER BY "at" DESC LIMIT ?', [spec.name, row_key, audit.VIEW, limit]).df()
    frame["user"] = [email_shown(user, who) for who in frame["user"]]
    if sees_personal_data(user, spec) or not spec.has_personal_data or frame.empty:
        return frame
    pii = {c.name for c in spec.columns if c.pii}
    hide = frame["column"].isin(pii) | frame["column"].isna() | (frame["column"] == "")
    for column in ("old", "new"):
        frame[column] = frame[column].astype(object).where(~hide | frame[column].isna(), MASK)
    return frame


def audit_log(db: Any, user: User, tab: str | None = None, who: str | None = None, via: str | None = None,
              limit: int = 5000) -> pd.DataFrame:
    """The audit trail (`_audit`), newest first, filtered by tab / user (e-mail contains) / via. Admins only."""
    require_admin(user)
    conditions, params = ["TRUE"], []
    if tab:
        conditions.append("tab = ?")
        params.append(tab)
    if who:
        conditions.append('"user" ILIKE ?')
        params.append(f"%{who}%")
    if via:
        conditions.append("via = ?")
        params.append(via)
    return _cur(db).execute(
        f'SELECT "at", "user", tab, row_key, "column", old, new, via FROM _audit WHERE {" AND ".join(conditions)} '
        f'ORDER BY "at" DESC LIMIT {int(limit)}', params).df()


def audit_choices(db: Any, user: User) -> dict[str, list[str]]:
    """The tabs, users and vias present in the audit trail (for the filters). Admins only."""
    require_admin(user)
    cur = _cur(db)
    return {column: [r[0] for r in cur.execute(f'SELECT DISTINCT {quote(column)} FROM _audit WHERE {quote(column)} IS NOT NULL ORDER BY 1').fetchall()]
            for column in ("tab", "user", "via")}


def outbox_entries(db: Any, user: User, states: tuple[str, ...] = (*outbox.OPEN_STATES, outbox.SENT, outbox.DROPPED),
                   limit: int = 500) -> pd.DataFrame:
    """Saves waiting in (or gone through) the outbox, newest first: id, queued at, user, state, tabs, changes, last error."""
    require_admin(user, N_("the outbox"))
    marks = ", ".join("?" for _ in states)
    rows = _cur(db).execute(
        f'SELECT id, queued_at, "user", batch_json, state, last_error FROM _outbox WHERE state IN ({marks}) '
        f'ORDER BY id DESC LIMIT {int(limit)}', list(states)).fetchall()
    out = []
    for entry_id, queued_at, who, batch, state, error in rows:
        request = (json.loads(batch) or {}).get("request", {})
        edits, deletes = request.get("edits", []), request.get("deletes", [])
        appends = request.get("appends", {})
        tabs = sorted({e[0] for e in edits} | {t for t, r in appends.items() if r} | {d[0] for d in deletes})
        added = sum(len(r) for r in appends.values())
        changes = ", ".join([ngettext("{n} cell", "{n} cells", len(edits)).format(n=len(edits)),
                             ngettext("{n} new row", "{n} new rows", added).format(n=added),
                             ngettext("{n} deletion", "{n} deletions", len(deletes)).format(n=len(deletes))])
        out.append({"id": int(entry_id), "queued_at": queued_at, "user": who, "state": state, "tabs": ", ".join(tabs),
                    "changes": changes, "last_error": error})
    return pd.DataFrame(out, columns=["id", "queued_at", "user", "state", "tabs", "changes", "last_error"])


def outbox_problems(db: Any, user: User) -> list[outbox.OutboxEntry]:
    """The waiting saves in conflict or refused that this user may act on: their own; an admin, everyone's."""
    return [e for e in outbox.entries(db, (outbox.CONFLICT, outbox.REFUSED))
            if sees_person(user, e.user)]


def sync_status(db: Any, user: User) -> dict[str, Any]:
    """Freshness for the Sync page: last refresh (source label, version, when, rows), refreshes, outbox counts."""
    require_admin(user)
    cur = _cur(db)
    meta = cur.execute("SELECT source, version, refreshed_at, rows FROM _meta WHERE tab = '*'").fetchone()
    refreshes = cur.execute("SELECT refreshed_at, version, errors, warnings FROM _refreshes ORDER BY refreshed_at DESC LIMIT 20").df()
    counts = dict(cur.execute("SELECT state, count(*) FROM _outbox GROUP BY state").fetchall())
    tabs = cur.execute("SELECT tab, rows, refreshed_at FROM _meta WHERE tab <> '*' ORDER BY tab").df()
    return {"source": meta[0] if meta else None, "version": meta[1] if meta else None,
            "refreshed_at": meta[2] if meta else None, "rows": int(meta[3]) if meta else 0,
            "refreshes": refreshes, "tabs": tabs, "outbox": {s: int(counts.get(s, 0)) for s in (*outbox.OPEN_STATES, outbox.SENT, outbox.DROPPED)}}


def source_freshness(db: Any) -> dict[str, Any]:
    """Where the cached figures come from and when they were read, for any known role (every page's
    freshness line shows the same): source label and kind, time of the last refresh, rows read."""
    meta = _cur(db).execute("SELECT source, refreshed_at, rows FROM _meta WHERE tab = '*'").fetchone()
    if meta is None:
        return {"source": None, "kind": None, "refreshed_at": None, "rows": 0}
    kind = "Google Sheet" if str(meta[0]).startswith("Google Sheet") else "Workbook"
    return {"source": meta[0], "kind": kind, "refreshed_at": meta[1], "rows": int(meta[2] or 0)}


def user_for(db: Any, email: str) -> User | None:
    """The user registered for a signed-in e-mail (case does not matter), or None; a role this app does
    not know counts as no role (fail closed)."""
    row = _cur(db).execute("SELECT role, name FROM users WHERE lower(trim(email)) = lower(trim(?))", [email]).fetchone()
    if row is None or row[0] not in ROLES:
        return None
    return User(email=email, role=row[0], name=row[1] or "")


# --- small counts ---------------------------------------------------------------------------------

def small_count_threshold(con: Any) -> int:
    """The `small_count_threshold` programme setting: the settings tab's value when its rule accepts it and it
    is not below the floor - the default (5), or a lower value an admin set in the secrets file; else the floor."""
    key = "small_count_threshold"
    floor = setting_spec(key).floor_from(admin_settings().get(key))
    return int(programme_setting(_cur(con), key, floor))


# --- what the editor offers ------------------------------------------------------------------------

LABEL_LIMIT = 20_000  # above this many rows a foreign key is typed, not picked


def fk_labels(con: Any, user: User, ref: str) -> dict[str, str]:
    """Code -> "HH-0042 · Sok Dara · Krol Kor": the key, the row's name (masked when not allowed) and its village."""
    target, column = ref.split(".")
    try:
        tab = registered_tab(target)
    except KeyError:
        return {}
    if not can_read(user, tab):
        return {}
    if con.execute(f"SELECT count(*) FROM {quote(target)}").fetchone()[0] > LABEL_LIMIT:
        return {}
    name = tab.row_label_column  # declared in the schema (column(..., row_label=True))
    masked = name is not None and name.pii and not sees_personal_data(user, tab)
    select = [f"t.{quote(column)}", f"t.{quote(name.name)}" if name else "NULL"]
    join = ""
    place = tab.place_column
    if place is not None and place != column:  # the villages tab itself names its village already
        select.append("v.village")
        join = f" LEFT JOIN villages v ON v.village_code = t.{quote(place)}"
    else:
        select.append("NULL")
    labels = {}
    for code, label, village in con.execute(f"SELECT {', '.join(select)} FROM {quote(target)} t{join} ORDER BY 1").fetchall():
        if code is None:
            continue
        parts = [str(code)] + ([MASK if masked else str(label)] if label is not None else []) + ([str(village)] if village else [])
        labels[str(code)] = " · ".join(parts)
    return labels


_KEY_PATTERN = re.compile(r"^\^?(?P<prefix>[A-Za-z0-9_]*-?)\\d\{(?P<digits>\d+)(?:,\d*)?\}\$?$")


def next_key(con: Any, tab: Tab) -> str | None:
    """The next free id following the key's pattern: RL-000123 -> RL-000124 (None if the key has no such pattern)."""
    if len(tab.key) != 1:
        return None
    spec = tab.column(tab.key[0])
    match = _KEY_PATTERN.match(spec.pattern or "") if spec.kind == "text" else None
    if match is None:
        return None
    prefix, width = match["prefix"], int(match["digits"])
    # The biggest number after the prefix, found by DuckDB in one pass (a Python loop over a million ids
    # took seconds on every rerun of the Tables page); the width is that id's digits (ties: the most digits).
    column = quote(spec.name)
    found = con.execute(
        f"SELECT n, length(d) FROM (SELECT d, TRY_CAST(d AS HUGEINT) AS n FROM (SELECT substr({column}, ?) AS d "
        f"FROM {quote(tab.name)} WHERE starts_with({column}, ?)) WHERE regexp_full_match(d, '[0-9]+')) "
        "ORDER BY n DESC, length(d) DESC LIMIT 1", [len(prefix) + 1, prefix]).fetchone()
    top = 0
    if found is not None and found[0] is not None:  # an id longer than a HUGEINT (38 digits) is not counted
        top, width = int(found[0]), max(width, int(found[1]))
    return f"{prefix}{top + 1:0{width}d}"
