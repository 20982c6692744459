"""HTTP sessions for Google's APIs, optionally sent to another base URL.

With GSHEETS_API_BASE=http://host:port every call meant for sheets.googleapis.com,
www.googleapis.com (Drive) or oauth2.googleapis.com goes there instead: the local Sheets server
in tests and benchmarks, or a proxy. The same code path runs in production and in tests.

The sessions also ask for compact JSON (`prettyPrint=false`) and gzip (Google sends gzip only when
the User-Agent says "gzip"), which matter on a slow rural connection.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

GOOGLE_HOSTS = ("sheets.googleapis.com", "www.googleapis.com", "oauth2.googleapis.com", "drive.googleapis.com")
SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
USER_AGENT = "ccpcr-backoffice (gzip)"


def rewrite(url: str, base: str | None) -> str:
    """Send a Google API URL to `base` (scheme://host:port[/prefix]), keeping its path and query."""
    if not base:
        return url
    parts = urlsplit(url)
    if parts.hostname not in GOOGLE_HOSTS:
        return url
    target = urlsplit(base.rstrip("/"))
    return urlunsplit((target.scheme, target.netloc, target.path + parts.path, parts.query, parts.fragment))


class _GoogleMixin:
    """Rewrites hosts and asks for compact answers; shared by the plain and the authorised session."""

    api_base: str | None = None
    compact: bool = True

    def _prepare(self, url: str, kwargs: dict) -> str:
        if self.compact and urlsplit(url).hostname in GOOGLE_HOSTS and not url.endswith("/token"):
            params = kwargs.get("params")
            params = dict(params) if params else {}
            params.setdefault("prettyPrint", "false")
            kwargs["params"] = params
        return rewrite(url, self.api_base)


class GoogleSession(_GoogleMixin, requests.Session):
    """An anonymous session (no credentials): for the local server or an authenticating proxy."""

    def __init__(self, api_base: str | None = None, compact: bool = True, gzip: bool = True):
        super().__init__()
        self.api_base, self.compact = api_base, compact
        if gzip:
            self.headers["User-Agent"] = USER_AGENT
            self.headers["Accept-Encoding"] = "gzip"

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        return super().request(method, self._prepare(url, kwargs), *args, **kwargs)


def authorized_session(credentials: Any, api_base: str | None = None, compact: bool = True, gzip: bool = True) -> requests.Session:
    """A session that signs requests with `credentials` (google-auth), or an anonymous one if None.

    The token refresh also goes through a rewriting session, so the local server answers it too.
    """
    if credentials is None:
        return GoogleSession(api_base, compact, gzip)
    from google.auth.transport.requests import AuthorizedSession, Request

    class _Authorized(_GoogleMixin, AuthorizedSession):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
            return super().request(method, self._prepare(url, kwargs), *args, **kwargs)

    session = _Authorized(credentials, auth_request=Request(GoogleSession(api_base, compact=False, gzip=False)))
    session.api_base, session.compact = api_base, compact
    if gzip:
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept-Encoding"] = "gzip"
    return session
