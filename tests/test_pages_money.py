"""The Savings page's riel/dollar switch turns every money figure of the page: headline figures, both charts
and both tables (issue 24: it used to turn one chart only)."""
from __future__ import annotations

import pytest

from tests.factories import EMAIL, signed_in


def _savings(currency: str | None):
    at = signed_in(EMAIL["admin"])
    if currency:
        at.session_state["savings_currency"] = currency
    at.switch_page("pages/savings.py").run()
    assert not at.exception, at.exception
    return at


def _charts_titles(at) -> list[str]:
    import json

    return [json.loads(node.proto.spec).get("layer", [json.loads(node.proto.spec)])[0]["encoding"]["y"].get("title", "")
            for node in at._tree if type(getattr(node, "proto", None)).__name__ == "VegaLiteChart"]


@pytest.mark.usefixtures("app_env")
def test_dollars_turn_every_money_figure_of_the_savings_page():
    riel, dollars = _savings(None), _savings("dollars")
    capital = {m.label: m.value for m in riel.metric}["Capital"], {m.label: m.value for m in dollars.metric}["Capital"]
    assert capital[0].endswith("៛") and capital[1].endswith("$"), capital
    assert "Capital (riel)" in _charts_titles(riel) and "Riel" in _charts_titles(riel)
    assert "Capital ($)" in _charts_titles(dollars) and "Dollars" in _charts_titles(dollars)
    for at, unit in ((riel, "(riel)"), (dollars, "($)")):
        headers = [c for node in at._tree if type(node).__name__ == "Dataframe" for c in node.value.columns]
        money = [h for h in headers if "riel" in h or "($)" in h]
        assert money and all(unit in h for h in money), (unit, money)
