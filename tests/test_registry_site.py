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
    settings = SETTINGS + (SettingSpec("loan_interest_pct", None, "number", "savings", "Planted: no default"),)
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
