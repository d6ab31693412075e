"""Monte Carlo, fan quantiles, sensitivity: reproducibility and distributions checked
against closed forms."""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.scenarios import (Baseline, Counterfactual, FundSpec, MonteCarloSpec, growth_path,
                               make_baseline, project, sensitivity)
from fundgap.scenarios.montecarlo import fan_quantiles

from .conftest import two_region

US_FLAT = Counterfactual(us_growth=0.0)  # the US held flat


def fan_row(fan, variable, t, region="EU27", stage="later"):
    sel = fan[(fan.variable == variable) & (fan.region == region) & (fan.stage_group == stage)
              & (fan.t == t)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_fan_quantiles_match_numpy(rng):
    a = rng.standard_normal((2001, 9))
    a[::5, 3] = np.nan
    q = (0.05, 0.25, 0.5, 0.75, 0.95)
    assert np.allclose(fan_quantiles(a, q), np.nanquantile(a, q, axis=0))


def test_identical_seeds_identical_results(synthetic_history):
    b = make_baseline(synthetic_history, fund_sizes={"EU27": [20.0, 60.0, 150.0, 400.0]},
                      round_sizes={"later": ("lognormal", math.log(40), 1.0)})
    r1 = project(b, n_sims=500, seed=42)
    r2 = project(b, n_sims=500, seed=42)
    r3 = project(b, n_sims=500, seed=43)
    pd.testing.assert_frame_equal(r1.fan(), r2.fan())
    pd.testing.assert_frame_equal(r1.crossings(), r2.crossings())
    assert not r1.fan()["q95"].equals(r3.fan()["q95"])
    # the central projection does not depend on the simulations
    pd.testing.assert_frame_equal(r1.to_frame(), project(b).to_frame())


def test_fan_columns_and_order(synthetic_history):
    r = project(make_baseline(synthetic_history), n_sims=200, seed=1)
    fan = r.fan()
    assert list(fan.columns) == ["model", "scenario", "region", "stage_group", "variable", "unit",
                                 "year", "t", "q05", "q25", "q50", "q75", "q95", "mean"]
    qs = fan[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    ok = ~np.isnan(qs).any(axis=1)
    assert np.all(np.diff(qs[ok], axis=1) >= -1e-9)
    long = r.fan(long=True)
    assert list(long.columns) == ["model", "scenario", "region", "variable", "unit", "year",
                                  "value"]
    assert long["variable"].str.endswith("|q05").any()
    c = r.crossings()
    assert {"prob_within_horizon", "crossing_year_q05", "crossing_year_q50",
            "crossing_year_q95"} <= set(c.columns)
    assert c["prob_within_horizon"].between(0, 1).all()


def test_no_uncertainty_gives_the_central_path(flat_gap):
    r = project(flat_gap, n_sims=50, seed=3, counterfactual=US_FLAT,
                monte_carlo=MonteCarloSpec(growth_sd=0.0))
    row = fan_row(r.fan(), "ratio_to_US", 10)
    assert row["q05"] == pytest.approx(1.0) and row["q95"] == pytest.approx(1.0)
    c = r.crossings().set_index("threshold")
    assert c.loc[1.0, "prob_within_horizon"] == 1.0
    assert c.loc[1.0, "crossing_year_q50"] == 2034


def test_growth_uncertainty_is_lognormal_around_the_path(flat_gap):
    # EU capital at t is 20 * 5 ** (t/10) * exp(eps * t), eps ~ N(0, 0.1):
    # median 20 * 5 ** (t/10); 95th percentile x exp(1.6449 * 0.1 * t)
    r = project(flat_gap, n_sims=40_000, seed=11, counterfactual=US_FLAT,
                monte_carlo=MonteCarloSpec(growth_sd=0.1))
    row = fan_row(r.fan(), "capital", 10)
    assert row["q50"] == pytest.approx(100.0, rel=0.02)
    assert row["q95"] == pytest.approx(100.0 * math.exp(1.6448536 * 0.1 * 10), rel=0.03)
    assert row["mean"] == pytest.approx(100.0 * math.exp(0.5 * 1.0), rel=0.03)
    # P(ratio >= 1 at t=10) = P(eps >= 0) = 1/2; it may cross earlier, so at least 1/2
    c = r.crossings().set_index("threshold")
    assert c.loc[1.0, "prob_within_horizon"] >= 0.49


def test_trend_slope_draws_follow_its_covariance():
    # a noisy synthetic US history; the slope's standard error by the textbook formula
    rng = np.random.default_rng(5)
    years = np.arange(2005, 2025)
    y = 3.0 + 0.08 * (years - 2005) + rng.normal(0, 0.2, years.size)
    x = years - years.mean()
    b_hat = (x * (y - y.mean())).sum() / (x ** 2).sum()
    resid = y - y.mean() - b_hat * x
    se_b = math.sqrt((resid ** 2).sum() / (years.size - 2) / (x ** 2).sum())
    hist = pd.DataFrame({"region": ["US"] * years.size, "stage_group": "later", "year": years,
                         "value": np.exp(y)})
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
                        "value": [1.0, math.exp(y[-1])]})
    b = Baseline(cap, start_year=2024, history=hist)
    # the hand formula uses all 20 years: fit on the whole history (the default is 10 years)
    r = project(b, n_sims=20_000, seed=8, horizon=10,
                counterfactual=Counterfactual(trend_years=None),
                monte_carlo=MonteCarloSpec(trend_noise=False, keep_sims=True))
    us10 = r.sims[("US", "later", "capital", "USD_M")][:, 10]
    slopes = np.log(us10 / math.exp(y[-1])) / 10
    assert slopes.mean() == pytest.approx(b_hat, abs=0.002)
    assert slopes.std() == pytest.approx(se_b, rel=0.03)


