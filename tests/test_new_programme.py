"""The proof of "a new programme = its own files": tests/throwaway_programme.py declares a programme, its tab,
its demo rows and its parts of the Overview, the year's results and the donor pack, nothing else is touched, and
the demo builder, the validator, the cache, the registry check, provisioning, the Tables page, the gateway, the
Overview, `cli.py report` and the pack all serve it. And the kernel names no programme."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.access import AccessDenied
from connectors.store.refresh import read_check_load
from schemas.registry import RULES, site, tab
from schemas.settings import BY_KEY
from tests import throwaway_programme
from tests.factories import EDITOR, VIEWER, small_book, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Lamp ID", "Village code", "Handed on", "People", "Working"]


@pytest.fixture
def energy():
    throwaway_programme.install()
    yield tab("solar_lamps")
    throwaway_programme.uninstall()
    assert "solar_lamps" not in site.names()
    assert "lamp_most_people" not in BY_KEY and "energy.too_many_people" not in RULES


@pytest.fixture
def lamps_book(energy, tmp_path) -> Path:  # noqa: ARG001 - a fixture needs `energy` registered; usefixtures does not apply to fixtures
    book = small_book()
    book["solar_lamps"] = [HEADER, ["SL-001", "12010101", dt.date(2016, 3, 1), 5, True],
                           ["SL-002", "12010102", dt.date(2016, 4, 1), 3, "no"]]
    return write_xlsx(book, tmp_path / "lamps.xlsx")


@pytest.mark.usefixtures("energy")
def test_the_demo_builder_makes_its_frame():
    from data.build_demo import build_demo_frames

    frames = build_demo_frames()
    assert list(frames)[-1] == "solar_lamps"  # registry order: the newest tab last
    assert frames["solar_lamps"]["lamp_id"].tolist() == ["SL-001", "SL-002"]
    assert set(frames["solar_lamps"]["village_code"]) <= set(frames["villages"]["village_code"])


def test_the_registry_check_validator_and_cache_serve_it(lamps_book):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from gateway.declared import registry_problems
    from schemas.validate import validate_workbook

    assert registry_problems() == []  # its demo builder resolves, its period column is a date
    source = WorkbookSource(lamps_book)
    frames, issues = validate_workbook(source.read())
    assert frames["solar_lamps"].frame["working"].tolist() == [True, False]
    assert [i for i in issues if i.tab == "solar_lamps"] == []
    cache = Cache(":memory:")
    read_check_load(cache, source)
    assert cache.cursor().execute("SELECT lamp_id, people FROM solar_lamps ORDER BY lamp_id").fetchall() == [("SL-001", 5), ("SL-002", 3)]


@pytest.mark.usefixtures("energy")
def test_provisioning_creates_its_tab_with_its_header(sheets_server, make_spreadsheet, make_source):
    from commands import provision

    key = make_spreadsheet({"Sheet1": []})
    provision.provision(make_source(key))
    assert sheets_server.state.get(key).sheet_named("solar_lamps").values[0] == HEADER


@pytest.mark.parametrize(("typed_setting", "issues"), [
    (None, [("energy.too_many_people", 3, "People", "Row 3: 'People' is 12, more than the 8 people one lamp serves. "
             "Check the number in cell D3.")]),
    ("20", []),  # the setting it declared, typed in the settings tab, is what its rule reads
])
def test_its_rule_speaks_its_message_and_reads_its_setting(energy, tmp_path, typed_setting, issues):  # noqa: ARG001
    from connectors.sources.workbook import WorkbookSource
    from gateway.declared import registry_problems
    from schemas.validate import validate_workbook

    book = small_book()
    book["solar_lamps"] = [HEADER, ["SL-001", "12010101", dt.date(2016, 3, 1), 5, True], ["SL-002", "12010102", dt.date(2016, 4, 1), 12, True]]
    if typed_setting:
        book["settings"].append(["lamp_most_people", typed_setting, ""])
    _frames, found = validate_workbook(WorkbookSource(write_xlsx(book, tmp_path / "lamps.xlsx")).read())
    assert [(i.rule, i.row, i.column, i.message) for i in found if i.tab == "solar_lamps"] == issues
    assert [i for i in found if i.tab == "settings"] == []  # its setting is a known key
    assert registry_problems() == []  # the setting has its default


def _app_on(book: Path, monkeypatch, tmp_path) -> AppTest:
    """The app, run once as the local admin, on `book`."""
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(book))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(tmp_path / "cache.duckdb"))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_its_page_is_in_the_navigation_and_shows_its_figure(lamps_book, monkeypatch, tmp_path):
    at = _app_on(lamps_book, monkeypatch, tmp_path)
    at.switch_page("tests/throwaway_page.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="energy_period").set_value("2016").run()
    assert [(m.label, m.value) for m in at.metric] == [("Lamps handed on", "2")]


def test_the_gateway_refuses_a_role_without_the_programme_and_serves_one_with_it(lamps_book):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache
    from gateway import reads
    from gateway.figures import figure
    from insights.common import years_with_data

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(lamps_book))
    with pytest.raises(AccessDenied, match="may not read the 'Solar lamps' tab"):
        reads.read_tab(cache, VIEWER, "solar_lamps")
    assert reads.read_tab(cache, EDITOR, "solar_lamps")["lamp_id"].tolist() == ["SL-001", "SL-002"]
    # Its period column joins the years every dashboard offers - for the roles that may read it.
    assert 2016 in figure(cache, EDITOR, years_with_data)
    assert 2016 not in figure(cache, VIEWER, years_with_data)


def test_the_tables_page_serves_it(lamps_book, monkeypatch, tmp_path):
    at = _app_on(lamps_book, monkeypatch, tmp_path)
    at.switch_page("pages/tables.py").run()
    assert "Solar lamps" in at.selectbox(key="tables_tab").options  # by its title
    at.selectbox(key="tables_tab").set_value("solar_lamps").run()
    assert not at.exception, at.exception
    assert at.text_input(key="tables_add_solar_lamps_lamp_id").value == "SL-003"


def _lamps_cache(lamps_book):
    from connectors.sources.workbook import WorkbookSource
    from connectors.store.cache import Cache

    cache = Cache(":memory:")
    read_check_load(cache, WorkbookSource(lamps_book))
    return cache


def test_its_part_joins_the_years_results_and_the_report_for_the_roles_that_may_read_it(lamps_book):
    from gateway.figures import figure
    from insights.overview import results_markdown, results_sentences, year_results

    cache = _lamps_cache(lamps_book)
    results = figure(cache, EDITOR, year_results, 2016)
    assert results["energy"] == {"lamps": 2, "working": 1}
    assert results_sentences(results)["Solar lamps"] == ["In 2016, 2 solar lamps were handed on; 1 of them work."]
    assert list(results_sentences(results))[-1] == "Solar lamps"  # the order it declares: after the others
    assert "## Solar lamps\n\n- In 2016, 2 solar lamps were handed on; 1 of them work." in results_markdown(results)
    assert "energy" not in figure(cache, VIEWER, year_results, 2016)  # a role without the programme: no part


def test_its_chart_and_figures_reach_the_overview_and_the_donor_pack(lamps_book):
    from connectors.access import LOCAL_ADMIN
    from gateway.figures import figure
    from insights.overview_charts import monthly_figures, programme_charts
    from reports.pack import collect

    cache = _lamps_cache(lamps_book)
    frames = figure(cache, EDITOR, monthly_figures, 2016)
    assert frames["Solar lamps"]["lamps"].tolist() == [1, 1]
    drawn = programme_charts(frames)["Solar lamps"].to_dict()
    assert [row["lamps"] for row in drawn["datasets"][next(iter(drawn["datasets"]))]] == [1, 1]
    pack = collect(cache, LOCAL_ADMIN, 2016)  # it leaves the organisation: its small counts read "<5", in its words
    lamps = next(p for p in pack.programmes if p.title == "Solar lamps")
    assert lamps.sentences == ["In 2016, <5 solar lamps were handed on; <5 of them work."]
    assert lamps.figures == [("lamps", "Lamps handed on", "<5"), ("working", "Working", "<5")]
    assert lamps.chart is not None and lamps.tables[lamps.chart_table]["Lamps handed on"].tolist() == ["<5", "<5"]


KERNEL = ["connectors", "gateway", "ui", "reports", "commands", "app.py", "cli.py", "schemas/registry.py", "schemas/site.py",
          "schemas/programme.py", "schemas/tab.py", "schemas/rules.py", "schemas/rules_context.py", "schemas/settings.py",
          "schemas/validate.py", "schemas/workbook_check.py", "insights/overview.py", "insights/overview_charts.py",
          "insights/parts.py", "insights/common.py", "insights/chart_parts.py"]


def test_no_kernel_module_names_a_programme_or_its_parts():
    """The frames around the programmes (validation, cache, sync, gateway, ui, the Overview and report frames)
    import no programme's insights module and name no programme's part: each registers itself."""
    import ast

    from connectors.access import ROLES
    from insights.parts import report_parts
    from schemas.registry import PROGRAMMES

    parts = {p.name for p in report_parts()}
    modules = {f"insights.{p}" for p in parts} | {f"insights.{p}_overview" for p in parts}
    programmes = (parts | set(PROGRAMMES)) - set(ROLES)  # a role may share a programme's name: the clinic staff
    found = []
    for entry in KERNEL:
        for path in sorted((ROOT / entry).rglob("*.py")) if (ROOT / entry).is_dir() else [ROOT / entry]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    named = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                    found += [f"{path.relative_to(ROOT)} imports {n}" for n in named if n in modules]
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in programmes:
                    found.append(f"{path.relative_to(ROOT)} names {node.value!r}")
    assert found == [], "\n".join(found)
