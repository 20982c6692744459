"""The donor pack (`cli.py report --format md|xlsx|pdf --out FILE [--lang km]`): the report's figures in a PDF
with its charts embedded, Khmer shaped in the embedded font, an XLSX whose figures are the Markdown's,
small counts hidden and no personal value of the demo in any file, whoever builds it."""
from __future__ import annotations

import re
import subprocess
import sys
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from connectors.access import LOCAL_ADMIN, MASK, User
from data.demo_admin import USERS
from gateway.figures import published_figure
from insights.overview import year_results
from insights.overview_charts import monthly_figures, programme_charts
from reports.files import build_pack, write_pack
from reports.pack import PersonalDataInPack, _refuse_personal
from tests.factories import all_personal_values, pdf_images, pdf_text, sheet_blocks

ROOT = Path(__file__).resolve().parent.parent
EMAIL = {role: email for email, _name, role in USERS}


def report(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "report", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600)


def pdf_fonts(path: Path) -> list[str]:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]


def to_unicode_maps(path: Path) -> list[str]:
    """The texts the PDF's ToUnicode maps give each glyph (one glyph drawn for a whole cluster: several characters)."""
    data, found = path.read_bytes(), []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            text = zlib.decompress(stream).decode("latin-1")
        except zlib.error:  # fpdf2 writes some streams (the ToUnicode maps among them) uncompressed
            text = stream.decode("latin-1")
        if "beginbfchar" in text:
            found += [bytes.fromhex(hex_text).decode("utf-16-be") for hex_text in re.findall(r"<[0-9A-F]{4}> <([0-9A-F]+)>", text)]
    return found


@pytest.fixture(scope="module")
def packs(tmp_path_factory, demo_cache) -> dict[str, Path]:
    """The packs of 2017 and 2018 in every format and both languages, built as the server's admin (as the CLI does)."""
    out = tmp_path_factory.mktemp("packs")
    files = {}
    for year, lang in ((2017, "en"), (2018, "en"), (2018, "km")):
        pack = build_pack(demo_cache, LOCAL_ADMIN, year, lang)
        for fmt in ("md", "xlsx", "pdf"):
            path = out / f"pack-{year}-{lang}.{fmt}"
            write_pack(pack, fmt, path)
            files[f"{year}-{lang}.{fmt}"] = path
    return files


def test_report_format_pdf_on_the_demo_holds_the_seed_figures_and_the_charts(tmp_path, demo_workbook, demo_cache):
    out = tmp_path / "ccpcr-2017.pdf"
    run = report("--year", 2017, "--source", demo_workbook, "--format", "pdf", "--out", out)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and f"Wrote {out}" in run.stderr
    text = pdf_text(out)
    for figure in ["In 2017, prevention activities reached 55 villages in 18 communes of 11 districts in 3 provinces "
                   "(Kampong Thom, Koh Kong and Svay Rieng)",
                   "11,292 patients assessed (one assessment per visit): 375 hospitalised, 2,954 treated as out-patients, 7,963 checked by the mobile team",
                   "2,261 aged 0–5 and 3,606 aged 6–12; 300 new patients",
                   "Health education: 40 sessions in 17 villages", "From the programme's records, read"]:
        assert figure in text, text
    # For donors: no command, no file or sheet name, no row count.
    assert not [word for word in ("cli.py", "validate", "demo.xlsx", "Workbook", "Rows read", "tab '") if word in text], text
    charts = programme_charts(monthly_figures(demo_cache.cursor(), 2017))
    assert len(pdf_images(out)) == len(charts) == 5


def test_the_2018_pack_holds_savings_rice_and_cows_in_every_format(packs):
    text = pdf_text(packs["2018-en.pdf"])
    markdown = packs["2018-en.md"].read_text(encoding="utf-8")
    for figure in ["139,791,300 riel ($34,947.83 at 4,000 riel per dollar)", "18,500 kg in stock on 31 Dec 2018",
                   "13,000 kg donated in 2018 (first on 26 Apr 2018)", "By the end of 2018: 30 founding cows + 25 calves born since (sold and dead ones included)."]:
        assert figure in text and figure in markdown
    assert len(pdf_images(packs["2018-en.pdf"])) == 5
    # The Markdown's charts are SVG files beside it, linked from it.
    links = re.findall(r"!\[[^]]+\]\(([^)]+\.svg)\)", markdown)
    assert len(links) == 5 and all((packs["2018-en.md"].parent / name).read_text().startswith("<svg") for name in links)


