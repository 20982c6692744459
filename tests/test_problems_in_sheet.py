"""Every mistake goes back to the person who typed it, in their own Google Sheet, within one poll tick:
the app's Problems tab and a note on the cell (connectors.problems), driven by the live poll on an injected
clock, with the real gspread client against the local Sheets API server. "A person" types through the API
with their own gspread client, as the Sheets web app would."""
from __future__ import annotations

import re

import gspread
import pytest

from connectors import pipeline
from connectors.access import LOCAL_ADMIN
from connectors.poll import Poller, PollSettings
from connectors.problems import feedback
from connectors.problems import notes as N
from connectors.sources.google_http import GoogleSession
from connectors.store.cache import Cache
from schemas.registry import TABS
from tests.factories import small_book

ERROR_ROW_KEY = "HH-0042"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def whole_book() -> dict[str, list[list]]:
    """The small book with every other registered tab present (header only): its only problems are the six
    village names that differ from the gazetteer (warnings)."""
    book = small_book()
    for tab in TABS:
        book.setdefault(tab.name, [[c.name for c in tab.columns]])
    return book


@pytest.fixture
def sheet(monkeypatch, sheets_server, make_spreadsheet, make_source):
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "tab+notes")
    key = make_spreadsheet(whole_book())
    clock = Clock()
    poller = Poller(Cache(":memory:"), make_source(key), PollSettings(30.0, 120.0), clock=clock)
    person = gspread.Client(auth=None, session=GoogleSession(sheets_server.base_url)).open_by_key(key)

    class Sheet:
        pass

    s = Sheet()
    s.key, s.clock, s.poller, s.person, s.server = key, clock, poller, person, sheets_server
    s.tick = lambda: _tick(poller, clock)
    return s


def _tick(poller: Poller, clock: Clock) -> str:
    """The next tick that does something (the poll asks every 30 s while a page is open)."""
    for _ in range(31):
        clock.now += 1
        poller.heartbeat("a page")
        outcome = poller.tick()
        if outcome != "waiting":
            return outcome
    raise AssertionError("the poll did nothing for 31 s")


def problems(server, key: str) -> list[dict]:
    rows = server.sheet_values(key, "Problems")
    header = rows[0]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in rows[1:]]


def open_rows(server, key: str) -> list[dict]:
    out = []
    for row in problems(server, key):
        if row["Back office id"] == "#confirmed":
            break
        if row["Back office id"]:
            out.append(row)
    return out


def households_cell(sheet, column: str, key: str = ERROR_ROW_KEY) -> str:
    ws = sheet.person.worksheet("households")
    header = ws.row_values(1)
    row = ws.col_values(1).index(key) + 1
    return gspread.utils.rowcol_to_a1(row, header.index(column) + 1)


def link_of(server, key: str, ident: str) -> str:
    rows = server.sheet_values(key, "Problems")
    number = next(i for i, row in enumerate(rows) if row and row[-1] == ident) + 1
    return server.cell_parts(key, "Problems", f"H{number}")["hyperlink"]


