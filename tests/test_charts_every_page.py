"""Every chart of every page, as the real runtime sends it (AppTest, the demo workbook), is readable at a glance
at 1440 and 390 px: each axis of categories labels every one of them (Streamlit's theme would drop
overlapping labels: every other bar unnamed) with room for it, a chart of many categories runs horizontally,
a legend holds a few entries (the rest as "Other") under the chart, and where a viewer's count is hidden the
chart holds no number for it but its mark."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit import dataframe_util

from insights.chart_parts import LEGEND_ENTRIES, STEP
from tests.factories import EMAIL, PAGES, signed_in

MOST_COLUMNS = 12  # categories side by side along x at most: more would not fit a phone's width


def charts(at) -> list[tuple[dict, dict[str, pd.DataFrame]]]:
    """Every Vega-Lite chart the app sent: its spec and its datasets by name."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ != "VegaLiteChart":
            continue
        datasets = {d.name: dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data) for d in proto.datasets if d.data.data}
        found.append((json.loads(proto.spec), datasets))
    return found


def units(spec: dict):
    """The spec's single views (a layer's, a concat's), each with the height and data it inherits."""
    stack = [(spec, spec.get("height"), spec.get("data"))]
    while stack:
        view, height, data = stack.pop()
        height, data = view.get("height", height), view.get("data", data)
        children = view.get("layer") or view.get("hconcat") or view.get("vconcat") or view.get("concat")
        if children:
            stack += [(child, height, data) for child in children]
        elif "mark" in view:
            yield view, height, data


def problems(spec: dict, datasets: dict[str, pd.DataFrame], where: str) -> list[str]:
    found = []
    discrete_default = spec.get("config", {}).get("axisDiscrete", {}).get("labelOverlap")
    for view, height, data in units(spec):
        frame = datasets.get((data or {}).get("name"), pd.DataFrame())
        for channel in ("x", "y"):
            encoding = view.get("encoding", {}).get(channel)
            if not encoding or encoding.get("type") not in ("nominal", "ordinal") or "timeUnit" in encoding:
                continue
            axis = encoding.get("axis", {})
            if axis is None:
                continue
            if axis.get("labelOverlap", discrete_default) is not False:
                found.append(f"{where}: the {channel} axis of {encoding.get('field')} may drop labels (labelOverlap)")
            field = encoding.get("field")
            categories = frame[field].nunique() if field in frame else 0
            if channel == "x" and categories > MOST_COLUMNS and not view.get("encoding", {}).get("xOffset"):
                found.append(f"{where}: {categories} categories side by side along x ({field}): run them horizontally or show the top few")
            if channel == "y" and categories:
                room = height["step"] if isinstance(height, dict) else (height or 0) / categories
                if room < min(STEP, 20):
                    found.append(f"{where}: {room:.0f} px per {field} label")
        colour = view.get("encoding", {}).get("color")
        if colour and colour.get("type") == "nominal" and colour.get("legend", {}) is not None:
            field = colour.get("field")
            entries = frame[field].nunique() if field in frame else 0
            if entries > LEGEND_ENTRIES + 1:
                found.append(f"{where}: a legend of {entries} entries ({field})")
            if colour.get("legend", {}).get("orient") not in ("bottom", "top", "none"):
                found.append(f"{where}: the legend of {field} stands beside the chart and squeezes it on a phone")
    return found


@pytest.fixture(scope="module")
def sent(tmp_path_factory, demo_workbook):
    """Every chart of every page, as the admin (every page) and as a viewer (small counts hidden) get them."""
    import shutil

    from tests.catalogs import build_assets

    build_assets()
    work = tmp_path_factory.mktemp("every-chart")
    shutil.copy(demo_workbook, work / "app.xlsx")
    found: dict[tuple[str, str], list] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKOFFICE_SOURCE", str(work / "app.xlsx"))
        patch.setenv("BACKOFFICE_CACHE", str(work / "cache.duckdb"))
        patch.setenv("BACKOFFICE_SECRETS", str(work / "no-secrets.toml"))
        for role in ("admin", "viewer"):
            at = signed_in(EMAIL[role])
            for page in PAGES:
                if role == "viewer" and page in ("pages/tables.py", "pages/sync.py", "pages/data_quality.py"):
                    continue
                at.switch_page(page).run()
                assert not at.exception, (role, page, at.exception)
                found[(role, page)] = charts(at)
    return found


def test_every_chart_of_every_page_labels_every_category_with_room_for_it(sent):
    assert sum(len(c) for c in sent.values()) > 40  # the walk found the charts
    offenders = [p for (role, page), drawn in sent.items() for i, (spec, data) in enumerate(drawn)
                 for p in problems(spec, data, f"{role} {page} chart {i + 1}")]
    assert not offenders, "\n".join(offenders)


def test_a_viewers_charts_hold_no_number_for_a_hidden_count_but_its_mark(sent):
    marks = 0
    for (role, page), drawn in sent.items():
        if role != "viewer":
            continue
        for _spec, datasets in drawn:
            for frame in datasets.values():
                for column in (c for c in frame.columns if str(c).endswith("_hidden")):
                    count = column[: -len("_hidden")]
                    hidden = frame[column].notna()
                    marks += int(hidden.sum())
                    assert set(frame.loc[hidden, column]) <= {"<5", "5+", "—"}, (page, column)
                    if count in frame:
                        assert frame.loc[hidden, count].isna().all(), (page, count)  # no number where the mark is
    assert marks > 0  # the demo has small counts a viewer does not get


def test_the_check_finds_a_dropped_label_a_crowded_axis_and_a_side_legend():
    spec = {"height": {"step": 12}, "mark": "bar", "data": {"name": "d"},
            "encoding": {"y": {"field": "topic", "type": "nominal", "axis": {"labelOverlap": True}},
                         "x": {"field": "n", "type": "quantitative"},
                         "color": {"field": "kind", "type": "nominal", "legend": {"orient": "right"}}}}
    data = {"d": pd.DataFrame({"topic": list("abcdefghij"), "kind": list("abcdefghij"), "n": range(10)})}
    assert problems(spec, data, "t") == ["t: the y axis of topic may drop labels (labelOverlap)", "t: 12 px per topic label",
                                         "t: a legend of 10 entries (kind)", "t: the legend of kind stands beside the chart and squeezes it on a phone"]
