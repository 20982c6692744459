"""Everything a page shows, as text, from what AppTest received: markdown, titles, captions, alerts,
metrics, widget labels and options, help, expander and tab labels, dataframes' headers and cells, and the
Vega-Lite charts' titles and data (legends and axis labels are drawn from the data)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from streamlit import dataframe_util

# Proto fields a person reads; ids, keys, formats and widget state are not shown.
VISIBLE = {"body", "label", "help", "placeholder", "options", "delta", "text", "display_value", "tab_labels"}


@dataclass(frozen=True)
class Shown:
    where: str  # "markdown", "dataframe header", "chart title", ...
    text: str


def page_texts(at) -> list[Shown]:
    found: list[Shown] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            _from_proto(getattr(node, "type", type(proto).__name__), proto, found)
    return found


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _from_proto(kind: str, proto, found: list[Shown]) -> None:
    name = type(proto).__name__
    if name == "Dataframe":
        _from_dataframe(proto, found)
        return
    if name == "VegaLiteChart":
        _from_chart(proto, found)
        return
    for field, value in proto.ListFields():
        if field.message_type is not None:
            for item in (value if _repeated(field) else [value]):
                if hasattr(item, "ListFields"):
                    _from_proto(kind, item, found)
        elif field.name in VISIBLE:
            for item in (value if _repeated(field) else [value]):
                if isinstance(item, str) and item.strip():
                    found.append(Shown(f"{kind} {field.name}", item))


def _repeated(field) -> bool:
    return getattr(field, "is_repeated", None) if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED


def _from_dataframe(proto, found: list[Shown]) -> None:
    frame = dataframe_util.convert_arrow_bytes_to_pandas_df(proto.arrow_data.data)
    config = json.loads(proto.columns or "{}")
    for column in frame.columns:
        settings = config.get(str(column)) or config.get(f"_pos:{list(frame.columns).index(column)}") or {}
        if settings.get("hidden"):
            continue
        found.append(Shown("dataframe header", str(settings.get("label") or column)))
        for value in frame[column].tolist():
            found.append(Shown("dataframe cell", "None" if value is None else str(value)))


def _from_chart(proto, found: list[Shown]) -> None:
    spec = json.loads(proto.spec or "{}")
    for title in _titles(spec):
        found.append(Shown("chart title", title))
    for dataset in [proto.data, *(d.data for d in proto.datasets)]:
        if not dataset.data:
            continue
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data)
        for column in frame.columns:
            if frame[column].dtype == object:  # text the chart may draw as a legend or axis label
                found += [Shown("chart data", str(v)) for v in frame[column].dropna().unique().tolist()]


def _titles(spec) -> list[str]:
    titles = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title":
                if isinstance(value, str):
                    titles.append(value)
                elif isinstance(value, list):
                    titles += [v for v in value if isinstance(v, str)]
                elif isinstance(value, dict) and isinstance(value.get("text"), str):
                    titles.append(value["text"])
            elif key not in ("datasets", "data"):
                titles += _titles(value)
    elif isinstance(spec, list):
        for item in spec:
            titles += _titles(item)
    return titles