def test_a_mistake_typed_in_the_sheet_is_listed_and_noted_within_one_tick_and_gone_once_fixed(sheet):
    assert sheet.tick() == "read"  # the first check: six warnings, the tab made, their notes written
    assert [(r["Tab"], r["Row"], r["Column"], r["Error or warning"]) for r in open_rows(sheet.server, sheet.key)] == [
        ("villages", 2, "village", "warning"), ("villages", 2, "commune", "warning"), ("villages", 2, "district", "warning"),
        ("villages", 3, "village", "warning"), ("villages", 3, "commune", "warning"), ("villages", 3, "district", "warning")]
    cell = households_cell(sheet, "members")
    sheet.person.worksheet("households").update_acell(cell, "lots")
    assert sheet.tick() == "read"
    mistake = next(r for r in open_rows(sheet.server, sheet.key) if r["Tab"] == "households")
    assert mistake == {"Tab": "households", "Row": 3, "Column": "members", "Value as typed": "lots",
                       "What is wrong": f"Row 3: 'members' is 'lots', which is not a number. Type a number such as 1250 in cell {cell}.",
                       "Error or warning": "error", "First seen": mistake["First seen"], "Open": "Open", "Correct as typed": "",
                       "Back office id": "households|HH-0042|members|cell.not_a_number"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", mistake["First seen"])
    assert sheet.server.notes(sheet.key, "households") == {cell: f"Back office:\n• {mistake['What is wrong']}"}
    link = link_of(sheet.server, sheet.key, mistake["Back office id"])
    assert link == f"#gid={sheet.person.worksheet('households').id}&range={cell}"
    sheet.person.worksheet("households").update_acell(cell, 4)  # the person fixes it
    assert sheet.tick() == "read"
    assert [r for r in open_rows(sheet.server, sheet.key) if r["Tab"] == "households"] == []
    assert sheet.server.notes(sheet.key, "households") == {}


def test_the_link_still_reaches_the_row_after_the_tab_is_sorted_and_rows_are_inserted_above(sheet):
    cell = households_cell(sheet, "members")
    sheet.person.worksheet("households").update_acell(cell, "lots")
    sheet.tick()
    ident = "households|HH-0042|members|cell.not_a_number"
    households = sheet.person.worksheet("households")
    households.freeze(rows=1)
    households.sort((2, "des"))  # by head_name, Z-A: Sok Dara, Keo Srey, Chan Vanna
    households.insert_rows([["HH-0050", "Nou Sina"], ["HH-0051", "Mao Lin"]], row=2)
    row = households.col_values(1).index(ERROR_ROW_KEY) + 1
    assert row == 6
    # Read straight after the person's edits, before the app looked again: the formula found the row by key.
    assert link_of(sheet.server, sheet.key, ident) == f"#gid={households.id}&range=E{row}"
    assert households.acell(f"E{row}").value == "lots"
    assert sheet.server.notes(sheet.key, "households") == {f"E{row}": sheet.server.notes(sheet.key, "households")[f"E{row}"]}  # the note moved with it
    sheet.tick()  # the next check rewrites the row numbers; the link and the note are where they were
    mistake = next(r for r in open_rows(sheet.server, sheet.key) if r["Back office id"] == ident)
    assert mistake["Row"] == row and link_of(sheet.server, sheet.key, ident) == f"#gid={households.id}&range=E{row}"
    note = sheet.server.notes(sheet.key, "households")[f"E{row}"]  # the new rows' blank cells have notes of their own
    assert note == f"Back office:\n• {mistake['What is wrong']}" and mistake["What is wrong"].startswith("Row 6: 'members' is 'lots'")


def test_a_note_a_person_wrote_is_never_changed_or_removed_with_or_without_a_problem(sheet):
    households = sheet.person.worksheet("households")
    problem_cell, quiet_cell = households_cell(sheet, "members"), households_cell(sheet, "head_name", "HH-0041")
    households.update_note(problem_cell, "Chan said 4, then 5 - check at the next visit")
    households.update_note(quiet_cell, "Spelling checked with the village chief")
    sheet.tick()
    households.update_acell(problem_cell, "lots")
    sheet.tick()
    both = sheet.server.notes(sheet.key, "households")
    theirs, ours = N.split(both[problem_cell])
    assert theirs == "Chan said 4, then 5 - check at the next visit" and ours.startswith("Back office:\n• Row 3: 'members'")
    assert both[problem_cell].startswith("Chan said 4, then 5 - check at the next visit\n\nBack office:")
    assert both[quiet_cell] == "Spelling checked with the village chief"
    households.update_acell(problem_cell, 4)
    sheet.tick()
    assert sheet.server.notes(sheet.key, "households") == {problem_cell: "Chan said 4, then 5 - check at the next visit",
                                                            quiet_cell: "Spelling checked with the village chief"}


def test_ticking_correct_as_typed_hides_a_warning_in_the_app_and_the_tab_an_error_stays(sheet):
    cell = households_cell(sheet, "members")
    sheet.person.worksheet("households").update_acell(cell, "lots")
    sheet.tick()
    rows = sheet.server.sheet_values(sheet.key, "Problems")
    warning = next(i for i, r in enumerate(rows) if r[-1] == "villages|12010101|village|places.name_mismatch") + 1
    error = next(i for i, r in enumerate(rows) if r[-1] == "households|HH-0042|members|cell.not_a_number") + 1
    assert sheet.server.cell_parts(sheet.key, "Problems", f"I{warning}")["dataValidation"] == {"condition": {"type": "BOOLEAN"}, "showCustomUi": True}
    assert "dataValidation" not in sheet.server.cell_parts(sheet.key, "Problems", f"I{error}")  # no box on an error
    tab = sheet.person.worksheet("Problems")
    tab.update_acell(f"I{warning}", True)  # the person ticks the warning ...
    tab.update_acell(f"I{error}", True)  # ... and types TRUE beside the error: errors cannot be confirmed away
    sheet.tick()
    shown = {r["Back office id"] for r in open_rows(sheet.server, sheet.key)}
    assert "villages|12010101|village|places.name_mismatch" not in shown
    assert "households|HH-0042|members|cell.not_a_number" in shown
    cached = sheet.poller.cache.cursor().execute("SELECT tab, cell, rule FROM _issues ORDER BY tab, cell").fetchall()
    assert ("villages", "B2", "places.name_mismatch") not in cached and ("households", cell, "cell.not_a_number") in cached
    confirmed = problems(sheet.server, sheet.key)
    heading = next(i for i, r in enumerate(confirmed) if r["Back office id"] == "#confirmed")
    assert [(r["Back office id"], r["Correct as typed"]) for r in confirmed[heading + 1:]] == [
        ("villages|12010101|village|places.name_mismatch", True)]
    assert confirmed[heading + 1]["First seen"].endswith("ticked in the sheet")
    assert "B2" not in sheet.server.notes(sheet.key, "villages")  # no note on a confirmed value
    trail = sheet.poller.cache.cursor().execute('SELECT "user", tab, row_key, "column", new, via FROM _audit').fetchall()
    assert trail == [("ticked in the sheet", "villages", "12010101", "village", "Krol Kor", "confirmed correct as typed")]
    audit_log = sheet.server.sheet_values(sheet.key, "audit_log")
    assert audit_log[-1][1:] == ["ticked in the sheet", "villages", "12010101", "village", "", "Krol Kor", "confirmed correct as typed"]
    # The value changes: the confirmation was for 'Krol Kor' only, so the warning is back.
    sheet.person.worksheet("villages").update_acell("B2", "Krol Kor Thmei")
    sheet.tick()
    back = next(r for r in open_rows(sheet.server, sheet.key) if r["Back office id"] == "villages|12010101|village|places.name_mismatch")
    assert back["Value as typed"] == "Krol Kor Thmei" and back["Correct as typed"] is False
    assert sheet.poller.cache.cursor().execute("SELECT via, old, new FROM _audit ORDER BY rowid").fetchall()[-1] == (
        "confirmation lapsed: the value changed", "Krol Kor", "Krol Kor Thmei")


def test_unticking_a_confirmed_warning_brings_it_back(sheet):
    sheet.tick()
    rows = sheet.server.sheet_values(sheet.key, "Problems")
    warning = next(i for i, r in enumerate(rows) if r[-1] == "villages|12010102|village|places.name_mismatch") + 1
    tab = sheet.person.worksheet("Problems")
    tab.update_acell(f"I{warning}", True)
    sheet.tick()
    rows = sheet.server.sheet_values(sheet.key, "Problems")
    confirmed = next(i for i, r in enumerate(rows) if r[-1] == "villages|12010102|village|places.name_mismatch") + 1
    tab.update_acell(f"I{confirmed}", False)
    sheet.tick()
    assert "villages|12010102|village|places.name_mismatch" in {r["Back office id"] for r in open_rows(sheet.server, sheet.key)}
    assert sheet.poller.cache.cursor().execute("SELECT via FROM _audit ORDER BY rowid").fetchall()[-1] == (
        "confirmation withdrawn (unticked in the sheet)",)


def test_only_the_problems_tab_and_notes_change_and_a_refresh_writes_once_or_not_at_all(sheet):
    data_tabs = [t.name for t in TABS]
    before = {t: sheet.server.snapshot(sheet.key, t) for t in data_tabs}
    sheet.server.reset()
    sheet.tick()  # the first check finds six warnings: ONE batchUpdate (a tab to make; no notes to read yet)
    writes = [c for c in sheet.server.api_calls() if c["method"] == "POST"]
    assert [c["path"].rsplit(":", 1)[-1] for c in writes] == ["batchUpdate"]
    assert {t: sheet.server.snapshot(sheet.key, t) for t in data_tabs} == before  # values, formulas, formats, validation
    assert list(sheet.server.notes(sheet.key, "villages")) == ["B2", "D2", "F2", "B3", "D3", "F3"]
    generation = sheet.poller.cache.change_count
    outcomes = []
    for _ in range(6):  # the app's own write moved the change token: one read finds nothing new, then nothing at all
        sheet.server.reset()
        outcomes.append(sheet.tick())
        assert [c for c in sheet.server.api_calls() if c["method"] == "POST"] == []
    assert outcomes[0] == "same" and "read" not in outcomes  # read back, its own write costs no validation ...
    assert sheet.poller.cache.change_count == generation  # ... and no page redraws for it
    cell = households_cell(sheet, "members")
    sheet.person.worksheet("households").update_acell(cell, "lots")
    sheet.server.reset()
    sheet.tick()
    calls = [(c["api"], c["method"], c["path"].rsplit("/", 1)[-1]) for c in sheet.server.api_calls()]
    if calls[0][0] == "drive":  # the token check (or, when the data is due to be re-read anyway, the read in its place)
        calls = calls[1:]
    assert calls == [("sheets", "GET", "values:batchGet"),  # one read of every tab
                     ("sheets", "GET", sheet.key),  # the notes of the tabs with the app's notes: at most one read
                     ("sheets", "POST", f"{sheet.key}:batchUpdate")]  # the tab and the notes: one write
    after = {t: sheet.server.snapshot(sheet.key, t) for t in data_tabs}
    changed = [t for t in data_tabs if after[t] != before[t]]
    assert changed == ["households"]  # the person's own edit, nothing else
    assert after["households"]["cell_formats"] == before["households"]["cell_formats"]


def test_a_staff_tab_called_problems_is_never_written_over(sheet, make_spreadsheet, make_source):
    book = whole_book()
    book["Problems"] = [["Problem", "Who"], ["Roof leaks at the rice bank", "Dara"]]
    key = make_spreadsheet(book)
    cache = Cache(":memory:")
    source = make_source(key)
    pipeline.refresh(cache, source, send_saves=False)
    assert sheet.server.sheet_values(key, "Problems") == [["Problem", "Who"], ["Roof leaks at the rice bank", "Dara"]]
    ours = sheet.server.sheet_values(key, "Problems (back office)")
    assert ours[0][-1] == "Back office id" and len(ours) == 7


def test_a_failed_write_is_tried_again_at_the_next_poll_and_never_raises(sheet):
    sheet.server.inject(503, times=-1, match=":batchUpdate")
    assert sheet.tick() == "read"  # the check itself is fine; the send failed and waits
    assert sheet.poller.cache.cursor().execute("SELECT outcome FROM _problem_sends").fetchall() == [("failed",)]
    sheet.server.clear_faults()
    sheet.tick()
    assert [r[0] for r in sheet.poller.cache.cursor().execute('SELECT outcome FROM _problem_sends ORDER BY "at"').fetchall()][-1] == "sent"
    assert len(open_rows(sheet.server, sheet.key)) == 6


def test_tab_without_notes_clears_the_apps_notes_and_off_writes_nothing(sheet, monkeypatch):
    sheet.tick()
    assert len(sheet.server.notes(sheet.key, "villages")) == 6
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "tab")
    assert feedback.send(sheet.poller.cache, sheet.poller.source) == "sent"
    assert sheet.server.notes(sheet.key, "villages") == {} and len(open_rows(sheet.server, sheet.key)) == 6
    monkeypatch.setenv("BACKOFFICE_PROBLEMS_IN_SHEET", "off")
    sheet.person.worksheet("villages").update_acell("B3", "Phum Pir")
    sheet.server.reset()
    sheet.tick()
    assert [c for c in sheet.server.api_calls() if c["method"] == "POST"] == []


