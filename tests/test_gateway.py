"""The read gateway on the demo cache: every insight declares its tabs and is refused otherwise; unknown
roles and tabs are refused; a clinic user's Overview holds the clinic only; viewers get small counts as
"<5" whatever the place; conflicts, save errors and row history are masked; the cache file is 0600."""
from __future__ import annotations

import importlib
import inspect
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from connectors.access import MASK, AccessDenied, User
from connectors.store.refresh import read_check_load
from connectors.sync.request import Conflict
from gateway import figures, masking, reads
from insights import common, overview, overview_charts, prevention
from insights.common import Filters
from insights.small_counts import SmallCount

ROOT = Path(__file__).resolve().parent.parent
ADMIN, EDITOR = User("admin@example.org", "admin"), User("editor@example.org", "editor")
CLINIC, VIEWER = User("clinic@example.org", "clinic"), User("viewer@example.org", "viewer")
# Not figures a page asks for: a helper the declared insights call, and the issue queries gateway.reads
# runs with the user's scope (quality_scope).
NOT_PAGE_FIGURES = {"common.counts_by_period", "common.one_row", "common.per_year_and_village", "quality.issue_counts", "quality.issue_totals", "quality.issue_list",
                    "quality.issue_groups", "quality.row_issues",
                    "quality.open_errors_by_tab"}
INSIGHT_MODULES = ["clinic", "common", "cow_bank", "health_education", "overview", "overview_charts", "prevention", "quality",
                   "rice_bank", "savings", "school_support", "wash"]


def _smallest_village(demo_cache) -> str:
    """A village with a few (1-4) prevention activities in 2017: the case where exact counts identify people."""
    return demo_cache.cursor().execute(
        """SELECT village_code FROM activities WHERE year(date) = 2017 GROUP BY 1 HAVING count(*) BETWEEN 1 AND 4
           ORDER BY count(*), 1 LIMIT 1""").fetchone()[0]


def test_every_insight_that_queries_the_cache_declares_the_tabs_it_reads():
    undeclared = []
    for name in INSIGHT_MODULES:
        module = importlib.import_module(f"insights.{name}")
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or fn_name.startswith("_") or "parts" in vars(fn):
                continue
            if list(inspect.signature(fn).parameters)[:1] == ["con"] and not hasattr(fn, "tabs"):
                undeclared.append(f"{name}.{fn_name}")
    assert set(undeclared) == NOT_PAGE_FIGURES


def test_an_undeclared_insight_an_unknown_role_and_an_unknown_tab_are_refused(demo_cache):
    def undeclared(con):
        return con.execute("SELECT count(*) FROM households").fetchone()[0]

    with pytest.raises(AccessDenied, match="does not declare"):
        figures.figure(demo_cache, ADMIN, undeclared)
    with pytest.raises(AccessDenied, match="role 'superuser'"):
        figures.figure(demo_cache, User("x@example.org", "superuser"), common.places)
    with pytest.raises(AccessDenied, match="nobody signed in"):
        figures.figure(demo_cache, None, common.places)
    undeclared.tabs, undeclared.counts, undeclared.scoped = ("no_such_tab",), (), False
    with pytest.raises(KeyError):
        figures.figure(demo_cache, ADMIN, undeclared)


