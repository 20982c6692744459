"""The demo gazetteer (villages) and the household register every programme draws families from.

Codes follow Cambodia's gazetteer (province 2, district 4, commune 6, village 8 digits, each the
prefix of the next). Province codes are the real ones; district, commune and village names are the
report's where it names them and plausible invented romanisations elsewhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo_common import YEARS, person_name, pick, rng_for, typed_frame

# (province code, province, centre lat/lon) -> districts -> communes (code suffix, name, target villages, other villages)
# The 18 target communes of 11 districts in 3 provinces are the prevention programme's (report, 2017);
# Kampot holds the Sre Ambel health centre's catchment and is not a prevention target.
GAZETTEER = [
    ("20", "Svay Rieng", (11.09, 105.80), [
        ("01", "Chantrea", [("01", "Chantrea", 4, 1), ("02", "Tnot", 3, 1)]),
        ("02", "Kampong Rou", [("01", "Teng Mao", 4, 1), ("02", "Samlei", 3, 0)]),
        ("03", "Rumduol", [("01", "Andong Po", 4, 1)]),
        ("04", "Romeas Haek", [("01", "Thmei", 3, 0), ("02", "Ampil", 3, 1)]),
        ("05", "Svay Chrum", [("01", "Krol Kor", 4, 1), ("02", "Svay Ang", 3, 0)]),
        ("06", "Svay Rieng", [("01", "Prasat", 3, 1)]),
    ]),
    ("09", "Koh Kong", (11.45, 103.35), [
        ("01", "Botum Sakor", [("01", "Thma Sa", 4, 0), ("02", "Andoung Tuek", 3, 0)]),
        ("02", "Kiri Sakor", [("01", "Chrouy Pras", 3, 0)]),
        ("03", "Kaoh Kong", [("01", "Pak Khlang", 3, 0)]),
    ]),
    ("06", "Kampong Thom", (12.70, 104.90), [
        ("01", "Baray", [("01", "Chaeung Daeung", 3, 0), ("02", "Balangk", 3, 0)]),
        ("02", "Kampong Svay", [("01", "Kampong Kou", 4, 0), ("02", "Sroyov", 3, 0)]),
    ]),
    ("07", "Kampot", (10.62, 104.18), [
        ("08", "Kampot", [("01", "Sre Ambel", 0, 6), ("02", "Andoung Khmer", 0, 5),
                          ("03", "Traeuy Kaoh", 0, 5), ("04", "Kampong Kraeng", 0, 4)]),
    ]),
]

# Villages the report names, or that programmes need by name: (commune, index in commune) -> name.
NAMED_VILLAGES = {
    ("Krol Kor", 1): "Russei Chhuor Kang Chhoeung",
    ("Teng Mao", 1): "Teng Mao",
    ("Andong Po", 1): "Andong Po",
    ("Chantrea", 1): "Chantrea",
    ("Chantrea", 2): "Prey Kduoch",
    ("Tnot", 1): "Tnot Kandal",
    ("Sre Ambel", 1): "Sre Ambel",
}

_NAME_HEADS = [
    "Prey", "Trapeang", "Kampong", "Svay", "Chambak", "Boeng", "Ou", "Tuol", "Kouk", "Russei",
    "Srae", "Chrey", "Angk", "Roka", "Sla", "Trach", "Krasang", "Thnal", "Veal", "Ta", "Phum",
    "Doung", "Ampil", "Tnaot", "Popel",
]
_NAME_TAILS = [
    "Thmei", "Chas", "Kandal", "Khang Cheung", "Khang Tboung", "Thom", "Touch", "Kaeut",
    "Lech", "Sala", "Meas", "Chrum", "Lvea", "Daeum", "Khpos", "Pring", "Smach", "Kaong",
    "Tbaeng", "Rumdeng", "Chey", "Sangke", "Prasat", "Andaet",
]


@dataclass(frozen=True)
class Gazetteer:
    villages: pd.DataFrame  # the typed `villages` tab

    def codes(self, **where: object) -> list[str]:
        """Village codes matching column == value filters, in code order."""
        frame = self.villages
        mask = np.ones(len(frame), dtype=bool)
        for column, value in where.items():
            mask &= (frame[column] == value).to_numpy(dtype=bool)
        return sorted(frame.loc[mask, "village_code"].tolist())

    def village_in(self, commune: str, index: int = 1) -> str:
        """Code of the `index`-th village (1-based, code order) of a named commune."""
        return self.codes(commune=commune)[index - 1]

    def name_of(self, village_code: str) -> str:
        return str(self.villages.set_index("village_code").at[village_code, "village"])

    def commune_of(self, village_code: str) -> str:
        return village_code[:6]


def build_gazetteer() -> Gazetteer:
    rng = rng_for("places")
    cols: dict[str, list] = {c: [] for c in [
        "village_code", "village", "commune_code", "commune", "district_code", "district",
        "province_code", "province", "latitude", "longitude", "target_village"]}
    for p_code, province, (lat0, lon0), districts in GAZETTEER:
        for d_suffix, district, communes in districts:
            d_lat, d_lon = lat0 + rng.uniform(-0.18, 0.18), lon0 + rng.uniform(-0.18, 0.18)
            for c_suffix, commune, n_target, n_other in communes:
                c_lat, c_lon = d_lat + rng.uniform(-0.06, 0.06), d_lon + rng.uniform(-0.06, 0.06)
                used: set[str] = set()
                for i in range(1, n_target + n_other + 1):
                    name = NAMED_VILLAGES.get((commune, i))
                    while name is None or name in used:
                        name = f"{pick(rng, _NAME_HEADS)} {pick(rng, _NAME_TAILS)}"
                    used.add(name)
                    cols["village_code"].append(f"{p_code}{d_suffix}{c_suffix}{i:02d}")
                    cols["village"].append(name)
                    cols["commune_code"].append(f"{p_code}{d_suffix}{c_suffix}")
                    cols["commune"].append(commune)
                    cols["district_code"].append(f"{p_code}{d_suffix}")
                    cols["district"].append(district)
                    cols["province_code"].append(p_code)
                    cols["province"].append(province)
                    cols["latitude"].append(round(c_lat + rng.uniform(-0.03, 0.03), 5))
                    cols["longitude"].append(round(c_lon + rng.uniform(-0.03, 0.03), 5))
                    cols["target_village"].append(i <= n_target)
    return Gazetteer(typed_frame("villages", cols))


POVERTY = ["id_poor_1", "id_poor_2", "near_poor", "not_poor"]
PHONE_PREFIXES = ["012", "011", "017", "092", "070", "097", "088", "096", "010", "015", "016", "069", "077", "081", "085", "093"]


class HouseholdRegister:
    """Families are registered as the programmes need them; ids (HH-0001...) follow registration order.

    Programmes register in a fixed order, so ids and attributes are the same on every run.
    """

    def __init__(self) -> None:
        self._rng = rng_for("households")
        self._rows: list[dict] = []
        self._first_use: dict[str, dt.date] = {}

    def register(self, village_code: str, enrolled_on: dt.date, *, head_sex: str | None = None,
                 poor: bool = False) -> str:
        rng = self._rng
        household_id = f"HH-{len(self._rows) + 1:04d}"
        sex = head_sex or ("female" if rng.random() < 0.38 else "male")
        members = int(rng.integers(2, 10))
        children = int(rng.integers(0, members))  # the head is an adult: children < members
        phone = None
        if rng.random() < 0.8:
            digits = rng.integers(0, 10, size=6)
            phone = f"{pick(rng, PHONE_PREFIXES)} {''.join(map(str, digits[:3]))} {''.join(map(str, digits[3:]))}"
        poverty = pick(rng, POVERTY, p=[0.4, 0.4, 0.15, 0.05] if poor else [0.25, 0.35, 0.25, 0.15])
        self._rows.append({
            "household_id": household_id,
            "head_name": person_name(rng, sex),
            "head_sex": sex,
            "village_code": village_code,
            "members": members,
            "children": children,
            "phone": phone,
            "poverty_level": poverty,
            "survivor": bool(rng.random() < 0.04),
            "enrolled_on": enrolled_on,
        })
        return household_id

    def register_many(self, village_code: str, n: int, enrolled_on: dt.date, **kw: object) -> list[str]:
        return [self.register(village_code, enrolled_on, **kw) for _ in range(n)]  # type: ignore[arg-type]

    def children_of(self, household_id: str) -> int:
        return int(self._rows[int(household_id[3:]) - 1]["children"])

    def frame(self) -> pd.DataFrame:
        rows = self._rows
        return typed_frame("households", {k: [r[k] for r in rows] for k in rows[0]} if rows else {})


def reached_villages(gaz: Gazetteer, protected: list[str]) -> dict[int, list[str]]:
    """Target villages that prevention activities reached, per year.

    2017 is the report's year: exactly 55 villages of the 18 target communes. The other years
    reach fewer (the programme was growing) or more; every commune keeps at least one village.
    `protected` villages (cow, rice and savings villages) are reached every year.
    """
    rng = rng_for("reach")
    targets = gaz.villages[gaz.villages["target_village"].to_numpy(dtype=bool)]
    by_commune: dict[str, list[str]] = {}
    for code in sorted(targets["village_code"]):
        by_commune.setdefault(code[:6], []).append(code)
    not_reached = {2015: 16, 2016: 9, 2017: len(targets) - 55, 2018: 2}
    out: dict[int, list[str]] = {}
    for year in YEARS:
        droppable = [c for commune in sorted(by_commune) for c in by_commune[commune] if c not in protected]
        dropped: set[str] = set()
        per_commune: dict[str, int] = {}
        # 2017 drops at most one village per commune so that all 18 communes stay reached.
        cap = 1 if year == 2017 else 2
        for code in rng.permutation(droppable).tolist():
            if len(dropped) == not_reached[year]:
                break
            commune = code[:6]
            if per_commune.get(commune, 0) < min(cap, len(by_commune[commune]) - 1):
                dropped.add(code)
                per_commune[commune] = per_commune.get(commune, 0) + 1
        assert len(dropped) == not_reached[year], (year, len(dropped))
        out[year] = sorted(set(targets["village_code"]) - dropped)
    return out
