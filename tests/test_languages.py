"""Both languages, page by page, under the real Streamlit runtime (AppTest) on the demo workbook.

Every page is walked in English and in Khmer and everything it shows is collected (tests/page_text.py).
Strict: a Khmer page shows no English sentence of the catalog, and the switch in the sidebar changes the
language and is remembered for the user. In both languages no element shows a raw snake_case code, "None" or
"NaN": a download button says what its file holds in words, a setting is named in plain words, the Data quality
page names each rule by its title, the Sync page each tab by its title; and no Khmer chart has an English title,
no Khmer table an English header, and the Tables page's tab picker reads the tabs' Khmer titles."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.catalogs import build_assets, english_fragments
from tests.page_text import Shown, page_texts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROOT = Path(APP).parent
PAGES = ["pages/overview.py", "pages/rice_bank.py", "pages/cow_bank.py", "pages/clinic.py", "pages/savings.py",
         "pages/prevention.py", "pages/school_support.py", "pages/wash.py", "pages/data_quality.py", "pages/tables.py",
         "pages/sync.py"]
KHMER = re.compile("[\u1780-\u17ff]")
RAW_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
NONE_OR_NAN = re.compile(r"\b(?:None|NaN|nan|NaT)\b")


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory, demo_workbook):
    """The app's environment for a module: the demo workbook (a copy), a private cache, no secrets, loopback."""
    build_assets()
    work = tmp_path_factory.mktemp("languages")
    shutil.copy(demo_workbook, work / "app.xlsx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKOFFICE_SOURCE", str(work / "app.xlsx"))
        patch.setenv("BACKOFFICE_CACHE", str(work / "cache.duckdb"))
        patch.setenv("BACKOFFICE_SECRETS", str(work / "no-secrets.toml"))
        patch.chdir(ROOT)
        before = config.get_option("server.address")
        config.set_option("server.address", "127.0.0.1")
        yield {"patch": patch, "work": work}
        config.set_option("server.address", before)


def _walk(app_settings, code: str) -> dict[str, list[Shown]]:
    app_settings["patch"].setenv("BACKOFFICE_LANGUAGE", code)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    shown = {}
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        shown[page] = page_texts(at)
    return shown


@pytest.fixture(scope="module")
def khmer_pages(app_settings):
    return _walk(app_settings, "km")


@pytest.fixture(scope="module")
def english_pages(app_settings):
    return _walk(app_settings, "en")


# Not this catalog's texts: what the data holds, the charts' own titles (checked on their own below, by
# test_a_khmer_chart_has_no_english_title) and the tabs' declared titles (schemas).
NOT_WRAPPED_HERE = ("dataframe cell", "chart data", "chart title")


def _english_left(pages: dict[str, list[Shown]], kinds=None) -> list[str]:
    from schemas.registry import TABS

    fragments, tab_titles = english_fragments(), {t.title for t in TABS}
    return [f"{page} [{s.where}] {fragment!r} in {s.text[:120]!r}"
            for page, shown in pages.items() for s in shown
            if (s.where in kinds if kinds else s.where not in NOT_WRAPPED_HERE) and s.text not in tab_titles
            for fragment in fragments if fragment in re.sub(r"'[^']*'", "''", s.text)]  # a quoted sheet header is not a sentence


def test_a_khmer_page_shows_no_english_sentence_of_the_catalog(khmer_pages):
    assert len(english_fragments()) > 300
    offenders = _english_left(khmer_pages)
    assert not offenders, "English left on Khmer pages:\n" + "\n".join(offenders)


def test_a_khmer_chart_has_no_english_title(khmer_pages):
    offenders = _english_left(khmer_pages, kinds=("chart title",))
    assert not offenders, "English chart titles on Khmer pages:\n" + "\n".join(offenders)


def test_every_khmer_page_has_its_title_and_headings_in_khmer(khmer_pages):
    for page, shown in khmer_pages.items():
        titles = [s.text for s in shown if s.where.split()[0] in ("title", "header", "subheader")]
        assert titles and all(KHMER.search(t) for t in titles), (page, titles)


def test_the_khmer_overview_states_the_reports_figures(khmer_pages, english_pages):
    khmer = "\n".join(s.text for s in khmer_pages["pages/overview.py"])
    english = "\n".join(s.text for s in english_pages["pages/overview.py"])
    assert "139,791,300 riel" in english and "139,791,300 រៀល" in khmer  # 2018's savings capital, the same figure
    assert "CCPCR — លទ្ធផលប្រចាំឆ្នាំ" in khmer and not KHMER.search(english.replace("ខ្មែរ", ""))


def _offenders(pages: dict[str, list[Shown]]) -> list[str]:
    return [f"{page} [{s.where}] {s.text[:100]!r}" for page, shown in pages.items() for s in shown
            if RAW_CODE.search(s.text) or NONE_OR_NAN.search(s.text)]


@pytest.mark.parametrize("code", ["en", "km"])
def test_no_page_shows_a_raw_code_none_or_nan(code, english_pages, khmer_pages):
    offenders = _offenders(english_pages if code == "en" else khmer_pages)
    assert not offenders, f"{len(offenders)} raw codes, None or NaN shown ({code}):\n" + "\n".join(offenders[:200])