def test_a_warning_confirmed_in_the_app_is_recorded_with_who_confirmed_it(sheet):
    from connectors.problems.confirm import confirm_as_typed, confirmable

    sheet.tick()
    choices = confirmable(sheet.poller.cache, LOCAL_ADMIN)
    assert len(choices) == 6
    done = confirm_as_typed(sheet.poller.cache, LOCAL_ADMIN, [choices.iloc[0]["ident"]])
    assert done == 1
    assert sheet.poller.cache.cursor().execute("SELECT count(*) FROM _issues WHERE severity = 'warning'").fetchone()[0] == 5
    sheet.tick()
    confirmed = problems(sheet.server, sheet.key)[-1]
    assert confirmed["Correct as typed"] is True and confirmed["First seen"].endswith(f"by {LOCAL_ADMIN.email} in the back office")
    trail = sheet.poller.cache.cursor().execute('SELECT "user", via FROM _audit').fetchall()
    assert trail == [(LOCAL_ADMIN.email, "confirmed correct as typed (in the app)")]


def test_the_tab_speaks_the_sheets_language_and_follows_it_when_it_changes(sheet, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "km")
    sheet.tick()
    rows = sheet.server.sheet_values(sheet.key, "បញ្ហា")
    assert rows[0][:3] == ["ផ្ទាំង", "ជួរ", "ជួរឈរ"] and rows[0][-1] == "Back office id"
    assert rows[1][4].startswith("ជួរ 2៖ ")  # the message in Khmer
    assert sheet.server.notes(sheet.key, "villages")["B2"].startswith("Back office:\n• ជួរ 2៖ ")
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "en")
    sheet.person.worksheet("villages").update_acell("B3", "Phum Pir")  # a change: the next check rewrites the tab
    sheet.tick()
    titles = [ws.title for ws in sheet.person.worksheets()]
    assert "Problems" in titles and "បញ្ហា" not in titles  # the same tab, renamed: its ticks and first-seen kept
    assert sheet.server.sheet_values(sheet.key, "Problems")[0][:3] == ["Tab", "Row", "Column"]


