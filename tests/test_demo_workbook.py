"""The demo workbook: deterministic, valid by every schema and cross-tab rule, and true to the report."""
from __future__ import annotations

import pandas as pd
import pytest

from data.build_demo import build_demo_frames, write_workbook
from data.demo_common import add_months
from schemas import gazetteer
from schemas.registry import TABS, tab

DTYPES = {"text": "string", "int": "Int64", "float": "Float64", "bool": "boolean", "date": "datetime64[ns]"}
END_2018 = pd.Timestamp("2018-12-31")


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    return build_demo_frames()


def in_year(frame: pd.DataFrame, year: int, column: str = "date") -> pd.DataFrame:
    return frame[frame[column].dt.year == year]


# --- shape, types, schema, keys, references ---------------------------------------------------------

def test_same_frames_on_every_build(frames):
    again = build_demo_frames()
    assert list(again) == list(frames)
    for name in frames:
        pd.testing.assert_frame_equal(again[name], frames[name], obj=name)


def test_every_tab_has_the_schema_columns_and_dtypes(frames):
    assert list(frames) == [t.name for t in TABS]
    for t in TABS:
        frame = frames[t.name]
        assert list(frame.columns) == [c.name for c in t.columns], t.name
        for spec in t.columns:
            assert str(frame[spec.name].dtype) == DTYPES[spec.kind], (t.name, spec.name, frame[spec.name].dtype)


@pytest.mark.parametrize("name", [t.name for t in TABS])
def test_every_tab_passes_its_schema(frames, name):
    tab(name).schema.validate(frames[name], lazy=True)


def test_keys_are_unique_and_complete(frames):
    for t in TABS:
        if t.key:
            keys = frames[t.name][list(t.key)]
            assert not keys.isna().any().any(), t.name
            assert not keys.duplicated().any(), t.name


def test_every_reference_resolves(frames):
    checked = 0
    for t in TABS:
        for spec in t.columns:
            if spec.ref:
                target_tab, target_column = spec.ref.split(".")
                values = set(frames[t.name][spec.name].dropna())
                missing = values - set(frames[target_tab][target_column])
                assert not missing, (t.name, spec.name, sorted(missing)[:5])
                checked += 1
    assert checked >= 12


def test_gazetteer_codes_nest(frames):
    villages = frames["villages"]
    assert (villages["village_code"].str[:6] == villages["commune_code"]).all()
    assert (villages["commune_code"].str[:4] == villages["district_code"]).all()
    assert (villages["district_code"].str[:2] == villages["province_code"]).all()
    provinces = dict(zip(villages["province"], villages["province_code"], strict=True))
    assert provinces == {"Svay Rieng": "20", "Koh Kong": "09", "Kampong Thom": "06", "Kampot": "07"}
    named = villages.set_index("village")
    assert named.at["Ruessei Chuor Khang Cheung", "commune"] == "Kraol Kou"
    assert named.at["Ruessei Chuor Khang Cheung", "district"] == "Svay Chrum"
    for commune in ["Andoung Pou", "Kraol Kou", "Chantrea", "Tnaot"]:
        assert (villages["commune"] == commune).any(), commune


def test_every_demo_place_is_in_the_national_gazetteer(frames):
    villages = frames["villages"]
    for level in gazetteer.LEVELS:
        codes = villages[f"{level}_code"].astype("string")
        assert gazetteer.known(level, codes).all(), level
        assert (villages[level] == gazetteer.names_of(level, codes)).all(), level
    referenced = pd.concat([f["village_code"].dropna() for f in frames.values() if "village_code" in f])
    assert gazetteer.known("village", referenced.astype("string")).all()


def test_households_are_consistent(frames):
    households = frames["households"]
    assert 500 <= len(households) <= 800
    assert (households["children"] <= households["members"]).all()
    uses = pd.concat([frames[t].dropna(subset=["household_id"])[["household_id", "date"]]
                      for t in ("migration_checks", "savings_ledger", "cow_events", "rice_ledger")])
    first_use = uses.groupby("household_id")["date"].min()
    enrolled = households.set_index("household_id").loc[first_use.index, "enrolled_on"]
    assert (enrolled <= first_use).all()


# --- prevention -----------------------------------------------------------------------------------

def test_2017_prevention_reach_is_the_reports(frames):
    places = in_year(frames["activities"], 2017).merge(frames["villages"], on="village_code")
    assert places["village_code"].nunique() == 55
    assert places["commune_code"].nunique() == 18
    assert places["district_code"].nunique() == 11
    assert sorted(places["province"].unique()) == ["Kampong Thom", "Koh Kong", "Svay Rieng"]
    assert places["target_village"].all()


