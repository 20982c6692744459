"""The school-support, hygiene-survey and health-education tabs: a literal little workbook in, the exact issues out."""
from __future__ import annotations

from tests.factories import check, sheet, villages

HOUSEHOLD = "household_id head_name head_sex village_code members children poverty_level survivor enrolled_on"
SCHOOL = "support_id date household_id child_code sex age_years school grade materials enrolled in_school_at_year_end"
WASH = "survey_id date household_id toilet water_source handwashing note"
HEALTH = "session_id date village_code topic given_by villagers village_chiefs community_leaders female male"


def households():
    return sheet("households", HOUSEHOLD, ["HH-0001", "Sok", "female", "20010302", 5, 3, "id_poor_1", "No", "01/02/2016"])


def school(*rows):
    return sheet("school_support", SCHOOL, *rows)


def support(support_id="SS-0001", *, household="HH-0001", child="C-000001", age=9, grade=3, enrolled="Yes", in_school="Yes"):
    return [support_id, "05/10/2017", household, child, "female", age, "Prey Kdouch Primary School", grade,
            "uniform, bag, books", enrolled, in_school]


def test_a_clean_school_support_row_has_no_issue():
    assert check(villages(), households(), school(support(), support("SS-0002", age=11, in_school=None))) == ([], [])


def test_a_childs_age_outside_grade_plus_4_to_9_is_a_warning_at_the_age():
    found, issues = check(villages(), households(), school(
        support("SS-0001", age=7, grade=3),    # 3 + 4 = 7: the youngest that fits
        support("SS-0002", age=12, grade=3),   # 3 + 9 = 12: the oldest that fits
        support("SS-0003", age=6, grade=3),
        support("SS-0004", age=16, grade=5),
    ))
    assert found == [("school_support", 4, "Age (years)", "F4", "school.age_grade_mismatch", "warning"),
                     ("school_support", 5, "Age (years)", "F5", "school.age_grade_mismatch", "warning")]
    assert issues[0].message == ("Row 4: 'Age (years)' is 6, but a child in grade 3 is usually 7 to 12 years old. "
                                 "Check the age in cell F4 and the grade.")


def test_a_child_not_enrolled_cannot_be_in_school_at_the_years_end():
    found, _ = check(villages(), households(), school(support("SS-0001", enrolled="No", in_school="Yes"),
                                                      support("SS-0002", enrolled="No", in_school="No")))
    assert found == [("school_support", 2, "In school at year end", "K2", "school.in_school_not_enrolled", "error")]


def test_school_support_cells_that_break_their_columns_rules():
    found, issues = check(villages(), households(), school(
        support("SS-0001", household="HH-0099"),
        support("SS-0002", child="Sok Dara"),   # a name where the pseudonymous code belongs
        support("SS-0003", grade=13, age=15),
        support("SS-0004", grade="3.5"),
        support("SS-0005", age=-1),
    ))
    assert found == [
        ("school_support", 2, "Household ID", "C2", "ref.not_found", "error"),
        ("school_support", 3, "Child code", "D3", "value.bad_format", "error"),
        ("school_support", 4, "Grade", "H4", "value.too_large", "error"),  # and no age warning on top of it
        ("school_support", 5, "Grade", "H5", "cell.not_whole", "error"),
        ("school_support", 6, "Age (years)", "F6", "value.too_small", "error"),
    ]
    assert "Sok Dara" in issues[1].message and "never a name" in issues[1].message


def test_a_hygiene_survey_names_a_known_household_and_listed_toilets_and_water_sources():
    found, issues = check(villages(), households(), sheet("wash_surveys", WASH,
        ["WS-00001", "01/03/2017", "HH-0001", "own", "protected_well", "Yes", None],
        ["WS-00002", "01/03/2018", "HH-0001", "latrine", "well", "yes", "first survey"],
        ["WS-00003", "01/03/2018", "HH-0002", "none", "pond_or_river", "maybe", None],
    ))
    assert found == [
        ("wash_surveys", 3, "Toilet", "D3", "value.not_allowed", "error"),
        ("wash_surveys", 3, "Water source", "E3", "value.not_allowed", "error"),
        ("wash_surveys", 4, "Household ID", "C4", "ref.not_found", "error"),
        ("wash_surveys", 4, "Hand-washing place", "F4", "cell.not_yes_no", "error"),
    ]
    assert issues[1].message == ("Row 3: 'Water source' is 'well'; it must be one of: piped, protected_well, unprotected_well, "
                                 "rainwater, pond_or_river, bought. Pick one of these in cell E3.")


def session(session_id="HE-0001", *, village="20010302", given_by="both", villagers=30, chiefs=1, leaders=2, female=20, male=13):
    return [session_id, "13/02/2017", village, "hand-washing", given_by, villagers, chiefs, leaders, female, male]


def test_a_clean_health_education_session_has_no_issue():
    assert check(villages(), sheet("health_education", HEALTH, session())) == ([], [])


def test_women_and_men_add_up_to_villagers_chiefs_and_leaders():
    found, issues = check(villages(), sheet("health_education", HEALTH, session("HE-0001", female=25, male=13),
                                            session("HE-0002", villagers=0, chiefs=0, leaders=0, female=0, male=0)))
    assert found == [("health_education", 2, "Women", "I2", "health.sexes_do_not_add_up", "error")]
    assert issues[0].message == ("Row 2: Women and men add up to 38, but villagers, village chiefs and community leaders add up to 33. "
                                 "Check cell I2 and the counts beside it.")


def test_health_education_counts_are_whole_and_not_negative_and_the_village_exists():
    found, _ = check(villages(), sheet("health_education", HEALTH,
                                       session("HE-0001", villagers="30.5"),
                                       session("HE-0002", leaders=-2, female=18),
                                       session("HE-0003", village="20019999", given_by="ministry")))
    assert found == [
        ("health_education", 2, "Villagers", "F2", "cell.not_whole", "error"),  # and no sum check on top of a bad count
        ("health_education", 3, "Community leaders", "H3", "value.too_small", "error"),
        ("health_education", 4, "Village code", "C4", "ref.not_found", "error"),
        ("health_education", 4, "Given by", "E4", "value.not_allowed", "error"),
    ]
