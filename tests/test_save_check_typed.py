"""A save's check works on typed frames (issue 28, item 3): the cached tables as validation types them, with the
save's values typed one by one as their columns read them, checked with the schema and the cross-tab rules -
never the whole tables turned back into a grid of text and typed again."""
from __future__ import annotations

import pytest

from connectors.sync import CellEdit
from connectors.sync.check_edits import check
from connectors.sync.send import _request
from schemas import validate
from schemas.registry import tab


@pytest.fixture
def coerced(monkeypatch) -> list[int]:
    """How many cells each typing of a column got, while the check runs."""
    sizes: list[int] = []
    real = validate.coerce_column

    def counting(raw, spec, date_order="day_first"):
        sizes.append(len(raw))
        return real(raw, spec, date_order)

    monkeypatch.setattr(validate, "coerce_column", counting)
    return sizes


def _visit(demo_cache) -> dict:
    names = [c.name for c in tab("clinic_visits").columns]
    row = demo_cache.cursor().execute(f"SELECT {', '.join(names)}, _row FROM clinic_visits ORDER BY _row LIMIT 1").fetchone()
    return dict(zip([*names, "_row"], row, strict=True))


def test_only_the_saved_values_are_typed(demo_cache, coerced):
    visit = _visit(demo_cache)
    request = _request([CellEdit("clinic_visits", (visit["visit_id"],), "age_years", visit["age_years"], "abc")], {}, [], "day_first")
    errors, warnings = check(demo_cache, request)
    assert coerced == [1]  # one cell typed, not the 44,000 visits and the tabs they point to
    assert [(e.tab, e.key, e.column, e.rule, e.message) for e in errors] == [(
        "clinic_visits", (visit["visit_id"],), "age_years", "cell.not_a_number",
        f"Row {visit['_row']}: 'Age (years)' is 'abc', which is not a number. Type a number such as 1250 in cell G{visit['_row']}.")]
    assert warnings == []


def test_khmer_digits_are_read_and_a_cross_tab_rule_sees_the_new_value(demo_cache, coerced):
    visit = _visit(demo_cache)
    request = _request([CellEdit("clinic_visits", (visit["visit_id"],), "age_years", visit["age_years"], "១០")], {}, [], "day_first")
    errors, warnings = check(demo_cache, request)
    assert coerced == [1] and errors == [] and warnings == []  # Khmer digits are a number: nothing to say
    request = _request([CellEdit("clinic_visits", (visit["visit_id"],), "village_code", visit["village_code"], "99999999")], {}, [], "day_first")
    errors, _warnings = check(demo_cache, request)
    assert [(e.column, e.rule) for e in errors] == [("village_code", "ref.not_found")]  # the foreign key, across tabs
