"""End-to-end refresh benchmark: our whole refresh against st-gsheets-connection's bare read, and the floor.

    python -m bench.e2e [--cells 1e6,1e7] [--repeat 3] [--no-write]

The payload is the demo workbook (clean: no issue) with its clinic visits repeated, under new visit ids,
until the workbook holds about --cells cells; it sits in the local Sheets server, in its own process. In
ONE run, on the same payload, the readers take turns (ours, peer, floor, ours, peer, floor, ...), and the
median of --repeat turns is reported:

- ours: `Cache.refresh(GoogleSheetSource)`, forced, from a source made new (no metadata yet): the change
  token, metadata, ONE values:batchGet, coercion, validation with the rules across tabs, and the DuckDB load in one
  transaction into a cache file, as the app does it.
- peer: st-gsheets-connection's read path: gspread-dataframe `get_as_dataframe` per tab, opening the
  spreadsheet and the worksheet each time (3 calls per tab). It neither validates nor caches.
- floor: one HTTP GET of the same batchGet answer and `json.loads` of it: no code could read it for less.
- storm: ours on the same payload after one column of clinic visits is made unreadable in 10% of all rows
  (every one an issue), to compare an error storm with a clean refresh.

The peak memory of one refresh of ours is measured in a child process (`resource.getrusage`), so the
peer's and the payload builder's memory are not counted. The table goes into docs/benchmarks.md, section
"End to end"; the last line printed is the summary.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.refresh import Server, write_section  # noqa: E402
from connectors.sources.google_http import GoogleSession  # noqa: E402
from connectors.sources.gsheets import READ_PARAMS, GoogleSheetSource  # noqa: E402
from connectors.sources.gsheets_write import quote_title  # noqa: E402
from connectors.store.cache import Cache  # noqa: E402
from schemas.registry import TABS  # noqa: E402

STORM_SHARE = 0.10  # of all data rows


def _cells_of(frame: pd.DataFrame) -> list[list]:
    """A typed frame as the rows a person typed: dates as dates, blanks as None."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            values = [None if pd.isna(v) else v.date() for v in series]
        else:
            values = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in series.astype(object)]
        columns.append(values)
    return [list(row) for row in zip(*columns)] if columns else []


