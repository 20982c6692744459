"""The programmes' parts of the Overview and of the year's results, registered by each programme's own module
(`insights/<programme>_overview.py`) with the functions themselves - the way Django's admin finds each app's
`admin.py`: every module of this package is imported once, when the parts are first asked for, and a module
registers what it brings. The Overview, the report and the donor pack (insights.overview, overview_charts)
name no programme; a programme declares its own order.

    register_report(ReportPart("rice_bank", N_("Rice bank"), 50, rice_bank_part, rice_bank_sentences))
    register_chart(ChartPart("Rice bank", 50, rice_bank_months, rice_bank_chart, "rice banks"))
"""
from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def uses(*figures: Callable) -> Callable[[F], F]:
    """The insights behind a part's sentences: what they could not use is said beside them."""
    def declare(fn: F) -> F:
        fn.figures = figures  # type: ignore[attr-defined]
        return fn
    return declare


@dataclass(frozen=True)
class ReportPart:
    """One section of the year's results (the Overview's sentences, `cli.py report`, the donor pack)."""

    name: str  # its key in the year's results
    title: str  # its heading: an English msgid (N_), shown in the reader's language
    order: int  # where it comes among the parts (the programme report's order)
    figures: Callable  # an @reads and @uses insight: (con, year, place) -> dict
    sentences: Callable  # (year, figures) -> list of sentences
    labels: Mapping[str, str] = field(default_factory=dict)  # a figure's key -> its words (N_), for the donor pack


@dataclass(frozen=True)
class ChartPart:
    """One small chart of the Overview and the donor pack, beside the report part of the same title."""

    title: str
    order: int
    figures: Callable  # an @reads insight: (con, period) -> a small frame, month by month
    draw: Callable  # frame -> Altair chart
    counted: str  # what it counts, for its empty state ("No records for rice banks ...")


class AlreadyRegistered(Exception):
    pass


_reports: dict[str, ReportPart] = {}
_charts: dict[str, ChartPart] = {}
_lock = threading.Lock()
_discovered = False


def _register(table: dict, key: str, part: ReportPart | ChartPart) -> None:
    held = table.get(key)
    # The same function registered again is its module imported again (Streamlit reloads changed modules).
    if held is not None and held.figures.__qualname__ != part.figures.__qualname__:
        raise AlreadyRegistered(f"{key!r} is registered already by {held.figures.__module__}; unregister_parts({key!r}) first")
    table[key] = part


def register_report(part: ReportPart) -> None:
    _register(_reports, part.name, part)


def register_chart(part: ChartPart) -> None:
    _register(_charts, part.title, part)


def unregister_parts(*keys: str) -> None:
    """Remove report parts (by name) and charts (by title); a name not registered is ignored (tests)."""
    for key in keys:
        _reports.pop(key, None)
        _charts.pop(key, None)


def _discover() -> None:
    """Import every module of the package once, so each programme's module has registered its parts."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            package = importlib.import_module(__name__.rpartition(".")[0])
            for info in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"{package.__name__}.{info.name}")
            _discovered = True


def report_parts() -> list[ReportPart]:
    _discover()
    return sorted(_reports.values(), key=lambda p: (p.order, p.name))


def chart_parts() -> list[ChartPart]:
    _discover()
    return sorted(_charts.values(), key=lambda p: (p.order, p.title))
