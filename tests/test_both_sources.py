"""One suite, both sources: the demo workbook on disk and the same data in a Google Sheet served by the
local Sheets API server (real gspread over HTTP). The cache, the validation and the figures must agree,
and the Google path must cost the API calls it promises."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from insights.overview import year_results
from schemas.registry import TABS
from ui.markdown import literal

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def demo_sheet(sheets_server, demo_workbook) -> str:
    """The demo workbook loaded into a spreadsheet of the local server; its key."""
    return sheets_server.load_xlsx(str(demo_workbook), title="CCPCR demo")


@pytest.fixture(params=["workbook", "gsheets"])
def source(request, demo_workbook, make_source):
    if request.param == "workbook":
        return WorkbookSource(demo_workbook)
    return make_source(request.getfixturevalue("demo_sheet"))


def test_both_sources_load_the_same_tables_and_no_issue(source, demo_cache):
    cache = Cache(":memory:")
    result = read_check_load(cache, source)
    assert (result.errors, result.warnings) == (0, 0)
    for spec in TABS:
        ours = cache.frame(spec.name)
        expected = demo_cache.frame(spec.name)
        assert ours.equals(expected), spec.name


def test_both_sources_give_the_reports_2017_figures(source):
    cache = Cache(":memory:")
    read_check_load(cache, source)
    results = year_results(cache.cursor(), 2017)
    assert results["clinic"]["assessed"] == 11_292
    assert (results["prevention"]["villages"], results["prevention"]["communes"]) == (55, 18)


def test_a_google_refresh_costs_three_calls_then_one_when_unchanged_and_three_after_an_edit(sheets_server, demo_sheet, make_source):
    source = make_source(demo_sheet)
    cache = Cache(":memory:")
    sheets_server.reset()
    read_check_load(cache, source)
    first = [r["path"] for r in sheets_server.api_calls()]
    assert len(first) <= 3 and sum("values:batchGet" in p for p in first) == 1, first

    sheets_server.reset()
    assert read_check_load(cache, source).skipped
    assert len(sheets_server.api_calls()) == 1  # the change token only

    sheets_server.edit(demo_sheet, "rice_banks", "B2", "Teng Mao rice bank")
    sheets_server.reset()
    result = read_check_load(cache, source)
    # token, the metadata again (merged cells are not in the values, and a merge changes no value), one batchGet
    assert not result.skipped and len(sheets_server.api_calls()) == 3
    assert cache.cursor().execute("SELECT name FROM rice_banks WHERE bank_id = 'RB-01'").fetchone()[0] == "Teng Mao rice bank"


def test_injected_faults_are_retried_and_a_dead_source_keeps_the_last_good_cache(sheets_server, demo_sheet, make_source):
    from connectors.sources.interface import SourceUnreachable

    source = make_source(demo_sheet)
    cache = Cache(":memory:")
    sheets_server.inject(429, times=2, match="values:batchGet")
    sheets_server.inject(503, times=1, match="values:batchGet")
    read_check_load(cache, source)
    assert cache.cursor().execute("SELECT count(*) FROM rice_banks").fetchone()[0] == 2

    sheets_server.edit(demo_sheet, "rice_banks", "B2", "Changed")
    sheets_server.inject(503, times=50, match="values:batchGet")
    with pytest.raises(SourceUnreachable):
        read_check_load(cache, source)
    assert cache.cursor().execute("SELECT name FROM rice_banks WHERE bank_id = 'RB-01'").fetchone()[0] != "Changed"
    sheets_server.clear_faults()


def test_the_app_runs_on_a_google_sheet(monkeypatch, tmp_path, sheets_server, demo_sheet):
    monkeypatch.setenv("BACKOFFICE_SOURCE", f"gsheets:{demo_sheet}")
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "11,618 patients assessed" in text  # the Overview opens on the latest year with data, 2018
    # as the sidebar writes it: data in Markdown escaped (ui.markdown.literal), so a key with "_" reads "\\_" here
    assert literal(demo_sheet) in "\n".join(m.value for m in at.sidebar.markdown)
