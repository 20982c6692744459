"""The year's results in the report's own terms, for the Overview page and `cli.py report`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TypeVar

import duckdb

from insights import clinic, cow_bank, health_education, prevention, rice_bank, savings, school_support, wash
from insights.common import Filters, Registered, reads
from insights.left_out import PRIVACY_SETTINGS, LeftOut, SettingRefused, left_out, settings_read, settings_refused, tabs_read
from schemas.i18n import _, day, ngettext, number, percent, place_names, quantity
from schemas.programme import resolve
from schemas.registry import site

F = TypeVar("F", bound=Callable)


def uses(*figures: Callable) -> Callable[[F], F]:
    """The insights behind a part's sentences: what they could not use is said beside them."""
    def declare(fn: F) -> F:
        fn.figures = figures  # type: ignore[attr-defined]
        return fn
    return declare


@uses(prevention.coverage)
@reads(*prevention.TABS, counts=prevention.coverage.counts, totals=prevention.coverage.totals)
def prevention_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return prevention.coverage(con, Filters.year(year, place))


@uses(clinic.results)
@reads(*clinic.TABS, counts=clinic.results.counts, totals=clinic.results.totals)
def clinic_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return clinic.results(con, Filters.year(year, place))


@uses(savings.capital_on, savings.groups_summary)
@reads(*savings.TABS, counts=savings.groups_summary.counts, totals=savings.groups_summary.totals)
def savings_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    year_end = dt.date(year, 12, 31)
    return {"capital": savings.capital_on(con, year_end, place), "groups": savings.groups_summary(con, place, year_end)}


@uses(cow_bank.summary)
@reads(*cow_bank.TABS, counts=cow_bank.summary.counts, totals=cow_bank.summary.totals)
def cow_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return cow_bank.summary(con, Filters.year(year, place))


@uses(rice_bank.stock_on, rice_bank.donations)
@reads(*rice_bank.TABS)
def rice_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return {"stock": rice_bank.stock_on(con, dt.date(year, 12, 31), place), "donations": rice_bank.donations(con, Filters.year(year, place))}


@uses(health_education.totals)
@reads(*health_education.TABS, counts=health_education.totals.counts, totals=health_education.totals.totals)
def health_education_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return health_education.totals(con, Filters.year(year, place))


@uses(school_support.summary)
@reads(*school_support.TABS, counts=school_support.summary.counts, shares=school_support.summary.shares, totals=school_support.summary.totals)
def school_support_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return school_support.summary(con, Filters.year(year, place))


@uses(wash.summary)
@reads(*wash.TABS, counts=wash.summary.counts, shares=wash.summary.shares, totals=wash.summary.totals)
def wash_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return wash.summary(con, Filters.year(year, place))


# Each programme's part is its own insight, so the gateway can leave out the programmes a role may not read.
# All four are read from the registry's report parts (schemas.registry) when used, in programme order.
PARTS: Mapping[str, Callable] = Registered(lambda: ((p.name, resolve(p.figures)) for p in site.report_parts()))
# The figures behind each part's sentences (by the part's title): what they could not use is said beside them.
PROGRAMME_FIGURES: Mapping[str, tuple] = Registered(lambda: ((p.title, resolve(p.figures).figures) for p in site.report_parts()))
_TITLES: Mapping[str, str] = Registered(lambda: ((p.name, p.title) for p in site.report_parts()))
_lines: Mapping[str, Callable] = Registered(lambda: ((p.name, resolve(p.sentences)) for p in site.report_parts()))


def year_results(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None, parts: tuple[str, ...] | None = None) -> dict:
    """The year's results per programme and what each could not use; `parts`: only these programmes (None: all)."""
    chosen = [name for name in PARTS if parts is None or name in parts]
    return {
        "year": year,
        "left_out": {_TITLES[name]: left_out(con, tabs_read(*PROGRAMME_FIGURES[_TITLES[name]]), settings_read(*PROGRAMME_FIGURES[_TITLES[name]]))
                     for name in chosen},
        "settings_refused": settings_refused(con, PRIVACY_SETTINGS),  # small counts are hidden by it in every part
        **{name: PARTS[name](con, year, place) for name in chosen},
    }


year_results.parts = PARTS  # type: ignore[attr-defined]


def results_sentences(results: dict) -> dict[str, list[str]]:
    """One list of plain sentences per programme (keyed by its English title), worded as the programme report words them."""
    year = results["year"]
    return {title: _lines[key](year, results[key]) for key, title in _TITLES.items() if key in results}


def prevention_sentences(year: int, p: dict) -> list[str]:
    names = p["province_names"]
    template = (_("In {year}, prevention activities reached {villages} in {communes} of {districts} in {provinces} ({names}).") if names
                else _("In {year}, prevention activities reached {villages} in {communes} of {districts} in {provinces}."))
    return [template.format(year=year, names=place_names(names),
                            villages=ngettext("{n} village", "{n} villages", p["villages"]).format(n=number(p["villages"])),
                            communes=ngettext("{n} commune", "{n} communes", p["communes"]).format(n=number(p["communes"])),
                            districts=ngettext("{n} district", "{n} districts", p["districts"]).format(n=number(p["districts"])),
                            provinces=ngettext("{n} province", "{n} provinces", p["provinces"]).format(n=number(p["provinces"])))]


