"""Household hygiene (WASH): a household's toilet, water source and hand-washing place, as surveyed.

The report: "Most of family household can access with toilet, clean water and sanitation also."
"""
from schemas.base import Bool, Date, TabSchema, Text, column
from schemas.i18n import N_
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.site import register
from schemas.tab import Tab

TOILET_LABELS = {"none": ("No toilet", "គ្មានបង្គន់"), "shared": ("Shared with neighbours", "ប្រើបង្គន់ជាមួយអ្នកជិតខាង"),
                 "own": ("Own toilet", "មានបង្គន់ផ្ទាល់ខ្លួន")}
WATER_SOURCE_LABELS = {"piped": ("Piped water", "ទឹកម៉ាស៊ីន"), "protected_well": ("Protected well", "អណ្តូងមានការពារ"),
                       "unprotected_well": ("Unprotected well", "អណ្តូងគ្មានការពារ"), "rainwater": ("Rainwater", "ទឹកភ្លៀង"),
                       "pond_or_river": ("Pond or river", "ស្រះ ឬទន្លេ"), "bought": ("Bought water", "ទឹកទិញ")}
TOILETS = list(TOILET_LABELS)
WATER_SOURCES = list(WATER_SOURCE_LABELS)
# Clean (improved) sources in the WHO/UNICEF JMP sense; an unprotected well or surface water is not.
CLEAN_WATER_SOURCES = ("piped", "protected_well", "rainwater", "bought")


class WashSurvey(TabSchema):
    """One visit to a household asking about its toilet, drinking water and hand-washing place."""

    survey_id: Text = column(N_("Survey ID"), N_("Our id for the survey, e.g. WS-00042."), pattern=r"^WS-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the visit.")
    household_id: Text = column(N_("Household ID"), "The family visited.", ref="households.household_id")
    toilet: Text = column(N_("Toilet"), "none, shared (with neighbours) or own.", isin=TOILETS, labels=TOILET_LABELS)
    water_source: Text = column(N_("Water source"), "Where the drinking water comes from.", isin=WATER_SOURCES, labels=WATER_SOURCE_LABELS)
    handwashing: Bool = column(N_("Hand-washing place"), "Yes when there is a place to wash hands with water and soap.")
    note: Text = column(N_("Note"), "Anything worth knowing.", required=False)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("wash", "Household hygiene (toilets, clean water)", EVERYONE, STAFF,
              Page("pages/wash.py", N_("Household hygiene"), ":material/water_drop:", order=70), order=30),
    Tab("wash_surveys", WashSurvey, ("survey_id",), "wash", N_("Hygiene surveys")),
)
