"""Dashboards at a million rows: every dashboard page under the real Streamlit runtime (AppTest) on a big cache.

    python -m bench.dashboards [--visits 1000000] [--ledger 1000000] [--households 100000] [--reruns 5] [--record]

The workbook is the demo's (every reference tab as it is: villages, groups, banks, settings, users...) with
clinic visits, savings ledger rows and households repeated, under new ids, to the sizes asked. Its typed
frames go straight into a DuckDB cache file through the refresh's own load (`Cache.load_frames`, the
`replace_table` a refresh runs after validation); the HTTP read and validation are skipped, since at these
sizes they are what bench/e2e.py measures and would take minutes before a single page is drawn. The cache is
then stamped as read from a placeholder workbook, so the app's own first-sign-in refresh finds "nothing
changed" and serves these tables.

Then each dashboard page is opened in AppTest as the local admin: the first render, then --reruns reruns
(`AppTest.run()` again: what a click on a widget that changes nothing costs); the median rerun is reported
(target < 300 ms). The Tables page opens the clinic visits tab and turns --reruns pages (target < 500 ms).
The machine's load average and the process's peak RSS are reported too. Nothing is written unless
--record: then the "Dashboards at a million rows" section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.refresh import write_section  # noqa: E402

APP = str(ROOT / "app.py")
DASHBOARDS = ["pages/overview.py", "pages/prevention.py", "pages/clinic.py", "pages/savings.py", "pages/cow_bank.py",
              "pages/rice_bank.py", "pages/school_support.py", "pages/wash.py", "pages/data_quality.py"]
TABLES = "pages/tables.py"
LANDING = "pages/overview.py"
GROWN = {"clinic_visits": ("visit_id", "CV-1"), "savings_ledger": ("entry_id", "SL-1"), "households": ("household_id", "HH-1")}


def grown(frame: pd.DataFrame, rows: int, key: str, prefix: str) -> pd.DataFrame:
    """`frame` repeated to `rows` rows; the copies get new keys that follow the key's pattern, above the demo's."""
    if rows <= len(frame):
        return frame
    copies = frame.iloc[[n % len(frame) for n in range(rows - len(frame))]].reset_index(drop=True)
    copies[key] = [f"{prefix}{n:08d}" for n in range(len(copies))]
    return pd.concat([frame, copies.astype(frame.dtypes.to_dict())], ignore_index=True)


def big_frames(visits: int, ledger: int, households: int) -> dict[str, pd.DataFrame]:
    from data.build_demo import build_demo_frames

    frames = build_demo_frames()
    sizes = {"clinic_visits": visits, "savings_ledger": ledger, "households": households}
    for name, (key, prefix) in GROWN.items():
        frames[name] = grown(frames[name], sizes[name], key, prefix)
    return frames


def build_cache(folder: Path, frames: dict[str, pd.DataFrame]) -> tuple[Path, Path]:
    """A cache file holding these frames, stamped as the current read of a placeholder workbook."""
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    workbook = folder / "bench.xlsx"
    workbook.write_bytes(b"placeholder: the cache below already holds its tables")
    source = WorkbookSource(workbook)
    cache = Cache(folder / "cache.duckdb")
    cache.load_frames(frames)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cache.con.execute("INSERT OR REPLACE INTO _meta VALUES ('*', ?, ?, ?, ?)",
                      [source.label, source.version(), now, sum(len(f) for f in frames.values())])
    cache.con.execute("CHECKPOINT")
    cache.close()
    return workbook, folder / "cache.duckdb"


def timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def checked(at) -> None:
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception}")


def share_bytecode() -> None:
    """AppTest compiles app.py and the page again on every run (a new ScriptCache each time); the server
    compiles each script once per process. One shared cache, so a rerun costs what it costs a person."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def open_page(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=600)
    landing = timed(at.run)  # sign-in, the first-visit refresh ("nothing changed") and the Overview
    checked(at)
    at.switch_page(page)
    return at, landing


def dashboard(page: str, reruns: int) -> dict:
    at, landing = open_page(page)
    first = timed(at.run)
    if page == LANDING:  # drawn first by open_page already, with nothing cached yet
        first = landing
    checked(at)
    times = []
    for _ in range(reruns):
        times.append(timed(at.run))
        checked(at)
    return {"page": page, "first": first, "rerun": statistics.median(times), "reruns": times}


