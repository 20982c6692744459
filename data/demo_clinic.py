"""The Sre Ambel health centre and its mobile clinic (Kampot): visits and ambulance trips.

Report figures and rules this module guarantees, for 2017:
- 11,292 visits = 375 inpatient + 2,954 outpatient + 7,963 mobile check-ups: each year is built as
  a list of visit slots with exactly those counts per kind of care (other years: similar volumes);
- 2,261 visits aged 0-5 and 3,606 aged 6-12: exact numbers of slots get each age band, then a
  patient of that band is drawn (age = visit year - birth year, so a patient's band is fixed within
  a year);
- 300 new patients: exactly 300 health-centre slots start a new patient code; codes are only drawn
  from patients registered before the year, so a code flagged new was never seen before and
  appears only later. Patients known before 2015 are never flagged new;
- mobile check-ups happen Monday, Wednesday and Friday, one village per day, with a dental kit;
  weeks of Khmer New Year, Pchum Ben and the Water Festival have no mobile clinic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo_common import YEARS, DemoBook, demo_builder, rng_for, typed_frame
from data.demo_health_education import build_health_education
from data.demo_places import HEALTH_CENTRE_COMMUNE, Gazetteer, gazetteer_of

# Visits per year: (inpatient, outpatient, mobile_checkup); 2017 is the report's.
VOLUMES = {2015: (341, 2712, 7418), 2016: (362, 2838, 7705), 2017: (375, 2954, 7963), 2018: (391, 3077, 8150)}
UNDER_6_2017, AGED_6_12_2017, NEW_2017 = 2261, 3606, 300
NEW_PATIENTS = {2015: 286, 2016: 312, 2017: NEW_2017, 2018: 318}
KNOWN_BEFORE_2015 = 5000  # patients already registered when the records start
CARE = ["inpatient", "outpatient", "mobile_checkup"]
BANDS = [(0, 5), (6, 12), (13, 85)]
MOBILE_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday: "traveling three days a week"
# Holidays with no mobile clinic that week: Khmer New Year, Pchum Ben, Water Festival, New Year's Day.
HOLIDAYS = {
    2015: ["2015-01-01", "2015-04-14", "2015-10-12", "2015-11-25"],
    2016: ["2016-01-01", "2016-04-13", "2016-10-01", "2016-11-14"],
    2017: ["2017-01-02", "2017-04-14", "2017-09-20", "2017-11-03"],
    2018: ["2018-01-01", "2018-04-16", "2018-10-09", "2018-11-22"],
}
CONDITIONS = {
    "mobile_checkup": (["dental health", "common cold", "worms", "skin infection", "fever", "diarrhea", "eczema",
                        "skin allergy", "muscular pain", "gastritis"],
                       [0.26, 0.18, 0.12, 0.1, 0.09, 0.07, 0.05, 0.05, 0.05, 0.03]),
    "outpatient": (["common cold", "fever", "diarrhea", "bacterial infection", "gastritis", "muscular pain",
                    "skin infection", "pregnancy", "asthma", "bronchitis", "worms", "skin allergy", "nose bleed",
                    "eczema", "dental health"],
                   [0.16, 0.14, 0.1, 0.09, 0.08, 0.07, 0.06, 0.06, 0.04, 0.04, 0.04, 0.04, 0.02, 0.03, 0.03]),
    "inpatient": (["pneumonia", "diarrhea", "fever", "bacterial infection", "pregnancy", "asthma", "bronchitis",
                   "gastritis"], [0.2, 0.18, 0.14, 0.14, 0.14, 0.07, 0.08, 0.05]),
}
REFERRAL_HOSPITALS = ["Takeo Referral Hospital", "Kampot Provincial Referral Hospital"]
DONATIONS = {"mobile_checkup": [0, 0, 0, 500, 1000], "outpatient": [0, 1000, 2000, 5000], "inpatient": [0, 5000, 10000, 20000]}


def _age_band_counts(year: int, total: int, scale: int) -> tuple[int, int]:
    if year == 2017 and scale == 1:
        return UNDER_6_2017, AGED_6_12_2017
    return round(total * 0.2), round(total * 0.32)


def _mobile_days(year: int) -> np.ndarray:
    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    keep = np.isin(weekday, MOBILE_WEEKDAYS)
    for holiday in HOLIDAYS[year]:
        h = np.datetime64(holiday)
        monday = h - ((h.astype("int64") + 3) % 7)
        keep &= ~((days >= monday) & (days < monday + 7))
    keep &= ~(days > np.datetime64(f"{year}-12-23"))  # staff break at the year's end
    return days[keep]


def _spread(rng: np.random.Generator, total: int, days: np.ndarray) -> np.ndarray:
    """`total` visits over `days`, busier on some days than others; the counts add up exactly."""
    weights = rng.gamma(8.0, 1.0, size=len(days))
    return np.repeat(days, rng.multinomial(total, weights / weights.sum()))


class PatientBook:
    """Patients as parallel arrays: village, sex, birth year, visit weight, year first seen (0 = before 2015)."""

    def __init__(self) -> None:
        self.village: list[np.ndarray] = []
        self.female: list[np.ndarray] = []
        self.birth_year: list[np.ndarray] = []
        self.weight: list[np.ndarray] = []
        self.size = 0

    def add(self, village: np.ndarray, female: np.ndarray, birth_year: np.ndarray, weight: np.ndarray) -> np.ndarray:
        ids = np.arange(self.size, self.size + len(village))
        for store, values in ((self.village, village), (self.female, female), (self.birth_year, birth_year), (self.weight, weight)):
            store.append(values)
        self.size += len(village)
        return ids

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (np.concatenate(self.village), np.concatenate(self.female), np.concatenate(self.birth_year),
                np.concatenate(self.weight))


def _band_of(age: np.ndarray) -> np.ndarray:
    return np.select([age <= 5, age <= 12], [0, 1], 2)


def _birth_years(rng: np.random.Generator, year: int, band: np.ndarray) -> np.ndarray:
    age = np.where(band == 0, rng.integers(0, 6, len(band)),
                   np.where(band == 1, rng.integers(6, 13, len(band)), 13 + rng.gamma(2.0, 14.0, len(band)).astype(int)))
    return year - np.minimum(age, 85)


def _year_slots(rng: np.random.Generator, year: int, scale: int, villages: np.ndarray, village_p: np.ndarray) -> pd.DataFrame:
    inpatient, outpatient, mobile = (n * scale for n in VOLUMES[year])
    all_days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    open_days = all_days[(all_days.astype("int64") + 3) % 7 != 6]  # the out-patient department closes on Sunday
    mobile_days = _mobile_days(year)
    # The mobile clinic visits one village a day, going round all villages in a shuffled order.
    rounds = -(-len(mobile_days) // len(villages))
    tour = np.concatenate([rng.permutation(villages) for _ in range(rounds)])[: len(mobile_days)]
    mobile_dates = _spread(rng, mobile, mobile_days)
    mobile_village = tour[np.searchsorted(mobile_days, mobile_dates)]
    hc_dates = np.concatenate([_spread(rng, inpatient, all_days), _spread(rng, outpatient, open_days)])
    care = np.array(["inpatient"] * inpatient + ["outpatient"] * outpatient + ["mobile_checkup"] * mobile)
    slots = pd.DataFrame({
        "date": np.concatenate([hc_dates, mobile_dates]),
        "care": care,
        "village": np.concatenate([rng.choice(villages, size=inpatient + outpatient, p=village_p), mobile_village]),
    })
    # Exact numbers of slots per age band; children are a little likelier on mobile check-ups.
    n_under_6, n_6_12 = _age_band_counts(year, len(slots), scale)
    band = np.full(len(slots), 2)
    w0 = np.select([care == "inpatient", care == "outpatient"], [0.8, 1.0], 1.1)
    under_6 = rng.choice(len(slots), size=n_under_6, replace=False, p=w0 / w0.sum())
    band[under_6] = 0
    rest = np.flatnonzero(band == 2)
    w1 = np.select([care[rest] == "inpatient", care[rest] == "outpatient"], [0.5, 0.8], 1.2)
    band[rng.choice(rest, size=n_6_12, replace=False, p=w1 / w1.sum())] = 1
    slots["band"] = band
    return slots


def _draw_known(rng: np.random.Generator, slots: pd.DataFrame, year: int, book: PatientBook, known: int) -> np.ndarray:
    """A known patient of the slot's village and age band for every slot (weighted: some come often)."""
    village, _, birth, weight = (a[:known] for a in book.arrays())
    band = _band_of(year - birth)
    patient = np.full(len(slots), -1)
    for (v, b), rows in slots.groupby(["village", "band"], sort=True).indices.items():
        candidates = np.flatnonzero((village == v) & (band == b))
        if len(candidates) == 0:
            candidates = np.flatnonzero(band == b)  # a patient from another village came along
        p = weight[candidates] / weight[candidates].sum()
        patient[rows] = candidates[rng.choice(len(candidates), size=len(rows), p=p)]
    return patient