def clinic_sentences(_year: int, c: dict) -> list[str]:
    n = {key: number(value or 0) for key, value in c.items()}
    return [
        _("{assessed} patients assessed (one assessment per visit): {inpatients} hospitalised, {outpatients} treated as out-patients, "
          "{mobile_checkups} checked by the mobile team ({dental_kits} given a toothbrush and toothpaste).").format(**n),
        _("{aged_0_5} aged 0–5 and {aged_6_12} aged 6–12; {new_patients} new patients.").format(**n),
    ]


def savings_sentences(year: int, s: dict) -> list[str]:
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


def cow_bank_sentences(year: int, cow: dict) -> list[str]:
    counts = {"granted": ngettext("{n} cow", "{n} cows", cow["granted"]).format(n=number(cow["granted"])),
              "families": ngettext("{n} family", "{n} families", cow["granted_families"]).format(n=number(cow["granted_families"])),
              "born": ngettext("{n} calf", "{n} calves", cow["born"]).format(n=number(cow["born"])),
              "passed_on": ngettext("{n} calf", "{n} calves", cow["passed_on"]).format(n=number(cow["passed_on"]))}
    if cow["grant_villages"]:
        granted = _("In {year}: {granted} granted to {families} in {villages} ({communes}); {born} born; {passed_on} passed on.").format(
            year=year, villages=place_names(cow["grant_villages"]), communes=place_names(cow["grant_communes"]), **counts)
    else:
        granted = _("In {year}: {granted} granted to {families}; {born} born; {passed_on} passed on.").format(year=year, **counts)
    return [granted, _("By the end of {year}: {founders} founding cows + {born_total} calves born since (sold and dead ones included).").format(
        year=year, founders=number(cow["founders"]), born_total=number(cow["born_total"]))]


def rice_bank_sentences(year: int, rice: dict) -> list[str]:
    rice_lines = [_("{name} ({bank_id}): {stock} kg in stock on {day} (capacity {capacity} kg).").format(
        name=b["name"], bank_id=b["bank_id"], stock=quantity(b["stock_kg"]), day=day(dt.date(year, 12, 31)),
        capacity=number(b["capacity_kg"])) for b in rice["stock"]]
    rice_lines += [_("{name}: {kg} kg donated in {year} (first on {first}).").format(
        name=d["name"], kg=number(d["kg"]), year=year, first=day(d["first"])) for d in rice["donations"]]
    return rice_lines


# --- school support, household hygiene, health education, in the report's words ----------------------

def health_education_sentences(year: int, h: dict) -> list[str]:
    if not h["sessions"]:
        return [_("No health education session recorded in {year}.").format(year=year)]
    return [_("Health education: {sessions} in {villages} ({with_health_department} with the Kampot Health Department) for "
              "{villagers} villagers, {village_chiefs} village chiefs and {community_leaders} community leaders "
              "({women} women, {men} men).").format(
        sessions=ngettext("{n} session", "{n} sessions", h["sessions"]).format(n=number(h["sessions"])),
        villages=ngettext("{n} village", "{n} villages", h["villages"]).format(n=number(h["villages"])),
        **{key: number(h[key]) for key in ("with_health_department", "villagers", "village_chiefs", "community_leaders", "women", "men")})]


def school_support_sentences(year: int, s: dict) -> list[str]:
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


def wash_sentences(year: int, w: dict) -> list[str]:
    if not w["households"]:
        return [_("No household hygiene survey recorded by the end of {year}.").format(year=year)]
    return [_("Of {households} surveyed by {day} (latest survey of each), {toilet} can access a toilet and {water} clean water; "
              "{handwashing} have a hand-washing place.").format(
        households=ngettext("{n} household", "{n} households", w["households"]).format(n=number(w["households"])), day=day(dt.date(year, 12, 31)),
        toilet=percent(w["share_toilet"]), water=percent(w["share_clean_water"]), handwashing=percent(w["share_handwashing"]))]


def programme_title(part: str) -> str:
    """The report's title of an Overview part ("savings" -> "Savings groups")."""
    return _TITLES[part]


def data_problems(results: dict) -> list[LeftOut | SettingRefused]:
    """What the year's figures could not use, each once (a tab, a setting), in the registry's order of tabs."""
    seen = list(dict.fromkeys([item for items in results.get("left_out", {}).values() for item in items]
                              + list(results.get("settings_refused", ()))))
    order = {tab: i for i, tab in enumerate(tabs_read(*(item.tab for item in seen)))}
    return sorted(seen, key=lambda item: order[item.tab])


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