def test_a_clinic_user_gets_no_other_programmes_figures(demo_cache):
    for insight in (prevention.coverage, prevention.villages_reached):
        with pytest.raises(AccessDenied, match="may not see figures"):
            figures.figure(demo_cache, CLINIC, insight, Filters.year(2017))
    results = figures.figure(demo_cache, CLINIC, overview.year_results, 2017)
    assert set(results) == {"year", "left_out", "settings_refused", "clinic", "health_education"}
    assert set(results["left_out"]) == {"Clinic", "Health education"}  # what other programmes left out is theirs too
    assert list(overview.results_sentences(results)) == ["Clinic", "Health education"]
    assert set(figures.figure(demo_cache, CLINIC, overview_charts.monthly_figures, 2017)) == {"Clinic"}
    assert figures.figure(demo_cache, CLINIC, common.open_errors, tabs=("households", "clinic_visits")) == \
        figures.figure(demo_cache, ADMIN, common.open_errors, tabs=("clinic_visits",))
    years = figures.figure(demo_cache, CLINIC, common.years_with_data)
    assert years == figures.figure(demo_cache, ADMIN, common.years_with_data, tabs=("clinic_visits",))
    assert set(figures.figure(demo_cache, EDITOR, overview.year_results, 2017)) == {"year", "left_out", "settings_refused", "prevention", "savings", "cow_bank", "rice_bank", "school_support", "wash"}


def test_a_viewer_never_gets_an_exact_small_count_for_a_small_village(demo_cache):
    village = _smallest_village(demo_cache)
    place = Filters.year(2017, village)
    exact = figures.figure(demo_cache, ADMIN, prevention.coverage, place)
    assert 1 <= exact["activities"] <= 4  # the admin sees the number...
    shown = figures.figure(demo_cache, VIEWER, prevention.coverage, place)
    assert shown["activities"] == "<5" and f"{shown['activities']:,}" == "<5"  # ...the viewer, in any format
    people = figures.figure(demo_cache, VIEWER, prevention.participants, place)
    assert all(v == "<5" or v == 0 or v >= 5 for k, v in people.items())
    by_month = figures.figure(demo_cache, VIEWER, prevention.activities_by_month, place)
    assert not by_month[list(prevention.PEOPLE)].astype(str).isin(["1", "2", "3", "4"]).any().any()
    assert (by_month["activities_hidden"] == "<5").any() and by_month["activities"][by_month["activities_hidden"].notna()].isna().all()
    results = figures.figure(demo_cache, VIEWER, overview.year_results, 2017, village)
    assert results["prevention"]["activities"] == "<5"
    assert "1 activity" not in " ".join(s for said in overview.results_sentences(results).values() for s in said)
    monthly = figures.figure(demo_cache, VIEWER, overview_charts.monthly_figures, 2017, village)
    assert not monthly["Prevention"]["activities"].astype(str).isin(["1", "2", "3", "4"]).any()


def test_totals_and_counts_a_page_works_out_are_suppressed_too(demo_cache):
    assert figures.count_shown(demo_cache, VIEWER, 3) == "<5" and figures.count_shown(demo_cache, EDITOR, 3) == 3
    assert figures.count_shown(demo_cache, VIEWER, 0) == 0 and figures.count_shown(demo_cache, VIEWER, 12) == 12
    hidden = pd.DataFrame({"donors": [SmallCount("<5"), 7]}, dtype=object)
    assert figures.total_shown(demo_cache, VIEWER, hidden, "donors") == "hidden (small counts)"
    assert figures.total_shown(demo_cache, VIEWER, pd.DataFrame({"donors": [6, 7]}), "donors") == 13


@pytest.mark.usefixtures("tmp_path")
def test_the_threshold_is_the_setting(demo_workbook):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    cache.cursor().execute("DELETE FROM settings WHERE key = 'small_count_threshold'")
    cache.cursor().execute("INSERT INTO settings (key, value) VALUES ('small_count_threshold', '20')")
    assert figures.count_shown(cache, VIEWER, 12) == "<20"


