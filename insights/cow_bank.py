"""The cow bank: grants, calves born, pass-ons, lineages and the families' pass-on obligations.

The definitions are in DEFINITIONS: the Cow bank page states them in the same words.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from insights.common import MAX_CHART_ROWS, Filters, chart_grain, reads, setting
from insights.quality import written
from insights.small_counts import parts
from schemas.i18n import N_, _, day, ngettext, number

TABS = ["cows", "cow_events", "households", "villages", "settings"]

# Months a family gets, after a calf is due, to find the next family and hand it over.
OVERDUE_GRACE_MONTHS = 3

DEFINITIONS = [
    N_("**Founder**: a cow the programme bought (no mother's ear tag); **generation** = steps down from its founder."),
    N_("**Status** at the period's end: died, sold, passed on (a calf handed to the next family), with a family (granted, or a calf still with its mother's family), in the bank (never handed out)."),
    N_("**Holder** = the family of the cow's latest grant or pass-on, else its mother's holder; the village shown is the holder's."),
    N_("**Pass-on obligation**: a family granted a cow owes that cow's first calves (by birth date; how many is set in the settings tab) to other families."),
    N_("A calf is **growing** until it reaches the pass-on age set in the settings tab, **due** from that day, and **overdue** when still not passed on "
    "{grace_months} months later; a calf that died or was sold before being passed on is shown as such."),
    N_("**Herd** = cows born and not yet died or sold; **families reached** = households granted a cow or given a calf."),
]


def definitions() -> list[str]:
    """DEFINITIONS in the current language."""
    return [_(line).format(grace_months=OVERDUE_GRACE_MONTHS) for line in DEFINITIONS]

# The statuses the SQL below computes (its codes), each read in the reader's language where shown: _(status).
COW_STATUSES = [N_("with a family"), N_("passed on"), N_("sold"), N_("died"), N_("in the bank")]
OBLIGATION_STATUSES = [N_("not yet born"), N_("growing"), N_("due"), N_("overdue"), N_("passed on"), N_("calf died"), N_("calf sold")]

# Founders (a blank or unknown mother) and their descendants, one generation per step. A cow that is its
# own ancestor (a validation error) is never reached from a founder, and the depth guard stops any loop.
_TREE = """
    WITH RECURSIVE
    events AS (
        SELECT cow_id,
               min(date) FILTER (kind = 'died') AS died_on, min(date) FILTER (kind = 'sold') AS sold_on,
               min(date) FILTER (kind = 'passed_on') AS passed_on_on, min(date) FILTER (kind = 'granted') AS granted_on,
               arg_max(household_id, date) FILTER (kind IN ('granted', 'passed_on')) AS own_holder
        FROM cow_events WHERE date <= ? GROUP BY cow_id),
    tree AS (
        SELECT c.cow_id, c.cow_id AS founder_id, 0 AS generation, c.dam_id,
               strftime(coalesce(c.born_on, DATE '1900-01-01'), '%Y%m%d') || c.cow_id AS path, e.own_holder AS holder
        FROM cows c LEFT JOIN events e USING (cow_id)
        WHERE c.dam_id IS NULL OR NOT EXISTS (SELECT 1 FROM cows d WHERE d.cow_id = c.dam_id)
        UNION ALL
        SELECT c.cow_id, t.founder_id, t.generation + 1, c.dam_id,
               t.path || '/' || strftime(coalesce(c.born_on, DATE '1900-01-01'), '%Y%m%d') || c.cow_id, coalesce(e.own_holder, t.holder)
        FROM tree t JOIN cows c ON c.dam_id = t.cow_id LEFT JOIN events e ON e.cow_id = c.cow_id
        WHERE t.generation < 60),
    herd AS (
        SELECT t.cow_id, t.founder_id, t.generation, t.dam_id, t.path, c.sex, c.born_on, t.holder AS holder_household,
               coalesce(hv.village_code, c.village_code) AS holder_village_code, coalesce(v.village, bv.village) AS holder_village,
               f.village_code AS founder_village_code,
               CASE WHEN e.died_on IS NOT NULL THEN 'died' WHEN e.sold_on IS NOT NULL THEN 'sold'
                    WHEN e.passed_on_on IS NOT NULL THEN 'passed on' WHEN t.holder IS NOT NULL THEN 'with a family'
                    ELSE 'in the bank' END AS status
        FROM tree t JOIN cows c USING (cow_id) JOIN cows f ON f.cow_id = t.founder_id LEFT JOIN events e USING (cow_id)
             LEFT JOIN households hv ON hv.household_id = t.holder LEFT JOIN villages v ON v.village_code = hv.village_code
             LEFT JOIN villages bv ON bv.village_code = c.village_code
        WHERE c.born_on <= ?)"""


def _herd(filters: Filters, where: str = "TRUE") -> tuple[str, list]:
    place, params = filters.where(None, "founder_village_code")
    return _TREE + f", picked AS (SELECT * FROM herd WHERE {place} AND {where})", [filters.end, filters.end, *params]


@reads("cows", "cow_events", "households", "villages", counts=("granted", "granted_families", "born", "passed_on", "founders", "born_total", "herd"),
       totals=(parts("herd", "founders", "born_total", complete=True),))
def summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Cows granted, calves born and calves passed on in the period, and the herd at its end."""
    ev_where, ev_params = filters.where("e.date", "c.village_code")
    born_where, born_params = filters.where("born_on", "village_code")
    granted, granted_families, passed = con.execute(
        f"""SELECT count(*) FILTER (e.kind = 'granted'), count(DISTINCT e.household_id) FILTER (e.kind = 'granted'),
                   count(*) FILTER (e.kind = 'passed_on')
            FROM cow_events e JOIN cows c USING (cow_id) WHERE {ev_where}""",
        ev_params,
    ).fetchone()
    born = con.execute(f"SELECT count(*) FROM cows WHERE dam_id IS NOT NULL AND {born_where}", born_params).fetchone()[0]
    place_where, place_params = filters.where(None, "village_code")
    founders, born_total = con.execute(
        f"""SELECT count(*) FILTER (dam_id IS NULL), count(*) FILTER (dam_id IS NOT NULL)
            FROM cows WHERE born_on <= ? AND {place_where}""",
        [filters.end, *place_params],
    ).fetchone()
    villages = con.execute(
        f"""SELECT list(DISTINCT v.village ORDER BY v.village) FILTER (v.village IS NOT NULL),
                   list(DISTINCT v.commune ORDER BY v.commune) FILTER (v.commune IS NOT NULL)
            FROM cow_events e JOIN households h USING (household_id) JOIN villages v ON v.village_code = h.village_code
            WHERE e.kind = 'granted' AND {ev_where.replace('c.village_code', 'h.village_code')}""",
        ev_params,
    ).fetchone()
    return {
        "granted": granted, "granted_families": granted_families, "born": born, "passed_on": passed,
        "founders": founders, "born_total": born_total, "herd": founders + born_total,
        "grant_villages": villages[0] or [], "grant_communes": villages[1] or [],
    }


