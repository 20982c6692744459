"""The year's results in the report's own terms, for the Overview page and `cli.py report`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Callable, TypeVar

import duckdb

from insights import clinic, cow_bank, health_education, prevention, rice_bank, savings, school_support, wash
from insights.common import Filters, Registered, reads
from insights.left_out import LeftOut, left_out, tabs_read
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
@reads(*prevention.TABS, counts=prevention.coverage.counts)
def prevention_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return prevention.coverage(con, Filters.year(year, place))


@uses(clinic.results)
@reads(*clinic.TABS, counts=clinic.results.counts)
def clinic_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return clinic.results(con, Filters.year(year, place))


@uses(savings.capital_on, savings.groups_summary)
@reads(*savings.TABS, counts=savings.groups_summary.counts)
def savings_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    year_end = dt.date(year, 12, 31)
    return {"capital": savings.capital_on(con, year_end, place), "groups": savings.groups_summary(con, place, year_end)}


@uses(cow_bank.summary)
@reads(*cow_bank.TABS, counts=cow_bank.summary.counts)
def cow_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return cow_bank.summary(con, Filters.year(year, place))


@uses(rice_bank.stock_on, rice_bank.donations)
@reads(*rice_bank.TABS)
def rice_bank_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return {"stock": rice_bank.stock_on(con, dt.date(year, 12, 31), place), "donations": rice_bank.donations(con, Filters.year(year, place))}


@uses(health_education.totals)
@reads(*health_education.TABS, counts=health_education.totals.counts)
def health_education_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return health_education.totals(con, Filters.year(year, place))


@uses(school_support.summary)
@reads(*school_support.TABS, counts=school_support.summary.counts, shares=school_support.summary.shares)
def school_support_part(con: duckdb.DuckDBPyConnection, year: int, place: str | None) -> dict:
    return school_support.summary(con, Filters.year(year, place))


@uses(wash.summary)
@reads(*wash.TABS, counts=wash.summary.counts, shares=wash.summary.shares)
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
        "left_out": {_TITLES[name]: left_out(con, tabs_read(*PROGRAMME_FIGURES[_TITLES[name]])) for name in chosen},
        **{name: PARTS[name](con, year, place) for name in chosen},
    }


year_results.parts = PARTS  # type: ignore[attr-defined]


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_PLURALS = {"family": "families", "calf": "calves", "child": "children"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else _PLURALS.get(word, word + 's')}"


def results_sentences(results: dict) -> dict[str, list[str]]:
    """One list of plain sentences per programme, worded as the programme report words them."""
    year = results["year"]
    return {title: _lines[key](year, results[key]) for key, title in _TITLES.items() if key in results}


def prevention_sentences(year: int, p: dict) -> list[str]:
    return [
        f"In {year}, prevention activities reached {_plural(p['villages'], 'village')} in {_plural(p['communes'], 'commune')} "
        f"of {_plural(p['districts'], 'district')} in {_plural(p['provinces'], 'province')}"
        + (f" ({_names(p['province_names'])})." if p["province_names"] else ".")
    ]


def clinic_sentences(year: int, c: dict) -> list[str]:
    return [
        f"{c['assessed']:,} patients assessed: {c['inpatients']:,} hospitalised, {c['outpatients']:,} treated as out-patients, "
        f"{c['mobile_checkups']:,} checked by the mobile team ({c['dental_kits']:,} given a toothbrush and toothpaste).",
        f"{c['aged_0_5']:,} aged 0–5 and {c['aged_6_12']:,} aged 6–12; {c['new_patients']:,} new patients.",
    ]


def savings_sentences(year: int, s: dict) -> list[str]:
    cap = s["capital"]
    savings_lines = [
        f"Capital of the saving groups and agricultural cooperative on 31 Dec {year}: {cap['riel']:,.0f} riel "
        f"(${cap['usd']:,.2f} at {cap['riel_per_usd']:,.0f} riel per dollar)."
    ]
    for g in sorted(s["groups"], key=lambda g: g["kind"] != "saving_group"):
        label = _plural(g["groups"], "saving group" if g["kind"] == "saving_group" else "agricultural cooperative")
        where = f" in {_names(g['communes'])} commune{'s' if len(g['communes']) > 1 else ''}" if g["kind"] != "saving_group" and g["communes"] else ""
        savings_lines.append(f"{label}{where} with {g['members'] or 0:,} members, {g['women'] or 0:,} of them women.")
    return savings_lines


def cow_bank_sentences(year: int, cow: dict) -> list[str]:
    return [
        f"In {year}: {_plural(cow['granted'], 'cow')} granted to {_plural(cow['granted_families'], 'family')}"
        + (f" in {_names(cow['grant_villages'])} ({_names(cow['grant_communes'])})" if cow["grant_villages"] else "")
        + f"; {_plural(cow['born'], 'calf')} born; {_plural(cow['passed_on'], 'calf')} passed on.",
        f"Herd at the end of {year}: {cow['founders']:,} founding cows + {cow['born_total']:,} born since.",
    ]


def rice_bank_sentences(year: int, rice: dict) -> list[str]:
    rice_lines = [f"{b['name']} ({b['bank_id']}): {b['stock_kg']:,.2f} kg in stock on 31 Dec {year} (capacity {b['capacity_kg']:,.0f} kg)." for b in rice["stock"]]
    rice_lines += [f"{d['name']}: {d['kg']:,.0f} kg donated in {year} (first on {d['first']:%d %b %Y})." for d in rice["donations"]]
    return rice_lines


# --- school support, household hygiene, health education, in the report's words ----------------------

def health_education_sentences(year: int, h: dict) -> list[str]:
    if not h["sessions"]:
        return [f"No health education session recorded in {year}."]
    return [f"Health education: {_plural(h['sessions'], 'session')} in {_plural(h['villages'], 'village')} "
            f"({h['with_health_department']:,} with the Kampot Health Department) for {h['villagers']:,} villagers, "
            f"{h['village_chiefs']:,} village chiefs and {h['community_leaders']:,} community leaders "
            f"({h['women']:,} women, {h['men']:,} men)."]


def school_support_sentences(year: int, s: dict) -> list[str]:
    if not s["children"]:
        return [f"No school support recorded in {year}."]
    line = (f"{_plural(s['enrolled'], 'child')} enrolled in state school with CCPCR's material support "
            f"({s['children']:,} supported, {s['materials_per_child']:.1f} items of material per child)")
    if s["share_in_school"] is not None:
        line += f"; {s['share_in_school']:.0%} of them still in school at the end of {year}"
    return [line + "."]


def wash_sentences(year: int, w: dict) -> list[str]:
    if not w["households"]:
        return [f"No household hygiene survey recorded by the end of {year}."]
    return [f"Of {_plural(w['households'], 'household')} surveyed by 31 Dec {year} (latest survey of each), "
            f"{w['share_toilet']:.0%} can access a toilet and {w['share_clean_water']:.0%} clean water; "
            f"{w['share_handwashing']:.0%} have a hand-washing place."]


def programme_title(part: str) -> str:
    """The report's title of an Overview part ("savings" -> "Savings groups")."""
    return _TITLES[part]


def data_problems(results: dict) -> list[LeftOut]:
    """What the year's figures could not use, each tab once, in the registry's order of tabs."""
    seen = {item.tab: item for items in results.get("left_out", {}).values() for item in items}
    return [seen[tab] for tab in tabs_read(*seen)]


def results_markdown(results: dict) -> str:
    lines = [f"# CCPCR results for {results['year']}", ""]
    problems = data_problems(results)
    if problems:
        lines += ["## Data problems", "",
                  "The figures below leave out, or count wrong, what these tabs could not give them. "
                  "`python cli.py validate` lists every cell to fix; then run the report again.", ""]
        lines += [f"- {item.summary()}" for item in problems] + [""]
    notes = results.get("left_out", {})
    for programme, sentences in results_sentences(results).items():
        lines += [f"## {programme}", ""] + [f"- {s}" for s in sentences] + [""]
        for item in notes.get(programme, []):  # each its own paragraph
            lines += [f"*{item.sentence(see='`python cli.py validate`')}*", ""]
    return "\n".join(lines)
