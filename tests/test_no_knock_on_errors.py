"""One typo, one error: a rule over a ledger (stock, cash, loans, repayments, the cow bank's pass-ons) leaves
out a row it cannot read, judges nothing that row could have changed, and says so once per tab."""
from __future__ import annotations

from tests.factories import check, sheet, villages

RICE = "entry_id date bank_id kind kg household_id loan_id"
BANKS = "bank_id name village_code established_on capacity_kg interest_pct"


def rice_banks(*extra):
    return sheet("rice_banks", BANKS, ["RB-01", "Prey Kdouch", "20010302", "01/01/2016", 5000, 10],
                 ["RB-02", "Kouk Taek", "20010302", "01/01/2016", 5000, 10], *extra)


def rules_of(found):
    return [(row, rule) for _tab, row, _column, _cell, rule, _severity in found]


def test_one_unreadable_kg_in_the_rice_ledger_gives_exactly_one_error():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 100],
                   ["RL-0002", "02/06/2017", "RB-01", "donation", "1OOO"],                 # letter O: unreadable
                   ["RL-0003", "03/06/2017", "RB-01", "loan", 500, "HH-0001", "L-1"],     # fine with the 1,000 kg
                   ["RL-0004", "04/06/2017", "RB-01", "sale", 400])
    found, issues = check(rice_banks(), ledger)
    assert [f for f in found if f[5] == "error"] == [("rice_ledger", 3, "Kg", "E3", "cell.not_a_number", "error")]
    assert rules_of(found) == [(None, "rules.not_checked"), (3, "cell.not_a_number")]
    assert issues[0].message == ("Some rows of tab 'rice_ledger' have problems of their own (sheet rows 3), so these checks "
                                 "were not made: Rice stock below zero (RB-01 from 2 Jun 2017). They are made again once "
                                 "those rows are corrected.")


def test_the_stock_before_the_unreadable_row_and_of_other_banks_is_still_checked():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 100],
                   ["RL-0002", "02/06/2017", "RB-01", "sale", 150],                       # below zero before the typo
                   ["RL-0003", "05/06/2017", "RB-01", "donation", "lots"],
                   ["RL-0004", "06/06/2017", "RB-01", "sale", 10],
                   ["RL-0005", "06/06/2017", "RB-02", "sale", 10])                        # another bank: still judged
    found, _ = check(rice_banks(), ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (3, "rice.stock_negative"), (4, "cell.not_a_number"),
                               (6, "rice.stock_negative")]


def test_a_donation_to_a_bank_that_is_not_there_could_be_any_banks():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-1", "donation", 1000],                   # RB-01 meant
                   ["RL-0002", "02/06/2017", "RB-01", "loan", 500, "HH-0001", "L-1"])
    found, issues = check(rice_banks(), ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (2, "ref.not_found")]
    assert "Rice stock below zero (from 1 Jun 2017)" in issues[0].message


def test_a_blank_date_leaves_the_banks_stock_unjudged_from_the_start():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "", "RB-01", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-01", "loan", 500, "HH-0001", "L-1"])
    found, issues = check(rice_banks(), ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (2, "value.missing")]
    assert "Rice stock below zero (RB-01)." in issues[0].message


def test_a_loan_whose_kind_cannot_be_read_is_not_reported_missing_by_its_repayments():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-01", "lone", 100, "HH-0001", "L-1"],     # not a kind
                   ["RL-0003", "01/12/2017", "RB-01", "repayment", 60, "HH-0001", "L-1"],
                   ["RL-0004", "02/12/2017", "RB-01", "repayment", 60, "HH-0001", "L-1"])
    found, issues = check(rice_banks(), ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (3, "value.not_allowed")]
    assert "Loan not found (L-1)" in issues[0].message and "Repaid more than owed (L-1)" in issues[0].message


def test_a_loan_whose_kg_cannot_be_read_leaves_its_repayments_unjudged():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-01", "loan", "a hundred", "HH-0001", "L-1"],
                   ["RL-0003", "01/12/2017", "RB-01", "repayment", 160, "HH-0001", "L-1"])
    found, issues = check(rice_banks(), ledger)
    assert [f for f in found if f[5] == "error"] == [("rice_ledger", 3, "Kg", "E3", "cell.not_a_number", "error")]
    assert "Repaid more than owed (L-1)" in issues[0].message


def test_a_banks_unreadable_interest_is_said_on_the_banks_tab():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-03", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-03", "loan", 100, "HH-0001", "L-1"],
                   ["RL-0003", "01/12/2017", "RB-03", "repayment", 200, "HH-0001", "L-1"])
    banks = rice_banks(["RB-03", "Chantrea", "20010302", "01/01/2016", 5000, "ten"])
    found, issues = check(banks, ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (4, "cell.not_a_number")]
    assert issues[0].tab == "rice_banks" and "(sheet rows 4)" in issues[0].message


def test_one_unreadable_deposit_gives_one_error_in_the_savings_ledger():
    ledger = sheet("savings_ledger", "entry_id date group_id kind amount_riel household_id loan_id",
                   ["SL-0001", "01/06/2017", "SG-01", "deposit", "100,000", "HH-0001"],
                   ["SL-0002", "02/06/2017", "SG-01", "deposit", "5O,000", "HH-0001"],
                   ["SL-0003", "03/06/2017", "SG-01", "withdrawal", "120,000", "HH-0001"])
    found, _ = check(ledger)
    assert rules_of(found) == [(None, "rules.not_checked"), (3, "cell.not_a_number")]


def test_a_pass_on_whose_date_cannot_be_read_does_not_make_the_sale_a_warning():
    cows = sheet("cows", "cow_id sex born_on dam_id village_code",
                 ["CB-001", "female", "01/01/2014", None, "20010302"],
                 ["CB-010", "female", "01/03/2016", "CB-001", "20010302"],
                 ["CB-011", "male", "01/03/2017", "CB-001", "20010302"])
    events = sheet("cow_events", "event_id date cow_id kind household_id",
                   ["CE-0001", "01/06/2015", "CB-001", "granted", "HH-0001"],
                   ["CE-0002", "01/01/2017", "CB-010", "passed_on", "HH-0002"],
                   ["CE-0003", "the first of Jan", "CB-011", "passed_on", "HH-0003"],
                   ["CE-0004", "01/06/2018", "CB-001", "sold", "HH-0001"])
    found, issues = check(villages(), cows, events)
    assert rules_of(found) == [(None, "rules.not_checked"), (4, "cell.not_a_date")]
    assert "Sold before passing on calves (CB-001)" in issues[0].message
