"""Khmer table headers: every dashboard and admin page, walked in Khmer under the real Streamlit runtime
(AppTest) as the local admin on the demo workbook, heads each table column in Khmer. A computed figure's
column ("share_women", "kg_lent") has its title declared once (schemas/column_titles.py), so it reaches the
catalog; a humanised name that never did would stay English here. The Tables page's tab picker and the
School support chart's stages read in Khmer too."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.catalogs import build_assets
from tests.page_text import page_texts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROOT = Path(APP).parent
PAGES = ["pages/overview.py", "pages/rice_bank.py", "pages/cow_bank.py", "pages/clinic.py", "pages/savings.py",
         "pages/prevention.py", "pages/school_support.py", "pages/wash.py", "pages/data_quality.py", "pages/tables.py",
         "pages/sync.py"]
KHMER = re.compile("[\u1780-\u17ff]")
LETTERS = re.compile("[A-Za-z]")


@pytest.fixture(scope="module")
def khmer_walk(tmp_path_factory, demo_workbook):
    """Each page's AppTest texts, in Khmer, as the local admin (no sign-in configured) on a demo copy."""
    build_assets()
    work = tmp_path_factory.mktemp("khmer_headers")
    shutil.copy(demo_workbook, work / "app.xlsx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKOFFICE_SOURCE", str(work / "app.xlsx"))
        patch.setenv("BACKOFFICE_CACHE", str(work / "cache.duckdb"))
        patch.setenv("BACKOFFICE_SECRETS", str(work / "no-secrets.toml"))
        patch.setenv("BACKOFFICE_LANGUAGE", "km")
        patch.chdir(ROOT)
        before = config.get_option("server.address")
        config.set_option("server.address", "127.0.0.1")
        try:
            at = AppTest.from_file(APP, default_timeout=180)
            at.run()
            assert not at.exception, at.exception
            shown = {}
            for page in PAGES:
                at.switch_page(page).run()
                assert not at.exception, (page, at.exception)
                shown[page] = page_texts(at)
            yield shown
        finally:
            config.set_option("server.address", before)


def test_every_table_header_on_a_khmer_page_is_khmer(khmer_walk):
    headers = [(page, s.text) for page, shown in khmer_walk.items() for s in shown if s.where == "dataframe header"]
    assert len(headers) > 100, "the walk found almost no table"
    english = sorted({f"{page}: {text!r}" for page, text in headers if LETTERS.search(text) and not KHMER.search(text)})
    assert not english, "Table headers left in English on Khmer pages:\n" + "\n".join(english)


def test_every_computed_title_has_its_khmer_text_and_a_table_header_reads_it():
    from schemas.column_titles import COLUMN_TITLES
    from schemas.formats import title
    from schemas.i18n import gettext, language

    build_assets()
    with language("km"):
        untranslated = sorted(name for name, text in COLUMN_TITLES.items() if not KHMER.search(gettext(text)))
        assert (title("share_women"), title("stock_change_kg"), title("kg_lent")) == ("ភាគរយស្ត្រី", "បម្រែបម្រួលស្តុក (គីឡូ)", "គីឡូដែលបានឲ្យខ្ចី")
    assert not untranslated, untranslated
    with language("en"):
        assert (title("share_women"), title("stock_change_kg")) == ("Share women", "Stock change (kg)")


def test_the_tables_tab_picker_reads_the_tabs_titles_in_khmer(khmer_walk):
    from schemas.i18n import gettext, language
    from schemas.registry import TABS

    options = {s.text for s in khmer_walk["pages/tables.py"] if s.where == "selectbox options"}
    with language("km"):
        assert gettext("Villages") in options and gettext("Rice ledger") in options, options
    left = sorted(t.title for t in TABS if t.title in options)
    assert not left, f"English tab titles in the Tables page's tab picker: {left}"


def test_the_school_support_chart_draws_its_stages_in_khmer():
    from insights.school_support_charts import children_by_year
    from schemas.i18n import language

    build_assets()
    with language("km"):
        chart = children_by_year(pd.DataFrame({"year": [2017], "children": [10], "enrolled": [8], "in_school": [7]}))
        drawn = set(chart.data["stage"])
    assert drawn == {"បានជួយ", "បានចុះឈ្មោះ", "នៅរៀននៅចុងឆ្នាំ"}, drawn
