"""Writes that never lose anyone's work: validate, check for conflicts, one batched write, audit, cache.

`save()` runs the whole path for the Tables page (and any other writer):

1. every touched tab passes `require_write` for the user (a viewer's save raises AccessDenied);
2. the edited and new rows are validated with the tab's schema and the cross-tab rules that touch them
   (on the cached tables with the edits applied; only errors the edit brings count) - errors: nothing
   is written, they come back per row and column;
3. the touched tabs (and audit_log) are re-read in ONE `source.read`, and every edited cell, deleted row
   and new key is compared with what the user started from - if anyone changed them, nothing is
   written and the result lists theirs vs ours;
4. ONE `source.write` with only the changed cells (located by key in the grids just read) and the
   audit rows appended to `audit_log` in the same request;
5. `_audit` and the cache's rows for the changed keys are updated in place (no full refresh).

When the source cannot be reached the save waits in the outbox (connectors.outbox); `replay()` sends it
later with the same check, and recognises a write that did land before a timeout.
"""
from __future__ import annotations

import datetime as dt
import math
import threading
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from connectors import audit, outbox
from connectors.access import LOCAL_ADMIN, AccessDenied, User, require_write
from connectors.cache import quote
from connectors.source import CellUpdate, Grid, RowAppend, SourceError, SourceUnreachable, WriteBatch, WriteResult
from schemas.base import ColumnSpec, match_headers, normalise_header
from schemas.coerce import coerce_column
from schemas.registry import TABS, Tab, tab as registered_tab

SAVED, INVALID, CONFLICT, QUEUED, UNCHANGED, ALREADY = "saved", "invalid", "conflict", "queued", "unchanged", "already_applied"
DELETED = "(row deleted)"
_write_lock = threading.Lock()  # one read-check-write at a time per process


# --- what a page hands over ---------------------------------------------------------------------

@dataclass(frozen=True)
class CellEdit:
    tab: str
    key: tuple[str, ...]  # the key columns' values as text (see `key_of`)
    column: str  # schema column name
    old: Any  # what the user started from
    new: Any


@dataclass(frozen=True)
class RowDelete:
    tab: str
    key: tuple[str, ...]
    old: dict[str, Any] | None = None  # the row as the user saw it; if given, a changed row is a conflict


@dataclass
class SaveRequest:
    edits: list[CellEdit] = field(default_factory=list)
    appends: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deletes: list[RowDelete] = field(default_factory=list)

    def tabs(self) -> list[str]:
        names = {e.tab for e in self.edits} | {t for t, rows in self.appends.items() if rows} | {d.tab for d in self.deletes}
        return sorted(names)

    def empty(self) -> bool:
        return not self.tabs()

    def to_payload(self) -> dict[str, Any]:
        enc = outbox.encode_value
        return {"edits": [[e.tab, list(e.key), e.column, enc(e.old), enc(e.new)] for e in self.edits],
                "appends": {t: [{k: enc(v) for k, v in row.items()} for row in rows] for t, rows in self.appends.items()},
                "deletes": [[d.tab, list(d.key), enc(d.old)] for d in self.deletes]}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> "SaveRequest":
        dec = outbox.decode_value
        return cls([CellEdit(t, tuple(k), c, dec(o), dec(n)) for t, k, c, o, n in data.get("edits", [])],
                   {t: [{k: dec(v) for k, v in row.items()} for row in rows] for t, rows in data.get("appends", {}).items()},
                   [RowDelete(t, tuple(k), dec(o)) for t, k, o in data.get("deletes", [])])


# --- what comes back ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    """A problem with an edited or new row, for the page to show next to it."""

    tab: str
    key: tuple[str, ...] | None
    column: str | None  # schema column name, None for the whole row
    message: str
    severity: str = "error"
    rule: str = ""
    new_row: int | None = None  # position in appends[tab] for a row being added


@dataclass(frozen=True)
class Conflict:
    """Someone changed what we started from: theirs (now in the sheet) vs ours."""

    tab: str
    key: tuple[str, ...]
    column: str | None  # None: the whole row (deleted by someone, or the key was taken meanwhile)
    started_from: Any
    theirs: Any
    ours: Any


