"""Every programme setting the app reads from the settings tab, with its default and its type: one table.

The validator checks the numeric ones (a setting the rules use must be a number); the dashboards read
any of them with `insights.common.setting`, falling back to the default here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str | None  # as typed in the settings tab's value column
    kind: str  # number | number_list | bands
    programme: str
    note: str

    @property
    def number(self) -> int | float | None:
        """The default as a number (an int when whole, so messages show "10", not "10.0")."""
        if self.kind != "number" or self.default is None:
            return None
        value = float(self.default)
        return int(value) if value.is_integer() else value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("riel_per_usd", "4000", "number", "savings", "Exchange rate for the dollar columns"),
    SettingSpec("cow_pass_on_calves", "2", "number", "cow_bank", "Calves a family passes on before the cow is theirs"),
    SettingSpec("cow_pass_on_min_age_months", "10", "number", "cow_bank", "A calf passed on is at least this old"),
    SettingSpec("cow_dam_min_age_months", "20", "number", "cow_bank", "A dam is at least this old at calving"),
    SettingSpec("cow_calving_interval_days", "300", "number", "cow_bank", "Fewest days between two calvings"),
    SettingSpec("rice_lean_months", "7,8,9,10", "number_list", "rice_bank", "The lean season's months"),
    SettingSpec("rice_loan_term_months", "6", "number", "rice_bank", "Months until a rice loan is due"),
    SettingSpec("mobile_clinic_days_per_week", "3", "number", "clinic", "Days the mobile clinic runs"),
    SettingSpec("age_bands", "0-5,6-12,13-17,18+", "bands", "clinic", "Age bands of the clinic figures"),
    SettingSpec("small_count_threshold", "5", "number", "admin", "Counts below this show as <N to viewers"),
)


def default_texts(settings: tuple[SettingSpec, ...] = SETTINGS) -> dict[str, str]:
    """key -> default as text (what the dashboards fall back to)."""
    return {s.key: s.default for s in settings if s.default is not None}


def rule_numbers(settings: tuple[SettingSpec, ...] = SETTINGS) -> dict[str, int | float]:
    """key -> default number, for the cow-bank rules the validator runs."""
    return {s.key: s.number for s in settings if s.programme == "cow_bank" and s.number is not None}
