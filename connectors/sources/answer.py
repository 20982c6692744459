"""The batchGet answer as grids, decoded only where needed (connectors.sources.gsheets).

One `values:batchGet` answers every tab; at the 10 M-cell cap that is ~100 MB of JSON. msgspec scans the
answer once without making a Python value per cell (`msgspec.Raw`: each tab's `values` stays bytes),
each tab gets a digest of its bytes (blake2b), and a tab's cells are decoded only when something reads
them (schemas.grid.Grid.decoded_later). A refresh after an edit in one tab decodes, types and checks that
tab only; the digests say which (connectors.store.refresh).

Google's answers are strict JSON. The local test server may write NaN or Infinity (Python's json), which
strict decoders refuse: then the answer is read with the standard library, as before.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import msgspec

from schemas.grid import Grid, Merge


class _Range(msgspec.Struct):
    values: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"[]"))


class _Answer(msgspec.Struct):
    valueRanges: list[_Range] = msgspec.field(default_factory=list)


_DECODER = msgspec.json.Decoder(_Answer)
_ROWS = msgspec.json.Decoder(list)


def _header(values: list[list[Any]]) -> list[str]:
    return ["" if cell is None else str(cell) for cell in values[0]] if values else []


def _decoder(raw: msgspec.Raw) -> Callable[[], tuple[list[str], list[list[Any]]]]:
    def decode() -> tuple[list[str], list[list[Any]]]:
        from connectors.sources.gsheets_http import gc_paused

        with gc_paused():
            try:
                values = _ROWS.decode(raw)
            except msgspec.DecodeError:  # NaN, Infinity or a number past 1e308: what json reads as nan/inf
                values = json.loads(bytes(raw))
        return _header(values), values[1:]
    return decode


def grids_from_answer(body: bytes, tabs: list[str], where: dict[str, dict[str, Any]]) -> dict[str, Grid]:
    """{tab: Grid} from the bytes of a batchGet answer for `tabs` (in the order asked); `where[tab]` holds the
    grid's gid and merges. Each grid's cells are decoded on first use."""
    try:
        ranges = _DECODER.decode(body).valueRanges
    except msgspec.DecodeError:
        return _grids_from_json(json.loads(body), tabs, where)
    grids = {}
    for name, value_range in zip(tabs, ranges, strict=False):
        digest = hashlib.blake2b(value_range.values, digest_size=16).hexdigest()
        grids[name] = Grid.decoded_later(name, _decoder(value_range.values), digest, first_row=2, **where[name])
    return grids


def _grids_from_json(answer: dict, tabs: list[str], where: dict[str, dict[str, Any]]) -> dict[str, Grid]:
    grids = {}
    for name, value_range in zip(tabs, answer.get("valueRanges", []), strict=False):
        values = value_range.get("values", [])
        grids[name] = Grid(name, _header(values), values[1:], first_row=2, **where[name])
    return grids


def merges_of(ranges: list[dict]) -> tuple[Merge, ...]:
    """A sheet's `merges` (GridRanges; Google leaves out a 0 index) as Merges."""
    return tuple(Merge(r.get("startRowIndex", 0), r.get("endRowIndex", 0), r.get("startColumnIndex", 0), r.get("endColumnIndex", 0))
                 for r in ranges)
