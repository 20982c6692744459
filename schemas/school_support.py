"""School support: the materials CCPCR gives a child so the child can enrol in state school.

The report: members' "child have a chance to enroll in state school with CCPCR's material supported".
A child is named by a pseudonymous code, never by a name.
"""
from collections.abc import Iterable

import numpy as np

from schemas.base import SEX_LABELS, Bool, Date, Int, TabSchema, Text, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.rules import ERROR, WARNING, Rule, register_rules
from schemas.rules_context import Book, cross_tab_rule, yes_needs_yes
from schemas.site import register
from schemas.tab import Tab

SEXES = list(SEX_LABELS)


class SchoolSupport(TabSchema):
    """Materials given to one child of a household for one school year."""

    support_id: Text = column(N_("Support ID"), N_("Our id for the support, e.g. SS-0001."), pattern=r"^SS-\d{4,}$")
    date: Date = column(N_("Date"), "Day the materials were given.")
    household_id: Text = column(N_("Household ID"), "The child's family.", ref="households.household_id")
    child_code: Text = column(N_("Child code"), N_("Pseudonymous code of the child, never a name, e.g. C-000123."), pattern=r"^C-\d{4,}$", pii=True)
    sex: Text = column(N_("Sex"), "female or male.", isin=SEXES, labels=SEX_LABELS)
    age_years: Int = column(N_("Age (years)"), "The child's age in whole years on the day.", ge=3, le=25, unit="years")
    school: Text = column(N_("School"), "The state school the child attends.")
    grade: Int = column(N_("Grade"), "School grade, a whole number from 1 to 12.", ge=1, le=12)
    materials: Text = column(N_("Materials given"), "What was given, separated by commas, e.g. uniform, bag, books.")
    enrolled: Bool = column(N_("Enrolled"), "Yes when the child is enrolled in the school this year.")
    in_school_at_year_end: Bool = column(N_("In school at year end"), "Yes when the child still attends school at the end of the year; blank until then.", required=False)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

# Cambodian children start grade 1 at about six: a child of grade g is usually g + 5. Late starters and
# repeated years are common, so only an age outside grade + 4 ... grade + 9 is worth a second look.
YOUNGEST_OVER_GRADE, OLDEST_OVER_GRADE = 4, 9


@cross_tab_rule
def age_fits_the_grade(book: Book) -> Iterable[Issue]:
    frame = book.frame("school_support", "age_years", "grade")
    if frame is None:
        return
    gap = frame["age_years"] - frame["grade"]
    wrong = ((gap < YOUNGEST_OVER_GRADE) | (gap > OLDEST_OVER_GRADE)).to_numpy(dtype=bool, na_value=False)
    for position in np.flatnonzero(wrong):
        grade = int(frame["grade"].iat[position])
        yield book.issue("school.age_grade_mismatch", "school_support", int(position), "age_years", grade=grade,
                         low=grade + YOUNGEST_OVER_GRADE, high=grade + OLDEST_OVER_GRADE)


@cross_tab_rule
def in_school_only_when_enrolled(book: Book) -> Iterable[Issue]:
    yield from yes_needs_yes(book, "school_support", "in_school_at_year_end", "enrolled", "school.in_school_not_enrolled")


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("school.age_grade_mismatch", WARNING, N_("Age does not fit the grade"),
         N_("'{header}' is {value}, but a child in grade {grade} is usually {low} to {high} years old. Check the age in cell {cell} and the grade."),
         N_("Check the child's age and grade: one of them is probably mistyped.")),
    Rule("school.in_school_not_enrolled", ERROR, N_("In school but not enrolled"),
         N_("'{header}' is Yes but 'Enrolled' is No; a child who was not enrolled cannot still be in school. Correct cell {cell} or the Enrolled cell."),
         N_("In school at year end = Yes needs Enrolled = Yes.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("school_support", "School support", EVERYONE, STAFF,
              Page("pages/school_support.py", N_("School support"), ":material/school:", order=60), order=20),
    Tab("school_support", SchoolSupport, ("support_id",), "school_support", N_("School support")),
)
