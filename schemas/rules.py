"""Every validation rule: a stable id, a severity, a title and a message template.

The rules of every tab (a cell, a header, a key, a reference, a setting) are declared here; a programme's own
rules, the messages of its cross-tab checks, are declared beside those checks in schemas/<programme>.py and
added with `register_rules` (schemas.registry imports every programme, so `RULES` read through it is whole).
The Data quality page and the README list `RULES`; validation only ever makes an `Issue` through
`message()`, so every sentence a field officer reads comes from this table. Templates are filled
with `header` (the column as written in the sheet), `value` (as read, quoted when it is text),
`cell` (A1) and the rule's own fields; "Row N: " is put in front when the issue has a row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from schemas.human_forms import unit_name
from schemas.i18n import N_, _, day

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" | "warning"
    title: str  # a short name for lists and filters
    template: str  # the sentence, with {placeholders}
    fix: str  # what to do, in general terms (for the README and the Data quality page)


SEVERITY_NAMES = {ERROR: N_("error"), WARNING: N_("warning")}


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # The tab and its header row.
    Rule("tab.missing", ERROR, N_("Tab missing"),
         N_("The workbook has no tab '{tab}'. Add a tab named '{tab}' with the headers {headers}."),
         N_("Add the tab, with its header row (python cli.py provision does it for a Google Sheet).")),
    Rule("header.missing_column", ERROR, N_("Required column missing"),
         N_("Tab '{tab}' has no column '{header}'. Add a column headed '{header}' in row 1."),
         N_("Add the column's header in row 1; its cells are treated as blank until then.")),
    Rule("header.duplicate", ERROR, N_("Column appears twice"),
         N_("Tab '{tab}' has the column '{header}' twice (cells {first} and {cell}); only the first is read. Delete or rename the second."),
         N_("Keep one column per header.")),
    Rule("header.unknown_column", WARNING, N_("Column not known"),
         N_("Tab '{tab}' has a column '{header}' (cell {cell}) that the back office does not know; it is ignored. Rename it if it was meant to be one of: {known}."),
         N_("Rename the header to a known column, or leave it: it is ignored.")),
    Rule("header.second_row", WARNING, N_("Second header row"),
         N_("This row names or describes the columns of tab '{tab}' under their headers; it is not read as data."),
         N_("Nothing: the row is skipped. Delete it if nobody needs it.")),
    # Shapes of the sheet (schemas.sheet_shapes).
    Rule("cell.merged", WARNING, N_("Merged cells"),
         N_("Cells {range} are merged, so '{header}' is {read_as} in each of rows {first_row} to {last_row}. If one of those rows has another value, unmerge the cells and type it."),
         N_("Nothing, if every row of the merge has its value; else unmerge the cells and type each row's own value.")),
    Rule("cell.merged_key", ERROR, N_("Ids merged"),
         N_("Cells {range} are merged, but every row needs its own '{header}': rows {first_row} to {last_row} cannot be told apart. Unmerge the cells and give each row its own id."),
         N_("Never merge the cells of a tab's id column: every row has its own id.")),
    # A cell that cannot be read as its column's type (coercion).
    Rule("cell.not_a_number", ERROR, N_("Not a number"),
         N_("'{header}' is {value}, which is not a number. Type a number such as 1250 in cell {cell}."),
         N_("Type a number; thousands separators, Khmer digits and the column's own unit (kg, riel, %, years) are fine.")),
    Rule("cell.wrong_currency", ERROR, N_("Amount in dollars"),
         N_("'{header}' is {value}, an amount in dollars, but this column is in riel. Type the amount in riel in cell {cell}."),
         N_("Convert to riel (at the exchange rate in the settings tab) and type the riel amount.")),
    Rule("cell.not_whole", ERROR, N_("Not a whole number"),
         N_("'{header}' is {value}; it must be a whole number. Correct it in cell {cell}."),
         N_("Counts and ages are whole numbers.")),
    Rule("cell.not_a_date", ERROR, N_("Not a date"),
         N_("'{header}' is {value}, which is not a date we can read. Type it as {date_format} (for example {example}) in cell {cell}."),
         N_("Type dates as dd/mm/yyyy (or yyyy-mm-dd); a date in words or with a two-digit year is read too, with a warning.")),
    Rule("cell.not_yes_no", ERROR, N_("Not yes or no"),
         N_("'{header}' is {value}; it must be Yes or No. Type Yes or No in cell {cell}."),
         N_("Yes/No, Y/N, TRUE/FALSE, 1/0, បាទ/ចាស/ទេ are all read.")),
    Rule("cell.wrong_unit", ERROR, N_("Wrong unit"),
         N_("'{header}' is {value}, in {typed_unit}, but this column is in {unit}. Type the number of {unit} in cell {cell}."),
         N_("Type the number in the column's own unit (kg in a kg column, years in an age column): the app never converts units.")),
    Rule("cell.read_as", WARNING, N_("Read from words"),
         N_("'{header}' is {value}, read as {read_as}. If that is not what was meant, correct cell {cell}."),
         N_("Nothing, if the reading is right. To be sure, type dates as dd/mm/yyyy with a 4-digit year, and numbers without their unit.")),
    # A readable value that breaks its column's rule (pandera, per tab).
    Rule("value.missing", ERROR, N_("Required value blank"),
         N_("'{header}' is blank; it must be filled in. Type it in cell {cell}."),
         N_("Fill in the cell.")),
    Rule("value.not_allowed", ERROR, N_("Value not in the list"),
         N_("'{header}' is {value}; it must be one of: {allowed}. Pick one of these in cell {cell}."),
         N_("Use the sheet's dropdown, or type one of the listed values exactly.")),
    Rule("value.too_small", ERROR, N_("Value too small"),
         N_("'{header}' is {value}; it must be {bound} or more. Correct it in cell {cell}."),
         N_("Check the number: it is below what the column allows.")),
    Rule("value.too_large", ERROR, N_("Value too large"),
         N_("'{header}' is {value}; it must be {bound} or less. Correct it in cell {cell}."),
         N_("Check the number: it is above what the column allows (a typo with an extra digit?).")),
    Rule("value.bad_format", ERROR, N_("Wrong format"),
         N_("'{header}' is {value}, which is not in the right form ({description}). Correct it in cell {cell}."),
         N_("Follow the column's form, e.g. HH-0042 for a household id or 8 digits for a village code.")),
    Rule("value.invalid", ERROR, N_("Value fails a check"),
         N_("'{header}' is {value}, which fails the check {check}. Correct it in cell {cell}."),
         N_("Correct the value.")),
    Rule("key.duplicate", ERROR, N_("Id used twice"),
         N_("'{header}' {value} is also used in row {first_row}; each row needs its own. Give this row a new id in cell {cell}."),
         N_("Every row needs its own id.")),
    # Rules that span tabs (DESIGN.md).
    Rule("ref.not_found", ERROR, N_("Points to nothing"),
         N_("'{header}' is {value}, but tab '{target_tab}' has no row with that {target_column}. Correct it in cell {cell}, or add that row to '{target_tab}'."),
         N_("Every code or id that points to another tab must exist there.")),
    Rule("count.more_than_members", ERROR, N_("More than the members"),
         N_("'{header}' is {value}, more than the {members} members. Correct it in cell {cell}."),
         N_("A part (children, women) cannot be more than the whole.")),
    Rule("rules.not_checked", WARNING, N_("Checks left out"),
         N_("Some rows of tab '{tab}' have problems of their own (sheet rows {rows}), so these checks were not made: {checks}. They are made again once those rows are corrected."),
         N_("Correct the rows the message names (each has its own issue); the checks that need them run again at the next refresh.")),
    Rule("settings.bad_value", ERROR, N_("Setting not readable"),
         N_("Setting '{key}' is {value}, {problem}; the default {default} is used until it is corrected in cell {cell}."),
         N_("Type the setting in its own form and limits (the README's table of settings); until then every figure uses its default.")),
    Rule("users.no_admin", WARNING, N_("No admin in the users tab"),
         N_("Sign-in is on, but no row of tab '{tab}' has the role admin: nobody could manage the users and the settings "
            "(and with no row at all, nobody could sign in). Add a row with the admin's Google e-mail and the role admin."),
         N_("With sign-in on, give at least one person the role admin in the users tab.")),
)


def register_rules(*rules: Rule) -> None:
    """Add a programme's rules (from its schemas module); an id already taken is refused, not replaced."""
    taken = [r.id for r in rules if r.id in RULES]
    if taken:
        raise KeyError(f"a rule with the id {taken[0]!r} is already registered; give the new rule its own id")
    RULES.update(_rules(*rules))


