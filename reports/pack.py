"""The donor pack's content, collected once through the gateway: per programme the year's sentences (the
report's own words), its figures, the aggregated tables behind them and its chart; the data problems; the
source and when it was read. reports.md, reports.xlsx and reports.pdf only write it out.

A pack leaves the organisation, so it is collected with `published_figure` whatever the signed-in role:
the role still decides which programmes are read, but small counts read "<5" as for viewers and
personal-data columns are masked. Sentences are masked again for any personal value they might quote, and
`collect` refuses (PersonalDataInPack) a table in which a personal-data column survived unmasked.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from gateway.figures import published_figure
from gateway.masking import MASK, masked_text, personal_values
from gateway.reads import source_freshness
from insights.overview import data_problems, programme_title, results_markdown, results_sentences, year_results
from insights.overview_charts import monthly_figures, programme_charts
from schemas.i18n import current_language
from schemas.i18n import gettext as _
from schemas.registry import tab as registered_tab

# Figure names the plain rule (underscores to spaces, first letter up) would word badly.
_LABELS = {"aged_0_5": "Aged 0–5", "aged_6_12": "Aged 6–12", "usd": "US dollars", "riel_per_usd": "Riel per US dollar",
           "kg": "Kg", "capacity_kg": "Capacity (kg)", "stock_kg": "Stock (kg)", "bank_id": "Bank ID",
           "capital_riel": "Capital (riel)", "first": "First donation"}


class PersonalDataInPack(RuntimeError):
    """A personal-data column reached the pack unmasked: no file is written."""


@dataclass
class Programme:
    title: str
    sentences: list[str]  # as the Markdown report states them
    notes: list[str]  # what the figures left out (rows with errors, a missing tab)
    figures: list[tuple[str, str, Any]]  # (key, label, value); key e.g. "capital.riel"
    tables: dict[str, pd.DataFrame]  # a title -> an aggregated table (the figures' lists, the chart's data)
    chart: Any | None  # the Overview's Altair chart, when the programme has one


@dataclass
class Pack:
    year: int
    language: str
    place: str | None
    markdown: str  # the report, as `cli.py report` words it (suppressed and masked as the rest of the pack)
    problems: list[str]
    programmes: list[Programme]
    source: dict[str, Any]  # source, kind, refreshed_at, rows
    built_at: dt.datetime

    def source_lines(self) -> list[str]:
        """The source and its freshness, in the pack's words."""
        read = self.source.get("refreshed_at")
        return [f"{_('Source')}: {self.source.get('source') or _('unknown')} ({_(self.source.get('kind') or 'unknown')})",
                f"{_('Read at')}: {read:%d %b %Y %H:%M} UTC" if read else _("Read at: never"),
                f"{_('Rows read')}: {self.source.get('rows', 0):,}",
                f"{_('Pack built at')}: {self.built_at:%d %b %Y %H:%M} UTC"]


def label(key: str) -> str:
    return _(_LABELS.get(key) or key.replace("_", " ").capitalize())


def collect(db: Any, user: Any, year: int, place: str | None = None) -> Pack:
    """The pack for `user` (their role decides which programmes), in the current language."""
    results = published_figure(db, user, year_results, year, place)
    frames = published_figure(db, user, monthly_figures, year, place)
    known = personal_values(db)
    mask = (lambda text: masked_text(text, known))  # noqa: E731 - one closure over the values read once
    charts = programme_charts(frames)
    sentences = results_sentences(results)
    notes = results.get("left_out", {})
    programmes = []
    for part in year_results.parts:
        if part not in results:
            continue
        title = programme_title(part)
        personal = _personal_columns(year_results.parts[part])
        figures, tables = _figures_and_tables(results[part], personal, mask)
        if title in frames:
            _refuse_personal(frames[title], _personal_columns(monthly_figures.parts[title]), title)
            tables[_("Chart data")] = _readable(frames[title], mask)
        programmes.append(Programme(title, [mask(s) for s in sentences[title]],
                                    [mask(item.sentence(see="`python cli.py validate`")) for item in notes.get(title, [])],
                                    figures, tables, charts.get(title)))
    return Pack(year=year, language=current_language(), place=place, markdown=mask(results_markdown(results)),
                problems=[mask(item.summary()) for item in data_problems(results)], programmes=programmes,
                source=source_freshness(db), built_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))


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
                figures.append((path, name, mask(", ".join(map(str, v)))))
            else:
                figures.append((path, name, mask(v) if isinstance(v, str) else v))

    walk("", "", values)
    return figures, tables


def _readable(frame: pd.DataFrame, mask: Callable[[str], str]) -> pd.DataFrame:
    """Headers in words, text cells masked, month stamps as dates."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
        elif not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = [mask(v) if isinstance(v, str) else v for v in out[column]]
    return out.rename(columns={c: label(c) for c in out.columns})
