"""Whatever staff type in the settings tab, every page renders, with the default, and says so under the
figures that use the setting: on a copy of the demo workbook with the values from issue 23, under the real
Streamlit runtime, as the local admin and as a viewer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.interface import CellUpdate, WriteBatch
from connectors.sources.workbook import WorkbookSource
from tests.conftest import app_on
from tests.factories import EMAIL, signed_in, texts

ROOT = Path(__file__).resolve().parent.parent
SEE = " — see Data quality."

NOTES = {
    ("riel_per_usd", "abc"): "riel_per_usd in the settings tab is 'abc', not a number: 4,000 is used" + SEE,
    ("riel_per_usd", 0): "riel_per_usd in the settings tab is 0, less than 1,000: 4,000 is used" + SEE,
    ("mobile_clinic_days_per_week", "three"): "mobile_clinic_days_per_week in the settings tab is 'three', not a number: 3 is used" + SEE,
    ("age_bands", "0-5,x"): ("age_bands in the settings tab is '0-5,x', not a list of age bands (such as 0-5,6-12,13-17,18+: from the "
                             "youngest up, only the last one open): 0-5,6-12,13-17,18+ is used" + SEE),
    ("rice_lean_months", "7,8,x"): ("rice_lean_months in the settings tab is '7,8,x', not a list of months (numbers from 1 to 12 separated "
                                    "by commas, such as 7,8,9,10): 7,8,9,10 is used" + SEE),
    ("cow_pass_on_calves", "inf"): "cow_pass_on_calves in the settings tab is 'inf', not a number: 2 is used" + SEE,
    ("small_count_threshold", "inf"): "small_count_threshold in the settings tab is 'inf', not a number: 5 is used" + SEE,
    ("small_count_threshold", "1e999"): "small_count_threshold in the settings tab is '1e999', not a number: 5 is used" + SEE,
}
# Two workbooks hold every case (a key has one value per workbook); the pages that read each setting.
BOOKS = {
    "first": {"riel_per_usd": "abc", "mobile_clinic_days_per_week": "three", "age_bands": "0-5,x", "rice_lean_months": "7,8,x",
              "cow_pass_on_calves": "inf", "small_count_threshold": "inf"},
    "second": {"riel_per_usd": 0, "small_count_threshold": "1e999"},
}
READERS = {"riel_per_usd": ["pages/overview.py", "pages/savings.py", "pages/clinic.py"],
           "mobile_clinic_days_per_week": ["pages/clinic.py"], "age_bands": ["pages/clinic.py"],
           "rice_lean_months": ["pages/rice_bank.py"], "cow_pass_on_calves": ["pages/cow_bank.py"],
           "small_count_threshold": ["pages/overview.py", "pages/savings.py", "pages/clinic.py", "pages/rice_bank.py", "pages/cow_bank.py"]}


@pytest.fixture(params=list(BOOKS))
def bad_settings(request, monkeypatch, tmp_path, demo_workbook):
    path = tmp_path / "settings.xlsx"
    path.write_bytes(demo_workbook.read_bytes())
    typed = BOOKS[request.param]
    WorkbookSource(path).write(WriteBatch(updates=[CellUpdate("settings", (key,), "value", None, value) for key, value in typed.items()]))
    app_on(path, monkeypatch, tmp_path)
    return typed


def _notes(at: AppTest) -> set[str]:
    """The notes as a reader sees them: data in a note is escaped for Markdown (ui.markdown.literal)."""
    return {re.sub(r"\\(.)", r"\1", c.value.removeprefix(":material/warning: "))
            for c in at.caption if c.value.startswith(":material/warning:")}


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [str(c.value) for c in at.caption])


def test_every_page_that_reads_a_bad_setting_renders_with_the_default_and_says_so(bad_settings):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    pages = sorted({page for key in bad_settings for page in READERS[key]})
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        shown = _notes(at)
        expected = {NOTES[(key, value)] for key, value in bad_settings.items() if page in READERS[key]}
        assert expected <= shown, (page, expected - shown)
        assert not {n for n in shown if "settings tab" in n} - expected, page  # no note for a setting the page does not read
        if page == "pages/savings.py":
            assert "at 4,000 riel per dollar, the rate in the settings tab" in _texts(at)
        if page == "pages/clinic.py" and "mobile_clinic_days_per_week" in bad_settings:
            assert "fell short of the target of 3 days" in _texts(at)


def test_a_viewer_sees_every_page_with_small_counts_hidden_at_the_default(bad_settings):
    at = signed_in(EMAIL["viewer"])
    for page in ("pages/overview.py", "pages/clinic.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert NOTES[("small_count_threshold", bad_settings["small_count_threshold"])] in _notes(at)
    assert "<5" in texts(at)  # small counts hidden at the default threshold, in the tables sent
