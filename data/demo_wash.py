"""Household hygiene surveys: toilets, drinking water and hand-washing places of the programme's families.

What this module guarantees:
- about two in three registered families are surveyed: first in the year they joined (on or after the
  day they joined), then again in most later years up to 2018;
- conditions improve and never get worse between two surveys of a family (a latrine once built stays),
  so that by 2018 most surveyed families have a toilet and clean water, as the report says.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from data.demo_common import LAST_DAY, DemoBook, demo_builder, pick, random_day, rng_for, typed_frame
from schemas.wash import CLEAN_WATER_SOURCES

BASELINE_TOILET = (["none", "shared", "own"], [0.55, 0.2, 0.25])
BASELINE_WATER = (["piped", "protected_well", "unprotected_well", "rainwater", "pond_or_river", "bought"],
                  [0.04, 0.22, 0.28, 0.14, 0.22, 0.1])
CLEAN_SWITCH = (["protected_well", "rainwater", "piped", "bought"], [0.5, 0.3, 0.1, 0.1])


def _improve(rng, toilet: str, water: str, handwashing: bool) -> tuple[str, str, bool, str | None]:
    note = None
    if toilet == "none" and rng.random() < 0.4:
        toilet, note = pick(rng, ["shared", "own"], p=[0.4, 0.6]), "latrine built"
    elif toilet == "shared" and rng.random() < 0.25:
        toilet, note = "own", "own latrine built"
    if water not in CLEAN_WATER_SOURCES and rng.random() < 0.4:
        water = pick(rng, *CLEAN_SWITCH)
        note = note or "now drinks clean water"
    if not handwashing and rng.random() < 0.45:
        handwashing = True
    return toilet, water, handwashing, note


def build_wash_surveys(households: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("wash")
    records = []
    for family in households.itertuples():
        if rng.random() >= 0.65:
            continue
        joined = family.enrolled_on.date()
        toilet, water = pick(rng, *BASELINE_TOILET), pick(rng, *BASELINE_WATER)
        handwashing = bool(rng.random() < 0.35)
        first = random_day(rng, joined, min(joined + dt.timedelta(days=60), LAST_DAY))
        records.append({"date": first, "household_id": family.household_id, "toilet": toilet, "water_source": water,
                        "handwashing": handwashing, "note": "first survey"})
        for year in range(first.year + 1, LAST_DAY.year + 1):
            if rng.random() >= 0.75:
                continue
            toilet, water, handwashing, note = _improve(rng, toilet, water, handwashing)
            records.append({"date": random_day(rng, dt.date(year, 2, 1), dt.date(year, 11, 30)), "household_id": family.household_id,
                            "toilet": toilet, "water_source": water, "handwashing": handwashing, "note": note})
    records.sort(key=lambda r: (r["date"], r["household_id"]))
    frame = typed_frame("wash_surveys", {k: [r[k] for r in records] for k in records[0]})
    frame["survey_id"] = pd.array([f"WS-{i:05d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame


@demo_builder("wash")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    return {"wash_surveys": build_wash_surveys(book.frame("households"))}