def _separate_same_day(rng: np.random.Generator, slots: pd.DataFrame, year: int, book: PatientBook, known: int) -> None:
    """Redraw a patient who would otherwise be assessed twice on one day.

    Two quick rounds of redrawing settle most; the rest are redrawn one by one among the village's
    patients of that band not yet seen that day (any village when the village has none left).
    """
    for _ in range(2):
        drawn = slots[~slots["new"]]
        twice = drawn.index[drawn.duplicated(["patient", "date"])]
        if len(twice) == 0:
            return
        slots.loc[twice, "patient"] = _draw_known(rng, slots.loc[twice].reset_index(drop=True), year, book, known)
    village, _, birth, weight = (a[:known] for a in book.arrays())
    band = _band_of(year - birth)
    drawn = slots[~slots["new"]]
    seen: dict[np.datetime64, set[int]] = {}
    for date, patients in slots.groupby("date")["patient"]:
        seen[date] = set(patients.tolist())
    for row in drawn.index[drawn.duplicated(["patient", "date"])]:
        date, v, b = slots.at[row, "date"], slots.at[row, "village"], slots.at[row, "band"]
        taken = np.fromiter(seen[date], dtype=np.int64)
        for candidates in (np.flatnonzero((village == v) & (band == b)), np.flatnonzero(band == b)):
            candidates = np.setdiff1d(candidates, taken)
            if len(candidates):
                choice = int(candidates[rng.choice(len(candidates), p=weight[candidates] / weight[candidates].sum())])
                slots.at[row, "patient"] = choice
                seen[date].add(choice)
                break


