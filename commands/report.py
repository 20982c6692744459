"""`python cli.py report --year YYYY [--lang km|en] [--source S] [--show-personal-data]`: the year's results in Markdown,
in the report's terms, in English or Khmer (default BACKOFFICE_LANGUAGE). The report is made of aggregates; should a figure ever quote a personal-data value (a name,
a phone, a patient code), it is printed as ••• unless --show-personal-data is given (admin on the server).

Exit 0: every figure is complete; 1: figures printed but rows with errors were left out or a tab or column
is missing (listed first, under "Data problems"), or the year has no data (one line, no report); 2: the
source could not be read."""
from __future__ import annotations

import argparse
import sys

from connectors.config import setting
from connectors.sources import open_source
from connectors.sources.interface import SourceError
from connectors.store.cache import Cache
from insights.common import years_with_data
from insights.overview import data_problems, results_markdown, year_results
from schemas.i18n import LANGUAGES, _, configured_language, language

CLEAN, INCOMPLETE, UNREADABLE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="The year to report on, e.g. 2017.")
    parser.add_argument("--source", default=None, help="A .xlsx path or gsheets:<key or URL>; default: BACKOFFICE_SOURCE or the demo workbook.")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help="The report's language: en (English) or km (Khmer); default: BACKOFFICE_LANGUAGE, else en.")
    parser.add_argument("--show-personal-data", action="store_true",
                        help="Print personal data as read; masked as ••• by default. For the admin / M&E officer on the server only.")


def run(args: argparse.Namespace) -> int:
    with language(getattr(args, "lang", None) or configured_language()):
        return _report(args)


def _report(args: argparse.Namespace) -> int:
    cache = Cache(":memory:")  # its own cache: the command line never blocks on a running app
    try:
        cache.refresh(open_source(args.source), date_order=setting("date_order"))
    except SourceError as exc:
        print(_("Could not read the source: {problem}").format(problem=exc), file=sys.stderr)
        return UNREADABLE
    years = years_with_data(cache.cursor())
    if args.year not in years:
        held = (_("the source holds data for {years}").format(years=", ".join(map(str, years))) if years
                else _("the source holds no dated rows yet"))
        print(_("No data for {year}: {held}. Pick one of those years.").format(year=args.year, held=held), file=sys.stderr)
        return INCOMPLETE
    results = year_results(cache.cursor(), args.year)
    text = results_markdown(results)
    if not getattr(args, "show_personal_data", False):
        text = mask_personal_values(cache.cursor(), text)
    print(text)
    return INCOMPLETE if data_problems(results) else CLEAN


def mask_personal_values(con, text: str) -> str:
    """Any personal-data value of the cached tabs (names, phones, patient codes, e-mails) quoted in the text -> •••."""
    from connectors.access import MASK
    from connectors.store.cache import quote
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