def test_commune_plans_include_tip_from_2017(frames):
    plans = frames["commune_plans"]
    assert len(plans) == 18 * 4 and sorted(plans["year"].unique()) == [2015, 2016, 2017, 2018]
    later = plans[plans["year"] >= 2017]
    assert later["tip_in_development_plan"].all() and later["tip_in_investment_plan"].all()
    assert not plans[plans["year"] == 2015]["tip_in_investment_plan"].all()


def test_fewer_migrating_families_take_children_after_a_parent_group(frames):
    checks = frames["migration_checks"].merge(frames["households"][["household_id", "village_code"]], on="household_id")
    assert not (checks["took_children"] & ~checks["migrating"]).any()
    founded = frames["parent_groups"].set_index("village_code")["founded_on"]
    assert founded.dt.year.between(2016, 2017).all()
    checks["founded_on"] = checks["village_code"].map(founded)
    migrating = checks[checks["migrating"] & checks["founded_on"].notna()]
    before = migrating[migrating["date"] < migrating["founded_on"]]["took_children"].mean()
    after = migrating[migrating["date"] >= migrating["founded_on"]]["took_children"].mean()
    assert after < before / 2


# --- clinic ---------------------------------------------------------------------------------------

def test_2017_clinic_figures_are_the_reports(frames):
    visits = in_year(frames["clinic_visits"], 2017)
    assert len(visits) == 11_292
    assert visits["care"].value_counts().to_dict() == {"mobile_checkup": 7_963, "outpatient": 2_954, "inpatient": 375}
    assert (visits["age_years"] <= 5).sum() == 2_261
    assert visits["age_years"].between(6, 12).sum() == 3_606
    assert visits["new_patient"].sum() == 300


def test_clinic_sites_kits_and_places(frames):
    visits = frames["clinic_visits"]
    mobile = visits["care"] == "mobile_checkup"
    assert (visits.loc[mobile, "site"] == "mobile_clinic").all() and visits.loc[mobile, "dental_kit"].all()
    assert (visits.loc[~mobile, "site"] == "health_centre").all() and not visits.loc[~mobile, "dental_kit"].any()
    assert visits["village_code"].str.startswith("07").all()  # Kampot
    assert set(visits.loc[mobile, "date"].dt.dayofweek) == {0, 2, 4}
    mobile_days = visits.loc[mobile, "date"].drop_duplicates()
    per_week = mobile_days.groupby(mobile_days.dt.to_period("W")).size()
    assert (per_week <= 3).all() and (per_week == 3).mean() > 0.9 and len(per_week) > 45 * 4
    for year in range(2015, 2019):
        assert 10_000 <= len(in_year(visits, year)) <= 12_000


def test_a_new_patient_was_never_seen_before(frames):
    visits = frames["clinic_visits"].sort_values(["date", "visit_id"])
    seen_before = visits["patient_code"].duplicated()
    assert not (visits["new_patient"] & seen_before).any()
    assert not visits.duplicated(["patient_code", "date"]).any()
    sexes = visits.groupby("patient_code")["sex"].nunique()
    assert (sexes == 1).all()


def test_ambulance_trips(frames):
    trips = frames["ambulance_trips"]
    per_month = trips.groupby(trips["date"].dt.to_period("M")).size()
    assert per_month.median() >= 2
    linked = trips.dropna(subset=["visit_id"]).merge(frames["clinic_visits"], on="visit_id", suffixes=("", "_visit"))
    assert (linked["date"] == linked["date_visit"]).all()
    assert (linked["destination"] == linked["referred_to"]).all()


# --- savings --------------------------------------------------------------------------------------

def test_saving_groups_and_cooperative(frames):
    groups = frames["savings_groups"].merge(frames["villages"], on="village_code")
    saving = groups[groups["kind"] == "saving_group"]
    assert sorted(saving["group_id"]) == [f"SG-{i:02d}" for i in range(1, 26)]
    assert groups["name"].is_unique
    assert (saving["founded_on"].dt.year == 2016).all()
    cooperative = groups[groups["kind"] == "agricultural_cooperative"]
    assert cooperative["group_id"].tolist() == ["AC-01"]
    assert cooperative[["members", "female_members", "commune", "province"]].values.tolist() == [[45, 20, "Andoung Pou", "Svay Rieng"]]


def test_savings_capital_on_2018_12_31_is_the_reports(frames):
    ledger = frames["savings_ledger"]
    ledger = ledger[ledger["date"] <= END_2018]
    sign = ledger["kind"].map({"deposit": 1, "grant": 1, "interest": 1, "withdrawal": -1, "expense": -1}).fillna(0)
    assert (sign.astype(float) * ledger["amount_riel"].astype(float)).sum() == 139_791_300


