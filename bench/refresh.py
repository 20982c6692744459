"""Refresh benchmark: our Google Sheets source against the usual gspread ways, on the local server.

    python -m bench.refresh [--cells 10000 1000000] [--repeat 3] [--no-write]

For each size, every registered tab is filled (tests.fixtures_sheets.demo_grids, scaled to about
that many cells in all) in a local Sheets API server running in its own process (as Google runs
apart from us), and three readers refresh all 17 tabs:

- ours: GoogleSheetSource.version() + read() — a change token, the metadata (again after a change: merged cells), ONE values:batchGet
  (UNFORMATTED_VALUE, compact JSON, gzip); an unchanged refresh is the token only.
- gspread-dataframe: get_as_dataframe per tab, opening the spreadsheet and the worksheet each time,
  as st-gsheets-connection does (3 calls per tab). It has no change token: every refresh reads all.
- gspread: get_all_records per tab after one worksheets() listing.

Reported per full refresh and per unchanged refresh: API calls and response bytes (from the
server's request log) and wall time (median of --repeat runs). The table goes into
docs/benchmarks.md, section "Refresh"; the last line printed is the summary.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectors.sources.google_http import GoogleSession  # noqa: E402
from connectors.sources.gsheets import GoogleSheetSource  # noqa: E402
from schemas.registry import TABS  # noqa: E402
from tests.fixtures_sheets import demo_grids  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"


class Server:
    """The local Sheets server in a subprocess, driven through its admin endpoints."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sheets_server", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.base = self.process.stdout.readline().strip().removeprefix("listening on ")
        self.process.stdout.readline()  # the empty spreadsheet it made
        self.http = requests.Session()

    def load(self, grids: dict[str, list[list]]) -> str:
        payload = {t: [[{"date": v.isoformat()} if hasattr(v, "isoformat") else v for v in row] for row in rows]
                   for t, rows in grids.items()}
        answer = self.http.post(f"{self.base}/_admin/spreadsheets", json={"title": "bench", "sheets": payload, "fit": True}, timeout=600)
        return answer.json()["spreadsheetId"]

    def reset(self) -> None:
        self.http.post(f"{self.base}/_admin/reset")

    def served(self) -> tuple[int, int]:
        log = self.http.get(f"{self.base}/_admin/requests").json()
        api = [r for r in log if r["api"] in ("sheets", "drive")]
        return len(api), sum(r["bytes"] for r in api)

    def edit(self, key: str) -> None:
        self.http.post(f"{self.base}/_admin/edit", json={"spreadsheetId": key, "sheet": "villages", "cell": "B2", "value": f"edit {time.time()}"})

    def edit_cell(self, key: str, sheet: str, cell: str, value: object) -> None:
        """Another person types `value` into one cell (Drive's modifiedTime moves)."""
        self.http.post(f"{self.base}/_admin/edit", json={"spreadsheetId": key, "sheet": sheet, "cell": cell, "value": value})

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def measure(server: Server, run: Callable[[], Any], repeat: int, before: Callable[[], None] = lambda: None) -> dict:
    times, calls, size = [], 0, 0
    for _ in range(repeat):
        before()
        server.reset()
        start = time.perf_counter()
        kept = run()
        times.append(time.perf_counter() - start)
        del kept  # freeing a million cells is not part of anyone's refresh time
        calls, size = server.served()
    return {"calls": calls, "bytes": size, "seconds": statistics.median(times)}


def ours(server: Server, key: str, repeat: int) -> dict[str, dict]:
    fresh = lambda: GoogleSheetSource.from_settings(key, secrets={}, api_base=server.base)
    holder: dict[str, Any] = {}

    def first() -> Any:
        source = fresh()  # a new process: no metadata yet
        holder["version"] = source.version()
        holder["source"] = source
        return source.read()

    full = measure(server, first, repeat)
    holder["grids"] = first()
    source = holder["source"]
    unchanged = measure(server, lambda: source.version() == holder["version"] or source.read(), repeat)
    edited = measure(server, lambda: (source.version(), source.read()), repeat, before=lambda: server.edit(key))
    cells = sum(len(g.header) + sum(len(r) for r in g.rows) for g in holder["grids"].values())
    return {"full": full, "unchanged": unchanged, "edited": edited, "cells": cells}


