"""`python cli.py report --year YYYY [--source S] [--show-personal-data]`: the year's results in Markdown, in the
report's terms. The report is made of aggregates; should a figure ever quote a personal-data value (a name,
a phone, a patient code), it is printed as ••• unless --show-personal-data is given (admin on the server)."""
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
    parser.add_argument("--show-personal-data", action="store_true",
                        help="Print personal data as read; masked as ••• by default. For the admin / M&E officer on the server only.")


def run(args: argparse.Namespace) -> int:
    cache = Cache(":memory:")  # its own cache: the command line never blocks on a running app
    try:
        cache.refresh(open_source(args.source), date_order=setting("date_order"))
    except SourceError as exc:
        print(f"Could not read the source: {exc}", file=sys.stderr)
        return 2
    text = results_markdown(year_results(cache.cursor(), args.year))
    if not getattr(args, "show_personal_data", False):
        text = mask_personal_values(cache.cursor(), text)
    print(text)
    return 0


def mask_personal_values(con, text: str) -> str:
    """Any personal-data value of the cached tabs (names, phones, patient codes, e-mails) quoted in the text -> •••."""
    from connectors.access import MASK
    from connectors.cache import quote
    from schemas.registry import TABS

    values: set[str] = set()
    for tab in TABS:
        for spec in tab.columns:
            if spec.pii and spec.kind == "text":
                values.update(str(v).strip() for (v,) in con.execute(f"SELECT DISTINCT {quote(spec.name)} FROM {quote(tab.name)}").fetchall()
                              if v is not None and len(str(v).strip()) >= 3)
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text
