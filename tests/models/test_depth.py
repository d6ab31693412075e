"""depth(): expected values worked out by hand on small synthetic fixtures."""

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.models import DepthResult, depth
from fundgap.schema import conform


@pytest.fixture
def synthetic_rounds():
    """Synthetic rounds (EUR m). EU27 early: 1, 3, 5, 10, 40, 120 + one undisclosed;
    EU27 unknown stage: 2; EU27 grant: 500 (not VC); US later: 100, 200."""
    return conform(pd.DataFrame({
        "round_id": [f"r{i}" for i in range(11)],
        "region": ["EU27"] * 9 + ["US"] * 2,
        "stage": ["series_a", "series_a", "series_b", "series_a", "series_b", "series_a",
                  "series_b", "venture_unknown", "grant", "series_c", "growth"],
        "year": [2020, 2020, 2020, 2021, 2021, 2021, 2021, 2021, 2021, 2020, 2021],
        "amount_eur": [1.0, 3.0, 5.0, 10.0, 40.0, 120.0, np.nan, 2.0, 500.0, 100.0, 200.0],
        "source": "synthetic",
    }), "rounds")


def _get(res, metric, **key):
    f = res.to_frame()
    m = f["metric"] == metric
    for k, v in key.items():
        m &= f[k] == v
    row = f[m]
    assert len(row) == 1, (metric, key, row)
    return row.iloc[0]


def test_point_estimates_by_hand(synthetic_rounds):
    res = depth(synthetic_rounds, n_boot=0, price_base=None)
    assert isinstance(res, DepthResult)
    eu = dict(region="EU27", stage_group="early")
    assert _get(res, "n_rounds", **eu)["estimate"] == 7
    assert _get(res, "n_disclosed", **eu)["estimate"] == 6
    assert _get(res, "total", **eu)["estimate"] == pytest.approx(179.0)
    assert _get(res, "mean", **eu)["estimate"] == pytest.approx(179 / 6)
    # sorted 1 3 5 10 40 120; linear interpolation at h = 5q
    assert _get(res, "median", **eu)["estimate"] == pytest.approx(7.5)
    assert _get(res, "p25", **eu)["estimate"] == pytest.approx(3.5)
    assert _get(res, "p75", **eu)["estimate"] == pytest.approx(32.5)
    assert _get(res, "p90", **eu)["estimate"] == pytest.approx(80.0)
    assert _get(res, "share_large", **eu)["estimate"] == pytest.approx(120 / 179)
    us = dict(region="US", stage_group="later")
    assert _get(res, "median", **us)["estimate"] == pytest.approx(150.0)
    assert _get(res, "share_large", **us)["estimate"] == pytest.approx(1.0)
    # unknown stages: 1 of the 8 EU27 VC rows; the grant is not VC
    assert _get(res, "share_unknown_stage", region="EU27", stage_group="all")["estimate"] == (
        pytest.approx(1 / 8))
    assert res.meta["n_dropped_non_vc"] == 1
    assert "non_vc" not in set(res.to_frame()["stage_group"])


def test_stages_all_keeps_non_vc(synthetic_rounds):
    res = depth(synthetic_rounds, n_boot=0, stages="all", price_base=None)
    assert _get(res, "total", region="EU27", stage_group="non_vc")["estimate"] == 500
    assert _get(res, "share_unknown_stage", region="EU27", stage_group="all")["estimate"] == (
        pytest.approx(1 / 9))


def test_large_round_threshold_inclusive(synthetic_rounds):
    res = depth(synthetic_rounds, n_boot=0, large_round=40.0, price_base=None)
    assert _get(res, "share_large", region="EU27", stage_group="early")["estimate"] == (
        pytest.approx(160 / 179))


def test_tidy_columns_and_units(synthetic_rounds):
    f = depth(synthetic_rounds, n_boot=50, seed=0, price_base=None).to_frame()
    assert list(f.columns) == ["region", "stage_group", "metric", "estimate", "ci_low",
                               "ci_high", "n", "unit", "price_base"]
    units = f.set_index("metric")["unit"].to_dict()
    assert units["total"] == "EUR_M" and units["n_rounds"] == "count"
    assert units["share_large"] == "share"
    assert (f["price_base"] == "current").all()
    counts = f[f["metric"].isin(["n_rounds", "n_disclosed"])]
    assert counts["ci_low"].isna().all()


def test_bootstrap_seeded_and_sensible(synthetic_rounds):
    a = depth(synthetic_rounds, n_boot=300, seed=7, price_base=None).to_frame()
    b = depth(synthetic_rounds, n_boot=300, seed=7, price_base=None).to_frame()
    c = depth(synthetic_rounds, n_boot=300, seed=8, price_base=None).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert not a["ci_low"].equals(c["ci_low"])
    amt = a[a["metric"].isin(["total", "mean", "median"]) & a["ci_low"].notna()]
    assert (amt["ci_low"] <= amt["estimate"] + 1e-9).all()
    assert (amt["ci_high"] >= amt["estimate"] - 1e-9).all()
    # a bootstrap median of six values is one of their midpoints, within [1, 120]
    med = amt[(amt["metric"] == "median") & (amt["region"] == "EU27")].iloc[0]
    assert 1.0 <= med["ci_low"] <= 7.5 <= med["ci_high"] <= 120.0


def test_constant_cell_has_degenerate_interval():
    synthetic = conform(pd.DataFrame({"region": ["UK"] * 4, "stage": ["seed"] * 4,
                                      "amount_eur": [5.0] * 4}), "rounds")
    f = depth(synthetic, n_boot=100, seed=1, price_base=None).to_frame().set_index("metric")
    assert f.loc["median", "ci_low"] == f.loc["median", "ci_high"] == 5.0
    assert f.loc["total", "ci_low"] == pytest.approx(20.0)


