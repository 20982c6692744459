"""The registry as an object: register / unregister refuse mistakes, and check() names each one by id."""
from __future__ import annotations

import pytest

from gateway.declared import registry_problems
from schemas.base import TabSchema, Text, column
from schemas.registry import PROGRAMMES, TABS, AlreadyRegistered, NotRegistered, Registry, Tab, site
from schemas.settings import SETTINGS, SettingSpec


class Loan(TabSchema):
    """A planted tab with a foreign key to a column that does not exist."""

    loan_id: Text = column("Loan ID", "Our id.")
    household_id: Text = column("Household", "Who borrowed.", ref="households.household_code")


def planted() -> Registry:
    return Registry(list(TABS), dict(PROGRAMMES))


def test_the_demo_registry_has_no_problem():
    assert site.check() == []
    assert registry_problems() == []


def test_register_refuses_a_taken_name_and_unregister_an_unknown_one():
    registry = planted()
    with pytest.raises(AlreadyRegistered, match="'households' is already registered"):
        registry.register(Tab("households", Loan, ("loan_id",), "places", "Households again"))
    with pytest.raises(NotRegistered, match="no tab named 'loans'"):
        registry.unregister("loans")
    with pytest.raises(KeyError, match="programme 'lending', which is not registered"):
        registry.register(Tab("loans", Loan, ("loan_id",), "lending", "Loans"))
    registry.register(Tab("loans", Loan, ("loan_id",), "places", "Loans"))
    assert registry.unregister("loans").name == "loans"
    assert "loans" not in registry.names()
    assert [t.name for t in TABS] == [t.name for t in site.tabs]  # the site itself untouched


def test_check_names_each_planted_mistake_by_id():
    registry = planted()
    registry.register(Tab("loans", Loan, ("loan_number",), "places", "Loans"))
    registry.programmes.pop("places")
    settings = (*SETTINGS, SettingSpec("loan_interest_pct", None, "number", "savings", "Planted: no default"))
    problems = registry.check(reads={"insights.lending.loan_book": ("loans", "repayments")}, settings=settings)
    assert [(p.id, p.message) for p in problems if "loans" in p.message or "loan" in p.message] == [
        ("registry.E005", "tab 'loans': programme 'places' is not registered"),
        ("registry.E004", "tab 'loans': key column 'loan_number' is not in its schema"),
        ("registry.E001", "loans.household_id refers to 'households.household_code', which is not a registered tab and column"),
        ("registry.E002", "insights.lending.loan_book reads tab 'repayments', which is not registered"),
        ("registry.E003", "setting 'loan_interest_pct' (savings) has no default"),
    ]
    assert {p.id for p in problems} == {"registry.E001", "registry.E002", "registry.E003", "registry.E004", "registry.E005"}


def test_cli_validate_refuses_while_the_registry_has_a_problem(capsys, demo_workbook):
    import cli

    site.register(Tab("loans", Loan, ("loan_id",), "places", "Loans"))
    try:
        code = cli.main(["validate", "--source", str(demo_workbook)])
    finally:
        site.unregister("loans")
    assert code == 2
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  registry.E001: loans.household_id refers to 'households.household_code', which is not a registered tab and column"]


def test_check_names_a_missing_page_file_and_a_bad_period(tmp_path):
    from pathlib import Path

    from schemas.programme import Page, Programme

    registry = planted()
    registry.register(
        Programme("lending", "Lending", ("admin",), ("admin",), Page("pages/lending.py", "Lending", ":material/payments:")),
        Tab("loans", Loan, ("loan_id",), "lending", "Loans", period="loan_id"),
    )
    root = Path(__file__).resolve().parent.parent
    problems = [(p.id, p.message) for p in registry.check(root=root) if "lending" in p.message or "loans" in p.message]
    assert problems == [
        ("registry.E001", "loans.household_id refers to 'households.household_code', which is not a registered tab and column"),
        ("registry.E008", "tab 'loans': period column 'loan_id' is not a date column of its schema"),
        ("registry.E006", "programme 'lending': page file 'pages/lending.py' does not exist"),
    ]
    elsewhere = {p.message for p in site.check(root=tmp_path) if p.id == "registry.E006"}  # pages are looked for under root
    assert "the site: page file 'pages/overview.py' does not exist" in elsewhere
    assert "programme 'rice_bank': page file 'pages/rice_bank.py' does not exist" in elsewhere


def test_register_adds_a_programme_and_its_tabs_in_one_call_or_nothing():
    from schemas.programme import Programme

    registry = planted()
    with pytest.raises(AlreadyRegistered, match="'households' is already registered"):
        registry.register(Programme("lending", "Lending", ("admin",), ("admin",)),
                          Tab("households", Loan, ("loan_id",), "lending", "Households again"))
    assert "lending" not in registry.programmes  # refused as a whole
    registry.register(Programme("lending", "Lending", ("admin",), ("admin",)), Tab("loans", Loan, ("loan_id",), "lending", "Loans"))
    with pytest.raises(AlreadyRegistered, match="programme named 'lending'"):
        registry.register(Programme("lending", "Lending", ("admin",), ("admin",)))
    assert registry.unregister_programme("lending").name == "lending"
    assert "loans" not in registry.names()
    with pytest.raises(NotRegistered, match="no programme named 'lending'"):
        registry.unregister_programme("lending")
