"""The embedded source: an .xlsx workbook on disk, one sheet per tab, the same headers as the Google Sheet.

Reads use python-calamine (an order of magnitude faster than openpyxl). Writes edit only the touched
sheets' XML (connectors.sources.xlsx_patch), go to a temporary file (with the workbook's file mode) that replaces
the workbook in one rename. `transaction()` holds one inter-process lock (fcntl on NAME.xlsx.lock) from
a save's check read to the end of its write, so two processes never lose each other's edits; while
Excel or LibreOffice has the workbook open (their lock files), a save waits in the outbox instead.
Rows are found by key inside the write itself, so a save needs no verify read (`locates_at_write`).
"""
from __future__ import annotations

import fcntl
import os
import stat
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from connectors.sources import xlsx_patch
from connectors.sources.interface import Grid, SourceBusy, SourceError, WriteBatch, WriteResult
from schemas.base import match_headers, sheet_value
from schemas.grid import Merge
from schemas.i18n import _
from schemas.registry import Tab
from schemas.registry import tab as registered_tab


def _merges(sheet: Any) -> tuple[Merge, ...]:
    """The sheet's merged ranges (calamine: inclusive (row, column) corners) as the Sheets API says them."""
    return tuple(Merge(top, bottom + 1, left, right + 1) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ())


def _trim(row: list[Any]) -> list[Any]:
    """Drop trailing empty cells, as the Sheets API does, so both sources hand back the same grids."""
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


def office_lock_owner(path: Path) -> str | None:
    """Who has the workbook open in Excel (`~$NAME.xlsx`) or LibreOffice (`.~lock.NAME.xlsx#`), or None.

    LibreOffice's lock file is one line, comma-separated: the user's name is the 2nd field. Excel's
    owner file holds the name in its first bytes (a length byte, then the name)."""
    libre = path.with_name(f".~lock.{path.name}#")
    for candidate, app in ((libre, "LibreOffice"), (path.with_name("~$" + path.name), "Excel")):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if app == "LibreOffice":
            fields = data.decode("utf-8", "replace").split(",")
            who = fields[1].strip() if len(fields) > 1 and fields[1].strip() else "someone"
        else:
            who = data[1:1 + data[0]].decode("latin-1", "replace").strip() if data and data[0] else "someone"
        return f"{who} ({app})"
    return None


