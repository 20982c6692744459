"""Pytest fixtures for everything that talks to the local Sheets API server.

Loaded by tests/conftest.py (`pytest_plugins = ["tests.fixtures_sheets"]`). Fixtures:

- `sheets_server`: the running server (one per test session), its request log and faults
  cleared for each test.
- `make_spreadsheet(grids=None, title=...)`: load {tab: rows} into a new spreadsheet -> its key;
  without grids, every registered tab with a header and 3 rows (`demo_grids(3)`).
- `make_source(key, **kw)`: a GoogleSheetSource on that key through the server, anonymous, with a
  fast retry policy (`FAST_RETRIES`); pass `secrets=` to go through service-account credentials.
- `service_account_secrets`: st-gsheets-connection style secrets with a freshly made RSA key
  (never a real one), as a dict.

`demo_grids(rows)` (a plain function) builds plausible grids for every registered tab from the
schemas; bench/refresh.py scales it up.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from connectors.sources.gsheets import GoogleSheetSource
from connectors.sources.gsheets_http import RetryPolicy
from schemas.registry import TABS
from tests.sheets_server import SheetsServer

FAST_RETRIES = RetryPolicy(tries=4, base_delay=0.001, max_delay=0.01, timeout=(5.0, 30.0))
SERVICE_ACCOUNT_EMAIL = "backoffice@ccpcr-tests.iam.gserviceaccount.com"


def _sample(column: Any, i: int) -> Any:
    """One plausible cell for row i of a column, from its schema."""
    if column.allowed:
        return column.allowed[i % len(column.allowed)]
    if column.code_width:
        rest = column.code_width - 2  # province "12", then digits that vary with the row
        return "12" + (f"{i % 10**rest:0{rest}d}" if rest else "")
    if column.kind == "int":
        return i % 40
    if column.kind == "float":
        return round(10 + i * 0.25, 2)
    if column.kind == "bool":
        return i % 3 == 0
    if column.kind == "date":
        return dt.date(2023, 1, 1) + dt.timedelta(days=i % 700)
    if column.pii:
        return f"Person {i}"
    return f"{column.name} {i}"


def demo_grids(rows: int, header: str = "name") -> dict[str, list[list]]:
    """{tab: [header, *rows]} for every registered tab; keys are unique ("<tab>-<n>")."""
    grids = {}
    for t in TABS:
        columns = t.columns
        head = [c.name if header == "name" else c.title for c in columns]
        body = []
        for i in range(rows):
            row = [_sample(c, i) for c in columns]
            for k in t.key:
                position = [c.name for c in columns].index(k)
                row[position] = 2020 + i if columns[position].kind == "int" else f"{k.upper()[:2]}-{i:05d}"
            body.append(row)
        grids[t.name] = [head, *body]
    return grids


@pytest.fixture(scope="session")
def _sheets_server_session():
    server = SheetsServer().start()
    yield server
    server.stop()


@pytest.fixture
def sheets_server(_sheets_server_session: SheetsServer) -> SheetsServer:
    _sheets_server_session.clear_faults()
    _sheets_server_session.reset()
    yield _sheets_server_session
    _sheets_server_session.clear_faults()


@pytest.fixture
def make_spreadsheet(sheets_server: SheetsServer) -> Callable[..., str]:
    def make(grids: dict[str, list[list]] | None = None, title: str = "CCPCR test sheet") -> str:
        key = sheets_server.create_spreadsheet(title, grids if grids is not None else demo_grids(3))
        sheets_server.reset()  # the tests count calls from here
        return key

    return make


@pytest.fixture
def make_source(sheets_server: SheetsServer) -> Callable[..., GoogleSheetSource]:
    def make(key: str, *, secrets: dict | None = None, policy: RetryPolicy = FAST_RETRIES) -> GoogleSheetSource:
        return GoogleSheetSource.from_settings(key, secrets=secrets or {}, api_base=sheets_server.base_url, policy=policy)

    return make


@pytest.fixture(scope="session")
def service_account_secrets() -> dict:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return {"connections": {"gsheets": {
        "type": "service_account",
        "project_id": "ccpcr-tests",
        "private_key_id": "0123456789abcdef",
        "private_key": pem.decode(),
        "client_email": SERVICE_ACCOUNT_EMAIL,
        "client_id": "1234567890",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }}}