def test_a_sheet_shared_read_only_is_reported_and_not_asked_again_at_every_tick(sheet):
    sheet.server.inject(403, times=-1, match=":batchUpdate")
    sheet.tick()
    outcome, detail = sheet.poller.cache.cursor().execute('SELECT outcome, detail FROM _problem_sends').fetchone()
    assert outcome == "failed" and "share the sheet with" in detail
    sheet.server.reset()
    for _ in range(3):
        sheet.tick()
    assert [c for c in sheet.server.api_calls() if c["method"] == "POST"] == []  # it waits a minute, then longer


def test_a_problems_tab_someone_deleted_comes_back_at_the_next_check(sheet):
    sheet.tick()
    sheet.person.del_worksheet(sheet.person.worksheet("Problems"))
    assert sheet.tick() == "same"  # the data did not change: nothing is validated again, but the tab is written back
    assert len(open_rows(sheet.server, sheet.key)) == 6


def test_without_an_audit_log_tab_a_confirmation_is_in_the_apps_trail_and_nothing_is_sent_again_and_again(sheet):
    sheet.person.del_worksheet(sheet.person.worksheet("audit_log"))
    sheet.tick()
    rows = sheet.server.sheet_values(sheet.key, "Problems")
    warning = next(i for i, r in enumerate(rows) if r[-1] == "villages|12010101|village|places.name_mismatch") + 1
    sheet.person.worksheet("Problems").update_acell(f"I{warning}", True)
    sheet.tick()
    assert sheet.poller.cache.cursor().execute("SELECT via FROM _audit").fetchall() == [("confirmed correct as typed",)]
    sheet.server.reset()
    for _ in range(4):
        sheet.tick()
    assert [c for c in sheet.server.api_calls() if c["method"] == "POST"] == []
