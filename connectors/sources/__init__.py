"""Which source a spec names, opened: the one place that knows every concrete source.

It sits above `config` (which only parses settings) and the sources themselves, so a source may read
its settings from `config` without `config` having to know the sources - the old lazy import in
`config.open_source` was a cycle config <-> gsheets. Imported lazily so the workbook path never loads
gspread.
"""
from __future__ import annotations

from pathlib import Path

from connectors.config import SourceSpec, source_spec


def open_source(spec: SourceSpec | str | None = None):
    """The source object for a spec (a SourceSpec, a --source text, or None for BACKOFFICE_SOURCE)."""
    if not isinstance(spec, SourceSpec):
        spec = source_spec(spec)
    if spec.kind == "gsheets":
        from connectors.sources.gsheets import GoogleSheetSource

        return GoogleSheetSource.from_settings(spec.location)
    from connectors.sources.workbook import WorkbookSource

    return WorkbookSource(Path(spec.location))
