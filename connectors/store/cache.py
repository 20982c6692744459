"""The DuckDB cache: one typed table per tab plus `_row`, and the bookkeeping tables.

The cache only stores; the refresh fills it (connectors.pipeline, whose read -> check -> load step is
connectors.store.refresh: change token, one read, the tabs that changed checked again, their tables
replaced in ONE transaction). It remembers, per process, what each
table was loaded from (the tab's fingerprint) and when each changed (`generation(tabs)`), so a figure
cached on tabs that did not change outlives a refresh.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from connectors.store.refresh import arrow_of
from connectors.store.transaction import atomic
from schemas.issue_rows import STORED, IssueRows
from schemas.registry import TABS, Tab

_SQL_TYPE = {"text": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE"}

BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS _meta (tab VARCHAR PRIMARY KEY, source VARCHAR, version VARCHAR, refreshed_at TIMESTAMP, rows BIGINT);
CREATE TABLE IF NOT EXISTS _issues (tab VARCHAR, "row" BIGINT, "column" VARCHAR, cell VARCHAR, value VARCHAR,
    severity VARCHAR, rule VARCHAR, message VARCHAR, link VARCHAR, shown VARCHAR, params VARCHAR);
ALTER TABLE _issues ADD COLUMN IF NOT EXISTS shown VARCHAR;
ALTER TABLE _issues ADD COLUMN IF NOT EXISTS params VARCHAR;
CREATE TABLE IF NOT EXISTS _refreshes (refreshed_at TIMESTAMP, source VARCHAR, version VARCHAR, errors BIGINT, warnings BIGINT);
CREATE TABLE IF NOT EXISTS _audit ("at" TIMESTAMP, "user" VARCHAR, tab VARCHAR, row_key VARCHAR, "column" VARCHAR,
    old VARCHAR, new VARCHAR, via VARCHAR);
CREATE TABLE IF NOT EXISTS _outbox (id BIGINT PRIMARY KEY, queued_at TIMESTAMP, "user" VARCHAR, batch_json VARCHAR,
    state VARCHAR, last_error VARCHAR);
"""


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# What every figure reads: in schema `figures`, a view per tab of the rows with no error. A value that
# breaks its column's rule (kg = 1e26, a count past its limit, a date that does not exist) never enters a
# figure as if valid; the rows left out are exactly those the figures' notes count (insights.left_out:
# data rows with an error in `_issues`). The Tables page, the sync path and the issues read every row (`main`).
FIGURES = "figures"


def figures_view_sql(tab: Tab) -> str:
    name, literal = quote(tab.name), tab.name.replace("'", "''")
    # NOT IN a NULL-free list: one hash anti join, measured faster than NOT EXISTS at 10% of 1 M rows in error.
    return (f"CREATE OR REPLACE VIEW {FIGURES}.{name} AS SELECT * FROM main.{name} WHERE _row NOT IN "
            f"(SELECT \"row\" FROM main._issues WHERE tab = '{literal}' AND severity = 'error' AND \"row\" IS NOT NULL)")


