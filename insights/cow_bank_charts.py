"""Altair charts of the Cow bank page, drawn from the small frames of insights.cow_bank."""
from __future__ import annotations

import altair as alt
import pandas as pd

from insights.cow_bank import COW_STATUSES

_STATUS_COLOURS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#bcbd22"]  # in COW_STATUSES order
_STATUS_SCALE = alt.Scale(domain=COW_STATUSES, range=_STATUS_COLOURS)


def lineage_chart(nodes: pd.DataFrame, links: pd.DataFrame) -> alt.LayerChart:
    """Family trees: generation left to right, each calf just below its mother, dam → calf as a line."""
    generations = int(nodes["generation"].max()) + 1 if len(nodes) else 1
    x = alt.X("generation:Q", title="Generation (0 = bought by the programme)",
              scale=alt.Scale(domain=[-0.2, generations - 0.2]), axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("row:Q", title=None, scale=alt.Scale(reverse=True, domain=[0, max(len(nodes), 1) + 1]), axis=None)
    # Elbow links (down from the mother, then across to the calf) never cross a label. They share the cows'
    # x and y definitions: layers whose scales or axes differ fail to draw in the browser.
    down = alt.Chart(links).mark_rule(color="#999999").encode(x, y, alt.Y2("calf_row"))
    across = alt.Chart(links).transform_calculate(row="datum.calf_row").mark_rule(color="#999999").encode(x, alt.X2("calf_generation"), y)
    tooltip = [alt.Tooltip("cow_id:N", title="Ear tag"), "sex:N", alt.Tooltip("born_on:T", title="Born"), "status:N",
               alt.Tooltip("holder_village:N", title="Holder's village"), alt.Tooltip("founder_id:N", title="Lineage of")]
    cows = alt.Chart(nodes).mark_point(filled=True, size=90).encode(
        x, y, alt.Color("status:N", title="Status", scale=_STATUS_SCALE),
        alt.Shape("sex:N", title="Sex", scale=alt.Scale(domain=["female", "male"], range=["circle", "square"])),
        tooltip=tooltip,
    )
    labels = alt.Chart(nodes).mark_text(align="left", dx=9, fontSize=11).encode(x, y, alt.Text("label:N"), tooltip=tooltip)
    return alt.layer(down, across, cows, labels).properties(height=max(160, 18 * len(nodes) + 40))


def herd_chart(herd: pd.DataFrame) -> alt.Chart:
    """Cows in the herd and families reached, at the end of each month."""
    return (
        alt.Chart(herd)
        .transform_fold(["herd", "families_reached"], as_=["measure", "count"])
        .mark_line(interpolate="step-after")
        .encode(
            alt.X("day:T", title=None), alt.Y("count:Q", title="Cows / families"),
            alt.Color("measure:N", title=None, scale=alt.Scale(domain=["herd", "families_reached"]), legend=alt.Legend(labelExpr="datum.label == 'herd' ? 'Cows in the herd' : 'Families reached'")),
            tooltip=[alt.Tooltip("day:T", title="Day"), "measure:N", "count:Q"],
        )
        .properties(height=240)
    )


def calves_chart(calves: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(calves)
        .mark_bar()
        .encode(alt.X("year:O", title=None), alt.Y("calves:Q", title="Calves born"), alt.Color("sex:N", title="Sex"), tooltip=["year:O", "sex:N", "calves:Q"])
        .properties(height=240)
    )


def generations_chart(generations: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(generations)
        .mark_bar()
        .encode(alt.X("generation:O", title="Generation"), alt.Y("cows:Q", title="Cows"), alt.Color("status:N", title="Status", scale=_STATUS_SCALE),
                tooltip=["generation:O", "status:N", "cows:Q"])
        .properties(height=240)
    )
