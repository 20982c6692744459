"""Savings insights: capital, loans outstanding, cash in hand and the SAVIX-style ratios, on literal ledgers."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from connectors.store.cache import Cache
from insights import savings
from insights.common import Filters

D = dt.date

GROUPS = pd.DataFrame({
    "group_id": ["SG-01", "AC-01"], "name": ["Teng Mao savers", "Andong Po cooperative"],
    "kind": ["saving_group", "agricultural_cooperative"], "village_code": ["20020101", "20030101"],
    "founded_on": pd.to_datetime(["2016-01-10", "2016-06-01"]), "members": [10, 45], "female_members": [8, 20],
})
VILLAGES = pd.DataFrame({
    "village_code": ["20020101", "20030101"], "village": ["Teng Mao", "Andong Po"], "commune_code": ["200201", "200301"],
    "commune": ["Teng Mao", "Andong Po"], "district_code": ["2002", "2003"], "district": ["Kampong Rou", "Rumduol"],
    "province_code": ["20", "20"], "province": ["Svay Rieng", "Svay Rieng"], "latitude": [11.1, 11.2],
    "longitude": [105.8, 105.9], "target_village": [True, True],
})


def ledger(*rows: tuple) -> pd.DataFrame:
    """(date, group, kind, riel, household, loan) rows."""
    frame = pd.DataFrame(rows, columns=["date", "group_id", "kind", "amount_riel", "household_id", "loan_id"])
    frame.insert(0, "entry_id", [f"SL-{i:04d}" for i in range(1, len(frame) + 1)])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount_riel"] = frame["amount_riel"].astype(float)
    frame["note"] = ""
    return frame


@pytest.fixture
def cache():
    c = Cache(":memory:")
    c.load_frames({"savings_groups": GROUPS, "villages": VILLAGES,
                   "settings": pd.DataFrame({"key": ["riel_per_usd"], "value": ["4000"], "note": [""]})})
    yield c
    c.close()


def test_a_loan_overdue_by_31_days_is_at_risk_and_one_overdue_by_30_is_not(cache):
    cache.load_frames({"savings_ledger": ledger(
        ("2017-01-10", "SG-01", "deposit", 1_000_000, "HH-0001", ""),
        # lent 1 Jan, repaid in part 1 Feb: the next instalment fell due 1 Mar; on 31 Mar it is 30 days late
        ("2017-01-01", "SG-01", "loan", 200_000, "HH-0001", "L-1"),
        ("2017-02-01", "SG-01", "repayment", 50_000, "HH-0001", "L-1"),
        # lent 28 Jan, never paid: due 28 Feb, 31 days late on 31 Mar
        ("2017-01-28", "SG-01", "loan", 100_000, "HH-0002", "L-2"),
        # lent 1 Jan, interest paid 15 Mar: an interest payment keeps it current
        ("2017-01-01", "SG-01", "loan", 80_000, "HH-0003", "L-3"),
        ("2017-03-15", "SG-01", "interest", 2_000, "HH-0003", "L-3"),
        # lent and fully repaid: nothing outstanding, never at risk however old
        ("2016-06-01", "SG-01", "loan", 40_000, "HH-0004", "L-4"),
        ("2016-07-01", "SG-01", "repayment", 40_000, "HH-0004", "L-4"),
    )})
    book = savings.loan_book(cache.cursor(), D(2017, 3, 31)).set_index("loan_id")
    assert book.loc["L-1", ["outstanding", "days_overdue", "at_risk"]].tolist() == [150_000, 30, False]
    assert book.loc["L-2", ["outstanding", "days_overdue", "at_risk"]].tolist() == [100_000, 31, True]
    assert book.loc["L-3", ["outstanding", "days_overdue", "at_risk"]].tolist() == [80_000, 0, False]
    assert book.loc["L-4", ["outstanding", "at_risk"]].tolist() == [0, False]

    row = savings.ratios(cache.cursor(), Filters(D(2017, 1, 1), D(2017, 3, 31))).set_index("name").loc["Teng Mao savers"]
    assert row["outstanding_riel"] == 330_000 and row["at_risk_riel"] == 100_000
    assert row["portfolio_at_risk"] == round(100_000 / 330_000, 4)
    assert row["borrowers"] == 3 and row["share_borrowing"] == 0.3  # 3 households of 10 members


def test_capital_loans_outstanding_and_cash_in_hand_on_a_day(cache):
    cache.load_frames({"savings_ledger": ledger(
        ("2017-01-05", "SG-01", "deposit", 400_000, "HH-0001", ""),
        ("2017-01-05", "SG-01", "grant", 200_000, "", ""),
        ("2017-02-01", "SG-01", "loan", 300_000, "HH-0001", "L-1"),
        ("2017-03-01", "SG-01", "repayment", 100_000, "HH-0001", "L-1"),
        ("2017-03-01", "SG-01", "interest", 9_000, "HH-0001", "L-1"),
        ("2017-03-02", "SG-01", "withdrawal", 50_000, "HH-0001", ""),
        ("2017-03-03", "SG-01", "expense", 4_000, "", ""),
        ("2017-02-01", "AC-01", "deposit", 1_000_000, "", ""),
        ("2018-01-01", "SG-01", "deposit", 999_999, "HH-0001", ""),  # after the day
    )})
    groups = savings.groups_on(cache.cursor(), D(2017, 12, 31)).set_index("group_id")
    # capital 400,000 + 200,000 + 9,000 − 50,000 − 4,000; loans 300,000 − 100,000; cash the difference
    assert groups.loc["SG-01", ["capital_riel", "loans_outstanding_riel", "cash_in_hand_riel", "capital_usd"]].tolist() == [
        555_000, 200_000, 355_000, 138.75]
    assert groups.loc["SG-01", "share_women"] == 0.8
    assert groups.loc["AC-01", "capital_riel"] == 1_000_000
    assert savings.capital_on(cache.cursor(), D(2017, 12, 31)) == {"riel": 1_555_000.0, "usd": 388.75, "riel_per_usd": 4000.0}

    months = savings.capital_over_time(cache.cursor(), Filters(D(2017, 2, 1), D(2017, 3, 31)))
    sg = months[months["group_id"] == "SG-01"]
    assert sg[["as_of", "capital_riel", "loans_outstanding_riel", "cash_in_hand_riel"]].values.tolist() == [
        [pd.Timestamp("2017-02-28"), 600_000, 300_000, 300_000],  # January's entries carried in as the opening balance
        [pd.Timestamp("2017-03-31"), 555_000, 200_000, 355_000]]
    assert months[months["group_id"] == "AC-01"]["capital_riel"].tolist() == [1_000_000, 1_000_000]


def test_savix_ratios_per_group_and_for_all_saving_groups(cache):
    cache.load_frames({"savings_ledger": ledger(
        ("2016-12-01", "SG-01", "deposit", 100_000, "HH-0001", ""),   # savings at the start: 100,000
        ("2017-01-05", "SG-01", "deposit", 150_000, "HH-0002", ""),
        ("2017-02-05", "SG-01", "withdrawal", 50_000, "HH-0002", ""),  # savings at the end: 200,000
        ("2017-03-01", "SG-01", "loan", 60_000, "HH-0001", "L-1"),
        ("2017-04-01", "SG-01", "loan", 100_000, "HH-0002", "L-2"),
        ("2017-05-01", "SG-01", "repayment", 100_000, "HH-0002", "L-2"),
        ("2017-05-01", "SG-01", "interest", 18_000, "HH-0002", "L-2"),
        ("2017-12-01", "SG-01", "interest", 1_500, "HH-0001", "L-1"),
        ("2017-06-01", "SG-01", "expense", 4_500, "", ""),
        ("2017-06-01", "SG-01", "grant", 500_000, "", ""),            # donor capital: not a return
    )})
    table = savings.ratios(cache.cursor(), Filters.year(2017)).set_index("name")
    sg = table.loc["Teng Mao savers"]
    assert sg["savings_per_member_riel"] == 20_000           # 200,000 / 10 members
    assert sg["share_borrowing"] == 0.1                      # HH-0001 still owes; HH-0002 repaid
    assert (sg["loans_lent"], sg["average_loan_riel"]) == (2, 80_000)
    assert sg["income_riel"] == 15_000                       # 18,000 + 1,500 − 4,500
    assert sg["return_on_savings"] == 0.1                    # 15,000 / ((100,000 + 200,000) / 2)
    assert sg["portfolio_at_risk"] == 0.0                    # L-1 paid interest on 1 Dec
    total = table.loc["All saving groups"]
    assert (total["kind"], total["members"], total["savings_riel"]) == ("saving_group", 10, 200_000)
    assert table.loc["All cooperatives", "loans_lent"] == 0 and pd.isna(table.loc["All cooperatives", "average_loan_riel"])


def test_the_demo_workbook_gives_the_reports_capital_on_31_december_2018(demo_cache):
    capital = savings.capital_on(demo_cache.cursor(), D(2018, 12, 31))
    assert (capital["riel"], capital["usd"]) == (139_791_300, 34_947.83)
    groups = savings.groups_on(demo_cache.cursor(), D(2018, 12, 31))
    assert groups["capital_riel"].sum() == 139_791_300
    assert (groups["cash_in_hand_riel"] >= 0).all()
    cooperative = groups[groups["kind"] == "agricultural_cooperative"]
    assert cooperative[["members", "female_members"]].values.tolist() == [[45, 20]]


def test_a_cooperative_in_a_village_the_villages_tab_lacks_names_only_the_communes_it_knows(cache):
    # A typo in a group's village code (or a village whose commune cell could not be read) joins no commune:
    # the sentence names the known ones and never falls over on the unknown one (issue 23).
    cache.load_frames({"savings_groups": pd.concat([GROUPS, pd.DataFrame({
        "group_id": ["AC-02"], "name": ["Typo cooperative"], "kind": ["agricultural_cooperative"], "village_code": ["2003O101"],
        "founded_on": pd.to_datetime(["2016-06-01"]), "members": [5], "female_members": [2]})], ignore_index=True)})
    summary = savings.groups_summary(cache.cursor())
    assert [(g["kind"], g["groups"], g["communes"]) for g in summary] == [
        ("agricultural_cooperative", 2, ["Andong Po"]), ("saving_group", 1, ["Teng Mao"])]
    cache.load_frames({"savings_groups": GROUPS.assign(village_code=["20020101", "99999999"])})
    assert [(g["kind"], g["communes"]) for g in savings.groups_summary(cache.cursor())] == [
        ("agricultural_cooperative", []), ("saving_group", ["Teng Mao"])]
