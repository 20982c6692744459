"""Who is using the app. With Google sign-in configured ([auth] in secrets), the signed-in e-mail is
looked up in the `users` tab for a role; unknown e-mails see a polite refusal and nothing else. With
no sign-in configured the app is one local admin, and `make run` binds it to 127.0.0.1 only.
"""
from __future__ import annotations

import streamlit as st

from connectors.access import LOCAL_ADMIN, User
from insights.people import role_of
from ui.state import query


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def current_user() -> User | None:
    """The user of this session, or None when nobody (known) is signed in."""
    if not sign_in_configured():
        return LOCAL_ADMIN
    if not st.user.is_logged_in:
        return None
    email = str(st.user.get("email") or "")
    found = query(role_of, email)
    if found is None:
        return None
    return User(email=email, role=found["role"], name=found["name"] or "")


def require_user() -> User:
    """Stop the page for anyone not allowed in; otherwise say who is signed in, in the sidebar."""
    if not sign_in_configured():
        st.sidebar.caption("No sign-in configured: you are the local admin, and the app listens on 127.0.0.1 only.")
        return LOCAL_ADMIN
    if not st.user.is_logged_in:
        st.title("CCPCR Back Office")
        st.write("Please sign in with your Google account to continue.")
        if st.button("Sign in with Google", key="sign_in"):
            st.login()
        st.stop()
    user = current_user()
    if user is None:
        st.title("CCPCR Back Office")
        st.warning("Sorry — your account is not on the list of people who may use this back office. "
                   "If you should have access, ask the programme's admin to add your e-mail to the users tab.")
        if st.button("Sign out", key="sign_out"):
            st.logout()
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {user.email} ({user.role})")
        if st.button("Sign out", key="sign_out"):
            st.logout()
    return user
