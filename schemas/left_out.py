"""Rows a rule across rows could not use, and the checks it therefore did not make (schemas.rules_context).

A ledger's balance, a loan's repayments or a cow's pass-ons are sums over rows: a row whose own cells
could not be read (or that points to nothing) has its own issue already. Counting it as zero would
raise errors on later, correct rows; so the rule leaves it out, does not judge what it can no longer
know (the balance of that bank from that day, that loan's repayments), and says so once per tab with
one `rules.not_checked` warning naming the rows and the checks.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SHOWN = 12  # rows and owners named in the message; the rest are "…"


@dataclass
class _Check:
    owners: set[str] = field(default_factory=set)
    every_owner: bool = False
    since: dt.date | None = None  # the earliest day the check was left out from
    every_day: bool = False


@dataclass
class _Tab:
    rows: set[int] = field(default_factory=set)
    checks: dict[str, _Check] = field(default_factory=dict)


def _day(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


class LeftOut:
    def __init__(self) -> None:
        self._tabs: dict[str, _Tab] = {}

    def add(self, tab: str, rows: Iterable[int], rule: str, owners: Iterable[Any] | None = None, since: Any = None) -> None:
        """Rows (sheet rows of `tab`) left out of `rule`, for these owners (None: every one) from `since` (None:
        every day)."""
        found = self._tabs.setdefault(tab, _Tab())
        found.rows.update(int(r) for r in rows)
        check = found.checks.setdefault(rule, _Check())
        if owners is None:
            check.every_owner = True
        else:
            check.owners.update(str(o) for o in owners if o is not None and not pd.isna(o))
        day = _day(since)
        if day is None:
            check.every_day = True
        elif check.since is None or day < check.since:
            check.since = day

    def __bool__(self) -> bool:
        return bool(self._tabs)

    def warnings(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """(tab, the fields of its one `rules.not_checked` warning)."""
        for tab, found in self._tabs.items():
            rows = sorted(found.rows)
            checks = []
            for rule, check in found.checks.items():
                owners = [] if check.every_owner else sorted(check.owners)
                owners = owners[:SHOWN] + (["…"] if len(owners) > SHOWN else [])
                since = None if check.every_day or check.since is None else check.since.isoformat()
                checks.append([rule, owners, since])
            shown = ", ".join(str(r) for r in rows[:SHOWN]) + (", …" if len(rows) > SHOWN else "")
            yield tab, {"rows": shown, "checks": checks}
