"""The embedded source: an .xlsx workbook on disk, one sheet per tab, the same headers as the Google Sheet.

Reads use python-calamine (an order of magnitude faster than openpyxl); writes use openpyxl, go to a
temporary file that replaces the workbook in one rename, and are serialised by a lock file so two
saves never interleave.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import openpyxl
from python_calamine import CalamineWorkbook

from connectors.source import Grid, SourceError, WriteBatch, WriteResult
from schemas.base import match_headers
from schemas.registry import tab as registered_tab


def _trim(row: list[Any]) -> list[Any]:
    """Drop trailing empty cells, as the Sheets API does, so both sources hand back the same grids."""
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


class WorkbookSource:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = f"Workbook {self.path.name}"

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError as exc:
            raise SourceError(f"The workbook {self.path} does not exist. Check BACKOFFICE_SOURCE, or run `make run` to build the demo workbook.") from exc
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def tab_titles(self) -> list[str]:
        return list(self._open().sheet_names)

    def _open(self) -> CalamineWorkbook:
        try:
            return CalamineWorkbook.from_path(str(self.path))
        except FileNotFoundError as exc:
            raise SourceError(f"The workbook {self.path} does not exist. Check BACKOFFICE_SOURCE, or run `make run` to build the demo workbook.") from exc
        except Exception as exc:  # calamine raises its own types for damaged files
            raise SourceError(f"The workbook {self.path} could not be read ({type(exc).__name__}: {exc}). Is it a valid .xlsx file?") from exc

    def read(self, tabs: list[str] | None = None) -> dict[str, Grid]:
        book = self._open()
        wanted = set(tabs) if tabs is not None else None
        grids: dict[str, Grid] = {}
        for name in book.sheet_names:
            if wanted is not None and name not in wanted:
                continue
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [_trim(list(r)) for r in rows]
            while rows and not rows[-1]:
                rows.pop()
            header = [("" if c is None else str(c)) for c in rows[0]] if rows else []
            grids[name] = Grid(tab=name, header=header, rows=rows[1:], first_row=2)
        return grids

    def cell_link(self, tab: str, a1: str) -> str | None:
        return None  # a file on disk has no address a browser can open at a cell

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock_path = self.path.with_suffix(self.path.suffix + ".lock")
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write(self, batch: WriteBatch, located: dict[str, Grid] | None = None) -> WriteResult:
        """Apply every change of the batch, or none: the workbook is replaced in one rename."""
        with self._locked():
            book = openpyxl.load_workbook(self.path)
            result = WriteResult()
            touched = {u.tab for u in batch.updates} | {a.tab for a in batch.appends} | {t for t, _ in batch.deletes}
            for tab_name in sorted(touched):
                if tab_name not in book.sheetnames:
                    raise SourceError(f"The workbook has no tab '{tab_name}'. Add it (python cli.py provision) before saving to it.")
                sheet = book[tab_name]
                spec = registered_tab(tab_name)
                header = [c.value for c in sheet[1]]
                columns = match_headers(spec.schema, header)
                rows_by_key = self._rows_by_key(sheet, spec.key, columns)
                for update in (u for u in batch.updates if u.tab == tab_name):
                    row = rows_by_key.get(tuple(update.key))
                    if row is None:
                        raise SourceError(f"Row {'/'.join(update.key)} is no longer in tab '{tab_name}'; someone may have deleted it. Refresh and try again.")
                    if update.column not in columns:
                        raise SourceError(f"Tab '{tab_name}' has no column for '{update.column}'. Add the header before saving.")
                    _store(sheet.cell(row=row, column=columns[update.column] + 1), update.new)
                    result.cells_updated += 1
                for append in (a for a in batch.appends if a.tab == tab_name):
                    row = sheet.max_row + 1
                    for name, value in append.values.items():
                        if name in columns:
                            _store(sheet.cell(row=row, column=columns[name] + 1), value)
                    result.rows_appended += 1
                doomed = sorted((rows_by_key[tuple(k)] for t, k in batch.deletes if t == tab_name and tuple(k) in rows_by_key), reverse=True)
                for row in doomed:
                    sheet.delete_rows(row)
                    result.rows_deleted += 1
            self._save_atomically(book)
        result.version = self.version()
        return result

    @staticmethod
    def _rows_by_key(sheet: Any, key: tuple[str, ...], columns: dict[str, int]) -> dict[tuple[str, ...], int]:
        if not key or any(k not in columns for k in key):
            return {}
        found: dict[tuple[str, ...], int] = {}
        for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            parts = tuple(_key_text(row[columns[k]] if columns[k] < len(row) else None) for k in key)
            found.setdefault(parts, number)
        return found

    def _save_atomically(self, book: Any) -> None:
        handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".xlsx.tmp")
        os.close(handle)
        try:
            book.save(temp)
            os.replace(temp, self.path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)


def _key_text(value: Any) -> str:
    """Keys are compared as text, and a whole number typed into a key cell reads as "2017", not "2017.0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _store(cell: Any, value: Any) -> None:
    """Store a value; text stays text even when it starts with '=' (RAW, never a formula)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise take a leading '=' as a formula
