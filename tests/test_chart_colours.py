"""A category keeps its colour whatever the page's language: Vega-Lite colours categories in the order of
their domain, which it sorts alphabetically by label unless told otherwise, and labels sort differently in
Khmer and English (and "Awareness session" was dark blue on the Overview and pink on the Prevention page)."""
from __future__ import annotations

import pandas as pd

from insights.clinic_charts import workload_by_site
from insights.clinic_overview import clinic_chart
from insights.prevention_overview import prevention_chart
from schemas.formats import labels_of
from schemas.i18n import language


def _colour_order(chart, column: str) -> list[str]:
    """The codes of the chart's colour domain, in the order their colours are handed out."""
    spec = chart.to_dict()
    encoding = (spec["layer"][0] if "layer" in spec else spec)["encoding"]
    code_of = {label: code for code, label in labels_of(column).items()}
    return [code_of[label] for label in encoding["color"]["sort"] if label in code_of]  # other tabs share the name "kind"


def test_the_overviews_activity_kinds_are_coloured_in_their_declared_order_in_both_languages():
    frame = pd.DataFrame({"month": pd.to_datetime(["2018-01-01", "2018-01-01", "2018-02-01"]),
                          "kind": ["self_help_group_meeting", "awareness_session", "authority_meeting"], "activities": [12, 7, 9]})
    orders = {}
    for lang in ("en", "km"):
        with language(lang):
            orders[lang] = _colour_order(prevention_chart(frame), "activities.kind")
    assert orders["en"] == orders["km"] == list(labels_of("activities.kind"))


def test_the_clinic_sites_and_cares_keep_their_order_in_both_languages():
    by_site = pd.DataFrame({"week": pd.to_datetime(["2018-01-01", "2018-01-01"]), "site": ["mobile_clinic", "health_centre"], "visits": [30, 40]})
    by_care = pd.DataFrame({"month": pd.to_datetime(["2018-01-01", "2018-01-01"]), "care": ["outpatient", "mobile_checkup"], "visits": [30, 40]})
    for lang in ("en", "km"):
        with language(lang):
            assert _colour_order(workload_by_site(by_site), "clinic_visits.site") == list(labels_of("clinic_visits.site"))
            assert _colour_order(clinic_chart(by_care), "clinic_visits.care") == list(labels_of("clinic_visits.care"))
