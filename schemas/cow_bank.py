"""The cow bank: each cow (by ear tag) and what happened to it."""
from schemas.base import Date, TabSchema, Text, code, column

COW_SEXES = ["female", "male"]
COW_EVENT_KINDS = ["granted", "passed_on", "sold", "died"]


class Cow(TabSchema):
    """A cow of the bank: one the programme bought, or a calf born to one."""

    cow_id: Text = column("Ear tag", "The cow's ear tag, e.g. CB-015.", pattern=r"^CB-\d{3,}$")
    sex: Text = column("Sex", "female or male.", isin=COW_SEXES)
    born_on: Date = column("Born on", "Birth date (estimated for bought cows).")
    dam_id: Text = column("Mother's ear tag", "The mother's ear tag; blank for a cow the programme bought.", required=False, ref="cows.cow_id")
    village_code: Text = code("Village code", "Village of the cow bank it belongs to.", 8, ref="villages.village_code")
    note: Text = column("Note", "Anything worth knowing.", required=False)


class CowEvent(TabSchema):
    """A grant, pass-on, sale or death of a cow."""

    event_id: Text = column("Event ID", "Our id for the event, e.g. CE-0007.", pattern=r"^CE-\d{4,}$")
    date: Date = column("Date", "Day it happened.")
    cow_id: Text = column("Ear tag", "The cow concerned.", ref="cows.cow_id")
    kind: Text = column("Kind", "granted, passed_on, sold or died.", isin=COW_EVENT_KINDS)
    household_id: Text = column("Household ID", "The family receiving the cow (granted, passed_on) or holding it.", required=False, ref="households.household_id")
    note: Text = column("Note", "Anything worth knowing.", required=False)