def test_fund_size_uncertainty_moves_capacity():
    b = two_region(fund_sizes={"EU27": [50.0, 100.0, 200.0]})
    r = project(b, n_sims=2000, seed=2, counterfactual=US_FLAT,
                monte_carlo=MonteCarloSpec(growth_sd=0.0, fund_size_sd=0.2, fund_dispersion_sd=0.0))
    row = fan_row(r.fan(), "largest_lead_round_p50", 0, stage="all")
    # 30 * exp(N(0, 0.2)): quartiles 30 * exp(-/+ 0.6745 * 0.2)
    assert row["q25"] == pytest.approx(30 * math.exp(-0.6745 * 0.2), rel=0.03)
    assert row["q75"] == pytest.approx(30 * math.exp(0.6745 * 0.2), rel=0.03)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 300))
def test_same_seed_same_fan_property(seed, n):
    b = two_region(fund_sizes={"EU27": [30.0, 90.0]},
                   round_sizes={"later": [5.0, 50.0, 500.0]})
    f1 = project(b, n_sims=n, seed=seed,
                 counterfactual=Counterfactual(us_growth=0.02, cn_growth=0.0)).fan()
    f2 = project(b, n_sims=n, seed=seed, counterfactual=Counterfactual(us_growth=0.02)).fan()
    pd.testing.assert_frame_equal(f1, f2)


@settings(max_examples=25, deadline=None)
@given(m1=st.floats(1.0, 10.0), extra=st.floats(0.0, 10.0), mix=st.floats(0.0, 1.0),
       years=st.integers(1, 15), shape=st.sampled_from(["compound", "linear", "logistic"]),
       us=st.floats(-0.05, 0.15))
def test_more_capital_never_lowers_capacity(m1, extra, mix, years, shape, us):
    b = two_region(fund_sizes={"EU27": [20.0, 60.0, 150.0, 400.0]},
                   round_sizes={"later": [2.0, 10.0, 30.0, 80.0, 250.0]})
    kw = dict(lever="mix", fund=FundSpec(mix=mix), counterfactual=Counterfactual(us_growth=us),
              horizon=10)
    lo = project(b, growth_path(m1, years, shape=shape), **kw).to_frame()
    hi = project(b, growth_path(m1 + extra, years, shape=shape), **kw).to_frame()
    assert (lo[["region", "stage_group", "variable", "t"]].values ==
            hi[["region", "stage_group", "variable", "t"]].values).all()
    for var in ("capital", "ratio_to_US", "largest_lead_round_p50", "largest_lead_round_max",
                "n_funds", "fundable_share", "fundable_value_share",
                "funds_able_to_lead_median_round"):
        sel = (lo["variable"] == var) & (lo["region"] == "EU27")
        assert sel.any()
        a, c = lo.loc[sel, "value"].to_numpy(), hi.loc[sel, "value"].to_numpy()
        assert np.all(c >= a - 1e-9 * np.maximum(1, np.abs(a))), var
    sel = (lo["variable"] == "gap_to_US") & (lo["region"] == "EU27")
    assert np.all(hi.loc[sel, "value"].to_numpy() <= lo.loc[sel, "value"].to_numpy() + 1e-9)


# --- sensitivity ------------------------------------------------------------------------

