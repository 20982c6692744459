"""Roles, through the real runtime (AppTest, signed in as each demo user) and through the read and write
paths directly: a viewer sees no personal data in any page or download and cannot write; a clinic user
cannot read households; an unknown e-mail sees only the refusal; an admin's view of households is audited;
viewers see small village counts as "<5"."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from connectors import sync
from connectors.access import MASK, AccessDenied, User
from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from connectors.sync import CellEdit
from gateway import reads
from schemas.registry import TABS
from tests.factories import EMAIL, PAGES, frames, signed_in, texts
from ui import table_editor as te
from ui.auth import ROLE_NAMES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def personal_values(demo_frames) -> set[str]:
    """Names, phones and patient codes in the demo data (long enough to search for without chance hits)."""
    values: set[str] = set()
    for tab in TABS:
        frame = demo_frames.get(tab.name)
        if frame is None or tab.programme == "admin":
            continue
        for spec in tab.columns:
            if spec.pii and spec.kind == "text" and spec.name in frame:
                values.update(str(v) for v in frame[spec.name].dropna().unique() if len(str(v)) >= 6)
    examples = " ".join(c.description for t in TABS for c in t.columns)  # "e.g. P-004211" in a column's help
    values = {v for v in values if v not in examples}
    assert len(values) > 100
    return values


# --- the write path -----------------------------------------------------------------------------

def test_a_viewers_write_is_refused_by_the_write_path_and_nothing_is_written(demo_copy):
    before = demo_copy.read_bytes()
    cache = Cache(":memory:")
    source = WorkbookSource(demo_copy)
    read_check_load(cache, source)
    viewer = User(EMAIL["viewer"], "viewer")
    row = cache.cursor().execute("SELECT household_id, members FROM households ORDER BY _row LIMIT 1").fetchone()
    for user, tab, key, column, old in [(viewer, "households", row[0], "members", row[1]),
                                        (User(EMAIL["clinic"], "clinic"), "households", row[0], "members", row[1]),
                                        (User(EMAIL["editor"], "editor"), "users", EMAIL["viewer"], "role", "viewer")]:
        edit = sync.save(cache, source, user, [CellEdit(tab, (key,), column, old, 99 if column == "members" else "admin")])
        assert edit.status == sync.REFUSED and f"Your role ({user.role}) may not change" in edit.message
        assert sync.save(cache, source, user, appends={tab: [{"household_id": "HH-9999"}]}).status == sync.REFUSED
    assert demo_copy.read_bytes() == before
    assert cache.cursor().execute("SELECT count(*) FROM _outbox").fetchone()[0] == 0
    assert cache.cursor().execute("SELECT count(*) FROM _audit WHERE via <> 'view'").fetchone()[0] == 0


# --- the read path ------------------------------------------------------------------------------

def test_a_clinic_user_cannot_read_households_through_the_read_path(demo_cache):
    clinic = User(EMAIL["clinic"], "clinic")
    for call in (lambda: reads.read_tab(demo_cache, clinic, "households"),
                 lambda: reads.count_rows(demo_cache, clinic, "households"),
                 lambda: te.rows(demo_cache.cursor(), clinic, te.TableQuery("households")),
                 lambda: reads.row_history(demo_cache, clinic, "households", "HH-0001"),
                 lambda: reads.issues(demo_cache.cursor(), clinic, "households")):
        with pytest.raises(AccessDenied):
            call()
    visits = reads.read_tab(demo_cache.cursor(), clinic, "clinic_visits", limit=5)
    assert len(visits) == 5 and visits["patient_code"].str.startswith("P-").all()  # their own pseudonymous codes


def test_every_view_of_a_tab_with_personal_data_is_audited_whoever_looks(demo_workbook):
    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(demo_workbook))
    admin, viewer = User(EMAIL["admin"], "admin"), User(EMAIL["viewer"], "viewer")
    shown = reads.read_tab(cache, admin, "households", limit=10)
    assert shown["head_name"].ne(MASK).all()
    masked = reads.read_tab(cache, viewer, "households", limit=10)
    assert masked["head_name"].eq(MASK).all() and masked["phone"].isin([MASK, None]).all()
    reads.read_tab(cache, viewer, "villages")  # no personal data: no entry
    reads.read_tab(cache, viewer, "households", limit=10)  # the same view again (a rerun): still one entry
    trail = cache.cursor().execute('SELECT "user", tab, via, new FROM _audit ORDER BY "at"').fetchall()
    assert [(u, t, v) for u, t, v, _ in trail] == [(EMAIL["admin"], "households", "view"), (EMAIL["viewer"], "households", "view")]
    assert "personal data shown" in trail[0][3] and "personal data masked" in trail[1][3]


# --- the runtime, per role ----------------------------------------------------------------------

@pytest.mark.usefixtures("app_env")
def test_an_unknown_email_sees_nothing_but_the_refusal(downloads):
    at = signed_in("stranger@example.com")
    assert [w.value for w in at.warning] and "not on the list" in at.warning[0].value
    assert not at.dataframe and not at.metric and not downloads
    assert [t.value for t in at.title] == ["CCPCR Back Office"]
    assert "Sok Dara" not in texts(at) and "Data quality" not in texts(at)


@pytest.mark.usefixtures("app_env")
def test_nobody_signed_in_sees_only_the_sign_in_button():
    at = signed_in(None)
    assert at.button(key="sign_in") and not at.dataframe and not at.metric


@pytest.mark.parametrize("role", ["admin", "editor", "clinic", "viewer"])
@pytest.mark.usefixtures("app_env")
def test_each_role_gets_its_pages(role):
    at = signed_in(EMAIL[role])
    assert f"Signed in as {EMAIL[role]} ({ROLE_NAMES[role]})" in "\n".join(c.value for c in at.sidebar.caption)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    at.switch_page("pages/sync.py").run()  # hidden from non-admins; opened anyway, its data function refuses
    assert ("Sync & history" in [t.value for t in at.title]) == (role == "admin")
    if role != "admin":
        assert any("Only an admin" in e.value for e in at.error) and not at.dataframe


@pytest.mark.usefixtures("app_env")
def test_a_clinic_user_is_not_offered_households_on_the_tables_page():
    at = signed_in(EMAIL["clinic"])
    at.switch_page("pages/tables.py").run()
    assert not at.exception, at.exception
    options = at.selectbox(key="tables_tab").options
    assert set(options) == {"Clinic visits", "Ambulance trips", "Health education"} or set(options) == {"clinic_visits", "ambulance_trips", "health_education"}


def test_an_admins_view_of_households_leaves_an_audit_entry(app_env):
    at = signed_in(EMAIL["admin"])
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("households").run()
    assert not at.exception, at.exception
    con = duckdb.connect(str(app_env["cache"]))
    rows = con.execute("""SELECT "user", via FROM _audit WHERE tab = 'households'""").fetchall()
    assert (EMAIL["admin"], "view") in rows
    at.switch_page("pages/sync.py").run()
    assert not at.exception, at.exception
    trail = [f for f in frames(at) if "Via" in f.columns]  # shown under the columns' titles, tabs by their titles
    assert trail and (trail[0]["Tab"] == "Households").any() and (trail[0]["Via"] == "view").any()


@pytest.mark.usefixtures("app_env")
def test_a_viewer_sees_no_personal_data_in_any_page_or_download(downloads, personal_values):
    at = signed_in(EMAIL["viewer"])
    seen = [texts(at)]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen.append(texts(at))
    at.switch_page("pages/tables.py").run()
    for tab in ("Households", "Clinic visits", "Migration checks"):
        at.selectbox(key="tables_tab").set_value(next(n for n in at.selectbox(key="tables_tab").options if n in (tab, tab.lower().replace(" ", "_")))).run()
        assert not at.exception, at.exception
        shown = texts(at)
        seen.append(shown)
        for frame in frames(at):
            for column in ("head_name", "phone", "survivor", "patient_code"):
                if column in frame.columns:
                    assert set(frame[column].dropna()) <= {MASK}, (tab, column)
    assert downloads, "the dashboards offer CSV downloads"
    everything = "\n".join(seen) + "\n".join(d.decode("utf-8") for d in downloads)
    leaked = sorted(v for v in personal_values if v in everything)
    assert not leaked, leaked[:10]


@pytest.mark.usefixtures("app_env")
def test_viewers_see_small_village_counts_as_below_five(downloads):
    def village_csvs(email):
        downloads.clear()
        at = signed_in(email)
        at.switch_page("pages/prevention.py").run()
        assert not at.exception, at.exception
        prevention = [pd.read_csv(io.BytesIO(d), dtype=str) for d in downloads]
        villages = next(f for f in prevention if {"Village code", "Activities"} <= set(f.columns))  # downloads: titles
        at.switch_page("pages/clinic.py").run()
        clinic = next(f for f in frames(at) if {"Village", "Visits", "Patients"} <= set(f.columns))
        return villages, clinic

    villages, clinic = village_csvs(EMAIL["viewer"])
    assert (villages["Activities"] == "<5").any()
    assert not villages["Activities"].isin(["1", "2", "3", "4"]).any()
    assert not clinic[["Visits", "Patients", "New patients"]].astype(str).isin(["1", "2", "3", "4"]).any().any()
    villages, clinic = village_csvs(EMAIL["admin"])
    assert not (villages["Activities"] == "<5").any() and villages["Activities"].isin(["1", "2", "3", "4"]).any()
