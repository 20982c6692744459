"""`python cli.py report --year YYYY [--source S]`: the year's results in Markdown, in the report's terms."""
from __future__ import annotations

import argparse
import sys

from connectors.cache import Cache
from connectors.config import open_source, setting
from connectors.source import SourceError
from insights.overview import results_markdown, year_results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="The year to report on, e.g. 2017.")
    parser.add_argument("--source", default=None, help="A .xlsx path or gsheets:<key or URL>; default: BACKOFFICE_SOURCE or the demo workbook.")


def run(args: argparse.Namespace) -> int:
    cache = Cache(":memory:")  # its own cache: the command line never blocks on a running app
    try:
        cache.refresh(open_source(args.source), date_order=setting("date_order"))
    except SourceError as exc:
        print(f"Could not read the source: {exc}", file=sys.stderr)
        return 2
    print(results_markdown(year_results(cache.cursor(), args.year)))
    return 0
