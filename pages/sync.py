"""Sync & history (admins): where the data comes from and how fresh it is, a refresh, the outbox of
waiting saves, and the audit trail. Its data comes through the gateway (gateway.reads), which refuses non-admins
even if this page were opened some other way. The source is shown by its label only, never a credential."""
import streamlit as st

from gateway import reads
from schemas.i18n import _, day, number
from schemas.registry import TABS
from ui import live, sheet_problems
from ui.audit_view import audit_shown
from ui.auth import current_user
from ui.markdown import literal
from ui.state import cache, refresh, send_waiting, source_label
from ui.widgets import csv_download, metric, table

TAB_TITLES = {t.name: t.title for t in TABS}


def tab_title(name: str) -> str:
    """A tab as the Tables page names it ("Clinic visits"); the download keeps the sheet's own tab name."""
    return TAB_TITLES.get(name, name)


user = current_user()
if user is None:
    st.stop()
try:
    status = reads.sync_status(cache(), user)
except reads.AccessDenied as exc:  # the page is hidden from non-admins; this holds even if it is opened anyway
    st.error(literal(exc))
    st.stop()
st.title(_("Sync & history"))
state = st.session_state

# -- source and freshness -----------------------------------------------------------------------
st.subheader(_("Source and freshness"))
cols = st.columns(3)
cols[0].markdown(_("**Source**") + f"  \n{literal(source_label())}")
cols[1].markdown(_("**Last refresh**") + "  \n" + (f"{day(status['refreshed_at'])} {status['refreshed_at']:%H:%M:%S} UTC" if status["refreshed_at"] else _("never")))
cols[2].markdown(_("**Version**") + f"  \n`{status['version'] or '—'}`")
st.caption(_("{rows} rows in the cache. The version is the source's change token: a refresh reads "
             "everything only when it changed (or when forced).").format(rows=number(status["rows"])))
problem = state.get("source_problem")
if problem:
    st.warning(_("The last refresh could not read the source: {problem}").format(problem=literal(problem)))
poll = live.poll_summary()
cols = st.columns(4)
cols[0].markdown(_("**Last token check**") + f"  \n{poll['last_token_check']}")
cols[1].markdown(_("**Last full read**") + f"  \n{poll['last_full_read']}")
cols[2].markdown(_("**Calls in the last hour**") + f"  \n{number(poll['calls_last_hour'])}")
cols[3].markdown(_("**Sessions open**") + f"  \n{number(poll['sessions'])}")
st.caption(_("The background poll of this app process: {detail}").format(detail=literal(poll["detail"])))

force = st.checkbox(_("Read everything even if nothing changed (force)"), key="sync_force")
if st.button(_("Refresh now"), key="sync_refresh", type="primary"):
    bar = st.progress(0.0, text=_("Starting…"))
    refresh(force=force, progress=lambda what, done: bar.progress(min(max(done, 0.0), 1.0), text=what))
    bar.empty()
    result = state.get("last_refresh")
    if "source_problem" in state:
        st.error(_("The source could not be read: {problem}").format(problem=literal(state["source_problem"])))
    elif result is not None:
        st.success(_("Nothing changed since the last refresh.") if result.skipped
                   else _("Refreshed: {rows} rows, {errors} errors, {warnings} warnings.").format(
                       rows=number(sum(result.rows.values())), errors=number(result.errors), warnings=number(result.warnings)))
    status = reads.sync_status(cache(), user)

with st.expander(_("Refreshes and rows per tab"), expanded=False):
    left, right = st.columns(2)
    table(status["refreshes"], left)
    table(status["tabs"].assign(tab=status["tabs"]["tab"].map(tab_title)), right)

# -- the outbox ---------------------------------------------------------------------------------
st.subheader(_("Waiting changes (outbox)"))
counts = status["outbox"]
cols = st.columns(4)
metric(cols[0], _("Waiting"), counts["pending"])
metric(cols[1], _("In conflict"), counts["conflict"])
metric(cols[2], _("Refused"), counts["refused"])
metric(cols[3], _("Sent"), counts["sent"])
if st.button(_("Send waiting changes"), key="sync_send_waiting", disabled=counts["pending"] == 0):
    send_waiting()
    st.rerun()
done = state.get("last_replay")
if done is not None:
    st.info(_("Last sending: sent {sent}, already in the sheet {already}, in conflict {conflicts}, refused {refused}, still waiting {waiting}.").format(
        sent=done.sent, already=done.already, conflicts=done.conflicts, refused=done.refused, waiting=done.waiting) + (f" {done.problem}" if done.problem else ""))
entries = reads.outbox_entries(cache(), user)
if entries.empty:
    st.caption(_("No change has waited for the source."))
else:
    table(entries, column_config={"last_error": st.column_config.TextColumn(_("Last error"), width="large")})
    st.caption(_("Conflicts are resolved on the Tables page (keep theirs or re-apply yours)."))

# -- the problems sent back to the sheet ---------------------------------------------------------
sheet_problems.sends(user)

# -- the audit trail ----------------------------------------------------------------------------
st.subheader(_("Audit trail"))
choices = reads.audit_choices(cache(), user)
f1, f2, f3 = st.columns(3)
tab = f1.selectbox(_("Tab"), [None, *choices["tab"]], format_func=lambda t: _("All tabs") if t is None else tab_title(t), key="sync_audit_tab")
who = f2.selectbox(_("User"), [None, *choices["user"]], format_func=lambda u: _("Everyone") if u is None else u, key="sync_audit_user")
via = f3.selectbox(_("How"), [None, *choices["via"]], format_func=lambda v: _("Changes and views") if v is None else v, key="sync_audit_via")
trail = reads.audit_log(cache(), user, tab=tab, who=who, via=via)
if trail.empty:
    st.caption(_("Nothing in the audit trail for these filters yet."))
else:
    table(audit_shown(trail), tab="audit_log")  # edited / added / deleted, values as the tables write them
    if len(trail) == 5000:
        st.caption(_("Showing the newest 5,000 entries; narrow the filters to see older ones."))
    csv_download(trail, "audit-trail", _("the audit trail"), key="sync_audit_csv", tab="audit_log")
