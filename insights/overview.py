"""The year's results in the report's own terms, for the Overview page and `cli.py report`."""
from __future__ import annotations

import datetime as dt

import duckdb

from insights import clinic, cow_bank, health_education, prevention, rice_bank, savings, school_support, wash
from insights.common import Filters


def year_results(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None) -> dict:
    period = Filters.year(year, place)
    year_end = dt.date(year, 12, 31)
    return {
        "year": year,
        "prevention": prevention.coverage(con, period),
        "clinic": clinic.results(con, period),
        "savings": {"capital": savings.capital_on(con, year_end, place), "groups": savings.groups_summary(con, place)},
        "cow_bank": cow_bank.summary(con, period),
        "rice_bank": {"stock": rice_bank.stock_on(con, year_end, place), "donations": rice_bank.donations(con, period)},
        "health_education": health_education.totals(con, period),
        "school_support": school_support.summary(con, period),
        "wash": wash.summary(con, period),
    }


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
    p, c, s, cow, rice = (results[k] for k in ("prevention", "clinic", "savings", "cow_bank", "rice_bank"))
    prevention_lines = [
        f"In {year} prevention activities reached {_plural(p['villages'], 'village')} in {_plural(p['communes'], 'commune')} "
        f"of {_plural(p['districts'], 'district')} in {_plural(p['provinces'], 'province')}"
        + (f" ({_names(p['province_names'])})." if p["province_names"] else ".")
    ]
    clinic_lines = [
        f"{c['assessed']:,} patients assessed: {c['inpatients']:,} hospitalised, {c['outpatients']:,} treated as out-patients, "
        f"{c['mobile_checkups']:,} checked by the mobile team ({c['dental_kits']:,} given a toothbrush and toothpaste).",
        f"{c['aged_0_5']:,} aged 0–5 and {c['aged_6_12']:,} aged 6–12; {c['new_patients']:,} new patients.",
    ]
    cap = s["capital"]
    savings_lines = [
        f"Capital of the saving groups and agricultural cooperative on 31 Dec {year}: {cap['riel']:,.0f} riel "
        f"(${cap['usd']:,.2f} at {cap['riel_per_usd']:,.0f} riel per dollar)."
    ]
    for g in sorted(s["groups"], key=lambda g: g["kind"] != "saving_group"):
        label = _plural(g["groups"], "saving group" if g["kind"] == "saving_group" else "agricultural cooperative")
        where = f" in {_names(g['communes'])} commune{'s' if len(g['communes']) > 1 else ''}" if g["kind"] != "saving_group" and g["communes"] else ""
        savings_lines.append(f"{label}{where} with {g['members'] or 0:,} members, {g['women'] or 0:,} of them women.")
    cow_lines = [
        f"In {year}: {_plural(cow['granted'], 'cow')} granted to {_plural(cow['granted_families'], 'family')}"
        + (f" in {_names(cow['grant_villages'])} ({_names(cow['grant_communes'])})" if cow["grant_villages"] else "")
        + f"; {_plural(cow['born'], 'calf')} born; {_plural(cow['passed_on'], 'calf')} passed on.",
        f"Herd at the end of {year}: {cow['founders']:,} founding cows + {cow['born_total']:,} born since.",
    ]
    rice_lines = [f"{b['name']} ({b['bank_id']}): {b['stock_kg']:,.2f} kg in stock on 31 Dec {year} (capacity {b['capacity_kg']:,.0f} kg)." for b in rice["stock"]]
    rice_lines += [f"{d['name']}: {d['kg']:,.0f} kg donated in {year} (first on {d['first']:%d %b %Y})." for d in rice["donations"]]
    return {"Prevention": prevention_lines, "Clinic": clinic_lines + health_education_lines(results),
            "Savings groups": savings_lines, "Cow bank": cow_lines, "Rice bank": rice_lines,
            "School support": school_support_lines(results), "Household hygiene": wash_lines(results)}


# --- school support, household hygiene, health education (issue 18), in the report's words --------------

def health_education_lines(results: dict) -> list[str]:
    h = results["health_education"]
    if not h["sessions"]:
        return [f"No health education session recorded in {results['year']}."]
    return [f"Health education: {_plural(h['sessions'], 'session')} in {_plural(h['villages'], 'village')} "
            f"({h['with_health_department']:,} with the Kampot Health Department) for {h['villagers']:,} villagers, "
            f"{h['village_chiefs']:,} village chiefs and {h['community_leaders']:,} community leaders "
            f"({h['women']:,} women, {h['men']:,} men)."]


def school_support_lines(results: dict) -> list[str]:
    s, year = results["school_support"], results["year"]
    if not s["children"]:
        return [f"No school support recorded in {year}."]
    line = (f"{_plural(s['enrolled'], 'child')} enrolled in state school with CCPCR's material support "
            f"({s['children']:,} supported, {s['materials_per_child']:.1f} items of material per child)")
    if s["share_in_school"] is not None:
        line += f"; {s['share_in_school']:.0%} of them still in school at the end of {year}"
    return [line + "."]


def wash_lines(results: dict) -> list[str]:
    w, year = results["wash"], results["year"]
    if not w["households"]:
        return [f"No household hygiene survey recorded by the end of {year}."]
    return [f"Of {_plural(w['households'], 'household')} surveyed by 31 Dec {year} (latest survey of each), "
            f"{w['share_toilet']:.0%} can access a toilet and {w['share_clean_water']:.0%} clean water; "
            f"{w['share_handwashing']:.0%} have a hand-washing place."]


def results_markdown(results: dict) -> str:
    lines = [f"# CCPCR results for {results['year']}", ""]
    for programme, sentences in results_sentences(results).items():
        lines += [f"## {programme}", ""] + [f"- {s}" for s in sentences] + [""]
    return "\n".join(lines)
