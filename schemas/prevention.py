"""Prevention of trafficking and unsafe migration: activities, commune plans, parent groups, migration checks."""
from collections.abc import Iterable

from schemas.base import Bool, Date, Int, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.rules import ERROR, Rule, register_rules
from schemas.rules_context import Book, cross_tab_rule, yes_needs_yes
from schemas.site import register
from schemas.tab import Tab

ACTIVITY_KIND_LABELS = {
    "authority_meeting": ("Meeting with authorities", "ប្រជុំជាមួយអាជ្ញាធរ"),
    "refresher_training": ("Refresher training", "វគ្គរំលឹកឡើងវិញ"),
    "livelihood_training": ("Livelihood training", "វគ្គបណ្តុះបណ្តាលមុខរបរ"),
    "awareness_session": ("Awareness session", "វគ្គផ្សព្វផ្សាយ"),
    "parent_group_meeting": ("Parent group meeting", "ប្រជុំក្រុមមាតាបិតា"),
    "self_help_group_meeting": ("Self-help group meeting", "ប្រជុំក្រុមជួយខ្លួនឯង"),
}
MIGRATION_WORK_LABELS = {
    "factory": ("Factory", "រោងចក្រ"), "construction": ("Construction", "សំណង់"), "casino": ("Casino", "កាស៊ីណូ"),
    "begging": ("Begging", "សុំទាន"), "lottery_selling": ("Selling lottery tickets", "លក់ឆ្នោត"),
    "farm_labour": ("Farm work", "កម្មករកសិកម្ម"), "other": ("Other", "ផ្សេងៗ"),
}
ACTIVITY_KINDS = list(ACTIVITY_KIND_LABELS)
MIGRATION_WORK = list(MIGRATION_WORK_LABELS)


class Activity(TabSchema):
    """A meeting, training or session held in a village."""

    activity_id: Text = column(N_("Activity ID"), N_("Our id for the activity, e.g. ACT-00123."), pattern=r"^ACT-\d{4,}$")
    date: Date = column(N_("Date"), "Day the activity took place.")
    kind: Text = column(N_("Kind"), "What sort of activity it was.", isin=ACTIVITY_KINDS, labels=ACTIVITY_KIND_LABELS)
    topic: Text = column(N_("Topic"), "What was taught or discussed.")
    village_code: Text = code(N_("Village code"), N_("Where it took place."), 8, ref="villages.village_code", place=True)
    female: Int = column(N_("Women"), "Adult women who took part.", ge=0, le=2000)
    male: Int = column(N_("Men"), "Adult men who took part.", ge=0, le=2000)
    children: Int = column(N_("Children"), "Children who took part.", ge=0, le=2000)
    authorities: Int = column(N_("Authorities"), "Local authorities (commune, village chiefs, police) among them.", ge=0, le=500)
    facilitator: Text = column(N_("Facilitator"), "Staff member who led it.", required=False)


class CommunePlan(TabSchema):
    """Whether a commune's plans for a year include trafficking-in-persons (TIP) prevention."""

    commune_code: Text = code(N_("Commune code"), N_("6-digit gazetteer code of the commune."), 6, ref="villages.commune_code")
    year: Int = column(N_("Year"), "Plan year.", ge=2010, le=2100)
    tip_in_development_plan: Bool = column(N_("TIP in development plan"), "Yes when the commune development plan includes TIP prevention.")
    tip_in_investment_plan: Bool = column(N_("TIP in investment plan"), "Yes when the commune investment plan funds TIP prevention.")


class ParentGroup(TabSchema):
    """A parent group of a village: parents, teachers and the village chief."""

    group_id: Text = column(N_("Group ID"), N_("Our id for the group, e.g. PG-001."), pattern=r"^PG-\d{3,}$")
    village_code: Text = code(N_("Village code"), N_("Village of the group."), 8, ref="villages.village_code", place=True)
    founded_on: Date = column(N_("Founded on"), "Date of the first meeting.")
    parents: Int = column(N_("Parents"), "Parents who are members.", ge=0, le=500)
    teachers: Int = column(N_("Teachers"), "Teachers who are members.", ge=0, le=50)
    village_chief_member: Bool = column(N_("Village chief is a member"), "Yes when the village chief belongs to the group.")


class MigrationCheck(TabSchema):
    """A follow-up visit asking whether a household migrates, where to, and whether the children go too."""

    check_id: Text = column(N_("Check ID"), N_("Our id for the visit, e.g. MC-00042."), pattern=r"^MC-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the visit.")
    household_id: Text = column(N_("Household ID"), "The family visited.", ref="households.household_id")
    migrating: Bool = column(N_("Migrating"), "Yes when adults of the household migrate for work.")
    destination: Text = column(N_("Destination"), "Where they go (e.g. Vietnam, Thailand, Phnom Penh).", required=False)
    work: Text = column(N_("Work"), "What work they do there.", required=False, isin=MIGRATION_WORK, labels=MIGRATION_WORK_LABELS)
    took_children: Bool = column(N_("Took children"), "Yes when children go with the migrating adults.")
    children_in_school: Bool = column(N_("Children in school"), "Yes when the household's children attend school.", required=False)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

@cross_tab_rule
def children_go_only_with_migrating_adults(book: Book) -> Iterable[Issue]:
    yield from yes_needs_yes(book, "migration_checks", "took_children", "migrating", "prevention.children_without_migration")


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("prevention.children_without_migration", ERROR, N_("Children taken but nobody migrates"),
         N_("'{header}' is Yes but 'Migrating' is No; children can only go with migrating adults. Correct cell {cell} or the Migrating cell."),
         N_("Took children = Yes needs Migrating = Yes.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("prevention", "Prevention", EVERYONE, STAFF, Page("pages/prevention.py", N_("Prevention"), ":material/shield:", order=10), order=10),
    Tab("activities", Activity, ("activity_id",), "prevention", N_("Prevention activities"), period="date"),
    Tab("commune_plans", CommunePlan, ("commune_code", "year"), "prevention", N_("Commune plans")),
    Tab("parent_groups", ParentGroup, ("group_id",), "prevention", N_("Parent groups")),
    Tab("migration_checks", MigrationCheck, ("check_id",), "prevention", N_("Migration checks")),
)
