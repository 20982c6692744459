"""End-to-end refresh benchmark: our whole refresh, and after a one-cell edit, against the floor and the peer.

    python -m bench.e2e [--cells 1e6,1e7] [--repeat 5] [--peer-turns N] [--no-write]

The payload is the demo workbook (clean: no issue) with its clinic visits repeated, under new visit ids,
until the workbook holds about --cells cells; it sits in the local Sheets server, in its own process. In
ONE run, on the same payload, the readers take turns (floor, ours, edit, ..., floor, ours, ...), and the
median of --repeat turns is reported:

- floor: one HTTP GET of the same batchGet answer and `json.loads` of it: no code could read it for less.
- ours: `read_check_load(Cache, GoogleSheetSource)` (the refresh but its sends: connectors.pipeline) into a
  new cache file (made before the clock starts), from a source made new (no metadata yet): the change token,
  metadata, ONE values:batchGet, typing and checking every tab with the rules across tabs, and the DuckDB
  load in one transaction, as the app's first refresh.
- edit: a refresh of the app's one open cache after another person typed into one cell of the rice banks
  tab (the change token moved): token, metadata, the whole batchGet read, then only what changed.
- edit (clinic visits): the same after an edit in the big tab (the one the payload grows).
- peer: st-gsheets-connection's read path: gspread-dataframe `get_as_dataframe` per tab, opening the
  spreadsheet and the worksheet each time (3 calls per tab). It neither validates nor caches. Its turns
  can be limited with --peer-turns (a turn at 10 M cells takes minutes).
- storm: ours on the same payload after one column of clinic visits is made unreadable in 10% of all rows
  (every one an issue), to compare an error storm with a clean refresh.

The peak memory of one refresh of ours is measured in a child process (its own VmHWM: `high_water_gb`), so
the peer's and the payload builder's memory are not counted. The table goes into docs/benchmarks.md, section
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.refresh import Server, write_section  # noqa: E402
from connectors.sources.google_http import GoogleSession  # noqa: E402
from connectors.sources.gsheets import READ_PARAMS, GoogleSheetSource  # noqa: E402
from connectors.sources.gsheets_write import quote_title  # noqa: E402
from connectors.store.cache import Cache  # noqa: E402
from connectors.store.refresh import read_check_load  # noqa: E402
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
    return [list(row) for row in zip(*columns, strict=False)] if columns else []


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


def ours(base: str, key: str, folder: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(make a new cache file, refresh it from a source made new): the app's first refresh, whole."""
    made: dict[str, Any] = {}

    def prepare() -> None:
        if made.get("cache") is not None:
            made["cache"].close()
        made["cache"] = Cache(Path(folder) / f"whole-{time.monotonic_ns()}.duckdb")
        os.sync()  # the last turn's files on disk, so their write-back does not fall into this turn

    def refresh() -> Any:
        return read_check_load(made["cache"], GoogleSheetSource.from_settings(key, secrets={}, api_base=base), force=True)
    return prepare, refresh