@dataclass
class SaveResult:
    status: str  # saved | invalid | conflict | queued | unchanged | already_applied
    message: str = ""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    written: WriteResult | None = None
    outbox_id: int | None = None
    audit: list[audit.AuditEntry] = field(default_factory=list)
    request: SaveRequest | None = None

    @property
    def ok(self) -> bool:
        return self.status in (SAVED, UNCHANGED, ALREADY)

    def reapply(self) -> SaveRequest:
        """"Re-apply mine": the same save, starting from their values, so the check passes this time."""
        assert self.request is not None
        theirs = {(c.tab, c.key, c.column): c.theirs for c in self.conflicts}
        edits = [replace(e, old=theirs[(e.tab, e.key, e.column)]) if (e.tab, e.key, e.column) in theirs else e
                 for e in self.request.edits if theirs.get((e.tab, e.key, e.column)) is not DELETED]
        deletes = [replace(d, old=theirs.get((d.tab, d.key, None), d.old)) for d in self.request.deletes]
        return SaveRequest(edits, self.request.appends, deletes)


# --- values ---------------------------------------------------------------------------------------

def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def typed(value: Any, spec: ColumnSpec, date_order: str = "day_first") -> Any:
    """A value in its column's Python type (str, int, float, bool, datetime.date) or None.

    Text that cannot be read as the column's type is kept as text so validation reports it."""
    if isinstance(value, np.generic):
        value = value.item()
    if _missing(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if spec.kind == "text":
        if isinstance(value, str):
            return value.strip()
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
    if _missing(out):
        return None
    if spec.kind == "date":
        return pd.Timestamp(out).date()
    return out.item() if isinstance(out, np.generic) else out


def same(a: Any, b: Any, spec: ColumnSpec, date_order: str = "day_first") -> bool:
    a, b = typed(a, spec, date_order), typed(b, spec, date_order)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def key_text(value: Any) -> str:
    """A key cell as text, the way keys are compared everywhere (2017.0 -> "2017")."""
    value = audit.text(value)
    return "" if value is None else value.strip()


def key_of(tab: Tab | str, row: Mapping[str, Any]) -> tuple[str, ...]:
    spec = tab if isinstance(tab, Tab) else registered_tab(tab)
    return tuple(key_text(row.get(k)) for k in spec.key)


# --- the save -------------------------------------------------------------------------------------

def save(cache: Any, source: Any, user: User, edits: Iterable[CellEdit] = (),
         appends: Mapping[str, list[dict[str, Any]]] | Iterable[RowAppend] | None = None,
         deletes: Iterable[RowDelete | tuple] = (), via: str = "app", *, date_order: str = "day_first",
         queue: bool = True) -> SaveResult:
    """Validate, check, write once, audit, update the cache. See the module's docstring."""
    request = _request(edits, appends, deletes, date_order)
    if request.empty():
        return SaveResult(UNCHANGED, "Nothing to save.", request=request)
    for name in request.tabs():
        require_write(user, name)
    for name in request.tabs():
        if not registered_tab(name).key and (any(e.tab == name for e in request.edits) or any(d.tab == name for d in request.deletes)):
            error = RowError(name, None, None, f"Rows of '{registered_tab(name).title}' can only be added, not changed or deleted.")
            return SaveResult(INVALID, error.message, errors=[error], request=request)
    errors, warnings = check(cache, request, date_order)
    if errors:
        return SaveResult(INVALID, f"{len(errors)} problem(s) found: nothing was saved. Correct them and save again.",
                          errors=errors, warnings=warnings, request=request)
    result = _send(cache, source, user, request, via, date_order, queue_as=None if queue else -1)
    result.warnings = warnings
    return result


def _request(edits: Iterable[CellEdit], appends: Any, deletes: Iterable[Any], date_order: str) -> SaveRequest:
    request = SaveRequest()
    for edit in edits:
        spec = registered_tab(edit.tab).column(edit.column)
        old, new = typed(edit.old, spec, date_order), typed(edit.new, spec, date_order)
        if not same(old, new, spec, date_order):
            request.edits.append(CellEdit(edit.tab, tuple(key_text(k) for k in edit.key), edit.column, old, new))
    if isinstance(appends, Mapping):
        pairs = [(name, row) for name, rows in appends.items() for row in rows]
    else:
        pairs = [(a.tab, a.values) for a in appends or ()]
    for name, row in pairs:
        tab = registered_tab(name)
        request.appends.setdefault(name, []).append({c.name: typed(row.get(c.name), c, date_order) for c in tab.columns if c.name in row})
    for item in deletes:
        item = item if isinstance(item, RowDelete) else RowDelete(*item)
        tab = registered_tab(item.tab)
        old = None if item.old is None else {c.name: typed(item.old.get(c.name), c, date_order) for c in tab.columns if c.name in item.old}
        request.deletes.append(RowDelete(item.tab, tuple(key_text(k) for k in item.key), old))
    return request


# --- validation -----------------------------------------------------------------------------------

def _related(touched: list[str]) -> list[str]:
    """The touched tabs, the tabs they point to, the tabs that point to them, and settings."""
    known = {t.name for t in TABS}
    names = set(touched) | ({"settings"} & known)
    for tab in TABS:
        for spec in tab.columns:
            target = spec.ref.split(".")[0] if spec.ref else None
            if target and tab.name in touched:
                names.add(target)
            if target in touched:
                names.add(tab.name)
    return [t.name for t in TABS if t.name in names]


def check(cache: Any, request: SaveRequest, date_order: str = "day_first") -> tuple[list[RowError], list[RowError]]:
    """Errors and warnings the save would bring: the cached tables with the changes applied, validated with
    the tabs' schemas and the cross-tab rules; problems already known before the edit (in `_issues`) on
    cells the user did not touch are left out."""
    from schemas.validate import validate_workbook

    touched = request.tabs()
    names = _related(touched)
    cur = cache.cursor()
    grids: dict[str, Grid] = {}
    info: dict[str, dict[int, tuple[tuple[str, ...] | None, int | None, set[str]]]] = {}  # row -> (key, new row, edited)
    errors: list[RowError] = []
    for name in names:
        tab = registered_tab(name)
        names_ = [c.name for c in tab.columns]
        frame = cur.execute(f"SELECT * FROM {quote(name)} ORDER BY _row").df()
        values = frame[names_].astype(object).where(frame[names_].notna(), None).values.tolist()
        sheet_rows = [int(r) for r in frame["_row"].tolist()]
        rows = {r: v for r, v in zip(sheet_rows, values)}
        keys = {key_of(tab, dict(zip(names_, v))): r for r, v in rows.items()} if tab.key else {}
        info[name] = {r: (key_of(tab, dict(zip(names_, v))) if tab.key else None, None, set()) for r, v in rows.items()}
        if name in touched:
            for edit in (e for e in request.edits if e.tab == name):
                r = keys.get(edit.key)
                if r is None:
                    errors.append(RowError(name, edit.key, edit.column, f"Row {'/'.join(edit.key)} is not in '{tab.title}' any more. Refresh and try again."))
                    continue
                rows[r][names_.index(edit.column)] = edit.new
                info[name][r][2].add(edit.column)
            for delete in (d for d in request.deletes if d.tab == name):
                r = keys.get(delete.key)
                if r is not None:
                    rows[r] = []
                    info[name].pop(r, None)
            last = max(sheet_rows, default=1)
            for i, row in enumerate(request.appends.get(name, [])):
                r = last + 1 + i
                rows[r] = [row.get(n) for n in names_]
                info[name][r] = (key_of(tab, row) if tab.key else None, i, set(names_))
        grid_rows = [rows.get(r, []) for r in range(2, max(rows, default=1) + 1)]
        grids[name] = Grid(name, [c.title for c in tab.columns], grid_rows, first_row=2)
    _, issues = validate_workbook(grids, tabs=[registered_tab(n) for n in names], date_order=date_order)
    known = _known_issues(cur, names)
    warnings: list[RowError] = []
    for issue in issues:
        if issue.row is None or issue.tab not in info:
            continue
        column = _column_name(registered_tab(issue.tab), issue.column)
        key, new_row, edited = info[issue.tab].get(issue.row, (None, None, set()))
        mine = new_row is not None or column in edited
        if not mine and (issue.tab, issue.row, column) in known:
            continue
        if issue.severity == "warning" and not (mine or edited):
            continue
        found = RowError(issue.tab, key, column, issue.message, issue.severity, issue.rule, new_row)
        (errors if issue.severity == "error" else warnings).append(found)
    return errors, warnings


def _column_name(tab: Tab, header: str | None) -> str | None:
    if header is None:
        return None
    found = match_headers(tab.schema, [header])
    return next(iter(found), header)


def _known_issues(cur: Any, names: list[str]) -> set[tuple[str, int, str | None]]:
    marks = ", ".join("?" for _ in names)
    rows = cur.execute(f'SELECT tab, "row", "column" FROM _issues WHERE "row" IS NOT NULL AND tab IN ({marks})', names).fetchall()
    return {(t, int(r), _column_name(registered_tab(t), c)) for t, r, c in rows}


# --- the conflict check and the write -------------------------------------------------------------

@dataclass
class _Located:
    tab: Tab
    grid: Grid
    columns: dict[str, int]
    index: dict[tuple[str, ...], int]  # key -> position in grid.rows

    def cell(self, position: int, column: str, date_order: str) -> Any:
        i = self.columns.get(column)
        row = self.grid.rows[position]
        raw = row[i] if i is not None and i < len(row) else None
        return typed(raw, self.tab.column(column), date_order)

    def row(self, position: int, date_order: str) -> dict[str, Any]:
        return {c.name: self.cell(position, c.name, date_order) for c in self.tab.columns}


def _locate(tab: Tab, grid: Grid, date_order: str) -> _Located:
    columns = match_headers(tab.schema, grid.header)
    missing = [k for k in tab.key if k not in columns]
    if missing:
        raise SourceError(f"Tab '{tab.name}' has no column '{tab.column(missing[0]).title}', so its rows cannot be found. Add the header and try again.")
    parts = []
    for k in tab.key:
        i = columns[k]
        raw = np.array([row[i] if i < len(row) else None for row in grid.rows], dtype=object)
        parts.append([key_text(v) for v in coerce_column(raw, tab.column(k), date_order).values])
    index: dict[tuple[str, ...], int] = {}
    for position, key in enumerate(zip(*parts)):
        if any(key):
            index.setdefault(tuple(key), position)
    return _Located(tab, grid, columns, index)


@dataclass
class _Plan:
    batch: WriteBatch = field(default_factory=WriteBatch)
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[tuple[str, tuple[str, ...], str | None, Any, Any]] = field(default_factory=list)  # for the audit
    appended: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # tab, row, sheet row
    deleted: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)  # tab, key, sheet row


