"""What every dashboard chart shares so a manager reads it at a glance: labels instead of codes, at most
a few legend entries (the rest as "Other"), axis labels that never overlap, and a sentence instead of an
empty axis when there is nothing to draw."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from schemas.formats import labelled
from schemas.i18n import gettext as _

LEGEND_ENTRIES = 8  # the legend's entries at most, "Other" included
LEGEND = alt.Legend(labelLimit=260, symbolLimit=LEGEND_ENTRIES + 1)
# A date axis whose ticks never repeat a label (":30 :30") nor crowd: months and years only.
MONTH_AXIS = alt.Axis(format="%b %Y", labelOverlap=True, labelAngle=0, tickCount="month")


def empty_chart(what: str) -> alt.Chart:
    """'No records for <what>' where the chart would be, instead of an axis reading 0.000000."""
    text = _("No records for {what} in this period and place.").format(what=_(what))
    return alt.Chart(pd.DataFrame({"text": [text]})).mark_text(size=14, color="#666666").encode(
        alt.Text("text:N")).properties(height=60)


def or_empty(what: str) -> Callable:
    """A chart function whose first frame, when empty, gives the empty-state sentence instead."""
    def wrap(chart: Callable) -> Callable:
        @functools.wraps(chart)
        def drawn(frame: pd.DataFrame | None, *args: Any, **kwargs: Any) -> alt.TopLevelMixin:
            if frame is None or len(frame) == 0:
                return empty_chart(what)
            return chart(frame, *args, **kwargs)
        drawn.empty_text = what  # type: ignore[attr-defined]
        return drawn
    return wrap


def top_n(frame: pd.DataFrame, column: str, measure: str, by: tuple[str, ...] = (), n: int = LEGEND_ENTRIES - 1,
          also: tuple[str, ...] = ()) -> pd.DataFrame:
    """The `n` biggest values of `column` (by the total of `measure`) and the rest summed as "Other", per
    each `by` key (a period, say): a legend of at most n + 1 entries, totals unchanged. `also`: other
    additive columns summed along."""
    totals = frame.groupby(column, dropna=False)[measure].sum().sort_values(ascending=False)
    if len(totals) <= n + 1:
        return frame
    kept = set(totals.index[:n])
    out = frame.assign(**{column: frame[column].where(frame[column].isin(kept), _("Other"))})
    return out.groupby([*by, column], as_index=False, dropna=False, sort=False)[[measure, *also]].sum()


def order_with_other_last(frame: pd.DataFrame, column: str, measure: str) -> list[str]:
    """Legend order: biggest first, "Other" last."""
    order = frame.groupby(column)[measure].sum().sort_values(ascending=False).index.tolist()
    other = _("Other")
    return [v for v in order if v != other] + ([other] if other in order else [])


def with_labels(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """The chart's data carries labels, never codes (see schemas.formats.labelled)."""
    return labelled(frame, columns)
