"""`python -m bench.validate [--rows N] [--no-write]`: rows per second for coercion + validation.

A raw grid of the households tab (10 columns: ids, names, codes, counts, yes/no, a date), shaped the
way the sources hand it over: mostly sheet-typed cells (numbers, date serials, booleans) with one in
ten typed as text the way staff type it ("13 000", "៣", "25/03/2018", "Yes", a code without its
leading zero). Times `validate_tab` (coercion, blank rows, pandera lazily, duplicate keys), the
median of 3 runs after one warm-up, and writes docs/benchmarks.md, section "Validate"; the last
line printed is the summary.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from pathlib import Path

from connectors.sources.interface import Grid
from schemas.registry import tab
from schemas.validate import validate_tab

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
KHMER = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def households_grid(rows: int, seed: int = 7) -> Grid:
    """A clean but untidy households tab: every cell readable, one in ten typed as text."""
    rng = random.Random(seed)
    header = [c.title for c in tab("households").columns]
    sexes, levels = ["female", "male"], ["id_poor_1", "id_poor_2", "near_poor", "not_poor"]
    data = []
    for i in range(rows):
        typed = rng.random() < 0.1
        members = rng.randint(2, 12)
        children = rng.randint(0, members - 1)
        village = 1010101 + rng.randint(0, 300)  # province 01: the sheet drops the leading zero
        serial = 42000 + rng.randint(0, 2000)
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        data.append([
            f"HH-{i:07d}",
            f" Head {i % 997} " if typed else f"Head {i % 997}",
            sexes[i % 2],
            f"0{village}" if typed else village,
            str(members).translate(KHMER) if typed else members,
            f"{children} " if typed else children,
            f"012 {i % 1000:03d} {i % 997:03d}",
            levels[i % 4],
            ("Yes" if i % 3 else "No") if typed else bool(i % 3),
            f"{day:02d}/{month:02d}/2017" if typed else serial,
        ])
    return Grid("households", header, data)


def measure(rows: int, runs: int = 3) -> tuple[float, int]:
    grid = households_grid(rows)
    validate_tab(tab("households"), grid)  # warm-up: imports, pandera schema, Arrow kernels
    times, issues = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        _found, found_issues = validate_tab(tab("households"), grid)
        times.append(time.perf_counter() - start)
        issues = len(found_issues)
    return statistics.median(times), issues


def write_section(body: str) -> None:
    """Replace the "## Validate" section of docs/benchmarks.md (create the file if missing)."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"## Validate\n\n{body.strip()}\n"
    pattern = re.compile(r"^## Validate\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = parser.parse_args()
    seconds, issues = measure(args.rows)
    rate = args.rows / seconds
    summary = f"validate: {args.rows:,} rows x 10 columns in {seconds:.2f} s = {rate:,.0f} rows/s ({issues} issues)"
    body = (
        "`python -m bench.validate` — `schemas.validate.validate_tab` on a raw households grid (10 columns: "
        "ids, names, codes, counts, yes/no, a date) as a source hands it over: sheet-typed cells with one row in "
        "ten typed as text (Khmer digits, trailing spaces, dd/mm/yyyy, Yes/No, codes without their leading zero). "
        "Coercion, blank rows, pandera (lazy) and duplicate keys; median of 3 runs after a warm-up, 2 cores.\n\n"
        "| rows | columns | time | rows/s |\n|---:|---:|---:|---:|\n"
        f"| {args.rows:,} | 10 | {seconds:.2f} s | {rate:,.0f} |\n\n{summary}"
    )
    if not args.no_write:
        write_section(body)
    print(summary)


if __name__ == "__main__":
    main()