def _compare(request: SaveRequest, grids: dict[str, Grid], date_order: str) -> _Plan:
    plan = _Plan()
    located: dict[str, _Located] = {}
    for name in request.tabs():
        if name not in grids:
            raise SourceError(f"The source has no tab '{name}'. Add it (python cli.py provision) before saving to it.")
        located[name] = _locate(registered_tab(name), grids[name], date_order) if registered_tab(name).key else None
    for edit in request.edits:
        where = located[edit.tab]
        position = where.index.get(edit.key)
        if position is None:
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, DELETED, edit.new))
            continue
        current = where.cell(position, edit.column, date_order)
        spec = where.tab.column(edit.column)
        if same(current, edit.new, spec, date_order):
            continue  # already there (a replay whose write landed, or the same change made by someone else)
        if not same(current, edit.old, spec, date_order):
            plan.conflicts.append(Conflict(edit.tab, edit.key, edit.column, edit.old, current, edit.new))
            continue
        plan.batch.updates.append(CellUpdate(edit.tab, edit.key, edit.column, current, edit.new))
        plan.changes.append((edit.tab, edit.key, edit.column, edit.old, edit.new))
    for name, rows in request.appends.items():
        tab, where = registered_tab(name), located.get(name)
        next_row = grids[name].first_row + len(grids[name].rows)
        for row in rows:
            key = key_of(tab, row) if tab.key else ()
            position = where.index.get(key) if where is not None else None
            if position is not None:
                theirs = where.row(position, date_order)
                if all(same(theirs.get(c), v, tab.column(c), date_order) for c, v in row.items()):
                    continue  # this very row is already there: an earlier attempt landed
                plan.conflicts.append(Conflict(name, key, None, None, theirs, row))
                continue
            plan.batch.appends.append(RowAppend(name, row))
            plan.changes.append((name, key, None, None, row))
            plan.appended.append((name, row, next_row))
            next_row += 1
    for delete in request.deletes:
        where = located[delete.tab]
        position = where.index.get(delete.key)
        if position is None:
            continue  # already gone
        theirs = where.row(position, date_order)
        if delete.old is not None and not all(same(theirs.get(c), v, where.tab.column(c), date_order) for c, v in delete.old.items()):
            plan.conflicts.append(Conflict(delete.tab, delete.key, None, delete.old, theirs, DELETED))
            continue
        plan.batch.deletes.append((delete.tab, delete.key))
        plan.changes.append((delete.tab, delete.key, None, theirs, None))
        plan.deleted.append((delete.tab, delete.key, grids[delete.tab].first_row + position))
    return plan


