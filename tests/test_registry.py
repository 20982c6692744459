"""The registry lists every tab of the data model, and every column says what it is."""
import pandas as pd
import pandera.pandas as pa
import pytest

from schemas.base import columns_of, match_headers
from schemas.registry import PROGRAMMES, TABS, tab


def test_every_registered_tab_has_demo_rows_unique_on_its_key(demo_frames):
    assert list(demo_frames) == [t.name for t in TABS]  # the demo builders cover every tab, in registry order
    for spec in TABS:
        if spec.key:
            assert not demo_frames[spec.name].duplicated(list(spec.key)).any(), spec.name


@pytest.mark.parametrize("spec", TABS, ids=lambda t: t.name)
def test_every_column_has_a_title_and_a_description(spec):
    for column in spec.columns:
        assert column.title and column.title != column.name, f"{spec.name}.{column.name} has no title"
        assert column.description.endswith("."), f"{spec.name}.{column.name} needs a one-sentence description"
    assert set(spec.key) <= {c.name for c in spec.columns}
    assert spec.programme in PROGRAMMES


def test_foreign_keys_point_at_registered_columns():
    for spec in TABS:
        for column in spec.columns:
            if column.ref:
                target_tab, target_column = column.ref.split(".")
                assert target_column in {c.name for c in tab(target_tab).columns}, column.ref


def test_personal_data_is_flagged():
    flagged = {(t.name, c.name) for t in TABS for c in t.columns if c.pii}
    assert {("households", "head_name"), ("households", "phone"), ("households", "survivor"), ("clinic_visits", "patient_code"),
            ("school_support", "child_code")} <= flagged


def test_headers_match_by_normalised_name_or_by_title_in_any_order():
    model = tab("rice_ledger").schema
    assert match_headers(model, ["KG", "Bank ID", "entry id", "date", "Household_ID"]) == {
        "kg": 0, "bank_id": 1, "entry_id": 2, "date": 3, "household_id": 4}


def test_a_rice_ledger_with_known_mistakes_yields_exactly_those_failures():
    frame = pd.DataFrame({
        "entry_id": pd.array(["RL-0001", "RL-0002", "X-3"], dtype="string"),
        "date": pd.to_datetime(["2018-04-26", None, "2018-05-01"]),
        "bank_id": pd.array(["RB-02", "RB-02", "RB-02"], dtype="string"),
        "kind": pd.array(["donation", "gift", "loan"], dtype="string"),
        "kg": pd.array([13000.0, -50.0, 20.0], dtype="Float64"),
        "household_id": pd.array([None, None, "HH-0001"], dtype="string"),
        "loan_id": pd.array([None, None, "L-1"], dtype="string"),
        "note": pd.array([None, None, None], dtype="string"),
    })
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        tab("rice_ledger").schema.validate(frame, lazy=True)
    failures = {(r.column, r.index, str(r.check).split("(")[0]) for r in caught.value.failure_cases.itertuples()}
    assert failures == {
        ("date", 1, "not_nullable"),
        ("kind", 1, "isin"),
        ("kg", 1, "greater_than_or_equal_to"),
        ("entry_id", 2, "str_matches"),
    }


def test_column_kinds_come_from_the_annotations():
    kinds = {c.name: c.kind for c in columns_of(tab("clinic_visits").schema)}
    assert kinds["date"] == "date" and kinds["age_years"] == "int" and kinds["dental_kit"] == "bool" and kinds["donation_riel"] == "float"


def test_the_readme_lists_every_validation_rule():
    from pathlib import Path

    from schemas.rules import RULES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert [r for r in RULES if f"`{r}`" not in readme] == []


def test_column_meaning_is_declared_where_the_names_suggest_it():
    units = {"_riel": "riel", "_kg": "kg", "_pct": "%", "_years": "years"}
    for spec in TABS:
        for column in spec.columns:
            expected = next((unit for suffix, unit in units.items() if column.name.endswith(suffix) or column.name == suffix[1:]), None)
            if expected:
                assert column.unit == expected, f"{spec.name}.{column.name} should declare unit={expected!r}"
        codes = [c.name for c in spec.columns if c.name == "village_code"]
        assert spec.place_column == (codes[0] if codes else None), spec.name
    assert tab("households").row_label_column.name == "head_name"
    assert tab("cows").row_label_column is None  # a cow has no name: its key and village label it
