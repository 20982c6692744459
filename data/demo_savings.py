"""Saving groups, the agricultural cooperative and their monthly cash ledger (riel).

Report figures this module guarantees:
- 25 saving groups (SG-01..SG-25) founded in 2016, and one agricultural cooperative (AC-01) of 45
  members, 20 of them women, in Andong Po commune;
- combined capital on 31 Dec 2018 = 139,791,300 riel exactly. The monthly meetings are simulated
  first; the gap to the report's figure (positive by construction of the amounts) is then added to
  the 2018 deposits in 100-riel steps, which only raises cash, so cash never goes below zero.

Cash rules kept while simulating: within a meeting, money comes in (grant, deposits, repayments,
interest) before it goes out (loans, withdrawals, expenses), and nothing goes out that the box does
not hold; repayments never exceed what is still owed on the loan.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo_common import LAST_DAY, DemoBook, add_months, demo_builder, pick, random_day, rng_for, typed_frame
from data.demo_places import Gazetteer, HouseholdRegister, gazetteer_of, register_of

CAPITAL_2018 = 139_791_300  # riel, report: "increased to 139,791,300 riels ($34,947.83)"
INTEREST_PER_MONTH = 0.02
LOAN_MONTHS = 6
RESERVE = 50_000  # riel the box keeps when lending


@dataclass
class GroupPlan:
    group_id: str
    name: str
    kind: str
    village_code: str
    founded_on: dt.date
    members: int
    female_members: int
    grant: int
    deposits: list[int]  # amounts a member may deposit at a meeting
    loans: list[int]  # amounts a member may borrow
    active_households: int  # members whose ledger lines we keep


def plan_groups(gaz: Gazetteer, scale: int = 1) -> list[GroupPlan]:
    rng = rng_for("savings_groups")
    andong_po = gaz.village_in("Andoung Pou")
    targets = gaz.villages[gaz.villages["target_village"].to_numpy(dtype=bool)]
    named = {andong_po, gaz.village_in("Kraol Kou"), gaz.village_in("Bos Mon")}
    pools = {p: [c for c in targets["village_code"] if c.startswith(p) and c not in named] for p in ("20", "09", "06")}
    villages = sorted(rng.choice(pools["20"], 18, replace=False).tolist()
                      + rng.choice(pools["09"], 4, replace=False).tolist()
                      + rng.choice(pools["06"], 3, replace=False).tolist())
    plans = []
    names = [gaz.name_of(v) for v in villages]
    for i, village in enumerate(villages, start=1):
        members = int(rng.integers(12, 26))
        name = names[i - 1]
        if names.count(name) > 1:  # two villages of that name: say which commune
            name = f"{name} ({gaz.villages.set_index('village_code').at[village, 'commune']})"
        plans.append(GroupPlan(
            group_id=f"SG-{i:02d}", name=f"{name} Saving Group", kind="saving_group",
            village_code=village, founded_on=random_day(rng, dt.date(2016, 1, 11), dt.date(2016, 11, 30)),
            members=members, female_members=round(members * rng.uniform(0.6, 0.95)),
            grant=1_000_000, deposits=[5_000, 10_000, 10_000, 15_000],
            loans=[100_000, 200_000, 300_000, 400_000, 500_000], active_households=10 * scale))
    plans.append(GroupPlan(
        group_id="AC-01", name="Andong Po Agricultural Cooperative", kind="agricultural_cooperative",
        village_code=andong_po, founded_on=dt.date(2017, 2, 14), members=45, female_members=20,
        grant=4_000_000, deposits=[20_000, 30_000, 40_000, 50_000],
        loans=[500_000, 1_000_000, 1_500_000, 2_000_000], active_households=20 * scale))
    return plans


def groups_frame(plans: list[GroupPlan]) -> pd.DataFrame:
    return typed_frame("savings_groups", {
        "group_id": [p.group_id for p in plans], "name": [p.name for p in plans], "kind": [p.kind for p in plans],
        "village_code": [p.village_code for p in plans], "founded_on": [p.founded_on for p in plans],
        "members": [p.members for p in plans], "female_members": [p.female_members for p in plans],
    })


@dataclass
class _Loan:
    loan_id: str
    household_id: str
    outstanding: int
    instalment: int


def _simulate_group(rng: np.random.Generator, plan: GroupPlan, households: list[str], next_loan: list[int]) -> list[dict]:
    entries: list[dict] = []

    def add(day: dt.date, kind: str, amount: int, household: str | None = None, loan: str | None = None, note: str | None = None) -> None:
        entries.append({"date": day, "group_id": plan.group_id, "kind": kind, "amount_riel": float(amount),
                        "household_id": household, "loan_id": loan, "note": note})

    cash = 0
    saved = dict.fromkeys(households, 0)
    loans: list[_Loan] = []
    month = 0
    while (day := add_months(plan.founded_on, month)) <= LAST_DAY:  # monthly, from the founding meeting
        if month == 0:
            add(day, "grant", plan.grant, note="Start-up capital from CCPCR")
            cash += plan.grant
        month += 1
        for household in households:
            if rng.random() < 0.9:
                amount = pick(rng, plan.deposits)
                add(day, "deposit", amount, household)
                cash += amount
                saved[household] += amount
        for loan in loans:
            interest = max(100, int(round(loan.outstanding * INTEREST_PER_MONTH, -2)))
            principal = min(loan.instalment, loan.outstanding)
            add(day, "repayment", principal, loan.household_id, loan.loan_id)
            add(day, "interest", interest, loan.household_id, loan.loan_id)
            loan.outstanding -= principal
            cash += principal + interest
        loans = [loan for loan in loans if loan.outstanding > 0]
        borrowing = {loan.household_id for loan in loans}
        for _ in range(int(rng.integers(0, 4))):
            free = [h for h in households if h not in borrowing]
            if not free:
                break
            household, amount = pick(rng, free), pick(rng, plan.loans)
            if cash - amount < RESERVE:
                continue
            next_loan[0] += 1
            loan_id = f"SL-L-{next_loan[0]:04d}"
            add(day, "loan", amount, household, loan_id)
            cash -= amount
            instalment = -(-amount // LOAN_MONTHS // 100) * 100  # rounded up to 100 riel
            loans.append(_Loan(loan_id, household, amount, instalment))
            borrowing.add(household)
        if rng.random() < 0.04:
            household = pick(rng, households)
            amount = min(saved[household] // 2, cash - RESERVE) // 1000 * 1000
            if amount >= 1000:
                add(day, "withdrawal", amount, household, note="Member withdrawal")
                cash -= amount
                saved[household] -= amount
        if day.month == 1:
            amount = int(rng.integers(2, 7)) * 10_000
            if cash - amount >= 0:
                add(day, "expense", amount, note="Ledger books and stationery")
                cash -= amount
    return entries


def capital(entries: pd.DataFrame | list[dict]) -> int:
    """sum(deposit + grant + interest) - sum(withdrawal + expense); loans and repayments only move cash."""
    sign = {"deposit": 1, "grant": 1, "interest": 1, "withdrawal": -1, "expense": -1}
    if isinstance(entries, pd.DataFrame):
        return int((entries["kind"].map(sign).fillna(0).astype(float) * entries["amount_riel"].astype(float)).sum())
    return int(sum(sign.get(e["kind"], 0) * e["amount_riel"] for e in entries))


def _top_up_2018_deposits(entries: list[dict], gap: int) -> None:
    """Spread `gap` riel (a multiple of 100) over the 2018 deposits, 100 riel at a time."""
    deposits = [e for e in entries if e["kind"] == "deposit" and e["date"].year == 2018]
    units = gap // 100
    each, extra = divmod(units, len(deposits))
    for i, entry in enumerate(deposits):
        entry["amount_riel"] += 100.0 * (each + (1 if i < extra else 0))


def build_savings(gaz: Gazetteer, register: HouseholdRegister, scale: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = rng_for("savings_ledger")
    plans = plan_groups(gaz, scale)
    next_loan = [0]
    entries: list[dict] = []
    for order, plan in enumerate(plans):
        households = register.register_many(plan.village_code, plan.active_households, plan.founded_on,
                                            head_sex=None, poor=True)
        for seq, entry in enumerate(_simulate_group(rng, plan, households, next_loan)):
            entry["_order"] = (entry["date"], order, seq)
            entries.append(entry)
    gap = CAPITAL_2018 - capital(entries)
    if scale == 1:
        assert gap >= 0 and gap % 100 == 0, f"demo savings overshoot the report's capital by {-gap} riel"
    if gap > 0:
        _top_up_2018_deposits(entries, gap)
    entries.sort(key=lambda e: e["_order"])  # chronological; entry ids follow this order
    columns = ["date", "group_id", "kind", "amount_riel", "household_id", "loan_id", "note"]
    ledger = typed_frame("savings_ledger", {c: [e[c] for e in entries] for c in columns})
    ledger["entry_id"] = pd.array([f"SL-{i:06d}" for i in range(1, len(ledger) + 1)], dtype="string")
    return groups_frame(plans), ledger


@demo_builder("savings")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    groups, ledger = build_savings(gazetteer_of(book), register_of(book), book.scale)
    return {"savings_groups": groups, "savings_ledger": ledger}
