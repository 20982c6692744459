"""Rules across rows and tabs: a literal little workbook in, the exact issues out."""
from __future__ import annotations

import pytest

from schemas.i18n import language
from schemas.registry import tab
from schemas.rules import RULES
from schemas.validate import validate_workbook
from tests.factories import check, sheet, villages


def test_every_rule_has_a_severity_title_template_and_fix():
    for rule in RULES.values():
        assert rule.severity in ("error", "warning") and rule.title and rule.template and rule.fix


def test_a_village_code_that_is_not_in_villages_is_reported_where_it_is_used():
    households = sheet("households", "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on",
                       ["HH-0001", "Sok", "female", "20010302", 5, 2, "id_poor_1", "No", "01/02/2017"],
                       ["HH-0002", "Dara", "male", "20019999", 4, 1, "id_poor_2", "No", "01/02/2017"])
    found, issues = check(villages(), households)
    assert found == [("households", 3, "Village code", "D3", "ref.not_found", "error")]
    assert issues[0].message == ("Row 3: 'Village code' is '20019999', but tab 'villages' has no row with that Village code. "
                                 "Correct it in cell D3, or add that row to 'villages'.")


def test_a_reference_into_a_missing_tab_is_not_reported_row_by_row():
    households = sheet("households", "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on",
                       ["HH-0001", "Sok", "female", "20010302", 5, 2, "id_poor_1", "No", "01/02/2017"])
    assert check(households) == ([], [])


def test_commune_district_and_province_codes_are_prefixes_of_the_village_code():
    found, issues = check(villages(["20010303", "Taeng Mau", "200212", "Tnaot", "2001", "Chantrea", "21", "Takeo", "No"]))
    assert found == [("villages", 3, "Commune code", "C3", "places.code_prefix", "error"),
                     ("villages", 3, "Province code", "G3", "places.code_prefix", "error")]
    assert issues[0].message == ("Row 3: 'Commune code' is '200212', but the village code 20010303 starts with 200103. "
                                 "Correct it in cell C3.")


def test_an_unknown_village_code_is_an_error_and_a_name_not_its_codes_a_warning_with_the_official_name():
    found, issues = check(villages(["20010399", "Teng Mao", "200103", "Chantrea", "2001", "Chantrea", "20", "Svay Rieng", "No"],
                                   ["20051009", "Russei Chhuor Kang Chhoeung", "200510", "KRAOL  KOU", "2005", "ស្វាយជ្រំ",
                                    "20", "svay rieng", "Yes"]))
    assert found == [("villages", 3, "Village code", "A3", "places.unknown_code", "error"),
                     ("villages", 4, "Village", "B4", "places.name_mismatch", "warning")]
    assert [i.message for i in issues] == [
        "Row 3: 'Village code' is '20010399', which is not a village code of Cambodia's national gazetteer (MEF 2025). "
        "Correct it in cell A3.",
        "Row 4: 'Village' is 'Russei Chhuor Kang Chhoeung', but the gazetteer names village 20051009 "
        "'Ruessei Chuor Khang Cheung' (ឫស្សីជួរខាងជីង). Type the official name in cell B4, or check the code."]


def test_children_are_never_more_than_members():
    households = sheet("households", "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on",
                       ["HH-0001", "Sok", "female", "20010302", 3, 4, "id_poor_1", "No", "01/02/2017"])
    assert check(villages(), households)[0] == [("households", 2, "Children", "F2", "count.more_than_members", "error")]


def test_women_members_are_never_more_than_members():
    groups = sheet("savings_groups", "group_id name kind village_code founded_on members female_members",
                   ["SG-01", "Prey Kdouch", "saving_group", "20010302", "01/03/2016", 20, 25])
    assert check(villages(), groups)[0] == [("savings_groups", 2, "Women members", "G2", "count.more_than_members", "error")]


def test_children_go_only_with_migrating_adults():
    checks = sheet("migration_checks", "check_id date household_id migrating took_children",
                   ["MC-0001", "01/02/2017", "HH-0001", "No", "Yes"],
                   ["MC-0002", "01/02/2017", "HH-0001", "Yes", "Yes"],
                   ["MC-0003", "01/02/2017", "HH-0001", "No", "No"])
    assert check(checks)[0] == [("migration_checks", 2, "Took children", "E2", "prevention.children_without_migration", "error")]