@reads("cows", "cow_events", "households", "villages", counts=("cows",))
def founders(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The founding cows (for the lineage selector), with the size of each one's family tree."""
    sql, params = _herd(filters)
    return con.execute(
        f"""{sql} SELECT founder_id, count(*) AS cows, max(generation) AS generations,
                   any_value(holder_village) FILTER (generation = 0) AS village
            FROM picked GROUP BY founder_id ORDER BY founder_id""",
        params,
    ).df()


@reads("cows", "cow_events", "households", "villages")
def lineage(con: duckdb.DuckDBPyConnection, filters: Filters, founder_id: str | None = None) -> dict[str, pd.DataFrame]:
    """The family trees at the period's end, laid out for a chart: `nodes` (one per cow) and `links` (dam → calf).

    `row` puts every calf just below its mother (depth-first order), so a tree reads top to bottom. Whole
    lineages are kept while they fit in MAX_CHART_ROWS; `truncated` says when some were left out.
    """
    sql, params = _herd(filters, "founder_id = ?" if founder_id else "TRUE")
    if founder_id:
        params.append(founder_id)
    nodes = con.execute(
        f"""{sql},
            sizes AS (SELECT founder_id, count(*) AS n, min(path) AS first_path FROM picked GROUP BY ALL),
            kept AS (SELECT founder_id FROM (SELECT founder_id, sum(n) OVER (ORDER BY first_path) AS running,
                                                    row_number() OVER (ORDER BY first_path) AS rank FROM sizes)
                     WHERE running <= {MAX_CHART_ROWS} OR rank = 1)
            SELECT row_number() OVER (ORDER BY path) AS row, cow_id, founder_id, generation, dam_id, sex, born_on, status,
                   holder_household, holder_village,
                   cow_id || ' ' || CASE sex WHEN 'female' THEN 'F' WHEN 'male' THEN 'M' ELSE '?' END
                          || ' · ' || coalesce(holder_village, '?') AS label
            FROM picked WHERE founder_id IN (SELECT founder_id FROM kept)
            ORDER BY path LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()
    total = con.execute(f"{sql} SELECT count(*) FROM picked", params).fetchone()[0]
    rows = nodes.set_index("cow_id")["row"]
    calves = nodes[nodes["dam_id"].isin(rows.index)]
    links = pd.DataFrame({
        "dam_id": calves["dam_id"].to_numpy(), "calf_id": calves["cow_id"].to_numpy(),
        "generation": calves["generation"].to_numpy() - 1, "calf_generation": calves["generation"].to_numpy(),
        "row": rows.reindex(calves["dam_id"]).to_numpy(), "calf_row": calves["row"].to_numpy(),
    })
    return {"nodes": nodes, "links": links, "truncated": total > len(nodes)}


@reads("cows", "cow_events", counts=("cows",))
def generations(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Cows per generation at the period's end (its last row is the generation depth), by status."""
    sql, params = _herd(filters)
    return con.execute(
        f"""{sql} SELECT generation, status, count(*) AS cows FROM picked GROUP BY ALL ORDER BY generation, status""",
        params,
    ).df()


@reads("cows", counts=("calves",))
def calves_by_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Calves born per year, by sex, in every year up to the period's end: a trend needs the years before it."""
    where, params = filters.where(None, "village_code")
    return con.execute(
        f"""SELECT year(born_on) AS year, sex, count(*) AS calves FROM cows
            WHERE dam_id IS NOT NULL AND born_on <= ? AND {where} GROUP BY ALL ORDER BY year, sex LIMIT {MAX_CHART_ROWS}""",
        [filters.end, *params],
    ).df()


@reads("cows", "cow_events", counts=("herd", "families_reached"))
def herd_over_time(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """At the end of each month of the period (quarter or year when long): cows in the herd (born, not
    died or sold) and families reached (granted a cow or given a calf), both counted from the start."""
    grain = chart_grain(filters, series=1, finest="month")
    step = f"INTERVAL 1 {grain}"
    place, params = filters.where(None, "c.village_code")
    return con.execute(
        f"""WITH calendar AS (SELECT unnest(generate_series(date_trunc('{grain}', ?::DATE), ?::DATE, {step}))::DATE AS bucket),
                 changes AS (
                     SELECT c.born_on AS date, 1 AS cows, 0 AS families FROM cows c WHERE {place}
                     UNION ALL
                     SELECT min(e.date), -1, 0 FROM cow_events e JOIN cows c USING (cow_id)
                     WHERE e.kind IN ('died', 'sold') AND {place} GROUP BY e.cow_id
                     UNION ALL
                     SELECT min(e.date), 0, 1 FROM cow_events e JOIN cows c USING (cow_id)
                     WHERE e.kind IN ('granted', 'passed_on') AND e.household_id IS NOT NULL AND {place} GROUP BY e.household_id),
                 opening AS (SELECT coalesce(sum(cows), 0) AS cows, coalesce(sum(families), 0) AS families FROM changes
                             WHERE date < (SELECT min(bucket) FROM calendar)),
                 moves AS (SELECT date_trunc('{grain}', date)::DATE AS bucket, sum(cows) AS cows, sum(families) AS families
                           FROM changes WHERE date >= (SELECT min(bucket) FROM calendar) AND date <= ? GROUP BY ALL)
            SELECT least(k.bucket + {step} - INTERVAL 1 DAY, ?::DATE)::DATE AS day, '{grain}' AS grain,
                   (o.cows + sum(coalesce(m.cows, 0)) OVER (ORDER BY k.bucket))::BIGINT AS herd,
                   (o.families + sum(coalesce(m.families, 0)) OVER (ORDER BY k.bucket))::BIGINT AS families_reached
            FROM calendar k CROSS JOIN opening o LEFT JOIN moves m USING (bucket)
            ORDER BY day LIMIT {MAX_CHART_ROWS}""",
        [filters.start, filters.end, *params, *params, *params, filters.end, filters.end],
    ).df()


@reads("cows", "cow_events", "households", "villages", settings=("cow_pass_on_calves", "cow_pass_on_min_age_months"))
def pass_on_obligations(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per granted family and calf number (1 .. cow_pass_on_calves), as things stood at the period's end."""
    calves_owed = setting(con, "cow_pass_on_calves")
    min_age = setting(con, "cow_pass_on_min_age_months")
    place, params = filters.where(None, "c.village_code")
    end = filters.end
    return con.execute(
        f"""WITH grants AS (
                SELECT e.event_id, e.date AS granted_on, e.cow_id, e.household_id FROM cow_events e JOIN cows c USING (cow_id)
                WHERE e.kind = 'granted' AND e.date <= ? AND {place}),
            calves AS (
                SELECT g.event_id, c.cow_id AS calf_id, c.born_on,
                       row_number() OVER (PARTITION BY g.event_id ORDER BY c.born_on, c.cow_id) AS calf_number
                FROM grants g JOIN cows c ON c.dam_id = g.cow_id WHERE c.born_on <= ?),
            fates AS (
                SELECT cow_id AS calf_id, min(date) FILTER (kind = 'died') AS died_on, min(date) FILTER (kind = 'sold') AS sold_on,
                       min(date) FILTER (kind = 'passed_on') AS passed_on_on,
                       arg_min(household_id, date) FILTER (kind = 'passed_on') AS passed_to
                FROM cow_events WHERE date <= ? GROUP BY cow_id),
            numbered AS (
                SELECT g.*, n.calf_number, k.calf_id, k.born_on,
                       CASE WHEN k.born_on IS NOT NULL THEN date_sub('month', k.born_on, ?::DATE) END AS age_months,
                       (k.born_on + INTERVAL {min_age} MONTH)::DATE AS due_on, f.passed_on_on, f.passed_to, f.died_on, f.sold_on
                FROM grants g CROSS JOIN (SELECT unnest(range(1, {calves_owed} + 1)) AS calf_number) n
                     LEFT JOIN calves k ON k.event_id = g.event_id AND k.calf_number = n.calf_number
                     LEFT JOIN fates f ON f.calf_id = k.calf_id)
            SELECT o.event_id, o.household_id, hv.village, o.cow_id, o.granted_on, o.calf_number, o.calf_id, o.born_on,
                   o.age_months, o.due_on,
                   CASE WHEN o.calf_id IS NULL THEN 'not yet born'
                        WHEN o.passed_on_on IS NOT NULL THEN 'passed on'
                        WHEN o.died_on IS NOT NULL THEN 'calf died'
                        WHEN o.sold_on IS NOT NULL THEN 'calf sold'
                        WHEN o.due_on > ?::DATE THEN 'growing'
                        WHEN o.due_on + INTERVAL {OVERDUE_GRACE_MONTHS} MONTH >= ?::DATE THEN 'due'
                        ELSE 'overdue' END AS status,
                   o.passed_on_on, o.passed_to, tv.village AS passed_to_village, o.died_on, o.sold_on
            FROM numbered o LEFT JOIN households h ON h.household_id = o.household_id LEFT JOIN villages hv ON hv.village_code = h.village_code
                 LEFT JOIN households t ON t.household_id = o.passed_to LEFT JOIN villages tv ON tv.village_code = t.village_code
            ORDER BY o.granted_on, o.event_id, o.calf_number""",
        [end, *params, end, end, end, end, end],
    ).df()


def describe_obligation(row: pd.Series) -> str:
    """One cell of the per-family table: the calf's status in a few words, in the reader's language."""
    status = row["status"]
    if status == "not yet born":
        return _("not yet born")
    calf = row["calf_id"]
    if status == "growing":
        return ngettext("{calf}: growing, {n} month old", "{calf}: growing, {n} months old", int(row["age_months"])).format(
            calf=calf, n=number(int(row["age_months"])))
    if status == "due":
        return _("{calf}: due since {day}").format(calf=calf, day=day(row["due_on"]))
    if status == "overdue":
        return _("{calf}: overdue since {day}").format(calf=calf, day=day(row["due_on"]))
    if status == "passed on":
        to = row["passed_to"] or "?"
        where = row["passed_to_village"] if isinstance(row["passed_to_village"], str) else None
        template = _("{calf}: passed on {day} to {family} ({village})") if where else _("{calf}: passed on {day} to {family}")
        return template.format(calf=calf, day=day(row["passed_on_on"]), family=to, village=where)
    if status == "calf died":
        return _("{calf}: died {day} before being passed on").format(calf=calf, day=day(row["died_on"]))
    return _("{calf}: sold {day} before being passed on").format(calf=calf, day=day(row["sold_on"]))


@reads("cows", "cow_events", "households", "villages", settings=("cow_pass_on_calves", "cow_pass_on_min_age_months"))
def pass_on_by_family(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The obligations as the page shows them: one row per granted family, one column per calf owed; the
    families with an overdue calf first."""
    long = pass_on_obligations(con, filters)
    if long.empty:
        return pd.DataFrame(columns=["household_id", "village", "cow_id", "granted_on", "worst"])
    long["text"] = long.apply(describe_obligation, axis=1)
    wide = long.pivot(index="event_id", columns="calf_number", values="text")
    wide.columns = [f"calf_{n}" for n in wide.columns]
    rank = {"overdue": 0, "due": 1, "calf sold": 2, "calf died": 3, "growing": 4, "not yet born": 5, "passed on": 6}
    worst = long.assign(rank=long["status"].map(rank)).groupby("event_id")["rank"].min()
    heads = long.drop_duplicates("event_id").set_index("event_id")[["household_id", "village", "cow_id", "granted_on"]]
    out = heads.join(wide).assign(worst=worst.map({v: _(k) for k, v in rank.items()}), _rank=worst)
    return out.sort_values(["_rank", "granted_on"]).drop(columns="_rank").reset_index(drop=True)


@reads(*TABS, settings=("cow_pass_on_calves", "cow_pass_on_min_age_months", "cow_dam_min_age_months", "cow_calving_interval_days"))
def policy_breaches(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Open cow-bank policy issues from validation, with the cow they concern (from every row, `main.`: an
    issue's own row is one the figures leave out)."""
    place, params = filters.where(None, "k.village_code")
    return written(con.execute(
        f"""SELECT i.severity, i.rule, coalesce(e.cow_id, c.cow_id) AS cow_id, i.tab, i.cell, i.message, i.link,
                   i."row", i."column", i.shown, i.params
            FROM _issues i
                 LEFT JOIN main.cow_events e ON i.tab = 'cow_events' AND e._row = i."row"
                 LEFT JOIN main.cows c ON i.tab = 'cows' AND c._row = i."row"
                 LEFT JOIN main.cows k ON k.cow_id = coalesce(e.cow_id, c.cow_id)
            WHERE i.rule LIKE 'cow.%' AND (k.cow_id IS NULL OR {place})
            ORDER BY i.severity, i.tab, i."row" LIMIT {MAX_CHART_ROWS}""",
        params,
    ).df()).drop(columns=["row", "column"])  # messages written now, in the reader's language
