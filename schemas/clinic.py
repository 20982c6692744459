"""The Sre Ambel health centre and its mobile clinic: visits and ambulance trips. No patient names."""
from schemas.base import Bool, Date, Float, Int, TabSchema, Text, code, column

SITES = ["health_centre", "mobile_clinic"]
CARE = ["outpatient", "inpatient", "mobile_checkup"]
TRIP_PURPOSES = ["emergency_referral", "deceased_transport", "other"]


class ClinicVisit(TabSchema):
    """One patient assessed on one day."""

    visit_id: Text = column("Visit ID", "Our id for the visit, e.g. CV-0012345.", pattern=r"^CV-\d{4,}$")
    date: Date = column("Date", "Day of the visit.")
    site: Text = column("Site", "health_centre or mobile_clinic.", isin=SITES)
    village_code: Text = code("Village code", "Where the patient lives.", 8, ref="villages.village_code")
    patient_code: Text = column("Patient code", "Pseudonymous patient code, never a name, e.g. P-004211.", pattern=r"^P-\d{4,}$", pii=True)
    sex: Text = column("Sex", "female or male.", isin=["female", "male"])
    age_years: Int = column("Age (years)", "Age in whole years.", ge=0, le=120)
    care: Text = column("Care", "outpatient, inpatient or mobile_checkup.", isin=CARE)
    condition: Text = column("Condition", "Main condition treated.", required=False)
    new_patient: Bool = column("New patient", "Yes on the patient's first visit ever.")
    referred_to: Text = column("Referred to", "Hospital the patient was referred to, if any.", required=False)
    dental_kit: Bool = column("Dental kit", "Yes when given a toothbrush, toothpaste and dental education.")
    donation_riel: Float = column("Donation (riel)", "What the patient chose to give; 0 when nothing.", required=False, ge=0, le=10_000_000)


class AmbulanceTrip(TabSchema):
    """A trip of the clinic's ambulance."""

    trip_id: Text = column("Trip ID", "Our id for the trip, e.g. AT-0042.", pattern=r"^AT-\d{4,}$")
    date: Date = column("Date", "Day of the trip.")
    purpose: Text = column("Purpose", "emergency_referral, deceased_transport or other.", isin=TRIP_PURPOSES)
    village_code: Text = code("Village code", "Village the trip started from.", 8, ref="villages.village_code")
    destination: Text = column("Destination", "Where the ambulance went, e.g. Takeo Referral Hospital.")
    visit_id: Text = column("Visit ID", "The visit that led to the referral, if any.", required=False, ref="clinic_visits.visit_id")
