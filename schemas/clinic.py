"""The Sre Ambel health centre and its mobile clinic: visits, ambulance trips, health education. No patient names."""
from collections.abc import Iterable

import numpy as np

from schemas.base import SEX_LABELS, Bool, Date, Float, Int, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.programme import Page, Programme
from schemas.rules import ERROR, Rule, register_rules
from schemas.rules_context import Book, cross_tab_rule
from schemas.settings import BANDS, WHOLE, SettingSpec, register_settings
from schemas.site import register
from schemas.tab import Tab

SITE_LABELS = {"health_centre": ("Health centre", "មណ្ឌលសុខភាព"), "mobile_clinic": ("Mobile clinic", "គ្លីនិកចល័ត")}
CARE_LABELS = {"outpatient": ("Out-patient", "ពិនិត្យព្យាបាលក្រៅ"), "inpatient": ("Hospitalised", "សម្រាកព្យាបាល"),
               "mobile_checkup": ("Mobile check-up", "ពិនិត្យដោយគ្លីនិកចល័ត")}
TRIP_PURPOSE_LABELS = {"emergency_referral": ("Emergency referral", "បញ្ជូនអ្នកជំងឺបន្ទាន់"),
                       "deceased_transport": ("Carrying the deceased", "ដឹកសព"), "other": ("Other", "ផ្សេងៗ")}
EDUCATOR_LABELS = {"ccpcr": ("CCPCR clinic staff", "បុគ្គលិកគ្លីនិក CCPCR"),
                   "health_department": ("Kampot Health Department", "មន្ទីរសុខាភិបាលខេត្តកំពត"),
                   "both": ("Both together", "ទាំងពីររួមគ្នា")}
SITES = list(SITE_LABELS)
CARE = list(CARE_LABELS)
TRIP_PURPOSES = list(TRIP_PURPOSE_LABELS)
EDUCATORS = list(EDUCATOR_LABELS)


class ClinicVisit(TabSchema):
    """One patient assessed on one day."""

    visit_id: Text = column(N_("Visit ID"), N_("Our id for the visit, e.g. CV-0012345."), pattern=r"^CV-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the visit.")
    site: Text = column(N_("Site"), "health_centre or mobile_clinic.", isin=SITES, labels=SITE_LABELS)
    village_code: Text = code(N_("Village code"), N_("Where the patient lives."), 8, ref="villages.village_code", place=True)
    patient_code: Text = column(N_("Patient code"), N_("Pseudonymous patient code, never a name, e.g. P-004211."), pattern=r"^P-\d{4,}$", pii=True, row_label=True)
    sex: Text = column(N_("Sex"), "female or male.", isin=["female", "male"], labels=SEX_LABELS)
    age_years: Int = column(N_("Age (years)"), "Age in whole years.", ge=0, le=120, unit="years")
    care: Text = column(N_("Care"), "outpatient, inpatient or mobile_checkup.", isin=CARE, labels=CARE_LABELS)
    condition: Text = column(N_("Condition"), "Main condition treated.", required=False)
    new_patient: Bool = column(N_("New patient"), "Yes on the patient's first visit ever.")
    referred_to: Text = column(N_("Referred to"), "Hospital the patient was referred to, if any.", required=False)
    dental_kit: Bool = column(N_("Dental kit"), "Yes when given a toothbrush, toothpaste and dental education.")
    donation_riel: Float = column(N_("Donation (riel)"), "What the patient chose to give; 0 when nothing.", required=False, ge=0, le=10_000_000, unit="riel")


class AmbulanceTrip(TabSchema):
    """A trip of the clinic's ambulance."""

    trip_id: Text = column(N_("Trip ID"), N_("Our id for the trip, e.g. AT-0042."), pattern=r"^AT-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the trip.")
    purpose: Text = column(N_("Purpose"), "emergency_referral, deceased_transport or other.", isin=TRIP_PURPOSES, labels=TRIP_PURPOSE_LABELS)
    village_code: Text = code(N_("Village code"), N_("Village the trip started from."), 8, ref="villages.village_code", place=True)
    destination: Text = column(N_("Destination"), "Where the ambulance went, e.g. Takeo Referral Hospital.")
    visit_id: Text = column(N_("Visit ID"), "The visit that led to the referral, if any.", required=False, ref="clinic_visits.visit_id")


class HealthEducationSession(TabSchema):
    """A health and hygiene session for a village, by the clinic staff, the Kampot Health Department or both."""

    session_id: Text = column(N_("Session ID"), N_("Our id for the session, e.g. HE-0042."), pattern=r"^HE-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the session.")
    village_code: Text = code(N_("Village code"), N_("Village where it was given."), 8, ref="villages.village_code", place=True)
    topic: Text = column(N_("Topic"), "What was taught, e.g. hand-washing, proper use of medicine.")
    given_by: Text = column(N_("Given by"), "ccpcr (clinic staff), health_department (Kampot) or both.", isin=EDUCATORS, labels=EDUCATOR_LABELS)
    villagers: Int = column(N_("Villagers"), "Villagers who took part (not counting chiefs and leaders).", ge=0, le=2000)
    village_chiefs: Int = column(N_("Village chiefs"), "Village chiefs (and deputies) who took part.", ge=0, le=20)
    community_leaders: Int = column(N_("Community leaders"), "Other community leaders who took part (monks, elders, group leaders).", ge=0, le=200)
    female: Int = column(N_("Women"), "Participants who are women: all three groups together.", ge=0, le=2000)
    male: Int = column(N_("Men"), "Participants who are men: all three groups together.", ge=0, le=2000)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

AUDIENCE = ("villagers", "village_chiefs", "community_leaders")


@cross_tab_rule
def women_and_men_add_up_to_the_participants(book: Book) -> Iterable[Issue]:
    """Women + men = villagers + village chiefs + community leaders: the two ways of counting one audience."""
    frame = book.frame("health_education", "female", "male", *AUDIENCE)
    if frame is None:
        return
    participants = frame["villagers"] + frame["village_chiefs"] + frame["community_leaders"]
    by_sex = frame["female"] + frame["male"]
    wrong = (by_sex != participants).to_numpy(dtype=bool, na_value=False)
    for position in np.flatnonzero(wrong):
        yield book.issue("health.sexes_do_not_add_up", "health_education", int(position), "female",
                         by_sex=int(by_sex.iat[position]), participants=int(participants.iat[position]))


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("health.sexes_do_not_add_up", ERROR, N_("Women and men do not add up"),
         N_("Women and men add up to {by_sex}, but villagers, village chiefs and community leaders add up to {participants}. Check cell {cell} and the counts beside it."),
         N_("Count every participant once by sex and once by group: both totals are the same people.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("clinic", "Clinic", ("admin", "clinic", "viewer"), ("admin", "clinic"),
              Page("pages/clinic.py", N_("Clinic"), ":material/local_hospital:", order=20), personal_data_roles=("admin", "clinic"), order=70),
    Tab("clinic_visits", ClinicVisit, ("visit_id",), "clinic", N_("Clinic visits"), period="date"),
    Tab("ambulance_trips", AmbulanceTrip, ("trip_id",), "clinic", N_("Ambulance trips")),
    Tab("health_education", HealthEducationSession, ("session_id",), "clinic", N_("Health education")),
)


# The settings its figures and checks read from the settings tab (schemas.settings says how each is read).
register_settings(
    SettingSpec("mobile_clinic_days_per_week", "3", WHOLE, "clinic", N_("Days the mobile clinic runs"), low=0, high=7),
    SettingSpec("age_bands", "0-5,6-12,13-17,18+", BANDS, "clinic", N_("Age bands of the clinic figures")),
)