def test_sensitivity_hand_values(flat_gap):
    t = sensitivity(flat_gap, outputs=(("ratio_to_US", "later"),),
                    counterfactual=US_FLAT).to_frame()
    t = t.set_index("parameter")
    assert t.loc["multiple", "value_base"] == pytest.approx(1.0)
    assert t.loc["multiple", "value_low"] == pytest.approx(0.6)  # 20 * 3 / 100
    assert t.loc["multiple", "value_high"] == pytest.approx(1.4)
    # 5x in 15 years seen at year 10: 0.2 * 5 ** (10/15) = 0.5848; in 7 years: held at 1.0
    assert t.loc["n_years", "value_high"] == pytest.approx(0.2 * 5 ** (10 / 15))
    assert t.loc["n_years", "value_low"] == pytest.approx(1.0)
    # US at -3 % / +3 % a year: 1 / 0.97 ** 10 and 1 / 1.03 ** 10
    assert t.loc["us_growth", "value_low"] == pytest.approx(1 / 0.97 ** 10)
    assert t.loc["us_growth", "value_high"] == pytest.approx(1 / 1.03 ** 10)
    # fund parameters do not move a capital ratio
    assert t.loc["max_position", "swing"] == 0 and t.loc["mix", "swing"] == 0
    assert t.index[0] == "us_growth" or t["swing"].iloc[0] >= t["swing"].iloc[1]


def test_sensitivity_fund_parameters_move_fundable_share():
    b = two_region(fund_sizes={"EU27": [100.0]},
                   round_sizes={"later": ("lognormal", math.log(150.0), 1.0)})
    t = sensitivity(b, outputs=(("fundable_share", "later"),), counterfactual=US_FLAT).to_frame()
    t = t.set_index("parameter")
    # base: fund 500 leads 150 = the median round -> 0.5; max_position 0.2 -> leads 200
    assert t.loc["max_position", "value_base"] == pytest.approx(0.5)
    assert t.loc["max_position", "value_high"] == pytest.approx(
        0.5 * (1 + math.erf(math.log(200 / 150) / math.sqrt(2))))
    # mix 0 (more funds): capacity stays 30
    assert t.loc["mix", "value_low"] == pytest.approx(
        0.5 * (1 + math.erf(math.log(30 / 150) / math.sqrt(2))))
    assert list(t.columns[:3]) == ["output", "stage_group", "base"]


def test_sensitivity_with_trend_uses_its_interval(synthetic_history):
    t = sensitivity(make_baseline(synthetic_history)).to_frame()
    row = t[(t.parameter == "us_growth") & (t.output == "ratio_to_US")].iloc[0]
    assert row["low"] < row["base"] < row["high"]
    assert row["value_low"] > row["value_high"]  # faster US growth, lower ratio


def test_import_is_light():
    code = ("import sys, fundgap.scenarios; "
            "bad = [m for m in ('matplotlib', 'seaborn', 'openpyxl', 'statsmodels') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(__import__('pathlib').Path(__file__)
                                                .resolve().parents[2])})
    assert out.stdout.strip() == "[]", out.stderr


def test_growth_uncertainty_stops_when_the_path_ends(flat_gap):
    # 2x in 4 years held to year 8: the spread at year 8 equals the spread at year 4
    r = project(flat_gap, growth_path(2, 4), horizon=8, n_sims=3000, seed=4, counterfactual=US_FLAT,
                monte_carlo=MonteCarloSpec(growth_sd=0.05))
    fan = r.fan()
    a, b = fan_row(fan, "capital", 4), fan_row(fan, "capital", 8)
    assert a["q05"] == b["q05"] and a["q95"] == b["q95"]
    assert a["q50"] == pytest.approx(40.0, rel=0.02)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 400), thr=st.floats(0.1, 3.0))
def test_crossing_stats_match_a_sort_based_count(seed, n, thr):
    from fundgap.scenarios._summary import _crossing_stats

    ratio = np.random.default_rng(seed).lognormal(0, 0.7, (n, 11))
    got = _crossing_stats(ratio, thr)
    hit = ratio >= thr
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), np.inf)
    assert got["prob"] == pytest.approx(np.isfinite(first).mean())
    for name, q in (("q05", 0.05), ("q50", 0.5), ("q95", 0.95)):
        v = np.quantile(first, q, method="lower")
        assert got[name] == (-1 if np.isinf(v) else int(v))


def test_fan_table_and_plot(flat_gap):
    r = project(flat_gap, n_sims=300, seed=5, counterfactual=US_FLAT)
    tab = r.fan_table()
    assert list(tab.columns[:8]) == ["year", "t", "p5", "p25", "p50", "p75", "p95", "mean"]
    assert tab["reference"].tolist() == [100.0] * 11 and tab["central"].iloc[-1] == 100.0
    assert (tab["p5"] <= tab["p50"]).all() and (tab["p50"] <= tab["p95"]).all()
    try:
        import fundgap.report.figures  # noqa: F401  (built by the outputs room)
    except ImportError:
        pytest.skip("fundgap.report.figures not available")
    ax = r.plot()
    assert ax.get_title() == r.title
    assert project(flat_gap, counterfactual=US_FLAT).plot() is not None  # no simulations
