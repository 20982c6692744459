"""A walk over the Tables page of every tab, in both languages (AppTest on the demo workbook): no cell reads
"None", every coded column and every yes/no column offers its labels in the reader's language and holds the
code, and every date is text in the sheet's date order. The browser walk (tests/test_browser_problems.py)
reads what the grid draws."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from schemas.registry import TABS

ROOT = Path(__file__).resolve().parent.parent
YES_NO = {"en": {"yes": "Yes", "no": "No"}, "km": {"yes": "បាទ/ចាស", "no": "ទេ"}}


@pytest.mark.parametrize("language", ["en", "km"])
@pytest.mark.usefixtures("app_env")
def test_every_tab_shows_no_none_and_offers_labels_for_codes(monkeypatch, language):
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", language)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/tables.py").run()
    assert not at.exception, at.exception
    for tab in TABS:
        at.selectbox(key="tables_tab").set_value(tab.name).run()
        assert not at.exception, (tab.name, at.exception)
        [grid] = [d for d in at.data_editor if d.key.startswith(f"tables_editor_{tab.name}_")]
        assert grid.proto.placeholder == "", tab.name  # a blank cell is blank
        frame, config = grid.value, json.loads(grid.proto.columns)
        shown = frame.astype(object).where(frame.notna(), None)
        assert not shown.isin(["None", "nan", "NaT", "<NA>"]).any().any(), tab.name
        for spec in tab.columns:
            values = [v for v in shown[spec.name].dropna().unique() if v != "•••"]
            options = (config.get(spec.name, {}).get("type_config") or {}).get("options")
            if spec.labels:
                labels = {o["value"]: o["label"] for o in options}
                assert {v: labels.get(v) for v in values} == {v: spec.label(v, language) for v in values}, (tab.name, spec.name)
            elif spec.kind == "bool" and values:
                assert {o["value"]: o["label"] for o in options} == YES_NO[language], (tab.name, spec.name)
                assert set(values) <= {"yes", "no"}, (tab.name, spec.name)
            elif spec.kind == "date":
                assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", v) for v in values), (tab.name, spec.name, values[:3])
