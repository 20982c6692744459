"""Pieces every dashboard shows: the period and place filters, the open-error count, what a figure left
out, the CSV download. Their data comes through the gateway (ui.state.query), like every figure."""
from __future__ import annotations

import datetime as dt
import functools
import numbers
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from connectors.config import setting
from gateway.figures import count_shown, total_shown
from insights.common import Filters, default_year, open_errors, places, years_with_data
from insights.export import safe_csv
from insights.left_out import PRIVACY_SETTINGS, left_out, settings_read, settings_refused, tabs_read
from schemas.formats import compact, display_frame, download_frame, exact, title
from schemas.i18n import N_, _, current_language, language, ngettext, number
from ui.markdown import literal
from ui.state import cache, query, signed_in_user
from ui.table_cells import date_input_format

_LEVELS = [("province", "province_code", N_("Province")), ("district", "district_code", N_("District")),
           ("commune", "commune_code", N_("Commune")), ("village", "village_code", N_("Village"))]


def place_picker(key: str, container=None) -> str | None:
    """Province -> district -> commune -> village; returns the most precise code chosen (or None)."""
    box = container or st
    gazetteer: pd.DataFrame = query(places)
    chosen: str | None = None
    columns = box.columns(len(_LEVELS))
    for (label, code_column, level_title), column in zip(_LEVELS, columns, strict=False):
        options = gazetteer if chosen is None else gazetteer[gazetteer[code_column].str.startswith(chosen)]
        names = options[[code_column, label]].drop_duplicates().sort_values(label)
        codes = [None, *names[code_column].tolist()]
        labels = dict(zip(names[code_column], names[label], strict=True))
        picked = column.selectbox(_(level_title), codes, key=f"{key}_{label}", format_func=lambda c, labels=labels: _("All") if c is None else labels[c])
        if picked is None:
            break
        chosen = picked
    return chosen


def dashboard_filters(key: str) -> Filters:
    """A year (or a custom date range) and a place, laid out at the top of a dashboard."""
    years = query(years_with_data) or [dt.date.today().year]
    left, right = st.columns([1, 2])
    custom = _("Custom range")
    choices = [str(y) for y in years] + [custom]
    latest = query(default_year)
    period = left.selectbox(_("Period"), choices, index=years.index(latest) if latest in years else len(years) - 1, key=f"{key}_period")
    if period == custom:
        picked = right.date_input(_("From – to"), (dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)), key=f"{key}_range",
                                  format=date_input_format(setting("date_order")))  # typed in the sheet's date order
        # While a person is still choosing, the widget holds only the start: keep the year's end.
        start, end = (picked[0], picked[-1]) if isinstance(picked, (tuple, list)) and picked else (dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    else:
        start, end = dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
    with st.expander(_("Place"), expanded=False):
        place = place_picker(f"{key}_place")
    return Filters(start, end, place)


def open_errors_notice(tabs: list[str]) -> None:
    """How many open errors the tabs behind this view have, with a link to fix them."""
    count = query(open_errors, tabs=tuple(tabs))
    if count:
        label = ngettext("{count} open error in the tabs behind this page — see Data quality",
                         "{count} open errors in the tabs behind this page — see Data quality", count).format(count=number(count))
        st.page_link("pages/data_quality.py", label=label, icon=":material/warning:")
    else:
        st.caption(_("No open errors in the tabs behind this page."))
    settings_note(PRIVACY_SETTINGS)  # every page hides small counts by them


def left_out_note(*figures, container=None) -> None:
    """Under a figure: what of the tabs behind it the figure could not use (rows with errors, a missing tab
    or column, a setting refused so its default was used), so a figure copied into a report never hides
    that it is short. `figures`: the insights that computed it (marked with @reads) or tab names."""
    box = container or st
    for item in query(left_out, tabs=tabs_read(*figures), settings=settings_read(*figures)):
        box.caption(f":material/warning: {literal(item.sentence())}")


def settings_note(keys: tuple[str, ...], container=None) -> None:
    """Under a figure: each of these settings whose value in the settings tab was refused, and the default
    the figure used instead (for a figure that reads settings through validation, like policy breaches)."""
    box = container or st
    for item in query(settings_refused, tuple(keys)):
        box.caption(f":material/warning: {literal(item.sentence())}")


def csv_download(frame: pd.DataFrame, name: str, what: str, key: str, tab=None) -> None:
    """A download for people: column titles and labels as on screen, dates ISO and numbers plain so a
    spreadsheet still sorts and sums them (schemas.formats.download_frame). The button says in words what
    the file holds (`what`, translated: "clinic visits by site"); `name` is the file's name, `name`.csv.

    The file is written when the button is clicked, not on every rerun (a dashboard has a dozen of them):
    from this frame, which the gateway already returned for this user, in the language of this run."""
    frame, speaking = frame.copy(), current_language()

    def written() -> bytes:
        with language(speaking):  # Streamlit calls this on a thread of its own, outside this run
            return safe_csv(download_frame(frame, tab))

    file_download(written, _("Download {name} (CSV)").format(name=what), f"{name}.csv", "text/csv", key)


def file_download(data: bytes | Callable[[], bytes], label: str, file_name: str, mime: str, key: str, rerun: bool = True) -> None:
    """Every download of the app: a CSV through csv_download (safe_csv), or a donor pack's file (reports/,
    whose XLSX keeps text starting with "=" as text). `data`: the bytes, or what writes them when clicked.
    `rerun=False`: clicking does not run the page again."""
    st.download_button(label, data, file_name=file_name, mime=mime, key=key, on_click="rerun" if rerun else "ignore")


def altair_chart(container, chart, **options) -> Any:
    """An Altair chart, drawn without Altair checking its spec against the Vega-Lite JSON schema again:
    that check was a third of a dashboard's rerun (the charts are the same on every rerun), and every
    spec the pages send is validated once in tests/test_dashboards_at_scale.py."""
    # The chart fills the column's width, while its height stays the plot's own: Streamlit's theme fits the
    # height too, and a legend under the chart would then squash the plot to a sliver.
    chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))  # Altair's own setattr would make it a spec property
    return container.altair_chart(chart, width=options.pop("width", "stretch"), **options)