class WorkbookSource:
    locates_at_write = True  # rows are found by key inside the locked write: no verify read needed

    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = f"Workbook {self.path.name}"
        self._held = threading.local()

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError as exc:
            raise self._missing() from exc
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def tab_titles(self) -> list[str]:
        return list(self._open().sheet_names)

    def _missing(self) -> SourceError:
        """One message for a missing workbook, whoever asks (its version, a read; the app, validate, report)."""
        return SourceError(_("The workbook {path} does not exist. Check the path in BACKOFFICE_SOURCE (or --source).").format(path=self.path))

    def _open(self) -> CalamineWorkbook:
        if not self.path.is_file():  # calamine says "os error 2" its own way
            raise self._missing()
        try:
            return CalamineWorkbook.from_path(str(self.path))
        except FileNotFoundError as exc:
            raise self._missing() from exc
        except Exception as exc:  # calamine raises its own types for damaged files
            raise SourceError(_("The workbook {path} could not be read ({problem}). Is it a valid .xlsx file?").format(
                path=self.path, problem=f"{type(exc).__name__}: {exc}")) from exc

    def read(self, tabs: list[str] | None = None) -> dict[str, Grid]:
        book = self._open()
        wanted = set(tabs) if tabs is not None else None
        grids: dict[str, Grid] = {}
        for name in book.sheet_names:
            if wanted is not None and name not in wanted:
                continue
            sheet = book.get_sheet_by_name(name)
            rows = self._rows(sheet, name)
            while rows and not rows[-1]:
                rows.pop()
            header = [("" if c is None else str(c)) for c in rows[0]] if rows else []
            grids[name] = Grid(tab=name, header=header, rows=rows[1:], first_row=2, merges=_merges(sheet))
        return grids

    def _rows(self, sheet: Any, name: str) -> list[list[Any]]:
        try:
            return [_trim(list(r)) for r in sheet.to_python(skip_empty_area=False)]
        except BaseException as exc:  # pyo3's PanicException is a BaseException
            if type(exc).__name__ != "PanicException":
                raise
        return self._rows_past_panics(sheet, name)

    def _rows_past_panics(self, sheet: Any, name: str) -> list[list[Any]]:
        """The rows of a sheet calamine gave up on: it panics on a date-formatted number far outside any date
        (-1e12 typed in a date column), which would leave the app with no data at all. Its row iterator goes
        on past such a row; that row is read from the sheet's XML as stored (numbers as numbers, a date as its
        serial), so the cell is reported as what was typed and nothing else is lost."""
        left = (sheet.start or (0, 0))[1]  # its rows start at row 1, their cells at the first used column
        rows: list[list[Any]] = []
        stored: xlsx_patch.SheetXml | None = None
        found = iter(sheet.iter_rows())
        while True:
            try:
                rows.append(_trim([None] * left + list(next(found))))
            except StopIteration:
                return rows
            except BaseException as exc:
                if type(exc).__name__ != "PanicException":
                    raise
                if stored is None:
                    with zipfile.ZipFile(self.path) as archive:
                        stored = xlsx_patch.SheetXml.parse(archive.read(xlsx_patch.sheet_parts(archive)[name]),
                                                           xlsx_patch.read_shared_strings(archive))
                rows.append(_trim(stored.stored_row(len(rows) + 1)))

    def cell_link(self, tab: str, a1: str) -> str | None:  # noqa: ARG002 - the sources' shared cell_link() signature
        return None  # a file on disk has no address a browser can open at a cell

    def problem_sheet(self) -> Any:
        """Where the Problems sheet and the cell comments are written (connectors.problems)."""
        from connectors.problems.xlsx import WorkbookProblemsSheet

        return WorkbookProblemsSheet(self)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The inter-process lock, held from a save's check read to the end of its write (re-entrant in a
        thread). Raises SourceBusy, so the save waits in the outbox, while Excel or LibreOffice has it open."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        owner = office_lock_owner(self.path)
        if owner is not None:
            raise SourceBusy(_("The workbook {name} is open in {owner}. Your change waits in the outbox and is saved "
                               "once they close it.").format(name=self.path.name, owner=owner))
        lock_path = self.path.with_suffix(self.path.suffix + ".lock")
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                fcntl.flock(lock, fcntl.LOCK_UN)

    _locked = transaction

    def write(self, batch: WriteBatch, located: dict[str, Grid] | None = None) -> WriteResult:  # noqa: ARG002 - the sources' shared write() signature
        """Apply every change of the batch, or none: the workbook is replaced in one rename.

        Only the touched sheets are parsed and rewritten (connectors.sources.xlsx_patch), so a save costs about
        the size of those sheets, not of the whole workbook.
        """
        with self._locked():
            result = WriteResult()
            touched = {u.tab for u in batch.updates} | {a.tab for a in batch.appends} | {t for t, _ in batch.deletes}
            try:
                archive = zipfile.ZipFile(self.path)
            except (OSError, zipfile.BadZipFile) as exc:
                raise SourceError(_("The workbook {path} could not be opened for saving ({problem}).").format(path=self.path, problem=exc)) from exc
            with archive:
                parts = xlsx_patch.sheet_parts(archive)
                shared = xlsx_patch.read_shared_strings(archive)
                replaced: dict[str, bytes] = {}
                for tab_name in sorted(touched):
                    if tab_name not in parts:
                        raise SourceError(_("The workbook has no tab '{tab}'. Add it (python cli.py provision) before saving to it.").format(tab=tab_name))
                    sheet = xlsx_patch.SheetXml.parse(archive.read(parts[tab_name]), shared)
                    self._apply(sheet, tab_name, batch, result)
                    sheet.tidy_dimension()
                    replaced[parts[tab_name]] = sheet.to_bytes()
                handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".xlsx.tmp")
                os.close(handle)
                try:
                    xlsx_patch.rewrite_package(archive, temp, replaced)
                    os.chmod(temp, stat.S_IMODE(os.stat(self.path).st_mode))  # mkstemp's 0600 would lock others out
                    os.replace(temp, self.path)
                finally:
                    if os.path.exists(temp):
                        os.unlink(temp)
        result.version = self.version()
        return result

    @staticmethod
    def _apply(sheet: xlsx_patch.SheetXml, tab_name: str, batch: WriteBatch, result: WriteResult) -> None:
        spec = registered_tab(tab_name)
        header = sheet.header()
        columns = match_headers(spec.schema, header)
        rows_by_key = _rows_by_key(sheet, spec, columns)

        def as_held(column: str, value: Any) -> Any:  # a code as its Khmer label under a Khmer header
            return sheet_value(spec.column(column), value, header[columns[column]] if columns[column] < len(header) else "")

        for update in (u for u in batch.updates if u.tab == tab_name):
            row = rows_by_key.get(tuple(update.key))
            if row is None:
                raise SourceError(_("Row {key} is no longer in tab '{tab}'; someone may have deleted it. Refresh and try again.").format(
                    key="/".join(update.key), tab=tab_name))
            if update.column not in columns:
                raise SourceError(_("Tab '{tab}' has no column for '{column}'. Add the header before saving.").format(tab=tab_name, column=update.column))
            sheet.set(row, columns[update.column], as_held(update.column, update.new))
            result.cells_updated += 1
        doomed = {rows_by_key[tuple(k)] for t, k in batch.deletes if t == tab_name and tuple(k) in rows_by_key}
        sheet.delete_rows(doomed)
        result.rows_deleted += len(doomed)
        for append in (a for a in batch.appends if a.tab == tab_name):
            row = sheet.last_row() + 1
            for name, value in append.values.items():
                if name in columns:
                    sheet.set(row, columns[name], as_held(name, value))
            result.rows_appended += 1


def _rows_by_key(sheet: xlsx_patch.SheetXml, tab: Tab, columns: dict[str, int]) -> dict[tuple[str, ...], int]:
    """Sheet row number by key, keys read as the save's planner reads them (schemas.row_key)."""
    if not tab.key or tab.row_key.missing(columns):
        return {}
    numbers = [n for n in sorted(sheet.rows) if n != 1]
    positions = {k: columns[k] for k in tab.key}
    rows = []
    for number in numbers:
        cells = sheet.cells(number)
        row: list = [None] * (max(positions.values()) + 1)
        for i in positions.values():
            row[i] = sheet.stored(cells[i]) if i in cells else None
        rows.append(row)
    return {key: numbers[position] for key, position in tab.row_key.locate(rows, columns).first.items()}
