"""Personal data: masked in tables, validation issues, row histories and the command line; small counts
suppressed for viewers; every CSV neutralised against formula injection (OWASP)."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from commands import report as report_cmd
from commands import validate as validate_cmd
from connectors.access import MASK, User
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from gateway import reads
from insights.export import safe_csv
from insights.privacy import mask_issue_frame
from insights.small_counts import SHARE_HIDDEN, parts, suppress_counts
from schemas.formats import display_frame, download_frame, marked
from schemas.issues import ISSUE_KEYS
from tests.factories import small_book, write_xlsx
from ui import table_editor as te

ROOT = Path(__file__).resolve().parent.parent
ADMIN = User("admin@example.org", "admin")
EDITOR = User("editor@example.org", "editor")
CLINIC = User("clinic@example.org", "clinic")
VIEWER = User("viewer@example.org", "viewer")


# --- CSV injection ------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"])
def test_an_exported_formula_opens_as_text(cell):
    frame = pd.DataFrame({"note": [cell, "plain"], "kg": [1, -5]})
    rows = list(csv.reader(io.StringIO(safe_csv(frame).decode("utf-8"), newline="")))
    assert rows[0] == ["note", "kg"]
    assert rows[1][0] == "'" + cell  # a spreadsheet shows it as typed, never runs it
    assert rows[2] == ["plain", "-5"]  # numbers stay numbers (a negative number is not text)
    assert rows[1][1] == "1"


def test_the_hyperlink_example_exactly():
    text = safe_csv(pd.DataFrame({"x": ['=HYPERLINK("http://x")']})).decode()
    assert "'=HYPERLINK(" in text
    assert not re.search(r'^"?=', text.splitlines()[1])


def test_every_download_in_the_app_goes_through_safe_csv():
    """Pages and ui modules offer files only through ui.widgets (csv_download, which uses safe_csv; file_download
    for the donor pack, whose XLSX keeps formula-like text as text: tests/test_report_pack.py)."""
    offenders = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]:
        text = path.read_text()
        if "download_button" in text and path.name != "widgets.py":
            offenders.append(path.name)
        if re.search(r"\.to_csv\(", text):
            offenders.append(f"{path.name} (to_csv)")
    assert not offenders, offenders
    widgets = (ROOT / "ui" / "widgets.py").read_text()
    assert widgets.count("st.download_button(") == 1 and "safe_csv(download_frame(frame, tab))" in widgets


# --- small counts -------------------------------------------------------------------------------

def test_small_counts_read_below_the_threshold_and_carry_no_number():
    frame = pd.DataFrame({"village": ["a", "b", "c", "d"], "visits": [0, 1, 4, 12], "kg": [1, 2, 3, 4]})
    out = suppress_counts(frame, ["visits", "missing"], 5)
    # The column keeps its numbers (a chart draws them, a workbook sums them); the hidden ones are missing...
    assert str(out["visits"].dtype) == "Int64" and out["visits"].tolist()[::3] == [0, 12] and out["visits"][1:3].isna().all()
    # ...and their own marker column says what to show there.
    assert out["visits_hidden"].tolist() == [None, "<5", "<5", None]
    assert out["kg"].tolist() == [1, 2, 3, 4]  # not a count column
    assert frame["visits"].tolist() == [0, 1, 4, 12]  # the input is untouched
    assert marked(out)["visits"].tolist() == [0, "<5", "<5", 12]  # a table or a sheet: numbers, and the marks
    assert display_frame(out)["Visits"].tolist() == ["0", "<5", "<5", "12"] and "Visits hidden" not in display_frame(out)
    assert download_frame(out)["Visits"].tolist() == [0, "<5", "<5", 12]
    assert suppress_counts(frame, ["visits"], 3)["visits_hidden"].tolist() == [None, "<3", None, None]
    unchanged = suppress_counts(pd.DataFrame({"n": [7, 9]}), ["n"], 5)
    assert list(unchanged.columns) == ["n"] and unchanged["n"].tolist() == [7, 9]


def test_a_share_beside_a_hidden_count_is_hidden_with_it():
    # 3 of 4 children still in school: "75 %" beside "<5" would give the 3 back.
    frame = pd.DataFrame({"village": ["Chrey", "Tnaot"], "enrolled": [4, 12], "in_school": [3, 9],
                          "share_in_school": [0.75, 0.75], "kg": [1.0, 2.0]})
    out = suppress_counts(frame, ("enrolled", "in_school"), 5, ("share_in_school",))
    assert out["enrolled_hidden"].tolist() == ["<5", None] and out["in_school_hidden"].tolist() == ["<5", None]
    assert out["enrolled"][1] == 12 and out["in_school"][1] == 9
    assert pd.isna(out.loc[0, "share_in_school"]) and out.loc[1, "share_in_school"] == 0.75
    assert out["share_in_school_hidden"].tolist() == [SHARE_HIDDEN, None]
    assert out["kg"].tolist() == [1.0, 2.0]
    summary = {"households": 4, "with_toilet": 2, "share_toilet": 0.5, "nested": {"n": 9, "share": 0.1}}
    shown = suppress_counts(summary, ("households", "with_toilet", "n"), 5, ("share_toilet", "share"))
    assert shown["households"] == "<5" and shown["share_toilet"] == SHARE_HIDDEN
    assert f"{shown['share_toilet']:.0%}" == SHARE_HIDDEN  # a page's format string shows the mark, not an error
    assert shown["nested"] == {"n": 9, "share": 0.1}  # nothing small there: the share stays
    big = suppress_counts({"households": 40, "share_toilet": 0.5}, ("households",), 5, ("share_toilet",))
    assert big == {"households": 40, "share_toilet": 0.5}


TOILETS = (parts("households", "with_toilet"), parts("with_toilet", "own_toilet"))


def test_a_part_beside_its_total_never_gives_a_small_count_back_by_subtraction():
    # 9 households, 8 with a toilet: 1 without. Shown as they are, the two give the 1 back.
    shown = suppress_counts({"households": 9, "with_toilet": 8, "own_toilet": 8, "share_toilet": 0.89},
                            ("households", "with_toilet", "own_toilet"), 5, ("share_toilet",), TOILETS)
    assert shown["households"] == 9 and shown["with_toilet"] == "5+" and shown["share_toilet"] == SHARE_HIDDEN
    # own_toilet (8) stays: with with_toilet hidden, nothing tells how many share one.
    assert shown["own_toilet"] == 8
    # 12 households, 5 with a toilet: 7 without - nothing to hide.
    assert suppress_counts({"households": 12, "with_toilet": 5}, ("households", "with_toilet"), 5, (), TOILETS) == \
        {"households": 12, "with_toilet": 5}
    # Parts that add up to their total: one hidden part comes back from the others unless one more is hidden.
    people = suppress_counts({"participants": 40, "women": 3, "men": 37}, ("participants", "women", "men"), 5, (),
                             (parts("participants", "women", "men", complete=True),))
    assert people == {"participants": 40, "women": "<5", "men": "5+"}
    # In a frame, row by row: the same marks in the marker columns, no number where they are.
    frame = pd.DataFrame({"village": ["Chrey", "Tnaot"], "households": [9, 20], "with_toilet": [8, 12], "own_toilet": [2, 5]})
    out = suppress_counts(frame, ("households", "with_toilet", "own_toilet"), 5, (), TOILETS)
    assert out["with_toilet_hidden"].tolist() == ["5+", None] and out["own_toilet_hidden"].tolist() == ["<5", None]
    assert pd.isna(out["with_toilet"][0]) and pd.isna(out["own_toilet"][0]) and out["households"].tolist() == [9, 20]
    assert marked(out)[["households", "with_toilet", "own_toilet"]].to_numpy().tolist() == [[9, "5+", "<5"], [20, 12, 5]]


def test_every_share_an_insight_declares_is_one_it_returns_beside_its_counts():
    from insights import prevention, savings, school_support, wash
    for insight in (school_support.summary, school_support.by_year, wash.summary, wash.by_year_and_village,
                    savings.groups_on, savings.ratios, prevention.migration_by_quarter):
        assert insight.shares and insight.counts, insight.__name__
        assert not set(insight.shares) & set(insight.counts), insight.__name__


# --- the read path masks ------------------------------------------------------------------------

@pytest.fixture
def small_cache(tmp_path):
    book = small_book()
    book["households"][1][6] = "012 345 678"
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(write_xlsx(book, tmp_path / "small.xlsx")))
    return cache


def test_tables_mask_personal_data_for_roles_without_access(small_cache):
    for user in (EDITOR, VIEWER):
        frame, total = te.rows(small_cache.cursor(), user, te.TableQuery("households"))
        assert total == 3
        assert set(frame["head_name"]) == {MASK} and set(frame["survivor"]) == {MASK}
        assert frame["phone"].tolist()[0] == MASK
    frame, _ = te.rows(small_cache.cursor(), ADMIN, te.TableQuery("households"))
    assert "Sok Dara" in set(frame["head_name"])


def test_a_search_never_finds_rows_by_a_masked_value(small_cache):
    _, found = te.rows(small_cache.cursor(), VIEWER, te.TableQuery("households", reads.RowFilter(search="Sok Dara")))
    assert found == 0
    _, found = te.rows(small_cache.cursor(), ADMIN, te.TableQuery("households", reads.RowFilter(search="Sok Dara")))
    assert found == 1


def _issue(cache, tab, row, column, value, message):
    cache.cursor().execute("""INSERT INTO _issues (tab, "row", "column", cell, value, severity, rule, message, link)
                              VALUES (?, ?, ?, ?, ?, 'error', 'test.rule', ?, NULL)""",
                           [tab, row, column, f"B{row}", value, message])


def test_validation_issues_mask_personal_values_and_hide_unreadable_tabs(small_cache):
    _issue(small_cache, "households", 2, "Head of household", "Sok Dara", "Row 2: 'Head of household' is 'Sok Dara'; it is too long.")
    _issue(small_cache, "households", 3, "Members", "-1", "Row 3: 'Members' is -1; a count is 0 or more.")
    _issue(small_cache, "clinic_visits", 4, "patient_code", "Keo Srey", "Row 4: Keo Srey is not a patient code like P-0001.")
    _issue(small_cache, "users", 2, "E-mail", "bad@", "Row 2: 'E-mail' is 'bad@'.")
    con = small_cache.cursor()

    admin = reads.issues(con, ADMIN, rule="test.rule")
    assert "Sok Dara" in admin["value"].tolist() and len(admin) == 4

    viewer = reads.issues(con, VIEWER, rule="test.rule")
    assert set(viewer["tab"]) == {"households", "clinic_visits"}  # users: admin only
    text = viewer.to_csv()
    assert "Sok Dara" not in text and "Keo Srey" not in text
    masked = viewer.set_index("row")
    assert masked.loc[2, "value"] == MASK and masked.loc[2, "message"] == f"Row 2: 'Head of household' is '{MASK}'; it is too long."
    assert masked.loc[3, "value"] == "-1"  # not personal data
    assert masked.loc[4, "message"] == f"Row 4: {MASK} is not a patient code like P-0001."

    clinic = reads.issues(con, CLINIC, rule="test.rule")
    assert set(clinic["tab"]) == {"clinic_visits"}  # households: not theirs to read
    assert clinic["value"].tolist() == ["Keo Srey"]  # their own patient codes: clinic staff see them
    assert set(reads.issue_counts(con, CLINIC)["tab"]) <= {"clinic_visits", "ambulance_trips", "health_education"}
    assert "users" not in set(reads.open_errors_by_tab(con, VIEWER)["tab"])
    assert reads.issue_totals(con, CLINIC)["errors"] < reads.issue_totals(con, ADMIN)["errors"]
    with pytest.raises(PermissionError):
        reads.issues(con, CLINIC, "households")


def test_a_message_that_does_not_quote_the_value_verbatim_is_replaced_whole():
    frame = pd.DataFrame([{"tab": "households", "column": "Phone", "value": "012 345 678",
                           "message": "Row 2: the phone 012345678 has letters."}])
    out = mask_issue_frame(frame, ["households"])
    assert out.loc[0, "value"] == MASK and "012345678" not in out.loc[0, "message"]


def test_a_rows_history_masks_personal_values(small_cache):
    small_cache.cursor().execute(
        "INSERT INTO _audit VALUES (?, 'admin@example.org', 'households', 'HH-0041', 'head_name', 'Sok Dara', 'Sok Dary', 'app'),"
        " (?, 'admin@example.org', 'households', 'HH-0041', 'members', '5', '6', 'app')",
        [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)])
    history = reads.row_history(small_cache, EDITOR, "households", "HH-0041")
    assert "Sok Dara" not in history.to_csv() and history["new"].tolist() == ["6", MASK]
    assert "Sok Dary" in reads.row_history(small_cache, ADMIN, "households", "HH-0041")["new"].tolist()


# --- the command line ---------------------------------------------------------------------------

def _clinic_book(tmp_path) -> Path:
    book = small_book()
    book["clinic_visits"] = [
        ["visit_id", "date", "site", "village_code", "patient_code", "sex", "age_years", "care", "condition", "new_patient",
         "referred_to", "dental_kit", "donation_riel"],
        ["CV-000001", dt.date(2017, 3, 1), "health_centre", "12010101", "Chan Vanna Sokha", "female", 30, "outpatient", "flu", True, "", False, 0],
    ]
    return write_xlsx(book, tmp_path / "clinic.xlsx")


def _validate(capsys, workbook, *extra) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    validate_cmd.add_arguments(parser)
    code = validate_cmd.run(parser.parse_args(["--source", str(workbook), "--tab", "clinic_visits", *extra]))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_validate_masks_personal_data_unless_asked(tmp_path, capsys, fmt):
    workbook = _clinic_book(tmp_path)
    code, out = _validate(capsys, workbook, "--format", fmt)
    assert code == 1
    assert "Chan Vanna Sokha" not in out and MASK in out
    _, shown = _validate(capsys, workbook, "--format", fmt, "--show-personal-data")
    assert "Chan Vanna Sokha" in shown


def test_validate_json_keys_stay_exact_when_masked(tmp_path, capsys):
    _, out = _validate(capsys, _clinic_book(tmp_path), "--format", "json")
    issues = json.loads(out)
    assert issues and all(tuple(i) == ISSUE_KEYS for i in issues)
    patient = [i for i in issues if i["value"] == MASK]
    assert patient and patient[0]["tab"] == "clinic_visits" and patient[0]["cell"]


def test_report_accepts_the_flag_and_masks_by_default(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    report_cmd.add_arguments(parser)
    # Exit 1: the small book lacks most tabs, so the figures are printed with their Data problems first.
    assert report_cmd.run(parser.parse_args(["--year", "2017", "--source", str(_clinic_book(tmp_path))])) == 1
    assert "Chan Vanna Sokha" not in capsys.readouterr().out
    assert parser.parse_args(["--year", "2017", "--show-personal-data"]).show_personal_data
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(_clinic_book(tmp_path)))
    assert report_cmd.mask_personal_values(cache.cursor(), "Head: Sok Dara, 5 cows") == f"Head: {MASK}, 5 cows"
