"""What a registered tab is: its title, schema, key, programme and the date column of its period.

Kept apart from the registry (which imports every programme's schema) so that the rule helpers the
schemas import (schemas.rules_context) can name a Tab without importing the registry back.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from schemas.base import ColumnSpec, columns_of
from schemas.row_key import RowKey


@dataclass(frozen=True)
class Tab:
    name: str  # the sheet's tab title
    schema: type[pa.DataFrameModel]
    key: tuple[str, ...]  # empty for an append-only log
    programme: str
    title: str
    period: str | None = None  # the date column that places a row in a year (the dashboards' period filters)
    # A reference tab (the gazetteer's villages, the settings) holds no personal data and every dashboard's filters
    # and definitions need it: every known role's figures may read it (connectors.access.may_read_for_figures).
    reference: bool = False

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return columns_of(self.schema)

    @property
    def row_key(self) -> RowKey:
        """What finds one of its rows (schemas.row_key): every part that looks a row up asks it."""
        return RowKey(tuple(self.column(k) for k in self.key))

    @property
    def has_personal_data(self) -> bool:
        return any(c.pii for c in self.columns)

    @property
    def place_column(self) -> str | None:
        """The column declared `place` (the row's village code), if any."""
        return next((c.name for c in self.columns if c.place), None)

    @property
    def row_label_column(self) -> ColumnSpec | None:
        """The column declared `row_label` (what names a row beside its key), if any."""
        return next((c for c in self.columns if c.row_label), None)

    def column(self, name: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no column {name!r}")
