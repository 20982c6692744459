"""What every programme's insights share: the filters of a dashboard, and settings read from the cache.

Insights are pure: a DuckDB connection (or cursor) and plain values in, small DataFrames or dicts out.
They never import Streamlit and never call a source.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import duckdb
import pandas as pd

from schemas.registry import TABS, site
from schemas.registry import tab as registered_tab
from schemas.settings import spec as setting_spec

F = TypeVar("F", bound=Callable[..., Any])


class RegisteredTabs(Sequence):
    """Tab names taken from the registry each time they are read, for an insight whose tabs are "every
    registered tab with a period" and the like: a tab registered later (a plug-in, a test) is included."""

    def __init__(self, choose: Callable[[], Iterable[str]]) -> None:
        self._choose = choose

    def _names(self) -> tuple[str, ...]:
        return tuple(self._choose())

    def __getitem__(self, index):  # type: ignore[override]
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"RegisteredTabs{self._names()!r}"


class Registered(Mapping):
    """A table read from the registry each time it is used (name -> value, from `entries()`), so a part
    registered later is included."""

    def __init__(self, entries: Callable[[], Iterable[tuple[str, Any]]]) -> None:
        self._entries = entries

    def __getitem__(self, key: str) -> Any:
        return dict(self._entries())[key]

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._entries()))

    def __len__(self) -> int:
        return len(dict(self._entries()))


def reads(*tabs: str | RegisteredTabs, counts: Iterable[str] = (), shares: Iterable[str] | Mapping[str, tuple] = (),
          totals: Iterable[Any] = (), scoped: bool = False, settings: Iterable[str] = ()) -> Callable[[F], F]:
    """Declares what an insight reads, for the read gateway (gateway.figures), which refuses an insight
    that declares nothing and checks the user's role for every tab named here before running it.

    `counts`: the columns (or dict keys) holding counts of people or events - shown as "<5" to viewers
    when small. `shares`: the columns (or keys) holding a share worked out from those counts - hidden
    beside a hidden count, since the share would give the count back (a mapping share -> its counts: hidden
    only when one of those is). `totals`: which counts are parts of which (insights.small_counts.Parts), so
    that none gives a hidden count back by subtraction. `scoped`: the insight takes `tabs=` and the gateway
    passes only the tabs the user may read (a figure that spans programmes, like the years with data),
    instead of refusing the whole figure. `settings`: the programme settings (schemas.settings) the figure
    uses - where one is refused in the sheet, its note says the default was used (insights.left_out);
    declaring one declares the settings tab."""
    settings = tuple(settings)
    for key in settings:
        setting_spec(key)  # an undeclared setting: KeyError at import, not a wrong figure later
    if settings and "settings" not in tabs and not (len(tabs) == 1 and isinstance(tabs[0], RegisteredTabs)):
        tabs = (*tabs, "settings")
    if len(tabs) == 1 and isinstance(tabs[0], RegisteredTabs):
        declared: Sequence[str] = tabs[0]
    else:
        unknown = [t for t in tabs if t not in {registered.name for registered in TABS}]
        if unknown:
            raise KeyError(f"@reads names tabs that are not registered: {', '.join(unknown)}")
        declared = tuple(tabs)  # type: ignore[arg-type]

    def declare(fn: F) -> F:
        fn.tabs = declared  # type: ignore[attr-defined]
        fn.counts = tuple(counts)  # type: ignore[attr-defined]
        fn.shares = dict(shares) if isinstance(shares, Mapping) else tuple(shares)  # type: ignore[attr-defined]
        fn.totals = tuple(totals)  # type: ignore[attr-defined]
        fn.scoped = scoped  # type: ignore[attr-defined]
        fn.settings = settings  # type: ignore[attr-defined]
        return fn
    return declare


# Chart data is aggregated in SQL before it leaves DuckDB; no chart may get more rows than this.
MAX_CHART_ROWS = 5000
# The year's months (its parameters: the year, twice), for running totals at each month's end (capital, stock).
YEAR_MONTHS = "(SELECT unnest(generate_series(make_date(?, 1, 1), make_date(?, 12, 1), INTERVAL 1 MONTH))::DATE AS month)"

# Time buckets, finest first, with their length in days.
GRAINS = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.31, "year": 365.25}


@dataclass(frozen=True)
class Filters:
    """A dashboard's period and place. A place code may be any gazetteer level (2, 4, 6 or 8 digits)."""

    start: dt.date
    end: dt.date
    place: str | None = None

    @classmethod
    def year(cls, year: int, place: str | None = None) -> Filters:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), place)

    def where(self, date_column: str | None, village_column: str | None) -> tuple[str, list[Any]]:
        """A SQL condition (and its parameters) for rows in the period and place."""
        parts: list[str] = []
        params: list[Any] = []
        if date_column:
            parts.append(f"{date_column} BETWEEN ? AND ?")
            params += [self.start, self.end]
        if village_column and self.place:
            parts.append(f"starts_with({village_column}, ?)")
            params.append(self.place)
        return (" AND ".join(parts) or "TRUE"), params


