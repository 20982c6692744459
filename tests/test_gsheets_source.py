"""GoogleSheetSource through the real gspread client, over HTTP, against the local Sheets server.

Costs are asserted from the server's request log: API calls are the quota that binds first.
"""
from __future__ import annotations

import datetime as dt

import pytest

from connectors.sources.gsheets import GoogleSheetSource, spreadsheet_key
from connectors.sources.gsheets_http import RetryPolicy
from connectors.sources.interface import CellUpdate, RowAppend, SourceError, SourceUnreachable, WriteBatch
from schemas.registry import TABS
from tests.fixtures_sheets import FAST_RETRIES, SERVICE_ACCOUNT_EMAIL, demo_grids

VILLAGES = [
    ["village_code", "village", "commune_code", "latitude", "target_village"],
    ["12010101", "Kok Thmei", "120101", 11.55, True],
    ["12010102", "Prey Veng", "120101", 11.56, False],
]


def calls(server, api=None):
    return [(r["api"], r["method"], r["path"].rsplit("/", 1)[-1]) for r in server.requests(api)]


def api_calls(server):
    return [c for c in calls(server) if c[0] != "oauth"]


# -- reading ---------------------------------------------------------------------------------------

def test_first_read_of_all_tabs_is_token_metadata_and_one_batch_get(sheets_server, make_spreadsheet, make_source, service_account_secrets):
    key = make_spreadsheet()
    source = make_source(key, secrets=service_account_secrets)
    grids = source.read()
    assert set(grids) == {t.name for t in TABS}
    log = sheets_server.requests()
    assert len(log) <= 3
    assert [r["api"] for r in log] == ["oauth", "sheets", "sheets"]
    assert log[2]["path"].endswith("values:batchGet") and len(log[2]["query"]["ranges"]) == len(TABS)
    assert log[2]["query"]["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert log[2]["query"]["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert log[2]["query"]["prettyPrint"] == ["false"]
    assert all(r["authorized"] for r in log[1:])


def test_grid_holds_raw_cells_dates_as_serials_and_sheet_ids(make_spreadsheet, make_source):
    key = make_spreadsheet({"activities": [["activity_id", "date", "female"], ["ACT-0001", dt.date(2020, 1, 1), 3]],
                            "villages": VILLAGES})
    grids = make_source(key).read(["activities", "villages", "cows"])
    assert set(grids) == {"activities", "villages"}  # cows is not in the sheet: simply absent
    activities = grids["activities"]
    assert activities.header == ["activity_id", "date", "female"]
    assert activities.rows == [["ACT-0001", 43831, 3]]
    assert activities.first_row == 2 and isinstance(activities.gid, int)
    assert grids["villages"].rows[0] == ["12010101", "Kok Thmei", "120101", 11.55, True]


def test_empty_rows_inside_keep_their_place_and_trailing_blanks_are_trimmed(make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": [VILLAGES[0], VILLAGES[1], [], ["12010103", "", "", None, None]]})
    grid = make_source(key).read(["villages"])["villages"]
    assert grid.rows == [VILLAGES[1], [], ["12010103"]]
    assert grid.sheet_row(2) == 4


def test_refresh_costs_one_call_when_unchanged_and_three_after_an_edit(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    source = make_source(key)
    token = source.version()
    source.read()
    assert len(api_calls(sheets_server)) == 3  # version, metadata, batchGet: a first refresh
    sheets_server.reset()
    assert source.version() == token
    assert api_calls(sheets_server) == [("drive", "GET", key)]  # unchanged: nothing else is read
    sheets_server.edit(key, "villages", "B2", "Kok Thmei")
    sheets_server.reset()
    assert source.version() != token
    assert source.read()["villages"].rows[0][1] == "Kok Thmei"
    assert [c[2] for c in api_calls(sheets_server)] == [key, key, "values:batchGet"]  # token, metadata (merges), values


def test_a_renamed_tab_is_found_again_after_one_metadata_refresh(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": VILLAGES, "Sheet9": [["x"]]})
    source = make_source(key)
    source.read(["villages"])
    book = sheets_server.state.get(key)
    book.sheet_named("villages").title = "old_villages"
    book.sheet_named("Sheet9").title = "villages"
    grids = source.read(["villages"])
    assert grids["villages"].header == ["x"]


# -- writing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 5, 40])
def test_a_write_of_k_cells_is_one_request_with_exactly_those_cells(sheets_server, make_spreadsheet, make_source, k):
    key = make_spreadsheet(demo_grids(50))
    source = make_source(key)
    source.sheets()  # metadata is fetched once per process, before any save
    sheets_server.reset()
    grids = source.read(["households"])  # the conflict check's read
    updates = [CellUpdate("households", (f"HO-{i:05d}",), "members", old=None, new=100 + i) for i in range(k)]
    result = source.write(WriteBatch(updates=updates), located=grids)
    assert result.cells_updated == k
    log = sheets_server.requests()
    assert [r["path"].rsplit(":", 1)[-1] for r in log] == ["batchGet", "batchUpdate"]
    body = log[1]["body"]
    members = grids["households"].header.index("members")
    sheet_id = grids["households"].gid
    assert body["requests"] == [{"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": i + 1, "columnIndex": members},
                                                 "rows": [{"values": [{"userEnteredValue": {"numberValue": 100 + i}}]}],
                                                 "fields": "userEnteredValue"}} for i in range(k)]
    stored = sheets_server.sheet_values(key, "households")
    assert [stored[i + 1][members] for i in range(k)] == [100 + i for i in range(k)]


def test_text_that_looks_like_a_formula_arrives_as_text(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": VILLAGES})
    source = make_source(key)
    formula = '=IMPORTXML("http://x","//a")'
    source.write(WriteBatch(updates=[CellUpdate("villages", ("12010101",), "village", "Kok Thmei", formula)]))
    assert sheets_server.cell(key, "villages", "B2") == formula
    assert not sheets_server.state.get(key).sheet_named("villages").formulas
    assert source.read(["villages"])["villages"].rows[0][1] == formula


def test_write_without_located_grids_reads_the_tab_first(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": VILLAGES})
    source = make_source(key)
    source.sheets()
    sheets_server.reset()
    source.write(WriteBatch(updates=[CellUpdate("villages", ("12010102",), "latitude", 11.56, 11.6)]))
    assert [c[2].rsplit(":", 1)[-1] for c in api_calls(sheets_server)] == ["batchGet", "batchUpdate"]
    assert sheets_server.cell(key, "villages", "D3") == 11.6


def test_updates_and_appends_go_in_one_batch_update(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"activities": [["activity_id", "date", "kind", "female", "facilitator"],
                                           ["ACT-0001", dt.date(2024, 3, 1), "awareness_session", 4, "Sokha"]]})
    source = make_source(key)
    grids = source.read(["activities"])
    sheets_server.reset()
    batch = WriteBatch(
        updates=[CellUpdate("activities", ("ACT-0001",), "female", 4, 5)],
        appends=[RowAppend("activities", {"activity_id": "ACT-0002", "date": dt.date(2024, 3, 2), "female": 7,
                                          "kind": "refresher_training", "facilitator": "+855 12 345 678"})],
    )
    result = source.write(batch, located=grids)
    assert (result.cells_updated, result.rows_appended) == (1, 1)
    assert [c[2].rsplit(":", 1)[-1] for c in api_calls(sheets_server)] == ["batchUpdate"]
    rows = sheets_server.sheet_values(key, "activities")
    assert rows[1][3] == 5
    assert rows[2] == ["ACT-0002", 45353, "refresher_training", 7, "+855 12 345 678"]


def test_appends_past_the_grid_are_placed_and_grown_by_google_in_the_same_request(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"users": [["email", "name", "role"], ["a@x.org", "A", "admin"]]})
    book = sheets_server.state.get(key)
    book.sheet_named("users").row_count = 2  # a grid with no empty row left
    source = make_source(key)
    grids = source.read(["users"])
    sheets_server.reset()
    appends = [RowAppend("users", {"email": f"u{i}@x.org", "name": "=1+1", "role": "viewer"}) for i in range(3)]
    source.write(WriteBatch(appends=appends, updates=[CellUpdate("users", ("a@x.org",), "role", "admin", "editor")]), located=grids)
    log = sheets_server.requests()
    assert len(log) == 1 and log[0]["path"].endswith(":batchUpdate") and "values" not in log[0]["path"]
    kinds = [next(iter(r)) for r in log[0]["body"]["requests"]]
    assert kinds == ["updateCells", "appendCells"]
    rows = sheets_server.sheet_values(key, "users")
    assert rows[1] == ["a@x.org", "A", "editor"]
    assert rows[2:] == [[f"u{i}@x.org", "=1+1", "viewer"] for i in range(3)]  # text, not a formula
    assert not book.sheet_named("users").formulas


def test_deleting_a_row_by_key(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": VILLAGES})
    source = make_source(key)
    result = source.write(WriteBatch(deletes=[("villages", ("12010101",))]))
    assert result.rows_deleted == 1
    assert sheets_server.sheet_values(key, "villages")[1][0] == "12010102"


def test_headers_are_matched_when_reordered_or_written_as_titles(sheets_server, make_spreadsheet, make_source):
    village = next(t for t in TABS if t.name == "villages")
    title = village.column("village").title
    key = make_spreadsheet({"villages": [["Target village", title, "village_code"], [True, "Kok", "12010101"]]})
    source = make_source(key)
    source.write(WriteBatch(
        updates=[CellUpdate("villages", ("12010101",), "village", "Kok", "Kok Thmei")],
        appends=[RowAppend("villages", {"village_code": "12010109", "village": "Thmor", "target_village": False})],
    ))
    assert sheets_server.sheet_values(key, "villages")[1:] == [[True, "Kok Thmei", "12010101"], [False, "Thmor", "12010109"]]


def test_an_unknown_key_writes_nothing_and_says_so(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet({"villages": VILLAGES})
    source = make_source(key)
    with pytest.raises(SourceError, match="No row in 'villages' has the key 99999999"):
        source.write(WriteBatch(updates=[CellUpdate("villages", ("99999999",), "village", "", "x")]))
    assert not [r for r in sheets_server.requests() if "Update" in r["path"]]


def test_cell_link_opens_the_tab_at_the_cell(make_spreadsheet, make_source, sheets_server):
    key = make_spreadsheet({"villages": VILLAGES})
    source = make_source(key)
    gid = sheets_server.state.get(key).sheet_named("villages").sheet_id
    assert source.cell_link("villages", "C7") == f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={gid}&range=C7"
    assert source.cell_link("nope", "A1") is None


# -- faults ----------------------------------------------------------------------------------------

def test_read_completes_under_injected_429s_and_5xx(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    source = make_source(key)
    sheets_server.inject(503, times=1, match=r"GET /v4/spreadsheets/[^/]+$")
    sheets_server.inject(429, times=2, match="values:batchGet")
    sheets_server.inject(500, times=1, match="values:batchGet")
    assert len(source.read()) == len(TABS)
    statuses = [r["status"] for r in sheets_server.requests() if r["path"].endswith("batchGet")]
    assert statuses == [429, 429, 500, 200]


def test_after_the_retry_budget_a_clear_unreachable_error(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    source = make_source(key)
    source.sheets()
    sheets_server.inject(503, times=-1, match="values:batchGet")
    with pytest.raises(SourceUnreachable, match=f"did not answer after {FAST_RETRIES.tries} tries") as caught:
        source.read()
    assert "503" in str(caught.value)
    assert len([r for r in sheets_server.requests() if r["path"].endswith("batchGet")]) == FAST_RETRIES.tries


def test_a_dropped_connection_is_retried(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    source = make_source(key)
    sheets_server.drop(times=2, match="values:batchGet")
    assert len(source.read()) == len(TABS)
    assert [r["status"] for r in sheets_server.requests() if r["path"].endswith("batchGet")] == ["dropped", "dropped", 200]


def test_connections_that_keep_dropping_end_in_unreachable(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    sheets_server.drop(times=-1, match="drive")
    with pytest.raises(SourceUnreachable, match="Could not reach Google Sheets"):
        make_source(key).version()


def test_a_slow_answer_past_the_timeout_is_retried(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()
    policy = RetryPolicy(tries=3, base_delay=0.001, max_delay=0.01, timeout=(2.0, 0.3))
    source = make_source(key, policy=policy)
    sheets_server.slow(0.8, times=1, match="drive")
    assert source.version()
    assert len(sheets_server.requests("drive")) == 2


def test_not_shared_says_which_address_to_share_with_and_shows_no_secret(sheets_server, make_spreadsheet, make_source, service_account_secrets):
    key = make_spreadsheet()
    source = make_source(key, secrets=service_account_secrets)
    sheets_server.deny()
    with pytest.raises(SourceError) as caught:
        source.read()
    message = str(caught.value)
    assert f"share the sheet with {SERVICE_ACCOUNT_EMAIL}" in message and key in message
    assert not isinstance(caught.value, SourceUnreachable)
    secret = service_account_secrets["connections"]["gsheets"]["private_key"]
    for text in (message, repr(caught.value), repr(source), source.label):
        assert "PRIVATE KEY" not in text and secret.splitlines()[1][:20] not in text
        assert "local-access-token" not in text
    assert len(sheets_server.api_calls()) == 1  # a 403 is not retried


def test_unknown_key_says_the_key_is_wrong(make_source):
    source = make_source("1" + "x" * 43)
    with pytest.raises(SourceError, match="the key is wrong"):
        source.read()
    with pytest.raises(SourceError, match="the key is wrong"):
        source.version()


# -- settings --------------------------------------------------------------------------------------

def test_from_settings_reads_the_secrets_file_and_api_base(tmp_path, monkeypatch, sheets_server, make_spreadsheet, service_account_secrets):
    key = make_spreadsheet({"villages": VILLAGES})
    conf = dict(service_account_secrets["connections"]["gsheets"], spreadsheet=f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0")
    lines = ["[connections.gsheets]"] + [f"{k} = {toml_string(v)}" for k, v in conf.items()]
    (tmp_path / "secrets.toml").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "secrets.toml"))
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    from connectors.config import source_spec
    from connectors.sources import open_source

    source = open_source(source_spec(f"gsheets:{key}"))
    assert isinstance(source, GoogleSheetSource) and source.client_email == SERVICE_ACCOUNT_EMAIL
    assert source.read(["villages"])["villages"].rows[0][0] == "12010101"
    assert GoogleSheetSource.from_settings().key == key  # the secrets' spreadsheet URL, when no location


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') + '"'


def test_without_credentials_or_api_base_the_error_names_the_settings(monkeypatch):
    monkeypatch.delenv("GSHEETS_API_BASE", raising=False)
    with pytest.raises(SourceError, match=r"\[connections.gsheets\]"):
        GoogleSheetSource.from_settings("1" + "a" * 43, secrets={}, api_base="")


def test_spreadsheet_key_from_key_or_url():
    key = "1Mt7PAP53WxrZzHTL49wbg_EOQy18omB4PD2aJLMBs2o"
    assert spreadsheet_key(key) == key
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0") == key
    with pytest.raises(SourceError, match="not a Google Sheet key"):
        spreadsheet_key("my sheet")
