"""One small chart per programme for the Overview and the donor pack, month by month through the chosen year:
the frame around the charts each programme registers (insights.parts); it names no programme. Each is drawn from
its frame as the gateway returned it, so a count hidden for viewers (and in the pack) is written as its mark ("<5")
where its bar would be, and the bars shown keep their numbers."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import altair as alt
import duckdb
import pandas as pd

from insights.chart_parts import empty_chart
from insights.common import Filters, Registered
from insights.parts import chart_parts

# One insight per programme (the charts the programmes registered, insights.parts), so the gateway leaves out
# the programmes a role may not read.
PARTS: Mapping[str, Callable] = Registered(lambda: ((c.title, c.figures) for c in chart_parts()))
_DRAW: Mapping[str, Callable] = Registered(lambda: ((c.title, c.draw) for c in chart_parts()))
_COUNTED: Mapping[str, str] = Registered(lambda: ((c.title, c.counted) for c in chart_parts()))


def monthly_figures(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None,
                    parts: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Aggregated in SQL: at most a few dozen rows per programme reach the browser. `parts`: only these programmes."""
    period = Filters.year(year, place)
    return {name: part(con, period) for name, part in PARTS.items() if parts is None or name in parts}


monthly_figures.parts = PARTS  # type: ignore[attr-defined]


def programme_charts(figures: dict[str, pd.DataFrame]) -> dict[str, alt.Chart]:
    """Charts keyed by programme; their data carries labels, legends hold at most a few entries, and a
    programme with nothing in the year gets its empty-state sentence."""
    return {name: (draw(figures[name]) if len(figures[name]) else empty_chart(_COUNTED[name])).properties(height=180)
            for name, draw in _DRAW.items() if name in figures}


def results_table(sentences: dict[str, list[str]]) -> pd.DataFrame:
    """The Overview's statements as rows, for its CSV download."""
    return pd.DataFrame([{"programme": p, "result": s} for p, lines in sentences.items() for s in lines])