# What the period filters span: every registered tab that declares a period column (schemas.registry).
YEAR_TABS = RegisteredTabs(lambda: (t.name for t in site.dated_tabs()))


def chart_grain(filters: Filters, series: int = 1, finest: str = "week") -> str:
    """The finest time bucket (from `finest` up) for which periods x series stays within MAX_CHART_ROWS."""
    days = (filters.end - filters.start).days + 1
    names = list(GRAINS)
    for grain in names[names.index(finest):]:
        # +2: a period that starts or ends mid-bucket touches one more bucket at each end.
        if (days / GRAINS[grain] + 2) * max(series, 1) <= MAX_CHART_ROWS:
            return grain
    return "year"


def counts_by_period(con: duckdb.DuckDBPyConnection, table: str, category: str, count_name: str,
                     filters: Filters, grain: str) -> pd.DataFrame:
    """Rows of a tab per time bucket and category (visits per week and site, say), counted in SQL.

    The time column is named after its grain ("week", "month", ...), so a CSV says what it holds."""
    where, params = filters.where("date", "village_code")
    return con.execute(
        f"""SELECT date_trunc('{grain}', date)::DATE AS "{grain}", {category}, count(*) AS {count_name}
            FROM {table} WHERE {where} GROUP BY ALL ORDER BY 1, {category}""",
        params,
    ).df()


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict:
    """The single row of an aggregate query as {column: Python value} (ints stay ints, blanks None)."""
    cursor = con.execute(sql, params)
    row = cursor.fetchone()
    return dict(zip((d[0] for d in cursor.description), row, strict=True))


def per_year_and_village(con: duckdb.DuckDBPyConnection, rows: str, params: list[Any], measures: str) -> pd.DataFrame:
    """`measures` (aggregates) over the rows of the query `rows` (with year and village_code), per year and
    village: year, village, commune, district, then the measures."""
    return con.execute(
        f"""SELECT r.year, v.village, v.commune, v.district, {measures}
            FROM ({rows}) r LEFT JOIN villages v USING (village_code)
            GROUP BY ALL ORDER BY r.year, v.district, v.commune, v.village LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()


@reads("settings",)
def setting(con: duckdb.DuckDBPyConnection, key: str, floor: Any = None) -> Any:
    """A programme setting, typed, as every figure uses it: the settings tab's value read by the setting's
    own rule (schemas.settings), or its default where the tab has none or the rule refuses it (validation
    reported that at its cell, and the figures' notes say it: insights.left_out). `floor`: an admin's value
    for a privacy setting (the gateway passes it). The first row of a key counts, as in validation."""
    row = con.execute("SELECT value FROM main.settings WHERE key = ? ORDER BY _row LIMIT 1", [key]).fetchone()
    return setting_spec(key).read(row[0] if row else None, floor).value


@reads(RegisteredTabs(site.names), scoped=True)
def open_errors(con: duckdb.DuckDBPyConnection, tabs: tuple[str, ...] = ()) -> int:
    """Open validation errors in these tabs (the dashboards show it, linking to Data quality)."""
    if not tabs:
        return 0
    marks = ", ".join("?" for _ in tabs)
    return con.execute(f"SELECT count(*) FROM _issues WHERE severity = 'error' AND tab IN ({marks})", list(tabs)).fetchone()[0]


@reads(YEAR_TABS, scoped=True)
def years_with_data(con: duckdb.DuckDBPyConnection, tabs: Sequence[str] = YEAR_TABS) -> list[int]:
    """The years with dated rows in these tabs (each by the period column its registration declares)."""
    tabs = tuple(t for t in tabs if t in YEAR_TABS)
    if not tabs:
        return []
    union = " UNION ".join(f'SELECT year("{registered_tab(t).period}") AS y FROM "{t}"' for t in tabs)
    return [r[0] for r in con.execute(f"SELECT DISTINCT y FROM ({union}) WHERE y IS NOT NULL ORDER BY y").fetchall()]


@reads(YEAR_TABS, scoped=True)
def default_year(con: duckdb.DuckDBPyConnection, tabs: Sequence[str] = YEAR_TABS) -> int | None:
    """The period every page opens on: the latest year with data (None before the first refresh)."""
    years = years_with_data(con, tabs)
    return years[-1] if years else None


@reads("villages",)
def places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The gazetteer (small): for the place filters of every dashboard."""
    return con.execute(
        """SELECT province_code, province, district_code, district, commune_code, commune, village_code, village
           FROM villages ORDER BY province, district, commune, village"""
    ).df()