def test_large_cell_intervals_match_normal_theory():
    """Uniform(0, 10) amounts, n = 5000 (the pooled Poisson path): the 95% interval of the
    mean is about 2 * 1.96 * sd / sqrt(n) wide, that of the median about
    2 * 1.96 / (2 f(m) sqrt(n)) with density f = 0.1."""
    rng = np.random.default_rng(3)
    n = 5000
    synthetic = conform(pd.DataFrame({"region": "EU27", "stage": "seed",
                                      "amount_eur": rng.uniform(0, 10, n)}), "rounds")
    f = depth(synthetic, n_boot=2000, seed=2, price_base=None).to_frame().set_index("metric")
    w_mean = f.loc["mean", "ci_high"] - f.loc["mean", "ci_low"]
    w_med = f.loc["median", "ci_high"] - f.loc["median", "ci_low"]
    assert w_mean == pytest.approx(2 * 1.96 * (10 / np.sqrt(12)) / np.sqrt(n), rel=0.12)
    assert w_med == pytest.approx(2 * 1.96 / (2 * 0.1 * np.sqrt(n)), rel=0.2)


def test_price_base_with_deflator(synthetic_rounds):
    res = depth(synthetic_rounds, n_boot=0, price_base=2021, deflator={2020: 100.0, 2021: 110.0})
    # US later: 100 (2020) -> 110 in 2021 prices, 200 (2021) unchanged
    assert _get(res, "total", region="US", stage_group="later")["estimate"] == pytest.approx(310)
    assert (res.to_frame()["price_base"] == "2021").all()
    with pytest.raises(FundgapError):
        depth(synthetic_rounds, n_boot=0, price_base=2021, deflator={2021: 1.0})


def test_scale_gdp_and_capita(synthetic_rounds):
    den = pd.DataFrame({"region": ["EU27", "EU27", "US", "US"], "year": [2020, 2021] * 2,
                        "value": [1000.0, 3000.0, 500.0, 500.0]})
    res = depth(synthetic_rounds, n_boot=0, scale="gdp", denominators=den, price_base=None)
    # EU27 early total 179 over GDP of 2020 + 2021 = 4000 -> 4.475 % per year on average
    assert _get(res, "total_pct_gdp", region="EU27", stage_group="early")["estimate"] == (
        pytest.approx(179 / 4000 * 100))
    pop = den.assign(value=[2e6, 2e6, 1e6, 1e6])
    res = depth(synthetic_rounds, n_boot=0, scale="capita", denominators=pop, price_base=None)
    row = _get(res, "total_per_capita", region="US", stage_group="later")
    assert row["estimate"] == pytest.approx(300e6 / 2e6)
    assert row["unit"] == "EUR_per_person"
    with pytest.raises(FundgapError):
        depth(synthetic_rounds, n_boot=0, scale="gdp", price_base=None)


def test_biotech_only_and_by_columns(synthetic_rounds):
    rounds = synthetic_rounds.assign(is_biotech=pd.array([True] * 3 + [False] * 8,
                                                         dtype="boolean"))
    res = depth(rounds, n_boot=0, biotech_only=True, by=("region",), price_base=None)
    assert _get(res, "total", region="EU27")["estimate"] == pytest.approx(9.0)
    assert _get(res, "share_unknown_stage", region="EU27")["estimate"] == 0.0


def test_bad_arguments(synthetic_rounds):
    with pytest.raises(MissingColumnError):
        depth(synthetic_rounds, by=("region", "nope"), price_base=None)
    with pytest.raises(FundgapError, match="ci"):
        depth(synthetic_rounds, ci=1.5, price_base=None)
    with pytest.raises(FundgapError, match="scale"):
        depth(synthetic_rounds, scale="gpd", price_base=None)
    with pytest.raises(FundgapError):
        depth(synthetic_rounds.drop(columns="currency").assign(amount=1.0,
              currency=["EUR"] * 10 + ["USD"]), measure="amount", price_base=None)


def test_missing_labels_are_kept():
    synthetic = conform(pd.DataFrame({"region": ["EU27", None], "stage": [None, "seed"],
                                      "amount_eur": [1.0, 2.0]}), "rounds")
    f = depth(synthetic, n_boot=0, price_base=None).to_frame()
    keys = set(zip(f["region"], f["stage_group"]))
    assert ("EU27", "unknown") in keys and ("missing", "seed") in keys


def test_relative_to_base_region():
    synthetic = conform(pd.DataFrame({
        "region": ["EU27"] * 3 + ["US"] * 3, "stage": ["series_a"] * 6,
        "amount_eur": [5.0, 10.0, 120.0, 20.0, 30.0, 250.0]}), "rounds")
    res = depth(synthetic, n_boot=400, seed=3, price_base=None)
    rel = res.relative(base="US", metric="median")
    assert len(rel) == 1
    row = rel.iloc[0]
    assert row["estimate"] == pytest.approx(10 / 30)
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    # bootstrap medians of three values are sample values: ratios lie within 5/250 .. 120/20
    assert 5 / 250 - 1e-6 <= row["ci_low"] and row["ci_high"] <= 120 / 20 + 1e-6
    tot = res.relative(metric="total").iloc[0]
    assert tot["estimate"] == pytest.approx(135 / 300)
    with pytest.raises(FundgapError):
        res.relative(metric="nope")
