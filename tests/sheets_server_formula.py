"""Formulas that look things up in other cells, for the local Sheets server.

Google recalculates a formula whenever a cell it reads changes; this module does the same for the
small set of functions the back office writes into its Problems tab - `HYPERLINK`, `MATCH` (exact,
with Google's `*`, `?` and `~` wildcards), `IFERROR`, `ARRAYFORMULA`, `&`, `*`, `+`, `-`, `/`,
`=` and `<>` over text, numbers, booleans and ranges such as `'households'!A:A` - so a test can read
where a link leads after someone sorted a tab or inserted rows above (CellData.hyperlink).
Anything else keeps the arithmetic-only evaluation of tests.sheets_server_cells (#NAME? for a function
it does not know). `recalculate(book)` runs after every change (Spreadsheet.touch).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests import sheets_server_a1 as a1

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"]|"")*")
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
    | (?P<ref>(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)![$A-Za-z0-9]+(?::[$A-Za-z0-9]+)?|\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<op><>|<=|>=|[-+*/&=(),<>])
    )""", re.VERBOSE)
LOOKUPS = ("HYPERLINK", "MATCH", "IFERROR", "ARRAYFORMULA")


class FormulaError(Exception):
    """A cell error (#N/A, #VALUE!, ...): IFERROR catches it; shown as the cell's value otherwise."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Link:
    """HYPERLINK's result: the label shows in the cell, the url is the cell's `hyperlink`."""

    label: Any
    url: str


def is_lookup(formula: str) -> bool:
    upper = formula.upper()
    return any(f"{name}(" in upper for name in LOOKUPS)


def recalculate(book: Any) -> None:
    """Re-evaluate every lookup formula of the spreadsheet against its cells as they are now."""
    for sheet in book.sheets:
        for (r, c), formula in list(sheet.formulas.items()):
            if not is_lookup(formula):
                continue
            try:
                result = _Parser(formula[1:], book, sheet).parse()
            except FormulaError as error:
                result = error.code
            except (ValueError, IndexError, KeyError, TypeError, ZeroDivisionError):
                result = "#ERROR!"
            link = None
            if isinstance(result, Link):
                link, result = result.url, result.label
            if isinstance(result, list):
                result = result[0] if result else ""
            _store(sheet, r, c, result, link)


def _store(sheet: Any, r: int, c: int, value: Any, link: str | None) -> None:
    formula = sheet.formulas[(r, c)]
    value = int(value) if isinstance(value, float) and value.is_integer() and not isinstance(value, bool) else value
    sheet.set(r, c, "" if value is None else value, formula)
    if link:
        sheet.links[(r, c)] = link
    else:
        sheet.links.pop((r, c), None)


class _Parser:
    def __init__(self, text: str, book: Any, sheet: Any):
        self.tokens = self._tokens(text)
        self.pos = 0
        self.book, self.sheet = book, sheet

    @staticmethod
    def _tokens(text: str) -> list[tuple[str, str]]:
        out, pos = [], 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise ValueError(f"cannot read formula at {text[pos:]!r}")
            kind = match.lastgroup
            out.append((kind, match.group(kind)))
            pos = match.end()
        return out

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ValueError(f"expected {value!r}")
        self.pos += 1
        return token

    def parse(self) -> Any:
        value = self.compare()
        if self.peek() is not None:
            raise ValueError("trailing input")
        return value

    def compare(self) -> Any:
        left = self.concat()
        token = self.peek()
        if token is not None and token[1] in ("=", "<>"):
            self.take()
            right = self.concat()
            equal = _broadcast(left, right, _equal)
            return equal if token[1] == "=" else _broadcast(equal, True, lambda a, _b: not a)
        return left

    def concat(self) -> Any:
        value = self.additive()
        while self.peek() is not None and self.peek()[1] == "&":
            self.take()
            value = _broadcast(value, self.additive(), lambda a, b: _text(a) + _text(b))
        return value

    def additive(self) -> Any:
        value = self.term()
        while self.peek() is not None and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            value = _broadcast(value, self.term(), (lambda a, b: _num(a) + _num(b)) if op == "+" else (lambda a, b: _num(a) - _num(b)))
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.peek() is not None and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            value = _broadcast(value, self.unary(), (lambda a, b: _num(a) * _num(b)) if op == "*" else _divide)
        return value

    def unary(self) -> Any:
        if self.peek() is not None and self.peek()[1] == "-":
            self.take()
            return _broadcast(self.unary(), 0, lambda a, _b: -_num(a))
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace('""', '"')
        if kind == "number":
            return float(text) if any(ch in text for ch in ".eE") else int(text)
        if kind == "ref":
            return self.range(text)
        if text == "(":
            value = self.compare()
            self.take(")")
            return value
        if kind == "name":
            name = text.upper()
            if name in ("TRUE", "FALSE") and (self.peek() is None or self.peek()[1] != "("):
                return name == "TRUE"
            self.take("(")
            return self.call(name)
        raise ValueError(f"unexpected {text!r}")

    def arguments(self) -> list[Any]:
        args = []
        if self.peek() is not None and self.peek()[1] == ")":
            self.take()
            return args
        while True:
            args.append(self.compare())
            if self.take()[1] == ")":
                return args

    def call(self, name: str) -> Any:
        if name == "IFERROR":
            start = self.pos
            try:
                first = self.compare()
                failed = None
            except FormulaError as error:
                failed = error
                self.pos = start  # the error may come from deep inside: skip the whole argument from its start
                self._skip_argument()
            self.take(",")
            fallback = self.compare()
            self.take(")")
            return fallback if failed is not None else first
        args = self.arguments()
        if name == "ARRAYFORMULA":
            return args[0]
        if name == "HYPERLINK":
            label = args[1] if len(args) > 1 else args[0]
            return Link(label, _text(args[0]))
        if name == "MATCH":
            return _match(args[0], args[1], args[2] if len(args) > 2 else 1)
        raise FormulaError("#NAME?")

    def _skip_argument(self) -> None:
        """After an error inside IFERROR's first argument: move to its comma (parentheses balanced)."""
        depth = 0
        while self.peek() is not None:
            text = self.peek()[1]
            if text == "(":
                depth += 1
            elif text == ")":
                if depth == 0:
                    return
                depth -= 1
            elif text == "," and depth == 0:
                return
            self.pos += 1

    def range(self, text: str) -> list[Any]:
        try:
            ref = a1.parse(text.replace("$", ""), self.book.titles())
        except a1.RangeError:
            raise FormulaError("#REF!") from None
        sheet = self.sheet if ref.title is None else self.book.sheet_named(ref.title)
        box = sheet.box(ref)
        if box.cols != 1:
            return [sheet.get(r, c) for r in range(box.r0, box.r1) for c in range(box.c0, box.c1)]
        return [sheet.get(r, box.c0) for r in range(box.r0, box.r1)]


