"""Coded values read as their labels, blanks blank, dates dd Mon yyyy, numbers grouped, metrics compact —
in English and in Khmer (schemas.formats, from the labels declared in the schema columns)."""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd

from schemas.formats import compact, display_frame, download_frame, exact, format_date, format_number, format_share, label, labelled, title
from schemas.i18n import language, number, percent
from schemas.registry import TABS, tab


def test_every_coded_column_declares_a_label_for_each_code_in_both_languages():
    for registered in TABS:
        for spec in registered.columns:
            if spec.allowed:
                assert [code for code, *_ in spec.labels] == list(spec.allowed), (registered.name, spec.name)
                for code, english, khmer in spec.labels:
                    assert english and english != code, (registered.name, spec.name, code)
                    assert any("\u1780" <= ch <= "\u17ff" for ch in khmer), (registered.name, spec.name, code, khmer)


def test_a_code_reads_as_its_label_in_the_current_language():
    assert label("cow_events.kind", "passed_on") == "Passed on"
    assert label(tab("activities").column("kind"), "self_help_group_meeting") == "Self-help group meeting"
    with language("km"):
        assert label("cow_events.kind", "passed_on") == "បានបន្តឲ្យគ្រួសារផ្សេង"
    assert label("cow_events.kind", None) == ""
    assert label("cow_events.kind", "stolen") == "stolen"  # no label: as typed (validation flags it)


def test_a_computed_frame_gets_labels_by_its_column_names():
    frame = pd.DataFrame({"care": ["mobile_checkup", None], "visits": [3, 4]})
    assert labelled(frame)["care"].tolist() == ["Mobile check-up", ""]
    assert labelled(frame, {"care": "clinic_visits.care"})["visits"].tolist() == [3, 4]


def test_a_table_shown_has_titles_labels_and_blank_blanks():
    frame = pd.DataFrame({"event_id": ["CE-0001", "CE-0002"], "date": pd.to_datetime(["2016-02-21", None]),
                          "kind": ["passed_on", None], "note": [None, "ok"], "sheet_row": [2, 3],
                          "capital_riel": [118_388_000.0, float("nan")]})
    shown = display_frame(frame, tab("cow_events"))
    assert list(shown.columns) == ["Event ID", "Date", "Kind", "Note", "Row", "Capital (riel)"]
    assert shown.to_dict("records") == [
        {"Event ID": "CE-0001", "Date": "21 Feb 2016", "Kind": "Passed on", "Note": "", "Row": "2", "Capital (riel)": "118,388,000"},
        {"Event ID": "CE-0002", "Date": "", "Kind": "", "Note": "ok", "Row": "3", "Capital (riel)": ""},
    ]
    text = shown.to_csv()
    assert "None" not in text and "NaN" not in text


def test_a_download_has_titles_and_labels_but_iso_dates_and_plain_numbers():
    frame = pd.DataFrame({"date": pd.to_datetime(["2016-02-21"]), "kind": ["passed_on"], "capital_riel": [1500.5],
                          "survivor": pd.array([True], dtype="boolean")})
    out = download_frame(frame)
    assert out.to_dict("records") == [{"Date": "2016-02-21", "Kind": "Passed on", "Capital (riel)": 1500.5, "Survivor": "Yes"}]


def test_dates_and_numbers_per_locale():
    assert format_date(dt.date(2016, 2, 21)) == "21 Feb 2016"
    assert format_date(pd.Timestamp("2016-02-21 00:00:00")) == "21 Feb 2016"
    assert format_date(None) == "" and format_date(pd.NaT) == ""
    with language("km"):
        assert format_date(dt.date(2016, 2, 21)) == "21 កុម្ភៈ 2016"
    assert format_number(1234567.8) == "1,234,568"
    assert format_number("<5") == "<5"


def test_metrics_are_compact_with_the_exact_figure_for_the_help():
    assert compact(118_388_000, "៛") == "118.4 M ៛"
    assert compact(82_592) == "82,592" and compact(1_234_567) == "1.2 M"
    assert compact(9_870) == "9,870"
    assert compact(None) == "–"
    assert exact(118_388_000, "៛") == "118,388,000 ៛"
    with language("km"):
        assert compact(118_388_000, "៛") == "118.4\u00a0លាន ៛"  # Babel keeps number and word together


def test_headers_are_titles_internal_columns_read_row():
    assert title("female_members") == "Women members"
    assert title("stock_change_kg") == "Stock change (kg)"
    assert title("sheet_row") == "Row"
    assert title("What is wrong") == "What is wrong"


def test_formatting_a_number_never_raises_whatever_it_is():
    writers = [number, percent, format_number, compact, exact, format_share, lambda v: number(v, 2)]
    values = [math.inf, -math.inf, math.nan, 1e308, -1e308, 1e26, 2**70, 10**400, -0.0, -1e-9, Decimal("NaN"), Decimal("sNaN"),
              Decimal("-Infinity"), Decimal("-0"), np.float64("nan"), np.int64(2**62), np.float64(1e300)]
    for lang in ("en", "km"):
        with language(lang):
            for value in values:
                for write in writers:
                    assert isinstance(write(value), str), (lang, value)
    assert [number(v) for v in (-0.0, -1e-9, 1e308, 2**70, math.inf, math.nan)] == ["0", "0", "1E308", "1.18E21", "∞", "—"]
    assert [format_number(v) for v in (-0.0, 1e26, math.nan)] == ["0", "1E26", ""]
    assert compact(2**70, "៛") == "1.18E21 ៛" and percent(1e308) == "1E310%" and format_share(-0.0) == "0%"
    assert number(1_234_567.891, 2) == "1,234,567.89" and compact(118_388_000) == "118.4 M"  # the ordinary stays as it was
