"""One transaction helper for every multi-statement write of the cache, the audit trail and the outbox."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def atomic(con: Any) -> Iterator[Any]:
    """BEGIN ... COMMIT on this DuckDB connection or cursor; ROLLBACK and re-raise on any exception
    (KeyboardInterrupt too), so a reader never sees half of the statements and a failure leaves the
    tables as they were."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
