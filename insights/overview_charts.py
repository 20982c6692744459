"""One small chart per programme for the Overview and the donor pack: month by month through the chosen
year. Each is drawn from its frame as the gateway returned it, so a count hidden for viewers (and in the
pack) is written as its mark ("<5") where its bar would be, and the bars shown keep their numbers."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import altair as alt
import duckdb
import pandas as pd

from insights import clinic, cow_bank, prevention, rice_bank, savings
from insights.chart_parts import LEGEND, coded_colour, empty_chart, hidden_counts, top_n, with_labels
from insights.common import Filters, Registered, counts_by_period, reads
from insights.rice_bank import STOCK_SIGN
from insights.savings import CAPITAL_SIGN
from schemas.i18n import gettext as _
from schemas.programme import resolve
from schemas.registry import site

# Month ends of the year, for the running totals (capital, stock).
MONTHS = "(SELECT unnest(generate_series(make_date(?, 1, 1), make_date(?, 12, 1), INTERVAL 1 MONTH))::DATE AS month)"


@reads(*prevention.TABS, counts=("activities",))
def prevention_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    return counts_by_period(con, "activities", "kind", "activities", period, "month")


@reads(*clinic.TABS, counts=("visits",))
def clinic_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    return counts_by_period(con, "clinic_visits", "care", "visits", period, "month")


@reads(*savings.TABS)
def savings_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    groups_where, groups_params = period.where(None, "g.village_code")
    return con.execute(
        f"""SELECT m.month, coalesce(sum({CAPITAL_SIGN}), 0) AS capital_riel
            FROM {MONTHS} m LEFT JOIN (
                SELECT l.date, l.kind, l.amount_riel FROM savings_ledger l JOIN savings_groups g USING (group_id) WHERE {groups_where}
            ) l ON l.date < m.month + INTERVAL 1 MONTH
            GROUP BY ALL ORDER BY 1""",
        [period.start.year, period.start.year, *groups_params],
    ).df()


@reads(*cow_bank.TABS, counts=("events",))
def cow_bank_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    events_where, events_params = period.where("e.date", "c.village_code")
    return con.execute(
        f"""SELECT date_trunc('month', e.date) AS month, e.kind, count(*) AS events
            FROM cow_events e JOIN cows c USING (cow_id) WHERE {events_where} GROUP BY ALL ORDER BY 1""",
        events_params,
    ).df()


@reads(*rice_bank.TABS)
def rice_bank_months(con: duckdb.DuckDBPyConnection, period: Filters) -> pd.DataFrame:
    banks_where, banks_params = period.where(None, "b.village_code")
    return con.execute(
        f"""SELECT m.month, b.name AS bank, coalesce(sum({STOCK_SIGN}) FILTER (l.date < m.month + INTERVAL 1 MONTH), 0) AS stock_kg
            FROM {MONTHS} m JOIN rice_banks b ON b.established_on IS NULL OR b.established_on < m.month + INTERVAL 1 MONTH
            LEFT JOIN rice_ledger l ON l.bank_id = b.bank_id
            WHERE {banks_where} GROUP BY ALL ORDER BY 1""",
        [period.start.year, period.start.year, *banks_params],
    ).df()


# One insight per programme (from the registry's overview parts), so the gateway leaves out the programmes
# a role may not read.
PARTS: Mapping[str, Callable] = Registered(lambda: ((c.title, resolve(c.figures)) for c in site.overview_parts()))
_DRAW: Mapping[str, Callable] = Registered(lambda: ((c.title, resolve(c.draw)) for c in site.overview_parts()))


def monthly_figures(con: duckdb.DuckDBPyConnection, year: int, place: str | None = None,
                    parts: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Aggregated in SQL: at most a few dozen rows per programme reach the browser. `parts`: only these programmes."""
    period = Filters.year(year, place)
    return {name: part(con, period) for name, part in PARTS.items() if parts is None or name in parts}


monthly_figures.parts = PARTS  # type: ignore[attr-defined]

def _months(title: str | None) -> alt.X:
    """January to December, each a band whether anything happened in it or not (a year is always the same
    twelve months), named in the language of the page being drawn (the theme's time locale)."""
    return alt.X("month:O", timeUnit="month", title=title, scale=alt.Scale(domain=[alt.DateTime(month=m) for m in range(1, 13)]),
                 axis=alt.Axis(format="%b", labelAngle=0, labelOverlap=True))


def _month() -> alt.X:
    return _months(None)


def _month_end() -> alt.X:  # titles are read when drawn: in the language of the page being drawn
    return _months(_("Month end"))


def _bars(frame: pd.DataFrame, measure: str, title: str, category: str, category_title: str) -> alt.Chart | alt.LayerChart:
    bars = alt.Chart(frame).mark_bar().encode(
        _month(), alt.Y(f"{measure}:Q", title=title, stack="zero"), coded_colour(category, title=category_title, legend=LEGEND),
        tooltip=[alt.Tooltip("month:T", title=_("Month"), format="%B %Y"), alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{measure}:Q", title=title)])
    return hidden_counts(bars, frame, measure, "month")


def prevention_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return _bars(with_labels(frame, {"kind": "activities.kind"}), "activities", _("Activities"), "kind", _("Kind"))


def clinic_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return _bars(with_labels(frame, None), "visits", _("Patients assessed (visits)"), "care", _("Care"))


def savings_chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(with_labels(frame, None)).mark_line(point=True).encode(
        _month_end(), alt.Y("capital_riel:Q", title=_("Capital (riel)")),
        tooltip=[alt.Tooltip("month:T", title=_("Month end"), format="%B %Y"), alt.Tooltip("capital_riel:Q", title=_("Capital (riel)"), format=",.0f")])


def cow_bank_chart(frame: pd.DataFrame) -> alt.Chart | alt.LayerChart:
    return _bars(with_labels(frame, {"kind": "cow_events.kind"}), "events", _("Events"), "kind", _("Event"))


def rice_bank_chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(top_n(with_labels(frame, None), "bank", "stock_kg", by=("month",))).mark_line(point=True).encode(
        _month_end(), alt.Y("stock_kg:Q", title=_("Stock (kg)")), alt.Color("bank:N", title=_("Bank"), legend=LEGEND),
        tooltip=[alt.Tooltip("month:T", title=_("Month end"), format="%B %Y"), alt.Tooltip("bank:N", title=_("Bank")),
                 alt.Tooltip("stock_kg:Q", title=_("Stock (kg)"), format=",.0f")])


# What each programme's chart counts, for its empty state ("No records for prevention activities ...").
EMPTY = {"Prevention": "prevention activities", "Clinic": "clinic visits", "Savings groups": "savings groups",
         "Cow bank": "cow bank events", "Rice bank": "rice banks"}


def programme_charts(figures: dict[str, pd.DataFrame]) -> dict[str, alt.Chart]:
    """Charts keyed by programme; their data carries labels, legends hold at most a few entries, and a
    programme with nothing in the year gets its empty-state sentence."""
    return {name: (draw(figures[name]) if len(figures[name]) else empty_chart(EMPTY.get(name, name.lower()))).properties(height=180)
            for name, draw in _DRAW.items() if name in figures}


def results_table(sentences: dict[str, list[str]]) -> pd.DataFrame:
    """The Overview's statements as rows, for its CSV download."""
    return pd.DataFrame([{"programme": p, "result": s} for p, lines in sentences.items() for s in lines])
