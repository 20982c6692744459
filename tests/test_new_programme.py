"""The proof of "a new programme = one schema class + one register call": tests/throwaway_programme.py
declares a programme and its tab, nothing else is touched, and the demo builder, the validator, the cache,
the registry check, provisioning, the Tables page and the gateway all serve it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.access import AccessDenied
from connectors.store.refresh import read_check_load
from schemas.registry import site, tab, unregister_programme
from tests import throwaway_programme
from tests.factories import EDITOR, VIEWER, small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Lamp ID", "Village code", "Handed on", "People", "Working"]


@pytest.fixture
def energy():
    throwaway_programme.install()
    yield tab("solar_lamps")
    unregister_programme("energy")
    assert "solar_lamps" not in site.names()


@pytest.fixture
def lamps_book(energy, tmp_path) -> Path:  # noqa: ARG001 - a fixture needs `energy` registered; usefixtures does not apply to fixtures
    book = small_book()
    book["solar_lamps"] = [HEADER, ["SL-001", "12010101", dt.date(2016, 3, 1), 5, True],
                           ["SL-002", "12010102", dt.date(2016, 4, 1), 3, "no"]]
    return write_xlsx(book, tmp_path / "lamps.xlsx")


@pytest.mark.usefixtures("energy")
def test_the_demo_builder_makes_its_frame():
    from data.build_demo import build_demo_frames

    frames = build_demo_frames()
    assert list(frames)[-1] == "solar_lamps"  # registry order: the newest tab last
    assert frames["solar_lamps"]["lamp_id"].tolist() == ["SL-001", "SL-002"]
    assert set(frames["solar_lamps"]["village_code"]) <= set(frames["villages"]["village_code"])


def test_the_registry_check_validator_and_cache_serve_it(lamps_book):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from gateway.declared import registry_problems
    from schemas.validate import validate_workbook

    assert registry_problems() == []  # its demo builder resolves, its period column is a date
    source = WorkbookSource(lamps_book)
    frames, issues = validate_workbook(source.read())
    assert frames["solar_lamps"].frame["working"].tolist() == [True, False]
    assert [i for i in issues if i.tab == "solar_lamps"] == []
    cache = Cache(":memory:")
    read_check_load(cache, source)
    assert cache.cursor().execute("SELECT lamp_id, people FROM solar_lamps ORDER BY lamp_id").fetchall() == [("SL-001", 5), ("SL-002", 3)]


@pytest.mark.usefixtures("energy")
def test_provisioning_creates_its_tab_with_its_header(sheets_server, make_spreadsheet, make_source):
    from commands import provision

    key = make_spreadsheet({"Sheet1": []})
    provision.provision(make_source(key))
    assert sheets_server.state.get(key).sheet_named("solar_lamps").values[0] == HEADER


def test_the_gateway_refuses_a_role_without_the_programme_and_serves_one_with_it(lamps_book):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from gateway import reads
    from gateway.figures import figure
    from insights.common import years_with_data

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(lamps_book))
    with pytest.raises(AccessDenied, match="may not read the 'Solar lamps' tab"):
        reads.read_tab(cache, VIEWER, "solar_lamps")
    assert reads.read_tab(cache, EDITOR, "solar_lamps")["lamp_id"].tolist() == ["SL-001", "SL-002"]
    # Its period column joins the years every dashboard offers - for the roles that may read it.
    assert 2016 in figure(cache, EDITOR, years_with_data)
    assert 2016 not in figure(cache, VIEWER, years_with_data)


def test_the_tables_page_serves_it(lamps_book, monkeypatch, tmp_path):
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(lamps_book))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/tables.py").run()
    assert "Solar lamps" in at.selectbox(key="tables_tab").options  # by its title
    at.selectbox(key="tables_tab").set_value("solar_lamps").run()
    assert not at.exception, at.exception
    assert at.text_input(key="tables_add_solar_lamps_lamp_id").value == "SL-003"
