"""Rules over a ledger's rows that the programmes share: a running balance per owner that never goes below
zero, and loans named by their ids. A row these rules cannot use (its date, owner, kind or amount could
not be read, or its owner is not in the owners' tab) is left out, and what could then not be judged is
not judged: the owner's balance from that day, a loan of that id. `book.leave_out` says so once per tab."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schemas.cell_arrays import mask
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.rules import ERROR, Rule, register_rules
from schemas.rules_context import Book, amount, day
from schemas.vector import isin, pa_array

_FROM_THE_START = "start"  # a balance unknown from its first day (the row's own date is unknown)


def _unknown_from(owners: pd.Series, dates: pd.Series, unknown_owner: np.ndarray) -> dict[Any, Any]:
    """Owner -> the first day its balance is unknown (_FROM_THE_START when the day is unknown too). Rows whose
    owner is unknown could be anyone's: they count for every owner, under the key None."""
    since: dict[Any, Any] = {}
    for key, date in zip(np.where(unknown_owner, None, owners.to_numpy(dtype=object)), dates, strict=False):
        if since.get(key) == _FROM_THE_START:
            continue
        since[key] = _FROM_THE_START if pd.isna(date) else min(date, since.get(key, date))
    return since


def _known(owner: Any, date: Any, since: dict[Any, Any]) -> bool:
    """Is `owner`'s balance on `date` known, given the days from which it is not?"""
    for key in (owner, None):
        start = since.get(key)
        if start is not None and (isinstance(start, str) or date >= start):
            return False
    return True


def balance_below_zero(book: Book, tab: str, owner: str, quantity: str, inflows: set[str], outflows: set[str],
                       rule: str, owner_field: str) -> Iterable[Issue]:
    """A running balance per owner (bank, group) that must never end a day below zero.

    Within a day the inflows count first, so a loan given out the day the rice came in is fine;
    the entry reported is the one that takes the balance from zero or more to below zero. From the day
    of a row that could not be used, that owner's balance is not judged (every owner's, when the row's
    owner is unknown).
    """
    frame = book.frame(tab, "date", owner, "kind", quantity)
    if frame is None or frame.empty:
        return
    kind = frame["kind"].astype(object)
    sign = np.where(kind.isin(inflows), 1.0, np.where(kind.isin(outflows), -1.0, np.nan))
    table = pd.DataFrame({"owner": frame[owner].astype(object), "date": frame["date"], "out": sign < 0,
                          "signed": sign * frame[quantity].to_numpy(dtype=float, na_value=np.nan),
                          "row": frame["_row"].astype("int64")})
    unknown_owner = table["owner"].isna().to_numpy() | book.dangling(tab, owner)
    left = unknown_owner | table["date"].isna().to_numpy() | table["signed"].isna().to_numpy()
    since = _unknown_from(table["owner"][left], table["date"][left], unknown_owner[left]) if left.any() else {}
    if since:
        days = list(since.values())
        book.leave_out(tab, np.flatnonzero(left), rule, None if None in since else sorted(since, key=str),
                       None if _FROM_THE_START in days else min(days))
    table = table[~left].sort_values(["owner", "date", "out", "row"], kind="stable")
    table["balance"] = table.groupby("owner", sort=False)["signed"].cumsum()
    before = table["balance"] - table["signed"]
    crossing = table[(table["balance"] < -1e-9) & (before >= -1e-9)]
    for position, row in crossing.iterrows():
        if since and not _known(row["owner"], row["date"], since):
            continue  # a row left out may have moved this balance
        yield book.issue(rule, tab, int(position), quantity, kind=kind.iat[position], amount=amount(abs(row["signed"])),
                         date=day(row["date"]), balance=amount(row["balance"]), **{owner_field: row["owner"]})


def loan_ids(book: Book, tab: str, owner: str, paying: set[str], owner_words: str) -> Iterable[Issue]:
    """Each loan has its own loan_id; each repayment (or interest) names a loan of the same owner. A row
    whose kind could not be read may be the loan a repayment names, and a loan whose owner is unknown
    may be any owner's: repayments naming such a loan id are not judged. Worked out on whole columns
    (Arrow look-ups of owner + loan id); only the rows at fault are visited one by one."""
    frame = book.frame(tab, owner, "kind", "loan_id")
    if frame is None:
        return
    kind, ids, owners = frame["kind"], frame["loan_id"], frame[owner]
    has_id = ids.notna().to_numpy(dtype=bool, na_value=False)
    no_owner = owners.isna().to_numpy(dtype=bool, na_value=True)
    unknown_owner = no_owner | book.dangling(tab, owner)
    is_loan = (kind == "loan").to_numpy(dtype=bool, na_value=False)
    is_paying = kind.isin(sorted(paying)).to_numpy(dtype=bool, na_value=False)
    text = pa.large_string()
    keys = pc.binary_join_element_wise(pa_array(owners).cast(text), pa_array(ids).cast(text), pa.scalar("\x1f", text))
    known = is_loan & has_id & ~unknown_owner
    first = np.flatnonzero(known)[~pd.Series(keys.take(pa.array(np.flatnonzero(known)))).duplicated(keep="first").to_numpy()]
    first_row = dict(zip(keys.take(pa.array(first)).to_pylist(), frame["_row"].to_numpy(dtype=np.int64)[first].tolist(), strict=False))
    reused = known.copy()
    reused[first] = False
    for position in np.flatnonzero(is_loan & (~has_id | reused)):
        if not has_id[position]:
            yield book.issue("ledger.loan_id_missing", tab, int(position), "loan_id", kind="loan")
        else:
            yield book.issue("ledger.loan_id_reused", tab, int(position), "loan_id", first_row=first_row[keys[int(position)].as_py()])
    maybe = has_id & ((is_loan & unknown_owner) | kind.isna().to_numpy(dtype=bool))  # may be any owner's loan of that id
    named = is_paying & has_id & ~no_owner
    not_found = named & ~mask(pc.is_in(keys, value_set=keys.take(pa.array(first))))
    doubtful = not_found & isin(ids, ids[maybe])
    for loan in pd.unique(ids[doubtful].astype(object)):
        book.leave_out(tab, np.flatnonzero(maybe & (ids == loan).to_numpy(dtype=bool, na_value=False)), "ledger.loan_not_found", [loan])
    for position in np.flatnonzero((is_paying & ~has_id) | (not_found & ~doubtful)):
        if not has_id[position]:
            yield book.issue("ledger.loan_id_missing", tab, int(position), "loan_id", kind=kind.iat[position])
        else:
            yield book.issue("ledger.loan_not_found", tab, int(position), "loan_id", owner=str(owners.iat[position]), owner_kind=owner_words)


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("ledger.loan_id_missing", ERROR, N_("Loan id blank"),
         N_("This {kind} has no '{header}'. Type the loan's id in cell {cell}."),
         N_("Every loan has its own id; every repayment names the loan it pays.")),
    Rule("ledger.loan_not_found", ERROR, N_("Loan not found"),
         N_("'{header}' is {value}, but no loan of {owner} has that id. Correct it in cell {cell}."),
         N_("A repayment or interest must name a loan of the same bank or group.")),
    Rule("ledger.loan_id_reused", ERROR, N_("Loan id used twice"),
         N_("'{header}' {value} was already given to the loan in row {first_row}. Give this loan a new id in cell {cell}."),
         N_("Every loan has its own id.")),
)
