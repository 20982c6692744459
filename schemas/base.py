"""What every tab schema is made of, and how the rest of the app reads a schema.

A tab is a pandera `DataFrameModel`; each column is declared with `column(...)`, which keeps the
title, description and the facts pandera has no slot for (personal data, foreign keys, code widths)
in the field's metadata. `columns_of(model)` turns a model into plain `ColumnSpec`s that the
coercion, validation, cache, editor and provisioning all read, so a new tab needs nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series  # re-exported for the schema modules

# Column types as the schema modules annotate them; pandas' nullable dtypes, so a blank is <NA>.
Text = Series[pd.StringDtype]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Bool = Series[pd.BooleanDtype]
Date = Series[pa.DateTime]

_KIND_BY_DTYPE = {"string": "text", "Int64": "int", "Float64": "float", "boolean": "bool"}


def blank(value: Any) -> bool:
    """None, NaN, NaT and pd.NA: a cell nobody filled in."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError, ArithmeticError):  # a signalling Decimal NaN refuses even to be compared
        return False


class TabSchema(pa.DataFrameModel):
    """Base of every tab: coercion happens before pandera, and extra sheet columns are allowed."""

    class Config:
        coerce = False
        strict = False


def column(
    title: str,
    description: str,
    *,
    required: bool = True,
    isin: list[str] | None = None,
    ge: float | None = None,
    le: float | None = None,
    pattern: str | None = None,
    pii: bool = False,
    ref: str | None = None,
    code_width: int | None = None,
    labels: dict[str, tuple[str, str]] | None = None,
    unit: str | None = None,
    row_label: bool = False,
    place: bool = False,
) -> Any:
    """A pandera Field with our metadata. `ref` is "tab.column" for a foreign key.

    What a column means is declared here, never read from its name: `unit` ("riel", "kg", "%", "people", "years"),
    `row_label` (the column that names a row, shown beside its key where another tab refers to it) and
    `place` (the village code that puts a row on the map of places: place filters, issues by village).
    `labels`: code -> (English, Khmer) for a coded column, what legends, tables, filters and downloads
    show instead of the code (schemas.formats.label reads them); `isin` defaults to their codes."""
    if labels is not None and isin is None:
        isin = list(labels)
    checks: dict[str, Any] = {}
    if isin is not None:
        checks["isin"] = isin
    if ge is not None:
        checks["ge"] = ge
    if le is not None:
        checks["le"] = le
    if pattern is not None:
        checks["str_matches"] = pattern
    return pa.Field(
        title=title,
        description=description,
        nullable=not required,
        metadata={"pii": pii, "ref": ref, "code_width": code_width, "unit": unit, "row_label": row_label, "place": place,
                  "labels": tuple((value, *names) for value, names in (labels or {}).items())},
        **checks,
    )


def code(title: str, description: str, width: int, **kw: Any) -> Any:
    """A gazetteer code: `width` digits, each level the prefix of the next (province 2 ... village 8)."""
    return column(title, description, pattern=rf"^\d{{{width}}}$", code_width=width, **kw)


# A person's sex, as several tabs record it (a cow's has words of its own: schemas.cow_bank).
SEX_LABELS = {"female": ("Female", "ស្រី"), "male": ("Male", "ប្រុស")}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    title: str
    description: str
    kind: str  # text | int | float | bool | date
    required: bool
    allowed: tuple[str, ...] | None
    ge: float | None
    le: float | None
    pattern: str | None
    pii: bool
    ref: str | None  # "tab.column"
    code_width: int | None
    unit: str | None = None  # riel | kg | % | people | years (schemas.human_forms.UNIT_WORDS)
    row_label: bool = False  # names the row (beside its key) where another tab refers to it
    place: bool = False  # the row's village code
    labels: tuple[tuple[str, str, str], ...] = ()  # (code, English, Khmer) of a coded column

    def label(self, value: Any, language: str = "en") -> str | None:
        """The declared label of `value` in `language` ("en" or "km"); None when it has none."""
        for code, english, khmer in self.labels:
            if code == value:
                return khmer if language == "km" else english
        return None


def _kind(dtype: Any) -> str:
    text = str(dtype)
    if text.startswith("datetime64"):
        return "date"
    if text.startswith("string"):
        return "text"
    return _KIND_BY_DTYPE[text]


@cache
def columns_of(model: type[pa.DataFrameModel]) -> tuple[ColumnSpec, ...]:
    specs = []
    for name, col in model.to_schema().columns.items():
        stats = {check.name: check.statistics for check in col.checks}
        meta = col.metadata or {}
        allowed = stats.get("isin", {}).get("allowed_values")
        specs.append(
            ColumnSpec(
                name=name,
                title=col.title or name,
                description=col.description or "",
                kind=_kind(col.dtype),
                required=not col.nullable,
                allowed=tuple(allowed) if allowed is not None else None,
                ge=stats.get("greater_than_or_equal_to", {}).get("min_value"),
                le=stats.get("less_than_or_equal_to", {}).get("max_value"),
                pattern=stats.get("str_matches", {}).get("pattern"),
                pii=bool(meta.get("pii")),
                ref=meta.get("ref"),
                code_width=meta.get("code_width"),
                unit=meta.get("unit"),
                row_label=bool(meta.get("row_label")),
                place=bool(meta.get("place")),
                labels=tuple(meta.get("labels") or ()),
            )
        )
    return tuple(specs)


def normalise_header(text: Any) -> str:
    """Case, spaces, underscores and dashes do not matter when matching a header to a column."""
    return re.sub(r"[\s_\-]+", "", str(text or "")).casefold()


def khmer_title(spec: ColumnSpec) -> str:
    """The column's title in Khmer, from the catalog (the English title where it has none)."""
    from schemas.i18n import gettext, language

    with language("km"):
        return gettext(spec.title)


@cache
def header_names(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Every normalised header that names a column of the tab: its name, its English title, its Khmer title."""
    wanted: dict[str, str] = {}
    for spec in columns_of(model):
        for text in (spec.name, spec.title, khmer_title(spec)):
            wanted.setdefault(normalise_header(text), spec.name)
    return wanted


def labels_in_khmer(spec: ColumnSpec, header: Any) -> bool:
    """Does the sheet head this coded column with its Khmer title? Then its cells hold Khmer labels (a sheet
    provisioned with --lang km has Khmer dropdowns), and a value written there is written as one."""
    return bool(spec.labels) and normalise_header(header) == normalise_header(khmer_title(spec)) != normalise_header(spec.title)


def sheet_value(spec: ColumnSpec, value: Any, header: Any) -> Any:
    """A value as the sheet's column holds it: a code as its Khmer label under a Khmer header, else as it is."""
    if isinstance(value, str) and labels_in_khmer(spec, header):
        return spec.label(value, "km") or value
    return value


def match_headers(model: type[pa.DataFrameModel], header: list[Any]) -> dict[str, int]:
    """Schema column -> index of its header in the sheet, by normalised name, English title or Khmer title.

    The first header that matches wins; later duplicates are reported by validation.
    """
    wanted = header_names(model)
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = wanted.get(normalise_header(cell))
        if name is not None and name not in found:
            found[name] = index
    return found
