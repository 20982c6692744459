"""Khmer headers: a tab headed in Khmer, its coded cells holding Khmer labels, reads the same as the English
one (workbook and local Sheets server); `provision --lang km` writes Khmer headers and Khmer dropdown labels;
a save writes a coded value the way its column holds them."""
from __future__ import annotations

import argparse

import pytest

import cli
from commands import provision as command
from connectors import sync
from connectors.sources.workbook import WorkbookSource
from connectors.sync import CellEdit
from schemas.base import khmer_title, match_headers
from schemas.registry import TABS, tab
from schemas.validate import validate_workbook
from tests.factories import EDITOR, SOURCES, Env, small_book, write_xlsx


def in_khmer(book: dict[str, list[list]]) -> dict[str, list[list]]:
    """The book headed with the columns' Khmer titles, each coded cell holding its Khmer label."""
    out = {}
    for name, (header, *rows) in book.items():
        specs = [tab(name).column(h) for h in header]
        out[name] = [[khmer_title(s) for s in specs]] + [
            [s.label(v, "km") or v if isinstance(v, str) and s.labels else v for s, v in zip(specs, row, strict=False)] for row in rows]
    return out


def read(kind: str, book: dict, tmp_path, request, name: str):
    if kind == "workbook":
        return WorkbookSource(write_xlsx(book, tmp_path / f"{name}.xlsx")).read()
    key = request.getfixturevalue("make_spreadsheet")(book)
    return request.getfixturevalue("make_source")(key).read()


def comparable(grids):
    frames, issues = validate_workbook(grids)
    return ({name: found.frame for name, found in frames.items()},
            [(i.tab, i.row, i.cell, i.rule, i.severity, i.value) for i in issues if i.rule != "tab.missing"])


@pytest.mark.parametrize("kind", [s if isinstance(s, str) else s.values[0] for s in SOURCES])
def test_a_tab_headed_in_khmer_reads_the_same_as_the_english_one(kind, tmp_path, request):
    english = small_book()
    khmer = in_khmer(english)
    assert khmer["rice_ledger"][0][:5] == ["លេខសម្គាល់ប្រតិបត្តិការ", "កាលបរិច្ឆេទ", "លេខសម្គាល់ធនាគារស្រូវ", "ប្រភេទ", "គីឡូ"]
    assert khmer["rice_ledger"][2][3] == "ខ្ចីស្រូវ" and khmer["households"][1][2] == "ស្រី"
    frames_en, issues_en = comparable(read(kind, english, tmp_path, request, "english"))
    frames_km, issues_km = comparable(read(kind, khmer, tmp_path, request, "khmer"))
    assert [i[:5] for i in issues_km] == [i[:5] for i in issues_en]
    assert not [i for i in issues_km if i[3].startswith(("header.", "value.not_allowed"))]
    for name, frame in frames_en.items():
        assert frames_km[name].equals(frame), name


def test_every_column_has_a_khmer_title_of_its_own_in_its_tab():
    for registered in TABS:
        titles = [khmer_title(c) for c in registered.columns]
        assert len(set(titles)) == len(titles), registered.name
        assert not [c.title for c in registered.columns if khmer_title(c) == c.title], registered.name


def test_provision_in_khmer_writes_khmer_headers_and_khmer_dropdown_labels(sheets_server, make_spreadsheet, make_source,
                                                                             monkeypatch, tmp_path, capsys):
    key = make_spreadsheet({"Sheet1": []})
    monkeypatch.setenv("GSHEETS_API_BASE", sheets_server.base_url)
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "none.toml"))
    workbook = write_xlsx(small_book(), tmp_path / "small.xlsx")
    assert cli.main(["provision", "--source", f"gsheets:{key}", "--from", str(workbook), "--lang", "km"]) == 0
    book = sheets_server.state.get(key)
    ledger = book.sheet_named("rice_ledger")
    assert ledger.values[0] == [khmer_title(c) for c in tab("rice_ledger").columns]
    kind = [c.name for c in tab("rice_ledger").columns].index("kind")
    dropdown = next(rule for grid, rule in ledger.validations if grid["startColumnIndex"] == kind)
    assert [v["userEnteredValue"] for v in dropdown["condition"]["values"]] == ["អំណោយ", "ខ្ចីស្រូវ", "សងស្រូវ", "ខូចខាត", "លក់"]
    assert ledger.values[2][kind] == "ខ្ចីស្រូវ"  # the workbook's "loan", as the Khmer dropdown holds it
    english = validate_workbook(WorkbookSource(workbook).read())[0]
    khmer = validate_workbook(make_source(key).read())[0]
    for name in ("households", "rice_banks", "rice_ledger", "villages"):
        assert khmer[name].frame.equals(english[name].frame), name
    capsys.readouterr()
    assert command.run(argparse.Namespace(source=f"gsheets:{key}", workbook=None, lang="km")) == 0
    assert "Nothing needed changing" in capsys.readouterr().out


@pytest.fixture(params=SOURCES)
def khmer_env(request, tmp_path) -> Env:
    return Env(request.param, tmp_path, request, in_khmer(small_book()))


def held(env: Env, tab_name: str, key: str, column: str):
    """A cell as the sheet holds it, found through its (Khmer) headers."""
    grid = env.source.read([tab_name])[tab_name]
    columns = match_headers(tab(tab_name).schema, grid.header)
    row = next(r for r in grid.rows if r[columns[tab(tab_name).key[0]]] == key)
    return row[columns[column]]


def test_a_save_under_a_khmer_header_writes_the_khmer_label_and_reads_back_the_code(khmer_env):
    result = sync.save(khmer_env.cache, khmer_env.source, EDITOR, [
        CellEdit("households", ("HH-0042",), "poverty_level", "id_poor_2", "near_poor"),
        CellEdit("households", ("HH-0042",), "members", 4, 5)])
    assert result.status == sync.SAVED, result.message
    assert held(khmer_env, "households", "HH-0042", "poverty_level") == "ជិតក្រីក្រ"  # as the Khmer dropdown holds it
    assert held(khmer_env, "households", "HH-0042", "members") == 5
    assert khmer_env.cached("households", "HH-0042", "poverty_level") == "near_poor"
    again = sync.save(khmer_env.cache, khmer_env.source, EDITOR, [
        CellEdit("households", ("HH-0042",), "poverty_level", "near_poor", "id_poor_1")])
    assert again.status == sync.SAVED, again.message  # the label read back is the code the user started from
    assert held(khmer_env, "households", "HH-0042", "poverty_level") == "ក្រីក្រកម្រិត ១"