def gspread_dataframe_peer(server: Server, key: str, repeat: int) -> dict[str, dict]:
    import gspread
    from gspread_dataframe import get_as_dataframe

    client = gspread.Client(auth=None, session=GoogleSession(server.base, compact=False, gzip=False))

    def refresh() -> Any:
        frames = []
        for t in TABS:  # what st-gsheets-connection does for each read(worksheet=...)
            worksheet = client.open_by_key(key).worksheet(t.name)
            frames.append(get_as_dataframe(worksheet, evaluate_formulas=True))
        return frames

    full = measure(server, refresh, repeat)
    return {"full": full, "unchanged": full, "edited": full}


def gspread_records_peer(server: Server, key: str, repeat: int) -> dict[str, dict]:
    import gspread

    client = gspread.Client(auth=None, session=GoogleSession(server.base, compact=False, gzip=False))

    def refresh() -> Any:
        return [worksheet.get_all_records() for worksheet in client.open_by_key(key).worksheets()]

    full = measure(server, refresh, repeat)
    return {"full": full, "unchanged": full, "edited": full}


def table(results: list[tuple[int, str, dict]]) -> str:
    lines = [
        "| cells | reader | full refresh: calls | bytes | time | after an edit: calls | time | unchanged: calls | bytes | time |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cells, name, r in results:
        f, e, u = r["full"], r["edited"], r["unchanged"]
        lines.append(f"| {cells:,} | {name} | {f['calls']} | {f['bytes']:,} | {f['seconds']:.3f} s | {e['calls']} | "
                     f"{e['seconds']:.3f} s | {u['calls']} | {u['bytes']:,} | {u['seconds']:.3f} s |")
    return "\n".join(lines)


def write_section(body: str, title: str = "Refresh") -> None:
    """Replace the "## <title>" section of docs/benchmarks.md (create the file if missing)."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip() + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, nargs="+", default=[10_000, 1_000_000], help="Total cells over all 17 tabs.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the median is reported.")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = parser.parse_args(argv)
    width = sum(len(t.columns) for t in TABS)
    server = Server()
    results: list[tuple[int, str, dict]] = []
    summary = ""
    try:
        for target in args.cells:
            rows = max(1, math.ceil(target / width) - 1)
            key = server.load(demo_grids(rows))
            mine = ours(server, key, args.repeat)
            cells = mine["cells"]
            peers = {"gspread-dataframe get_as_dataframe": gspread_dataframe_peer(server, key, args.repeat),
                     "gspread get_all_records": gspread_records_peer(server, key, args.repeat)}
            results.append((cells, "ours (version + read)", mine))
            results.extend((cells, name, r) for name, r in peers.items())
            best_name, best = min(peers.items(), key=lambda p: p[1]["full"]["seconds"])
            speedup = best["full"]["seconds"] / mine["full"]["seconds"]
            print(table([r for r in results if r[0] == cells]), flush=True)
            summary = (f"refresh: ours {mine['full']['calls']} calls, best peer {best['full']['calls']} calls; "
                       f"speedup {speedup:.1f}x at {cells} cells")
            print(f"(best peer at {cells:,} cells: {best_name})", flush=True)
    finally:
        server.stop()
    if not args.no_write:
        write_section(
            "`python -m bench.refresh` — all 17 tabs, the local Sheets server in its own process on loopback "
            f"(2 cores shared with other work, so times vary between runs, up to 3x under load; calls and bytes do not), median of {args.repeat} runs; each tab's grid as "
            "wide as its columns and at least 1000 rows, as `provision` makes it. Calls and bytes are what the server answered (Sheets + "
            "Drive calls; bytes as sent, gzip where the client asked for it the Google way). Ours returns raw "
            "grids; the peers return DataFrames or dicts. The peers have no change token, so an unchanged refresh "
            "costs them a full read.\n\n" + table(results) + f"\n\n{summary}\n"
        )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
