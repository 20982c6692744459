"""Rice bank insights: stock, loans, lean-season cover and chart sizes, on literal ledgers and the demo workbook."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from connectors.store.cache import Cache
from data.demo_common import typed_frame
from insights import rice_bank
from insights.common import MAX_CHART_ROWS, Filters, chart_grain

D = dt.date
YEAR_2018 = Filters.year(2018)

VILLAGES = typed_frame("villages", {
    "village_code": ["20010101", "20010102"], "village": ["Teng Mao", "Russei Chhuor"], "commune_code": ["200101", "200101"],
    "province_code": ["20", "20"], "province": ["Svay Rieng", "Svay Rieng"], "target_village": [True, True],
})
HOUSEHOLDS = typed_frame("households", {
    "household_id": ["HH-0001", "HH-0002", "HH-0003"], "village_code": ["20010101", "20010101", "20010102"],
})


def banks(*rows: tuple) -> pd.DataFrame:
    """(bank_id, name, village_code, established_on, capacity_kg, interest_pct) rows."""
    columns = ["bank_id", "name", "village_code", "established_on", "capacity_kg", "interest_pct"]
    return typed_frame("rice_banks", {c: [r[i] for r in rows] for i, c in enumerate(columns)})


def ledger(*rows: tuple) -> pd.DataFrame:
    """(date, bank, kind, kg, household, loan) rows."""
    columns = ["date", "bank_id", "kind", "kg", "household_id", "loan_id"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    data["entry_id"] = [f"RL-{i:04d}" for i in range(1, len(rows) + 1)]
    return typed_frame("rice_ledger", data)


TWO_BANKS = banks(("RB-01", "Teng Mao", "20010101", D(2018, 1, 5), 1000.0, 10.0),
                  ("RB-02", "Russei", "20010102", D(2018, 4, 26), 500.0, 0.0))
# A loan repaid in three parts (the last after its due date), a loan never repaid, a loss and a sale.
LOANS_2018 = ledger(
    (D(2018, 1, 5), "RB-01", "donation", 1000.0, None, None),
    (D(2018, 2, 1), "RB-01", "loan", 200.0, "HH-0001", "L1"),       # owes 220 kg, due 1 Aug
    (D(2018, 3, 10), "RB-01", "repayment", 100.0, "HH-0001", "L1"),
    (D(2018, 5, 20), "RB-01", "repayment", 80.0, "HH-0001", "L1"),
    (D(2018, 8, 15), "RB-01", "repayment", 40.0, "HH-0001", "L1"),  # 220 repaid: 20 kg interest
    (D(2018, 3, 1), "RB-01", "loan", 100.0, "HH-0002", "L2"),       # owes 110 kg, due 1 Sep, never repaid
    (D(2018, 4, 1), "RB-01", "loss", 50.0, None, None),
    (D(2018, 4, 26), "RB-02", "donation", 400.0, None, None),
    (D(2018, 6, 1), "RB-02", "sale", 100.0, None, None),
)


@pytest.fixture
def cache():
    c = Cache(":memory:")
    c.load_frames({"villages": VILLAGES, "households": HOUSEHOLDS, "rice_banks": TWO_BANKS, "rice_ledger": LOANS_2018})
    yield c
    c.close()


def test_stock_is_donations_and_repayments_less_loans_losses_and_sales(cache):
    stock = rice_bank.rice_stock_by_day(cache.cursor(), YEAR_2018)
    on = stock.set_index(["bank_id", stock["day"].dt.date])["stock_kg"]
    assert on["RB-01", D(2018, 1, 5)] == 1000
    assert on["RB-01", D(2018, 3, 1)] == 700          # 1000 - 200 - 100
    assert on["RB-01", D(2018, 12, 31)] == 870        # + 100 + 80 + 40 - 50
    assert on["RB-02", D(2018, 12, 31)] == 300
    assert stock[stock["bank_id"] == "RB-02"]["day"].min().date() == D(2018, 4, 26)  # nothing before it opened
    assert set(stock["grain"]) == {"day"}


def test_a_loan_repaid_in_three_parts_owes_nothing_and_earned_its_interest(cache):
    book = rice_bank.loan_book(cache.cursor(), YEAR_2018).set_index("loan_id")
    assert book.loc["L1", ["owed_kg", "repaid_kg", "still_owed_kg", "overdue"]].tolist() == [220.0, 220.0, 0.0, False]
    assert book.loc["L2", ["owed_kg", "repaid_kg", "still_owed_kg", "overdue", "days_overdue"]].tolist() == [110.0, 0.0, 110.0, True, 121]
    assert book.index[0] == "L2"  # overdue first
    assert book.loc["L1", "due_on"].date() == D(2018, 8, 1)


def test_loan_figures_for_the_year(cache):
    figures = rice_bank.loan_figures(cache.cursor(), YEAR_2018)
    assert figures["lent_kg"] == 300 and figures["repaid_kg"] == 220
    assert figures["loans_due"] == 2 and figures["repayment_rate"] == pytest.approx(220 / 330)
    assert figures["interest_earned_kg"] == 20
    assert figures["principal_out_kg"] == 100 and figures["still_owed_kg"] == 110
    assert figures["stock_kg"] == 1170 and figures["share_on_loan"] == pytest.approx(100 / 1270)
    assert (figures["overdue_loans"], figures["overdue_kg"]) == (1, 110)


def test_half_way_through_the_year_nothing_is_due_and_principal_is_repaid_first(cache):
    figures = rice_bank.loan_figures(cache.cursor(), Filters(D(2018, 1, 1), D(2018, 6, 30)))
    assert figures["repayment_rate"] is None and figures["loans_due"] == 0
    assert figures["principal_out_kg"] == 120  # L1: 200 - 180, L2: 100
    assert figures["still_owed_kg"] == 150     # L1: 220 - 180, L2: 110
    assert figures["interest_earned_kg"] == 0
    # the 20 kg of interest came with the last part, in the second half
    assert rice_bank.loan_figures(cache.cursor(), Filters(D(2018, 7, 1), D(2018, 12, 31)))["interest_earned_kg"] == 20


def test_loans_by_household_lists_only_what_is_still_owed(cache):
    owed = rice_bank.loans_by_household(cache.cursor(), YEAR_2018)
    assert owed[["household_id", "village", "kg_lent", "still_owed_kg", "overdue_loans"]].values.tolist() == [
        ["HH-0002", "Teng Mao", 100.0, 110.0, 1]]


def test_flows_by_month_are_signed_by_direction(cache):
    flows = rice_bank.rice_flows_by_month(cache.cursor(), YEAR_2018, "RB-01")
    march = flows[flows["month"].dt.date == D(2018, 3, 1)].set_index("kind")
    assert march["signed_kg"].to_dict() == {"loan": -100.0, "repayment": 100.0}
    assert flows["signed_kg"].sum() == 870


def test_ledger_entries_filter_by_bank_and_days_newest_first(cache):
    entries = rice_bank.ledger_entries(cache.cursor(), Filters(D(2018, 3, 1), D(2018, 5, 31)), "RB-01")
    assert entries["entry_id"].tolist() == ["RL-0004", "RL-0007", "RL-0003", "RL-0006"]
    assert rice_bank.ledger_count(cache.cursor(), YEAR_2018) == 9


def test_lean_season_cover_and_alerts():
    c = Cache(":memory:")
    c.load_frames({
        "villages": VILLAGES, "households": HOUSEHOLDS,
        "rice_banks": banks(("RB-01", "Teng Mao", "20010101", D(2016, 1, 1), 400.0, 10.0)),
        "rice_ledger": ledger(
            (D(2016, 1, 1), "RB-01", "donation", 2000.0, None, None),
            (D(2016, 7, 10), "RB-01", "loan", 400.0, "HH-0001", "L1"),
            (D(2016, 8, 10), "RB-01", "loan", 400.0, "HH-0002", "L2"),
            (D(2017, 9, 1), "RB-01", "loan", 400.0, "HH-0003", "L3"),
            (D(2018, 1, 15), "RB-01", "loss", 300.0, None, None),
        ),
    })
    # 1,200 kg lent over 8 past lean months (Jul-Oct 2016 and 2017): 150 kg a month; 500 kg cover 3.3 months.
    status = rice_bank.bank_status(c.cursor(), Filters(D(2018, 1, 1), D(2018, 6, 30))).iloc[0]
    assert (status["stock_kg"], status["lean_months_seen"], status["kg_per_lean_month"], status["lean_cover_months"]) == (500, 8, 150, 3.3)
    assert status["cannot_cover_lean_season"] and status["over_capacity"] and status["overdue_loans"] == 3
    assert status["alerts"] == "cannot cover the coming lean season (3.3 of 4 months); over capacity (500 of 400 kg); 3 overdue loans (1,320 kg)"
    # at the end of 2016 only that year's season counts: 800 kg over 4 months, 1,200 kg in store
    early = rice_bank.bank_status(c.cursor(), Filters.year(2016)).iloc[0]
    assert (early["lean_months_seen"], early["lean_cover_months"], early["cannot_cover_lean_season"]) == (4, 6.0, False)
    c.close()


def test_a_bank_that_never_lent_in_a_lean_season_has_no_cover_and_no_cover_alert(cache):
    status = rice_bank.bank_status(cache.cursor(), YEAR_2018).set_index("bank_id")
    assert status["lean_cover_months"].isna().all() and not status["cannot_cover_lean_season"].any()
    assert status.loc["RB-02", "alerts"] == "" and status.loc["RB-01", "alerts"] == "1 overdue loan (110 kg)"


def test_the_place_filter_keeps_the_banks_of_that_village(cache):
    assert rice_bank.banks(cache.cursor(), "20010102")["bank_id"].tolist() == ["RB-02"]
    assert rice_bank.loan_figures(cache.cursor(), Filters.year(2018, "20010102"))["stock_kg"] == 300


@pytest.mark.parametrize(("days", "series", "grain"), [(365, 2, "day"), (365, 20, "week"), (3650, 20, "month"), (3650, 50, "quarter"), (36500, 200, "year")])
def test_chart_grain_keeps_charts_small(days, series, grain):
    assert chart_grain(Filters(D(2010, 1, 1), D(2010, 1, 1) + dt.timedelta(days=days - 1)), series, finest="day") == grain


def test_no_chart_gets_more_than_max_chart_rows_from_a_million_ledger_rows():
    rng = np.random.default_rng(6)
    n, n_banks = 1_000_000, 40
    bank_ids = [f"RB-{i:02d}" for i in range(1, n_banks + 1)]
    kinds = np.array(["donation", "loan", "repayment", "loss", "sale"])
    loans = np.arange(n)
    big = pd.DataFrame({
        "entry_id": np.char.add("RL-", np.arange(n).astype(str)),
        "date": pd.Timestamp("2009-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D"),
        "bank_id": np.array(bank_ids)[rng.integers(0, n_banks, n)],
        "kind": kinds[rng.integers(0, 5, n)],
        "kg": rng.integers(1, 500, n).astype(float),
        "household_id": np.char.add("HH-", (loans % 5000).astype(str)),
        "loan_id": np.char.add("L", (loans // 2).astype(str)),
        "note": None,
    })
    c = Cache(":memory:")
    c.load_frames({"rice_banks": banks(*[(b, b, "20010101", D(2009, 1, 1), 1e6, 10.0) for b in bank_ids]), "rice_ledger": big})
    con, decade = c.cursor(), Filters(D(2009, 1, 1), D(2018, 12, 31))
    for filters in (decade, YEAR_2018, Filters(D(1990, 1, 1), D(2030, 12, 31))):
        assert 0 < len(rice_bank.rice_stock_by_day(con, filters)) <= MAX_CHART_ROWS
        assert 0 < len(rice_bank.rice_flows_by_month(con, filters)) <= MAX_CHART_ROWS
        assert len(rice_bank.ledger_entries(con, filters)) <= MAX_CHART_ROWS
        assert len(rice_bank.loan_book(con, filters)) <= MAX_CHART_ROWS
        assert len(rice_bank.loans_by_household(con, filters)) <= MAX_CHART_ROWS
        assert len(rice_bank.bank_status(con, filters)) == n_banks
    # the stock at the decade's end is the same whatever the grain
    stock = rice_bank.rice_stock_by_day(con, decade)
    last = stock[stock["day"].dt.date == D(2018, 12, 31)].set_index("bank_id")["stock_kg"]
    exact = {r["bank_id"]: r["stock_kg"] for r in rice_bank.stock_on(con, D(2018, 12, 31))}
    assert last.to_dict() == pytest.approx(exact)
    c.close()


# -- the demo workbook: the report's own figures ------------------------------------------------------


def test_demo_teng_mao_holds_18500_kg_at_the_end_of_2018(demo_cache):
    stock = rice_bank.rice_stock_by_day(demo_cache.cursor(), YEAR_2018, "RB-01")
    assert stock.iloc[-1][["day", "stock_kg"]].tolist() == [pd.Timestamp("2018-12-31"), 18_500.0]


def test_demo_russei_chhuor_kang_chhoeung_jumps_by_13000_kg_on_26_april_2018(demo_cache):
    stock = rice_bank.rice_stock_by_day(demo_cache.cursor(), Filters(D(2018, 4, 1), D(2018, 4, 30)), "RB-02")
    by_day = stock.set_index(stock["day"].dt.date)["stock_kg"]
    assert by_day[D(2018, 4, 26)] - by_day.get(D(2018, 4, 25), 0.0) == 13_000


def test_demo_loan_book_agrees_with_the_ledger(demo_cache):
    con = demo_cache.cursor()
    book = rice_bank.loan_book(con, Filters(D(2015, 1, 1), D(2018, 12, 31)))
    assert (book["still_owed_kg"] == (book["owed_kg"] - book["repaid_kg"]).clip(lower=0).round(3)).all()
    assert (book["overdue"] == ((book["still_owed_kg"] > 0) & (book["due_on"] < pd.Timestamp("2018-12-31")))).all()
    figures = rice_bank.loan_figures(con, YEAR_2018)
    assert 0 < figures["repayment_rate"] <= 1 and figures["interest_earned_kg"] > 0