def _send(cache: Any, source: Any, user: User, request: SaveRequest, via: str, date_order: str,
          queue_as: int | None = None) -> SaveResult:
    """Read once, compare, write once. `queue_as`: None = queue a new outbox entry when unreachable;
    -1 = do not queue; an id = this is that entry's replay (it stays in the outbox)."""
    touched = request.tabs()
    with _write_lock:
        attempted: list[audit.AuditEntry] = []
        try:
            grids = source.read(sorted(set(touched) | {audit.AUDIT_TAB}))
            plan = _compare(request, grids, date_order)
            if plan.conflicts:
                _show_theirs(cache, plan.conflicts)
                return SaveResult(CONFLICT, f"Someone changed {len(plan.conflicts)} of these cells or rows since you opened them: "
                                  "nothing was saved. Keep theirs, or re-apply yours.", conflicts=plan.conflicts, request=request)
            if not plan.batch.updates and not plan.batch.appends and not plan.batch.deletes:
                return SaveResult(ALREADY, "These changes are already in the sheet.", request=request)
            at = audit.now()
            attempted = [audit.AuditEntry(at, user.email, t, "/".join(k), c, audit.text(o), audit.text(n), via) for t, k, c, o, n in plan.changes]
            if audit.AUDIT_TAB in grids:
                plan.batch.appends += [RowAppend(audit.AUDIT_TAB, e.sheet_row()) for e in attempted]
            written = source.write(plan.batch, located=grids)
        except SourceUnreachable as exc:
            return _unreachable(cache, user, request, via, exc, attempted, queue_as)
        _apply(cache, plan.batch.updates, plan.appended, plan.deleted)
        audit.record(cache, attempted)
        cache.changed()
        return SaveResult(SAVED, f"Saved: {written.cells_updated} cell(s) changed, {len(plan.appended)} row(s) added, "
                          f"{written.rows_deleted} row(s) deleted.", written=written, audit=attempted, request=request)


