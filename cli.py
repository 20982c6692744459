"""The back office's command line: `python cli.py [--lang en|km] {report,validate,provision} ...` (see README).

Its help and messages come from the catalogs, in the language of `--lang` (before or after the command),
else BACKOFFICE_LANGUAGE, else English. argparse's own words ("usage:", "options") are given ours too."""
from __future__ import annotations

import argparse
import importlib
import sys

from schemas.i18n import LANGUAGES, N_, _, catalog_problem, configured_language, language

COMMANDS = {
    "report": N_("The year's results in Markdown (English or Khmer: --lang), in the programme report's terms; exit 0 when complete, "
                 "1 when rows were left out, a tab is missing or the year has no data, 2 when the source cannot be read."),
    "validate": N_("Check every tab; exit 0 when there are no errors, 1 when there are, 2 when the source cannot be read."),
    "provision": N_("Create missing tabs, headers and dropdowns in a Google Sheet, optionally copying a workbook in."),
}

LANG_HELP = N_("The language of the help and messages: en (English) or km (Khmer); default: BACKOFFICE_LANGUAGE, else en.")


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=_("usage: ") if prefix is None else prefix)


def new_parser(add_parser=argparse.ArgumentParser, /, *args, **kwargs) -> argparse.ArgumentParser:
    """A parser whose own headings and -h are in the current language."""
    parser = add_parser(*args, formatter_class=HelpFormatter, add_help=False, **kwargs)
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=_("Show this help and exit."))
    return parser


def chosen_language(argv: list[str]) -> str:
    """--lang CODE or --lang=CODE anywhere on the line (so `report --lang km --help` is Khmer), else the setting."""
    for i, word in enumerate(argv):
        code = word.split("=", 1)[1] if word.startswith("--lang=") else argv[i + 1] if word == "--lang" and i + 1 < len(argv) else None
        if code in LANGUAGES:
            return code
    return configured_language()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with language(chosen_language(argv)):
        problem = catalog_problem()
        if problem:  # never a quiet fall back to English
            print(problem, file=sys.stderr)
        parser = new_parser(prog="cli.py", description=_("CCPCR Back Office command line."))
        parser.add_argument("--lang", dest="cli_lang", choices=sorted(LANGUAGES), default=None, help=_(LANG_HELP))
        commands = parser.add_subparsers(dest="command", required=True, title=_("commands"))
        modules = {}
        for name, help_text in COMMANDS.items():
            modules[name] = importlib.import_module(f"commands.{name}")
            command = new_parser(commands.add_parser, name, help=_(help_text), description=_(help_text))
            modules[name].add_arguments(command)
            if "--lang" not in command._option_string_actions:  # --lang before or after any command
                command.add_argument("--lang", dest="lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS, help=_(LANG_HELP))
        args = parser.parse_args(argv)
        return modules[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
