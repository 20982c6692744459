"""Altair charts of the Cow bank page, drawn from the small frames of insights.cow_bank."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.chart_parts import LEGEND, MONTH_AXIS, category_axis, coded_colour, hidden_counts, melt_counts, or_empty, with_labels
from insights.cow_bank import COW_STATUSES
from schemas.formats import labels_of
from schemas.i18n import gettext as _

_STATUS_COLOURS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#bcbd22"]  # in COW_STATUSES order


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=[_(s) for s in COW_STATUSES], range=_STATUS_COLOURS)


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sex as its label, the status (words already) in the current language."""
    out = with_labels(frame, {"sex": "cows.sex"} if "sex" in frame else {})
    if "status" in out:
        out["status"] = out["status"].map(lambda s: _(s) if isinstance(s, str) else "")
    return out


@or_empty("cows")
def lineage_chart(nodes: pd.DataFrame, links: pd.DataFrame) -> alt.LayerChart:
    """Family trees: generation left to right, each calf just below its mother, dam → calf as a line."""
    nodes = _readable(nodes)
    sexes = list(labels_of("cows.sex").values())
    generations = int(nodes["generation"].max()) + 1 if len(nodes) else 1
    x = alt.X("generation:Q", title=_("Generation (0 = bought by the programme)"),
              scale=alt.Scale(domain=[-0.2, generations - 0.2]), axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("row:Q", title=None, scale=alt.Scale(reverse=True, domain=[0, max(len(nodes), 1) + 1]), axis=None)
    # Elbow links (down from the mother, then across to the calf) never cross a label. They share the cows'
    # x and y definitions: layers whose scales or axes differ fail to draw in the browser.
    down = alt.Chart(links).mark_rule(color="#999999").encode(x, y, alt.Y2("calf_row"))
    across = alt.Chart(links).transform_calculate(row="datum.calf_row").mark_rule(color="#999999").encode(x, alt.X2("calf_generation"), y)
    tooltip = [alt.Tooltip("cow_id:N", title=_("Ear tag")), alt.Tooltip("sex:N", title=_("Sex")),
               alt.Tooltip("born_on:T", title=_("Born"), format="%d %b %Y"), alt.Tooltip("status:N", title=_("Status")),
               alt.Tooltip("holder_village:N", title=_("Holder's village")), alt.Tooltip("founder_id:N", title=_("Lineage of"))]
    cows = alt.Chart(nodes).mark_point(filled=True, size=90).encode(
        x, y, alt.Color("status:N", title=_("Status"), scale=_status_scale(), legend=LEGEND),
        alt.Shape("sex:N", title=_("Sex"), scale=alt.Scale(domain=sexes, range=["circle", "square"])),
        tooltip=tooltip,
    )
    labels = alt.Chart(nodes).mark_text(align="left", dx=9, fontSize=11).encode(x, y, alt.Text("label:N"), tooltip=tooltip)
    return alt.layer(down, across, cows, labels).properties(height=max(160, 18 * len(nodes) + 40))


@or_empty("the herd")
def herd_chart(herd: pd.DataFrame) -> alt.Chart:
    """Cows in the herd and families reached, at the end of each month."""
    measures = {"herd": _("Cows in the herd"), "families_reached": _("Families reached")}
    long = melt_counts(herd, "day", list(measures), "measure", "count")
    long["measure"] = long["measure"].map(measures)
    lines = alt.Chart(long).mark_line(interpolate="step-after").encode(
        alt.X("day:T", title=None, axis=MONTH_AXIS), alt.Y("count:Q", title=_("Cows / families")),
        alt.Color("measure:N", title=None, scale=alt.Scale(domain=list(measures.values())), legend=LEGEND),
        tooltip=[alt.Tooltip("day:T", title=_("Day"), format="%d %b %Y"), alt.Tooltip("measure:N", title=_("Measure")),
                 alt.Tooltip("count:Q", title=_("Count"))],
    )
    return hidden_counts(lines, long, "count", "day", stacked=False).properties(height=240)


@or_empty("calves born")
def calves_chart(calves: pd.DataFrame) -> alt.Chart:
    data = _readable(calves)
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("year:O", title=None, axis=category_axis(labelAngle=0)), alt.Y("calves:Q", title=_("Calves born")),
        coded_colour("sex", title=_("Sex"), legend=LEGEND),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("sex:N", title=_("Sex")), alt.Tooltip("calves:Q", title=_("Calves born"))])
    return hidden_counts(bars, data, "calves", "year").properties(height=240)


@or_empty("cows")
def generations_chart(generations: pd.DataFrame) -> alt.Chart:
    data = _readable(generations)
    bars = alt.Chart(data).mark_bar().encode(
        alt.X("generation:O", title=_("Generation"), axis=category_axis(labelAngle=0)), alt.Y("cows:Q", title=_("Cows")),
        alt.Color("status:N", title=_("Status"), scale=_status_scale(), legend=LEGEND),
        tooltip=[alt.Tooltip("generation:O", title=_("Generation")), alt.Tooltip("status:N", title=_("Status")),
                 alt.Tooltip("cows:Q", title=_("Cows"))])
    return hidden_counts(bars, data, "cows", "generation").properties(height=240)
