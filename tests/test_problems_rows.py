"""The pieces of the Problems tab, each on literal input: the app's block in a note beside a person's text,
a link formula built from a key typed in the sheet (never from text unescaped), a problem's id found by key,
and the registry keeping the app's tab apart from staff tabs."""
from __future__ import annotations

import pytest

from connectors.problems import notes as N
from connectors.problems import rows as R
from schemas.app_tabs import problems_titles
from schemas.grid import Grid
from schemas.issue_rows import IssueRows
from schemas.issues import Issue
from schemas.registry import Registry, site
from schemas.tab import Tab


@pytest.mark.parametrize("theirs", ["", "Checked with the chief", "two\nlines", "ends with a newline\n"])
def test_the_apps_block_goes_below_a_persons_note_and_leaves_it_as_written(theirs):
    ours = N.block(["Row 3: 'members' is 'lots', which is not a number."])
    with_ours = N.merged(theirs, ours)
    assert N.split(with_ours) == (theirs, ours)
    assert with_ours == (f"{theirs}\n\n{ours}" if theirs else ours)
    assert N.merged(with_ours, N.block(["Another problem."])).endswith("Back office:\n• Another problem.")
    assert N.merged(with_ours, None) == theirs  # the problem is fixed: only the app's block goes
    assert N.merged(theirs, None) == theirs  # nothing of the app's there: nothing changes


def test_a_person_writing_below_the_apps_block_keeps_their_line():
    note = "Back office:\n• Row 3: wrong.\nI will ask Chan on Monday"
    assert N.split(note) == ("I will ask Chan on Monday", "Back office:\n• Row 3: wrong.")
    assert N.merged(note, None) == "I will ask Chan on Monday"


def test_a_control_character_in_a_message_cannot_reach_a_note():
    assert N.block(["'name' is 'A\x01B'"]) == "Back office:\n• 'name' is 'A?B'"


@pytest.mark.parametrize(("refs", "formula"), [
    ([["A", "HH-0042"]], "IFERROR(MATCH(\"HH-0042\",'households'!A:A,0),17)"),
    ([["A", 'say "hi"']], "IFERROR(MATCH(\"say \"\"hi\"\"\",'households'!A:A,0),17)"),  # quotes doubled: text stays text
    ([["A", 8010101]], "IFERROR(MATCH(8010101,'households'!A:A,0),17)"),  # a number typed as a number
    ([["A", "HH-00*"]], "IFERROR(MATCH(1,ARRAYFORMULA(('households'!A:A=\"HH-00*\")*1),0),17)"),  # no wildcard reading
    ([["A", "080101"], ["B", 2024]], "IFERROR(MATCH(1,ARRAYFORMULA(('households'!A:A=\"080101\")*('households'!B:B=2024)),0),17)"),
    ([["A", "two\nlines"]], None),  # a key a formula should not carry: the link uses the row as read
])
def test_a_link_finds_its_row_by_the_key_as_typed(refs, formula):
    assert R.row_formula("households", refs, 17) == formula


def test_a_tab_title_with_a_quote_is_quoted_as_sheets_wants():
    assert R.row_formula("O'Neil's", [["A", "x"]], 2) == "IFERROR(MATCH(\"x\",'O''Neil''s'!A:A,0),2)"


def test_a_problems_id_is_its_tab_key_column_and_rule_and_a_row_without_a_key_of_its_own_is_by_number():
    grid = Grid("households", ["household_id", "members"], [["HH-0041", 5], ["HH-0042", "lots"], ["HH-0042", "x"], ["", "y"]])
    issues = IssueRows([Issue("households", row, "members", f"B{row}", value, "error", "cell.not_a_number")
                        for row, value in ((3, "lots"), (4, "x"), (5, "y"))]
                       + [Issue("households", 1, "memebrs", "C1", "memebrs", "warning", "header.unknown_column"),
                          Issue("cows", None, None, None, None, "error", "tab.missing")])
    found = R.anchors({"households": grid}, issues)
    assert [a.row_key for a in found] == ["#3", "#4", "#5", "@header", ""]  # HH-0042 twice, a blank key: by row
    grid.rows[2][0] = "HH-0043"
    found = R.anchors({"households": grid}, issues)
    assert found[0] == R.Anchor("HH-0042", (("A", "HH-0042"),)) and found[1] == R.Anchor("HH-0043", (("A", "HH-0043"),))
    assert R.ident("households", found[0].row_key, "members", "cell.not_a_number") == "households|HH-0042|members|cell.not_a_number"


def test_the_problems_tab_is_the_apps_in_every_language_and_no_registered_tab_may_take_its_name():
    assert {"Problems", "បញ្ហា", "Problems (back office)"} <= set(problems_titles())
    assert "បញ្ហា" in problems_titles() and "households" not in problems_titles()
    clash = Registry([*list(site.tabs), Tab("Problems", site.tabs[0].schema, site.tabs[0].key, "places", "Problems")], site.programmes)
    assert [p.id for p in clash.check() if p.id == "registry.E009"] == ["registry.E009"]
    assert [p for p in site.check() if p.id == "registry.E009"] == []
