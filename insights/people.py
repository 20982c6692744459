"""The users tab, as sign-in needs it."""
from __future__ import annotations

import duckdb


def role_of(con: duckdb.DuckDBPyConnection, email: str) -> dict | None:
    """The role and name registered for an e-mail (case does not matter), or None."""
    row = con.execute("SELECT role, name FROM users WHERE lower(trim(email)) = lower(trim(?))", [email]).fetchone()
    return {"role": row[0], "name": row[1]} if row else None