RICE = "entry_id date bank_id kind kg household_id loan_id"
BANKS = "bank_id name village_code established_on capacity_kg interest_pct"


def rice_banks():
    return sheet("rice_banks", BANKS, ["RB-01", "Prey Kdouch", "20010302", "01/01/2016", 5000, 10])


def test_rice_stock_never_goes_below_zero_and_inflows_of_the_day_count_first():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "loan", 100, "HH-0001", "L-1"],      # same day as the donation: fine
                   ["RL-0002", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0003", "02/06/2017", "RB-01", "sale", 850],
                   ["RL-0004", "03/06/2017", "RB-01", "loss", 100],                         # 1000 - 100 - 850 - 100 < 0
                   ["RL-0005", "04/06/2017", "RB-01", "loss", 10])                          # still below: not reported again
    found, issues = check(rice_banks(), ledger, rules="rice.")
    assert found == [("rice_ledger", 5, "Kg", "E5", "rice.stock_negative", "error")]
    assert issues[-1].message == ("Row 5: This loss of 100 kg takes the stock of bank RB-01 below zero on 03/06/2017 "
                                  "(to -50 kg). Check the kg in cell E5 and the entries before it.")


def test_a_repayment_never_exceeds_the_loan_with_the_banks_interest():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-01", "loan", 100, "HH-0001", "L-1"],
                   ["RL-0003", "01/12/2017", "RB-01", "repayment", 60, "HH-0001", "L-1"],
                   ["RL-0004", "02/12/2017", "RB-01", "repayment", 50, "HH-0001", "L-1"],   # 110 owed: exactly repaid
                   ["RL-0005", "03/12/2017", "RB-01", "repayment", 1, "HH-0001", "L-1"])
    found, issues = check(rice_banks(), ledger, rules="rice.")
    assert found == [("rice_ledger", 6, "Kg", "E6", "rice.repayment_too_large", "error")]
    assert "brings loan L-1 to 111 kg repaid, more than the 110 kg owed with 10% interest" in issues[0].message


def test_loan_ids_a_loan_has_its_own_and_a_repayment_names_one_of_the_same_bank():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0002", "02/06/2017", "RB-01", "loan", 100, "HH-0001", "L-1"],
                   ["RL-0003", "02/06/2017", "RB-01", "loan", 100, "HH-0002", "L-1"],
                   ["RL-0004", "02/06/2017", "RB-01", "loan", 100, "HH-0002"],
                   ["RL-0005", "01/12/2017", "RB-01", "repayment", 10, "HH-0001", "L-9"],
                   ["RL-0006", "01/12/2017", "RB-01", "repayment", 10, "HH-0001"])
    found, _ = check(rice_banks(), ledger, rules="ledger.")
    assert found == [("rice_ledger", 4, "Loan ID", "G4", "ledger.loan_id_reused", "error"),
                     ("rice_ledger", 5, "Loan ID", "G5", "ledger.loan_id_missing", "error"),
                     ("rice_ledger", 6, "Loan ID", "G6", "ledger.loan_not_found", "error"),
                     ("rice_ledger", 7, "Loan ID", "G7", "ledger.loan_id_missing", "error")]


def test_savings_group_cash_never_below_zero():
    ledger = sheet("savings_ledger", "entry_id date group_id kind amount_riel household_id loan_id",
                   ["SL-0001", "01/06/2017", "SG-01", "deposit", "100,000", "HH-0001"],
                   ["SL-0002", "02/06/2017", "SG-01", "loan", "80,000", "HH-0001", "SL-L1"],
                   ["SL-0003", "03/06/2017", "SG-01", "withdrawal", "30,000", "HH-0001"],
                   ["SL-0004", "04/06/2017", "SG-01", "interest", "2,000", "HH-0001", "SL-L1"])
    found, issues = check(ledger, rules="savings.")
    assert found == [("savings_ledger", 4, "Amount (riel)", "E4", "savings.cash_negative", "error")]
    assert "takes the cash of group SG-01 below zero on 03/06/2017 (to -10,000 riel)" in issues[0].message


