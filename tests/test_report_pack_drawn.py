"""The donor pack draws what it tables (issue 24): for 2017 and 2018, in English and Khmer, every bar, point
and hidden-count mark of every PDF chart - read back from the rendered chart (vl-convert's scenegraph: the
marks' geometry against the axis, their colour against the legend) - equals its row of the chart's own table
in the XLSX, where counts are numbers and a hidden one is "<5" in its own cell. And the Khmer pack, as
pdftotext reads it, holds no English sentence of the catalog and no English month name."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import vl_convert as vlc
from babel.messages.pofile import read_po

from connectors.access import LOCAL_ADMIN
from reports.charts import chart_spec
from reports.files import build_pack, pack_bytes
from schemas.i18n import language
from tests.factories import ROOT, sheet_blocks

KHMER = re.compile("[\u1780-\u17ff]")
CASES = [(2017, "en"), (2017, "km"), (2018, "en"), (2018, "km")]


@pytest.fixture(scope="module")
def packs(demo_cache):
    return {case: build_pack(demo_cache, LOCAL_ADMIN, case[0], case[1]) for case in CASES}


def _marks(node, found: list) -> list:
    if isinstance(node, dict):
        if node.get("marktype"):
            found.append(node)
        for value in node.values():
            _marks(value, found)
    elif isinstance(node, list):
        for value in node:
            _marks(value, found)
    return found


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def drawn(spec: dict) -> dict[tuple[int, str | None], object]:
    """(month, category) -> the value drawn there (a bar's height or a point's place, read against the y axis)
    or the mark written there ("<5"); months by the x axis' labels, categories by the legend's colours."""
    marks = _marks(vlc.vegalite_to_scenegraph(spec)["scenegraph"], [])
    labels = [m for m in marks if m.get("role") == "axis-label"]
    months = next(m["items"] for m in labels if len(m["items"]) == 12)  # Jan..Dec, in the pack's language
    ticks = next([(it["y"], _number(it["text"])) for it in m["items"]] for m in labels if m is not None and all(
        re.fullmatch(r"[\d,]+", it["text"]) for it in m["items"]))
    colours = {}
    symbols = [it["fill"] for m in marks if m.get("role") == "legend-symbol" for it in m["items"]]
    names = [it["text"] for m in marks if m.get("role") == "legend-label" for it in m["items"]]
    colours = dict(zip(symbols, names, strict=False))
    (y0, v0), (y1, v1) = min(ticks), max(ticks)
    per_pixel = (v1 - v0) / (y1 - y0) if len(ticks) > 1 else 0.0  # negative: values grow upwards

    def month(x: float) -> int:
        return min(range(12), key=lambda i: abs(months[i]["x"] - x)) + 1

    seen: dict[tuple[int, str | None], object] = {}
    for mark in (m for m in marks if m.get("role") == "mark"):
        for item in mark["items"]:
            colour = item.get("fill") or item.get("stroke")
            category = colours.get(colour)
            if mark["marktype"] == "rect":
                where, value = month(item["x"] + item["width"] / 2), round(-item["height"] * per_pixel, 6)
            elif mark["marktype"] == "symbol":
                where, value = month(item["x"]), round(v0 + (item["y"] - y0) * per_pixel, 6)
            elif mark["marktype"] == "text":
                where, value = month(item["x"]), item["text"]
            else:
                continue  # a line joins the points already read
            key = (where, category)
            assert key not in seen, f"two marks for {key}"
            seen[key] = value
    return seen


def tabled(rows: list[tuple]) -> tuple[dict[tuple[int, str | None], object], list]:
    """The chart's table in the XLSX -> (month, category) -> its count or mark; and every value cell."""
    header, *body = rows
    width = len([h for h in header if h is not None])  # the sheet's rows are as wide as its widest table
    found, values = {}, []
    for row in (r[:width] for r in body):
        when = next(v for v in row if isinstance(v, (dt.date, dt.datetime)))
        measure = row[-1]
        category = next((v for v in row[:-1] if isinstance(v, str)), None)
        found[(when.month, category)] = measure
        values.append(measure)
    return found, values


