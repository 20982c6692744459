"""The Google Sheet's key and address are an admin's only: with a sheet shared by link, whoever has them reads
every name in it. Through the real runtime (AppTest) and the real gspread client against the local Sheets
server: every page a viewer or an editor can open, their downloads, the sidebar and the freshness
line hold neither the key nor a link into the sheet; an admin's do (so the search can find them)."""
from __future__ import annotations

import shutil

import pytest

from tests.factories import EMAIL, PAGES, signed_in, texts, type_in_cells


@pytest.fixture
def sheet_app(monkeypatch, tmp_path, demo_workbook, sheets_server) -> str:
    """The app on the demo held by the local Sheets server, with one mistake (so Data quality links a cell) -> its key."""
    workbook = tmp_path / "demo.xlsx"
    shutil.copy(demo_workbook, workbook)
    type_in_cells(workbook, {"rice_ledger": {"E3": -50}})
    key = sheets_server.load_xlsx(str(workbook))
    monkeypatch.setenv("BACKOFFICE_SOURCE", f"gsheets:{key}")
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    return key


def everything_sent(role: str, downloads: list[bytes]) -> str:
    at = signed_in(EMAIL[role])
    seen = [texts(at)]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen.append(texts(at))
    # Markdown escapes taken out, so a key whose "_" was sent as "\_" is found all the same.
    return "\n".join(seen + [data.decode("utf-8", "replace") for data in downloads]).replace("\\", "")


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_no_page_or_download_of_a_non_admin_holds_the_sheets_key_or_address(sheet_app, downloads, role):
    sent = everything_sent(role, downloads)
    assert "Google Sheet •••" in sent  # where the source is named (sidebar, freshness line), without its key
    assert sheet_app not in sent
    assert "docs.google.com" not in sent


def test_an_admin_sees_the_key_and_the_links_to_the_cells(sheet_app, downloads):
    sent = everything_sent("admin", downloads)
    assert f"Google Sheet {sheet_app}" in sent
    assert f"https://docs.google.com/spreadsheets/d/{sheet_app}/edit#gid=" in sent  # Data quality's link to the cell
