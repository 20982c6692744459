"""The gateway proven under the real runtime: signed in as each role (and as an unknown e-mail), every page
is rendered - the Tables page on every tab it offers, a row's history included - and everything sent to
the browser is collected: texts, dataframes, the data inside every chart (the Vega-Lite datasets) and
every download. It holds no personal value the role may not see (names, phones, survivor flags, patient
codes, other staff's e-mails); a clinic user gets no other programme's figures, Overview included; and a
viewer who picks a small village in the place filter gets no exact count below the threshold."""
from __future__ import annotations

import importlib
import inspect
import io

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from connectors.access import MASK, User, can_read, sees_personal_data
from connectors.store.refresh import read_check_load
from schemas.formats import title
from schemas.issues import a1
from schemas.registry import TABS
from schemas.rules import RULES
from tests.factories import EMAIL, PAGES, signed_in, type_in_cells

DASHBOARDS = {"pages/overview.py": "overview_place", "pages/rice_bank.py": "rice_place", "pages/cow_bank.py": "cow_place",
              "pages/clinic.py": "clinic_place", "pages/savings.py": "savings_place", "pages/prevention.py": "prevention_place"}
# Metrics that count people or events (the others count villages, groups, generations...).
COUNT_METRICS = ("Activities", "Women", "Men", "Children", "Authorities trained", "Parents", "Teachers", "Village chiefs",
                 "Patients assessed", "Hospitalised", "Out-patients", "Mobile check-ups", "Calves born", "Calves passed on",
                 "Overdue pass-ons", "Members", "Overdue loans", "Cows by")


def _declared_counts() -> set[str]:
    names: set[str] = set()
    for module_name in ("clinic", "cow_bank", "overview_charts", "prevention", "rice_bank", "savings"):
        module = importlib.import_module(f"insights.{module_name}")
        for _name, fn in inspect.getmembers(module, inspect.isfunction):
            names.update(getattr(fn, "counts", ()))
    return names


class Sent:
    """Everything one session sent to the browser."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.frames: list[pd.DataFrame] = []
        self.metrics: list[tuple[str, str]] = []

    def collect(self, at, downloads: list[bytes]) -> None:
        for node in at._tree:
            kind = type(node).__name__
            proto = getattr(node, "proto", None)
            if kind == "Dataframe":
                self.frames.append(node.value)
            elif kind == "Metric":
                self.metrics.append((node.label, str(node.value)))
            if proto is not None and type(proto).__name__ == "VegaLiteChart":
                self.texts.append(proto.spec)
                for dataset in proto.datasets:
                    self.frames.append(pa.ipc.open_stream(dataset.data.data).read_pandas())
                if proto.HasField("data") and proto.data.data:
                    self.frames.append(pa.ipc.open_stream(proto.data.data).read_pandas())
            elif proto is not None:
                self.texts.append(str(proto))
        for data in downloads:
            self.frames.append(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))
        downloads.clear()

    def everything(self) -> str:
        return "\n".join(self.texts) + "\n".join(frame.to_csv() for frame in self.frames)


def _personal_values(demo_frames, user: User) -> set[str]:
    """The personal values `user` may not see: personal-data text of the tabs masked for them, and every
    other staff member's e-mail (staff names are not searched: staff appear by name in their work, as an
    activity's facilitator, say)."""
    values: set[str] = set()
    for tab in TABS:
        frame = demo_frames.get(tab.name)
        if frame is None or sees_personal_data(user, tab):
            continue
        for spec in tab.columns:
            if spec.pii and spec.kind == "text" and spec.name in frame and (tab.name, spec.name) != ("users", "name"):
                values.update(str(v) for v in frame[spec.name].dropna().unique() if len(str(v)) >= 6)
    values.discard(user.email)
    # A head's name can also be a facilitator's (the demo reuses names): what a readable column shows openly is no leak.
    for tab in TABS:
        frame = demo_frames.get(tab.name)
        if frame is not None and can_read(user, tab):
            for spec in tab.columns:
                if not spec.pii and spec.kind == "text" and spec.name in frame:
                    values -= set(frame[spec.name].dropna().astype(str))
    examples = " ".join(c.description for t in TABS for c in t.columns)  # "e.g. P-004211" in a column's help
    return {v for v in values if v not in examples}


def _seed_history_by_other_staff(cache_path, demo_frames) -> None:
    """Changes by the admin to the first household (the row the history shows first), names included."""
    households = demo_frames["households"]
    key, name = households.iloc[0]["household_id"], households.iloc[0]["head_name"]
    con = duckdb.connect(str(cache_path))
    con.execute("""INSERT INTO _audit VALUES (now(), ?, 'households', ?, 'head_name', ?, ?, 'app'),
                                             (now(), ?, 'households', ?, 'members', '4', '5', 'app')""",
                [EMAIL["admin"], key, str(households.iloc[1]["head_name"]), name, EMAIL["admin"], key])
    con.close()


