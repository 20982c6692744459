"""School support: children of savings-group families given materials to enrol in state school.

What this module guarantees:
- children of families living in a savings-group village (the report ties the support to the groups'
  members), supported from 2016, the year the groups were founded, once per school year (October);
- a child keeps one pseudonymous code (C-000001 ...) and moves up a grade each year; the age fits the
  grade (age - grade between 5 and 7, inside the rule's 4 to 9);
- a child who was not enrolled, or was no longer in school at the year's end, is not supported again;
- every support is dated on or after the family's enrolment in the programme.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from data.demo_common import DemoBook, demo_builder, pick, random_day, rng_for, typed_frame
from data.demo_places import Gazetteer, gazetteer_of

YEARS = (2016, 2017, 2018)
EXTRAS = ["bag", "books", "pens", "shoes"]
STAY_IN_SCHOOL = {2016: 0.86, 2017: 0.9, 2018: 0.93}  # the share rises as parent groups take hold


def _school(gaz: Gazetteer, village_code: str, grade: int) -> str:
    row = gaz.villages.set_index("village_code").loc[village_code]
    if grade <= 6:
        return f"{row['village']} Primary School"
    if grade <= 9:
        return f"{row['commune']} Lower Secondary School"
    return f"{row['district']} High School"


def build_school_support(gaz: Gazetteer, households: pd.DataFrame, savings_groups: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("school_support")
    members = households[households["village_code"].isin(set(savings_groups["village_code"])) & (households["children"] > 0)]
    records = []
    child = 0
    for family in members.itertuples():
        if rng.random() >= 0.45:
            continue
        for _ in range(min(int(family.children), int(rng.integers(1, 3)))):
            child += 1
            code, sex = f"C-{child:06d}", pick(rng, ["female", "male"])
            first_year = max(YEARS[0], family.enrolled_on.year + (1 if family.enrolled_on.month >= 10 else 0))
            age = int(rng.integers(6, 15))
            grade = max(1, age - 5 - int(pick(rng, [0, 0, 0, 1, 2])))
            for year in range(first_year, YEARS[-1] + 1):
                if grade > 12:
                    break
                enrolled = bool(rng.random() < 0.96)
                stayed = enrolled and bool(rng.random() < STAY_IN_SCHOOL[year])
                extras = [e for e in EXTRAS if rng.random() < 0.55] + (["bicycle"] if grade >= 7 and rng.random() < 0.3 else [])
                records.append({
                    "date": random_day(rng, dt.date(year, 10, 1), dt.date(year, 10, 31)),
                    "household_id": family.household_id, "child_code": code, "sex": sex, "age_years": age,
                    "school": _school(gaz, family.village_code, grade), "grade": grade,
                    "materials": ", ".join(["uniform", *extras]), "enrolled": enrolled, "in_school_at_year_end": stayed,
                })
                if not stayed:
                    break
                age, grade = age + 1, grade + 1
    records.sort(key=lambda r: (r["date"], r["household_id"], r["child_code"]))
    renumbered: dict[str, str] = {}  # codes in order of the child's first support, as staff would hand them out
    for r in records:
        r["child_code"] = renumbered.setdefault(r["child_code"], f"C-{len(renumbered) + 1:06d}")
    frame = typed_frame("school_support", {k: [r[k] for r in records] for k in records[0]})
    frame["support_id"] = pd.array([f"SS-{i:04d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame


@demo_builder("school_support")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    return {"school_support": build_school_support(gazetteer_of(book), book.frame("households"), book.frame("savings_groups"))}
