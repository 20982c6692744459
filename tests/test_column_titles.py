"""Computed columns' titles (schemas/column_titles.py) and the School support chart's stages are catalog texts
with their Khmer: a table header and a legend read in Khmer on a Khmer page. Every page's headers, walked in
Khmer under AppTest, are checked in tests/test_languages.py."""
from __future__ import annotations

import re

import pandas as pd

from tests.catalogs import build_assets

KHMER = re.compile("[\u1780-\u17ff]")


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


def test_the_school_support_chart_draws_its_stages_in_khmer():
    from insights.school_support_charts import children_by_year
    from schemas.i18n import language

    build_assets()
    with language("km"):
        chart = children_by_year(pd.DataFrame({"year": [2017], "children": [10], "enrolled": [8], "in_school": [7]}))
        drawn = set(chart.data["stage"])
    assert drawn == {"បានជួយ", "បានចុះឈ្មោះ", "នៅរៀននៅចុងឆ្នាំ"}, drawn
