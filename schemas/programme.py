"""What a programme declares besides its tabs: roles, its page, its parts of the Overview and of the
year's report, and its demo builder.

The insight functions, chart drawers and demo builders are named by dotted name ("insights.x.y") and
resolved by the layer that uses them (insights for the Overview and report, data for the demo, the
gateway for `registry.check()`), so the schemas import nothing above them.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from schemas.i18n import N_


@dataclass(frozen=True)
class Page:
    """An entry of the navigation: its file under pages/, title, icon and section."""

    file: str  # "pages/rice_bank.py", relative to the project root
    title: str
    icon: str
    section: str = N_("Dashboards")  # titles are English msgids, shown through gettext (ui.navigation)
    admin_only: bool = False


@dataclass(frozen=True)
class ReportPart:
    """One section of the year's results (the Overview's sentences and `cli.py report`)."""

    name: str  # its key in the year's results
    title: str  # its heading
    figures: str  # dotted name of an @reads insight: (con, year, place) -> dict
    sentences: str  # dotted name of a function: (year, figures) -> list of sentences


@dataclass(frozen=True)
class ChartPart:
    """One small chart of the Overview, shown beside the report part of the same title."""

    title: str
    figures: str  # dotted name of an @reads insight: (con, period) -> small frame
    draw: str  # dotted name of a function: frame -> Altair chart


@dataclass(frozen=True)
class Programme:
    """A programme owns tabs; roles are granted per programme (see `connectors.access`)."""

    name: str
    title: str
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]
    page: Page | None = None
    report: tuple[ReportPart, ...] = ()
    overview: tuple[ChartPart, ...] = ()
    demo: str | None = None  # dotted name of a function: (data.demo_common.DemoBook) -> {tab: frame}

    def dotted_names(self) -> list[tuple[str, str]]:
        """(what, dotted name) for every function this programme names, for registry.E007."""
        named = [(f"report part {p.name!r} figures", p.figures) for p in self.report]
        named += [(f"report part {p.name!r} sentences", p.sentences) for p in self.report]
        named += [(f"overview chart {c.title!r} figures", c.figures) for c in self.overview]
        named += [(f"overview chart {c.title!r} drawing", c.draw) for c in self.overview]
        return named + ([("demo builder", self.demo)] if self.demo else [])


def resolve(dotted: str) -> Any:
    """The object a dotted name ("package.module.attribute") names, imported on demand by the caller."""
    module, _, attribute = dotted.rpartition(".")
    if not module:
        raise ImportError(f"{dotted!r} is not a dotted name (package.module.attribute)")
    try:
        return getattr(importlib.import_module(module), attribute)
    except AttributeError:
        raise ImportError(f"module {module!r} has no {attribute!r}") from None
