"""The Google Sheets source: the staff's spreadsheet, through gspread 6, in as few calls as possible.

API calls are the main cost (60 reads and 60 writes per minute per user), so:
- version(): Drive `files.get?fields=modifiedTime`, one call; an unchanged token means nothing to read.
- read(tabs): the spreadsheet's metadata (tab titles, sheet ids, merged cells), then ONE `values:batchGet`
  for every tab, UNFORMATTED_VALUE with SERIAL_NUMBER dates, compact JSON; each tab's cells are decoded only
  when read, and each tab carries a digest of its cells as sent (connectors.sources.answer). The metadata is kept, and asked
  again only when version() saw the sheet change since: merged cells are not in the values, and staff
  merge cells without changing one value (a read after an edit costs 3 calls; an unchanged one, 1).
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
from functools import partial
from typing import Any

import gspread
from gspread.urls import DRIVE_FILES_API_V3_URL, SPREADSHEET_VALUES_BATCH_URL

from connectors.config import SHEET_KEY_IN_URL, load_secrets, setting
from connectors.sources.answer import grids_from_answer, merges_of
from connectors.sources.google_http import SCOPES, authorized_session
from connectors.sources.gsheets_http import RetryingHTTPClient, RetryPolicy, google_errors
from connectors.sources.gsheets_write import plan, quote_title, write_request
from connectors.sources.interface import Grid, SourceError, SourceStale, SourceUnreachable, WriteBatch, WriteResult
from schemas.grid import Merge
from schemas.i18n import _

_KEY = re.compile(r"^[a-zA-Z0-9_-]{10,}$")
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER", "majorDimension": "ROWS"}
_METADATA_FIELDS = "sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount)),sheets.merges"


def spreadsheet_key(location: str) -> str:
    """The key from a key or a Google Sheets URL."""
    location = (location or "").strip()
    match = SHEET_KEY_IN_URL.search(location)
    key = match.group(1) if match else location
    if not _KEY.match(key):
        raise SourceError(_("'{location}' is not a Google Sheet key or address. Use BACKOFFICE_SOURCE=gsheets:<key>, where "
                            "the key is the part of the sheet's address after /d/.").format(location=location))
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
        raise SourceError(_("The service-account keys in [connections.gsheets] could not be loaded ({error}): check "
                            "private_key and client_email in .streamlit/secrets.toml.").format(error=type(error).__name__)) from None


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
        self._merges: dict[str, tuple[Merge, ...]] = {}  # tab title -> its merged cells, from the same metadata
        self._seen: str | None = None  # the last change token version() answered
        self._sheets_seen: str | None = None  # ... when the metadata was fetched
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, location: str | None = None, *, secrets: dict | None = None,
                      api_base: str | None = None, policy: RetryPolicy | None = None) -> GoogleSheetSource:
        """Build from `[connections.gsheets]` and GSHEETS_API_BASE; `location` is a key or URL."""
        conf = dict((secrets if secrets is not None else load_secrets()).get("connections", {}).get("gsheets", {}))
        key = spreadsheet_key(location or str(conf.get("spreadsheet") or ""))
        base = api_base if api_base is not None else (setting("gsheets_api_base") or None)
        credentials = service_account_credentials(conf)
        if credentials is None and not base:
            raise SourceError(_("No Google credentials: add the service account's keys (type, private_key, client_email, ...) "
                                "under [connections.gsheets] in .streamlit/secrets.toml, as st-gsheets-connection expects."))
        return cls(key, authorized_session(credentials, base), conf.get("client_email"), policy)

    def __repr__(self) -> str:
        return f"GoogleSheetSource(key={self.key!r})"

    def google_errors(self) -> Any:
        """A context that turns gspread/requests/google-auth failures into SourceErrors for people."""
        return google_errors(self.key, self.client_email, self.policy.tries)

    def remember_sheet(self, old_title: str | None, properties: dict) -> None:
        """A tab this source just added or renamed itself (the Problems tab): known without asking again."""
        with self._lock:
            if self._sheets is not None:
                if old_title is not None:
                    self._sheets.pop(old_title, None)
                self._sheets[properties["title"]] = properties

    def problem_sheet(self) -> Any:
        """Where the Problems tab and the cell notes are written (connectors.problems)."""
        from connectors.problems.google import GoogleProblemsSheet

        return GoogleProblemsSheet(self)

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
            self._seen = str(response.json()["modifiedTime"])
            return self._seen

    def sheets(self, refresh: bool = False) -> dict[str, dict]:
        """Tab title -> sheet properties (sheetId, gridProperties); fetched once, then kept."""
        with self._lock:
            if self._sheets is None or refresh:
                with self.google_errors():
                    meta = self.http.fetch_sheet_metadata(self.key, params={"includeGridData": "false", "fields": _METADATA_FIELDS})
                self._sheets = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
                self._merges = {s["properties"]["title"]: merges_of(s.get("merges", ())) for s in meta.get("sheets", [])}
                self._sheets_seen = self._seen
            return self._sheets

    def read(self, tabs: list[str] | None = None) -> dict[str, Grid]:
        """Every requested tab that exists, in ONE values:batchGet. Missing tabs are simply absent."""
        if tabs is None:
            from schemas.registry import TABS

            tabs = [t.name for t in TABS]
        try:
            return self._batch_get(tabs, self.sheets(refresh=self._sheets_seen != self._seen))
        except SourceError as error:
            if "Unable to parse range" not in str(error):
                raise
        # A tab was renamed or deleted since the metadata was fetched: fetch it again, once.
        return self._batch_get(tabs, self.sheets(refresh=True))

    def _batch_get(self, tabs: list[str], sheets: dict[str, dict]) -> dict[str, Grid]:
        present = [t for t in dict.fromkeys(tabs) if t in sheets]
        if not present:
            return {}
        with self.google_errors():
            body = self.http.request("get", SPREADSHEET_VALUES_BATCH_URL % self.key,
                                     params={**READ_PARAMS, "ranges": [quote_title(t) for t in present]}).content
        # Each tab's cells stay bytes, with a digest, until something reads them (connectors.sources.answer).
        return grids_from_answer(body, present, {t: {"gid": sheets[t]["sheetId"], "merges": self._merges.get(t, ())} for t in present})

    # -- writing -----------------------------------------------------------------------------
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
