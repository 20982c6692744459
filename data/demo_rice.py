"""Rice banks: Teng Mao (RB-01, 2016) and Russei Chhuor Kang Chhoeung (RB-02, 26 April 2018).

Report figures and rules this module guarantees:
- RB-02 opens on 2018-04-26 with a donation of exactly 13,000 kg and nothing else that day;
- RB-01 holds exactly 18,500 kg on 31 Dec 2018: the seasons are simulated first, then the
  villagers' post-harvest donation of November 2018 is set to the gap (positive by construction);
- loans go out July-October (the lean months), only from rice in store, and come back
  December-February with 10 % interest in kind, some in two parts, a few only in part; a repayment
  never exceeds what its loan still owes; the store never goes below zero on any day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo_common import LAST_DAY, DemoBook, demo_builder, random_day, rng_for, typed_frame
from data.demo_places import Gazetteer, HouseholdRegister, gazetteer_of, register_of

RB01_STOCK_2018 = 18_500.0  # kg, report: "now it increased to fill up to 18,500.00 kilograms"
RB02_OPENING = dt.date(2018, 4, 26)
RB02_DONATION = 13_000.0  # kg, report: "CCPCR sponsored more than 13 tons of rice"
RB01_TOP_UP_DAY = dt.date(2018, 11, 27)
_INFLOW_FIRST = {"donation": 0, "repayment": 1, "loan": 2, "loss": 3, "sale": 4}


@dataclass(frozen=True)
class BankPlan:
    bank_id: str
    name: str
    village_code: str
    established_on: dt.date
    opening_kg: float
    capacity_kg: float
    interest_pct: float
    seasons: tuple[int, ...]
    borrowers: int


def _plans(gaz: Gazetteer, scale: int) -> list[BankPlan]:
    return [
        BankPlan("RB-01", "Teng Mao", gaz.village_in("Bos Mon"), dt.date(2016, 2, 18), 10_000.0, 25_000.0, 10.0,
                 (2016, 2017, 2018), 35 * scale),
        BankPlan("RB-02", "Russei Chhuor Kang Chhoeung", gaz.village_in("Kraol Kou"), RB02_OPENING, RB02_DONATION,
                 20_000.0, 10.0, (2018,), 30 * scale),
    ]


def _season(rng: np.random.Generator, plan: BankPlan, year: int, pool: list[str], stock: float,
            loan_numbers: list[int]) -> tuple[list[dict], float]:
    """One lean season's loans (July-October, while rice lasts) and their repayments after the harvest."""
    entries: list[dict] = []
    takers = sorted(rng.choice(pool, size=int(len(pool) * rng.uniform(0.7, 0.9)), replace=False).tolist())
    requests = sorted((random_day(rng, dt.date(year, 7, 1), dt.date(year, 10, 31)), h) for h in takers)
    for day, household in requests:
        kg = float(rng.integers(5, 21) * 10)
        if stock - kg < 0:
            continue
        stock -= kg
        loan_numbers[0] += 1
        loan_id = f"{plan.bank_id}-L{loan_numbers[0]:03d}"
        entries.append({"date": day, "kind": "loan", "kg": kg, "household_id": household, "loan_id": loan_id, "note": None})
        owed = kg * (100 + plan.interest_pct) / 100  # loans are whole tens of kg: owed is whole kg
        style = rng.random()
        if style < 0.75:
            parts = [(random_day(rng, dt.date(year, 12, 5), dt.date(year + 1, 2, 20)), owed, None)]
        elif style < 0.95:
            first = float(owed // 20 * 10)
            parts = [(random_day(rng, dt.date(year, 12, 5), dt.date(year, 12, 31)), first, "First part"),
                     (random_day(rng, dt.date(year + 1, 1, 10), dt.date(year + 1, 2, 25)), owed - first, "Second part")]
        else:
            parts = [(random_day(rng, dt.date(year, 12, 5), dt.date(year + 1, 2, 20)), float(owed * 6 // 10),
                      "Paid in part after a poor harvest")]
        for pay_day, paid, note in parts:
            entries.append({"date": pay_day, "kind": "repayment", "kg": paid, "household_id": household,
                            "loan_id": loan_id, "note": note})
    return entries, stock


def _stock(entries: list[dict], until: dt.date) -> float:
    sign = {"donation": 1, "repayment": 1, "loan": -1, "loss": -1, "sale": -1}
    return sum(sign[e["kind"]] * e["kg"] for e in entries if e["date"] <= until)


def build_rice(gaz: Gazetteer, register: HouseholdRegister, scale: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = rng_for("rice_bank")
    plans = _plans(gaz, scale)
    all_entries: list[dict] = []
    for plan in plans:
        commune_villages = gaz.codes(commune_code=plan.village_code[:6], target_village=True)
        pool = [register.register(commune_villages[i % len(commune_villages)] if i % 3 else plan.village_code,
                                  plan.established_on, poor=True) for i in range(plan.borrowers)]
        entries = [{"date": plan.established_on, "kind": "donation", "kg": plan.opening_kg, "household_id": None,
                    "loan_id": None, "note": "Rice donated by CCPCR (CTIP programme) to open the bank"}]
        loan_numbers = [0]
        for year in plan.seasons:
            if year > plan.established_on.year:
                entries.append({"date": random_day(rng, dt.date(year, 5, 1), dt.date(year, 6, 30)), "kind": "loss",
                                "kg": float(rng.integers(2, 9) * 10), "household_id": None, "loan_id": None,
                                "note": "Rats and damp"})
            if plan.bank_id == "RB-01" and year == 2017:
                entries.append({"date": dt.date(2017, 1, 24), "kind": "donation", "kg": 1_500.0, "household_id": None,
                                "loan_id": None, "note": "Villagers' donation after the harvest"})
                entries.append({"date": dt.date(2017, 6, 15), "kind": "sale", "kg": 400.0, "household_id": None,
                                "loan_id": None, "note": "Old rice sold to renew the stock"})
            season, _ = _season(rng, plan, year, pool, _stock(entries, dt.date(year, 6, 30)), loan_numbers)
            entries += season
        entries = [e for e in entries if e["date"] <= LAST_DAY]  # repayments due in 2019 are still owed
        if plan.bank_id == "RB-01":
            gap = RB01_STOCK_2018 - _stock(entries, LAST_DAY)
            if scale == 1:
                assert gap > 0, f"demo rice bank RB-01 overshoots the report's stock by {-gap} kg"
            if gap > 0:
                entries.append({"date": RB01_TOP_UP_DAY, "kind": "donation", "kg": gap, "household_id": None,
                                "loan_id": None, "note": "Villagers' donation after the harvest"})
        for e in entries:
            e["bank_id"] = plan.bank_id
        all_entries += entries
    # Chronological, and on one day rice comes in before it goes out.
    all_entries.sort(key=lambda e: (e["date"], e["bank_id"], _INFLOW_FIRST[e["kind"]]))
    columns = ["date", "bank_id", "kind", "kg", "household_id", "loan_id", "note"]
    ledger = typed_frame("rice_ledger", {c: [e[c] for e in all_entries] for c in columns})
    ledger["entry_id"] = pd.array([f"RL-{i:06d}" for i in range(1, len(ledger) + 1)], dtype="string")
    banks = typed_frame("rice_banks", {
        "bank_id": [p.bank_id for p in plans], "name": [p.name for p in plans],
        "village_code": [p.village_code for p in plans], "established_on": [p.established_on for p in plans],
        "capacity_kg": [p.capacity_kg for p in plans], "interest_pct": [p.interest_pct for p in plans],
    })
    return banks, ledger


@demo_builder("rice_bank")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    banks, ledger = build_rice(gazetteer_of(book), register_of(book), book.scale)
    return {"rice_banks": banks, "rice_ledger": ledger}
