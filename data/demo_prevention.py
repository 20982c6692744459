"""Prevention: activities in the target villages, commune plans, parent groups and migration checks.

Report figures this module guarantees:
- activities dated 2017 took place in exactly 55 villages of 18 communes, 11 districts and 3
  provinces: activities are only ever placed in that year's reached villages (`reached`), and every
  reached village gets at least one awareness session a year;
- every target commune has TIP in its development and investment plans from 2017 on;
- the share of migrating households taking their children falls once the village has a parent group.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.demo_common import YEARS, DemoBook, add_months, demo_builder, pick, random_day, rng_for, sorted_records, typed_frame
from data.demo_cows import cow_bank_villages
from data.demo_places import Gazetteer, HouseholdRegister, gazetteer_of, reached_villages, register_of

FACILITATORS = ["Sok Dara", "Chea Sopheap", "Meas Vannak", "Keo Chenda", "Prak Sothy", "Lim Raksmey"]
AWARENESS_TOPICS = ["safe migration", "children's rights", "trafficking risks", "child education", "hygiene and health"]
LIVELIHOOD_TOPICS = ["livelihood", "financial management", "animal raising", "home gardening"]
PARENT_TOPICS = ["children's rights", "child abuse", "child trafficking", "unsafe migration", "child education"]
SELF_HELP_TOPICS = ["financial management", "savings and loans", "trafficking risks", "livelihood"]
AUTHORITY_TOPICS = ["TIP prevention in the commune plan", "trafficking risks", "safe migration", "children's rights"]
REFRESHER_TOPICS = ["trafficking risks", "safe migration", "referral of trafficking cases"]

# kind -> (women, men, children, authorities) ranges [low, high)
PARTICIPANTS = {
    "awareness_session": ((10, 40), (5, 25), (0, 30), (1, 4)),
    "livelihood_training": ((8, 25), (4, 15), (0, 1), (0, 2)),
    "parent_group_meeting": ((8, 25), (3, 12), (0, 15), (1, 3)),
    "self_help_group_meeting": ((8, 20), (1, 8), (0, 1), (0, 2)),
    "authority_meeting": ((2, 7), (6, 16), (0, 1), (8, 20)),
    "refresher_training": ((3, 9), (6, 15), (0, 1), (8, 22)),
}


def _weekday(day: dt.date) -> dt.date:
    """Field work happens Monday to Saturday: a Sunday moves to Monday (to Saturday on 31 December,
    so that an activity never changes year and the year's village counts stay as drawn)."""
    if day.weekday() != 6:
        return day
    return day - dt.timedelta(days=1) if (day.month, day.day) == (12, 31) else day + dt.timedelta(days=1)


def _activity(rng: np.random.Generator, day: dt.date, kind: str, topic: str, village: str) -> dict:
    women, men, children, authorities = (int(rng.integers(lo, hi)) for lo, hi in PARTICIPANTS[kind])
    return {"date": _weekday(day), "kind": kind, "topic": topic, "village_code": village, "female": women,
            "male": men, "children": children, "authorities": min(authorities, women + men),
            "facilitator": pick(rng, FACILITATORS)}


def build_parent_groups(reached: dict[int, list[str]]) -> pd.DataFrame:
    """Twelve parent groups in Svay Rieng target villages, founded 2016-2017."""
    rng = rng_for("parent_groups")
    candidates = [v for v in reached[2016] if v.startswith("20") and v in reached[2017]]
    villages = sorted(rng.choice(candidates, size=12, replace=False).tolist())
    founded = sorted(random_day(rng, dt.date(2016, 2, 1), dt.date(2017, 10, 31)) for _ in villages)
    return typed_frame("parent_groups", {
        "group_id": [f"PG-{i:03d}" for i in range(1, 13)],
        "village_code": villages,
        "founded_on": founded,
        "parents": rng.integers(12, 36, size=12).tolist(),
        "teachers": rng.integers(1, 5, size=12).tolist(),
        "village_chief_member": (rng.random(12) < 0.8).tolist(),
    })


def build_activities(reached: dict[int, list[str]], parent_groups: pd.DataFrame,
                     self_help: dict[str, dt.date], scale: int = 1) -> pd.DataFrame:
    """`self_help`: village -> founding day of its saving group (self-help group meetings start then)."""
    rng = rng_for("activities")
    pg_founded = dict(zip(parent_groups["village_code"], parent_groups["founded_on"].dt.date, strict=True))
    records: list[dict] = []
    for year in YEARS:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        villages = reached[year]
        for village in villages:
            for _ in range(scale):
                for _ in range(int(rng.integers(1, 4))):
                    records.append(_activity(rng, random_day(rng, start, end), "awareness_session",
                                             pick(rng, AWARENESS_TOPICS), village))
                if rng.random() < 0.4:
                    records.append(_activity(rng, random_day(rng, start, end), "livelihood_training",
                                             pick(rng, LIVELIHOOD_TOPICS), village))
                founded = pg_founded.get(village)
                if founded is not None:
                    for quarter in range(4):  # parent groups meet quarterly, from their founding
                        day = random_day(rng, dt.date(year, 3 * quarter + 1, 1), add_months(dt.date(year, 3 * quarter + 1, 1), 3) - dt.timedelta(days=1))
                        if day > founded:
                            records.append(_activity(rng, day, "parent_group_meeting", pick(rng, PARENT_TOPICS), village))
                founded = self_help.get(village)
                if founded is not None:
                    for half in range(2):
                        day = random_day(rng, dt.date(year, 6 * half + 1, 1), dt.date(year, 6 * half + 6, 28))
                        if day > founded:
                            records.append(_activity(rng, day, "self_help_group_meeting", pick(rng, SELF_HELP_TOPICS), village))
        # Commune authorities meet quarterly, in one of the commune's reached villages.
        communes = sorted({v[:6] for v in villages})
        for commune in communes:
            hosts = [v for v in villages if v.startswith(commune)]
            for _ in range(scale):
                for quarter in range(4):
                    day = random_day(rng, dt.date(year, 3 * quarter + 1, 1), dt.date(year, 3 * quarter + 3, 28))
                    records.append(_activity(rng, day, "authority_meeting", pick(rng, AUTHORITY_TOPICS), pick(rng, hosts)))
                records.append(_activity(rng, random_day(rng, start, end), "refresher_training",
                                         pick(rng, REFRESHER_TOPICS), pick(rng, hosts)))
    records = sorted_records(records, "date", "village_code")
    frame = typed_frame("activities", {k: [r[k] for r in records] for k in records[0]})
    frame["activity_id"] = pd.array([f"ACT-{i:05d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame


def build_commune_plans(gaz: Gazetteer) -> pd.DataFrame:
    """One row per target commune and year; once a plan includes TIP it keeps it; all do by 2017."""
    rng = rng_for("commune_plans")
    targets = gaz.villages[gaz.villages["target_village"].to_numpy(dtype=bool)]
    communes = sorted(set(targets["commune_code"]))
    rows: dict[str, list] = {"commune_code": [], "year": [], "tip_in_development_plan": [], "tip_in_investment_plan": []}
    for commune in communes:
        development_from = int(rng.choice([2015, 2016, 2017], p=[0.3, 0.45, 0.25]))
        investment_from = int(rng.integers(development_from, 2018))
        for year in YEARS:
            rows["commune_code"].append(commune)
            rows["year"].append(year)
            rows["tip_in_development_plan"].append(year >= development_from)
            rows["tip_in_investment_plan"].append(year >= investment_from)
    return typed_frame("commune_plans", rows)


DESTINATIONS = ["Vietnam", "Thailand", "Phnom Penh", "Bavet"]
WORK_BY_DESTINATION = {
    "Vietnam": (["lottery_selling", "begging", "farm_labour", "construction", "other"], [0.3, 0.25, 0.25, 0.1, 0.1]),
    "Thailand": (["construction", "farm_labour", "factory", "other"], [0.4, 0.3, 0.2, 0.1]),
    "Phnom Penh": (["factory", "construction", "other"], [0.5, 0.4, 0.1]),
    "Bavet": (["factory", "casino", "construction"], [0.5, 0.4, 0.1]),
}


def build_migration_checks(register: HouseholdRegister, parent_groups: pd.DataFrame,
                           reached: dict[int, list[str]]) -> pd.DataFrame:
    """Ten households in each of 16 Svay Rieng villages, visited each March and September 2015-2018.

    Before a parent group exists about half of migrating families take their children; after, few do.
    """
    rng = rng_for("migration_checks")
    pg_founded = dict(zip(parent_groups["village_code"], parent_groups["founded_on"].dt.date, strict=True))
    others = [v for v in reached[2015] if v.startswith("20") and v not in pg_founded]
    villages = sorted(pg_founded) + sorted(rng.choice(others, size=4, replace=False).tolist())
    records: list[dict] = []
    for village in villages:
        for household in register.register_many(village, 10, dt.date(2015, 1, 15)):
            has_children = register.children_of(household) > 0
            for year in YEARS:
                for month in (3, 9):
                    day = random_day(rng, dt.date(year, month, 1), dt.date(year, month, 28))
                    founded = pg_founded.get(village)
                    after_group = founded is not None and day >= founded
                    migrating = bool(rng.random() < (0.35 if after_group else 0.45))
                    destination = work = None
                    took = False
                    if migrating:
                        destination = pick(rng, DESTINATIONS, p=[0.55, 0.15, 0.15, 0.15])
                        jobs, p = WORK_BY_DESTINATION[destination]
                        work = pick(rng, jobs, p=p)
                        took = has_children and bool(rng.random() < (0.1 if after_group else 0.55))
                    in_school = None
                    if has_children:
                        in_school = bool(rng.random() < (0.2 if took else (0.92 if after_group else 0.65)))
                    records.append({"date": day, "household_id": household, "migrating": migrating,
                                    "destination": destination, "work": work, "took_children": took,
                                    "children_in_school": in_school})
    records = sorted_records(records, "date", "household_id")
    frame = typed_frame("migration_checks", {k: [r[k] for r in records] for k in records[0]})
    frame["check_id"] = pd.array([f"MC-{i:05d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame


@demo_builder("prevention")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    gaz = gazetteer_of(book)
    savings_groups, rice_banks = book.frame("savings_groups"), book.frame("rice_banks")
    # Villages with a saving group, cow bank or rice bank are visited by prevention every year.
    protected = sorted(set(savings_groups["village_code"]) | set(cow_bank_villages(gaz)) | set(rice_banks["village_code"]))
    reached = reached_villages(gaz, protected)
    parent_groups = build_parent_groups(reached)
    self_help = dict(zip(savings_groups["village_code"], savings_groups["founded_on"].dt.date, strict=True))
    return {
        "activities": build_activities(reached, parent_groups, self_help, book.scale),
        "commune_plans": build_commune_plans(gaz),
        "parent_groups": parent_groups,
        "migration_checks": build_migration_checks(register_of(book), parent_groups, reached),
    }
