"""Low-code proof: a new tab is one schema class + one registry line, and the validator, the cache, the
sync path and the generic Tables page serve it with no other change."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.store.refresh import read_check_load
from schemas.base import Bool, Date, Int, TabSchema, Text, code, column
from schemas.registry import TABS, Tab, register
from tests.factories import small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


class WaterFilter(TabSchema):
    """A household water filter handed out by the programme."""

    filter_id: Text = column("Filter ID", "Our id, e.g. WF-001.", pattern=r"^WF-\d{3,}$")
    village_code: Text = code("Village code", "Where it was installed.", 8, ref="villages.village_code")
    kind: Text = column("Kind", "ceramic or biosand.", isin=["ceramic", "biosand"])
    installed_on: Date = column("Installed on", "Day it was installed.")
    users: Int = column("Users", "People drinking from it.", ge=1, le=30)
    working: Bool = column("Working", "Yes when it worked at the last visit.")


@pytest.fixture
def water_filters(monkeypatch, tmp_path):
    saved = list(TABS)
    register(Tab("water_filters", WaterFilter, ("filter_id",), "places", "Water filters"))  # the one registry line
    book = small_book()
    book["water_filters"] = [
        ["Filter ID", "Village code", "Kind", "Installed on", "Users", "Working"],  # headers by title work too
        ["WF-001", "12010101", "ceramic", dt.date(2018, 1, 5), 5, True],
        ["WF-002", "12010102", "biosand", dt.date(2018, 2, 5), 4, "no"],
    ]
    workbook = write_xlsx(book, tmp_path / "filters.xlsx")
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(workbook))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)
    yield workbook
    TABS[:] = saved


def test_validator_cache_and_sync_serve_a_new_tab(water_filters):
    from connectors import sync
    from connectors.access import LOCAL_ADMIN
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from schemas.validate import validate_workbook

    source = WorkbookSource(water_filters)
    grids = source.read()
    frames, issues = validate_workbook(grids)
    assert frames["water_filters"].frame["working"].tolist() == [True, False]
    assert [i for i in issues if i.tab == "water_filters"] == []
    cache = Cache(":memory:")
    read_check_load(cache, source)
    assert cache.frame("water_filters")["users"].tolist() == [5, 4]
    bad = sync.save(cache, source, LOCAL_ADMIN, [sync.CellEdit("water_filters", ("WF-001",), "village_code", "12010101", "99999999")])
    assert bad.status == sync.INVALID  # the foreign key rule covers the new tab too
    assert sync.save(cache, source, LOCAL_ADMIN, appends={"water_filters": [
        {"filter_id": "WF-003", "village_code": "12010101", "kind": "ceramic", "installed_on": dt.date(2018, 3, 1), "users": 3, "working": True}
    ]}).status == sync.SAVED
    assert [r[0] for r in source.read(["water_filters"])["water_filters"].rows] == ["WF-001", "WF-002", "WF-003"]


def test_tables_page_serves_a_new_tab(water_filters):
    from connectors.sources.workbook import WorkbookSource

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/tables.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="tables_tab").set_value("water_filters").run()
    assert not at.exception, at.exception
    assert at.text_input(key="tables_add_water_filters_filter_id").value == "WF-003"
    at.session_state["tables_editor_water_filters_0"] = {"edited_rows": {1: {"users": 6}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    rows = WorkbookSource(water_filters).read(["water_filters"])["water_filters"].rows
    assert rows[1][4] == 6
