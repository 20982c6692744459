"""The cache after a write (or a queued save, or a conflict): the changed keys' rows and their known
issues updated in place, without a full refresh."""
from __future__ import annotations

import json
from typing import Any

from connectors.sources.interface import CellUpdate
from connectors.store.cache import quote
from connectors.store.transaction import atomic
from connectors.sync.request import DELETED, Conflict, SaveRequest
from connectors.sync.values import key_of
from schemas.base import normalise_header
from schemas.issues import params_json
from schemas.registry import Tab
from schemas.registry import tab as registered_tab


def _where(tab: Tab) -> str:
    return tab.row_key.where_sql(quote)


def apply_changes(cache: Any, updates: list[CellUpdate], appended: list[tuple[str, dict[str, Any], int]],
           deleted: list[tuple[str, tuple[str, ...], int]]) -> None:
    """Update the cached rows of the changed keys (and their known issues) without a full refresh."""
    with cache._lock:
        cur = cache.cursor()
        with atomic(cur):
            for u in updates:
                tab = registered_tab(u.tab)
                cur.execute(f"UPDATE {quote(u.tab)} SET {quote(u.column)} = ? WHERE {_where(tab)}", [u.new, *u.key])
                row = cur.execute(f"SELECT _row FROM {quote(u.tab)} WHERE {_where(tab)}", list(u.key)).fetchone()
                if row is not None:
                    _forget_issues(cur, tab, int(row[0]), u.column)
            for name, values, sheet_row in appended:
                tab = registered_tab(name)
                if tab.key:
                    cur.execute(f"DELETE FROM {quote(name)} WHERE {_where(tab)}", list(key_of(tab, values)))
                taken = cur.execute(f"SELECT count(*) FROM {quote(name)} WHERE _row = ?", [sheet_row]).fetchone()[0]
                if taken:  # Google placed the row at write time, under rows this cache has not seen: keep _row unique
                    sheet_row = int(cur.execute(f"SELECT coalesce(max(_row), 1) + 1 FROM {quote(name)}").fetchone()[0])
                columns = [c for c in values if c in {s.name for s in tab.columns}]
                cur.execute(f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in [*columns, '_row'])}) "
                            f"VALUES ({', '.join('?' for _ in range(len(columns) + 1))})", [values[c] for c in columns] + [sheet_row])
            for name, key, sheet_row in sorted(deleted, key=lambda d: -(d[2] or 0)):  # None: the row's place is not known
                tab = registered_tab(name)
                found = cur.execute(f"SELECT _row FROM {quote(name)} WHERE {_where(tab)}", list(key)).fetchone()
                if found is None:
                    continue  # already gone from the cache (applied when it was queued)
                row = int(found[0]) if sheet_row is None else sheet_row
                cur.execute(f"DELETE FROM {quote(name)} WHERE {_where(tab)}", list(key))
                cur.execute(f"UPDATE {quote(name)} SET _row = _row - 1 WHERE _row > ?", [row])
                cur.execute('DELETE FROM _issues WHERE tab = ? AND "row" = ?', [name, row])
                renumber_issues(cur, name, row)


# The fields of a rule's message that name another row of the same tab ("also used in row 12").
ROW_FIELDS = ("first_row", "other_row", "died_row")


def renumber_issues(cur: Any, tab_name: str, gone: int) -> None:
    """After sheet row `gone` of `tab_name` was deleted, the problems below it move up with their rows: the
    row, the A1 cell, the link's cell and every row their message names, so each "Row N" (and "cell E7")
    still matches the sheet. A problem that named the deleted row (an id also used there) went with it."""
    cur.execute("""UPDATE _issues SET
                       link = CASE WHEN cell IS NOT NULL AND ends_with(link, cell)
                                   THEN left(link, length(link) - length(cell)) || regexp_extract(cell, '^[A-Z]+') || CAST("row" - 1 AS VARCHAR)
                                   ELSE link END,
                       cell = CASE WHEN cell IS NOT NULL THEN regexp_extract(cell, '^[A-Z]+') || CAST("row" - 1 AS VARCHAR) END,
                       "row" = "row" - 1
                   WHERE tab = ? AND "row" > ?""", [tab_name, gone])
    naming = " OR ".join(f"params LIKE '%\"{field}\"%'" for field in ROW_FIELDS)
    for rowid, stored in cur.execute(f"SELECT rowid, params FROM _issues WHERE tab = ? AND ({naming})", [tab_name]).fetchall():
        fields = json.loads(stored)
        named = [k for k in ROW_FIELDS if isinstance(fields.get(k), int)]
        if any(fields[k] == gone for k in named):
            cur.execute("DELETE FROM _issues WHERE rowid = ?", [rowid])
        elif any(fields[k] > gone for k in named):
            fields.update({k: fields[k] - 1 for k in named if fields[k] > gone})
            cur.execute("UPDATE _issues SET params = ? WHERE rowid = ?", [params_json(fields), rowid])


def _forget_issues(cur: Any, tab: Tab, row: int, column: str) -> None:
    spec = tab.column(column)
    wanted = {normalise_header(spec.name), normalise_header(spec.title)}
    for (header,) in cur.execute('SELECT DISTINCT "column" FROM _issues WHERE tab = ? AND "row" = ?', [tab.name, row]).fetchall():
        if normalise_header(header) in wanted:
            cur.execute('DELETE FROM _issues WHERE tab = ? AND "row" = ? AND "column" = ?', [tab.name, row, header])


def apply_optimistically(cache: Any, request: SaveRequest) -> None:
    """A queued save shows in the cache at once (a refresh from the source replaces it until the replay)."""
    cur = cache.cursor()
    updates = [CellUpdate(e.tab, e.key, e.column, e.old, e.new) for e in request.edits]
    appended = []
    for name, rows in request.appends.items():
        if not registered_tab(name).key:
            continue  # a keyless row could not be told apart from its replay
        last = cur.execute(f"SELECT coalesce(max(_row), 1) FROM {quote(name)}").fetchone()[0]
        appended += [(name, row, int(last) + 1 + i) for i, row in enumerate(rows)]
    apply_changes(cache, updates, appended, [(d.tab, d.key, None) for d in request.deletes])


def show_theirs(cache: Any, conflicts: list[Conflict]) -> None:
    """After a conflict the cache shows what is in the sheet now, so "keep theirs" needs nothing more."""
    updates = [CellUpdate(c.tab, c.key, c.column, c.ours, c.theirs) for c in conflicts
               if c.column is not None and c.theirs is not DELETED and c.theirs != DELETED]
    for c in conflicts:
        if c.column is None and isinstance(c.theirs, dict):
            updates += [CellUpdate(c.tab, c.key, col, None, v) for col, v in c.theirs.items()]
    gone = [(c.tab, c.key, None) for c in conflicts if c.theirs == DELETED and c.column is not None]
    apply_changes(cache, updates, [], gone)
    cache.changed()
