"""`python cli.py validate [--source S] [--tab T ...] [--format text|json|junit]`.

Reads the source once, validates every tab (or the named ones) and prints the issues. Personal data
(the values, and messages quoting them, of columns flagged pii) is printed as ••• unless
--show-personal-data is given: the command line has no sign-in, and is meant for the M&E officer / admin
running it on the server, who may unmask it when fixing a cell needs it. Exit 0: no
errors (warnings allowed); 1: errors found; 2: the source could not be read. It never touches the
app's DuckDB cache, so it runs beside a running app, in a cron job or as a CI step.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from xml.etree import ElementTree as ET

from commands.source import opened, unreadable
from connectors.config import admin_settings, setting, sign_in_configured
from connectors.sources.interface import SourceError
from gateway.declared import registry_problems
from insights.privacy import MASK, masked_message, pii_headers
from schemas.i18n import _, ngettext
from schemas.issues import ERROR, WARNING, Issue
from schemas.registry import TABS
from schemas.registry import tab as registered_tab
from schemas.safe_text import xml_safe
from schemas.validate import users_without_admin, validate_workbook
from ui.cell_links import fix_url

FORMATS = ("text", "json", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default=None,
                        help=_("A .xlsx path or gsheets:<key or URL>; default: BACKOFFICE_SOURCE or the demo workbook."))
    parser.add_argument("--tab", action="append", default=None, metavar="T",
                        help=_("Only this tab (repeat for several); rules across tabs then see only these tabs."))
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help=_("text (for people), json (one array of issues, one per line, streamed) or junit (for CI)."))
    parser.add_argument("--show-personal-data", action="store_true",
                        help=_("Print personal data (names, phones, survivor flags, patient codes) as read; masked as ••• by default. "
                               "For the admin / M&E officer on the server only."))


def run(args: argparse.Namespace) -> int:
    problems = registry_problems()
    if problems:
        print(_("validate: the registry of tabs is inconsistent; fix these in schemas/ first:"), file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    try:
        tabs = [registered_tab(name) for name in args.tab] if args.tab else list(TABS)
    except KeyError as exc:
        print(f"validate: {exc.args[0]}", file=sys.stderr)
        return 2
    try:
        source = opened(args.source)
        grids = source.read([t.name for t in tabs])
    except SourceError as exc:
        print(unreadable(exc), file=sys.stderr)
        return 2
    link = getattr(source, "cell_link", None)
    frames, issues = validate_workbook(grids, tabs=tabs, date_order=setting("date_order"), link=link, admin_settings=admin_settings())
    if sign_in_configured():  # with sign-in on, an empty users tab or one without an admin locks everybody out
        issues.extend(users_without_admin(frames))
    shown: Iterable[Issue] = issues if getattr(args, "show_personal_data", False) else mask_personal_data(issues)
    errors = any(i.severity == ERROR for i in issues)
    if args.format == "json":  # streamed: an error storm is written issue by issue, never held as one text
        for chunk in as_json(shown):
            sys.stdout.write(chunk)
        return 1 if errors else 0
    out = (as_text(list(shown), [t.name for t in tabs], app_url=str(setting("app_url"))) if args.format == "text"
           else as_junit(list(shown), [t.name for t in tabs]))
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 1 if errors else 0


def mask_personal_data(issues: Iterable[Issue]) -> Iterator[Issue]:
    """The issues with the values of personal-data cells, and messages quoting them, shown as •••; one by one."""
    hidden: dict[tuple[str, str | None], bool] = {}
    for issue in issues:
        where = (issue.tab, issue.column)
        if where not in hidden:
            hidden[where] = issue.column in pii_headers(issue.tab, [issue.column])
        if not hidden[where] or issue.value is None or str(issue.value) == "":
            yield issue
            continue
        message = masked_message(issue.value, issue.message, issue.column, "--show-personal-data shows it")
        yield issue.replace(value=MASK, message=message)


def as_json(issues: Iterable[Issue]) -> Iterator[str]:
    """One JSON array, written as it goes: "[", then one issue object per line, then "]"."""
    yield "["
    separator = "\n"
    for issue in issues:
        yield separator + json.dumps(issue.as_dict(), ensure_ascii=False, default=str)
        separator = ",\n"
    yield "\n]\n"


def as_text(issues: list[Issue], tabs: list[str], app_url: str = "") -> str:
    """For people: one line per problem, then where it is fixed - the sheet's own cell (a Google Sheet) and,
    with `app_url`, the app's Tables page at that tab, row and column (every source)."""
    errors = sum(i.severity == ERROR for i in issues)
    warnings = sum(i.severity == WARNING for i in issues)
    lines = []
    for issue in issues:
        where = f"{issue.tab}!{issue.cell}" if issue.cell else issue.tab
        lines.append(f"{issue.severity.upper():7} {where:22} {issue.rule:32} {issue.message}")
        if issue.link:
            lines.append(f"{'':8}" + _("in the sheet: {link}").format(link=issue.link))
        fix = fix_url(issue.tab, issue.row, issue.column, base=app_url) if app_url and issue.rule != "tab.missing" else None
        if fix:
            lines.append(f"{'':8}" + _("fix in the app: {link}").format(link=fix))
    lines.append(_("{tabs} tabs checked: {errors}, {warnings}.").format(
        tabs=len(tabs), errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)))
    return "\n".join(lines)


def as_junit(issues: list[Issue], tabs: list[str]) -> str:
    """One testcase per tab; each error a failure of it (warnings go to its system-out). Every text is XML-safe:
    a control character in a cell would make the report a file no CI can read."""
    suite = ET.Element("testsuite", name="validate", tests=str(len(tabs)),
                       failures=str(sum(any(i.severity == ERROR and i.tab == t for i in issues) for t in tabs)))
    for name in tabs:
        case = ET.SubElement(suite, "testcase", classname="validate", name=xml_safe(name))
        mine = [i for i in issues if i.tab == name]
        for issue in (i for i in mine if i.severity == ERROR):
            failure = ET.SubElement(case, "failure", type=xml_safe(issue.rule), message=xml_safe(issue.message))
            failure.text = xml_safe(f"{issue.cell or ''} {issue.link or ''}".strip())
        warned = [i for i in mine if i.severity == WARNING]
        if warned:
            ET.SubElement(case, "system-out").text = xml_safe("\n".join(f"WARNING {i.rule}: {i.message}" for i in warned))
    return ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True)
