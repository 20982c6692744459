"""Who is using the app - failing closed.

- A secrets file that cannot be read (Streamlit's `.streamlit/secrets.toml`, or the file named by
  BACKOFFICE_SECRETS, which the app reads its settings from) stops the app with a message naming it.
- `[auth]` in either file means Google sign-in: the signed-in e-mail is looked up in the `users` tab for
  a role; unknown e-mails (and roles this app does not know) see a polite refusal and nothing else.
- With no `[auth]` anywhere the app is one local admin - but only when Streamlit is bound to a loopback
  address (`server.address` 127.0.0.1, ::1 or localhost, as `make run` sets it). Unset means every
  interface, so it is refused like any other address, with a message saying how to configure sign-in.
- The source is read (refresh) only once someone has signed in, and the outbox is replayed only once
  their role is known (item 6 of issue 12): a visitor who is not signed in reads nothing.
"""
from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from connectors.access import LOCAL_ADMIN, User
from connectors.config import _secrets_file, load_secrets
from gateway.reads import user_for
from schemas.i18n import N_, _
from ui.language import remember_for
from ui.markdown import literal
from ui.state import SIGNED_IN, cache, ensure_loaded, served, signed_in_user

ROLE_NAMES = {"admin": N_("admin"), "editor": N_("editor"), "clinic": N_("clinic staff"), "viewer": N_("viewer")}
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
HOW_TO_SIGN_IN = N_("Add an `[auth]` section (Google OAuth: redirect_uri, cookie_secret, client_id, client_secret, "
                  "server_metadata_url) to `.streamlit/secrets.toml`, or start the app bound to 127.0.0.1 "
                  "(`make run`) to use it alone as the local admin.")


class SecretsProblem(RuntimeError):
    """A secrets file exists but cannot be parsed: the message names the file, never its content."""


def bind_address() -> str:
    """The address Streamlit listens on, as configured ("" = every interface)."""
    return str(st.get_option("server.address") or "").strip()


def is_loopback(address: str) -> bool:
    if address.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def streamlit_auth() -> dict | None:
    """`[auth]` as Streamlit (st.login) reads it; None when there is none or no secrets file at all."""
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except FileNotFoundError:
        # Streamlit says "not found" for a file that does not parse, too: tell them apart by the files.
        present = [f for f in st.get_option("secrets.files") or [] if Path(f).expanduser().is_file()]
        if present:
            raise SecretsProblem(_("Streamlit's secrets file {file} cannot be read (it must be valid TOML). "
                                   "Correct it and restart the app.").format(file=present[0])) from None
        return None


def auth_section() -> dict | None:
    """The `[auth]` section from Streamlit's secrets or the app's secrets file; None when neither has one."""
    found = streamlit_auth()
    if found is not None:
        return found
    try:
        section = load_secrets().get("auth")
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise SecretsProblem(_("The secrets file {file} cannot be read: {problem}. "
                               "Correct it (it must be valid TOML) and restart the app.").format(file=_secrets_file(), problem=type(exc).__name__)) from None
    return dict(section) if section else None


def sign_in_configured() -> bool:
    return auth_section() is not None


def request_host() -> str | None:
    """The host name this page was asked for (the Host header without its port), or None when there is no
    request behind the run (AppTest) or its Host is malformed."""
    try:
        host = st.context.headers.get("Host")
    except Exception:  # no session behind this run
        return None
    if not host:
        return None
    try:
        return urlsplit(f"//{host}").hostname
    except ValueError:
        return None


def refuse_foreign_host() -> None:
    """The local admin answers pages asked for by a loopback name only. A web page elsewhere can point its own
    name at 127.0.0.1 (DNS rebinding) and drive a local app from the user's browser: its requests carry that
    name in their Host header, so they are refused here (and by `server.allowedHosts`, which `make run` sets)."""
    host = request_host()
    if host is None and not served():
        return  # AppTest: no HTTP request at all
    if host is None or not is_loopback(host):
        _refuse(_("This local app answers only to the addresses of this computer (127.0.0.1 or localhost), and this "
                  "page was asked for as {host}. Open it at http://127.0.0.1 instead.").format(host=literal(host) if host else _("an unknown name")))


def current_user() -> User | None:
    """The user let in on this rerun (require_user ran first in app.py), or None."""
    return signed_in_user()


def _refuse(message: str) -> None:
    st.title(_("CCPCR Back Office"))
    st.error(message)
    st.stop()


def require_user() -> User:
    """Stop the page for anyone not allowed in; otherwise say who is signed in, in the sidebar."""
    st.session_state.pop(SIGNED_IN, None)
    try:
        auth = auth_section()
    except SecretsProblem as exc:
        _refuse(str(exc))
    address = bind_address()
    if auth is None:
        if not is_loopback(address):
            shown = address or _("every interface (server.address is not set)")
            _refuse(_("No sign-in is configured and the app listens on {address}, so anyone who can reach it "
                      "would be the admin. The app stays closed.").format(address=literal(shown)) + " " + _(HOW_TO_SIGN_IN))
        refuse_foreign_host()
        st.session_state[SIGNED_IN] = LOCAL_ADMIN
        remember_for(LOCAL_ADMIN.email)
        st.sidebar.caption(_("No sign-in configured: you are the local admin, and the app listens on {address} only.").format(address=literal(address)))
        return LOCAL_ADMIN
    if streamlit_auth() is None:
        _refuse(_("Sign-in is configured in {file}, but Streamlit reads `[auth]` from "
                  ".streamlit/secrets.toml only. Move the `[auth]` section there (or start Streamlit with "
                  "--secrets.files {file}) and restart the app.").format(file=_secrets_file()))
    if not st.user.is_logged_in:
        st.title(_("CCPCR Back Office"))
        st.write(_("Please sign in with your Google account to continue."))
        if st.button(_("Sign in with Google"), key="sign_in"):
            st.login()
        st.stop()
    email = str(st.user.get("email") or "")
    if email:
        remember_for(email)
    ensure_loaded()  # signed in with Google: the users tab may now be read (a change-token call if unchanged)
    user = user_for(cache().cursor(), email) if email else None
    if user is None:
        st.title(_("CCPCR Back Office"))
        st.warning(_("Sorry — your account is not on the list of people who may use this back office. "
                     "If you should have access, ask the programme's admin to add your e-mail to the users tab."))
        if st.button(_("Sign out"), key="sign_out"):
            st.logout()
        st.stop()
    st.session_state[SIGNED_IN] = user
    with st.sidebar:
        st.caption(_("Signed in as {email} ({role}); the app listens on {address}.").format(
            email=literal(user.email), role=_(ROLE_NAMES.get(user.role, user.role)), address=literal(address) if address else _("every interface")))
        if st.button(_("Sign out"), key="sign_out"):
            st.logout()
    return user