def payload(cells: int) -> tuple[dict[str, list[list]], int]:
    """{tab: [header, *rows]} of the demo, clinic visits repeated to about `cells` cells; and the cell count."""
    from data.build_demo import build_demo_frames

    frames = build_demo_frames()
    grids = {t.name: [[c.title for c in t.columns], *_cells_of(frames[t.name])] for t in TABS}
    total = sum(len(rows) * len(rows[0]) for rows in grids.values())
    visits = grids["clinic_visits"]
    width, base = len(visits[0]), visits[1:]
    extra = max(0, (cells - total) // width)
    for n in range(extra):
        row = list(base[n % len(base)])
        row[0] = f"CV-{10_000_000 + n}"
        visits.append(row)
    return grids, total + extra * width


def storm(grids: dict[str, list[list]]) -> tuple[dict[str, list[list]], int]:
    """The same grids with 'Age (years)' of clinic visits unreadable in 10% of all data rows."""
    rows = sum(len(g) - 1 for g in grids.values())
    wrong = min(int(rows * STORM_SHARE), len(grids["clinic_visits"]) - 1)
    visits = [list(r) for r in grids["clinic_visits"]]
    age = visits[0].index("Age (years)")
    for row in visits[1:wrong + 1]:
        row[age] = "about ten"
    return {**grids, "clinic_visits": visits}, wrong


def ours(base: str, key: str, cache: Cache) -> Callable[[], Any]:
    """A forced refresh into the app's one open cache, from a source made new (no metadata yet)."""
    def refresh() -> Any:
        return cache.refresh(GoogleSheetSource.from_settings(key, secrets={}, api_base=base), force=True)
    return refresh


def peer(base: str, key: str) -> Callable[[], Any]:
    import gspread
    from gspread_dataframe import get_as_dataframe

    client = gspread.Client(auth=None, session=GoogleSession(base, compact=False, gzip=False))

    def read() -> Any:
        return [get_as_dataframe(client.open_by_key(key).worksheet(t.name), evaluate_formulas=True) for t in TABS]
    return read


def floor(base: str, key: str) -> Callable[[], Any]:
    session = GoogleSession(base)  # compact JSON and gzip, as ours asks
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values:batchGet"
    params = {"ranges": [quote_title(t.name) for t in TABS], **READ_PARAMS}

    def read() -> Any:
        return json.loads(session.get(url, params=params).content)
    return read


def alternate(readers: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median seconds per reader, the readers taking turns so that the load falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(repeat):
        for name, run in readers.items():
            gc.collect()
            start = time.perf_counter()
            kept = run()
            times[name].append(time.perf_counter() - start)
            del kept
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss(base: str, key: str) -> float:
    """GB at the peak of one refresh of ours, in a child process of its own."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([sys.executable, "-m", "bench.e2e", "--one-refresh", base, key, str(Path(folder) / "c.duckdb")],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def one_refresh(base: str, key: str, cache_path: str) -> None:
    ours(base, key, Cache(cache_path))()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2)  # KiB on Linux -> GB


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def table(rows: list[dict]) -> str:
    lines = ["| cells | ours | peer (get_as_dataframe) | floor (GET + json) | ours vs peer | ours vs floor | storm (issues) | storm vs clean | peak RSS (ours) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['cells']:,} | {r['ours']:.2f} s | {r['peer']:.2f} s | {r['floor']:.2f} s | {r['peer'] / r['ours']:.1f}x faster | "
                     f"{r['ours'] / r['floor']:.1f}x the floor | {r['storm']:.2f} s ({r['issues']:,}) | {r['storm'] / r['ours']:.2f}x | {r['rss']:.2f} GB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", default="1e6", help="Comma-separated sizes in cells, e.g. 1e6,1e7.")
    parser.add_argument("--repeat", type=int, default=3, help="Turns per reader; the median is reported.")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    parser.add_argument("--one-refresh", nargs=3, metavar=("BASE", "KEY", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_refresh:
        one_refresh(*args.one_refresh)
        return 0
    server = Server()
    rows: list[dict] = []
    summary = ""
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    loads = [load_average()]
    try:
        with tempfile.TemporaryDirectory() as folder:
            for target in (int(float(c)) for c in args.cells.split(",")):
                grids, cells = payload(target)
                key = server.load(grids)
                stormy, wrong = storm(grids)
                storm_key = server.load(stormy)
                del grids, stormy
                clean_cache, storm_cache = Cache(Path(folder) / f"clean-{cells}.duckdb"), Cache(Path(folder) / f"storm-{cells}.duckdb")
                times = alternate({"ours": ours(server.base, key, clean_cache), "peer": peer(server.base, key),
                                   "floor": floor(server.base, key), "storm": ours(server.base, storm_key, storm_cache)}, args.repeat)
                issues = storm_cache.con.execute("SELECT count(*) FROM _issues").fetchone()[0]
                clean_cache.close()
                storm_cache.close()
                assert issues >= wrong, f"the storm should have at least {wrong} issues, found {issues}"
                rows.append({"cells": cells, **times, "issues": issues, "rss": peak_rss(server.base, key)})
                loads.append(load_average())
                print(table(rows[-1:]), flush=True)
                summary = (f"e2e refresh: ours {times['ours']:.2f} s, peer {times['peer']:.2f} s, floor {times['floor']:.2f} s; "
                           f"speedup {times['peer'] / times['ours']:.1f}x at {cells} cells")
                print(summary, flush=True)
    finally:
        server.stop()
    if not args.no_write:
        write_section(title="End to end", body=
            f"`python -m bench.e2e --cells {args.cells} --repeat {args.repeat}` ({started}) — the demo workbook, clinic "
            "visits repeated to the size, in the local Sheets server in its own process on loopback. Ours is the whole "
            "refresh (change token, metadata, one batchGet, coercion, validation with the cross-tab rules, issues stored as "
            "rows, DuckDB load into a cache file); the peer is st-gsheets-connection's read path (gspread-dataframe `get_as_dataframe` per tab, 51 "
            "calls, no validation, no cache); the floor is one HTTP GET + `json.loads` of the same batchGet answer. The "
            "readers take turns on the same payload; median of the turns. Storm: ours with 'Age (years)' of clinic visits "
            "unreadable in 10% of all rows. Peak RSS: one refresh of ours in a child process. The machine was shared with "
            f"other work: {'; '.join(loads)}.\n\n" + table(rows) + f"\n\n{summary}\n"
        )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
