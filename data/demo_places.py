"""The demo's villages (real places of Cambodia's national gazetteer) and the household register.

Codes and names are the Ministry of Economy and Finance's (2025, `schemas.gazetteer`): the report's
communes where it names them (Chantrea and Tnaot, Kraol Kou in Svay Chrum, Andoung Pou), real
neighbouring communes elsewhere. Coordinates are approximate (the gazetteer has none).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo_common import YEARS, DemoBook, demo_builder, person_name, pick, rng_for, typed_frame
from schemas import gazetteer

# (province code, centre lat/lon) -> districts -> communes (code, target villages, other villages, first village).
# The 18 target communes of 11 districts in 3 provinces are the prevention programme's (report, 2017);
# Kampot holds the Sre Ambel health centre's catchment (the report's "Kampot District, Kampot Province")
# and is not a prevention target. Each commune takes its villages in code order from `first village`
# (None: its first); the slots keep the code order the programmes' draws were made in.
GAZETTEER = [
    ("20", (11.09, 105.80), [
        ("2001", [("200103", 4, 0, None)]),  # Chantrea: two cow bank villages
        ("2002", [("200212", 3, 2, None)]),  # Tnaot: the third cow bank village
        ("2003", [("200301", 4, 1, None), ("200302", 3, 0, None)]),  # Bos Mon: the first rice bank
        ("2004", [("200402", 4, 1, None), ("200403", 3, 0, None), ("200404", 3, 1, None)]),  # Andoung Pou: the AC
        ("2005", [("200510", 4, 1, "20051009"), ("200513", 3, 0, None)]),  # Kraol Kou: Ruessei Chuor rice bank
        ("2006", [("200602", 3, 1, None)]),
    ]),
    ("09", (11.45, 103.35), [
        ("0901", [("090101", 4, 0, None), ("090104", 3, 0, None)]),
        ("0902", [("090201", 3, 0, None)]),
        ("0903", [("090302", 3, 0, None)]),
    ]),
    ("06", (12.70, 104.90), [
        ("0601", [("060102", 3, 0, None), ("060105", 3, 0, None)]),
        ("0602", [("060203", 4, 0, None), ("060207", 3, 0, None)]),
    ]),
    ("07", (10.62, 104.18), [
        ("0707", [("070716", 0, 6, None)]),  # Thmei (Tuek Chhu): the health centre's own commune
        ("0708", [("070801", 0, 2, None), ("070802", 0, 2, None), ("070803", 0, 2, None),
                  ("070804", 0, 5, None), ("070805", 0, 3, None)]),
    ]),
]
HEALTH_CENTRE_COMMUNE = "Thmei"


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

def build_gazetteer() -> Gazetteer:
    rng = rng_for("places")
    official = gazetteer.official("village")
    cols: dict[str, list] = {c: [] for c in [
        "village_code", "village", "commune_code", "commune", "district_code", "district",
        "province_code", "province", "latitude", "longitude", "target_village"]}
    for p_code, (lat0, lon0), districts in GAZETTEER:
        for d_code, communes in districts:
            d_lat, d_lon = lat0 + rng.uniform(-0.18, 0.18), lon0 + rng.uniform(-0.18, 0.18)
            for c_code, n_target, n_other, first in communes:
                c_lat, c_lon = d_lat + rng.uniform(-0.06, 0.06), d_lon + rng.uniform(-0.06, 0.06)
                in_commune = sorted(official.loc[official["commune_code"] == c_code, "village_code"])
                chosen = in_commune[in_commune.index(first) if first else 0:][:n_target + n_other]
                assert len(chosen) == n_target + n_other, (c_code, len(chosen))
                for i, v_code in enumerate(chosen, start=1):
                    cols["village_code"].append(v_code)
                    cols["commune_code"].append(c_code)
                    cols["district_code"].append(d_code)
                    cols["province_code"].append(p_code)
                    cols["latitude"].append(round(c_lat + rng.uniform(-0.03, 0.03), 5))
                    cols["longitude"].append(round(c_lon + rng.uniform(-0.03, 0.03), 5))
                    cols["target_village"].append(i <= n_target)
    for level in ("village", "commune", "district", "province"):
        cols[level] = gazetteer.names_of(level, pd.Series(cols[f"{level}_code"])).tolist()
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


def gazetteer_of(book: DemoBook) -> Gazetteer:
    return book.shared("gazetteer", build_gazetteer)


def register_of(book: DemoBook) -> HouseholdRegister:
    """The one register every programme enrols its families in (programmes register in a fixed order)."""
    return book.shared("households", HouseholdRegister)


@demo_builder("places")
def demo(book: DemoBook) -> dict[str, pd.DataFrame]:
    """The places programme's demo tabs. The households are the families the savings, cow, rice and
    prevention builders registered, in that order (it fixes their ids): those are built first."""
    for enrolling in ("savings_groups", "cows", "rice_banks", "migration_checks"):
        book.frame(enrolling)
    return {"villages": gazetteer_of(book).villages, "households": register_of(book).frame()}