def test_with_lang_km_the_pdf_embeds_the_khmer_font_and_its_text_is_khmer_shaped(packs):
    path = packs["2018-km.pdf"]
    fonts = pdf_fonts(path)
    assert fonts and all("NotoSansKhmer" in line and line.split()[-5:-3] == ["yes", "yes"] for line in fonts), fonts  # emb, sub
    assert "ធនាគារគោ" in pdf_text(path)  # the Cow bank's heading: the pack is in Khmer
    # Shaped: HarfBuzz drew the cluster ស្ត្រ (two subscript consonants) as one glyph run whose text is the whole
    # cluster; unshaped, every character would be its own glyph.
    assert "ស្ត្រ" in to_unicode_maps(path)


def _markdown_sections(text: str) -> dict[str, list[str]]:
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif current is not None and line.startswith("- "):
            current.append(line[2:])
    return sections


def _numbers_stated(sentence: str, year: int) -> list[float]:
    """The figures a sentence states: not dates, age bands, IDs, the year or a hidden "<5"."""
    sentence = re.sub(r"\d{1,2} [A-Z][a-z]{2} \d{4}|\d+–\d+|[A-Z]+-\d+|<\d+|\d+\+", " ", sentence)
    found = [t.replace(",", "").replace("$", "") for t in re.findall(r"\$?\d[\d,]*(?:\.\d+)?%?", sentence)]
    return [float(t.rstrip("%")) / (100 if t.endswith("%") else 1) for t in found if t != str(year)]