def _broadcast(left: Any, right: Any, fn: Any) -> Any:
    if isinstance(left, list) and isinstance(right, list):
        return [fn(a, b) for a, b in zip(left, right, strict=False)]
    if isinstance(left, list):
        return [fn(a, right) for a in left]
    if isinstance(right, list):
        return [fn(left, b) for b in right]
    return fn(left, right)


def _equal(a: Any, b: Any) -> bool:
    """Google's `=`: text case-insensitively, numbers by value, a blank cell equal to "" and to 0; text never equals a number."""
    if a == "" or b == "":
        return a in ("", 0, False) and b in ("", 0, False)
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    if isinstance(a, str) or isinstance(b, str):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return float(a) == float(b)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _num(value: Any) -> float | int:
    if isinstance(value, bool):
        return int(value)
    if value == "":
        return 0
    if isinstance(value, (int, float)):
        return value
    raise FormulaError("#VALUE!")


def _divide(a: Any, b: Any) -> float:
    if _num(b) == 0:
        raise FormulaError("#DIV/0!")
    return _num(a) / _num(b)


def _wildcard(pattern: str) -> re.Pattern[str]:
    """Google's MATCH patterns: * any run, ? one character, ~ makes the next one literal."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _match(wanted: Any, values: Any, kind: Any) -> int:
    if not isinstance(values, list):
        values = [values]
    if _num(kind) != 0:
        raise ValueError("only exact MATCH (0) is served")
    pattern = _wildcard(wanted) if isinstance(wanted, str) and any(ch in wanted for ch in "*?~") else None
    for position, value in enumerate(values, start=1):
        if pattern is not None:
            if isinstance(value, str) and pattern.fullmatch(value):
                return position
        elif value != "" and _equal(value, wanted):
            return position
    raise FormulaError("#N/A")
