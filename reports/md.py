"""The pack as Markdown: the report's text, then its charts (SVG files beside the .md) and its source."""
from __future__ import annotations

import re
from pathlib import Path

from reports.charts import chart_svg
from reports.pack import Pack
from schemas.i18n import gettext as _


def chart_name(out: Path, title: str) -> str:
    """`pack.md` + "Savings groups" -> "pack.savings-groups.svg" (beside the .md)."""
    return f"{out.stem}.{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}.svg"


def markdown_text(pack: Pack, charts: dict[str, str] | None = None) -> str:
    """The report's Markdown, the charts' links (`charts`: programme -> file name) and the source."""
    lines = [pack.markdown.rstrip("\n"), ""]
    if charts:
        lines += [f"## {_('Charts')}", ""]
        lines += [f"![{title}]({name})" for title, name in charts.items()] + [""]
    lines += [f"## {_('Source and freshness')}", ""] + [f"- {line}" for line in pack.source_lines()] + [""]
    return "\n".join(lines)


def write_markdown(pack: Pack, out: Path) -> list[Path]:
    """The .md and one SVG per chart beside it; returns every file written."""
    written = []
    charts = {}
    for programme in pack.programmes:
        if programme.chart is not None:
            name = chart_name(out, programme.title)
            (out.parent / name).write_text(chart_svg(programme.chart, programme.title), encoding="utf-8")
            written.append(out.parent / name)
            charts[programme.title] = name
    out.write_text(markdown_text(pack, charts), encoding="utf-8")
    return [out, *written]
