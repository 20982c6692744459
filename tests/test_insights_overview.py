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


def test_school_support_hygiene_and_health_education_join_the_years_results(demo_cache):
    from insights import health_education, school_support, wash
    from insights.common import Filters
    from insights.overview import results_sentences

    con = demo_cache.cursor()
    results = year_results(con, 2017)
    assert results["school_support"] == school_support.summary(con, Filters.year(2017))
    assert results["wash"] == wash.summary(con, Filters.year(2017))
    sentences = results_sentences(results)
    s, w, h = results["school_support"], results["wash"], health_education.totals(con, Filters.year(2017))
    assert sentences["School support"] == [
        f"{s['enrolled']:,} children enrolled in state school with CCPCR's material support ({s['children']:,} supported, "
        f"{s['materials_per_child']:.1f} items of material per child); {s['share_in_school']:.0%} of them still in school at the end of 2017."]
    assert sentences["Household hygiene"] == [
        f"Of {w['households']:,} households surveyed by 31 Dec 2017 (latest survey of each), {w['share_toilet']:.0%} can access a toilet "
        f"and {w['share_clean_water']:.0%} clean water; {w['share_handwashing']:.0%} have a hand-washing place."]
    assert sentences["Health education"][0].startswith(f"Health education: {h['sessions']:,} sessions in {h['villages']:,} villages")


def test_a_year_or_place_without_the_new_programmes_says_so(demo_cache):
    from insights.overview import results_sentences

    sentences = results_sentences(year_results(demo_cache.cursor(), 2015))
    assert sentences["School support"] == ["No school support recorded in 2015."]  # the support began with the groups, in 2016
    kampot = results_sentences(year_results(demo_cache.cursor(), 2017, KAMPOT))
    assert kampot["Household hygiene"] == ["No household hygiene survey recorded by the end of 2017."]
