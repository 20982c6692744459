"""Rice banks: stock from the ledger, inflows and outflows, loans, lean-season cover.

The definitions are in DEFINITIONS: the Rice bank page states them in the same words.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from insights.common import MAX_CHART_ROWS, Filters, chart_grain, reads, setting
from schemas.i18n import N_, _, ngettext, number
from schemas.ledger import direction_sql, signed_sql
from schemas.rice_bank import RICE_LEDGER_DIRECTIONS

TABS = ["rice_banks", "rice_ledger", "households", "villages", "settings"]

DEFINITIONS = [
    N_("**Stock** = donations + repayments − loans − losses − sales, up to the end of a day."),
    N_("**A loan owes** kg × (1 + the bank's interest %/100); repayments name the loan by its loan ID and pay principal first, then interest."),
    N_("**Due date** = loan date + the loan term in months (set in the settings tab); **overdue** = still owed after the due date, as of the period's end."),
    N_("**Repayment rate** = kg repaid / kg owed, for loans due in the period (repaid as of the period's end)."),
    N_("**Interest earned** = kg repaid beyond the principal, counted in the period it was repaid."),
    N_("**Share of stock out on loan** = outstanding principal / (stock + outstanding principal)."),
    N_("**Lean-season cover** = stock at the period's end / average kg lent per month in the bank's past lean-season months (set in the settings tab); "
    "a bank **cannot cover the coming lean season** when its cover is shorter than the season."),
]


def definitions() -> list[str]:
    """DEFINITIONS in the current language."""
    return [_(line) for line in DEFINITIONS]

# Stock moves with every entry: donations and repayments come in, loans, losses and sales go out.
STOCK_SIGN = signed_sql("kg", RICE_LEDGER_DIRECTIONS)
LEDGER_SIGN = signed_sql("l.kg", RICE_LEDGER_DIRECTIONS, "l.kind")  # the same, on the ledger aliased l
LEDGER_DIRECTION = direction_sql(RICE_LEDGER_DIRECTIONS, "l.kind")

# Rice is weighed to the gram; rounding keeps 100 kg × 1.10 from owing 110.00000000000001 kg for ever.
KG_DECIMALS = 3

# A table (not a chart) still reaches the browser: the page shows at most this many rows and says so.
MAX_TABLE_ROWS = MAX_CHART_ROWS


def _bank_where(filters: Filters, bank_id: str | None, alias: str = "b") -> tuple[str, list]:
    where, params = filters.where(None, f"{alias}.village_code")
    if bank_id:
        where += f" AND {alias}.bank_id = ?"
        params.append(bank_id)
    return where, params


@reads("rice_banks", "rice_ledger")
def stock_on(con: duckdb.DuckDBPyConnection, day: dt.date, place: str | None = None) -> list[dict]:
    """Each bank open by that day: its stock at the end of the day, and its capacity."""
    where, params = Filters(dt.date(1900, 1, 1), day, place).where(None, "b.village_code")
    rows = con.execute(
        f"""SELECT b.bank_id, b.name, b.capacity_kg,
                   coalesce(sum({STOCK_SIGN}) FILTER (l.date <= ?), 0) AS stock_kg
            FROM rice_banks b LEFT JOIN rice_ledger l USING (bank_id)
            WHERE {where} AND (b.established_on IS NULL OR b.established_on <= ?) GROUP BY ALL ORDER BY b.bank_id""",
        [day, *params, day],
    ).fetchall()
    return [{"bank_id": r[0], "name": r[1], "capacity_kg": r[2], "stock_kg": float(r[3])} for r in rows]


@reads("rice_banks", "rice_ledger")
def donations(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    """Rice donated per bank in the period."""
    where, params = filters.where("l.date", "b.village_code")
    rows = con.execute(
        f"""SELECT b.bank_id, b.name, sum(l.kg), min(l.date)
            FROM rice_ledger l JOIN rice_banks b USING (bank_id)
            WHERE l.kind = 'donation' AND {where} GROUP BY ALL ORDER BY b.bank_id""",
        params,
    ).fetchall()
    return [{"bank_id": r[0], "name": r[1], "kg": float(r[2]), "first": r[3]} for r in rows]


@reads(*TABS)
def banks(con: duckdb.DuckDBPyConnection, place: str | None = None) -> pd.DataFrame:
    """The banks in a place, for the bank picker and the capacity rules of the stock chart."""
    where, params = Filters(dt.date.min, dt.date.max, place).where(None, "b.village_code")
    return con.execute(
        f"""SELECT b.bank_id, b.name AS bank, v.village, b.capacity_kg, b.interest_pct, b.established_on
            FROM rice_banks b LEFT JOIN villages v USING (village_code) WHERE {where} ORDER BY b.bank_id""",
        params,
    ).df()


@reads("rice_banks", "rice_ledger")
def rice_stock_by_day(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None) -> pd.DataFrame:
    """Stock per bank at the end of each day of the period (of each week or month when the period is long).

    One row per bank and bucket: `day` is the bucket's last day (or the period's end), `grain` names the
    bucket. Days before a bank was established are left out.
    """
    where, params = _bank_where(filters, bank_id)
    series = con.execute(f"SELECT count(*) FROM rice_banks b WHERE {where}", params).fetchone()[0]
    grain = chart_grain(filters, series, finest="day")
    step = f"INTERVAL 1 {grain}"
    return con.execute(
        f"""WITH picked AS (SELECT bank_id, name, capacity_kg, established_on FROM rice_banks b WHERE {where}),
                 calendar AS (SELECT unnest(generate_series(date_trunc('{grain}', ?::DATE), ?::DATE, {step}))::DATE AS bucket),
                 opening AS (SELECT bank_id, sum({STOCK_SIGN}) AS kg FROM rice_ledger
                             WHERE date < (SELECT min(bucket) FROM calendar) GROUP BY ALL),
                 moves AS (SELECT bank_id, date_trunc('{grain}', date)::DATE AS bucket, sum({STOCK_SIGN}) AS kg FROM rice_ledger
                           WHERE date >= (SELECT min(bucket) FROM calendar) AND date <= ? GROUP BY ALL)
            SELECT least(c.bucket + {step} - INTERVAL 1 DAY, ?::DATE)::DATE AS day, '{grain}' AS grain,
                   p.bank_id, p.name AS bank, p.capacity_kg,
                   round(coalesce(o.kg, 0) + sum(coalesce(m.kg, 0)) OVER (PARTITION BY p.bank_id ORDER BY c.bucket), {KG_DECIMALS}) AS stock_kg
            FROM calendar c CROSS JOIN picked p
                 LEFT JOIN moves m ON m.bank_id = p.bank_id AND m.bucket = c.bucket
                 LEFT JOIN opening o ON o.bank_id = p.bank_id
            QUALIFY p.established_on IS NULL OR day >= p.established_on
            ORDER BY p.bank_id, day LIMIT {MAX_CHART_ROWS}""",
        [*params, filters.start, filters.end, filters.end, filters.end],
    ).df()


@reads("rice_banks", "rice_ledger")
def rice_flows_by_month(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None) -> pd.DataFrame:
    """Kg in (donation, repayment) and out (loan, loss, sale) per month and kind; by quarter or year if long."""
    grain = chart_grain(filters, series=5, finest="month")
    where, params = filters.where("l.date", "b.village_code")
    if bank_id:
        where += " AND b.bank_id = ?"
        params.append(bank_id)
    return con.execute(
        f"""SELECT date_trunc('{grain}', l.date)::DATE AS month, '{grain}' AS grain, l.kind,
                   {LEDGER_DIRECTION} AS direction,
                   round(sum(l.kg), {KG_DECIMALS}) AS kg,
                   round(sum({LEDGER_SIGN}), {KG_DECIMALS}) AS signed_kg
            FROM rice_ledger l JOIN rice_banks b USING (bank_id)
            WHERE {where} GROUP BY ALL ORDER BY month, direction, l.kind LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()


