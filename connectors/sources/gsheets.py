"""The Google Sheets source: the staff's spreadsheet, through gspread 6, in as few calls as possible.

API calls are the main cost (60 reads and 60 writes per minute per user), so:
- version(): Drive `files.get?fields=modifiedTime`, one call; an unchanged token means nothing to read.
- read(tabs): the spreadsheet's metadata (tab titles, sheet ids) once per source object, then ONE
  `values:batchGet` for every tab, UNFORMATTED_VALUE with SERIAL_NUMBER dates, compact JSON. A read of
  more than SPLIT_CELLS cells goes as up to MAX_PARTS batchGets at once (row slices of the large tabs)
  plus a fresh metadata call, so Google writes one part while we parse another.
- write(batch): ONE spreadsheets:batchUpdate (see connectors.sources.gsheets_write), typed values (RAW), appends
  placed by Google at write time; never re-sent blindly (connectors.sync re-plans a failed write).
Faults are retried a bounded number of times (connectors.sources.gsheets_http), then reported plainly.

Settings: `[connections.gsheets]` in .streamlit/secrets.toml with st-gsheets-connection's keys
(spreadsheet, type, project_id, private_key_id, private_key, client_email, client_id, token_uri,
...); BACKOFFICE_SOURCE=gsheets:<key or URL>; GSHEETS_API_BASE to send the calls elsewhere.
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import gspread
from gspread.urls import DRIVE_FILES_API_V3_URL

from connectors.config import load_secrets, setting
from connectors.sources.google_http import SCOPES, authorized_session
from connectors.sources.gsheets_http import RetryingHTTPClient, RetryPolicy, gc_paused, google_errors
from connectors.sources.gsheets_write import plan, quote_title, write_request
from connectors.sources.interface import Grid, SourceError, SourceStale, SourceUnreachable, WriteBatch, WriteResult

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9_-]+)")
_KEY = re.compile(r"^[a-zA-Z0-9_-]{10,}$")
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER", "majorDimension": "ROWS"}
_METADATA_FIELDS = "sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount))"


def spreadsheet_key(location: str) -> str:
    """The key from a key or a Google Sheets URL."""
    location = (location or "").strip()
    match = _KEY_IN_URL.search(location)
    key = match.group(1) if match else location
    if not _KEY.match(key):
        raise SourceError(
            f"'{location}' is not a Google Sheet key or address. Use BACKOFFICE_SOURCE=gsheets:<key>, where the key is "
            "the part of the sheet's address after /d/."
        )
    return key


def service_account_credentials(conf: dict[str, Any]) -> Any:
    """google-auth credentials from st-gsheets-connection's keys; None when none are configured."""
    if not conf.get("private_key") or not conf.get("client_email"):
        return None
    from google.oauth2.service_account import Credentials

    info = {k: v for k, v in conf.items() if k not in ("spreadsheet", "worksheet")}
    info.setdefault("type", "service_account")
    info.setdefault("token_uri", "https://oauth2.googleapis.com/token")
    try:
        return Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError) as error:
        # The error text could quote part of the key: say which setting is wrong, never its value.
        raise SourceError(
            f"The service-account keys in [connections.gsheets] could not be loaded ({type(error).__name__}): check "
            "private_key and client_email in .streamlit/secrets.toml."
        ) from None


SPLIT_CELLS = 500_000  # a read of a grid larger than this goes as a few calls at once
MAX_PARTS = 3
LARGE_TAB = 100_000  # cells of a tab's grid


def _rows(props: dict) -> int:
    return int(props.get("gridProperties", {}).get("rowCount") or 0)


