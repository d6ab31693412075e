"""The three-way answer on the shipped data, checked against the raw published tables.

Every expected value is computed here from the raw files in datasets/raw (csv module,
no fundgap code): the OECD file for the EU-27 (sum of the members it reports) and the
US by stage; NCSES tables SINV-31, SKTI-24 and S8-64 for the EU-27, the US, China and
Europe.
"""

from __future__ import annotations

import math

import pytest

from fundgap.findings import COLUMNS, STATUSES

from .conftest import eu27_sum, ncses, oecd_usd


def test_table_has_the_columns_and_valid_statuses(shipped):
    t = shipped.to_frame()
    assert list(t.columns) == list(COLUMNS)
    assert set(t["status"].astype(str)) <= set(STATUSES)
    assert t["id"].is_unique
    assert (t["statement"].str.len() > 20).all()
    assert (t["source"].str.len() > 0).all(), t.loc[t["source"] == "", "id"].tolist()


@pytest.mark.parametrize("stage", ["seed", "early", "later", "all"])
def test_oecd_eu27_us_by_stage_latest_and_five_year_mean(shipped, stage):
    v = oecd_usd()
    us = {y: v[("United States", stage, y)] for y in range(2021, 2026)}
    eu = {y: eu27_sum(v, stage, y) for y in range(2021, 2026)}
    prefix = "totals.eu27_us.oecd" if stage == "all" else f"ladder.{stage}.oecd"
    latest = shipped.get(f"{prefix}.latest")
    assert latest["year"] == "2025"
    assert latest["value"] == pytest.approx(eu[2025] / us[2025], rel=1e-9)
    mean = shipped.get(f"{prefix}.mean5")
    assert mean["year"] == "2021-2025"
    assert mean["value"] == pytest.approx(sum(eu[y] / us[y] for y in eu) / 5, rel=1e-9)
    assert latest["source"] == "OECD" and latest["vintage"]


def test_ncses_three_way_totals_and_oecd_beside_never_blended(shipped):
    eu, us, cn = (ncses("SINV-31", lab, 2022) for lab in ("EU-27", "United States", "China"))
    assert (eu, us, cn) == (61911.0, 247925.0, 88303.0)
    assert shipped.get("totals.eu27_us.ncses.latest")["value"] == pytest.approx(eu / us)
    assert shipped.get("totals.cn_us.ncses.latest")["value"] == pytest.approx(cn / us)
    assert shipped.get("totals.eu27_cn.ncses.latest")["value"] == pytest.approx(eu / cn)
    row = shipped.get("totals.eu27_us.ncses.latest")
    assert row["table"] == "SINV-31" and row["source"] == "NCSES" and row["year"] == "2022"
    v = oecd_usd()
    oecd_2022 = eu27_sum(v, "all", 2022) / v[("United States", "all", 2022)]
    side = shipped.get("totals.eu27_us.sources_compared")
    assert side["value"] == pytest.approx((eu / us) / oecd_2022, rel=1e-9)
    assert "OECD" in side["statement"] and "NCSES" in side["statement"]


def test_biotech_from_skti24_latest_year_and_five_year_sums(shipped):
    years = range(2016, 2021)
    us = {y: ncses("SKTI-24", "United States", y) for y in years}
    eu = {y: ncses("SKTI-24", "Europe", y) for y in years}
    cn = {y: ncses("SKTI-24", "China", y) for y in years}
    assert shipped.get("biotech.europe_us.ncses.latest")["value"] == pytest.approx(
        eu[2020] / us[2020])
    assert shipped.get("biotech.cn_us.ncses.latest")["value"] == pytest.approx(cn[2020] / us[2020])
    assert shipped.get("biotech.europe_us.ncses.sum5")["value"] == pytest.approx(
        sum(eu.values()) / sum(us.values()))
    assert shipped.get("biotech.cn_us.ncses.sum5")["year"] == "2016-2020"
    assert "not the EU-27" in shipped.get("biotech.europe_us.ncses.latest")["caveat"]


