"""What every command does with its --source: the demo workbook built on first use (no build step), and one
message for a source that cannot be read, whatever the command."""
from __future__ import annotations

import sys
from pathlib import Path

from connectors.config import source_spec
from connectors.sources import open_source
from connectors.sources.interface import Source, SourceError
from data.build_demo import ensure_demo_workbook
from schemas.i18n import _


def opened(text: str | None) -> Source:
    """The source a --source text (or BACKOFFICE_SOURCE, or the demo) names; the demo workbook is built first
    when it is missing, with a line on standard error while it is."""
    spec = source_spec(text)
    if spec.is_demo and not Path(spec.location).is_file():
        print(_("Building the demo workbook {path} (first use only, a few seconds)…").format(path=spec.location), file=sys.stderr)
        try:
            ensure_demo_workbook(Path(spec.location))
        except OSError as exc:
            raise SourceError(_("The demo workbook could not be built in {folder} ({problem}). Start the app from a folder it may "
                                "write, or set BACKOFFICE_SOURCE to a workbook or Google Sheet.").format(
                                    folder=Path(spec.location).parent, problem=exc.strerror or type(exc).__name__)) from exc
    return open_source(spec)


def unreadable(problem: SourceError) -> str:
    """The one sentence every command prints when its source cannot be read."""
    return _("Could not read the source: {problem}").format(problem=problem)
