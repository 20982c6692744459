"""The back office's command line: `python cli.py {report,validate,provision} ...` (see README)."""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "report": "The year's results in Markdown (English or Khmer: --lang), in the programme report's terms; exit 0 when complete, 1 when rows "
              "were left out, a tab is missing or the year has no data, 2 when the source cannot be read.",
    "validate": "Check every tab; exit 0 when there are no errors, 1 when there are, 2 when the source cannot be read.",
    "provision": "Create missing tabs, headers and dropdowns in a Google Sheet, optionally copying a workbook in.",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cli.py", description="CCPCR Back Office command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, help_text in COMMANDS.items():
        modules[name] = importlib.import_module(f"commands.{name}")
        modules[name].add_arguments(commands.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    return modules[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
