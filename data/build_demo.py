"""Build the demo workbook: every registered tab, filled with invented but consistent records.

The demo reproduces the figures of CCPCR's programme report (2017 prevention reach, the clinic's
2017 visits, savings capital, cow bank, rice banks: see each `data/demo_*.py` module for how), passes
every tab's schema and the cross-tab rules, and is the same on every run (fixed seeds, no clock).

    python -m data.build_demo [--out data/demo.xlsx] [--scale N]

`--scale N` multiplies the bulk tabs (clinic visits, ledgers, activities) for benchmarks; the
report's figures then no longer hold. Nobody has to run it: the app and the command line build the
demo workbook the first time they need it (`ensure_demo_workbook`).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from data.demo_common import DemoBook, demo_builders
from schemas.registry import site, tab

DEFAULT_OUT = Path(__file__).resolve().parent / "demo.xlsx"
# One fixed time for the workbook's properties and zip members: the same frames give the same bytes.
STAMP = dt.datetime(2019, 1, 1)


def build_demo_frames(scale: int = 1) -> dict[str, pd.DataFrame]:
    """One typed frame per registered tab (schema columns, order and dtypes), in registry order: each
    registered programme's demo builder makes its tabs (data/demo_<programme>.py registers it)."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    registered = demo_builders()
    builders = {name: registered[name] for name in site.programmes if name in registered}  # programme order
    frames = DemoBook(builders, {t.name: t.programme for t in site.tabs}, scale).all_frames()
    # Column order as the schema's (ids were set last by some builders), registry order of tabs.
    return {t.name: frames[t.name][[c.name for c in t.columns]] for t in site.tabs if t.name in frames}


def _cells(series: pd.Series, kind: str) -> list[Any]:
    """Python values openpyxl writes as the right Excel type; None leaves the cell empty."""
    if kind == "date":
        days = series.dt.date.to_numpy(dtype=object)  # a date (not datetime) gets a date-only format
        return [None if pd.isna(d) else d for d in days]
    if kind == "text":
        return series.to_numpy(dtype=object, na_value=None).tolist()
    return series.array.to_numpy(dtype=object, na_value=None).tolist()  # int, float, bool: Python scalars


class _StableZip(ZipFile):
    """A zip whose members all carry STAMP instead of the clock (openpyxl writes through this)."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = self._member(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:  # noqa: ARG002 - ZipFile.write's signature
        # Write-only sheets arrive as temp files: stream them in under the fixed time.
        with open(filename, "rb") as src, self.open(self._member(arcname or filename), "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)

    def _member(self, name: Any) -> ZipInfo:
        info = ZipInfo(str(name), date_time=STAMP.timetuple()[:6])
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info


def write_workbook(frames: dict[str, pd.DataFrame], path: str | os.PathLike[str],
                   progress: Callable[[float], None] | None = None) -> Path:
    """One sheet per tab (named as the tab), row 1 the column titles; written atomically.

    Dates are Excel dates, booleans and numbers native, codes text, blanks empty cells; the same
    frames always give a byte-identical file. `progress(share)` hears how far the writing is (0 to 1).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = STAMP
    for done, (name, frame) in enumerate(frames.items()):
        if progress:
            progress(done / (len(frames) + 1))
        specs = tab(name).columns
        sheet = book.create_sheet(name)
        sheet.append([spec.title for spec in specs])
        columns = [_cells(frame[spec.name], spec.kind) for spec in specs]
        for row in zip(*columns, strict=False):
            sheet.append(row)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # openpyxl's save_workbook would stamp the clock; its writer over our zip does the same work.
        ExcelWriter(book, _StableZip(tmp, "w", ZIP_DEFLATED, allowZip64=True)).save()
        os.replace(tmp, path)  # readers never see half a workbook
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def ensure_demo_workbook(path: str | os.PathLike[str] = DEFAULT_OUT, progress: Callable[[float], None] | None = None,
                         waiting: Callable[[], None] | None = None) -> bool:
    """Build the demo workbook at `path` unless it is there already; True when this call built it.

    A first start may see several sessions (threads) and replicas (processes) ask at once: the workbook's own
    lock file (NAME.xlsx.lock, the one the workbook source's saves hold) lets one build while the others wait
    (`waiting()` is told once) and then find it built. `progress(share)` hears how far the building is."""
    path = Path(path)
    if path.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(path.suffix + ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.is_file():  # built by whoever held the lock before us
                return False
            say = progress or (lambda _share: None)
            say(0.0)
            frames = build_demo_frames()
            say(0.3)
            write_workbook(frames, path, progress=lambda share: say(0.3 + 0.7 * share))
            say(1.0)
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.build_demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="workbook to write (default: data/demo.xlsx)")
    parser.add_argument("--scale", type=int, default=1, help="multiply the bulk tabs, for benchmarks (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    frames = build_demo_frames(args.scale)
    built = time.perf_counter()
    out = write_workbook(frames, args.out)
    done = time.perf_counter()
    print(f"wrote {out} (scale {args.scale}): built in {built - started:.1f} s, written in {done - built:.1f} s")
    width = max(len(name) for name in frames)
    for name, frame in frames.items():
        print(f"  {name:<{width}}  {len(frame):>7,} rows")
    print(f"  {'total':<{width}}  {sum(len(f) for f in frames.values()):>7,} rows, "
          f"{sum(f.size for f in frames.values()):,} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
