"""Dashboards on a big cache (50,000 clinic visits and ledger rows, 5,000 households: bench/dashboards.py's
workbook, smaller) under the real Streamlit runtime: a rerun reads no fact table again, charts get
aggregated rows whatever the size, and the Tables page sends one page of rows. Behaviour, never times."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core as vega_lite_schema
from streamlit.testing.v1 import AppTest

from bench.dashboards import big_frames, build_cache
from connectors.store.cache import Cache
from gateway.reads import next_key
from schemas.registry import tab as registered_tab
from tests.factories import EMAIL, signed_in, texts
from ui.table_editor import PAGE_SIZE

ROOT = Path(__file__).resolve().parent.parent
ROWS = 50_000
FACT_TABLES = ("clinic_visits", "savings_ledger", "households")
CHART_ROWS = 2_000  # the most rows any chart's data may hold, at any size of the tabs behind it
DASHBOARDS = ["pages/overview.py", "pages/clinic.py", "pages/savings.py", "pages/prevention.py"]
EVERY_CHART_PAGE = [*DASHBOARDS, "pages/cow_bank.py", "pages/rice_bank.py", "pages/school_support.py", "pages/wash.py"]
# (Data quality draws its error trend only from refreshes with issues; tests/test_data_quality_storm.py opens it.)


@pytest.fixture(scope="module")
def big_cache(tmp_path_factory) -> tuple[Path, Path]:
    return build_cache(tmp_path_factory.mktemp("big"), big_frames(ROWS, ROWS, ROWS // 10))


@pytest.fixture
def big_app(big_cache, monkeypatch, tmp_path):
    workbook, cache_file = big_cache
    monkeypatch.setenv("BACKOFFICE_SOURCE", str(workbook))
    monkeypatch.setenv("BACKOFFICE_CACHE", str(cache_file))
    monkeypatch.setenv("BACKOFFICE_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.chdir(ROOT)


class Recording:
    """A DuckDB cursor that notes every statement it runs (and so does every cursor made from it)."""

    def __init__(self, inner, log: list[str]):
        self._inner, self._log = inner, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(str(sql))
        self._inner.execute(sql, *args, **kwargs)
        return self

    def cursor(self):
        return Recording(self._inner.cursor(), self._log)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture
def statements(monkeypatch) -> list[str]:
    log: list[str] = []
    real = Cache.cursor
    monkeypatch.setattr(Cache, "cursor", lambda self: Recording(real(self), log))
    return log


def scans_of_facts(log: list[str]) -> list[str]:
    return [sql for sql in log if any(f'"{name}"' in sql or f" {name} " in f" {sql} " for name in FACT_TABLES)]


def opened(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def editor_rows(at: AppTest) -> pd.DataFrame:
    """The rows the Tables page's editor (st.data_editor) sent."""
    [editor] = [n for n in at._tree if type(n).__name__ == "Dataframe" and getattr(n.proto, "editing_mode", 0)]
    return editor.value


def charts_sent(at: AppTest) -> list:
    return [node.proto for node in at._tree if type(getattr(node, "proto", None)).__name__ == "VegaLiteChart"]


def chart_rows(at: AppTest) -> list[int]:
    """Rows of every dataset of every chart the browser got."""
    return [pa.ipc.open_stream(d.data.data).read_all().num_rows for proto in charts_sent(at) for d in proto.datasets]


@pytest.mark.parametrize("page", DASHBOARDS)
@pytest.mark.usefixtures("big_app")
def test_a_rerun_reads_no_fact_table_again(statements, page):
    at = opened(page)
    assert scans_of_facts(statements), "the first render should have read the big tabs (or the recording sees nothing)"
    statements.clear()
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert scans_of_facts(statements) == []


@pytest.mark.parametrize("page", DASHBOARDS)
@pytest.mark.usefixtures("big_app")
def test_charts_get_aggregated_rows_at_fifty_thousand_rows(page):
    rows = chart_rows(opened(page))
    assert rows, "no chart data"
    assert max(rows) <= CHART_ROWS, sorted(rows)[-5:]


@pytest.mark.parametrize("page", EVERY_CHART_PAGE)
@pytest.mark.usefixtures("big_app")
def test_every_chart_a_page_sends_is_a_valid_vega_lite_spec(page):
    """ui.widgets.altair_chart skips Altair's schema check when drawing; the check is made here instead."""
    schema = vega_lite_schema.load_schema()
    specs = [json.loads(proto.spec) for proto in charts_sent(opened(page))]
    assert specs, "no chart"
    for spec in specs:
        validate_jsonschema(spec, schema, rootschema=schema)  # raises on an invalid spec


@pytest.mark.usefixtures("big_app")
def test_the_tables_page_sends_one_page_of_a_big_tab(statements):
    at = opened("pages/tables.py")
    at.selectbox(key="tables_tab").set_value("clinic_visits").run()
    assert not at.exception, at.exception
    first = editor_rows(at)
    assert len(first) == PAGE_SIZE
    assert f"{ROWS:,} rows; showing {PAGE_SIZE} from row 1" in [c.value for c in at.caption]
    statements.clear()
    at.number_input(key="tables_page_clinic_visits").set_value(3).run()
    assert not at.exception, at.exception
    third = editor_rows(at)
    assert len(third) == PAGE_SIZE and set(third.index).isdisjoint(first.index)
    assert list(third.index)[:2] == [2 + 2 * PAGE_SIZE, 3 + 2 * PAGE_SIZE]  # sheet rows: the header is row 1
    reads = [sql for sql in scans_of_facts(statements) if sql.lstrip().upper().startswith("SELECT *")]
    assert reads and all(f"LIMIT {PAGE_SIZE} OFFSET {2 * PAGE_SIZE}" in sql for sql in reads)
    assert not any("TRY_CAST(d AS HUGEINT)" in sql for sql in statements), "the next free id is worked out again on a page turn"


def test_the_next_free_id_follows_the_biggest_number_and_its_width():
    con = duckdb.connect()
    tab = registered_tab("clinic_visits")
    ids = ["CV-0012", "CV-000099", "CV-100", "XX-5000", "CV-12ab", None]
    con.execute("CREATE TABLE clinic_visits (visit_id VARCHAR)")
    con.executemany("INSERT INTO clinic_visits VALUES (?)", [[v] for v in ids])
    assert next_key(con, tab) == "CV-0101"  # 100 is the biggest; the pattern asks for 4 digits at least
    con.execute("INSERT INTO clinic_visits VALUES ('CV-0000100')")
    assert next_key(con, tab) == "CV-0000101"  # the same number with more digits: its width
    con.execute("DELETE FROM clinic_visits")
    assert next_key(con, tab) == "CV-0001"


@pytest.mark.usefixtures("big_app")
def test_cached_figures_are_kept_apart_per_role():
    """The admin draws the page first, filling the query cache; the viewer, on the same data and
    generation, still gets the gateway's answer for a viewer (small counts hidden), not the admin's."""
    shown = {}
    for role in ("admin", "viewer"):
        at = signed_in(EMAIL[role])
        at.switch_page("pages/clinic.py").run()
        assert not at.exception, at.exception
        shown[role] = texts(at)
    assert "<5" not in shown["admin"]
    assert "<5" in shown["viewer"]