def test_the_walk_finds_a_raw_code_none_and_nan_when_a_page_shows_them():
    shown = {"page": [Shown("dataframe header", "stock_change_kg"), Shown("dataframe cell", "None"),
                      Shown("markdown body", "Average NaN kg"), Shown("markdown body", "Stock per bank")]}
    assert _offenders(shown) == ["page [dataframe header] 'stock_change_kg'", "page [dataframe cell] 'None'",
                                 "page [markdown body] 'Average NaN kg'"]


def test_the_chosen_language_is_used_and_a_saved_choice_is_remembered_for_the_user(app_env, monkeypatch):
    from connectors.preferences import save_language, saved_language

    build_assets()
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "en")
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert at.title[0].value == "CCPCR — the year's results"
    switch = at.sidebar.selectbox(key="language")
    assert switch.value == "en" and switch.options == ["English", "ខ្មែរ"]
    # The switch's on_change saves the choice with save_language; a new session of the user starts in it.
    save_language("local-admin@localhost", "km")
    assert saved_language("LOCAL-ADMIN@localhost") == "km"
    assert (app_env["cache"].parent / "preferences.json").exists()  # beside the cache
    again = AppTest.from_file(APP, default_timeout=180)  # a new session of the same user: Khmer from the start
    again.run()
    assert again.title[0].value == "CCPCR — លទ្ធផលប្រចាំឆ្នាំ"
    assert again.sidebar.selectbox(key="language").value == "km"


def test_backoffice_language_sets_the_language_of_a_user_who_never_chose(app_env, monkeypatch):
    build_assets()
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "km")
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert at.title[0].value == "CCPCR — លទ្ធផលប្រចាំឆ្នាំ"
    assert not (app_env["cache"].parent / "preferences.json").exists()  # nothing chosen, nothing saved


def test_the_report_in_khmer_keeps_every_figure(demo_workbook, capsys, monkeypatch):
    import cli

    build_assets()
    monkeypatch.delenv("BACKOFFICE_LANGUAGE", raising=False)
    assert cli.main(["report", "--year", "2017", "--source", str(demo_workbook), "--lang", "km"]) == 0
    khmer = capsys.readouterr().out
    assert cli.main(["report", "--year", "2017", "--source", str(demo_workbook)]) == 0
    english = capsys.readouterr().out
    assert khmer.startswith("# លទ្ធផលរបស់ CCPCR សម្រាប់ឆ្នាំ 2017")
    assert "ក្នុងឆ្នាំ 2017 សកម្មភាពបង្ការបានទៅដល់ ភូមិ 55 ក្នុង ឃុំ 18 នៃ ស្រុក 11 ក្នុង ខេត្ត 3" in khmer
    assert "អ្នកជំងឺ 11,292 នាក់ត្រូវបានពិនិត្យ (រាប់តាមការមកពិនិត្យនីមួយៗ)៖ សម្រាកពេទ្យ 375 នាក់" in khmer
    assert "31 ធ្នូ 2017" in khmer and "31 Dec 2017" in english
    figures = re.compile(r"\d(?:[\d,.]*\d)?")
    assert sorted(figures.findall(khmer)) == sorted(figures.findall(english))  # the same figures, none lost


def test_a_khmer_page_shows_no_english_status_in_its_tables_and_charts(khmer_pages):
    """Coded values and statuses that insights compute (a calf "not yet born", a week "on target", a cow "with a
    family", a village "reached") read in Khmer in tables, legends and chart data, like the schemas' labels."""
    from insights.clinic_charts import _WEEK_COLOURS
    from insights.cow_bank import COW_STATUSES, OBLIGATION_STATUSES
    from insights.prevention_charts import PARENT_GROUPS, STATUSES

    words = {*COW_STATUSES, *OBLIGATION_STATUSES, *_WEEK_COLOURS, *STATUSES, *PARENT_GROUPS, "All saving groups", "All cooperatives"}
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?![A-Za-z])")
    offenders = [f"{page} [{s.where}] {s.text[:80]!r}" for page, shown in khmer_pages.items() for s in shown
                 if s.where in ("dataframe cell", "chart data") and pattern.search(s.text) and page not in ("pages/tables.py", "pages/sync.py")]
    assert not offenders, "\n".join(offenders[:40])


def test_every_table_header_on_a_khmer_page_is_khmer(khmer_pages):
    """A computed figure's column ("share_women", "kg_lent") is headed by its title declared in
    schemas/column_titles.py; a humanised name that never reached the catalog would stay English here."""
    headers = [(page, s.text) for page, shown in khmer_pages.items() for s in shown if s.where == "dataframe header"]
    assert len(headers) > 100, "the walk found almost no table"
    english = sorted({f"{page}: {text!r}" for page, text in headers if re.search("[A-Za-z]", text) and not KHMER.search(text)})
    assert not english, "Table headers left in English on Khmer pages:\n" + "\n".join(english)


def test_the_tables_tab_picker_reads_the_tabs_titles_in_khmer(khmer_pages):
    from schemas.i18n import gettext, language
    from schemas.registry import TABS

    options = {s.text for s in khmer_pages["pages/tables.py"] if s.where == "selectbox options"}
    with language("km"):
        assert gettext("Villages") in options and gettext("Rice ledger") in options, options
    left = sorted(t.title for t in TABS if t.title in options)
    assert not left, f"English tab titles in the Tables page's tab picker: {left}"