def test_pharma_biotech_and_life_sciences_china_vs_us(shipped):
    cn = ncses("S8-64", "China -> Total -> Pharmaceuticals and biotechnology", 2018)
    us = ncses("S8-64", "United States -> Total -> Pharmaceuticals and biotechnology", 2018)
    row = shipped.get("pharma_biotech.cn_us.ncses.latest")
    assert row["value"] == pytest.approx(cn / us) and row["table"] == "S8-64"
    life = shipped.get("life_sciences.cn_us.ncses.latest")
    cn_l, us_l = ncses("S8-65", "China -> Life sciences", 2018), \
        ncses("S8-65", "United States -> Life sciences", 2018)
    assert life["value"] == pytest.approx(cn_l / us_l)
    assert "never added" in life["caveat"]


def test_china_by_stage_is_not_available_and_says_what_would_answer(shipped):
    row = shipped.get("round_size.cn.not_available")
    assert row["status"] == "not_available"
    assert "export" in row["statement"] and "China" in row["statement"]


def test_headline_in_twelve_rows_with_the_three_way_answer(shipped):
    head = shipped.headline()
    assert 1 <= len(head) <= 12
    ids = set(head["id"])
    for needed in ("totals.eu27_us.oecd.latest", "totals.eu27_us.ncses.latest",
                   "totals.cn_us.ncses.latest", "ladder.eu27_us.widest",
                   "biotech.europe_us.ncses.latest", "capacity.eu_us.average",
                   "x5.later.us_flat", "x5.later.us_trend"):
        assert needed in ids, needed
    assert "small_sample" not in set(head["status"].astype(str))


def test_stage_ranking_is_not_claimed_on_a_near_tie(shipped):
    """OECD 2021-2025: the lowest EU-27/US ratio is seed in some years, later in others."""
    v = oecd_usd()
    lowest = {}
    for y in range(2021, 2026):
        r = {s: eu27_sum(v, s, y) / v[("United States", s, y)] for s in ("seed", "early", "later")}
        lowest[y] = min(r, key=r.get)
    row = shipped.get("ladder.eu27_us.widest")
    if len(set(lowest.values())) > 1:
        assert row["status"] == "no_clear_difference"
        for stage in set(lowest.values()):
            assert stage in row["statement"]
    else:
        assert row["status"] == "robust"


def test_fund_capacity_on_one_basis(shipped):
    """European Commission 2017: EU EUR 56m, US EUR 156m average fund; same year, currency."""
    row = shipped.get("capacity.eu_us.average")
    assert row["value"] == pytest.approx(56 / 156)
    assert row["status"] == "indicative" and "2024 prices" in row["statement"]


def test_x5_with_the_us_flat_is_five_times_the_start_ratio(shipped):
    v = oecd_usd()
    start = eu27_sum(v, "later", 2025) / v[("United States", "later", 2025)]
    row = shipped.get("x5.later.us_flat")
    assert row["value"] == pytest.approx(5 * start, rel=1e-9)
    assert row["year"] == "2035"


def test_us_trend_states_window_rate_interval_and_band(shipped):
    row = shipped.get("x5.later.us_trend")
    assert "2016-2025" in row["statement"] and "95% CI" in row["statement"]
    assert "band" in row["caveat"]
    assert math.isfinite(row["ci_low"]) and row["ci_low"] <= row["value"] <= row["ci_high"]
    check = shipped.results["tables"]["us_trend_check"].set_index("stage_group")
    for stage in ("seed", "early", "later"):
        row = shipped.get(f"us_trend.{stage}")
        assert ("OUTSIDE" in row["statement"]) == (not check.loc[stage, "plausible"])


def test_published_figures_compared_like_for_like(shipped):
    t = shipped.results["tables"]["published_comparison"]
    nvca = t[(t["code"] == 25)].iloc[0]  # NVCA: US VC deal value 2022, USD 240.93bn
    assert nvca["verdict"] == "reproduced"
    assert nvca["fundgap_value"] == pytest.approx(ncses("SINV-31", "United States", 2022) / 1000)
    assert nvca["relative_difference"] == pytest.approx(247.925 / 240.93 - 1)
    imf = t[(t["code"] == 6)]  # an average over 2013-2023: NCSES ends in 2022
    assert (imf["verdict"] == "not_like_for_like").all()
    assert imf["reason"].str.contains("window").all()
    row = shipped.get("published.reproduced")
    like = t[t["verdict"] != "not_like_for_like"]
    assert row["value"] == (like["verdict"] == "reproduced").sum()
    assert row["n"] == len(like)