def table(frame: pd.DataFrame, container=None, tab=None, percent: tuple[str, ...] = (), column_config: dict | None = None,
          **options) -> None:
    """A table as people read it: column titles, labels for codes, blanks blank, dates "dd Mon yyyy",
    numbers grouped (schemas.formats.display_frame). `column_config` is keyed by the frame's own columns."""
    box = container or st
    shown = _shown(frame, tab if tab is None or isinstance(tab, str) else tab.name, tuple(percent), current_language())
    config = {title(name, tab): value for name, value in (column_config or {}).items()}
    box.dataframe(shown, hide_index=True, width=options.pop("width", "stretch"), column_config=config or None, **options)


@st.cache_data(show_spinner=False, max_entries=256)
def _shown(frame: pd.DataFrame, tab: str | None, percent: tuple[str, ...], speaking: str) -> pd.DataFrame:
    """display_frame, remembered by the frame's content: a table of the same rows (already what the gateway
    let this user see) is written cell by cell in words only once, not on every rerun."""
    with language(speaking):
        return display_frame(frame, tab, percent=percent)


# Headline figures wrap rather than end in "…" (Khmer words are long: "118.4 លាន ៛" in a quarter of a page),
# and scale down a little on narrow screens. Streamlit's own style truncates a metric to one line.
METRIC_STYLE = """<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere;
  line-height: 1.25; font-size: clamp(1.5rem, 2.4vw, 2.25rem);
}
[data-testid="stMetricLabel"] p { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def page_style() -> None:
    """The app's few style rules, once per run (app.py)."""
    st.html(METRIC_STYLE)


def metric(container, label: str, value, unit: str = "", help: str | None = None) -> None:
    """A headline figure in a compact form that never truncates ("118.4 M ៛"), the exact figure in its help;
    never a delta arrow. A text value (a share, a masked "<5") shows as it is."""
    numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
    shown = compact(value, unit) if numeric or value is None else str(value)
    detail = exact(value, unit) if numeric and shown != exact(value, unit) else ""
    container.metric(label, shown, help=" · ".join(part for part in (detail, help) if part) or None)


def count(value: int):
    """A count the page worked out from a figure (rows of a kind, say), as the user may see it ("<5" for viewers)."""
    return count_shown(cache(), signed_in_user(), value)


def total(frame: pd.DataFrame, column: str):
    """A column's total as the user may see it (hidden when a part of it is)."""
    return total_shown(cache(), signed_in_user(), frame, column)
