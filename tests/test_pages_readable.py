"""Every page in English, as a manager reads it (AppTest, signed in as the admin, who sees every page):
no table header is a raw column name ("female_members", "sheet_row"), no table cell or chart legend is a
raw code ("passed_on", "mobile_checkup") nor "None"/"NaN", and every download is titled the same way.
The Tables page's editor is left out: it edits the sheet's own values (its pickers show the labels)."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from schemas.formats import title
from schemas.i18n import _
from schemas.registry import TABS
from tests.conftest import app_on
from tests.factories import EMAIL, PAGES, signed_in

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
COLUMN_NAMES = {spec.name for t in TABS for spec in t.columns} | {"sheet_row", "_row"}
# Codes a person would not read as words ("passed_on"); "other" or "died" read as their labels do.
CODES = {code for t in TABS for spec in t.columns for code, english, _km in spec.labels if code.lower() != english.lower()}
BLANK_WORDS = {"None", "NaN", "nan", "NaT", "<NA>"}


def _frames_shown(at) -> list[pd.DataFrame]:
    """Read-only dataframes (st.dataframe / st.table); the editor (st.data_editor) is not one of them."""
    shown = []
    for node in at._tree:
        if type(node).__name__ == "Dataframe" and not getattr(node.proto, "editing_mode", 0):
            shown.append(node.value)
    return shown


def _legend_values(at) -> list[str]:
    """The values of every chart's colour and shape fields, from the datasets the browser gets."""
    values: list[str] = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or type(proto).__name__ != "VegaLiteChart":
            continue
        spec = json.loads(proto.spec)
        data = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in proto.datasets}
        for unit in [spec, *spec.get("layer", [])]:
            frame = data.get((unit.get("data") or spec.get("data") or {}).get("name"))
            for channel in ("color", "shape"):
                field = (unit.get("encoding") or {}).get(channel, {}).get("field")
                if frame is not None and field in frame:
                    values += [str(v) for v in frame[field].unique()]
    return values


def _problems(frames: list[pd.DataFrame], legends: list[str]) -> list[str]:
    found = []
    for frame in frames:
        for header in map(str, frame.columns):
            if SNAKE.match(header) or header in COLUMN_NAMES:
                found.append(f"header {header!r}")
        cells = set(frame.map(str).to_numpy().ravel()) if len(frame) else set()
        found += [f"cell {c!r} under {list(frame.columns)[:4]}" for c in sorted(cells & (CODES | BLANK_WORDS))]
    found += [f"legend {v!r}" for v in sorted(set(legends) & (CODES | BLANK_WORDS))]
    return found


@pytest.mark.usefixtures("app_env")
def test_every_page_reads_in_titles_and_labels(downloads):
    at = signed_in(EMAIL["admin"])
    problems: dict[str, list[str]] = {}
    tables_seen = 0
    for page in PAGES:
        downloads.clear()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        frames = _frames_shown(at)
        tables_seen += len(frames)
        files = [pd.read_csv(io.BytesIO(d), dtype=str, keep_default_na=False) for d in downloads]
        found = _problems(frames + files, _legend_values(at))
        if found:
            problems[page] = found
    assert tables_seen >= 10, "the walk saw too few tables to prove anything"
    assert problems == {}


def test_the_check_finds_raw_headers_codes_and_blanks():
    frame = pd.DataFrame({"female_members": [1], "Kind": ["passed_on"], "Note": [None]})
    assert _problems([frame], ["mobile_checkup", "Health centre"]) == [
        "header 'female_members'", "cell 'None' under ['female_members', 'Kind', 'Note']",
        "cell 'passed_on' under ['female_members', 'Kind', 'Note']", "legend 'mobile_checkup'"]


def test_data_quality_names_each_rule_by_its_title_and_its_download_keeps_the_rule_ids(flawed_workbook, monkeypatch, tmp_path,
                                                                                       downloads):
    from schemas.rules import RULES

    app_on(Path(shutil.copy(flawed_workbook, tmp_path / "flawed.xlsx")), monkeypatch, tmp_path)  # the cows tab deleted
    at = signed_in(EMAIL["admin"])
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, at.exception
    rule = title("rule")
    listed = next(frame for frame in _frames_shown(at) if title("message") in frame.columns)
    assert "Tab missing" in set(listed[rule]) and not set(listed[rule]) & set(RULES)
    assert _("Tab missing") in at.selectbox(key="dq_rule").options  # the filter too
    assert [b.proto.label for b in at.get("download_button")] == ["Download the problems to fix (CSV)"]
    download = pd.read_csv(io.BytesIO(downloads[-1]), dtype=str, keep_default_na=False)
    assert "tab.missing" in set(download[rule]) and set(download[rule]) <= set(RULES)  # the file keeps the ids
