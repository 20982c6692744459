"""Clinic: the Sre Ambel health centre and its mobile clinic — workload, case mix, the year's results."""
import streamlit as st

from insights import clinic, health_education
from insights import clinic_charts as charts
from insights import health_education_charts as education_charts
from schemas.i18n import _, day, number
from ui.markdown import literal
from ui.state import query
from ui.widgets import altair_chart, csv_download, dashboard_filters, left_out_note, metric, open_errors_notice, table, total


def show(chart, frame, name: str, what: str, caption: str | None = None, figure=None) -> None:
    """A chart of aggregated rows, an optional one-line definition, what it left out, and the same rows as CSV
    (`name`.csv, its button saying `what` it holds)."""
    altair_chart(st, chart)
    if caption:
        st.caption(caption)
    if figure is not None:
        left_out_note(figure)
    csv_download(frame, name, what, key=f"csv_{name}")


st.title(_("Clinic — Sre Ambel health centre and mobile clinic"))
filters = dashboard_filters("clinic")
open_errors_notice(clinic.TABS + health_education.TABS)

results = query(clinic.results, filters)
st.subheader(_("Results, {start} – {end}").format(start=day(filters.start), end=day(filters.end)))
st.markdown("\n".join(f"- {literal(sentence)}" for sentence in clinic.results_sentences(results)))
cols = st.columns(4)
metric(cols[0], _("Patients assessed"), results["assessed"])
metric(cols[1], _("Hospitalised"), results["inpatients"])
metric(cols[2], _("Out-patients"), results["outpatients"])
metric(cols[3], _("Mobile check-ups"), results["mobile_checkups"])
left_out_note(clinic.results)

workload, case_mix, trips = st.tabs([_("Workload"), _("Case mix"), _("Referrals, ambulance, donations")])

with workload:
    st.markdown(_("**Visits by site** (stacked)"))
    frame = query(clinic.visits_by_site, filters)
    show(charts.workload_by_site(frame), frame, "clinic_visits_by_site", _("visits by site"), figure=clinic.visits_by_site)

    st.markdown(_("**Visits by day of the week**"))
    frame = query(clinic.visits_heatmap, filters)
    show(charts.weekday_heatmap(frame), frame, "clinic_visits_by_weekday", _("visits by day of the week"), figure=clinic.visits_heatmap)

    st.markdown(_("**Mobile-clinic days per week against the target**"))
    frame = query(clinic.mobile_clinic_days, filters)
    full = frame[frame["full_week"]]
    st.caption(_("{short} of {weeks} full weeks fell short of the target of {target} days (set in the settings tab).").format(
        short=int(full["short"].sum()), weeks=len(full), target=int(frame["target"].iloc[0]) if len(frame) else 0))
    show(charts.mobile_days_against_target(frame), frame, "clinic_mobile_days_per_week", _("mobile-clinic days per week"),
         _("Mobile-clinic days = distinct days in the week (Monday to Sunday) with at least one mobile-clinic visit; "
           "with a place chosen, days the team saw patients from there."), figure=clinic.mobile_clinic_days)

    # Health education: the staff and the Kampot Health Department teach villagers, chiefs and leaders.
    st.markdown(_("**Health education** (with the Kampot Health Department)"))
    taught = query(health_education.totals, filters)
    cols = st.columns(4)
    metric(cols[0], _("Sessions"), taught["sessions"], help=_("in {villages} villages; {with_department} with the Health Department").format(
           villages=number(taught["villages"]), with_department=number(taught["with_health_department"])))
    metric(cols[1], _("Villagers"), taught["villagers"])
    metric(cols[2], _("Village chiefs"), taught["village_chiefs"])
    metric(cols[3], _("Community leaders"), taught["community_leaders"])
    frame = query(health_education.by_month, filters)
    show(education_charts.sessions_by_month(frame), frame, "clinic_health_education_by_month", _("health education by month"),
         _("{participants} participants ({women} women, {men} men).").format(
             participants=number(taught["participants"]), women=number(taught["women"]), men=number(taught["men"]))
         + " " + health_education.definitions()["participants"] + " "
         + _("'On mobile-clinic days' counts the sessions held in the village the mobile clinic visited that day."))

with case_mix:
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Care and sex**"))
        frame = query(clinic.visits_by_care_and_sex, filters)
        show(charts.care_and_sex(frame), frame, "clinic_care_and_sex", _("visits by care and sex"), figure=clinic.visits_by_care_and_sex)
    with right:
        st.markdown(_("**Age bands**"))
        frame = query(clinic.visits_by_age_band, filters)
        show(charts.age_bands(frame), frame, "clinic_age_bands", _("visits by age band"), _("Age bands as set in the settings tab; ages in no band count as 'other'."),
             figure=clinic.visits_by_age_band)

    st.markdown(_("**Top conditions by month**"))
    frame = query(clinic.top_conditions, filters)
    show(charts.conditions_by_month(frame), frame, "clinic_top_conditions", _("top conditions by month"), _("The period's eight most frequent conditions; the others are grouped as 'other'."),
         figure=clinic.top_conditions)

    st.markdown(_("**New patients and referrals**"))
    frame = query(clinic.new_patients_and_referrals, filters)
    show(charts.new_patients_and_referrals(frame), frame, "clinic_new_patients_and_referrals", _("new patients and referrals"),
         _("New patient = first visit ever (the sheet's New patient column); referral = a visit with 'Referred to' filled in."),
         figure=clinic.new_patients_and_referrals)

with trips:
    st.markdown(_("**Referrals by hospital**"))
    frame = query(clinic.referrals_by_hospital, filters)
    table(frame)
    left_out_note(clinic.referrals_by_hospital)
    csv_download(frame, "clinic_referrals_by_hospital", _("referrals by hospital"), key="csv_referrals_by_hospital")

    st.markdown(_("**Patients by village**"))
    frame = query(clinic.visits_by_village, filters)
    table(frame)
    left_out_note(clinic.visits_by_village)
    csv_download(frame, "clinic_visits_by_village", _("patients by village"), key="csv_visits_by_village")

    st.markdown(_("**Ambulance trips by purpose**"))
    frame = query(clinic.ambulance_trips, filters)
    show(charts.ambulance_trips(frame), frame, "clinic_ambulance_trips", _("ambulance trips by purpose"), figure=clinic.ambulance_trips)

    st.markdown(_("**Donations received**"))
    frame = query(clinic.donations, filters)
    donors = total(frame, "donors")
    st.caption(_("{riel} riel (${usd}) from {donors} patients who chose to give; contributions go towards buying medicine.").format(
        riel=number(frame["donation_riel"].sum()), usd=number(frame["donation_usd"].sum(), 2),
        donors=number(donors)))
    show(charts.donations(frame), frame, "clinic_donations", _("donations received"), figure=clinic.donations)