def _render_everything(at, downloads, sent: Sent) -> None:
    sent.collect(at, downloads)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        sent.collect(at, downloads)
    at.switch_page("pages/tables.py").run()
    if not at.selectbox:  # the page stopped (an unknown e-mail): nothing more to open
        return
    for option in at.selectbox(key="tables_tab").options:
        at.selectbox(key="tables_tab").set_value(next(n for n in [option, option.lower().replace(" ", "_")]
                                                      if n in {t.name for t in TABS} or n == option)).run()
        assert not at.exception, (option, at.exception)
        sent.collect(at, downloads)


@pytest.mark.parametrize("role", ["editor", "clinic", "viewer", "admin", "stranger"])
def test_no_page_sends_a_personal_value_the_role_may_not_see(app_env, downloads, demo_frames, role):
    email = EMAIL.get(role, "stranger@example.com")
    signed_in(email)  # loads the cache, so the history can be seeded before the session that is searched
    _seed_history_by_other_staff(app_env["cache"], demo_frames)
    at = signed_in(email)
    sent = Sent()
    _render_everything(at, downloads, sent)
    if role == "admin":  # sees everything: the run proves only that every page and tab renders, history included
        assert any("head_name" in f.columns and f["head_name"].ne(MASK).any() for f in sent.frames)
        assert EMAIL["admin"] in sent.everything()
        return
    user = User(email, role if role in EMAIL else "viewer")
    everything = sent.everything()
    leaked = sorted(v for v in _personal_values(demo_frames, user) if v in everything)
    assert not leaked, leaked[:10]
    for frame in sent.frames:
        for survivor in {"survivor", title("survivor")} & set(frame.columns):  # the editor's own column, or a table's title
            assert set(frame[survivor].dropna().astype(str)) <= {MASK, ""}, role
    if role == "stranger":
        assert not sent.frames and not sent.metrics


@pytest.mark.usefixtures("app_env")
def test_a_clinic_user_gets_no_other_programmes_figures_anywhere(downloads, demo_frames):
    at = signed_in(EMAIL["clinic"])
    sent = Sent()
    _render_everything(at, downloads, sent)
    at.switch_page("pages/overview.py").run()
    assert [h.value for h in at.subheader] == ["Clinic", "Health education"]  # both the clinic's own work
    others = set()
    for tab_name, column in [("rice_banks", "name"), ("savings_groups", "name"), ("cows", "cow_id"), ("activities", "activity_id"),
                             ("parent_groups", "group_id"), ("households", "household_id")]:
        others.update(str(v) for v in demo_frames[tab_name][column].dropna().unique() if len(str(v)) >= 5)
    # "e.g. HH-0042" in a column's help and in what a rule asks: examples, not data.
    examples = " ".join([*(c.description for t in TABS for c in t.columns), *(r.fix for r in RULES.values())])
    others = {v for v in others if v not in examples}
    seen = sent.everything()
    assert not sorted(v for v in others if v in seen)[:10]
    headers = {c for f in sent.frames for c in f.columns}
    other_columns = {"activities", "capital_riel", "stock_kg", "events", "herd", "kg", "bank", "group_id"}
    assert not headers & (other_columns | {title(c) for c in other_columns})  # tables show titles, the editor names
    refused = [e.value for e in at.error]
    at.switch_page("pages/prevention.py").run()
    assert any("may not see figures" in e.value for e in at.error) and not at.metric and not at.dataframe, refused


def _pick_place(at, key: str, village: str) -> None:
    """Province -> district -> commune -> village chosen in the place filter, through the widgets' session
    state: AppTest cannot run a script again once a selectbox with a format_func holds a value."""
    for level, code in (("province", village[:2]), ("district", village[:4]), ("commune", village[:6]), ("village", village)):
        at.session_state[f"{key}_{level}"] = code