def after_an_edit(server: Server, base: str, key: str, folder: str, tab: str, cell: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(someone types into one cell, refresh the app's open cache): the refresh in proportion to the change."""
    cache = Cache(Path(folder) / f"edit-{tab}.duckdb")
    source = GoogleSheetSource.from_settings(key, secrets={}, api_base=base)
    read_check_load(cache, source)
    turn = [0]

    def prepare() -> None:
        read_check_load(cache, source)  # in step with the sheet (other readers edit it too), off the clock
        turn[0] += 1
        server.edit_cell(key, tab, cell, f"Edited {turn[0]}")
        os.sync()

    def refresh() -> Any:
        result = read_check_load(cache, source)
        assert result.checked == [tab], result.checked
        return result
    return prepare, refresh


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


Turn = tuple[Callable[[], Any], Callable[[], Any]]  # (made ready off the clock, timed)


def alternate(readers: dict[str, Turn], repeat: int, turns: dict[str, int] | None = None) -> dict[str, float]:
    """Median seconds per reader, the readers taking turns so that the load falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in readers}
    for turn in range(repeat):
        for name, (prepare, run) in readers.items():
            if turn >= (turns or {}).get(name, repeat):
                continue
            prepare()
            gc.collect()
            start = time.perf_counter()
            kept = run()
            times[name].append(time.perf_counter() - start)
            del kept
            print(f"  {name}: {times[name][-1]:.2f} s", flush=True)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss(base: str, key: str) -> float:
    """GB at the peak of one refresh of ours, in a child process of its own."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([sys.executable, "-m", "bench.e2e", "--one-refresh", base, key, str(Path(folder) / "c.duckdb")],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def one_refresh(base: str, key: str, cache_path: str) -> None:
    read_check_load(Cache(cache_path), GoogleSheetSource.from_settings(key, secrets={}, api_base=base), force=True)
    print(high_water_gb())


def high_water_gb() -> float:
    """This process's peak resident memory in GB. Not getrusage's ru_maxrss: Linux carries it over from the
    parent through fork and exec, so a child started by a parent holding a big payload reported the
    parent's size (3.33 GB where the refresh itself peaks near 1.1 GB). VmHWM belongs to the process's own
    memory map, new at exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2  # kB -> GB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # not Linux: the best there is


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def table(rows: list[dict]) -> str:
    lines = ["| cells | floor (GET + json) | ours, whole | whole vs floor | after an edit (rice banks) | vs floor | "
             "after an edit (clinic visits) | vs floor | peer (get_as_dataframe) | ours vs peer | storm (issues) | storm vs clean | peak RSS (ours) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['cells']:,} | {r['floor']:.2f} s | {r['ours']:.2f} s | {r['ours'] / r['floor']:.2f}x | {r['edit']:.2f} s | "
                     f"{r['edit'] / r['floor']:.2f}x | {r['edit_big']:.2f} s | {r['edit_big'] / r['floor']:.2f}x | {r['peer']:.2f} s | "
                     f"{r['peer'] / r['ours']:.1f}x faster | {r['storm']:.2f} s ({r['issues']:,}) | {r['storm'] / r['ours']:.2f}x | {r['rss']:.2f} GB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", default="1e6", help="Comma-separated sizes in cells, e.g. 1e6,1e7.")
    parser.add_argument("--repeat", type=int, default=5, help="Turns per reader; the median is reported.")
    parser.add_argument("--peer-turns", type=int, default=None, help="Turns of the peer (default: --repeat).")
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
                storm_cache: list[Cache] = []

                def storm_prepare(made: list[Cache] = storm_cache) -> None:
                    if made:
                        made[-1].close()
                    made.append(Cache(Path(folder) / f"storm-{len(made)}.duckdb"))
                    os.sync()

                readers = {"floor": (os.sync, floor(server.base, key)), "ours": ours(server.base, key, folder),
                           "edit": after_an_edit(server, server.base, key, folder, "rice_banks", "B2"),
                           "edit_big": after_an_edit(server, server.base, key, folder, "clinic_visits", "I2"),
                           "peer": (os.sync, peer(server.base, key)),
                           "storm": (storm_prepare, lambda key=storm_key, made=storm_cache: read_check_load(made[-1], 
                               GoogleSheetSource.from_settings(key, secrets={}, api_base=server.base), force=True))}
                times = alternate(readers, args.repeat, {"peer": args.peer_turns or args.repeat})
                issues = storm_cache[-1].con.execute("SELECT count(*) FROM _issues").fetchone()[0]
                storm_cache[-1].close()
                assert issues >= wrong, f"the storm should have at least {wrong} issues, found {issues}"
                rows.append({"cells": cells, **times, "issues": issues, "rss": peak_rss(server.base, key)})
                loads.append(load_average())
                print(table(rows[-1:]), flush=True)
                summary = (f"e2e refresh at {cells} cells: whole {times['ours'] / times['floor']:.2f}x the floor, after an edit "
                           f"{times['edit'] / times['floor']:.2f}x (rice banks) and {times['edit_big'] / times['floor']:.2f}x (clinic visits); "
                           f"{times['peer'] / times['ours']:.1f}x faster than the peer; peak {rows[-1]['rss']:.2f} GB")
                print(summary, flush=True)
    finally:
        server.stop()
    if not args.no_write:
        write_section(title="End to end", body=
            f"`python -m bench.e2e --cells {args.cells} --repeat {args.repeat}` ({started}) — the demo workbook, clinic "
            "visits repeated to the size, in the local Sheets server in its own process on loopback. Floor: one HTTP GET + "
            "`json.loads` of the batchGet answer. Ours, whole: the app's first refresh (change token, metadata, one batchGet, "
            "every tab typed and checked with the cross-tab rules, issues stored, DuckDB load into a new cache file). After an "
            "edit: the open cache refreshed after one cell of one tab changed (the whole answer still read). Peer: "
            "st-gsheets-connection's read path (gspread-dataframe `get_as_dataframe` per tab, 51 calls, no validation, no cache). "
            "The readers take turns on the same payload; medians of the turns. Storm: ours with 'Age (years)' of clinic visits "
            "unreadable in 10% of all rows. Peak RSS: one whole refresh of ours in a child process. The machine (2 cores) "
            f"was shared with other sessions: {'; '.join(loads)}.\n\n" + table(rows) + f"\n\n{summary}\n"
        )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
