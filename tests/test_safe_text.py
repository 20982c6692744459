"""Every text that leaves the app is safe for where it goes (issue 23, item 3). On a demo workbook whose bank,
commune and province names hold control characters (Excel's `_x0001_` escape, an escape sequence, U+FFFE as
Excel writes it), the donor pack comes out as PDF (vl-convert used to abort the whole process: exit 134),
XLSX (openpyxl raised IllegalCharacterError) and Markdown with SVG charts; `validate --format junit` writes
XML a CI reads; the command line prints the characters as escapes; a reader that closes the pipe early ends
the command quietly."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.dom import minidom

import openpyxl
import pytest

from connectors.sources.workbook import WorkbookSource
from schemas.issues import a1
from schemas.safe_text import printable, xml_safe, xml_safe_all
from tests.factories import pdf_text, storm_workbook, type_in_cells

ROOT = Path(__file__).resolve().parent.parent
CONTROL = ("\x01", "\x1b", "\ufffe", "_x0001_", "_xFFFE_", "_x001B_")


def test_xml_safe_replaces_what_xml_forbids_and_keeps_the_rest():
    assert xml_safe("Teng\x01Mao\ufffe\uffff\ud800") == "Teng\ufffdMao\ufffd\ufffd\ufffd"
    assert xml_safe("Teng_x0001_Mao_xFFFE_", "?") == "Teng?Mao?"  # Excel's escapes, as they arrive from a workbook
    assert xml_safe("tab\tnew\nline\rធនាគារ ៛ _x0041_ _x000D_") == "tab\tnew\nline\rធនាគារ ៛ _x0041_ _x000D_"  # allowed ones stay
    assert xml_safe_all({"title": "a\x02", "data": [{"name": "b\x1f", "n": 3}]}, "?") == {"title": "a?", "data": [{"name": "b?", "n": 3}]}


def test_printable_escapes_control_characters_for_a_terminal():
    assert printable("Koh\x1b[31mKong\r\x01\x7f\x85\ud800\n\tok") == "Koh\\x1b[31mKong\\x0d\\x01\\x7f\\x85\\ud800\n\tok"


@pytest.fixture(scope="module")
def control_workbook(tmp_path_factory, demo_workbook) -> Path:
    """The demo with a control character in a rice bank's name, a commune's and a province's (as Excel escapes them)."""
    path = tmp_path_factory.mktemp("control") / "control.xlsx"
    shutil.copy(demo_workbook, path)
    renamed = {("rice_banks", "Name", "Teng Mao"): "Teng_x0001_Mao_xFFFE_", ("villages", "Commune", "Andoung Pou"): "Andoung_x0001_Pou",
               ("villages", "Province", "Koh Kong"): "Koh_x001B_[31mKong"}
    grids = WorkbookSource(path).read(["rice_banks", "villages"])
    cells: dict[str, dict[str, str]] = {}
    for (sheet, header, old), new in renamed.items():
        column = grids[sheet].header.index(header)
        for number, row in enumerate(grids[sheet].rows, start=2):
            if column < len(row) and row[column] == old:
                cells.setdefault(sheet, {})[a1(column, number)] = new
    return type_in_cells(path, cells)


def cli(*args, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600, **options)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "md"])
def test_the_donor_pack_is_written_whatever_the_names_hold(tmp_path, control_workbook, fmt):
    out = tmp_path / f"pack.{fmt}"
    run = cli("report", "--year", 2018, "--source", control_workbook, "--format", fmt, "--out", out)
    assert run.returncode in (0, 1), run.stderr  # figures written (1: the names' warnings are no errors, but may be)
    assert "Traceback" not in run.stderr and "panic" not in run.stderr
    if fmt == "pdf":
        text = pdf_text(out)
        assert "Teng?Mao?" in text and not any(c in text for c in CONTROL)
    elif fmt == "xlsx":
        cells = [str(c.value) for sheet in openpyxl.load_workbook(out) for row in sheet.iter_rows() for c in row if c.value]
        assert any("Teng\ufffdMao\ufffd" in c for c in cells) and not any(ch in c for c in cells for ch in CONTROL)
    else:
        text = out.read_text(encoding="utf-8")
        assert "Teng" in text and not any(c in text for c in CONTROL)
        for svg in tmp_path.glob("pack.chart-*.svg"):
            minidom.parse(str(svg))  # well-formed XML


def test_validate_junit_is_xml_a_ci_can_read(control_workbook):
    run = cli("validate", "--source", control_workbook, "--format", "junit")
    assert run.returncode in (0, 1), run.stderr
    document = minidom.parseString(run.stdout.encode("utf-8"))
    assert document.documentElement.tagName == "testsuite"
    assert "Andoung\ufffdPou" in run.stdout and "\x01" not in run.stdout


def test_the_command_line_prints_control_characters_as_escapes(control_workbook):
    for args in (("validate", "--source", control_workbook), ("report", "--year", 2018, "--source", control_workbook)):
        run = cli(*args)
        assert run.returncode in (0, 1), run.stderr
        assert "\x1b" not in run.stdout + run.stderr and "\x01" not in run.stdout + run.stderr
    assert "Koh\\x1b[31mKong" in run.stdout  # the report's province names, escaped where the terminal would act on them


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    workbook = storm_workbook(tmp_path / "storm.xlsx")  # 20,000 errors to print
    for fmt in ("text", "json"):
        process = subprocess.Popen([sys.executable, "cli.py", "validate", "--source", str(workbook), "--format", fmt], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        process.stdout.close()  # the reader is gone before the first line (`| head -0`; `| head -1` once it has its line)
        errors = process.stderr.read()
        assert process.wait(timeout=600) == 141, errors  # as a shell reports a command stopped by its reader (128 + SIGPIPE)
        assert errors == ""  # no traceback, no "Exception ignored"