@pytest.mark.parametrize("year, lang", CASES, ids=[f"{y}-{lang}" for y, lang in CASES])
def test_every_number_drawn_in_a_pdf_chart_is_its_xlsx_table(packs, year, lang):
    pack = packs[(year, lang)]
    book = openpyxl.load_workbook(io.BytesIO(pack_bytes(pack, "xlsx")))
    charted = [p for p in pack.programmes if p.chart is not None]
    assert len(charted) == 5
    for programme in charted:
        with language(lang):
            shown = drawn(chart_spec(programme.chart, programme.title))
        table, values = tabled(sheet_blocks(book[programme.title[:31]])[programme.chart_table])
        assert table, programme.title
        # Counts stay numbers; a hidden one is its mark, alone in its cell, and nothing else is text.
        assert all(isinstance(v, (int, float)) or v == "<5" for v in values), (programme.title, values)
        assert shown.keys() == table.keys(), (programme.title, sorted(set(shown) ^ set(table), key=str))
        for key, value in table.items():
            if isinstance(value, str):
                assert shown[key] == value, (programme.title, key)
            else:
                assert shown[key] == pytest.approx(value, rel=1e-6, abs=1e-6), (programme.title, key, shown[key], value)


def test_the_cow_bank_chart_of_2018_marks_its_hidden_months_and_its_text_agrees(packs):
    # Every month's pass-ons and sales were below 5: the chart writes "<5" where each would be, never empty.
    cows = next(p for p in packs[(2018, "en")].programmes if p.title == "Cow bank")
    with language("en"):
        shown = drawn(chart_spec(cows.chart, cows.title))
    assert shown and set(shown.values()) == {"<5"}
    assert {category for _month, category in shown} == {"Passed on", "Sold"}
    assert "13 calves passed on" in cows.sentences[0]


def _english_fragments() -> list[str]:
    with (ROOT / "locale" / "km" / "LC_MESSAGES" / "backoffice.po").open("rb") as po:
        catalog = read_po(po, locale="km")
    fragments = set()
    for message in catalog:
        if not message.string or not message.id:
            continue
        for msgid in [message.id] if isinstance(message.id, str) else list(message.id):
            for piece in re.split(r"\{[^}]*\}|\*\*|`[^`]*`|'[^']*'", msgid):
                piece = piece.strip(" .,:;—–()'\"")
                if len(piece) >= 12 and " " in piece and not KHMER.search(piece):
                    fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
                    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")


@pytest.mark.parametrize("year", [2017, 2018])
def test_the_khmer_pdf_has_no_english_sentence_and_no_english_month(tmp_path, packs, year):
    import subprocess

    path = tmp_path / f"pack-{year}-km.pdf"
    path.write_bytes(pack_bytes(packs[(year, "km")], "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    fragments = _english_fragments()
    assert len(fragments) > 300
    assert not [f for f in fragments if f in words], words
    assert not MONTHS.findall(text), MONTHS.findall(text)
    # The charts' month names are Khmer too: they are images, so read them from the very spec the PDF draws.
    for programme in (p for p in packs[(year, "km")].programmes if p.chart is not None):
        with language("km"):
            labels = [it["text"] for m in _marks(vlc.vegalite_to_scenegraph(chart_spec(programme.chart, programme.title))["scenegraph"], [])
                      if m.get("role") in ("axis-label", "legend-label", "axis-title", "legend-title", "title-text") for it in m["items"]]
        assert not [t for t in labels if MONTHS.search(t) or (re.search("[A-Za-z]{4}", t) and t not in _data_names(packs[(year, "km")]))], labels


def _data_names(pack) -> set[str]:
    """What the records themselves name (a bank's name): kept as staff typed it."""
    return {str(v) for p in pack.programmes for frame in p.tables.values() for v in frame.to_numpy().ravel() if isinstance(v, str)}