def for_figures(cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """This cursor, reading each tab's table as its figures view (unqualified names look in `figures` first;
    `main.<tab>` still reads every row). A setting of this cursor only: others share the connection unchanged."""
    cursor.execute(f"SET search_path = '{FIGURES},main'")
    return cursor


def table_sql(tab: Tab) -> str:
    """The typed SELECT that turns a validated frame into the tab's table (types from the schema)."""
    casts = [f"CAST({quote(c.name)} AS {_SQL_TYPE[c.kind]}) AS {quote(c.name)}" for c in tab.columns]
    return ", ".join([*casts, 'CAST("_row" AS BIGINT) AS "_row"'])


PRIVATE_UMASK = 0o077


def owner_only(path: Path) -> None:
    """The cache holds names, survivor flags, the outbox and the audit trail: from here on every file this
    process creates (DuckDB makes and remakes the .wal itself, at any write) is readable by its owner
    only, and a cache file made before this rule is narrowed to 0600."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)
    for existing in (path, path.with_name(path.name + ".wal")):
        if existing.exists():
            existing.chmod(0o600)


class Cache:
    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            owner_only(Path(self.path))
        self.con = duckdb.connect(self.path)
        self._lock = threading.Lock()  # one refresh or write at a time per process
        self._changes = 0  # bumped by every refresh or save: cached query results key on it
        self._generation: tuple[int, str] | None = None  # (change count, generation): asked by every cached query of a rerun
        self._epoch = f"{id(self):x}.{time.time_ns():x}"  # the stamp of a table not changed since this object opened
        self._stamps: dict[str, str] = {}  # tab -> when its table or its issues last changed
        self.loaded: dict[str, str] = {}  # tab -> fingerprint of the cells its table was loaded from (connectors.store.refresh)
        self.issues_stored: dict[str, str] = {}  # tab -> digest of its rows in `_issues`
        self._check: Any = None  # the last validation, kept so the next one redoes only what changed
        self.con.execute(BOOKKEEPING)
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {FIGURES}")
        for tab in TABS:
            self._ensure_table(tab)

    def _ensure_table(self, tab: Tab) -> None:
        """An empty typed table, so pages and insights can query a tab before the first refresh."""
        columns = [f"{quote(c.name)} {_SQL_TYPE[c.kind]}" for c in tab.columns] + ['"_row" BIGINT']
        self.con.execute(f"CREATE TABLE IF NOT EXISTS {quote(tab.name)} ({', '.join(columns)})")
        self.con.execute(figures_view_sql(tab))

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one rerun or one thread; it shares the process's single connection."""
        return self.con.cursor()

    def close(self) -> None:
        self.con.close()

    # -- refresh ---------------------------------------------------------------------------------

    def stored_version(self, source_label: str) -> str | None:
        row = self.cursor().execute("SELECT version FROM _meta WHERE tab = '*' AND source = ?", [source_label]).fetchone()
        return row[0] if row else None

    def stored(self, loaded: dict[str, str], issues: dict[str, str], moved: set[str], version: str) -> None:
        """A refresh stored these tables (`loaded`: tab -> fingerprint) and issues; `moved`: the tabs whose table
        or issues it changed."""
        self.loaded, self.issues_stored = dict(loaded), dict(issues)
        self._changes += 1
        for name in moved:
            self._stamps[name] = f"{version}:{self._changes}"

    @property
    def check(self) -> Any:
        """The validation this cache's refreshes share (schemas.workbook_check), made at the first refresh."""
        if self._check is None:
            from schemas.validate import new_check  # imported late: validation pulls in pandera

            self._check = new_check()
        return self._check

    def forget_generation(self) -> None:
        self._generation = None

    def load_frames(self, frames: dict[str, pd.DataFrame]) -> None:
        """Replace the named tabs' tables with these frames (schema columns, `_row` optional), in one transaction.

        For tests and tools that build a cache from literal tables; a refresh does the same for every tab.
        """
        from schemas.registry import tab as registered_tab

        with self._lock:
            with atomic(self.con):
                for name, frame in frames.items():
                    frame = frame.copy()
                    if "_row" not in frame.columns:
                        frame["_row"] = range(2, len(frame) + 2)
                    self.replace_table(registered_tab(name), frame)
            self.changed(frames)

    def replace_table(self, tab: Tab, frame: pd.DataFrame) -> None:
        self.con.register("_incoming", arrow_of(frame))
        try:
            self.con.execute(f"CREATE OR REPLACE TABLE {quote(tab.name)} AS SELECT {table_sql(tab)} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def insert_issues(self, issues: IssueRows) -> None:
        if not len(issues):
            return
        # The batches' columns as one Arrow table, one INSERT; messages are written when read (insights.quality).
        self.con.register("_new_issues", issues.arrow())
        names = ", ".join(quote(name) for name in STORED)
        try:
            self.con.execute(f"INSERT INTO _issues ({names}) SELECT {names} FROM _new_issues")
        finally:
            self.con.unregister("_new_issues")

    def generation(self, tabs: Iterable[str] | None = None) -> str:
        """Changes whenever the cached data changes (a refresh, a save); free to ask: a dashboard's rerun asks it
        once per figure, so it is read from `_meta` only after a change (refreshes and saves bump the count).
        With `tabs`: changes only when one of these tabs' table or issues changed (a figure reading them)."""
        if tabs is not None:
            return "|".join(self._stamps.get(name, self._epoch) for name in sorted(set(tabs)))
        if self._generation is None or self._generation[0] != self._changes:
            meta = self.last_refresh()
            self._generation = (self._changes, f"{meta['version'] if meta else 'empty'}:{self._changes}")
        return self._generation[1]

    def changed(self, tabs: Iterable[str] | None = None) -> None:
        """A save updated rows of these tabs (None: any tab) in place: cached query results on them are stale,
        and the next refresh loads them again and rewrites the issues."""
        self._changes += 1
        names = [t.name for t in TABS] if tabs is None else list(tabs)
        for name in names:
            self.loaded.pop(name, None)
            self._stamps[name] = f"save:{self._changes}"
            # The save changed these tabs' issues in place: what `_issues` holds for them matches no digest, so
            # the next refresh rewrites it - even when it then finds no issue at all (an empty set of digests
            # would otherwise equal an emptied record and leave a stale tab-level warning behind).
            self.issues_stored[name] = f"save:{self._changes}"

    @property
    def change_count(self) -> int:
        """How many times the cached data changed in this process: an in-memory number, free to ask."""
        return self._changes

    # -- reading ---------------------------------------------------------------------------------

    def frame(self, tab: str) -> pd.DataFrame:
        return self.cursor().execute(f"SELECT * FROM {quote(tab)} ORDER BY _row").df()

    def last_refresh(self) -> dict[str, Any] | None:
        row = self.cursor().execute("SELECT source, version, refreshed_at, rows FROM _meta WHERE tab = '*'").fetchone()
        if row is None:
            return None
        return {"source": row[0], "version": row[1], "refreshed_at": row[2], "rows": row[3]}

