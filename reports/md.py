"""The pack as Markdown: per programme its sentences, what they left out and its chart (SVG files beside
the .md), then what the figures had to do without and where they come from - in the pack's language."""
from __future__ import annotations

import re
from pathlib import Path

from reports.charts import chart_svg
from reports.pack import Pack
from schemas.i18n import gettext as _
from schemas.safe_text import xml_safe


def chart_name(out: Path, index: int) -> str:
    """`pack.md` + the 2nd chart -> "pack.chart-2.svg" (beside the .md; a Khmer title makes no file name)."""
    return f"{out.stem}.chart-{index}.svg"


def _text(text: str) -> str:
    """A line of the pack as Markdown shows it: no control character, no Markdown of its own (a name is text)."""
    return re.sub(r"([\\`*_\[\]#|!]|<(?=[A-Za-z/!?]))", r"\\\1", xml_safe(text))


def markdown_text(pack: Pack, charts: dict[str, str] | None = None) -> str:
    """The pack's Markdown; `charts`: programme title -> the chart's file name beside it."""
    lines = [f"# {_('CCPCR results for {year}').format(year=pack.year)}", ""]
    if pack.place:
        lines += [_text(f"{_('Place')}: {pack.place}"), ""]
    lines += [_text(pack.privacy_note()), ""]
    if pack.problems:
        lines += [f"## {_('What the figures leave out')}", "", _text(_("Some of the programme's records could not be used; "
                                                                        "the figures below leave them out:")), ""]
        lines += [f"- {_text(p)}" for p in pack.problems] + [""]
    for programme in pack.programmes:
        lines += [f"## {_text(programme.title)}", ""] + [f"- {_text(s)}" for s in programme.sentences] + [""]
        lines += [f"*{_text(note)}*\n" for note in programme.notes]
        if charts and programme.title in charts:
            lines += [f"![{_text(programme.title)}]({charts[programme.title]})", ""]
    lines += [f"## {_('About these figures')}", ""] + [f"- {_text(line)}" for line in pack.provenance()] + [""]
    return "\n".join(lines)


def write_markdown(pack: Pack, out: Path) -> list[Path]:
    """The .md and one SVG per chart beside it; returns every file written."""
    written = []
    charts = {}
    for index, programme in enumerate((p for p in pack.programmes if p.chart is not None), start=1):
        name = chart_name(out, index)
        (out.parent / name).write_text(chart_svg(programme.chart, programme.title), encoding="utf-8")
        written.append(out.parent / name)
        charts[programme.title] = name
    out.write_text(markdown_text(pack, charts), encoding="utf-8")
    return [out, *written]
