"""The Overview's figures follow the place filter: Kampot holds the clinic, not the prevention work."""
from insights.overview import year_results
from insights.overview_charts import monthly_figures

KAMPOT, SVAY_RIENG = "07", "20"


def test_the_clinic_is_in_kampot_and_prevention_is_not(demo_cache):
    kampot = year_results(demo_cache.cursor(), 2017, KAMPOT)
    assert kampot["clinic"]["assessed"] == 11_292
    assert kampot["prevention"]["villages"] == 0
    assert kampot["rice_bank"]["stock"] == []


def test_svay_rieng_has_both_rice_banks_and_no_clinic(demo_cache):
    svay_rieng = year_results(demo_cache.cursor(), 2018, SVAY_RIENG)
    assert [b["bank_id"] for b in svay_rieng["rice_bank"]["stock"]] == ["RB-01", "RB-02"]
    assert svay_rieng["clinic"]["assessed"] == 0


def test_the_monthly_charts_get_a_few_rows_each(demo_cache):
    figures = monthly_figures(demo_cache.cursor(), 2017)
    assert len(figures["Savings groups"]) == 12
    assert set(figures["Rice bank"]["bank"]) == {"Teng Mao"}  # RB-02 opened in 2018
    assert all(len(frame) <= 12 * 6 for frame in figures.values())
    assert monthly_figures(demo_cache.cursor(), 2017, KAMPOT)["Prevention"].empty
