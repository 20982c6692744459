"""Which way each kind of ledger entry moves the balance, declared once beside the schema that lists the
kinds; the SQL sign expressions the insights sum are built from that declaration."""
from __future__ import annotations

IN, OUT, NEUTRAL = "in", "out", "neutral"


def signed_sql(amount: str, directions: dict[str, str], column: str = "kind") -> str:
    """`amount` with the sign its kind gives it: + for in, - for out, 0 for neutral. With no neutral
    kind, every kind that is not in counts as out (as the ledger's check allows no other kind)."""
    unknown = {d for d in directions.values()} - {IN, OUT, NEUTRAL}
    if unknown:
        raise ValueError(f"a ledger direction must be in, out or neutral, not {', '.join(sorted(unknown))}")

    def listed(direction: str) -> str:
        return ", ".join(f"'{kind}'" for kind, d in directions.items() if d == direction)

    if NEUTRAL not in directions.values():
        return f"CASE WHEN {column} IN ({listed(IN)}) THEN {amount} ELSE -{amount} END"
    return f"CASE WHEN {column} IN ({listed(IN)}) THEN {amount} WHEN {column} IN ({listed(OUT)}) THEN -{amount} ELSE 0 END"


def direction_sql(directions: dict[str, str], column: str = "kind") -> str:
    """'in' or 'out' for a ledger row (neutral kinds read as 'out' only where no kind is neutral)."""
    inward = ", ".join(f"'{kind}'" for kind, d in directions.items() if d == IN)
    return f"CASE WHEN {column} IN ({inward}) THEN 'in' ELSE 'out' END"


def kinds(directions: dict[str, str], direction: str) -> set[str]:
    return {kind for kind, d in directions.items() if d == direction}
