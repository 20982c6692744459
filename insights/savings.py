"""Saving groups and the agricultural cooperative: capital, loans, cash, members."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd

from insights.common import Filters, chart_grain, reads, setting
from insights.small_counts import parts
from schemas.i18n import N_, _
from schemas.ledger import signed_sql
from schemas.savings import LEDGER_DIRECTIONS

TABS = ["savings_groups", "savings_ledger", "settings"]

# Capital is what the members own: money put in and earned, less money taken out. Loans and
# repayments only move cash between the box and the borrowers, so they do not change it.
CAPITAL_SIGN = signed_sql("amount_riel", LEDGER_DIRECTIONS)


def dollars(riel: float, riel_per_usd: float) -> float:
    """Riel in dollars, to the cent, halves rounded up as people (and the report) do: 139,791,300 -> 34,947.83."""
    return float((Decimal(str(riel)) / Decimal(str(riel_per_usd))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def in_currency(frame: pd.DataFrame, currency: str, riel_per_usd: float) -> pd.DataFrame:
    """The frame's money in one currency: in riel its `*_riel` columns (the `*_usd` ones left out); in dollars
    each `*_riel` column as `*_usd` at the rate (the page's riel/dollar switch), to the cent."""
    riel = [c for c in frame.columns if str(c).endswith("_riel")]
    usd = [c for c in frame.columns if str(c).endswith("_usd")]
    if currency == "riel":
        return frame.drop(columns=usd)
    out = frame.drop(columns=usd)
    for column in riel:
        out[column] = out[column].map(lambda v: v if pd.isna(v) else dollars(v, riel_per_usd))
    return out.rename(columns={c: c.removesuffix("_riel") + "_usd" for c in riel})


@reads("savings_groups", "savings_ledger", settings=("riel_per_usd",))
def capital_on(con: duckdb.DuckDBPyConnection, day: dt.date, place: str | None = None) -> dict:
    """Combined capital of every group on a day, in riel and dollars (the report's measure)."""
    groups, params = Filters(day, day, place).where(None, "village_code")
    # The groups' own `kind` column would clash with the ledger's: pick the groups in a subquery.
    riel = con.execute(
        f"""SELECT coalesce(sum({CAPITAL_SIGN}), 0) FROM savings_ledger
            WHERE date <= ? AND group_id IN (SELECT group_id FROM savings_groups WHERE {groups})""",
        [day, *params],
    ).fetchone()[0]
    rate = setting(con, "riel_per_usd")
    return {"riel": float(riel), "usd": dollars(float(riel), rate), "riel_per_usd": rate}


@reads("savings_groups", "villages", counts=("members", "women"), totals=(parts("members", "women"),))
def groups_summary(con: duckdb.DuckDBPyConnection, place: str | None = None, day: dt.date | None = None) -> list[dict]:
    """Groups by kind: how many, members, women members; with `day`, only the groups founded by then
    (a report on 2015 does not count groups founded in 2016)."""
    where, params = Filters(dt.date(1900, 1, 1), dt.date(2999, 12, 31), place).where(None, "village_code")
    if day is not None:
        where += " AND (g.founded_on IS NULL OR g.founded_on <= ?)"
        params.append(day)
    rows = con.execute(
        f"""SELECT kind, count(*), sum(members), sum(female_members),
                   list(DISTINCT v.commune ORDER BY v.commune) FILTER (v.commune IS NOT NULL)
            FROM savings_groups g LEFT JOIN villages v USING (village_code) WHERE {where} GROUP BY kind ORDER BY kind""",
        params,
    ).fetchall()
    return [{"kind": r[0], "groups": r[1], "members": r[2], "women": r[3], "communes": r[4] or []} for r in rows]


# Loans outstanding (principal): loans lent out less principal repaid. Interest is income, kept apart.
LOAN_SIGN = "CASE WHEN kind = 'loan' THEN amount_riel WHEN kind = 'repayment' THEN -amount_riel ELSE 0 END"
# Members' savings: what they deposited less what they withdrew (SAVIX's "savings").
SAVINGS_SIGN = "CASE WHEN kind = 'deposit' THEN amount_riel WHEN kind = 'withdrawal' THEN -amount_riel ELSE 0 END"

# Portfolio at risk. Loans are repaid in monthly instalments, so the next payment falls due one month
# after the loan or after its latest payment (a repayment or interest on it); a loan with principal
# still outstanding is at risk once that payment is more than this many days late.
OVERDUE_DAYS = 30

DEFINITIONS = {
    "capital": N_("Capital = deposits + grants + interest − withdrawals − expenses, from the first entry to the day."),
    "loans_outstanding": N_("Loans outstanding = loans lent − principal repaid (interest is counted as income, not repayment)."),
    "cash_in_hand": N_("Cash in hand = capital − loans outstanding: what the box should hold."),
    "savings_per_member": N_("Savings per member = (deposits − withdrawals) at the period's end ÷ members."),
    "share_borrowing": N_("Members borrowing = households with a loan still outstanding at the period's end ÷ members."),
    "average_loan": N_("Average loan = the mean amount of the loans lent in the period."),
    "return_on_savings": N_("Return on savings = (interest − expenses) in the period ÷ average savings (start and end); grants are donor capital, not earnings."),
    "portfolio_at_risk": N_("Portfolio at risk = principal outstanding on loans with no payment for more than {overdue_days} days after it fell due "
    "(one month after the loan or its latest payment) ÷ all principal outstanding."),
}


def definitions() -> dict[str, str]:
    """DEFINITIONS in the current language."""
    return {key: _(line).format(overdue_days=OVERDUE_DAYS) for key, line in DEFINITIONS.items()}

# The savings ledger and the groups it refers to: a page reading them shows their open errors.


def _usd(con: duckdb.DuckDBPyConnection) -> float:
    return setting(con, "riel_per_usd")


@reads("savings_groups", "savings_ledger")
def loan_book(con: duckdb.DuckDBPyConnection, day: dt.date, place: str | None = None) -> pd.DataFrame:
    """Every loan lent up to `day`: principal, outstanding, last payment, next due date, days overdue, at risk.

    A loan is the `loan` entry; its id is its loan_id (or its entry_id when that is blank). Repayments and
    interest name it in loan_id.
    """
    where, params = Filters(dt.date(1900, 1, 1), day, place).where(None, "g.village_code")
    return con.execute(
        f"""WITH loans AS (
                SELECT l.group_id, coalesce(nullif(trim(l.loan_id), ''), l.entry_id) AS loan_id, l.household_id,
                       l.date AS lent_on, l.amount_riel AS principal
                FROM savings_ledger l JOIN savings_groups g USING (group_id)
                WHERE l.kind = 'loan' AND l.date <= ? AND {where}),
            payments AS (
                SELECT trim(loan_id) AS loan_id, coalesce(sum(amount_riel) FILTER (kind = 'repayment'), 0) AS repaid,
                       max(date) AS last_payment
                FROM savings_ledger WHERE kind IN ('repayment', 'interest') AND date <= ? GROUP BY ALL),
            book AS (
                SELECT loans.*, principal - coalesce(repaid, 0) AS outstanding, last_payment,
                       (coalesce(last_payment, lent_on) + INTERVAL 1 MONTH)::DATE AS next_due
                FROM loans LEFT JOIN payments USING (loan_id))
            SELECT *, greatest(?::DATE - next_due, 0) AS days_overdue,
                   outstanding > 0 AND ?::DATE - next_due > {OVERDUE_DAYS} AS at_risk
            FROM book ORDER BY group_id, lent_on, loan_id""",
        [day, *params, day, day, day],
    ).df()


@reads("savings_groups", "savings_ledger", "villages", counts=("members", "female_members"), shares={"share_women": ("female_members", "members")},
       totals=(parts("members", "female_members"),), settings=("riel_per_usd",))
def groups_on(con: duckdb.DuckDBPyConnection, day: dt.date, place: str | None = None) -> pd.DataFrame:
    """Each group founded by `day`: members, share of women, capital, loans outstanding and cash in hand (riel and $)."""
    where, params = Filters(dt.date(1900, 1, 1), day, place).where(None, "g.village_code")
    frame = con.execute(
        f"""WITH books AS (
                SELECT group_id, sum({CAPITAL_SIGN}) AS capital_riel, sum({LOAN_SIGN}) AS loans_outstanding_riel
                FROM savings_ledger WHERE date <= ? GROUP BY group_id)
            SELECT g.group_id, g.name, g.kind, v.village, v.commune, g.members, g.female_members,
                   g.female_members / nullif(g.members, 0) AS share_women,
                   coalesce(b.capital_riel, 0) AS capital_riel, coalesce(b.loans_outstanding_riel, 0) AS loans_outstanding_riel
            FROM savings_groups g LEFT JOIN villages v USING (village_code) LEFT JOIN books b USING (group_id)
            WHERE g.founded_on <= ? AND {where} ORDER BY g.kind DESC, g.group_id""",
        [day, day, *params],
    ).df()
    frame["cash_in_hand_riel"] = frame["capital_riel"] - frame["loans_outstanding_riel"]
    rate = _usd(con)
    for measure in ("capital", "loans_outstanding", "cash_in_hand"):
        frame[f"{measure}_usd"] = frame[f"{measure}_riel"].map(lambda riel: dollars(riel, rate))
    return frame


@reads("savings_groups", "savings_ledger", settings=("riel_per_usd",))
def capital_over_time(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per group, at the end of each month (or coarser) of the period: capital, loans outstanding, cash in hand.

    Columns: as_of, group_id, name, kind, capital_riel, loans_outstanding_riel, cash_in_hand_riel, capital_usd.
    Entries before the period are carried in as the opening balance.
    """

    group_where, group_params = filters.where(None, "village_code")
    groups = con.execute(f"SELECT count(*) FROM savings_groups WHERE {group_where}", group_params).fetchone()[0]
    grain = chart_grain(filters, series=groups, finest="month")
    frame = con.execute(
        f"""WITH groups AS (SELECT group_id, name, kind, founded_on FROM savings_groups WHERE {group_where}),
            periods AS (
                SELECT period, least(period + INTERVAL 1 {grain} - INTERVAL 1 DAY, ?::DATE)::DATE AS as_of
                FROM (SELECT unnest(generate_series(date_trunc('{grain}', ?::DATE), ?::DATE, INTERVAL 1 {grain}))::DATE AS period)),
            flows AS (
                SELECT group_id, date_trunc('{grain}', greatest(date, ?::DATE))::DATE AS period,
                       sum({CAPITAL_SIGN}) AS capital, sum({LOAN_SIGN}) AS loans
                FROM savings_ledger WHERE date <= ? GROUP BY ALL)
            SELECT p.as_of, g.group_id, g.name, g.kind,
                   sum(coalesce(f.capital, 0)) OVER running AS capital_riel,
                   sum(coalesce(f.loans, 0)) OVER running AS loans_outstanding_riel, g.founded_on
            FROM groups g CROSS JOIN periods p LEFT JOIN flows f ON f.group_id = g.group_id AND f.period = p.period
            WINDOW running AS (PARTITION BY g.group_id ORDER BY p.period)
            QUALIFY g.founded_on <= p.as_of
            ORDER BY p.as_of, g.kind DESC, g.group_id""",
        [*group_params, filters.end, filters.start, filters.end, filters.start, filters.end],
    ).df().drop(columns="founded_on")
    frame["cash_in_hand_riel"] = frame["capital_riel"] - frame["loans_outstanding_riel"]
    rate = _usd(con)
    frame["capital_usd"] = frame["capital_riel"].map(lambda riel: dollars(riel, rate))
    return frame


@reads("savings_groups", "savings_ledger", counts=("members", "borrowers", "loans_lent"),
       shares={"share_borrowing": ("borrowers", "members"), "savings_per_member_riel": ("members",), "average_loan_riel": ("loans_lent",)})
def ratios(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """SAVIX-style ratios per group for the period, then one total row per kind (sums of the parts, not means of ratios).

    Columns: group_id, name, kind, members, savings_start_riel, savings_riel, savings_per_member_riel, borrowers,
    share_borrowing, loans_lent, average_loan_riel, income_riel, return_on_savings, outstanding_riel, at_risk_riel,
    portfolio_at_risk. See DEFINITIONS.
    """
    where, params = filters.where(None, "g.village_code")
    day_before = filters.start - dt.timedelta(days=1)
    parts = con.execute(
        f"""WITH books AS (
                SELECT group_id,
                       sum({SAVINGS_SIGN}) FILTER (date <= ?) AS savings_start_riel,
                       sum({SAVINGS_SIGN}) AS savings_riel,
                       count(*) FILTER (kind = 'loan' AND date >= ?) AS loans_lent,
                       sum(amount_riel) FILTER (kind = 'loan' AND date >= ?) AS lent_riel,
                       sum(CASE WHEN kind = 'interest' THEN amount_riel WHEN kind = 'expense' THEN -amount_riel END)
                           FILTER (date >= ?) AS income_riel
                FROM savings_ledger WHERE date <= ? GROUP BY group_id)
            SELECT g.group_id, g.name, g.kind, g.members,
                   coalesce(b.savings_start_riel, 0) AS savings_start_riel, coalesce(b.savings_riel, 0) AS savings_riel,
                   coalesce(b.loans_lent, 0) AS loans_lent, coalesce(b.lent_riel, 0) AS lent_riel,
                   coalesce(b.income_riel, 0) AS income_riel
            FROM savings_groups g LEFT JOIN books b USING (group_id)
            WHERE g.founded_on <= ? AND {where} ORDER BY g.kind DESC, g.group_id""",
        [day_before, filters.start, filters.start, filters.start, filters.end, filters.end, *params],
    ).df()
    book = loan_book(con, filters.end, filters.place)
    open_loans = book[book["outstanding"] > 0].assign(at_risk_riel=lambda b: b["outstanding"].where(b["at_risk"], 0.0))
    portfolio = open_loans.groupby("group_id").agg(
        borrowers=("household_id", "nunique"), outstanding_riel=("outstanding", "sum"), at_risk_riel=("at_risk_riel", "sum"))
    frame = parts.merge(portfolio, how="left", left_on="group_id", right_index=True)
    frame[["borrowers", "outstanding_riel", "at_risk_riel"]] = frame[["borrowers", "outstanding_riel", "at_risk_riel"]].fillna(0)
    totals = frame.groupby("kind", sort=False).sum(numeric_only=True).reset_index()
    totals["group_id"] = ""
    totals["name"] = totals["kind"].map({"saving_group": _("All saving groups"), "agricultural_cooperative": _("All cooperatives")})
    frame = pd.concat([frame, totals[frame.columns]], ignore_index=True)
    members = frame["members"].where(frame["members"] > 0)
    frame["savings_per_member_riel"] = (frame["savings_riel"] / members).round(0)
    frame["share_borrowing"] = (frame["borrowers"] / members).round(4)
    frame["average_loan_riel"] = (frame["lent_riel"] / frame["loans_lent"].where(frame["loans_lent"] > 0)).round(0)
    average_savings = ((frame["savings_start_riel"] + frame["savings_riel"]) / 2).where(lambda s: s > 0)
    frame["return_on_savings"] = (frame["income_riel"] / average_savings).round(4)
    frame["portfolio_at_risk"] = (frame["at_risk_riel"] / frame["outstanding_riel"].where(frame["outstanding_riel"] > 0)).round(4)
    frame["borrowers"] = frame["borrowers"].astype("int64")
    return frame[["group_id", "name", "kind", "members", "savings_start_riel", "savings_riel", "savings_per_member_riel",
                  "borrowers", "share_borrowing", "loans_lent", "lent_riel", "average_loan_riel", "income_riel",
                  "return_on_savings", "outstanding_riel", "at_risk_riel", "portfolio_at_risk"]]
