"""The year's results in the report's own terms, for the Overview page and `cli.py report`."""
from __future__ import annotations

import datetime as dt

import duckdb

from insights import clinic, cow_bank, health_education, prevention, rice_bank, savings, school_support, wash
from insights.common import Filters, reads
from insights.left_out import LeftOut, left_out, tabs_read
from schemas.i18n import N_, _, day, ngettext, number, percent, place_names


@reads(*prevention.TABS, counts=prevention.coverage.counts)
def _prevention(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return prevention.coverage(con, Filters.year(year, place))


@reads(*clinic.TABS, counts=clinic.results.counts)
def _clinic(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return clinic.results(con, Filters.year(year, place))


@reads(*savings.TABS, counts=savings.groups_summary.counts)
def _savings(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    year_end = dt.date(year, 12, 31)
    return {"capital": savings.capital_on(con, year_end, place), "groups": savings.groups_summary(con, place, year_end)}


@reads(*cow_bank.TABS, counts=cow_bank.summary.counts)
def _cow_bank(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return cow_bank.summary(con, Filters.year(year, place))


@reads(*rice_bank.TABS)
def _rice_bank(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return {"stock": rice_bank.stock_on(con, dt.date(year, 12, 31), place), "donations": rice_bank.donations(con, Filters.year(year, place))}


@reads(*health_education.TABS, counts=health_education.totals.counts)
def _health_education(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return health_education.totals(con, Filters.year(year, place))


@reads(*school_support.TABS, counts=school_support.summary.counts)
def _school_support(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return school_support.summary(con, Filters.year(year, place))


@reads(*wash.TABS, counts=wash.summary.counts)
def _wash(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return wash.summary(con, Filters.year(year, place))


# Each programme's part is its own insight, so the gateway can leave out the programmes a role may not read.
PARTS = {"prevention": _prevention, "clinic": _clinic, "health_education": _health_education, "savings": _savings,
         "cow_bank": _cow_bank, "rice_bank": _rice_bank, "school_support": _school_support, "wash": _wash}

# The figures behind each programme's sentences (by the programme's title): what they could not use is said beside them.
PROGRAMME_FIGURES = {
    "Prevention": (prevention.coverage,),
    "Clinic": (clinic.results,),
    "Savings groups": (savings.capital_on, savings.groups_summary),
    "Cow bank": (cow_bank.summary,),
    "Rice bank": (rice_bank.stock_on, rice_bank.donations),
    "Health education": (health_education.totals,),
    "School support": (school_support.summary,),
    "Household hygiene": (wash.summary,),
}


def year_results(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None, parts: tuple[str, ...] | None = None) -> dict:
    """The year's results per programme and what each could not use; `parts`: only these programmes (None: all)."""
    chosen = [name for name in PARTS if parts is None or name in parts]
    return {
        "year": year,
        "left_out": {_TITLES[name]: left_out(con, tabs_read(*PROGRAMME_FIGURES[_TITLES[name]])) for name in chosen},
        **{name: PARTS[name](con, year, place) for name in chosen},
    }


year_results.parts = PARTS  # type: ignore[attr-defined]


def results_sentences(results: dict) -> dict[str, list[str]]:
    """One list of plain sentences per programme (keyed by its English title), worded as the programme report words them."""
    year = results["year"]
    return {title: _lines[key](year, results[key]) for key, title in _TITLES.items() if key in results}


def _prevention_lines(year: int, p: dict) -> list[str]:
    names = p["province_names"]
    template = (_("In {year} prevention activities reached {villages} in {communes} of {districts} in {provinces} ({names}).") if names
                else _("In {year} prevention activities reached {villages} in {communes} of {districts} in {provinces}."))
    return [template.format(year=year, names=place_names(names),
                            villages=ngettext("{n} village", "{n} villages", p["villages"]).format(n=number(p["villages"])),
                            communes=ngettext("{n} commune", "{n} communes", p["communes"]).format(n=number(p["communes"])),
                            districts=ngettext("{n} district", "{n} districts", p["districts"]).format(n=number(p["districts"])),
                            provinces=ngettext("{n} province", "{n} provinces", p["provinces"]).format(n=number(p["provinces"])))]


def _clinic_lines(year: int, c: dict) -> list[str]:
    n = {key: number(value or 0) for key, value in c.items()}
    return [
        _("{assessed} patients assessed: {inpatients} hospitalised, {outpatients} treated as out-patients, "
          "{mobile_checkups} checked by the mobile team ({dental_kits} given a toothbrush and toothpaste).").format(**n),
        _("{aged_0_5} aged 0–5 and {aged_6_12} aged 6–12; {new_patients} new patients.").format(**n),
    ]


def _savings_lines(year: int, s: dict) -> list[str]:
    cap = s["capital"]
    savings_lines = [
        _("Capital of the saving groups and agricultural cooperative on {day}: {riel} riel "
          "(${usd} at {rate} riel per dollar).").format(day=day(dt.date(year, 12, 31)), riel=number(cap["riel"]),
                                                         usd=number(cap["usd"], 2), rate=number(cap["riel_per_usd"]))
    ]
    for g in sorted(s["groups"], key=lambda g: g["kind"] != "saving_group"):
        figures = {"members": number(g["members"] or 0), "women": number(g["women"] or 0)}
        if g["kind"] == "saving_group":
            savings_lines.append(_("{groups} with {members} members, {women} of them women.").format(
                groups=ngettext("{n} saving group", "{n} saving groups", g["groups"]).format(n=number(g["groups"])), **figures))
            continue
        groups = ngettext("{n} agricultural cooperative", "{n} agricultural cooperatives", g["groups"]).format(n=number(g["groups"]))
        if g["communes"]:
            template = ngettext("{groups} in {communes} commune with {members} members, {women} of them women.",
                                "{groups} in {communes} communes with {members} members, {women} of them women.", len(g["communes"]))
            savings_lines.append(template.format(groups=groups, communes=place_names(g["communes"]), **figures))
        else:
            savings_lines.append(_("{groups} with {members} members, {women} of them women.").format(groups=groups, **figures))
    return savings_lines


def _cow_lines(year: int, cow: dict) -> list[str]:
    counts = {"granted": ngettext("{n} cow", "{n} cows", cow["granted"]).format(n=number(cow["granted"])),
              "families": ngettext("{n} family", "{n} families", cow["granted_families"]).format(n=number(cow["granted_families"])),
              "born": ngettext("{n} calf", "{n} calves", cow["born"]).format(n=number(cow["born"])),
              "passed_on": ngettext("{n} calf", "{n} calves", cow["passed_on"]).format(n=number(cow["passed_on"]))}
    if cow["grant_villages"]:
        granted = _("In {year}: {granted} granted to {families} in {villages} ({communes}); {born} born; {passed_on} passed on.").format(
            year=year, villages=place_names(cow["grant_villages"]), communes=place_names(cow["grant_communes"]), **counts)
    else:
        granted = _("In {year}: {granted} granted to {families}; {born} born; {passed_on} passed on.").format(year=year, **counts)
    return [granted, _("Herd at the end of {year}: {founders} founding cows + {born_total} born since.").format(
        year=year, founders=number(cow["founders"]), born_total=number(cow["born_total"]))]


def _rice_lines(year: int, rice: dict) -> list[str]:
    rice_lines = [_("{name} ({bank_id}): {stock} kg in stock on {day} (capacity {capacity} kg).").format(
        name=b["name"], bank_id=b["bank_id"], stock=number(b["stock_kg"], 2), day=day(dt.date(year, 12, 31)),
        capacity=number(b["capacity_kg"])) for b in rice["stock"]]
    rice_lines += [_("{name}: {kg} kg donated in {year} (first on {first}).").format(
        name=d["name"], kg=number(d["kg"]), year=year, first=day(d["first"])) for d in rice["donations"]]
    return rice_lines


# --- school support, household hygiene, health education, in the report's words ----------------------

def _health_education_lines(year: int, h: dict) -> list[str]:
    if not h["sessions"]:
        return [_("No health education session recorded in {year}.").format(year=year)]
    return [_("Health education: {sessions} in {villages} ({with_health_department} with the Kampot Health Department) for "
              "{villagers} villagers, {village_chiefs} village chiefs and {community_leaders} community leaders "
              "({women} women, {men} men).").format(
        sessions=ngettext("{n} session", "{n} sessions", h["sessions"]).format(n=number(h["sessions"])),
        villages=ngettext("{n} village", "{n} villages", h["villages"]).format(n=number(h["villages"])),
        **{key: number(h[key]) for key in ("with_health_department", "villagers", "village_chiefs", "community_leaders", "women", "men")})]


def _school_support_lines(year: int, s: dict) -> list[str]:
    if not s["children"]:
        return [_("No school support recorded in {year}.").format(year=year)]
    figures = {"enrolled": ngettext("{n} child", "{n} children", s["enrolled"]).format(n=number(s["enrolled"])), "children": number(s["children"]),
               "materials": number(s["materials_per_child"], 1)}
    if s["share_in_school"] is None:
        return [_("{enrolled} enrolled in state school with CCPCR's material support "
                  "({children} supported, {materials} items of material per child).").format(**figures)]
    return [_("{enrolled} enrolled in state school with CCPCR's material support ({children} supported, {materials} items "
              "of material per child); {share} of them still in school at the end of {year}.").format(
        share=percent(s["share_in_school"]), year=year, **figures)]


def _wash_lines(year: int, w: dict) -> list[str]:
    if not w["households"]:
        return [_("No household hygiene survey recorded by the end of {year}.").format(year=year)]
    return [_("Of {households} surveyed by {day} (latest survey of each), {toilet} can access a toilet and {water} clean water; "
              "{handwashing} have a hand-washing place.").format(
        households=ngettext("{n} household", "{n} households", w["households"]).format(n=number(w["households"])), day=day(dt.date(year, 12, 31)),
        toilet=percent(w["share_toilet"]), water=percent(w["share_clean_water"]), handwashing=percent(w["share_handwashing"]))]


_TITLES = {"prevention": N_("Prevention"), "clinic": N_("Clinic"), "health_education": N_("Health education"),
           "savings": N_("Savings groups"), "cow_bank": N_("Cow bank"), "rice_bank": N_("Rice bank"),
           "school_support": N_("School support"), "wash": N_("Household hygiene")}
_lines = {"prevention": _prevention_lines, "clinic": _clinic_lines, "health_education": _health_education_lines,
          "savings": _savings_lines, "cow_bank": _cow_lines, "rice_bank": _rice_lines,
          "school_support": _school_support_lines, "wash": _wash_lines}


def data_problems(results: dict) -> list[LeftOut]:
    """What the year's figures could not use, each tab once, in the registry's order of tabs."""
    seen = {item.tab: item for items in results.get("left_out", {}).values() for item in items}
    return [seen[tab] for tab in tabs_read(*seen)]


def results_markdown(results: dict) -> str:
    lines = [_("# CCPCR results for {year}").format(year=results["year"]), ""]
    problems = data_problems(results)
    if problems:
        lines += ["## " + _("Data problems"), "",
                  _("The figures below leave out, or count wrong, what these tabs could not give them. "
                    "`python cli.py validate` lists every cell to fix; then run the report again."), ""]
        lines += [f"- {item.summary()}" for item in problems] + [""]
    notes = results.get("left_out", {})
    for programme, sentences in results_sentences(results).items():
        lines += [f"## {_(programme)}", ""] + [f"- {s}" for s in sentences] + [""]
        for item in notes.get(programme, []):  # each its own paragraph
            lines += [f"*{item.sentence(see='`python cli.py validate`')}*", ""]
    return "\n".join(lines)
