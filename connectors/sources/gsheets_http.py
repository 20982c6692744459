"""How the Google Sheets source talks to Google: bounded retries and errors a person can act on.

gspread's own BackOffHTTPClient retries 429 and 5xx forever (its delay caps at 128 s and starts
again); a refresh button must give an answer. Here: at most `tries` attempts with exponential
backoff and full jitter (or the server's `Retry-After`, when it sends one), on 408, 429, 5xx,
Drive's rate-limit 403s and dropped connections; then a SourceUnreachable that says what happened
and what to do.

A save's write is never retried here: it is positional (row numbers from the check read), and sent
again blindly after a lost answer it could land twice or on a row that moved meanwhile. Inside
`single_shot()` (what GoogleSheetSource.write uses) a failed write comes back at once as a
SourceUnreachable (with `retry_after`), and connectors.sync re-plans it from a fresh read, which also
tells whether the first attempt landed. Reads, and structure requests such as provisioning's, are
retried as before.

No message built here ever contains a credential: only the spreadsheet key and the service
account's e-mail address, which is not a secret (it is what people share the sheet with).
"""
from __future__ import annotations

import contextlib
import gc
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import tenacity
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from connectors.sources.interface import SourceError, SourceUnreachable
from schemas.i18n import _

log = logging.getLogger(__name__)

RETRY_STATUSES = {408, 429, 500, 502, 503, 504}
_DRIVE_RATE_LIMITS = {"rateLimitExceeded", "userRateLimitExceeded"}


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 5
    base_delay: float = 0.5  # seconds; the n-th wait is random in [0, base * 2**n], capped
    max_delay: float = 16.0
    timeout: tuple[float, float] = (10.0, 120.0)  # connect, read: a 1 M-cell answer takes a while
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for: the save goes to the outbox
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before try `attempt + 1`: Retry-After when given (bounded), else full jitter."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** attempt))


def retry_after(error: BaseException | None) -> float | None:
    """The seconds an answer's `Retry-After` header asks for (only the delta-seconds form), or None."""
    response = getattr(error, "response", None)
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


_gc_lock = threading.Lock()
_gc_pause = {"depth": 0, "was_enabled": False}


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big answer is parsed.

    Parsing a 1 M-cell answer creates over a million objects; the collector would rescan them
    several times on the way (measured: json parsing 3-4x slower). Nothing parsed here is cyclic
    garbage, so collection simply waits until the parse is done. Safe across threads.
    """
    with _gc_lock:
        if _gc_pause["depth"] == 0:
            _gc_pause["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_pause["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pause["depth"] -= 1
            if _gc_pause["depth"] == 0 and _gc_pause["was_enabled"]:
                gc.enable()


def _status(error: APIError) -> int:
    return int(error.code) if isinstance(error.code, int) and error.code > 0 else error.response.status_code


def is_transient(error: BaseException) -> bool:
    """Worth trying again: Google was busy or the network dropped us, not a wrong request."""
    if isinstance(error, APIError):
        status = _status(error)
        if status in RETRY_STATUSES:
            return True
        reasons = {e.get("reason") for e in error.error.get("errors", []) if isinstance(e, dict)}
        return status == 403 and bool(reasons & _DRIVE_RATE_LIMITS)
    if isinstance(error, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)):
        return True
    try:
        from google.auth.exceptions import TransportError
    except ImportError:  # pragma: no cover - google-auth is a gspread dependency
        return False
    return isinstance(error, TransportError)


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client, with bounded exponential backoff and jitter."""

    def __init__(self, auth: Any, session: requests.Session | None = None, policy: RetryPolicy = RetryPolicy()):
        super().__init__(auth, session)
        self.policy = policy
        self.timeout = policy.timeout
        self._local = threading.local()

    @contextlib.contextmanager
    def single_shot(self) -> Iterator[None]:
        """Writes made in this block (this thread) are sent once: no retry, whatever the answer."""
        self._local.once = True
        try:
            yield
        finally:
            self._local.once = False

    def request(self, method: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if str(method).lower() != "get" and getattr(self._local, "once", False):
            return super().request(method, *args, **kwargs)  # a save's write is re-planned by connectors.sync, never re-sent
        policy = self.policy

        def wait(state: tenacity.RetryCallState) -> float:
            return policy.delay(state.attempt_number - 1, retry_after(state.outcome.exception() if state.outcome else None))

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(policy.tries),
            wait=wait,
            sleep=policy.sleep,
            retry=tenacity.retry_if_exception(is_transient),
            before_sleep=_log_retry,
            reraise=True,
        )
        return retrying(super().request, method, *args, **kwargs)


def _log_retry(state: tenacity.RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning("Google Sheets call failed (%s); try %d, retrying.", _describe(error), state.attempt_number)


def _describe(error: BaseException | None) -> str:
    if isinstance(error, APIError):
        return f"HTTP {_status(error)}: {error.error.get('message', '')}".strip()
    return type(error).__name__ if error else "unknown error"


@contextlib.contextmanager
def google_errors(key: str, client_email: str | None, tries: int) -> Iterator[None]:
    """Turn what gspread, requests and google-auth raise into SourceErrors with a next step."""
    try:
        yield
    except APIError as error:
        raise _from_api_error(error, key, client_email, tries) from None
    except SourceError:
        raise
    except Exception as error:  # network, TLS, token refresh
        if is_transient(error):
            raise SourceUnreachable(
                _("Could not reach Google Sheets after {tries} tries ({problem}). Check the internet "
                  "connection and try again; edits are kept and sent later.").format(tries=tries, problem=type(error).__name__)
            ) from None
        from google.auth.exceptions import GoogleAuthError

        if isinstance(error, GoogleAuthError):
            raise SourceError(
                _("Google did not accept the service account {account}: check the "
                  "[connections.gsheets] keys in .streamlit/secrets.toml (the key may have been deleted or revoked).").format(
                    account=client_email or "(no client_email)")
            ) from None
        raise


def _from_api_error(error: APIError, key: str, client_email: str | None, tries: int) -> SourceError:
    status, message = _status(error), str(error.error.get("message", "")).strip()
    if is_transient(error):
        unreachable = SourceUnreachable(
            _("Google Sheets did not answer after {tries} tries (last answer: HTTP {status}, {message}). "
              "Wait a minute and refresh; edits are kept and sent later.").format(tries=tries, status=status, message=message)
        )
        unreachable.retry_after = retry_after(error)
        return unreachable
    if status == 403:
        who = client_email or _("the service account named by client_email in [connections.gsheets]")
        return SourceError(
            _("Google Sheets refused access to spreadsheet {key}: share the sheet with {who} "
              "(Share button, as an Editor), then refresh.").format(key=key, who=who)
        )
    if status == 404:
        return SourceError(
            _("No Google Sheet has the key {key}: the key is wrong or the sheet was deleted. Copy the key from the "
              "sheet's address (the part after /d/) into BACKOFFICE_SOURCE=gsheets:<key>.").format(key=key)
        )
    if status == 401:
        return SourceError(
            _("Google did not accept the credentials of {account}: check the "
              "[connections.gsheets] keys in .streamlit/secrets.toml.").format(account=client_email or _("the service account"))
        )
    return SourceError(_("Google Sheets rejected a request for spreadsheet {key} (HTTP {status}): {message}").format(
        key=key, status=status, message=message))
