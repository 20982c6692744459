"""A large read goes as a few values:batchGet calls at once (row slices of the large tabs), and gives
exactly the grids of the one-call read; a tab that grew meanwhile is read again whole, nothing missed."""
from __future__ import annotations

import connectors.sources.gsheets as gsheets
from connectors.sources.gsheets import MAX_PARTS
from connectors.sources.interface import RowAppend, WriteBatch

VILLAGES = [["village_code", "village", "commune_code", "latitude", "target_village"]] + [
    [f"120101{i:02d}", f"Village {i}", "120101", 11.5, i % 2 == 0] for i in range(1, 61)
]
VILLAGES[30] = []  # an empty row inside, near a slice's end
VILLAGES[40] = ["12010140"]  # a short row


def _batch_gets(server) -> list[dict]:
    return [r for r in server.requests() if r["path"].endswith("values:batchGet")]


def test_a_split_read_gives_the_same_grids_in_a_few_calls(sheets_server, make_spreadsheet, make_source, monkeypatch):
    monkeypatch.setattr(gsheets, "LARGE_TAB", 10)  # these small grids count as large
    key = make_spreadsheet({"villages": VILLAGES, "users": [["email", "name", "role"], ["a@x.org", "A", "viewer"]]})
    whole = make_source(key).read(["villages", "users"])
    assert len(_batch_gets(sheets_server)) == 1
    sheets_server.reset()

    split = make_source(key)
    split.split_cells = 100  # the villages grid is cut into row slices
    grids = split.read(["villages", "users"])
    gets = _batch_gets(sheets_server)
    assert 2 <= len(gets) <= MAX_PARTS
    assert any("!" in r for g in gets for r in g["query"]["ranges"])  # row slices, e.g. villages!1:40
    metadata = [r for r in sheets_server.requests() if r["api"] == "sheets" and not r["path"].endswith("batchGet")]
    assert len(metadata) == 2  # the first fetch, and the fresh one beside the parts
    for name in ("villages", "users"):
        assert (grids[name].header, grids[name].rows) == (whole[name].header, whole[name].rows)
    assert grids["villages"].rows[29] == [] and grids["villages"].rows[-1] == VILLAGES[-1]


def test_rows_added_after_the_metadata_are_not_missed(sheets_server, make_spreadsheet, make_source, monkeypatch):
    monkeypatch.setattr(gsheets, "LARGE_TAB", 10)
    key = make_spreadsheet({"villages": VILLAGES})
    reader = make_source(key)
    reader.split_cells = 100
    reader.sheets()  # the metadata is kept from here on
    grown_rows = reader.sheets()["villages"]["gridProperties"]["rowCount"] - len(VILLAGES) + 5  # past the grid's end
    other = make_source(key)
    other.write(WriteBatch(appends=[RowAppend("villages", {"village_code": f"120199{i:02d}", "village": f"New {i}"})
                                    for i in range(grown_rows)]))
    grid = reader.read(["villages"])["villages"]
    assert [row[0] for row in grid.rows[-grown_rows:]] == [f"120199{i:02d}" for i in range(grown_rows)]
    assert len(grid.rows) == len(VILLAGES) - 1 + grown_rows



def test_a_workbook_of_empty_default_grids_is_still_one_call(sheets_server, make_spreadsheet, make_source):
    key = make_spreadsheet()  # the demo: twenty tabs, most on Google's 1000 x 26 grid
    source = make_source(key)
    source.split_cells = 100
    source.read()
    assert len(_batch_gets(sheets_server)) == 1