COWS = "cow_id sex born_on dam_id village_code"
EVENTS = "event_id date cow_id kind household_id"


def test_a_mother_is_a_grown_female_and_calves_come_far_enough_apart():
    cows = sheet("cows", COWS,
                 ["CB-001", "female", "01/01/2013", None, "20010302"],
                 ["CB-002", "male", "01/01/2013", None, "20010302"],
                 ["CB-003", "female", "01/06/2016", "CB-001", "20010302"],
                 ["CB-004", "female", "01/01/2017", "CB-001", "20010302"],   # 214 days after CB-003
                 ["CB-005", "female", "01/01/2017", "CB-002", "20010302"],   # a bull as mother
                 ["CB-006", "female", "01/06/2017", "CB-003", "20010302"],   # mother 12 months old
                 ["CB-007", "male", "01/06/2016", "CB-001", "20010302"])     # twin of CB-003: fine
    found, _ = check(villages(), cows, rules="cow.")
    assert found == [("cows", 5, "Born on", "C5", "cow.calves_too_close", "error"),
                     ("cows", 6, "Mother's ear tag", "D6", "cow.dam_not_female", "error"),
                     ("cows", 7, "Mother's ear tag", "D7", "cow.dam_too_young", "error")]


def test_no_cow_is_its_own_ancestor():
    cows = sheet("cows", COWS,
                 ["CB-001", "female", "01/01/2013", "CB-002", "20010302"],
                 ["CB-002", "female", "01/01/2015", "CB-001", "20010302"])
    found, issues = check(villages(), cows, rules="cow.own")
    assert found == [("cows", 2, "Mother's ear tag", "D2", "cow.own_ancestor", "error"),
                     ("cows", 3, "Mother's ear tag", "D3", "cow.own_ancestor", "error")]
    assert "(CB-001 -> CB-002 -> CB-001)" in issues[0].message or "(CB-001 -> CB-002 -> CB-001)" in issues[1].message


def cow_bank(*events):
    cows = sheet("cows", COWS,
                 ["CB-001", "female", "01/01/2014", None, "20010302"],
                 ["CB-010", "female", "01/03/2016", "CB-001", "20010302"],
                 ["CB-011", "male", "01/03/2017", "CB-001", "20010302"])
    return check(villages(), cows, sheet("cow_events", EVENTS, *events), rules="cow.")


def test_a_calf_is_passed_on_at_ten_months_or_older():
    found, issues = cow_bank(["CE-0001", "01/12/2016", "CB-010", "passed_on", "HH-0002"],   # 9 months
                             ["CE-0002", "01/01/2018", "CB-011", "passed_on", "HH-0003"])   # 10 months
    assert found == [("cow_events", 2, "Date", "B2", "cow.pass_on_too_young", "error")]
    assert issues[0].message.startswith("Row 2: Calf CB-010 was passed on on 01/12/2016, when 9 months old;")


def test_selling_a_granted_cow_before_both_pass_ons_is_a_warning():
    found, _ = cow_bank(["CE-0001", "01/06/2015", "CB-001", "granted", "HH-0001"],
                        ["CE-0002", "01/01/2017", "CB-010", "passed_on", "HH-0002"],
                        ["CE-0003", "01/06/2017", "CB-001", "sold", "HH-0001"],               # one calf passed on
                        ["CE-0004", "01/01/2018", "CB-011", "passed_on", "HH-0003"])
    assert found == [("cow_events", 4, "Date", "B4", "cow.sold_before_pass_ons", "warning")]


def test_nothing_happens_to_a_cow_after_it_died():
    found, _ = cow_bank(["CE-0001", "01/06/2015", "CB-001", "granted", "HH-0001"],
                        ["CE-0002", "01/06/2016", "CB-001", "died"],
                        ["CE-0003", "01/06/2017", "CB-001", "sold", "HH-0001"])
    assert ("cow_events", 4, "Date", "B4", "cow.event_after_death", "error") in found


