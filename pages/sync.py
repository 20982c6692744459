"""Sync & history (admins): where the data comes from and how fresh it is, a refresh, the outbox of
waiting saves, and the audit trail. Its data comes through the gateway (gateway.reads), which refuses non-admins
even if this page were opened some other way. The source is shown by its label only, never a credential."""
import streamlit as st

from connectors import sync
from connectors.access import AccessDenied
from connectors.config import setting
from connectors.sources.interface import SourceError
from gateway import reads
from ui import live
from ui.auth import current_user
from ui.state import cache, refresh, source, source_label
from ui.widgets import csv_download, metric, table

user = current_user()
if user is None:
    st.stop()
try:
    status = reads.sync_status(cache(), user)
except AccessDenied as exc:  # the page is hidden from non-admins; this holds even if it is opened anyway
    st.error(str(exc))
    st.stop()
st.title("Sync & history")
state = st.session_state

# -- source and freshness -----------------------------------------------------------------------
st.subheader("Source and freshness")
cols = st.columns(3)
cols[0].markdown(f"**Source**  \n{source_label()}")
cols[1].markdown("**Last refresh**  \n" + (f"{status['refreshed_at']:%d %b %Y %H:%M:%S} UTC" if status["refreshed_at"] else "never"))
cols[2].markdown(f"**Version**  \n`{status['version'] or '—'}`")
st.caption(f"{status['rows']:,} rows in the cache. The version is the source's change token: a refresh reads "
           "everything only when it changed (or when forced).")
problem = state.get("source_problem")
if problem:
    st.warning(f"The last refresh could not read the source: {problem}")
poll = live.poll_summary()
cols = st.columns(4)
cols[0].markdown(f"**Last token check**  \n{poll['last_token_check']}")
cols[1].markdown(f"**Last full read**  \n{poll['last_full_read']}")
cols[2].markdown(f"**Calls in the last hour**  \n{poll['calls_last_hour']:,}")
cols[3].markdown(f"**Sessions open**  \n{poll['sessions']:,}")
st.caption(f"The background poll of this app process: {poll['detail']}")

force = st.checkbox("Read everything even if nothing changed (force)", key="sync_force")
if st.button("Refresh now", key="sync_refresh", type="primary"):
    bar = st.progress(0.0, text="Starting…")
    refresh(force=force, progress=lambda what, done: bar.progress(min(max(done, 0.0), 1.0), text=what))
    bar.empty()
    result = state.get("last_refresh")
    if "source_problem" in state:
        st.error(f"The source could not be read: {state['source_problem']}")
    elif result is not None:
        st.success("Nothing changed since the last refresh." if result.skipped
                   else f"Refreshed: {sum(result.rows.values()):,} rows, {result.errors:,} errors, {result.warnings:,} warnings.")
    status = reads.sync_status(cache(), user)

with st.expander("Refreshes and rows per tab", expanded=False):
    left, right = st.columns(2)
    table(status["refreshes"], left)
    table(status["tabs"], right)

# -- the outbox ---------------------------------------------------------------------------------
st.subheader("Waiting changes (outbox)")
counts = status["outbox"]
cols = st.columns(4)
metric(cols[0], "Waiting", counts["pending"])
metric(cols[1], "In conflict", counts["conflict"])
metric(cols[2], "Refused", counts["refused"])
metric(cols[3], "Sent", counts["sent"])
if st.button("Send waiting changes", key="sync_send_waiting", disabled=counts["pending"] == 0):
    try:
        state["last_replay"] = sync.replay(cache(), source(), user, date_order=setting("date_order"))
    except SourceError as exc:
        state["last_replay"] = sync.ReplayResult(problem=str(exc), waiting=sync.pending(cache()))
    st.rerun()
done = state.get("last_replay")
if done is not None:
    st.info(f"Last sending: sent {done.sent}, already in the sheet {done.already}, in conflict {done.conflicts}, "
            f"refused {done.refused}, still waiting {done.waiting}." + (f" {done.problem}" if done.problem else ""))
entries = reads.outbox_entries(cache(), user)
if entries.empty:
    st.caption("No change has waited for the source.")
else:
    table(entries, column_config={"last_error": st.column_config.TextColumn("Last error", width="large")})
    st.caption("Conflicts are resolved on the Tables page (keep theirs or re-apply yours).")

# -- the audit trail ----------------------------------------------------------------------------
st.subheader("Audit trail")
choices = reads.audit_choices(cache(), user)
f1, f2, f3 = st.columns(3)
tab = f1.selectbox("Tab", [None, *choices["tab"]], format_func=lambda t: "All tabs" if t is None else t, key="sync_audit_tab")
who = f2.selectbox("User", [None, *choices["user"]], format_func=lambda u: "Everyone" if u is None else u, key="sync_audit_user")
via = f3.selectbox("How", [None, *choices["via"]], format_func=lambda v: "Changes and views" if v is None else v, key="sync_audit_via")
trail = reads.audit_log(cache(), user, tab=tab, who=who, via=via)
if trail.empty:
    st.caption("Nothing in the audit trail for these filters yet.")
else:
    table(trail, tab="audit_log")
    if len(trail) == 5000:
        st.caption("Showing the newest 5,000 entries; narrow the filters to see older ones.")
    csv_download(trail, "audit-trail", key="sync_audit_csv", tab="audit_log")