def build_clinic(gaz: Gazetteer, scale: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = rng_for("clinic")
    villages = np.array(gaz.codes(province_code="07"))
    # Families near the health centre (its own commune) come more often.
    near = np.array([v[:6] == gaz.village_in(HEALTH_CENTRE_COMMUNE)[:6] for v in villages])
    village_p = np.where(near, 3.0, 1.0) / np.where(near, 3.0, 1.0).sum()

    book = PatientBook()
    n0 = KNOWN_BEFORE_2015 * scale
    band0 = rng.choice(3, size=n0, p=[0.22, 0.30, 0.48])
    birth0 = np.where(band0 == 0, rng.integers(2010, 2015, n0), _birth_years(rng, 2015, band0))
    book.add(rng.choice(villages, size=n0, p=village_p), rng.random(n0) < 0.55, birth0, rng.gamma(2.0, 1.0, n0))

    years = []
    for year in YEARS:
        slots = _year_slots(rng, year, scale, villages, village_p)
        known = book.size
        slots["patient"] = _draw_known(rng, slots, year, book, known)
        # New patients: the first visit of a code never seen before, at the health centre.
        hc = np.flatnonzero(slots["care"].to_numpy() != "mobile_checkup")
        first = np.sort(rng.choice(hc, size=NEW_PATIENTS[year] * scale, replace=False))
        first = first[np.argsort(slots["date"].to_numpy()[first], kind="stable")]  # codes follow first-visit order
        band = slots["band"].to_numpy()[first]
        new_ids = book.add(slots["village"].to_numpy()[first], rng.random(len(first)) < 0.55,
                           _birth_years(rng, year, band), rng.gamma(2.0, 1.0, len(first)))
        slots["new"] = False
        slots.loc[first, "patient"] = new_ids
        slots.loc[first, "new"] = True
        _separate_same_day(rng, slots, year, book, known)
        slots["year"] = year
        years.append(slots)

    visits = pd.concat(years, ignore_index=True)
    village, female, birth, _ = book.arrays()
    patient = visits["patient"].to_numpy()
    visits["village"] = village[patient]  # a patient lives in one village
    visits["female"] = female[patient]
    visits["age"] = visits["year"].to_numpy() - birth[patient]
    visits["site_order"] = (visits["care"] == "mobile_checkup").astype(int)
    visits = visits.sort_values(["date", "site_order", "care", "village", "patient"], kind="stable").reset_index(drop=True)
    return _visit_frame(rng, visits), _trips(rng, gaz, visits)


def _visit_frame(rng: np.random.Generator, visits: pd.DataFrame) -> pd.DataFrame:
    n = len(visits)
    care = visits["care"].to_numpy()
    female, age = visits["female"].to_numpy(), visits["age"].to_numpy()
    condition = np.empty(n, dtype=object)
    donation = np.zeros(n)
    for kind, (names, p) in CONDITIONS.items():
        rows = np.flatnonzero(care == kind)
        condition[rows] = np.array(names, dtype=object)[rng.choice(len(names), size=len(rows), p=np.array(p) / sum(p))]
        donation[rows] = rng.choice(DONATIONS[kind], size=len(rows))
    not_pregnant = (condition == "pregnancy") & ~(female & (age >= 16) & (age <= 45))
    condition[not_pregnant] = "fever"
    referral_rate = np.select([care == "inpatient", care == "outpatient"], [0.10, 0.01], 0.0)
    referred = rng.random(n) < referral_rate
    referred_to = np.where(referred, rng.choice(REFERRAL_HOSPITALS, size=n, p=[0.75, 0.25]), None)
    visits["visit_id"] = [f"CV-{i:07d}" for i in range(1, n + 1)]
    visits["referred_to"] = referred_to
    return typed_frame("clinic_visits", {
        "visit_id": visits["visit_id"].tolist(),
        "date": visits["date"].to_numpy(),
        "site": np.where(care == "mobile_checkup", "mobile_clinic", "health_centre"),
        "village_code": visits["village"].to_numpy(),
        "patient_code": [f"P-{p + 1:06d}" for p in visits["patient"].to_numpy()],
        "sex": np.where(female, "female", "male"),
        "age_years": age,
        "care": care,
        "condition": condition,
        "new_patient": visits["new"].to_numpy(dtype=bool),
        "referred_to": referred_to,
        "dental_kit": care == "mobile_checkup",
        "donation_riel": donation,
    })


def _trips(rng: np.random.Generator, gaz: Gazetteer, visits: pd.DataFrame) -> pd.DataFrame:
    """Most referrals go by the clinic's ambulance the same day; a few trips bring the deceased home."""
    referred = visits[visits["referred_to"].notna()]
    by_ambulance = referred[rng.random(len(referred)) < 0.7]
    records = [{"date": r.date, "purpose": "emergency_referral", "village_code": r.village, "destination": r.referred_to,
                "visit_id": r.visit_id} for r in by_ambulance.itertuples()]
    villages = gaz.codes(province_code="07")
    for year in YEARS:
        for purpose, n in (("deceased_transport", int(rng.integers(3, 7))), ("other", int(rng.integers(3, 6)))):
            for _ in range(n):
                day = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 365)))
                village = villages[int(rng.integers(0, len(villages)))]
                destination = (f"{gaz.name_of(village)} village, for the funeral" if purpose == "deceased_transport"
                               else "Kampot Provincial Health Department, medicines and supplies")
                records.append({"date": day, "purpose": purpose, "village_code": village, "destination": destination,
                                "visit_id": None})
    records.sort(key=lambda r: (r["date"], r["purpose"], r["visit_id"] or ""))
    frame = typed_frame("ambulance_trips", {k: [r[k] for r in records] for k in records[0]})
    frame["trip_id"] = pd.array([f"AT-{i:04d}" for i in range(1, len(frame) + 1)], dtype="string")
    return frame


@demo_builder("clinic")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    gaz = gazetteer_of(book)
    visits, trips = build_clinic(gaz, book.scale)
    return {"clinic_visits": visits, "ambulance_trips": trips, "health_education": build_health_education(gaz, visits)}
