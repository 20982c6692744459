"""Cow bank insights: lineages, pass-on obligations, herd over time, on literal herds and the demo workbook."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from connectors.store.cache import Cache
from data.demo_common import typed_frame
from insights import cow_bank
from insights.common import MAX_CHART_ROWS, Filters

D = dt.date
YEAR_2018 = Filters.year(2018)

VILLAGES = typed_frame("villages", {
    "village_code": ["20010101", "20010102", "20010103"], "village": ["Prey Kokir", "Chantrea", "Tnot"],
    "commune_code": ["200101"] * 3, "province_code": ["20"] * 3, "target_village": [True] * 3,
})
HOUSEHOLDS = typed_frame("households", {
    "household_id": ["HH-0001", "HH-0002", "HH-0003"], "village_code": ["20010101", "20010102", "20010103"],
})


def cows(*rows: tuple) -> pd.DataFrame:
    """(ear tag, sex, born_on, dam) rows, all of the Prey Kokir cow bank."""
    columns = ["cow_id", "sex", "born_on", "dam_id"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    return typed_frame("cows", {**data, "village_code": ["20010101"] * len(rows)})


def events(*rows: tuple) -> pd.DataFrame:
    """(date, ear tag, kind, household) rows."""
    columns = ["date", "cow_id", "kind", "household_id"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    return typed_frame("cow_events", {**data, "event_id": [f"CE-{i:04d}" for i in range(1, len(rows) + 1)]})


# Three generations: CB-001 → CB-003 (passed on to HH-0003) → CB-005; CB-001's second calf CB-004 is overdue.
# CB-002 has one calf, six months old, and died after it was born.
HERD = cows(
    ("CB-001", "female", D(2014, 6, 1), None), ("CB-002", "female", D(2014, 7, 1), None),
    ("CB-003", "female", D(2016, 3, 1), "CB-001"), ("CB-004", "male", D(2017, 4, 1), "CB-001"),
    ("CB-005", "female", D(2018, 5, 1), "CB-003"), ("CB-006", "male", D(2018, 6, 1), "CB-002"),
)
HISTORY = events(
    (D(2015, 1, 10), "CB-001", "granted", "HH-0001"), (D(2015, 1, 10), "CB-002", "granted", "HH-0002"),
    (D(2017, 1, 15), "CB-003", "passed_on", "HH-0003"), (D(2018, 9, 1), "CB-002", "died", "HH-0002"),
)


@pytest.fixture
def cache():
    c = Cache(":memory:")
    c.load_frames({"villages": VILLAGES, "households": HOUSEHOLDS, "cows": HERD, "cow_events": HISTORY})
    yield c
    c.close()


def test_a_three_generation_lineage_is_drawn_calf_below_mother(cache):
    tree = cow_bank.lineage(cache.cursor(), YEAR_2018)
    nodes = tree["nodes"]
    assert nodes[["row", "cow_id", "generation", "status", "label"]].values.tolist() == [
        [1, "CB-001", 0, "with a family", "CB-001 F · Prey Kokir"],
        [2, "CB-003", 1, "passed on", "CB-003 F · Tnot"],
        [3, "CB-005", 2, "with a family", "CB-005 F · Tnot"],     # held by the family its mother went to
        [4, "CB-004", 1, "with a family", "CB-004 M · Prey Kokir"],  # still with its mother's family
        [5, "CB-002", 0, "died", "CB-002 F · Chantrea"],
        [6, "CB-006", 1, "with a family", "CB-006 M · Chantrea"],
    ]
    assert tree["links"][["dam_id", "calf_id", "generation", "calf_generation", "row", "calf_row"]].values.tolist() == [
        ["CB-001", "CB-003", 0, 1, 1, 2], ["CB-003", "CB-005", 1, 2, 2, 3], ["CB-001", "CB-004", 0, 1, 1, 4], ["CB-002", "CB-006", 0, 1, 5, 6],
    ]
    assert not tree["truncated"]


def test_one_lineage_and_the_herd_as_it_was(cache):
    assert cow_bank.lineage(cache.cursor(), YEAR_2018, "CB-002")["nodes"]["cow_id"].tolist() == ["CB-002", "CB-006"]
    end_2016 = cow_bank.lineage(cache.cursor(), Filters.year(2016))["nodes"].set_index("cow_id")
    assert end_2016.index.tolist() == ["CB-001", "CB-003", "CB-002"]  # later calves not born yet
    assert end_2016.loc["CB-003", "status"] == "with a family" and end_2016.loc["CB-002", "status"] == "with a family"
    assert cow_bank.founders(cache.cursor(), YEAR_2018)[["founder_id", "cows", "generations"]].values.tolist() == [["CB-001", 4, 2], ["CB-002", 2, 1]]


def test_pass_on_obligations_per_granted_family(cache):
    obligations = cow_bank.pass_on_obligations(cache.cursor(), YEAR_2018)
    assert obligations[["household_id", "calf_number", "calf_id", "status"]].fillna({"calf_id": ""}).values.tolist() == [
        ["HH-0001", 1, "CB-003", "passed on"], ["HH-0001", 2, "CB-004", "overdue"],
        ["HH-0002", 1, "CB-006", "growing"], ["HH-0002", 2, "", "not yet born"],
    ]
    by_family = cow_bank.pass_on_by_family(cache.cursor(), YEAR_2018)
    assert by_family[["household_id", "calf_1", "calf_2", "worst"]].values.tolist() == [
        ["HH-0001", "CB-003: passed on 15 Jan 2017 to HH-0003 (Tnot)", "CB-004: overdue since 1 Feb 2018", "overdue"],
        ["HH-0002", "CB-006: growing, 6 months old", "not yet born", "growing"],
    ]


@pytest.mark.parametrize(("end", "status"), [
    (D(2018, 1, 31), "growing"),   # 9 months old
    (D(2018, 2, 1), "due"),        # 10 months old today
    (D(2018, 5, 1), "due"),        # due exactly three months ago
    (D(2018, 5, 2), "overdue"),    # due more than three months ago
])
def test_a_calf_is_due_at_ten_months_and_overdue_three_months_later(cache, end, status):
    obligations = cow_bank.pass_on_obligations(cache.cursor(), Filters(D(2018, 1, 1), end))
    assert obligations.set_index("calf_id").loc["CB-004", "status"] == status


def test_a_calf_that_died_before_it_was_passed_on_says_so():
    c = Cache(":memory:")
    c.load_frames({"villages": VILLAGES, "households": HOUSEHOLDS, "cows": HERD,
                   "cow_events": events(*[tuple(r) for r in HISTORY[["date", "cow_id", "kind", "household_id"]].itertuples(index=False)],
                                        (D(2018, 3, 1), "CB-004", "died", "HH-0001"))})
    obligation = cow_bank.pass_on_obligations(c.cursor(), YEAR_2018).set_index("calf_id").loc["CB-004"]
    assert obligation["status"] == "calf died" and obligation["died_on"] == pd.Timestamp("2018-03-01")
    c.close()


def test_herd_and_families_reached_month_by_month(cache):
    herd = cow_bank.herd_over_time(cache.cursor(), YEAR_2018)
    by_month = dict(zip(herd["day"].dt.strftime("%m"), zip(herd["herd"], herd["families_reached"], strict=True), strict=True))
    assert by_month["04"] == (4, 3) and by_month["05"] == (5, 3) and by_month["06"] == (6, 3) and by_month["09"] == (5, 3)
    assert len(herd) == 12


def test_generations_and_calves_per_year(cache):
    depth = cow_bank.generations(cache.cursor(), YEAR_2018)
    assert depth.groupby("generation")["cows"].sum().to_dict() == {0: 2, 1: 3, 2: 1}
    calves = cow_bank.calves_by_year(cache.cursor(), Filters(D(2015, 1, 1), D(2018, 12, 31)))
    assert calves.groupby("year")["calves"].sum().to_dict() == {2016: 1, 2017: 1, 2018: 2}


def test_a_cow_that_is_its_own_ancestor_never_hangs_the_tree():
    c = Cache(":memory:")
    c.load_frames({"cows": cows(("CB-001", "female", D(2014, 1, 1), None), ("CB-002", "female", D(2016, 1, 1), "CB-003"),
                                ("CB-003", "female", D(2017, 1, 1), "CB-002"))})
    assert cow_bank.lineage(c.cursor(), YEAR_2018)["nodes"]["cow_id"].tolist() == ["CB-001"]
    c.close()


def test_no_chart_gets_more_than_max_chart_rows_from_a_big_herd():
    rng = np.random.default_rng(6)
    n, founders = 20_000, 300
    dams = [None] * founders + [f"CB-{int(rng.integers(0, i)):06d}" for i in range(founders, n)]
    born = [D(2000, 1, 1) + dt.timedelta(days=int(i // 3)) for i in range(n)]
    c = Cache(":memory:")
    c.load_frames({"cows": cows(*[(f"CB-{i:06d}", "female", born[i], dams[i]) for i in range(n)]),
                   "cow_events": events(*[(born[i], f"CB-{i:06d}", "granted", "HH-0001") for i in range(0, n, 7)])})
    con, span = c.cursor(), Filters(D(1990, 1, 1), D(2030, 12, 31))
    tree = cow_bank.lineage(con, span)
    assert 0 < len(tree["nodes"]) <= MAX_CHART_ROWS and len(tree["links"]) <= MAX_CHART_ROWS and tree["truncated"]
    for frame in (cow_bank.herd_over_time(con, span), cow_bank.calves_by_year(con, span), cow_bank.generations(con, span)):
        assert 0 < len(frame) <= MAX_CHART_ROWS
    c.close()


# -- the demo workbook ----------------------------------------------------------------------------------


def test_demo_herd_is_30_founders_and_25_born(demo_cache):
    nodes = cow_bank.lineage(demo_cache.cursor(), YEAR_2018)["nodes"]
    assert (nodes["generation"] == 0).sum() == 30 and (nodes["generation"] > 0).sum() == 25
    assert cow_bank.founders(demo_cache.cursor(), YEAR_2018)["cows"].sum() == 55


def test_demo_every_obligation_agrees_with_its_events(demo_cache):
    con = demo_cache.cursor()
    min_age = 10
    obligations = cow_bank.pass_on_obligations(con, YEAR_2018)
    assert len(obligations) == 30 * 2
    events_of = con.execute("SELECT cow_id, kind, date, household_id FROM cow_events WHERE date <= DATE '2018-12-31'").df()
    cows_of = con.execute("SELECT cow_id, dam_id, born_on FROM cows").df().set_index("cow_id")
    end = pd.Timestamp("2018-12-31")
    for o in obligations.itertuples():
        calves = cows_of[cows_of["dam_id"] == o.cow_id].sort_values(["born_on"])
        if o.status == "not yet born":
            assert len(calves) < o.calf_number
            continue
        assert calves.index[o.calf_number - 1] == o.calf_id
        mine = events_of[events_of["cow_id"] == o.calf_id]
        passed = mine[mine["kind"] == "passed_on"]
        if o.status == "passed on":
            assert (passed["date"].min(), passed.sort_values("date")["household_id"].iat[0]) == (o.passed_on_on, o.passed_to)
            assert o.passed_on_on >= o.due_on  # validation's rule, seen from the obligation
        else:
            assert passed.empty
            due = o.born_on + pd.DateOffset(months=min_age)
            assert o.due_on == due
            expected = "growing" if due > end else "due" if due + pd.DateOffset(months=3) >= end else "overdue"
            assert o.status == expected


def test_grants_name_only_the_villages_and_communes_that_could_be_read(cache):
    # Chantrea's name and every commune cell held what could not be read (typed as nothing): the grants are
    # counted and the places named are the known ones, never a None among them (issue 23).
    cache.load_frames({"villages": VILLAGES.assign(village=["Prey Kokir", None, "Tnot"])})
    granted = cow_bank.summary(cache.cursor(), Filters.year(2015))
    assert (granted["granted"], granted["grant_villages"], granted["grant_communes"]) == (2, ["Prey Kokir"], [])
