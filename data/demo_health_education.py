"""Health education in the Sre Ambel health centre's villages (Kampot).

What this module guarantees:
- the clinic staff teach on some mobile-clinic days, in the village the mobile clinic visited that day,
  alone (ccpcr) or with the Kampot Health Department (both); the department also comes on its own, on
  Tuesdays and Thursdays;
- women + men = villagers + village chiefs + community leaders in every session.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.demo_common import YEARS, pick, random_day, rng_for, typed_frame
from data.demo_places import Gazetteer

TOPICS = ["hand-washing and hygiene", "proper use of medicine", "dental health", "preventing diarrhoea",
          "clean drinking water", "dengue prevention", "nutrition of young children", "when to go to the health centre"]
WITH_CLINIC_PER_YEAR, DEPARTMENT_ALONE_PER_YEAR = 30, 10


def _session(rng: np.random.Generator, day, village: str, given_by: str) -> dict:
    villagers, chiefs, leaders = int(rng.integers(12, 46)), int(rng.random() < 0.6), int(rng.integers(0, 5))
    female = int(rng.binomial(villagers + chiefs + leaders, 0.6))
    return {"date": pd.Timestamp(day), "village_code": village, "topic": pick(rng, TOPICS), "given_by": given_by,
            "villagers": villagers, "village_chiefs": chiefs, "community_leaders": leaders,
            "female": female, "male": villagers + chiefs + leaders - female}


def build_health_education(gaz: Gazetteer, clinic_visits: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("health_education")
    villages = gaz.codes(province_code="07")
    mobile = clinic_visits.loc[clinic_visits["site"] == "mobile_clinic", ["date", "village_code"]]
    # The village the mobile clinic went to that day: the one most of its patients came from.
    days = mobile.groupby("date")["village_code"].agg(lambda v: v.value_counts().index[0]).reset_index()
    records = []
    for year in YEARS:
        in_year = days[days["date"].dt.year == year]
        for row in in_year.iloc[np.sort(rng.choice(len(in_year), WITH_CLINIC_PER_YEAR, replace=False))].itertuples():
            records.append(_session(rng, row.date, row.village_code, pick(rng, ["ccpcr", "both"], p=[0.65, 0.35])))
        for _ in range(DEPARTMENT_ALONE_PER_YEAR):
            day = random_day(rng, dt.date(year, 1, 8), dt.date(year, 12, 20))
            day += dt.timedelta(days=(1 - day.weekday()) % 7 if rng.random() < 0.5 else (3 - day.weekday()) % 7)
            records.append(_session(rng, day, pick(rng, villages), "health_department"))
    records.sort(key=lambda r: (r["date"], r["village_code"]))
    frame = typed_frame("health_education", {k: [r[k] for r in records] for k in records[0]})
    frame["session_id"] = pd.array([f"HE-{i:04d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame
