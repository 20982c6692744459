"""The year's results in the report's own terms, for the Overview page, `cli.py report` and the donor pack: the frame
around the parts each programme registers (insights.parts, from insights/<programme>_overview.py); it names no
programme."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import duckdb

from insights.common import Registered
from insights.left_out import PRIVACY_SETTINGS, LeftOut, SettingRefused, left_out, settings_read, settings_refused, tabs_read
from insights.parts import report_parts
from schemas.i18n import _

# Each programme's part is its own insight, so the gateway can leave out the programmes a role may not read.
# Read from the parts the programmes registered (insights.parts) when used, in the order they declare.
PARTS: Mapping[str, Callable] = Registered(lambda: ((p.name, p.figures) for p in report_parts()))
# The figures behind each part's sentences (by the part's title): what they could not use is said beside them.
PROGRAMME_FIGURES: Mapping[str, tuple] = Registered(lambda: ((p.title, p.figures.figures) for p in report_parts()))
_TITLES: Mapping[str, str] = Registered(lambda: ((p.name, p.title) for p in report_parts()))
_lines: Mapping[str, Callable] = Registered(lambda: ((p.name, p.sentences) for p in report_parts()))
# The words of every part's figures (a key -> an English msgid), for the donor pack's tables, charts' included.
FIGURE_WORDS: Mapping[str, str] = Registered(lambda: ((key, words) for p in report_parts() for key, words in p.labels.items()))


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