def test_the_settings_tab_changes_the_policy():
    settings = sheet("settings", "key value", ["cow_pass_on_min_age_months", "8"])
    cows = sheet("cows", COWS, ["CB-001", "female", "01/01/2014", None, "20010302"],
                 ["CB-010", "female", "01/03/2016", "CB-001", "20010302"])
    events = sheet("cow_events", EVENTS, ["CE-0001", "01/12/2016", "CB-010", "passed_on", "HH-0002"])
    assert check(settings, villages(), cows, events, rules="cow.")[0] == []


def test_a_setting_that_is_not_a_number_is_an_error_and_the_default_is_used():
    settings = sheet("settings", "key value", ["cow_pass_on_min_age_months", "ten"])
    found, issues = check(settings)
    assert found == [("settings", 2, "Value", "B2", "settings.bad_value", "error")]
    assert issues[0].message == ("Row 2: Setting 'cow_pass_on_min_age_months' is 'ten', not a number; "
                                 "the default 10 is used until it is corrected in cell B2.")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_id_is_namespaced(rule_id):
    assert "." in rule_id and rule_id == rule_id.lower()


def test_a_value_failing_its_own_check_is_reported_once_not_again_by_the_rules_on_top():
    ledger = sheet("rice_ledger", RICE,
                   ["RL-0001", "01/06/2017", "RB-01", "donation", 100],
                   ["RL-0002", "02/06/2017", "RB-01", "loan", -50, "HH-0001", "L-1"],
                   ["RL-0003", "01/12/2017", "RB-01", "repayment", 10, "HH-0001", "L-1"])
    assert check(rice_banks(), ledger)[0] == [("rice_ledger", None, None, None, "rules.not_checked", "warning"),  # said once
                                              ("rice_ledger", 3, "Kg", "E3", "value.too_small", "error")]


def test_a_reference_to_a_row_whose_own_id_is_malformed_is_not_reported_again():
    households = sheet("households", "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on",
                       ["HH-1", "Sok", "female", "20010302", 5, 2, "id_poor_1", "No", "01/02/2017"])
    checks = sheet("migration_checks", "check_id date household_id migrating took_children",
                   ["MC-0001", "01/02/2017", "HH-1", "No", "No"])
    assert check(villages(), households, checks)[0] == [("households", 2, "Household ID", "A2", "value.bad_format", "error")]


def test_a_missing_tab_is_one_issue_and_the_rules_that_need_it_stay_quiet():
    ledger = sheet("rice_ledger", RICE, ["RL-0001", "01/06/2017", "RB-99", "donation", 100])
    _, issues = validate_workbook({"rice_ledger": ledger}, tabs=[tab("rice_banks"), tab("rice_ledger")])
    assert [(i.tab, i.row, i.cell, i.rule) for i in issues] == [("rice_banks", None, None, "tab.missing")]


def test_a_khmer_reader_gets_the_columns_description_and_the_loans_owner_in_khmer():
    households = sheet("households", "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on",
                       ["HH-1", "Sok", "female", "20010302", 5, 2, "id_poor_1", "No", "01/02/2017"])
    ledger = sheet("rice_ledger", RICE, ["RL-0001", "01/06/2017", "RB-01", "donation", 1000],
                   ["RL-0002", "01/12/2017", "RB-01", "repayment", 10, "HH-0001", "L-9"])
    _, issues = check(villages(), households, rice_banks(), ledger)
    malformed = next(i for i in issues if i.rule == "value.bad_format")
    unknown = next(i for i in issues if i.rule == "ledger.loan_not_found")
    assert "(Our id for the family, e.g. HH-0042)" in malformed.message  # written when read: English here
    assert "no loan of bank RB-01 has that id" in unknown.message
    with language("km"):
        assert "(លេខសម្គាល់គ្រួសាររបស់យើង ឧ. HH-0042)" in malformed.message and "Our id" not in malformed.message
        assert "កម្ចីរបស់ ធនាគារ RB-01" in unknown.message and "bank" not in unknown.message