def _unreachable(cache: Any, user: User, request: SaveRequest, via: str, exc: Exception,
                 attempted: list[audit.AuditEntry], queue_as: int | None) -> SaveResult:
    if queue_as == -1:
        raise exc
    payload = {"request": request.to_payload(), "role": user.role, "name": user.name, "via": via,
               "attempted_audit": [[outbox.encode_value(e.at), e.user, e.tab, e.row_key, e.column, e.old, e.new, e.via] for e in attempted]}
    if queue_as is None:
        entry = outbox.put(cache, user.email, payload, str(exc))
        _apply_optimistically(cache, request)
        cache.changed()
    else:
        entry = queue_as
        old = outbox.get(cache, entry)
        if old is not None and attempted:
            outbox.mark(cache, entry, outbox.PENDING, str(exc), {**old.payload, "attempted_audit": payload["attempted_audit"]})
        else:
            outbox.mark(cache, entry, outbox.PENDING, str(exc))
    return SaveResult(QUEUED, f"The source cannot be reached ({exc}). Your change waits in the outbox and is sent "
                      "when the connection is back.", outbox_id=entry, request=request)


# --- the cache, in place ------------------------------------------------------------------------

def _where(tab: Tab) -> str:
    return " AND ".join(f"CAST({quote(k)} AS VARCHAR) = ?" for k in tab.key)


def _cache_key(tab: Tab, key: tuple[str, ...]) -> list[str]:
    # an int key is stored as BIGINT and reads back as "2017"; text as itself
    return list(key)