def _matches(stated: float, value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return any(abs(stated - round(value, digits)) < 1e-9 for digits in (0, 1, 2)) or abs(stated - round(value, 2)) < 0.005


@pytest.mark.parametrize("year", [2017, 2018])
def test_the_xlsx_opens_and_its_figures_equal_the_markdowns(packs, year):
    sections = _markdown_sections(packs[f"{year}-en.md"].read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(packs[f"{year}-en.xlsx"])
    programmes = [s for s in sections if s not in ("About these figures", "What the figures leave out")]
    assert book.sheetnames == ["About", *programmes]
    for programme in programmes:
        blocks = sheet_blocks(book[programme])
        assert [r[0] for r in blocks["Results"]] == sections[programme]  # the same sentences, word for word
        values = [v for title, rows in blocks.items() if title != "Results" for row in rows for v in row]
        for sentence in sections[programme]:
            for stated in _numbers_stated(sentence, year):
                assert any(_matches(stated, v) for v in values), (programme, sentence, stated)
    figures = {r[0]: r[1] for r in sheet_blocks(book["Clinic"])["Figures"][1:]}
    assert figures["Patients assessed (visits)"] == (11_292 if year == 2017 else 11_618)
    about = [r[0] for r in sheet_blocks(book["About"])["About these figures"]]
    assert about == sections["About these figures"]
    assert "Figures" not in sheet_blocks(book["Rice bank"])  # its results are tables only: no empty "Figures" table
    stock = sheet_blocks(book["Rice bank"])["Stock at the year's end"]
    header = [h for h in stock[0] if h is not None]
    assert set(header) == {"Bank ID", "Capacity (kg)", "Name", "Stock (kg)"}
    assert isinstance(stock[1][header.index("Stock (kg)")], (int, float))  # a number a spreadsheet sums
    kinds = [r[0] for r in sheet_blocks(book["Savings groups"])["Groups"][1:]]
    assert set(kinds) <= {"Saving group", "Agricultural cooperative"} and kinds  # labels, never codes
    fonts = {c.font.name for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Noto Sans Khmer"}  # Khmer shows where no Khmer font is installed


def test_the_pack_hides_small_counts_even_when_an_admin_builds_it(packs):
    book = openpyxl.load_workbook(packs["2018-en.xlsx"])
    figures = {r[0]: r[1] for r in sheet_blocks(book["Cow bank"])["Figures"][1:]}
    assert figures["Calves born"] == "<5" and figures["Calves passed on"] == 13  # 4 calves born in 2018: hidden for donors
    assert "<5 calves born" in packs["2018-en.md"].read_text(encoding="utf-8")


def _everything_in(paths: list[Path]) -> str:
    texts = []
    for path in paths:
        if path.suffix == ".pdf":
            texts.append(pdf_text(path))
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            texts += [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_no_personal_value_of_the_demo_is_in_any_file(packs, demo_frames):
    personal = all_personal_values(demo_frames)
    assert len(personal) > 100  # the search has something to find: names, phones, patient and child codes
    files = [*packs.values(), *(p for p in packs["2018-en.md"].parent.glob("*.svg"))]
    everything = _everything_in(files)
    assert not sorted(v for v in personal if v in everything)[:10]


def test_a_pack_is_read_as_the_users_role_may_read_and_shown_as_to_a_viewer(demo_cache):
    clinic = published_figure(demo_cache, User(EMAIL["clinic"], "clinic"), year_results, 2018)
    assert set(clinic) - {"year", "left_out", "settings_refused"} == {"clinic", "health_education"}
    admin = published_figure(demo_cache, LOCAL_ADMIN, year_results, 2018)
    assert admin["cow_bank"]["born"] == "<5" and admin["cow_bank"]["passed_on"] == 13
    pack = build_pack(demo_cache, User(EMAIL["clinic"], "clinic"), 2018, "en")
    assert [p.title for p in pack.programmes] == ["Clinic", "Health education"]


def test_a_personal_data_column_that_reached_the_pack_unmasked_stops_it():
    _refuse_personal(pd.DataFrame({"patient_code": [MASK, None], "visits": [3, 4]}), {"patient_code"}, "Clinic")
    with pytest.raises(PersonalDataInPack, match="'patient_code' reached the Clinic part of the pack unmasked"):
        _refuse_personal(pd.DataFrame({"patient_code": ["P-000123"], "visits": [3]}), {"patient_code"}, "Clinic")


def test_unusable_pack_options_exit_2_with_a_clear_message_and_write_nothing(tmp_path, demo_workbook):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cases = [
        (["--format", "docx", "--out", tmp_path / "p.docx"], "invalid choice: 'docx' (choose from 'md', 'xlsx', 'pdf')"),
        (["--format", "pdf"], "--format pdf writes a file: add --out FILE, e.g. --out ccpcr-2017.pdf."),
        (["--out", tmp_path / "p.txt"], "Cannot tell the format of"),
        (["--out", blocker / "p.pdf"], f"Cannot write the pack to '{blocker / 'p.pdf'}': the folder '{blocker}' does not exist."),
        (["--out", tmp_path], f"Cannot write the pack to '{tmp_path}': it is a folder."),
        (["--format", "md", "--show-personal-data"], "a donor pack never holds personal data"),
    ]
    for args, message in cases:
        run = report("--year", 2017, "--source", demo_workbook, *args)
        assert run.returncode == 2 and message in run.stderr, (args, run.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_flawed_sources_pack_lists_its_data_problems_and_exits_1(tmp_path, flawed_workbook):
    problems = ["Prevention activities: 1 record could not be used", "Savings ledger: 1 record could not be used",
                "Cows: not available", "Rice ledger: 1 record could not be used", "Clinic visits: 1 record could not be used"]
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"flawed.{fmt}"
        run = report("--year", 2017, "--source", flawed_workbook, "--out", out)
        assert run.returncode == 1, run.stderr
        if fmt == "xlsx":
            book = openpyxl.load_workbook(out)
            assert [r[0] for r in sheet_blocks(book["About"])["What the figures leave out"]] == problems
            assert [r[0] for r in sheet_blocks(book["Cow bank"])["Left out"]] == [
                "Records of Cows were not available: the figures that need them are left out."]
        else:
            text = pdf_text(out)
            assert text.index("What the figures leave out") < text.index("Prevention • In 2017")
            assert all(f"• {problem}" in text for problem in problems), text
            assert "8,403 kg in stock on 31 Dec 2017" in text
            assert "cli.py" not in text and "tab '" not in text


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(tmp_path):
    import datetime as dt

    from reports.pack import Pack, Programme
    from reports.xlsx import workbook_bytes

    bank = '=HYPERLINK("http://x","Teng Mao")'
    programme = Programme("Rice bank", ["Teng Mao: 9,176 kg donated."], [], [("donations", "Donations", 1)],
                          {"Stock": pd.DataFrame({"Name": [bank], "Stock (kg)": [18500.0]})})
    pack = Pack(2018, "en", None, [], [programme], dt.datetime(2018, 12, 31, 8, 0), dt.datetime(2019, 1, 2, 9, 0))
    path = tmp_path / "p.xlsx"
    path.write_bytes(workbook_bytes(pack))
    cells = [c for row in openpyxl.load_workbook(path)["Rice bank"].iter_rows() for c in row if c.value == bank]
    assert len(cells) == 1 and cells[0].data_type == "s"
