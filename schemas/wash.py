"""Household hygiene (WASH): a household's toilet, water source and hand-washing place, as surveyed.

The report: "Most of family household can access with toilet, clean water and sanitation also."
"""
from schemas.base import Bool, Date, TabSchema, Text, column

TOILETS = ["none", "shared", "own"]
WATER_SOURCES = ["piped", "protected_well", "unprotected_well", "rainwater", "pond_or_river", "bought"]
# Clean (improved) sources in the WHO/UNICEF JMP sense; an unprotected well or surface water is not.
CLEAN_WATER_SOURCES = ("piped", "protected_well", "rainwater", "bought")


class WashSurvey(TabSchema):
    """One visit to a household asking about its toilet, drinking water and hand-washing place."""

    survey_id: Text = column("Survey ID", "Our id for the survey, e.g. WS-00042.", pattern=r"^WS-\d{4,}$")
    date: Date = column("Date", "Day of the visit.")
    household_id: Text = column("Household ID", "The family visited.", ref="households.household_id")
    toilet: Text = column("Toilet", "none, shared (with neighbours) or own.", isin=TOILETS)
    water_source: Text = column("Water source", "Where the drinking water comes from.", isin=WATER_SOURCES)
    handwashing: Bool = column("Hand-washing place", "Yes when there is a place to wash hands with water and soap.")
    note: Text = column("Note", "Anything worth knowing.", required=False)
