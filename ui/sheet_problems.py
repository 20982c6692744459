"""The problems sent back to the sheet, as the pages show them (kept apart from the pages' own code):

- `sheet_status()`: a line on the Data quality page - when the problems were last sent to the sheet's Problems
  tab, how many warnings staff confirmed correct as typed, or why the last send failed;
- `confirm_warnings()`: the Data quality page's "Correct as typed" for people who work in the app: the same
  as ticking the box in the sheet, recorded with who did it;
- `sends()`: the Sync & history page's list of those sends (admins).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from connectors.access import AccessDenied, User
from connectors.problems import confirm, feedback
from gateway import sheet_problems
from schemas.formats import title
from schemas.i18n import _, day, ngettext, number
from ui.state import cache, source
from ui.widgets import table


def _when(moment) -> str:
    return f"{day(moment)} {moment:%H:%M} UTC"


def sheet_status(user: User) -> None:
    found = sheet_problems.sheet_feedback(cache(), user)
    if found["problem"]:
        st.warning(found["problem"])
        return
    if found["mode"] == "off":
        st.caption(_("Problems are not written back to the sheet (problems_in_sheet = off)."))
        return
    confirmed = ngettext("{count} warning confirmed correct as typed by staff.", "{count} warnings confirmed correct as typed by staff.",
                         found["confirmed"]).format(count=number(found["confirmed"]))
    last = found["last"]
    if last is None:
        st.caption(_("The problems have not been sent to the sheet yet: they are, after the next check that finds them.") + " " + confirmed)
    elif last["outcome"] == "failed":
        st.warning(_("Sending the problems to the sheet failed at {when}: {problem} It is tried again at the next check.").format(
            when=_when(last["at"]), problem=last["detail"]) + " " + confirmed)
    else:
        where = found["title"] or _("Problems")
        st.caption(_("Problems last sent to the sheet's '{tab}' tab at {when}.").format(tab=where, when=_when(last["last_sent"] or last["at"]))
                   + " " + confirmed)


def confirm_warnings(user: User) -> None:
    """Warnings this user may confirm correct as typed (tabs they may change), ticked and confirmed in one go."""
    if feedback.mode() == "off":
        return
    choices = sheet_problems.confirmable_warnings(cache(), user)
    if choices.empty:
        return
    with st.expander(ngettext("{count} warning can be confirmed correct as typed", "{count} warnings can be confirmed correct as typed",
                              len(choices)).format(count=number(len(choices))), expanded=False):
        st.caption(_("Tick the warnings whose value is right as typed: they stop showing here and in the sheet's Problems tab, "
                     "until the value changes. Errors cannot be confirmed away."))
        labels = {ident: _("{tab}, row {row}, {column}: {value}").format(
            tab=tab, row="" if pd.isna(row) else int(row), column=title(column, tab) if isinstance(column, str) else "", value=value or "")
            for ident, tab, row, column, value in zip(choices["ident"], choices["tab"], choices["row"], choices["column"], choices["value"], strict=True)}
        ticked = st.multiselect(_("Correct as typed"), list(labels), format_func=labels.get, key="dq_confirm_pick",
                                placeholder=_("Choose the warnings to confirm"))
        if st.button(_("Confirm as typed"), key="dq_confirm", disabled=not ticked):
            try:
                done = confirm.confirm_as_typed(cache(), user, ticked)
            except AccessDenied as exc:
                st.error(str(exc))
                return
            feedback.send_in_background(cache(), source())
            st.session_state["dq_confirmed"] = done
            st.rerun()
        if st.session_state.pop("dq_confirmed", None):
            st.success(_("Confirmed. The sheet's Problems tab shows it at the next send."))


def sends(user: User) -> None:
    st.subheader(_("Problems sent to the sheet"))
    found = sheet_problems.sheet_sends(cache(), user)
    if found.empty:
        st.caption(_("Nothing sent to the sheet yet: the problems are sent after a check that finds them changed."))
        return
    table(found, column_config={"detail": st.column_config.TextColumn(_("Detail"), width="large")})
    st.caption(_("Each send is one write to the sheet (plus one read of its notes when they change): the Problems tab, the "
                 "notes on the cells and the audit entries of confirmations."))
