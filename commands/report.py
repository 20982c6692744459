"""`python cli.py report --year YYYY [--source S] [--show-personal-data] [--lang en|km] [--format md|xlsx|pdf --out FILE]`:
the year's results in the report's terms, in English or Khmer (default BACKOFFICE_LANGUAGE).

Without --format and --out: the report in Markdown on standard output. The report is made of aggregates;
should a figure ever quote a personal-data value (a name, a phone, a patient code), it is printed as •••
unless --show-personal-data is given (admin on the server).

With --format or --out: the donor pack (reports/): the figures per programme with the Overview's charts,
the data problems and the source with its freshness, as Markdown (charts as SVG files beside it), XLSX
or PDF. A pack leaves the organisation: small counts read "<5" as for viewers, and it never holds personal
data (so --show-personal-data does not apply). The format defaults to the --out file's suffix.

Exit 0: every figure is complete; 1: figures printed but rows with errors were left out or a tab or column
is missing (listed first, under "Data problems"), or the year has no data (one line, no report); 2: the
source could not be read, or the options or the --out file are unusable (nothing written)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands.source import opened, unreadable
from connectors.access import LOCAL_ADMIN
from connectors.config import setting
from connectors.pipeline import refresh
from connectors.sources.interface import SourceError
from connectors.store.cache import Cache
from gateway.figures import figure
from gateway.masking import mask_personal_values
from insights.common import years_with_data
from insights.overview import data_problems, results_markdown, year_results
from reports import FORMATS
from schemas.i18n import LANGUAGES, _, current_language, language

CLEAN, INCOMPLETE, UNREADABLE = 0, 1, 2
UNUSABLE = 2  # bad options or an --out file that cannot be written: like argparse's own usage errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help=_("The year to report on, e.g. 2017."))
    parser.add_argument("--source", default=None, help=_("A .xlsx path or gsheets:<key or URL>; default: BACKOFFICE_SOURCE or the demo workbook."))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help=_("The report's language: en (English) or km (Khmer); default: BACKOFFICE_LANGUAGE, else en."))
    parser.add_argument("--show-personal-data", action="store_true",
                        help=_("Print personal data as read; masked as ••• by default. For the admin / M&E officer on the server only."))
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help=_("Write the donor pack as md, xlsx or pdf (default: from the --out file's suffix)."))
    parser.add_argument("--out", type=Path, default=None, help=_("The donor pack's file (needed for xlsx and pdf)."))


def run(args: argparse.Namespace) -> int:
    with language(getattr(args, "lang", None) or current_language()):  # cli.py set --lang or the setting
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    fmt, out = getattr(args, "format", None), getattr(args, "out", None)
    pack = fmt is not None or out is not None
    if pack:
        problem = _pack_options_problem(args)
        if problem:
            print(problem, file=sys.stderr)
            return UNUSABLE
        fmt = fmt or out.suffix.lstrip(".").lower()
    cache = Cache(":memory:")  # its own cache: the command line never blocks on a running app
    try:
        # The same refresh as the app's, but the command line never writes to the source: no Problems tab, and no
        # outbox to send from (its cache is its own, in memory).
        refresh(cache, opened(args.source), send_saves=False, write_problems=False, date_order=setting("date_order"))
    except SourceError as exc:
        print(unreadable(exc), file=sys.stderr)
        return UNREADABLE
    # The command line is the server's admin (LOCAL_ADMIN); its figures go through the gateway as the pages' do.
    years = figure(cache, LOCAL_ADMIN, years_with_data)
    if not years:  # one plain sentence: there is no year to pick from
        print(_("No data for {year}: the source holds no dated rows yet, so there is nothing to report. Check --source, "
                "or enter the year's records first.").format(year=args.year), file=sys.stderr)
        return INCOMPLETE
    if args.year not in years:
        print(_("No data for {year}: the source holds data for {years}. Pick one of those years.").format(
            year=args.year, years=", ".join(map(str, years))), file=sys.stderr)
        return INCOMPLETE
    if pack:
        return _write_pack(cache, args.year, fmt, out)
    results = figure(cache, LOCAL_ADMIN, year_results, args.year)
    text = results_markdown(results)
    if not getattr(args, "show_personal_data", False):
        text = mask_personal_values(cache.cursor(), text)
    print(text)
    return INCOMPLETE if data_problems(results) else CLEAN


def _pack_options_problem(args: argparse.Namespace) -> str | None:
    """Why these pack options cannot work (checked before the source is read), or None."""
    fmt, out = args.format, args.out
    if getattr(args, "show_personal_data", False):
        return _("--show-personal-data applies to the printed report only: a donor pack never holds personal data. Leave it out.")
    if out is None:
        return None if fmt == "md" else _("--format {format} writes a file: add --out FILE, e.g. --out ccpcr-{year}.{format}.").format(
            format=fmt, year=args.year)
    if out.is_dir():
        example = out / f"ccpcr-{args.year}.{fmt or 'pdf'}"
        return _("Cannot write the pack to '{out}': it is a folder. Give a file name, e.g. {example}.").format(out=out, example=example)
    if fmt is None and out.suffix.lstrip(".").lower() not in FORMATS:
        return _("Cannot tell the format of '{out}' from its suffix '{suffix}': add --format {formats} or end the file name "
                 "in .{suffixes}.").format(out=out, suffix=out.suffix or _("(none)"), formats="|".join(FORMATS), suffixes=", .".join(FORMATS))
    folder = out.resolve().parent
    if not folder.is_dir():
        return _("Cannot write the pack to '{out}': the folder '{folder}' does not exist. Create it or pick another --out.").format(
            out=out, folder=folder)
    return None


def _write_pack(cache: Cache, year: int, fmt: str, out: Path | None) -> int:
    """The pack, built as the server's admin sees the source, published as for a donor (reports.pack)."""
    from reports.files import PackFailed, build_pack, guarded, pack_bytes, write_pack  # here: the plain report never loads the renderers

    try:
        pack = guarded(lambda: build_pack(cache, LOCAL_ADMIN, year, current_language()))
        if out is None:  # --format md alone: the pack's Markdown on standard output (its charts need --out)
            sys.stdout.write(guarded(lambda: pack_bytes(pack, "md")).decode("utf-8"))
            return INCOMPLETE if pack.problems else CLEAN
        written = guarded(lambda: write_pack(pack, fmt, out))
    except PackFailed as failed:
        print(str(failed), file=sys.stderr)
        return UNUSABLE
    except OSError as exc:
        print(_("Cannot write the pack to '{out}': {problem}. Pick a file you may write, or check the disk.").format(
            out=out, problem=exc.strerror or exc), file=sys.stderr)
        return UNUSABLE
    print(_("Wrote {files}").format(files=", ".join(str(p) for p in written)), file=sys.stderr)
    return INCOMPLETE if pack.problems else CLEAN
