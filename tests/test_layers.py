"""Layers point one way: pages -> ui -> gateway -> insights -> schemas; connectors -> schemas; no cycles.
The donor pack: pages, commands -> reports -> gateway, insights, schemas.

The graph counts every import (module level, in functions, under TYPE_CHECKING): see tests/import_graph.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_graph import cycles, figures_run_outside_the_gateway, imports, third_party, upward

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope="module")
def graph():
    return imports(ROOT)


def test_the_graph_sees_the_project(graph):
    assert {"app", "cli", "schemas.registry", "connectors.sync", "gateway.reads", "pages.tables"} <= set(graph)
    assert "schemas.registry" in graph["schemas.workbook_check"]  # an import inside a function counts
    assert "connectors.sync.send" in graph["connectors.sync.replay"]
    assert {"gateway.figures", "insights.overview"} <= graph["reports.pack"]


def test_no_import_cycle(graph):
    assert cycles(graph) == []


def test_no_upward_import(graph):
    assert upward(graph) == []


def test_only_the_gateway_runs_a_figure():
    """Pages, the pack, the command line and the app name the figures they want (the insight itself, handed to
    `ui.state.query` or `gateway.figures.figure`); none runs one."""
    assert figures_run_outside_the_gateway(ROOT, ("app", "cli", "pages", "ui", "reports", "commands")) == []


def test_the_figure_check_finds_a_figure_run_by_a_page(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "planted.py").write_text(
        "from insights import savings as money\nfrom insights.rice_bank_charts import stock_chart\n"
        "from insights.savings import capital_on, definitions\nfrom ui.state import query\n"
        "query(capital_on, 1)\ndefinitions()\nstock_chart\n"
        "capital_on(None, 1)\nmoney.groups_on(None, 1)\n")
    assert figures_run_outside_the_gateway(tmp_path, ("pages",)) == [
        "pages.planted line 8: insights.savings.capital_on", "pages.planted line 9: insights.savings.groups_on"]


def test_no_schemas_module_imports_the_registry_at_its_top():
    """schemas.registry imports every module of the package (that is how each programme's tabs, rules and settings
    register): a schemas module that imported it at its top would be half-made when the registry, imported first
    from elsewhere, reaches it. Such a module reads the registry inside the function that needs it."""
    import ast

    found = []
    for path in sorted((ROOT / "schemas").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.ImportFrom) and node.module == "schemas.registry") or (
                    isinstance(node, ast.ImportFrom) and node.module == "schemas" and any(a.name == "registry" for a in node.names)):
                found.append(f"{path.stem} line {node.lineno}")
    assert found == []


@pytest.mark.parametrize("package", ["schemas", "insights", "connectors", "data", "reports"])
def test_lower_layers_never_import_streamlit(package):
    assert third_party(ROOT, package, "streamlit") == []


def test_no_test_module_imports_another_test_module():
    """Shared helpers live in tests/factories.py, shared fixtures in tests/conftest.py."""
    import ast

    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names if node.module == "tests"]
            found += [f"{path.stem} -> {n}" for n in names if n.startswith("tests.test_") or n.startswith("test_")]
    assert found == []


def test_the_check_finds_a_planted_cycle_and_upward_edges(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "connectors").mkdir()
    (tmp_path / "schemas" / "__init__.py").write_text("")
    (tmp_path / "connectors" / "__init__.py").write_text("")
    (tmp_path / "schemas" / "a.py").write_text("from schemas import b\n")
    (tmp_path / "schemas" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from connectors.source import Grid\n"
        "def later():\n    from . import a\n")
    (tmp_path / "connectors" / "source.py").write_text("import streamlit as st\n")
    planted = imports(tmp_path)
    assert cycles(planted) == [["schemas.a", "schemas.b"]]
    assert upward(planted) == ["schemas.b -> connectors.source"]
    assert third_party(tmp_path, "connectors", "streamlit") == ["connectors.source"]


def test_the_pack_may_not_read_the_source_or_the_page_state_itself(tmp_path):
    for package in ("reports", "connectors", "ui", "gateway"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "connectors" / "source.py").write_text("")
    (tmp_path / "ui" / "state.py").write_text("")
    (tmp_path / "gateway" / "figures.py").write_text("")
    (tmp_path / "reports" / "pack.py").write_text("from connectors import source\nfrom ui import state\nfrom gateway import figures\n")
    assert upward(imports(tmp_path)) == ["reports.pack -> connectors.source", "reports.pack -> ui.state"]