@pytest.mark.usefixtures("app_env")
def test_a_viewer_picking_a_small_village_gets_no_exact_small_count(downloads, demo_cache):
    latest = demo_cache.cursor().execute("SELECT max(year(date)) FROM activities").fetchone()[0]
    village = demo_cache.cursor().execute(
        """SELECT village_code FROM activities WHERE year(date) = ? GROUP BY 1 HAVING count(*) BETWEEN 1 AND 4
           ORDER BY count(*), 1 LIMIT 1""", [latest]).fetchone()[0]
    counts = _declared_counts()
    counts |= {title(c) for c in counts}  # a table shows a count column under its title
    exact = {"1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"}

    def dashboards(email: str, pages=tuple(DASHBOARDS)) -> Sent:
        sent = Sent()
        for page, key in ((p, DASHBOARDS[p]) for p in pages):  # a session per page: one run is all AppTest allows after the pick
            at = signed_in(email)
            downloads.clear()
            _pick_place(at, key, village)
            at.session_state["year"] = latest  # the Overview's year
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
            sent.collect(at, downloads)
        return sent

    viewer = dashboards(EMAIL["viewer"])
    small_metrics = [(label, value) for label, value in viewer.metrics if label.startswith(COUNT_METRICS) and value in exact]
    assert not small_metrics
    small_cells = [(column, value) for frame in viewer.frames for column in frame.columns if column in counts
                   for value in frame[column].astype(str) if value in exact]
    assert not small_cells, small_cells[:10]
    assert ("Activities", "<5") in viewer.metrics  # the village's few activities, hidden
    everything = viewer.everything()
    assert "1 activit" not in everything and "activities: 4" not in everything.lower()

    editor = dashboards(EMAIL["editor"], [p for p in DASHBOARDS if p != "pages/clinic.py"])  # the same screens show the exact numbers to an editor
    assert any(label == "Activities" and value in exact for label, value in editor.metrics)
    assert any(value in exact for frame in editor.frames for column in frame.columns if column in counts
               for value in frame[column].astype(str))


def test_the_source_is_read_and_the_outbox_replayed_only_after_sign_in(app_env, demo_frames):
    """A save waiting in the outbox stays waiting while nobody, or an e-mail not on the list, is signed in;
    nobody signed in reads nothing at all; the admin signing in sends it."""
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from connectors.sync import CellEdit, SaveRequest, outbox

    cache = Cache(app_env["cache"])
    read_check_load(cache, WorkbookSource(app_env["workbook"]))
    key, members = demo_frames["households"].iloc[0][["household_id", "members"]]
    request = SaveRequest([CellEdit("households", (key,), "members", int(members), int(members) + 1)], {}, [])
    outbox.put(cache, EMAIL["admin"], {"request": request.to_payload(), "role": "admin", "name": "", "via": "app"}, "offline")
    cache.close()

    def state() -> tuple[int, str]:
        con = duckdb.connect(str(app_env["cache"]))
        try:
            return con.execute("SELECT count(*) FROM _refreshes").fetchone()[0], con.execute("SELECT state FROM _outbox").fetchone()[0]
        finally:
            con.close()

    refreshes, _ = state()
    signed_in(None)
    assert state() == (refreshes, outbox.PENDING)  # nobody signed in: no refresh, no replay
    signed_in("stranger@example.com")
    assert state()[1] == outbox.PENDING
    signed_in(EMAIL["admin"])
    assert state()[1] == outbox.SENT
    households = WorkbookSource(app_env["workbook"]).read(["households"])["households"]
    row = next(r for r in households.rows if r[0] == key)
    assert int(row[households.header.index("Members")]) == int(members) + 1


def test_an_editors_conflict_table_masks_the_household_they_may_not_see(app_env, demo_frames):
    """The editor deletes a household someone changed meanwhile: the conflict shows the whole row in the
    sheet now - its members, but the head's name, phone and survivor flag as •••."""
    at = signed_in(EMAIL["editor"])
    at.switch_page("pages/tables.py").run()
    at.selectbox(key="tables_tab").set_value("households").run()
    assert not at.exception, at.exception
    used = {str(v) for name, frame in demo_frames.items() if name != "households" for c in frame.columns for v in frame[c].dropna()}
    households = demo_frames["households"]
    first = households[~households["household_id"].isin(used)].iloc[0]  # a household no other row refers to: deletable
    at.text_input(key="tables_search_households").input(first["household_id"]).run()
    at.session_state["tables_editor_households_0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    at.checkbox(key="tables_confirm_delete").check().run()
    # Another person changes that household's members meanwhile (the demo's rows and columns are its frames').
    cell = a1(households.columns.get_loc("members"), households.index.get_loc(first.name) + 2)
    type_in_cells(app_env["workbook"], {"households": {cell: int(first["members"]) + 3}})
    at.button(key="tables_save").click().run()
    assert not at.exception, at.exception
    [side_by_side] = [d.value for d in at.dataframe if "Theirs (in the sheet now)" in d.value.columns]
    theirs = side_by_side.iloc[0]["Theirs (in the sheet now)"]
    assert str(int(first["members"]) + 3) in theirs and MASK in theirs
    shown = side_by_side.to_csv() + "\n".join(e.value for e in at.error)
    assert first["head_name"] not in shown and str(first["phone"]) not in shown
    assert "'survivor': True" not in shown and "'survivor': False" not in shown and '"survivor": true' not in shown