def _apply(cache: Any, updates: list[CellUpdate], appended: list[tuple[str, dict[str, Any], int]],
           deleted: list[tuple[str, tuple[str, ...], int]]) -> None:
    """Update the cached rows of the changed keys (and their known issues) without a full refresh."""
    with cache._lock:
        cur = cache.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            for u in updates:
                tab = registered_tab(u.tab)
                cur.execute(f"UPDATE {quote(u.tab)} SET {quote(u.column)} = ? WHERE {_where(tab)}", [u.new, *_cache_key(tab, u.key)])
                row = cur.execute(f"SELECT _row FROM {quote(u.tab)} WHERE {_where(tab)}", _cache_key(tab, u.key)).fetchone()
                if row is not None:
                    _forget_issues(cur, tab, int(row[0]), u.column)
            for name, values, sheet_row in appended:
                tab = registered_tab(name)
                if tab.key:
                    cur.execute(f"DELETE FROM {quote(name)} WHERE {_where(tab)}", _cache_key(tab, key_of(tab, values)))
                columns = [c for c in values if c in {s.name for s in tab.columns}]
                cur.execute(f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in columns + ['_row'])}) "
                            f"VALUES ({', '.join('?' for _ in range(len(columns) + 1))})", [values[c] for c in columns] + [sheet_row])
            for name, key, sheet_row in sorted(deleted, key=lambda d: -d[2]):
                tab = registered_tab(name)
                found = cur.execute(f"SELECT _row FROM {quote(name)} WHERE {_where(tab)}", _cache_key(tab, key)).fetchone()
                if found is None:
                    continue  # already gone from the cache (applied when it was queued)
                row = int(found[0]) if sheet_row is None else sheet_row
                cur.execute(f"DELETE FROM {quote(name)} WHERE {_where(tab)}", _cache_key(tab, key))
                cur.execute(f"UPDATE {quote(name)} SET _row = _row - 1 WHERE _row > ?", [row])
                cur.execute('DELETE FROM _issues WHERE tab = ? AND "row" = ?', [name, row])
                cur.execute('UPDATE _issues SET "row" = "row" - 1 WHERE tab = ? AND "row" > ?', [name, row])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise


def _forget_issues(cur: Any, tab: Tab, row: int, column: str) -> None:
    spec = tab.column(column)
    wanted = {normalise_header(spec.name), normalise_header(spec.title)}
    for (header,) in cur.execute('SELECT DISTINCT "column" FROM _issues WHERE tab = ? AND "row" = ?', [tab.name, row]).fetchall():
        if normalise_header(header) in wanted:
            cur.execute('DELETE FROM _issues WHERE tab = ? AND "row" = ? AND "column" = ?', [tab.name, row, header])


def _apply_optimistically(cache: Any, request: SaveRequest) -> None:
    """A queued save shows in the cache at once (a refresh from the source replaces it until the replay)."""
    cur = cache.cursor()
    updates = [CellUpdate(e.tab, e.key, e.column, e.old, e.new) for e in request.edits]
    appended = []
    for name, rows in request.appends.items():
        if not registered_tab(name).key:
            continue  # a keyless row could not be told apart from its replay
        last = cur.execute(f"SELECT coalesce(max(_row), 1) FROM {quote(name)}").fetchone()[0]
        appended += [(name, row, int(last) + 1 + i) for i, row in enumerate(rows)]
    _apply(cache, updates, appended, [(d.tab, d.key, None) for d in request.deletes])


def _show_theirs(cache: Any, conflicts: list[Conflict]) -> None:
    """After a conflict the cache shows what is in the sheet now, so "keep theirs" needs nothing more."""
    updates = [CellUpdate(c.tab, c.key, c.column, c.ours, c.theirs) for c in conflicts
               if c.column is not None and c.theirs is not DELETED and c.theirs != DELETED]
    for c in conflicts:
        if c.column is None and isinstance(c.theirs, dict):
            updates += [CellUpdate(c.tab, c.key, col, None, v) for col, v in c.theirs.items()]
    gone = [(c.tab, c.key, None) for c in conflicts if c.theirs == DELETED and c.column is not None]
    _apply(cache, updates, [], gone)
    cache.changed()


# --- the outbox -----------------------------------------------------------------------------------

def pending(cache: Any) -> int:
    return outbox.pending(cache)


@dataclass
class ReplayResult:
    sent: int = 0
    already: int = 0
    conflicts: int = 0
    refused: int = 0
    waiting: int = 0
    problem: str | None = None
    results: dict[int, SaveResult] = field(default_factory=dict)


