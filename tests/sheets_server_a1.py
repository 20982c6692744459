"""A1 notation as the Google Sheets API reads and writes it, for the local Sheets server.

Google accepts ranges like `Sheet1`, `'My tab'!A1:D4`, `Sheet1!A:A`, `Sheet1!A1:1`, `A1:B2` (the
first sheet) and answers with normalised ranges: quotes only where needed, open ends closed by the
grid's size (`A:A` -> `A1:A1000`), a single cell as `A1`. Indexes here are 0-based and end-exclusive,
like a GridRange.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^\$?([A-Za-z]*)\$?([0-9]*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_REF = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")


class RangeError(ValueError):
    """The text is not a range Google would accept; the message is Google's."""


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google does in the ranges it answers with."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_REF.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Ref:
    """A parsed range: a sheet title and optional cell bounds (None = open)."""

    title: str | None  # None: the first sheet
    r0: int | None = None
    c0: int | None = None
    r1: int | None = None  # end-exclusive
    c1: int | None = None
    single: bool = False  # written as one cell ("B3"): answered as one cell


@dataclass(frozen=True)
class Box:
    """A closed rectangle on one sheet: rows r0..r1-1, columns c0..c1-1."""

    title: str
    r0: int
    c0: int
    r1: int
    c1: int

    @property
    def rows(self) -> int:
        return self.r1 - self.r0

    @property
    def cols(self) -> int:
        return self.c1 - self.c0

    def a1(self) -> str:
        start = f"{col_letters(self.c0)}{self.r0 + 1}"
        end = f"{col_letters(self.c1 - 1)}{self.r1}"
        cells = start if start == end else f"{start}:{end}"
        return f"{quote_title(self.title)}!{cells}"


def _split_title(text: str) -> tuple[str | None, str | None]:
    """('title' or None, cells part or None)."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(title), None
                if rest.startswith("!"):
                    return "".join(title), rest[1:]
                raise RangeError(f"Unable to parse range: {text}")
            title.append(text[i])
            i += 1
        raise RangeError(f"Unable to parse range: {text}")
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    return None, text


def _parse_cell(part: str, whole: str) -> tuple[int | None, int | None]:
    match = _CELL.match(part)
    if not match or not (match.group(1) or match.group(2)):
        raise RangeError(f"Unable to parse range: {whole}")
    letters, digits = match.groups()
    if digits and int(digits) == 0:
        raise RangeError(f"Unable to parse range: {whole}")
    return (int(digits) - 1 if digits else None), (col_index(letters) if letters else None)


def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    """One axis of "X:Y": both given -> sorted; one missing -> open at that end."""
    if a is not None and b is not None:
        return min(a, b), max(a, b) + 1
    if a is not None:
        return a, None  # A1:B -> rows from 1 to the end of the grid
    if b is not None:
        return 0, b + 1
    return None, None


def parse(text: str, titles: list[str]) -> Ref:
    """Parse a range as Google does; `titles` are the sheet titles, to tell names from cells."""
    text = text.strip()
    if not text:
        raise RangeError("Unable to parse range: ")
    title, cells = _split_title(text)
    if title is None:
        # No "!": a bare sheet title, or cells on the first sheet.
        if text in titles or not all(_CELL.match(p) for p in text.split(":", 1)):
            return Ref(text)
        cells = text
    if title is not None and title not in titles:
        raise RangeError(f"Unable to parse range: {text}")
    if cells is None:
        return Ref(title)
    parts = cells.split(":")
    if len(parts) > 2:
        raise RangeError(f"Unable to parse range: {text}")
    r0, c0 = _parse_cell(parts[0], text)
    if len(parts) == 1:
        if r0 is None or c0 is None:
            raise RangeError(f"Unable to parse range: {text}")
        return Ref(title, r0, c0, r0 + 1, c0 + 1, single=True)
    r1, c1 = _parse_cell(parts[1], text)
    lo_r, hi_r = _span(r0, r1)
    lo_c, hi_c = _span(c0, c1)
    single = lo_r is not None and hi_r == lo_r + 1 and lo_c is not None and hi_c == lo_c + 1
    return Ref(title, lo_r, lo_c, hi_r, hi_c, single=single)


def close(ref: Ref, title: str, row_count: int, col_count: int) -> Box:
    """Close the open ends of a range with the sheet's grid size."""
    r0 = ref.r0 if ref.r0 is not None else 0
    c0 = ref.c0 if ref.c0 is not None else 0
    r1 = ref.r1 if ref.r1 is not None else row_count
    c1 = ref.c1 if ref.c1 is not None else col_count
    return Box(title, r0, c0, max(r1, r0 + 1), max(c1, c0 + 1))


def grid_range_box(grid: dict, title: str, row_count: int, col_count: int) -> Box:
    """A GridRange ({sheetId, startRowIndex, endRowIndex, ...}; missing = unbounded) as a Box."""
    return Box(
        title,
        grid.get("startRowIndex", 0),
        grid.get("startColumnIndex", 0),
        grid.get("endRowIndex", row_count),
        grid.get("endColumnIndex", col_count),
    )
