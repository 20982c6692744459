"""The cow bank: 30 calves bought and granted in 2015, the calves born since, pass-ons, sales, a death.

Report figures and rules this module guarantees:
- 30 female calves born 2014 (dam blank), granted in 2015 to 30 distinct families, ten in each of
  three villages of Chantrea and Tnot communes (Svay Rieng);
- exactly 25 calves born 2016-2018, all to the granted cows: calf counts per cow are a shuffled
  fixed list (five cows with two calves, fifteen with one, ten with none);
- biology: first calving at 24+ months of age (policy checks 20), second at least 330 days later;
- policy: the first and second calf pass to another family at 10 months plus 2-11 weeks, unless
  that date is after 31 Dec 2018 (not passed on yet); a granted cow is sold only after both
  pass-ons; the one death is of a cow that never calved, and nothing follows it.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.demo_common import LAST_DAY, DemoBook, add_months, demo_builder, random_day, rng_for, typed_frame
from data.demo_places import Gazetteer, HouseholdRegister, gazetteer_of, register_of

CALVES_PER_COW = [2] * 5 + [1] * 15 + [0] * 10  # 25 calves from 30 cows
PASS_ON_AGE_MONTHS = 10


def cow_bank_villages(gaz: Gazetteer) -> list[str]:
    return [gaz.village_in("Chantrea", 1), gaz.village_in("Chantrea", 2), gaz.village_in("Tnaot", 1)]


def _later(day: dt.date, low: int, high: int, rng: np.random.Generator) -> dt.date:
    return day + dt.timedelta(days=int(rng.integers(low, high + 1)))


def build_cows(gaz: Gazetteer, register: HouseholdRegister) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = rng_for("cow_bank")
    villages = cow_bank_villages(gaz)
    cows: list[dict] = []
    events: list[dict] = []
    granted_to: dict[str, str] = {}
    for i in range(30):
        cow_id, village = f"CB-{i + 1:03d}", villages[i // 10]
        cows.append({"cow_id": cow_id, "sex": "female", "born_on": random_day(rng, dt.date(2014, 1, 10), dt.date(2014, 6, 30)),
                     "dam_id": None, "village_code": village, "note": "Bought by CCPCR in 2015"})
        day = random_day(rng, dt.date(2015, 3, 2), dt.date(2015, 5, 29))
        granted_to[cow_id] = register.register(village, day, poor=True)
        events.append({"date": day, "cow_id": cow_id, "kind": "granted", "household_id": granted_to[cow_id],
                       "note": "Granted by CCPCR"})

    births: list[tuple[dt.date, str]] = []  # (born_on, dam) of every calf
    counts = rng.permutation(CALVES_PER_COW).tolist()
    for dam, n_calves in zip(cows, counts, strict=False):
        earliest = max(add_months(dam["born_on"], 24), dt.date(2016, 3, 1))
        if n_calves == 2:
            first = random_day(rng, earliest, dt.date(2017, 3, 31))
            births += [(first, dam["cow_id"]), (_later(first, 330, 520, rng), dam["cow_id"])]
        elif n_calves == 1:
            births.append((random_day(rng, earliest, dt.date(2018, 11, 30)), dam["cow_id"]))
    births.sort()
    village_of = {c["cow_id"]: c["village_code"] for c in cows}
    calves_of: dict[str, list[str]] = {}
    for n, (born, dam) in enumerate(births, start=31):
        calf_id = f"CB-{n:03d}"
        cows.append({"cow_id": calf_id, "sex": "female" if rng.random() < 0.5 else "male", "born_on": born,
                     "dam_id": dam, "village_code": village_of[dam], "note": None})
        calves_of.setdefault(dam, []).append(calf_id)

    born_on = {c["cow_id"]: c["born_on"] for c in cows}
    for dam in sorted(calves_of):
        passed = []
        for calf in calves_of[dam][:2]:  # the first and second calf go to another family
            day = _later(add_months(born_on[calf], PASS_ON_AGE_MONTHS), 14, 80, rng)
            if day > LAST_DAY:
                continue  # not old enough yet, or just reached the age: passed on next year
            receiver = register.register(village_of[dam], day, poor=True)
            events.append({"date": day, "cow_id": calf, "kind": "passed_on", "household_id": receiver,
                           "note": f"Calf of {dam}, from {granted_to[dam]}"})
            passed.append(day)
        if len(passed) == 2 and rng.random() < 0.5:
            day = _later(passed[1], 30, 120, rng)
            if day <= LAST_DAY:
                events.append({"date": day, "cow_id": dam, "kind": "sold", "household_id": granted_to[dam],
                               "note": "Sold by the family after both pass-ons"})
    barren = [c["cow_id"] for c in cows[:30] if c["cow_id"] not in calves_of]
    dead = barren[int(rng.integers(0, len(barren)))]
    events.append({"date": random_day(rng, dt.date(2017, 5, 1), dt.date(2017, 10, 31)), "cow_id": dead, "kind": "died",
                   "household_id": granted_to[dead], "note": "Died of haemorrhagic septicaemia"})

    events.sort(key=lambda e: (e["date"], e["cow_id"]))
    columns = ["date", "cow_id", "kind", "household_id", "note"]
    event_frame = typed_frame("cow_events", {c: [e[c] for e in events] for c in columns})
    event_frame["event_id"] = pd.array([f"CE-{i:04d}" for i in range(1, len(events) + 1)], dtype="string")
    cow_frame = typed_frame("cows", {c: [row[c] for row in cows] for c in cows[0]})
    return cow_frame, event_frame


@demo_builder("cow_bank")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    cows, events = build_cows(gazetteer_of(book), register_of(book))
    return {"cows": cows, "cow_events": events}