def test_savings_cash_never_below_zero_and_loans_consistent(frames):
    ledger = frames["savings_ledger"].sort_values(["date", "entry_id"])
    assert ledger["date"].dt.year.between(2016, 2018).all()
    cash_sign = ledger["kind"].map({"deposit": 1, "grant": 1, "interest": 1, "repayment": 1,
                                    "withdrawal": -1, "expense": -1, "loan": -1}).astype(float)
    cash = (cash_sign * ledger["amount_riel"].astype(float)).groupby(ledger["group_id"]).cumsum()
    assert cash.min() >= 0
    loans = ledger[ledger["kind"] == "loan"].set_index("loan_id")
    assert loans.index.is_unique and loans.index.notna().all()
    for kind in ("repayment", "interest"):
        paying = ledger[ledger["kind"] == kind]
        assert paying["loan_id"].isin(loans.index).all(), kind
        assert (paying["group_id"].to_numpy() == loans.loc[paying["loan_id"], "group_id"].to_numpy()).all()
        assert (paying["date"].to_numpy() > loans.loc[paying["loan_id"], "date"].to_numpy()).all()
    repaid = ledger[ledger["kind"] == "repayment"].groupby("loan_id")["amount_riel"].sum()
    assert (repaid <= loans.loc[repaid.index, "amount_riel"]).all()
    assert (ledger[ledger["kind"] == "grant"]["group_id"].value_counts() == 1).all()


# --- cow bank -------------------------------------------------------------------------------------

def test_cow_grants_of_2015(frames):
    cows, events = frames["cows"], frames["cow_events"]
    grants = events[events["kind"] == "granted"]
    assert len(grants) == 30 and (grants["date"].dt.year == 2015).all()
    assert grants["household_id"].nunique() == 30 and grants["cow_id"].nunique() == 30
    families = frames["households"].set_index("household_id").loc[grants["household_id"]]
    places = frames["villages"].set_index("village_code").loc[families["village_code"]]
    assert families["village_code"].value_counts().tolist() == [10, 10, 10]
    assert set(places["commune"]) == {"Chantrea", "Tnaot"} and set(places["province"]) == {"Svay Rieng"}
    bought = cows.set_index("cow_id").loc[grants["cow_id"]]
    assert bought["dam_id"].isna().all() and (bought["sex"] == "female").all()
    assert (bought["born_on"].dt.year == 2014).all()


def test_cow_births_biology_and_policy(frames):
    cows, events = frames["cows"].set_index("cow_id"), frames["cow_events"]
    calves = cows[cows["dam_id"].notna()].sort_values("born_on")
    assert len(calves) == 25 and calves["born_on"].dt.year.between(2016, 2018).all()
    for dam_id, own in calves.groupby("dam_id"):
        dam = cows.loc[dam_id]
        assert dam["sex"] == "female"
        births = own["born_on"].sort_values()
        assert births.iloc[0] >= dam["born_on"] + pd.DateOffset(months=20)
        assert (births.diff().dropna() >= pd.Timedelta(days=300)).all()
        for calf_id in births.index[:2]:  # first and second calf
            passed = events[(events["cow_id"] == calf_id) & (events["kind"] == "passed_on")]
            old_enough = pd.Timestamp(add_months(cows.at[calf_id, "born_on"].date(), 10))
            if len(passed):
                assert passed["date"].iloc[0] >= old_enough
            else:
                assert old_enough + pd.Timedelta(days=80) > END_2018, calf_id
    passed_on = events[events["kind"] == "passed_on"]
    assert len(passed_on) >= 10 and passed_on["household_id"].notna().all()
    for sale in events[events["kind"] == "sold"].itertuples():
        own = calves[calves["dam_id"] == sale.cow_id].index[:2]
        passes = passed_on[passed_on["cow_id"].isin(own)]
        assert len(passes) == 2 and (passes["date"] < sale.date).all()
    for death in events[events["kind"] == "died"].itertuples():
        assert not ((events["cow_id"] == death.cow_id) & (events["date"] > death.date)).any()


# --- rice banks -----------------------------------------------------------------------------------

def rice_stock(ledger: pd.DataFrame) -> pd.Series:
    sign = ledger["kind"].map({"donation": 1, "repayment": 1, "loan": -1, "loss": -1, "sale": -1}).astype(float)
    return sign * ledger["kg"].astype(float)