def split_read(tabs: list[str], sheets: dict[str, dict], split_cells: int) -> list[list[tuple[str, int, int | None]]]:
    """The read as parts of about equal size, each a list of (tab, first row, last row; None: to the end).

    One part (the whole read in ONE call) unless the grids hold more than `split_cells` cells; then up to
    MAX_PARTS parts, a large tab cut into row slices by its grid size from the metadata."""
    sizes = {t: _rows(sheets[t]) * int(sheets[t].get("gridProperties", {}).get("columnCount") or 0) for t in tabs}
    total = sum(sizes.values())
    # Only tabs that hold much count: twenty tabs of Google's empty 1000 x 26 grid are not a large read.
    large = sum(size for size in sizes.values() if size >= LARGE_TAB)
    count = min(MAX_PARTS, -(-large // split_cells)) if split_cells > 0 else 1
    if count <= 1:
        return [[(t, 1, None) for t in tabs]]
    target = -(-total // count)
    pieces: list[tuple[str, int, int | None, int]] = []
    for tab in tabs:
        rows, width = _rows(sheets[tab]), max(1, sizes[tab] // max(1, _rows(sheets[tab])))
        if sizes[tab] <= target:
            pieces.append((tab, 1, None, sizes[tab]))
            continue
        step = max(1, target // width)
        pieces += [(tab, first, min(first + step - 1, rows), width * min(step, rows - first + 1)) for first in range(1, rows + 1, step)]
    parts: list[list[tuple[str, int, int | None]]] = [[]]
    filled = 0
    for tab, first, last, cells in pieces:
        if filled + cells > target and parts[-1] and len(parts) < count:
            parts.append([])
            filled = 0
        parts[-1].append((tab, first, last))
        filled += cells
    return parts


def joined(slices: list[tuple[int, list[list]]]) -> list[list]:
    """A tab's rows from its row slices (first row, rows as answered): Google leaves out a slice's
    trailing empty rows, so a slice followed by more rows is padded back to its length."""
    slices = sorted(slices, key=lambda s: s[0])
    if len(slices) == 1:
        return slices[0][1]
    rows: list[list] = []
    for first, values in slices:
        if values:
            rows.extend([] for _ in range(first - 1 - len(rows)))
            rows.extend(values)
    return rows


class GoogleSheetSource:
    """One Google Sheet as a back-office source (see connectors.sources.interface.Source)."""

    def __init__(self, key: str, session: Any, client_email: str | None = None, policy: RetryPolicy | None = None):
        self.key = key
        self.label = f"Google Sheet {key}"
        self.client_email = client_email
        self.policy = policy or RetryPolicy()
        self.client = gspread.Client(auth=None, session=session, http_client=partial(RetryingHTTPClient, policy=self.policy))
        self.http: RetryingHTTPClient = self.client.http_client  # type: ignore[assignment]
        self._sheets: dict[str, dict] | None = None  # tab title -> sheet properties
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, location: str | None = None, *, secrets: dict | None = None,
                      api_base: str | None = None, policy: RetryPolicy | None = None) -> "GoogleSheetSource":
        """Build from `[connections.gsheets]` and GSHEETS_API_BASE; `location` is a key or URL."""
        conf = dict((secrets if secrets is not None else load_secrets()).get("connections", {}).get("gsheets", {}))
        key = spreadsheet_key(location or str(conf.get("spreadsheet") or ""))
        base = api_base if api_base is not None else (setting("gsheets_api_base") or None)
        credentials = service_account_credentials(conf)
        if credentials is None and not base:
            raise SourceError(
                "No Google credentials: add the service account's keys (type, private_key, client_email, ...) under "
                "[connections.gsheets] in .streamlit/secrets.toml, as st-gsheets-connection expects."
            )
        return cls(key, authorized_session(credentials, base), conf.get("client_email"), policy)

    def __repr__(self) -> str:
        return f"GoogleSheetSource(key={self.key!r})"

    def google_errors(self) -> Any:
        """A context that turns gspread/requests/google-auth failures into SourceErrors for people."""
        return google_errors(self.key, self.client_email, self.policy.tries)

    def forget_sheets(self) -> None:
        """Drop the cached metadata (after tabs were added or resized elsewhere, e.g. by provision)."""
        with self._lock:
            self._sheets = None

    # -- reading -----------------------------------------------------------------------------
    def version(self) -> str:
        """Drive's modifiedTime of the spreadsheet: one call."""
        with self.google_errors():
            response = self.http.request("get", f"{DRIVE_FILES_API_V3_URL}/{self.key}",
                                         params={"fields": "modifiedTime", "supportsAllDrives": "true"})
            return str(response.json()["modifiedTime"])

    def sheets(self, refresh: bool = False) -> dict[str, dict]:
        """Tab title -> sheet properties (sheetId, gridProperties); fetched once, then kept."""
        with self._lock:
            if self._sheets is None or refresh:
                with self.google_errors():
                    meta = self.http.fetch_sheet_metadata(self.key, params={"includeGridData": "false", "fields": _METADATA_FIELDS})
                self._sheets = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
            return self._sheets

    def read(self, tabs: list[str] | None = None) -> dict[str, Grid]:
        """Every requested tab that exists, in ONE values:batchGet. Missing tabs are simply absent."""
        if tabs is None:
            from schemas.registry import TABS

            tabs = [t.name for t in TABS]
        try:
            return self._batch_get(tabs, self.sheets())
        except SourceError as error:
            if "Unable to parse range" not in str(error):
                raise
        # A tab was renamed or deleted since the metadata was fetched: fetch it again, once.
        return self._batch_get(tabs, self.sheets(refresh=True))

    def _batch_get(self, tabs: list[str], sheets: dict[str, dict], split: bool = True) -> dict[str, Grid]:
        present = [t for t in dict.fromkeys(tabs) if t in sheets]
        if not present:
            return {}
        parts = split_read(present, sheets, self.split_cells if split else 0)
        with self.google_errors(), gc_paused():
            if len(parts) == 1:
                data = self.http.values_batch_get(self.key, [quote_title(t) for t in present], params=dict(READ_PARAMS))
                answers = {(t, 1): r.get("values", []) for t, r in zip(present, data.get("valueRanges", []))}
            else:
                answers = self._parts_at_once(parts, sheets)
        if answers is None:  # a split tab grew since the metadata was fetched: read it whole
            return self._batch_get(tabs, self.sheets(), split=False)
        grids = {}
        for name in present:
            values = joined([(first, answers[(tab, first)]) for tab, first in answers if tab == name])
            header = ["" if cell is None else str(cell) for cell in values[0]] if values else []
            grids[name] = Grid(name, header, values[1:], first_row=2, gid=sheets[name]["sheetId"])
        return grids

    def _parts_at_once(self, parts: list[list[tuple[str, int, int | None]]], sheets: dict[str, dict]) -> dict | None:
        """The parts of a large read as concurrent values:batchGet calls (Google serialises one part while
        the answer of another is parsed here), and the metadata again beside them: a tab read in row
        slices that has grown since is read again whole (None), so no appended row is missed."""
        def get(part: list[tuple[str, int, int | None]]) -> list[list]:
            ranges = [quote_title(tab) if last is None and first == 1 else f"{quote_title(tab)}!{first}:{last}" for tab, first, last in part]
            data = self.http.values_batch_get(self.key, ranges, params=dict(READ_PARAMS))
            return [r.get("values", []) for r in data.get("valueRanges", [])]

        with ThreadPoolExecutor(len(parts) + 1) as pool:
            latest = pool.submit(self.sheets, True)
            answers = list(pool.map(get, parts))
            now = latest.result()
        for part in parts:
            for tab, _first, last in part:
                if last is not None and _rows(now.get(tab, {})) != _rows(sheets[tab]):
                    return None
        return {(tab, first): values for part, found in zip(parts, answers) for (tab, first, _), values in zip(part, found)}

    # -- writing -----------------------------------------------------------------------------
    split_cells = SPLIT_CELLS

    def write(self, batch: WriteBatch, located: dict[str, Grid] | None = None) -> WriteResult:
        """Apply the batch in ONE spreadsheets:batchUpdate (whole or not at all); rows are found by key in
        `located` (or read now). Sent once: a failure or a lost answer raises, and connectors.sync re-plans
        from a fresh read (see connectors.sources.gsheets_http). A grid-size or sheet-id error means the cached
        metadata is stale: it is dropped and SourceStale tells the caller to read again and re-plan."""
        names = list(dict.fromkeys([u.tab for u in batch.updates] + [a.tab for a in batch.appends] + [d[0] for d in batch.deletes]))
        if not names:
            return WriteResult()
        grids = dict(located or {})
        missing = [n for n in names if n not in grids]
        if missing:
            grids.update(self.read(missing))
        plans = plan(batch, grids, self.sheets())
        try:
            with self.google_errors(), self.http.single_shot():
                self.http.batch_update(self.key, write_request(plans))
        except SourceUnreachable:
            raise
        except SourceError as error:
            if "exceeds grid limits" in str(error) or "No grid with id" in str(error):
                self.forget_sheets()
                raise SourceStale(str(error)) from None
            raise
        return WriteResult(
            cells_updated=len(batch.updates), rows_appended=len(batch.appends), rows_deleted=len(batch.deletes)
        )

    def wait_before_retry(self, attempt: int, error: BaseException) -> None:
        """The pause before connectors.sync re-plans a failed write: Retry-After, else backoff with jitter."""
        self.policy.sleep(self.policy.delay(attempt, getattr(error, "retry_after", None)))

    @property
    def write_tries(self) -> int:
        return self.policy.tries

    def cell_link(self, tab: str, a1: str) -> str | None:
        """A link that opens the sheet at that cell: .../edit#gid=GID&range=C7."""
        props = self.sheets().get(tab)
        if props is None:
            return None
        return f"https://docs.google.com/spreadsheets/d/{self.key}/edit#gid={props['sheetId']}&range={a1}"