def show(value: Any) -> str:
    """How a value appears inside a sentence: text in quotes, numbers plain, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return _("blank")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return f"'{value}'"


def _checks(checks: list[list[Any]]) -> str:
    """The checks a rule could not make, as a sentence lists them: "Rice stock below zero (RB-01 from 3 Mar 2018)"."""
    out = []
    for rule_id, owners, since in checks:
        scope = ", ".join(str(o) for o in owners) if owners else ""
        if since:
            scope = (scope + " " if scope else "") + _("from {date}").format(date=day(dt.date.fromisoformat(since)))
        out.append(_(RULES[rule_id].title) + (f" ({scope})" if scope else ""))
    return "; ".join(out)


def message(rule_id: str, row: int | None, **fields: Any) -> str:
    """The sentence of a rule in the current language, with "Row N: " in front when it is about one data row.
    The template is translated first and the values put in after, so a value is never translated."""
    fields.setdefault("value", _("blank"))
    fields.setdefault("percent", "%")  # "{interest}% interest" would read as a %-format "% i" to the catalog tools
    if "read_date" in fields:  # a date read from a human form, as the reader's language writes it
        fields["read_as"] = day(dt.date.fromisoformat(fields["read_date"]))
    for unit in ("unit", "typed_unit"):
        if fields.get(unit):
            fields[unit] = unit_name(fields[unit])
    if "checks" in fields:
        fields["checks"] = _checks(fields["checks"])
    described, kind = fields.get("description"), fields.pop("owner_kind", None)
    if described:  # a column's description, declared in English (N_) in its schema
        fields["description"] = _(described).rstrip(".។")
    if kind:  # "group SG-01": the word in the reader's language, the id as typed
        fields["owner"] = f"{_(kind)} {fields['owner']}"
    refused = fields.get("problem")
    if refused:  # why a setting was refused (schemas.settings), with its limits
        fields["problem"] = _(refused).format(**fields)
    text = _(RULES[rule_id].template).format(**fields)
    return _("Row {row}: {text}").format(row=row, text=text) if row is not None and row > 1 else text


def shown(value: Any) -> str | None:
    """`show(value)` as stored beside an issue, None for a blank (its word is the reader's language's)."""
    return None if value is None or value == "" else show(value)


def issue_message(rule_id: str, row: int | None, tab: str, header: str | None, cell: str | None, quoted: str | None,
                  params: dict[str, Any]) -> str:
    """An issue's sentence from what is stored of it, in the current language: written when it is read."""
    fields = {"tab": tab, **params, "header": header, "cell": cell}
    fields["value"] = _("blank") if quoted is None else quoted
    return message(rule_id, row, **fields)