def tables(reruns: int, tab: str = "clinic_visits") -> dict:
    at, _landing = open_page(TABLES)
    at.run()
    checked(at)
    first = timed(lambda: at.selectbox(key="tables_tab").set_value(tab).run())
    checked(at)
    times = []
    for page in range(2, reruns + 2):
        times.append(timed(lambda page=page: at.number_input(key=f"tables_page_{tab}").set_value(page).run()))
        checked(at)
    rows = sum(len(n.value) for n in at._tree if type(n).__name__ == "Dataframe" and getattr(n.proto, "editing_mode", 0))
    return {"page": f"{TABLES} ({tab}, page turn; {rows} rows sent)", "first": first, "rerun": statistics.median(times), "reruns": times, "rows": rows}


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def table(results: list[dict]) -> str:
    lines = ["| page | first render | median rerun | reruns | target | met |", "|---|---:|---:|---|---:|---|"]
    for r in results:
        target = 0.5 if r["page"].startswith(TABLES) else 0.3
        lines.append(f"| {r['page']} | {r['first']:.2f} s | {r['rerun'] * 1000:.0f} ms | "
                     f"{', '.join(f'{t * 1000:.0f}' for t in r['reruns'])} ms | < {target * 1000:.0f} ms | {'yes' if r['rerun'] < target else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--ledger", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--reruns", type=int, default=5, help="Reruns per page (page turns on Tables); the median is reported.")
    parser.add_argument("--pages", default="", help="Comma-separated page files to run (default: every dashboard and Tables).")
    parser.add_argument("--record", action="store_true", help="Write the results into docs/benchmarks.md.")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    chosen = [p for p in args.pages.split(",") if p] or [*DASHBOARDS, TABLES]
    loads = [load_average()]
    with tempfile.TemporaryDirectory() as folder:
        build = time.perf_counter()
        frames = big_frames(args.visits, args.ledger, args.households)
        workbook, cache_file = build_cache(Path(folder), frames)
        del frames
        print(f"cache built in {time.perf_counter() - build:.1f} s: {args.visits:,} visits, {args.ledger:,} ledger rows, "
              f"{args.households:,} households", flush=True)
        os.environ.update(BACKOFFICE_SOURCE=str(workbook), BACKOFFICE_CACHE=str(cache_file),
                          BACKOFFICE_SECRETS=str(Path(folder) / "no-secrets.toml"))
        os.chdir(ROOT)
        from streamlit import config

        config.set_option("server.address", "127.0.0.1")  # as `make run` binds it: the local admin, no sign-in
        share_bytecode()
        results = []
        for page in chosen:
            results.append(tables(args.reruns) if page == TABLES else dashboard(page, args.reruns))
            print(table(results[-1:]).splitlines()[-1], flush=True)
        loads.append(load_average())
    rss = peak_rss_gb()
    slow = [r["page"] for r in results if r["rerun"] >= (0.5 if r["page"].startswith(TABLES) else 0.3)]
    summary = (f"dashboards: worst median rerun {max(r['rerun'] for r in results) * 1000:.0f} ms "
               f"({max(results, key=lambda r: r['rerun'])['page']}); {len(slow)} of {len(results)} over target; peak RSS {rss:.2f} GB")
    body = (f"`python -m bench.dashboards --reruns {args.reruns} --record` ({started}) — {args.visits:,} clinic visits, "
            f"{args.ledger:,} savings ledger rows and {args.households:,} households (the demo's rows repeated under new ids; "
            "every reference tab as in the demo), loaded into a DuckDB cache file through the refresh's load "
            "(`Cache.load_frames`; no HTTP read or validation: bench/e2e.py measures those). Each page under AppTest as the "
            "local admin: first render, then reruns with nothing changed (median); Tables: the clinic visits tab, a page "
            f"turn per rerun. Machine: {'; '.join(loads)}.\n\n{table(results)}\n\n{summary}\n")
    print("\n" + table(results) + "\n\n" + summary)
    if args.record:
        write_section(title="Dashboards at a million rows", body=body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