@reads("rice_banks", "rice_ledger")
def ledger_entries(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """The ledger's entries in the period, newest first, at most `limit` of them (no names: household ids)."""
    where, params = filters.where("l.date", "b.village_code")
    if bank_id:
        where += " AND b.bank_id = ?"
        params.append(bank_id)
    return con.execute(
        f"""SELECT l.date, b.name AS bank, l.kind, l.kg,
                   {LEDGER_SIGN} AS stock_change_kg,
                   l.household_id, l.loan_id, l.note, l.entry_id, l._row AS sheet_row
            FROM rice_ledger l JOIN rice_banks b USING (bank_id)
            WHERE {where} ORDER BY l.date DESC, l._row DESC LIMIT ?""",
        [*params, limit],
    ).df()


@reads("rice_banks", "rice_ledger")
def ledger_count(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None) -> int:
    where, params = filters.where("l.date", "b.village_code")
    if bank_id:
        where += " AND b.bank_id = ?"
        params.append(bank_id)
    return con.execute(f"SELECT count(*) FROM rice_ledger l JOIN rice_banks b USING (bank_id) WHERE {where}", params).fetchone()[0]


def _loan_book_sql(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None) -> tuple[str, list]:
    """Every loan made up to the period's end, with what it owes and what was repaid by then (a CTE `book`)."""
    where, params = _bank_where(filters, bank_id)
    term = setting(con, "rice_loan_term_months")
    end = filters.end
    sql = f"""
        loans AS (
            SELECT coalesce(nullif(l.loan_id, ''), l.entry_id) AS loan_id, l.bank_id, b.name AS bank, l.household_id, l.date AS lent_on,
                   l.kg AS kg_lent, coalesce(b.interest_pct, 0) AS interest_pct,
                   round(l.kg * (1 + coalesce(b.interest_pct, 0) / 100), {KG_DECIMALS}) AS owed_kg,
                   (l.date + INTERVAL {term} MONTH)::DATE AS due_on
            FROM rice_ledger l JOIN rice_banks b USING (bank_id)
            WHERE l.kind = 'loan' AND l.date <= ? AND {where}),
        paid AS (
            SELECT loan_id, sum(kg) AS repaid_kg, coalesce(sum(kg) FILTER (date < ?), 0) AS repaid_before_kg, max(date) AS last_repaid_on
            FROM rice_ledger WHERE kind = 'repayment' AND date <= ? AND loan_id IN (SELECT loan_id FROM loans) GROUP BY ALL),
        book AS (
            SELECT loans.*, coalesce(p.repaid_kg, 0) AS repaid_kg, p.last_repaid_on,
                   round(greatest(owed_kg - coalesce(p.repaid_kg, 0), 0), {KG_DECIMALS}) AS still_owed_kg,
                   round(greatest(kg_lent - coalesce(p.repaid_kg, 0), 0), {KG_DECIMALS}) AS principal_out_kg,
                   greatest(coalesce(p.repaid_kg, 0) - kg_lent, 0) - greatest(coalesce(p.repaid_before_kg, 0) - kg_lent, 0) AS interest_in_period_kg,
                   still_owed_kg > 0 AND due_on < ?::DATE AS overdue,
                   CASE WHEN still_owed_kg > 0 AND due_on < ?::DATE THEN date_diff('day', due_on, ?::DATE) END AS days_overdue
            FROM loans LEFT JOIN paid p USING (loan_id))"""
    return sql, [end, *params, filters.start, end, end, end, end]


@reads("rice_banks", "rice_ledger", "households", "villages", settings=("rice_loan_term_months",))
def loan_book(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """Loans still owed at the period's end or lent, due or repaid in it: overdue ones first, then by due date."""
    book, params = _loan_book_sql(con, filters, bank_id)
    return con.execute(
        f"""WITH {book}
            SELECT b.household_id, h.village_code, v.village, b.bank, b.loan_id, b.lent_on, b.kg_lent, b.interest_pct, b.owed_kg,
                   b.repaid_kg, b.still_owed_kg, b.due_on, b.overdue, b.days_overdue
            FROM book b LEFT JOIN households h USING (household_id) LEFT JOIN villages v ON v.village_code = h.village_code
            WHERE b.still_owed_kg > 0 OR b.lent_on >= ? OR b.due_on BETWEEN ? AND ? OR b.last_repaid_on >= ?
            ORDER BY b.overdue DESC, b.days_overdue DESC NULLS LAST, b.due_on, b.loan_id LIMIT ?""",
        [*params, filters.start, filters.start, filters.end, filters.start, limit],
    ).df()


@reads("rice_banks", "rice_ledger", "households", "villages", counts=("loans_open", "overdue_loans"), settings=("rice_loan_term_months",))
def loans_by_household(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """What each household still owes at the period's end: kg lent, repaid, still owed with interest; overdue first."""
    book, params = _loan_book_sql(con, filters, bank_id)
    return con.execute(
        f"""WITH {book}
            SELECT b.household_id, any_value(v.village) AS village, string_agg(DISTINCT b.bank, ', ') AS banks,
                   count(*) AS loans_open, sum(b.kg_lent) AS kg_lent, sum(b.repaid_kg) AS repaid_kg,
                   sum(b.still_owed_kg) AS still_owed_kg, min(b.due_on) AS next_due_on,
                   count(*) FILTER (b.overdue) AS overdue_loans, max(b.days_overdue) AS most_days_overdue
            FROM book b LEFT JOIN households h USING (household_id) LEFT JOIN villages v ON v.village_code = h.village_code
            WHERE b.still_owed_kg > 0 GROUP BY b.household_id
            ORDER BY overdue_loans DESC, most_days_overdue DESC NULLS LAST, next_due_on, b.household_id LIMIT ?""",
        [*params, limit],
    ).df()


@reads("rice_banks", "rice_ledger", counts=("loans_due", "overdue_loans"), settings=("rice_loan_term_months",))
def loan_figures(con: duckdb.DuckDBPyConnection, filters: Filters, bank_id: str | None = None) -> dict:
    """The period's loan figures: lent, repaid, repayment rate, interest earned, share of stock out on loan."""
    book, params = _loan_book_sql(con, filters, bank_id)
    row = con.execute(
        f"""WITH {book}
            SELECT coalesce(sum(kg_lent) FILTER (lent_on >= ?), 0), count(*) FILTER (due_on BETWEEN ? AND ?),
                   coalesce(sum(owed_kg) FILTER (due_on BETWEEN ? AND ?), 0),
                   coalesce(sum(least(repaid_kg, owed_kg)) FILTER (due_on BETWEEN ? AND ?), 0),
                   coalesce(sum(interest_in_period_kg), 0), coalesce(sum(principal_out_kg), 0), coalesce(sum(still_owed_kg), 0),
                   count(*) FILTER (overdue), coalesce(sum(still_owed_kg) FILTER (overdue), 0)
            FROM book""",
        [*params, filters.start, *[filters.start, filters.end] * 3],
    ).fetchone()
    lent, due, owed_due, repaid_due, interest, principal_out, still_owed, overdue, overdue_kg = row
    where, bank_params = _bank_where(filters, bank_id)
    repaid, stock = con.execute(
        f"""SELECT coalesce(sum(l.kg) FILTER (l.kind = 'repayment' AND l.date >= ?), 0), coalesce(sum({STOCK_SIGN}), 0)
            FROM rice_ledger l JOIN rice_banks b USING (bank_id) WHERE l.date <= ? AND {where}""",
        [filters.start, filters.end, *bank_params],
    ).fetchone()
    stock = round(float(stock), KG_DECIMALS)
    principal_out = round(float(principal_out), KG_DECIMALS)
    return {
        "lent_kg": float(lent), "repaid_kg": float(repaid),
        "loans_due": due, "owed_due_kg": float(owed_due), "repaid_due_kg": float(repaid_due),
        "repayment_rate": float(repaid_due) / float(owed_due) if owed_due else None,
        "interest_earned_kg": round(float(interest), KG_DECIMALS),
        "stock_kg": stock, "principal_out_kg": principal_out, "still_owed_kg": float(still_owed),
        "share_on_loan": principal_out / (stock + principal_out) if stock + principal_out > 0 else None,
        "overdue_loans": overdue, "overdue_kg": float(overdue_kg),
    }


@reads("rice_banks", "rice_ledger", "villages", counts=("overdue_loans",), settings=("rice_loan_term_months", "rice_lean_months"))
def bank_status(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per bank at the period's end: stock, capacity, loans out, lean-season cover, and its alerts."""
    book, book_params = _loan_book_sql(con, filters, None)
    where, params = filters.where(None, "b.village_code")
    lean_months = setting(con, "rice_lean_months")
    frame = con.execute(
        f"""WITH {book},
            picked AS (SELECT b.*, v.village FROM rice_banks b LEFT JOIN villages v USING (village_code) WHERE {where}),
            stock AS (SELECT bank_id, coalesce(sum({STOCK_SIGN}), 0) AS kg, min(date) AS first_entry FROM rice_ledger WHERE date <= ? GROUP BY ALL),
            out AS (SELECT bank_id, sum(principal_out_kg) AS principal_out_kg, count(*) FILTER (overdue) AS overdue_loans,
                           sum(still_owed_kg) FILTER (overdue) AS overdue_kg FROM book GROUP BY ALL),
            -- every complete month of the bank's life up to the period's end that falls in the lean season
            lean AS (SELECT p.bank_id, unnest(generate_series(date_trunc('month', coalesce(p.established_on, s.first_entry)),
                                                              date_trunc('month', ?::DATE), INTERVAL 1 MONTH))::DATE AS month
                     FROM picked p LEFT JOIN stock s USING (bank_id) WHERE coalesce(p.established_on, s.first_entry) IS NOT NULL),
            lent AS (SELECT bank_id, date_trunc('month', date)::DATE AS month, sum(kg) AS kg FROM rice_ledger
                     WHERE kind = 'loan' AND date <= ? GROUP BY ALL),
            lean_lending AS (SELECT m.bank_id, count(*) AS lean_months_seen, avg(coalesce(l.kg, 0)) AS kg_per_lean_month
                             FROM lean m LEFT JOIN lent l USING (bank_id, month)
                             WHERE list_contains(?, month(m.month)) AND m.month + INTERVAL 1 MONTH <= ?::DATE + INTERVAL 1 DAY
                             GROUP BY ALL)
            SELECT p.bank_id, p.name AS bank, p.village, p.capacity_kg, p.interest_pct,
                   round(coalesce(s.kg, 0), {KG_DECIMALS}) AS stock_kg,
                   round(coalesce(o.principal_out_kg, 0), {KG_DECIMALS}) AS principal_out_kg,
                   coalesce(o.overdue_loans, 0) AS overdue_loans, round(coalesce(o.overdue_kg, 0), {KG_DECIMALS}) AS overdue_kg,
                   coalesce(ll.lean_months_seen, 0) AS lean_months_seen, round(ll.kg_per_lean_month, 1) AS kg_per_lean_month
            FROM picked p LEFT JOIN stock s USING (bank_id) LEFT JOIN out o USING (bank_id) LEFT JOIN lean_lending ll USING (bank_id)
            ORDER BY p.bank_id""",
        [*book_params, *params, filters.end, filters.end, filters.end, lean_months, filters.end],
    ).df()
    season = len(lean_months)
    frame["share_on_loan"] = (frame["principal_out_kg"] / (frame["stock_kg"] + frame["principal_out_kg"])).where(
        frame["stock_kg"] + frame["principal_out_kg"] > 0
    )
    lending = frame["kg_per_lean_month"].where(frame["kg_per_lean_month"] > 0)
    frame["lean_cover_months"] = (frame["stock_kg"] / lending).round(1)
    frame["over_capacity"] = frame["stock_kg"] > frame["capacity_kg"]
    frame["cannot_cover_lean_season"] = frame["lean_cover_months"] < season
    frame["alerts"] = [
        _alerts(row, season) for row in frame.itertuples(index=False)
    ]
    return frame


def _alerts(bank, season: int) -> str:
    alerts = []
    if bank.cannot_cover_lean_season:
        alerts.append(_("cannot cover the coming lean season ({cover} of {season} months)").format(cover=f"{bank.lean_cover_months:g}", season=season))
    if bank.over_capacity:
        alerts.append(_("over capacity ({stock} of {capacity} kg)").format(stock=number(bank.stock_kg), capacity=number(bank.capacity_kg)))
    if bank.overdue_loans:
        alerts.append(ngettext("{n} overdue loan ({kg} kg)", "{n} overdue loans ({kg} kg)", bank.overdue_loans).format(
            n=bank.overdue_loans, kg=number(bank.overdue_kg)))
    return "; ".join(alerts)
