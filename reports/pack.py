"""The donor pack's content, collected once through the gateway, in one language: per programme the
year's sentences (the report's own words), its figures, the tables behind them and its chart with the
very table it is drawn from; what the figures had to leave out; when the records were read.
reports.md, reports.xlsx and reports.pdf only write it out.

A pack leaves the organisation, so it is collected with `published_figure` whatever the signed-in role:
the role still decides which programmes are read, but small counts are hidden as for viewers and
personal-data columns are masked. Sentences are masked again for any personal value they might quote, and
`collect` refuses (PersonalDataInPack) a table in which a personal-data column survived unmasked.

It speaks to donors: no commands, file names, sheet names or row counts; where the figures come from is
said in plain words ("From the programme's records, read 7 Dec 2026."); coded values read as their
labels and every count stays a number (a hidden one reads "<5" in its own cell).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gateway.figures import published_figure
from gateway.masking import MASK, masked_text, personal_values
from gateway.reads import small_count_threshold, source_freshness
from insights.common import places
from insights.overview import FIGURE_WORDS, data_problems, programme_title, results_sentences, year_results
from insights.overview_charts import monthly_figures, programme_charts
from schemas.formats import HIDDEN, labelled, marked, title
from schemas.i18n import N_, current_language, day
from schemas.i18n import gettext as _
from schemas.registry import tab as registered_tab

CHART_DATA = N_("The chart's figures")


class PersonalDataInPack(RuntimeError):
    """A personal-data column reached the pack unmasked: no file is written."""


@dataclass
class Programme:
    title: str
    sentences: list[str]  # as the report states them
    notes: list[str]  # what the figures left out, for a donor
    figures: list[tuple[str, str, Any]]  # (key, label, value); key e.g. "capital.riel"; a count stays a number
    tables: dict[str, pd.DataFrame]  # a title -> a table as the pack shows it (headers in words, labels, numbers)
    chart: Any | None = None  # the Overview's Altair chart, when the programme has one
    chart_table: str | None = None  # the title of the table the chart is drawn from (its own data)


@dataclass
class Pack:
    year: int
    language: str
    place: str | None  # the place's name, when the pack is about one place
    problems: list[str]
    programmes: list[Programme]
    read_at: dt.datetime | None  # when the records were read
    built_at: dt.datetime
    threshold: int = 5
    notes: list[str] = field(default_factory=list)

    def provenance(self) -> list[str]:
        """Where the figures come from, for a donor (in the current language)."""
        read = (_("From the programme's records, read {day}.").format(day=day(self.read_at)) if self.read_at
                else _("From the programme's records."))
        return [read, _("Prepared on {day}.").format(day=day(self.built_at))]

    def privacy_note(self) -> str:
        return _("Counts below {n} read \"<{n}\" so that nobody can be recognised; a count that would give one of them away by "
                 "subtraction reads \"{n}+\". The pack holds no personal data.").format(n=self.threshold)


def label(key: str) -> str:
    return _(FIGURE_WORDS[key]) if key in FIGURE_WORDS else title(key)


def collect(db: Any, user: Any, year: int, place: str | None = None) -> Pack:
    """The pack for `user` (their role decides which programmes), in the current language."""
    results = published_figure(db, user, year_results, year, place)
    frames = published_figure(db, user, monthly_figures, year, place)
    known = personal_values(db)
    mask = (lambda text: masked_text(text, known))  # one closure over the values read once
    charts = programme_charts(frames)
    sentences = results_sentences(results)
    notes = results.get("left_out", {})
    programmes = []
    for part in year_results.parts:
        if part not in results:
            continue
        name = programme_title(part)
        figures, tables = _figures_and_tables(results[part], _personal_columns(year_results.parts[part]), mask)
        programme = Programme(_(name), [mask(s) for s in sentences[name]], [mask(item.for_donors()) for item in notes.get(name, [])],
                              figures, tables)
        if name in frames and name in charts:
            _refuse_personal(frames[name], _personal_columns(monthly_figures.parts[name]), name)
            programme.chart, programme.chart_table = charts[name], _(CHART_DATA)
            tables[programme.chart_table] = _readable(chart_data(charts[name]), mask)
        programmes.append(programme)
    read = source_freshness(db).get("refreshed_at")
    return Pack(year=year, language=current_language(), place=_place_name(db, user, place),
                problems=[mask(item.for_donors_summary()) for item in data_problems(results)], programmes=programmes,
                read_at=read, built_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), threshold=small_count_threshold(db))


def chart_data(chart: Any) -> pd.DataFrame:
    """The rows a chart is drawn from (of a layered chart: its first layer's, the marks of hidden counts aside)."""
    data = chart.layer[0].data if hasattr(chart, "layer") else chart.data
    return data if isinstance(data, pd.DataFrame) else pd.DataFrame()


def _place_name(db: Any, user: Any, place: str | None) -> str | None:
    if not place:
        return None
    gazetteer = published_figure(db, user, places)
    for level in ("village", "commune", "district", "province"):
        found = gazetteer.loc[gazetteer[f"{level}_code"] == place, level]
        if len(found):
            return str(found.iloc[0])
    return place


def _personal_columns(insight: Callable[..., Any]) -> set[str]:
    return {c.name for t in insight.tabs for c in registered_tab(t).columns if c.pii}


def _refuse_personal(frame: pd.DataFrame, personal: set[str], where: str) -> None:
    for column in personal & set(frame.columns):
        shown = [v for v in frame[column] if v is not None and not pd.isna(v) and v != MASK]
        if shown:
            raise PersonalDataInPack(f"'{column}' reached the {where} part of the pack unmasked; no pack was written.")


def _figures_and_tables(values: dict, personal: set[str], mask: Callable[[str], str]) -> tuple[list, dict]:
    """A programme's results as (key, label, value) figures; its lists of records as tables."""
    figures: list[tuple[str, str, Any]] = []
    tables: dict[str, pd.DataFrame] = {}

    def walk(prefix: str, shown: str, value: dict) -> None:
        for key, v in value.items():
            path, name = f"{prefix}{key}", f"{shown}{label(key)}"
            if isinstance(v, dict):
                walk(path + ".", name + " · ", v)
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                frame = pd.DataFrame([{k: ", ".join(map(str, x)) if isinstance(x, list) else x for k, x in row.items()} for row in v])
                _refuse_personal(frame, personal, name)
                tables[name] = _readable(frame, mask)
            elif isinstance(v, list):
                if v:
                    figures.append((path, name, mask(", ".join(map(str, v)))))
            else:
                figures.append((path, name, mask(v) if isinstance(v, str) else v))

    walk("", "", values)
    return figures, tables


def _readable(frame: pd.DataFrame, mask: Callable[[str], str]) -> pd.DataFrame:
    """As the pack shows a table: coded values as their labels, text masked, month stamps as dates, counts
    as numbers with a hidden one as its mark, helper columns of a chart left out, headers in words."""
    out = marked(labelled(frame.drop(columns=[c for c in frame.columns if str(c).startswith("_")])))
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
        elif not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = [mask(v) if isinstance(v, str) else v for v in out[column]]
    return out.rename(columns={c: label(c) for c in out.columns if not str(c).endswith(HIDDEN)})