def test_conflicts_mask_personal_data_whole_rows_included():
    conflicts = [Conflict("households", ("HH-0001",), "head_name", "Sok Dara", "Sok Dary", "Sok Darra"),
                 Conflict("households", ("HH-0002",), None, {"head_name": "Chan Thy", "survivor": True, "members": 4},
                          {"head_name": "Chan Thy", "survivor": False, "members": 5}, None),
                 Conflict("households", ("HH-0003",), "members", 4, 5, 6)]
    shown = masking.conflicts_shown(EDITOR, conflicts)
    text = shown.to_csv()
    assert "Sok" not in text and "Chan Thy" not in text and "True" not in text and "False" not in text
    assert shown.loc[0, "Theirs (in the sheet now)"] == MASK
    assert shown.loc[2, ["You started from", "Theirs (in the sheet now)", "Yours"]].tolist() == ["4", "5", "6"]
    assert "members" in shown.loc[1, "You started from"] and "4" in shown.loc[1, "You started from"]
    assert "Sok Dary" in masking.conflicts_shown(ADMIN, conflicts).to_csv()


def test_save_messages_and_outbox_errors_mask_the_values_of_the_save():
    request = {"edits": [["households", ["HH-0001"], "phone", "012 345 678", "012 999 888"],
                         ["households", ["HH-0001"], "members", 4, 5]],
               "appends": {"households": [{"household_id": "HH-0099", "head_name": "Keo Sophal"}]}, "deletes": []}
    values = masking.request_personal_values(EDITOR, request)
    assert values == {"012 345 678", "012 999 888", "Keo Sophal"}
    message = "Row HH-0001: 'Phone' is '012 999 888'; new row: 'Head' Keo Sophal is too long"
    assert masking.message_shown(message, values) == f"Row HH-0001: 'Phone' is '{MASK}'; new row: 'Head' {MASK} is too long"
    assert masking.request_personal_values(ADMIN, request) == set()


def test_other_staffs_emails_are_masked_in_a_rows_history(demo_workbook):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    cache.cursor().execute("""INSERT INTO _audit VALUES (now(), 'admin@example.org', 'households', 'HH-0001', 'members', '4', '5', 'app'),
                                                        (now(), 'editor@example.org', 'households', 'HH-0001', 'members', '5', '6', 'app')""")
    seen = reads.row_history(cache, EDITOR, "households", "HH-0001")
    assert sorted(seen["user"]) == sorted([MASK, "editor@example.org"])
    assert sorted(reads.row_history(cache, ADMIN, "households", "HH-0001")["user"]) == ["admin@example.org", "editor@example.org"]


def test_a_role_the_app_does_not_know_signs_nobody_in(demo_workbook):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    email = cache.cursor().execute("SELECT email FROM users WHERE role = 'viewer' LIMIT 1").fetchone()[0]
    assert reads.user_for(cache, email.upper()) == User(email.upper(), "viewer", reads.user_for(cache, email).name)
    cache.cursor().execute("UPDATE users SET role = 'superuser' WHERE email = ?", [email])
    assert reads.user_for(cache, email) is None
    assert reads.user_for(cache, "stranger@example.com") is None


def test_the_cache_file_and_its_wal_are_created_readable_by_their_owner_only(tmp_path):
    """In a new process with the usual umask (022), looked at while the cache is open: the file, its
    write-ahead log (DuckDB makes it at the first write) and so the outbox and audit trail inside."""
    path = tmp_path / "cache.duckdb"
    script = ("import os, sys, stat, pathlib; os.umask(0o022); sys.path.insert(0, sys.argv[2]);"
              "from connectors.store.cache import Cache; c = Cache(sys.argv[1]);"
              "c.cursor().execute(\"INSERT INTO _outbox VALUES (1, now(), 'a@b.org', '{}', 'pending', NULL)\");"
              "print(sorted((p.name, oct(stat.S_IMODE(p.stat().st_mode))) for p in pathlib.Path(sys.argv[1]).parent.iterdir()))")
    out = subprocess.run([sys.executable, "-c", script, str(path), str(ROOT)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[('cache.duckdb', '0o600'), ('cache.duckdb.wal', '0o600')]"


def test_an_old_world_readable_cache_is_narrowed_to_0600(tmp_path):
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    os.chmod(path, 0o644)
    from connectors.store.cache import Cache

    Cache(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