def test_rice_banks_are_the_reports(frames):
    banks = frames["rice_banks"].merge(frames["villages"], on="village_code").set_index("bank_id")
    assert sorted(banks.index) == ["RB-01", "RB-02"]
    assert banks.at["RB-01", "name"] == "Teng Mao"
    assert banks.at["RB-02", "village"] == "Ruessei Chuor Khang Cheung"
    assert banks.at["RB-02", "established_on"] == pd.Timestamp("2018-04-26")
    assert banks.at["RB-01", "established_on"].year == 2016
    ledger = frames["rice_ledger"]
    opening = ledger[(ledger["bank_id"] == "RB-02") & (ledger["date"] == "2018-04-26")]
    assert opening[["kind", "kg"]].values.tolist() == [["donation", 13_000.0]]
    assert ledger[ledger["bank_id"] == "RB-02"]["date"].min() == pd.Timestamp("2018-04-26")
    rb01 = ledger[(ledger["bank_id"] == "RB-01") & (ledger["date"] <= END_2018)]
    assert rice_stock(rb01).sum() == 18_500.0
    assert (banks["capacity_kg"] > 18_500).all()


def test_rice_stock_never_negative_and_repayments_within_debt(frames):
    ledger = frames["rice_ledger"].sort_values(["date", "entry_id"])
    stock_by_row = rice_stock(ledger).groupby(ledger["bank_id"]).cumsum()
    assert stock_by_row.min() >= 0
    daily = rice_stock(ledger).groupby([ledger["bank_id"], ledger["date"]]).sum().groupby(level=0).cumsum()
    assert daily.min() >= 0
    interest = frames["rice_banks"].set_index("bank_id")["interest_pct"]
    loans = ledger[ledger["kind"] == "loan"].set_index("loan_id")
    assert loans.index.is_unique and loans["date"].dt.month.between(7, 10).all()
    repayments = ledger[ledger["kind"] == "repayment"]
    assert repayments["loan_id"].isin(loans.index).all()
    assert repayments["date"].dt.month.isin([12, 1, 2]).all()
    repaid = repayments.groupby("loan_id")["kg"].sum()
    owed = loans.loc[repaid.index, "kg"] * (1 + loans.loc[repaid.index, "bank_id"].map(interest) / 100)
    assert (repaid <= owed + 1e-9).all()
    assert (repayments.groupby("loan_id").size() > 1).any()  # some repay in parts


# --- admin tabs -----------------------------------------------------------------------------------

def test_settings_users_and_audit(frames):
    settings = dict(zip(frames["settings"]["key"], frames["settings"]["value"], strict=True))
    assert settings == {  # every setting a programme declares, at its default, in programme order (data/demo_admin.py)
        "riel_per_usd": "4000", "cow_pass_on_calves": "2", "cow_pass_on_min_age_months": "10", "cow_dam_min_age_months": "20",
        "cow_calving_interval_days": "300", "rice_lean_months": "7,8,9,10", "rice_loan_term_months": "6",
        "mobile_clinic_days_per_week": "3", "age_bands": "0-5,6-12,13-17,18+", "small_count_threshold": "5",
        "date_order": "day_first",
    }
    assert list(frames["settings"]["note"])[:2] == ["Exchange rate for the dollar columns", "Calves a family passes on before the cow is theirs"]
    users = frames["users"]
    assert sorted(users["role"]) == ["admin", "clinic", "editor", "viewer"]
    assert users["email"].str.endswith("@example.org").all()
    assert len(frames["audit_log"]) == 0


# --- the workbook ---------------------------------------------------------------------------------

def test_workbook_reads_back_with_titles_and_rows(frames, tmp_path):
    path = write_workbook(frames, tmp_path / "demo.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(sheets) == [t.name for t in TABS]
    for t in TABS:
        sheet = sheets[t.name]
        assert list(sheet.columns) == [c.title for c in t.columns], t.name
        assert len(sheet) == len(frames[t.name]), t.name
    visits = sheets["clinic_visits"]
    assert visits["Date"].dtype.kind == "M" and visits["New patient"].dtype == bool
    villages = pd.read_excel(path, sheet_name="villages", engine="calamine", dtype={"Village code": str})
    assert villages["Village code"].str.fullmatch(r"\d{8}").all()
    assert not list(tmp_path.glob(".*.tmp"))


def test_same_frames_give_the_same_bytes(frames, tmp_path):
    small = {name: frames[name] for name in ("settings", "users", "rice_banks", "audit_log")}
    first = write_workbook(small, tmp_path / "a.xlsx").read_bytes()
    assert write_workbook(small, tmp_path / "b.xlsx").read_bytes() == first
