"""The Problems tab's rows: what each problem is called (its id), where its row is (by key), what the tab
shows, and how a link finds the row again after staff sort or insert rows. Pure: no I/O here.

A problem's id is its tab, its row's key (as typed in the key column: "HH-0042"; "#17" when the row has no
key of its own - blank or used twice - and "" for a header or whole-tab problem), its column header and its
rule. Sorting a tab or inserting rows does not change it, so "first seen" and a "Correct as typed" tick
stay with the problem, not with a row number.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from schemas.base import match_headers
from schemas.grid import Grid
from schemas.issue_rows import IssueRows
from schemas.issues import column_letter
from schemas.registry import TABS
from schemas.row_key import key_text

OPEN, CONFIRMED = "open", "confirmed"
SECTION_MARK = "#confirmed"  # the id cell of the row that starts the confirmed part of the tab
MAX_ROWS = 2000  # problems listed in the sheet (and cells given a note); the rest are counted in one line
_SAFE_KEY = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
TICKED = {"true", "yes", "y", "x", "1", "✓", "✔", "☑", "បាទ", "ចាស", "ត្រូវ"}


@dataclass(frozen=True)
class Anchor:
    """Where a problem's row is: its key as text, and the key cells as held ((column letter, raw value), ...);
    no key cells: the link uses the row number as it was read."""

    row_key: str
    key_refs: tuple[tuple[str, Any], ...] = ()


def ident(tab: str, row_key: str, column: str | None, rule: str) -> str:
    return "|".join((tab, row_key, column or "", rule))


def anchors(grids: dict[str, Grid], issues: IssueRows) -> list[Anchor]:
    """Each issue's anchor, from the grids just read (only the tabs with issues are looked at; a row with
    several issues is looked at once)."""
    tabs, rows = issues.column("tab"), issues.column("row")
    keyed: dict[str, tuple[Grid, list[int], list[str], collections.Counter] | None] = {}
    seen: dict[tuple[str, int], Anchor] = {}
    out = []
    for tab, row in zip(tabs, rows, strict=False):
        if row is None:
            out.append(Anchor(""))
            continue
        if row == 1:
            out.append(Anchor("@header"))
            continue
        found = seen.get((tab, row))
        if found is None:
            if tab not in keyed:
                keyed[tab] = _key_columns(tab, grids.get(tab))
            found = seen[(tab, row)] = _anchor(keyed[tab], row)
        out.append(found)
    return out


def _anchor(keyed: tuple[Grid, list[int], list[str], collections.Counter] | None, row: int) -> Anchor:
    if keyed is None:
        return Anchor(f"#{row}")
    grid, positions, letters, counts = keyed
    cells = _row_cells(grid, row, positions)
    texts = [_key(v) for v in cells]
    text = " / ".join(texts)
    if not all(texts) or counts[text] != 1:
        return Anchor(f"#{row}")
    return Anchor(text, tuple(zip(letters, (_plain(v) for v in cells), strict=False)))


def _key(value: Any) -> str:
    """key_text, quicker for the usual text key."""
    return value.strip() if type(value) is str else key_text(value)


def _key_columns(tab: str, grid: Grid | None) -> tuple[Grid, list[int], list[str], collections.Counter] | None:
    spec = next((t for t in TABS if t.name == tab), None)
    if grid is None or spec is None or not spec.key:
        return None
    columns = match_headers(spec.schema, grid.header)
    if any(k not in columns for k in spec.key):
        return None
    positions = [columns[k] for k in spec.key]
    if len(positions) == 1:
        p = positions[0]
        counts = collections.Counter(_key(r[p]) if p < len(r) else "" for r in grid.rows)
    else:
        counts = collections.Counter(" / ".join(_key(r[p]) if p < len(r) else "" for p in positions) for r in grid.rows)
    return grid, positions, [column_letter(p) for p in positions], counts


def _row_cells(grid: Grid, row: int, positions: list[int]) -> list[Any]:
    index = row - grid.first_row
    values = grid.rows[index] if 0 <= index < len(grid.rows) else []
    return [values[p] if p < len(values) else "" for p in positions]


def _plain(value: Any) -> Any:
    """A key cell as JSON keeps it: text, number or bool (a date as its ISO text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def value_text(value: Any) -> str:
    """A value as the Problems tab shows it (as typed: no quotes, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def cell_text(value: Any) -> str:
    """Any cell of the Problems tab normalised, so what was written and what is read back compare equal."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def is_ticked(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return str(value or "").strip().casefold() in TICKED


# --- the tab as it was read ------------------------------------------------------------------------

@dataclass
class SheetRow:
    ident: str
    value: str
    first_seen: str
    ticked: bool
    section: str  # OPEN or CONFIRMED (below the confirmed part's heading)
    cells: list[str] = field(default_factory=list)


@dataclass
class SheetProblems:
    """The app's Problems tab as read: its title and rows (None: the sheet has no such tab)."""

    title: str
    rows: list[SheetRow]
    digest: str
    header: list[str]


def is_ours(grid: Grid | None) -> bool:
    from schemas.app_tabs import PROBLEMS_MARKER

    return grid is not None and bool(grid.header) and grid.header[-1].strip() == PROBLEMS_MARKER


def read_sheet(grid: Grid) -> SheetProblems:
    from schemas.app_tabs import PROBLEMS_COLUMNS

    names = [name for name, _title in PROBLEMS_COLUMNS]
    rows, section, visible = [], OPEN, []
    for raw in grid.rows:
        cells = {name: (raw[i] if i < len(raw) else None) for i, name in enumerate(names)}
        visible.append(visible_of(cells))
        marker = cell_text(cells["ident"]).strip()
        if marker == SECTION_MARK:
            section = CONFIRMED
            continue
        if not marker:
            continue
        rows.append(SheetRow(marker, cell_text(cells["value"]), cell_text(cells["first_seen"]), is_ticked(cells["confirmed"]), section))
    header = [cell_text(h) for h in grid.header]
    return SheetProblems(grid.tab, rows, digest([header, *visible]), header)


def visible_of(cells: dict[str, Any]) -> list[str]:
    """What a row shows, for the digest: every column but the link (a formula whose label is all a read gives)."""
    return [cell_text(v) for name, v in cells.items() if name != "link"]


def digest(rows: list[list[str]]) -> str:
    return hashlib.blake2b(json.dumps(rows, ensure_ascii=False).encode(), digest_size=16).hexdigest()


# --- links that find their row by key ---------------------------------------------------------------

def _literal(value: Any) -> str | None:
    """A formula literal for a key cell's value, or None when a formula should not carry it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, str) and _SAFE_KEY.match(value):
        return '"' + value.replace('"', '""') + '"'
    return None


def _sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def row_formula(tab: str, key_refs: list[list[Any]] | tuple, fallback_row: int, array: str = "ARRAYFORMULA") -> str | None:
    """The sheet row of the row holding this key, as a formula (falls back to the row it was read at):
    MATCH on the key column; for a two-column key, or a key with a wildcard character, an exact array
    comparison. None when the key cannot be put in a formula (the caller then links the row as read)."""
    literals = [(letter, _literal(value)) for letter, value in key_refs]
    if not literals or any(lit is None for _letter, lit in literals):
        return None
    ref = _sheet_ref(tab)
    if len(literals) == 1 and not any(ch in literals[0][1] for ch in "*?~"):
        letter, lit = literals[0]
        match = f"MATCH({lit},{ref}!{letter}:{letter},0)"
    else:
        if not array:
            return None
        product = "*".join(f"({ref}!{letter}:{letter}={lit})" for letter, lit in literals) + ("*1" if len(literals) == 1 else "")
        match = f"MATCH(1,{array}({product}),0)"
    return f"IFERROR({match},{int(fallback_row)})"


def text_literal(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


def split_cell(cell: str) -> tuple[str, int]:
    letters = cell.rstrip("0123456789")
    return letters, int(cell[len(letters):])
