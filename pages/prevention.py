"""Prevention of trafficking and unsafe migration: activities, coverage, commune plans, parent groups, migration."""
import streamlit as st

from insights import prevention
from insights import prevention_charts as charts
from schemas.formats import period_text
from schemas.i18n import _, ngettext, number, place_names
from ui.markdown import literal
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table

st.title(_("Prevention of trafficking and unsafe migration"))
filters = dashboard_filters("prevention")
open_errors_notice(prevention.TABS)
period = period_text(filters.start, filters.end)

coverage = query(prevention.coverage, filters)
targets = query(prevention.target_villages, filters)
reach = {"villages": ngettext("**{n} village**", "**{n} villages**", coverage["villages"]).format(n=number(coverage["villages"])),
         "communes": ngettext("{n} commune", "{n} communes", coverage["communes"]).format(n=number(coverage["communes"])),
         "districts": ngettext("{n} district", "{n} districts", coverage["districts"]).format(n=number(coverage["districts"])),
         "provinces": ngettext("{n} province", "{n} provinces", coverage["provinces"]).format(n=number(coverage["provinces"]))}
if coverage["province_names"]:
    st.markdown(_("In {period}, prevention activities reached {villages} in {communes} of {districts} in {provinces} ({names}).").format(
        period=period, names=literal(place_names(coverage["province_names"])), **reach))
else:
    st.markdown(_("In {period}, prevention activities reached {villages} in {communes} of {districts} in {provinces}.").format(period=period, **reach))
cols = st.columns(4)
metric(cols[0], _("Villages reached"), coverage["villages"])
metric(cols[1], _("Communes"), coverage["communes"])
cols[2].metric(_("Target villages not reached yet"), f"{targets['not_reached']:,}", help=_("of {n} target villages").format(n=number(targets["targets"])))
metric(cols[3], _("Activities"), coverage["activities"])
st.caption(_("Reached = at least one activity in the village in the period."))
left_out_note(prevention.coverage, prevention.target_villages)

activities_tab, coverage_tab, plans_tab, families_tab = st.tabs([_("Activities"), _("Coverage map"), _("Commune plans"), _("Parent groups and migration")])

with activities_tab:
    people = query(prevention.participants, filters)
    cols = st.columns(4)
    metric(cols[0], _("Women"), people["women"])
    metric(cols[1], _("Men"), people["men"])
    metric(cols[2], _("Children"), people["children"])
    metric(cols[3], _("Authorities trained"), people["authorities_trained"])
    st.caption(_("Authorities trained = attendances of local authorities at authority meetings and refresher trainings "
               "(one official at four meetings counts four times)."))
    left_out_note(prevention.participants)
    st.markdown(_("**Activities by month and kind**"))
    frame = query(prevention.activities_by_month, filters)
    altair_chart(st, charts.activities_by_month(frame))
    left_out_note(prevention.activities_by_month)
    csv_download(frame, "prevention_activities_by_month", _("activities by month and kind"), key="csv_activities_by_month")
    st.markdown(_("**Activities by topic**"))
    frame = query(prevention.activities_by_topic, filters)
    altair_chart(st, charts.activities_by_topic(frame))
    left_out_note(prevention.activities_by_topic)
    csv_download(frame, "prevention_activities_by_topic", _("activities by topic"), key="csv_activities_by_topic")

with coverage_tab:
    frame = query(prevention.villages_reached, filters)
    altair_chart(st, charts.village_map(frame))
    if st.toggle(_("Show on a street map (needs internet)"), key="street_map"):
        street = charts.village_street_map(frame)
        if street is not None:
            st.pydeck_chart(street)
    left_out_note(prevention.villages_reached)
    not_reached = frame[frame["status"] == "target not reached yet"]
    st.markdown(_("**Target villages not reached yet** ({n})").format(n=number(len(not_reached))))
    table(not_reached[["village", "commune", "district", "province"]])
    csv_download(frame, "prevention_villages", _("villages reached and not reached"), key="csv_villages")

with plans_tab:
    frame = query(prevention.commune_plans_by_year, filters)
    st.markdown(_("**Communes whose plans include trafficking (TIP) prevention, by year**"))
    altair_chart(st, charts.commune_plans(frame))
    st.caption(_("Every plan year up to {year}; 'communes' counts the communes with a plan row that year.").format(year=filters.end.year))
    left_out_note(prevention.commune_plans_by_year)
    csv_download(frame, "prevention_commune_plans", _("commune plans with TIP prevention"), key="csv_commune_plans")

with families_tab:
    totals = query(prevention.parent_group_totals, filters)
    cols = st.columns(4)
    metric(cols[0], _("Parent groups"), totals["groups"])
    metric(cols[1], _("Parents"), totals["parents"])
    metric(cols[2], _("Teachers"), totals["teachers"])
    metric(cols[3], _("Village chiefs"), totals["village_chiefs"])
    frame = query(prevention.parent_groups, filters)
    table(frame)
    left_out_note(prevention.parent_group_totals, prevention.parent_groups)
    csv_download(frame, "prevention_parent_groups", _("parent groups"), key="csv_parent_groups")

    st.markdown(_("**Share of migrating households that took their children, by quarter**"))
    frame = query(prevention.migration_by_quarter, filters)
    altair_chart(st, charts.migration_share(frame))
    st.caption(_("Share = households that took their children ÷ households migrating, among the checks of the quarter; "
               "split by whether the household's village had a parent group on the day of the check."))
    left_out_note(prevention.migration_by_quarter)
    csv_download(frame, "prevention_migration_by_quarter", _("migration by quarter"), key="csv_migration")