def _entry_user(entry: outbox.OutboxEntry) -> User:
    return User(entry.user, entry.payload.get("role", "viewer"), entry.payload.get("name", ""))


def replay(cache: Any, source: Any, user: User | None = None, *, date_order: str = "day_first") -> ReplayResult:
    """Send waiting saves in the order they were made, each as the person who made it, with the same
    conflict check. Stops at the first one the source cannot take (still unreachable)."""
    out = ReplayResult()
    waiting = outbox.entries(cache, (outbox.PENDING,))
    for number, entry in enumerate(waiting):
        who = _entry_user(entry)
        request = SaveRequest.from_payload(entry.payload["request"])
        via = entry.payload.get("via", "app") + " (outbox)"
        try:
            for name in request.tabs():
                require_write(who, name)
            result = _send(cache, source, who, request, via, date_order, queue_as=entry.id)
        except (AccessDenied, SourceError, KeyError) as exc:
            outbox.mark(cache, entry.id, outbox.REFUSED, str(exc))
            out.refused += 1
            continue
        out.results[entry.id] = result
        if result.status == QUEUED:
            out.waiting = len(waiting) - number
            out.problem = result.message
            break
        if result.status == CONFLICT:
            payload = {**entry.payload, "conflicts": [[c.tab, list(c.key), c.column, *map(outbox.encode_value, (c.started_from, c.theirs, c.ours))]
                                                      for c in result.conflicts]}
            outbox.mark(cache, entry.id, outbox.CONFLICT, result.message, payload)
            out.conflicts += 1
        elif result.status == ALREADY:
            landed = [audit.AuditEntry(outbox.decode_value(a[0]), *a[1:]) for a in entry.payload.get("attempted_audit", [])]
            audit.record(cache, landed)  # the trail that landed with the write before the timeout
            outbox.mark(cache, entry.id, outbox.SENT, "Already in the sheet (an earlier attempt landed).")
            out.already += 1
        else:
            outbox.mark(cache, entry.id, outbox.SENT, None)
            out.sent += 1
    return out


def replay_pending(cache: Any, source: Any, user: User | None = None, *, date_order: str = "day_first") -> ReplayResult | None:
    """The hook for after a successful refresh: nothing at all (no source call) when the outbox is empty."""
    if outbox.pending(cache) == 0:
        return None
    try:
        return replay(cache, source, user, date_order=date_order)
    except SourceError as exc:
        return ReplayResult(problem=str(exc), waiting=outbox.pending(cache))


def outbox_conflicts(entry: outbox.OutboxEntry) -> list[Conflict]:
    dec = outbox.decode_value
    return [Conflict(t, tuple(k), c, dec(s), dec(th), dec(o)) for t, k, c, s, th, o in entry.payload.get("conflicts", [])]


def resolve(cache: Any, source: Any, entry_id: int, keep: str, *, date_order: str = "day_first") -> SaveResult | None:
    """An outbox entry in conflict: keep="theirs" drops it; keep="mine" saves it again from their values."""
    entry = outbox.get(cache, entry_id)
    if entry is None or entry.state != outbox.CONFLICT:
        return None
    if keep == "theirs":
        outbox.mark(cache, entry_id, outbox.DROPPED, "Kept theirs.")
        return None
    request = SaveRequest.from_payload(entry.payload["request"])
    rebased = SaveResult(CONFLICT, conflicts=outbox_conflicts(entry), request=request).reapply()
    result = save(cache, source, _entry_user(entry), rebased.edits, rebased.appends, rebased.deletes,
                  via=entry.payload.get("via", "app") + " (outbox)", date_order=date_order)
    if result.status in (SAVED, ALREADY, UNCHANGED, QUEUED):
        outbox.mark(cache, entry_id, outbox.SENT if result.status != QUEUED else outbox.DROPPED,
                    "Re-applied." if result.status != QUEUED else f"Queued again as {result.outbox_id}.")
    return result


__all__ = ["CellEdit", "RowDelete", "SaveRequest", "SaveResult", "RowError", "Conflict", "ReplayResult", "save", "check",
           "replay", "replay_pending", "pending", "resolve", "key_of", "key_text", "typed", "same", "LOCAL_ADMIN"]
