"""What every dashboard chart shares so a manager reads it at a glance: labels instead of codes, at most
a few legend entries (the rest as "Other"), axis labels that never overlap, a hidden small count written
as its mark ("<5") where its bar would be, and a sentence instead of an empty axis when there is nothing
to draw."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from schemas.formats import HIDDEN, declared_labels, labelled
from schemas.i18n import gettext as _

LEGEND_ENTRIES = 8  # the legend's entries at most, "Other" included
# Under the chart: beside it, on a phone (390 px), a legend would squeeze the chart away. Two columns where
# the chart is wide, one under a narrow one (its width is known only in the browser: a Vega expression).
# A label may take its column's width: a bank's or a group's full name, not "Russei Chhuor Kang…".
LEGEND = alt.Legend(orient="bottom", columns=alt.ExprRef("width < 420 ? 1 : 2"),
                    labelLimit=alt.ExprRef("max(150, width < 420 ? width - 30 : width / 2 - 40)"),
                    symbolLimit=LEGEND_ENTRIES + 1)
# A row per category in a horizontal bar chart: room for every label (Khmer is taller than Latin).
STEP = 22
LABEL_LIMIT = 160  # px of a category's label beside its bar; the full name is in the tooltip


def category_axis(limit: int = LABEL_LIMIT, **options) -> alt.Axis:
    """The axis of categories: every one labelled (Streamlit's theme would drop every other label that
    overlaps, so a reader could not tell which bar is which)."""
    return alt.Axis(labelOverlap=False, labelLimit=limit, **options)
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


def coded_colour(field: str, **options: Any) -> alt.Color:
    """A colour by the labels of the coded column `field`, its categories in their declared order: Vega-Lite
    would otherwise order them alphabetically by label, so a category's colour would change with the page's
    language (and from one page to another where the labels sort differently)."""
    order = declared_labels(field)
    return alt.Color(f"{field}:N", sort=order, **options) if order else alt.Color(f"{field}:N", **options)


def with_labels(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """The chart's data carries labels, never codes (see schemas.formats.labelled)."""
    return labelled(frame, columns)


def hidden_counts(chart: alt.Chart, data: pd.DataFrame, measure: str, along: str, horizontal: bool = False,
                  stacked: bool = True, colour: bool = True) -> alt.Chart | alt.LayerChart:
    """`chart` (bars, lines or points of `measure` along `along`, drawn from `data`) with the counts the
    gateway hid (missing in `measure`, their mark in `measure`_hidden: insights.small_counts) written as
    their mark ("<5") where they would be: on top of the bars shown at the same place (`stacked`) or at
    zero, one above the other when several are hidden there, in their category's colour (`colour`).
    Nothing hidden: the chart as it is. The marks carry no number, and the bars shown keep theirs."""
    column = measure + HIDDEN
    if column not in data.columns or data[column].isna().all():
        return chart
    hidden = data[data[column].notna()].copy()
    if stacked:
        tops = data.groupby(along, dropna=False)[measure].sum(min_count=1)
        hidden["_at"] = hidden[along].map(tops).astype(float).fillna(0.0)
    else:
        hidden["_at"] = 0.0
    hidden["_rank"] = hidden.groupby(along, dropna=False).cumcount()
    key, value = ("y", "x") if horizontal else ("x", "y")
    if data[measure].isna().all():  # everything hidden: an axis from 0 to the threshold, the marks along its foot
        axis = getattr(chart.encoding, value).copy()
        axis["scale"] = alt.Scale(domain=[0, max(int(re.sub(r"\D", "", m) or 0) for m in hidden[column])])
        chart = chart.encode(**{value: axis})
    at = {k: v for k, v in getattr(chart.encoding, value).to_dict().items() if k not in ("aggregate", "field", "stack", "type")}
    position = {key: getattr(chart.encoding, key).copy(),  # the bars' own axis (its title kept), on the marks' positions
                value: (alt.X if horizontal else alt.Y)(field="_at", type="quantitative", stack=None, **at)}
    extra = {}
    if colour and chart.encoding.color is not alt.Undefined:
        color = chart.encoding.color.to_dict()
        mark = chart.mark if isinstance(chart.mark, str) else chart.mark.type
        symbol = "stroke" if mark == "line" else "circle" if mark in ("point", "circle") else "square"
        color["legend"] = None if color.get("legend", {}) is None else {**color.get("legend", {}), "symbolType": symbol}
        extra["color"] = alt.Color(**color)  # one legend for bars and marks, drawn as the bars are
    # What the mark says to a screen reader (and a test reading the drawn chart): its category and its mark.
    category = chart.encoding.color.to_dict().get("field") if chart.encoding.color is not alt.Undefined else None
    hidden["_says"] = (hidden[category].astype(str) + ": " if category in hidden.columns else "") + hidden[column].astype(str)
    layers = [chart]
    for rank, rows in hidden.groupby("_rank"):
        offset = {"align": "left", "baseline": "middle", "dx": 3 + 24 * int(rank)} if horizontal else {"baseline": "bottom", "dy": -2 - 13 * int(rank)}
        layers.append(alt.Chart(rows).mark_text(fontWeight="bold", fontSize=11, **offset).encode(
            text=alt.Text(f"{column}:N"), description=alt.Description("_says:N"),
            tooltip=[alt.Tooltip(f"{column}:N", title=_("Hidden (small count)"))], **position, **extra))
    return alt.layer(*layers)


def melt_counts(frame: pd.DataFrame, id_vars: list[str] | str, value_vars: list[str], var_name: str, value_name: str) -> pd.DataFrame:
    """frame.melt, the counts' hidden marks (`<count>_hidden`) melted alongside into `value_name`_hidden."""
    ids = [id_vars] if isinstance(id_vars, str) else list(id_vars)
    long = frame.melt(id_vars=ids, value_vars=value_vars, var_name=var_name, value_name=value_name)
    marks = [v + HIDDEN for v in value_vars]
    if any(m in frame.columns for m in marks):
        marked = frame.assign(**{m: frame[m] if m in frame.columns else None for m in marks}).melt(
            id_vars=ids, value_vars=marks, var_name=var_name, value_name=value_name + HIDDEN)
        long[value_name + HIDDEN] = marked[value_name + HIDDEN].to_numpy()
    return long


# --- the Overview's month-by-month charts (insights/<programme>_overview.py) --------------------------------

def _months(title: str | None) -> alt.X:
    """January to December, each a band whether anything happened in it or not (a year is always the same
    twelve months), named in the language of the page being drawn (the theme's time locale)."""
    return alt.X("month:O", timeUnit="month", title=title, scale=alt.Scale(domain=[alt.DateTime(month=m) for m in range(1, 13)]),
                 axis=alt.Axis(format="%b", labelAngle=0, labelOverlap=True))


def month_x() -> alt.X:
    return _months(None)


def month_end_x() -> alt.X:  # titles are read when drawn: in the language of the page being drawn
    return _months(_("Month end"))


def monthly_bars(frame: pd.DataFrame, measure: str, title: str, category: str, category_title: str) -> alt.Chart | alt.LayerChart:
    bars = alt.Chart(frame).mark_bar().encode(
        month_x(), alt.Y(f"{measure}:Q", title=title, stack="zero"), coded_colour(category, title=category_title, legend=LEGEND),
        tooltip=[alt.Tooltip("month:T", title=_("Month"), format="%B %Y"), alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{measure}:Q", title=title)])
    return hidden_counts(bars, frame, measure, "month")
