"""The demo workbook is clean; mistakes planted in it come back each at its cell, and nothing else does."""
from __future__ import annotations

import pytest

from connectors.sources.workbook import WorkbookSource
from schemas.issues import a1
from schemas.validate import validate_workbook
from tests.factories import type_in_cells


def issues_of(path):
    _frames, issues = validate_workbook(WorkbookSource(path).read())
    return issues


def test_the_demo_workbook_has_no_issue(demo_workbook):
    assert [(i.tab, i.cell, i.rule, i.message) for i in issues_of(demo_workbook)] == []


class Planter:
    """Edits cells of a workbook by tab, sheet row and column title, as staff type them; remembers where it planted
    what, and writes them all at once (`save`)."""

    def __init__(self, path):
        self.path, self.grids, self.typed = path, WorkbookSource(path).read(), {}

    def index(self, tab: str, title: str) -> int:
        return self.grids[tab].header.index(title)

    def set(self, tab: str, row: int, title: str, value) -> str:
        index = self.index(tab, title)
        self.typed.setdefault(tab, {})[a1(index, row)] = value
        if row > 1:
            self.grids[tab].rows[row - 2][index] = value
        return a1(index, row)

    def get(self, tab: str, row: int, title: str):
        return self.grids[tab].rows[row - 2][self.index(tab, title)]

    def first_row(self, tab: str, title: str, wanted) -> int:
        index = self.index(tab, title)
        for number, values in enumerate(self.grids[tab].rows, start=2):
            if values[index] in wanted:
                return number
        raise AssertionError(f"no row of {tab} has {title} in {wanted}")

    def save(self) -> None:
        type_in_cells(self.path, self.typed)


@pytest.fixture
def planted(demo_copy):
    """Ten mistakes of the kinds field staff make, each at a known cell, plus the expected issues."""
    p = Planter(demo_copy)
    expected = {
        ("households", p.set("households", 5, "Members", "ten"), "cell.not_a_number"),
        ("households", p.set("households", 7, "Village code", "99999999"), "ref.not_found"),
        ("activities", p.set("activities", 3, "Kind", "party"), "value.not_allowed"),
        ("activities", p.set("activities", 4, "Date", "31/02/2017"), "cell.not_a_date"),
        ("clinic_visits", p.set("clinic_visits", 10, "Age (years)", 150), "value.too_large"),
        ("clinic_visits", p.set("clinic_visits", 11, "New patient", "maybe"), "cell.not_yes_no"),
        ("rice_ledger", p.set("rice_ledger", 5, "Entry ID", p.get("rice_ledger", 4, "Entry ID")), "key.duplicate"),
        ("cows", p.set("cows", 6, "Born on", "2018-13-01"), "cell.not_a_date"),
    }
    row = 2
    p.set("migration_checks", row, "Migrating", "No")
    expected.add(("migration_checks", p.set("migration_checks", row, "Took children", "Yes"),
                  "prevention.children_without_migration"))
    members = p.get("savings_groups", 3, "Members")
    expected.add(("savings_groups", p.set("savings_groups", 3, "Women members", members + 1), "count.more_than_members"))
    # An outflow, so that losing its amount cannot take the group's cash below zero.
    loan = p.first_row("savings_ledger", "Kind", {"loan", "expense", "withdrawal"})
    expected.add(("savings_ledger", p.set("savings_ledger", loan, "Amount (riel)", "$25.00"), "cell.wrong_currency"))
    p.set("users", 1, "Role", "Rôle")
    expected |= {("users", None, "header.missing_column"), ("users", "C1", "header.unknown_column")}
    # What staff type that is not a mistake: read, and no issue.
    p.set("households", 8, "Members", "៣")
    p.set("households", 8, "Children", " 1 ")
    p.set("households", 9, "Enrolled on", "04/02/2016")
    p.set("households", 9, "Survivor", "ទេ")
    p.set("savings_ledger", 2, "Amount (riel)", "1,000,000 ៛")  # read, with a warning that says how (issue 23)
    expected.add(("savings_ledger", "E2", "cell.read_as"))
    # The rules over rows the mistakes above leave out say so once per tab (issue 23): the group's cash, the
    # mothers' ages and the calves' pass-ons.
    expected |= {("savings_ledger", None, "rules.not_checked"), ("cows", None, "rules.not_checked")}
    p.set("villages", 2, "Province code", int(p.get("villages", 2, "Province code")))
    p.save()
    return demo_copy, expected


def test_every_planted_mistake_comes_back_at_its_cell_and_nothing_else(planted):
    path, expected = planted
    issues = issues_of(path)
    assert {(i.tab, i.cell, i.rule) for i in issues} == expected
    assert len(issues) == len(expected)
    by_cell = {(i.tab, i.cell): i for i in issues}
    assert by_cell[("households", "E5")].value == "ten"
    assert by_cell[("households", "E5")].message == (
        "Row 5: 'Members' is 'ten', which is not a number. Type a number such as 1250 in cell E5.")
