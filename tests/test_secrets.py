"""No credential, token or private key is ever shown in the UI, written to the logs or put in an error message.

A secrets file with a (fake) service account and a Google sign-in section is fed to the app; every page is
rendered as the admin and every element's text, the downloads, the captured logs and stderr are scanned
for each secret value. The Google Sheets source's error messages are checked the same way."""
from __future__ import annotations

import json
import logging
import threading
import tomllib
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from streamlit.testing.v1 import AppTest

from connectors.sources.interface import SourceError
from tests.factories import APP, EMAIL, PAGES, texts

PRIVATE_KEY_ID = "f1d2e3c4b5a697887766554433221100aabbccdd"
CLIENT_ID = "109876543210987654321"
CLIENT_SECRET = "GOCSPX-fake-oauth-client-secret-0xDEADBEEF"
COOKIE_SECRET = "fake-cookie-secret-4f9c2b7e1a0d"
OAUTH_CLIENT_ID = "123456789012-fakeoauthclient.apps.googleusercontent.com"


@pytest.fixture(scope="module")
def private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def _secret_values(private_key: str) -> list[str]:
    """Each secret, and each line of the key's body (a log could show a fragment of it)."""
    body = [line for line in private_key.splitlines() if line and not line.startswith("-----")]
    return [PRIVATE_KEY_ID, CLIENT_ID, CLIENT_SECRET, COOKIE_SECRET, OAUTH_CLIENT_ID, private_key.strip(), *body]


def _secrets_toml(private_key: str, token_uri: str = "https://oauth2.googleapis.com/token") -> str:
    return f'''[connections.gsheets]
type = "service_account"
project_id = "ccpcr-test"
private_key_id = "{PRIVATE_KEY_ID}"
private_key = """{private_key}"""
client_email = "backoffice@ccpcr-test.iam.gserviceaccount.com"
client_id = "{CLIENT_ID}"
token_uri = "{token_uri}"

[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "{OAUTH_CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
'''


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s[:12] + "…" for s in secrets if s in text]


@pytest.mark.usefixtures("app_env")
def test_no_page_shows_and_no_log_holds_a_secret(tmp_path, monkeypatch, private_key, caplog, capfd):
    path = tmp_path / "secrets.toml"
    path.write_text(_secrets_toml(private_key))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(path))
    secrets = tomllib.loads(path.read_text())
    caplog.set_level(logging.DEBUG)

    at = AppTest.from_file(APP, default_timeout=180)
    for section, values in secrets.items():
        at.secrets[section] = values
    at.user = {"is_logged_in": True, "email": EMAIL["admin"]}
    at.run()
    assert not at.exception, at.exception
    seen = [texts(at)]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen.append(texts(at))
    at.switch_page("pages/sync.py").run()
    at.checkbox(key="sync_force").check().run()
    at.button(key="sync_refresh").click().run()
    assert not at.exception, at.exception
    assert any("Refreshed" in s.value for s in at.success)
    seen.append(texts(at))
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("settings").run()  # the admin's own tabs: settings, users
    seen.append(texts(at))
    at.selectbox(key="tables_tab").set_value("users").run()
    seen.append(texts(at))

    out, err = capfd.readouterr()
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    everything = "\n".join(seen)
    assert "Sync & history" in everything and "Signed in as admin@example.org" in everything  # the scan saw the pages
    secret_values = _secret_values(private_key)
    assert not _leaks(everything, secret_values), "a page shows a secret"
    assert not _leaks(logged + out + err, secret_values), "a log holds a secret"


# --- the Google Sheets source's errors ----------------------------------------------------------

class _TokenRefuser(BaseHTTPRequestHandler):
    """Google's token endpoint refusing the service account, as it does for a deleted key."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenRefuser)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _all_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc)


def test_a_malformed_key_is_named_but_never_quoted(private_key):
    from connectors.sources.gsheets import GoogleSheetSource

    broken = private_key.replace("\n", "", 3)[:-40] + "\n-----END PRIVATE KEY-----\n"
    secrets = tomllib.loads(_secrets_toml(broken))
    secrets["connections"]["gsheets"]["spreadsheet"] = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    with pytest.raises(SourceError) as caught:
        GoogleSheetSource.from_settings(secrets=secrets)
    assert "private_key" in str(caught.value)  # says which setting is wrong
    assert not _leaks(_all_text(caught.value), _secret_values(broken))


def test_a_refused_service_account_says_so_without_its_credentials(private_key, refusing_server, caplog):
    from connectors.sources.gsheets import GoogleSheetSource
    from connectors.sources.gsheets_http import RetryPolicy

    caplog.set_level(logging.DEBUG)
    secrets = tomllib.loads(_secrets_toml(private_key, token_uri=f"{refusing_server}/token"))
    secrets["connections"]["gsheets"]["spreadsheet"] = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    source = GoogleSheetSource.from_settings(secrets=secrets, api_base=refusing_server, policy=RetryPolicy(tries=2, base_delay=0.01))
    assert not _leaks(repr(source) + source.label, _secret_values(private_key))
    for call in (source.version, lambda: source.read(["villages"])):
        with pytest.raises(SourceError) as caught:
            call()
        assert "backoffice@ccpcr-test.iam.gserviceaccount.com" in str(caught.value) or "Google" in str(caught.value)
        assert not _leaks(_all_text(caught.value), _secret_values(private_key))
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert not _leaks(logged, _secret_values(private_key))


def test_an_unreachable_google_says_so_without_credentials(private_key, caplog):
    from connectors.sources.gsheets import GoogleSheetSource
    from connectors.sources.gsheets_http import RetryPolicy

    caplog.set_level(logging.DEBUG)
    secrets = tomllib.loads(_secrets_toml(private_key, token_uri="http://127.0.0.1:9/token"))
    secrets["connections"]["gsheets"]["spreadsheet"] = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    source = GoogleSheetSource.from_settings(secrets=secrets, api_base="http://127.0.0.1:9", policy=RetryPolicy(tries=2, base_delay=0.01))
    with pytest.raises(SourceError) as caught:
        source.version()
    assert not _leaks(_all_text(caught.value), _secret_values(private_key))
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert not _leaks(logged, _secret_values(private_key))
