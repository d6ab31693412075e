"""project(): cases worked by hand on tiny synthetic baselines."""

import math

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.scenarios import (IAMC_COLUMNS, Baseline, Counterfactual, FundSpec, MonteCarloSpec,
                               ScenarioResult, growth_path, make_baseline, project)
from fundgap.models.results import Result

from .conftest import two_region

US_FLAT = Counterfactual(us_growth=0.0)  # the US held flat


def pick(frame, variable, region="EU27", stage="later"):
    sel = frame[(frame["variable"] == variable) & (frame["region"] == region)
                & (frame["stage_group"] == stage)].sort_values("t")
    return sel["value"].to_numpy()


# --- the flat counterfactual: EU 20, US 100 flat, x5 compound in 10 years -------------

def test_flat_counterfactual_closes_a_fivefold_gap_exactly_at_the_horizon(flat_gap):
    r = project(flat_gap, growth_path(5, 10), counterfactual=US_FLAT)
    assert isinstance(r, ScenarioResult) and isinstance(r, Result)
    f = r.to_frame()
    ratio = pick(f, "ratio_to_US")
    assert ratio[0] == pytest.approx(0.2)
    assert ratio[5] == pytest.approx(0.2 * math.sqrt(5))  # 0.4472
    assert ratio[10] == 1.0  # 20 * 5 / 100, exactly
    cap = pick(f, "capital")
    assert cap[10] == 100.0
    assert pick(f, "capital", region="US").tolist() == [100.0] * 11
    gap = pick(f, "gap_to_US")
    assert gap[0] == pytest.approx(80.0) and gap[10] == 0.0


def test_flat_counterfactual_crossing_years(flat_gap):
    c = project(flat_gap, growth_path(5, 10), counterfactual=US_FLAT).crossings()
    c = c.set_index("threshold")
    # 0.5: first t with 5 ** (t / 10) >= 2.5 is t = 6 (5 ** 0.5 = 2.236, 5 ** 0.6 = 2.627)
    assert c.loc[0.5, "crossing_t"] == 6 and c.loc[0.5, "crossing_year"] == 2030
    assert c.loc[1.0, "crossing_t"] == 10 and c.loc[1.0, "crossing_year"] == 2034
    assert set(c["status"]) == {"crossed"}


def test_not_within_horizon_when_us_grows(flat_gap):
    r = project(flat_gap, growth_path(5, 10), counterfactual=Counterfactual(us_growth=0.05))
    us = pick(r.to_frame(), "capital", region="US")
    assert us[10] == pytest.approx(100 * 1.05 ** 10)  # 162.889
    ratio = pick(r.to_frame(), "ratio_to_US")
    assert ratio[10] == pytest.approx(100 / (100 * 1.05 ** 10))  # 0.6139
    c = r.crossings().set_index("threshold")
    assert c.loc[1.0, "status"] == "not within horizon"
    assert pd.isna(c.loc[1.0, "crossing_year"])
    # 0.2 * 5 ** (t / 10) / 1.05 ** t >= 0.5 first at t = 9 (t = 8: 0.4952; t = 9: 0.5216)
    assert c.loc[0.5, "crossing_t"] == 9


def test_already_at_baseline():
    b = two_region(eu=60.0, us=100.0)
    c = project(b, growth_path(2, 10), counterfactual=US_FLAT).crossings().set_index("threshold")
    assert c.loc[0.5, "status"] == "at baseline" and c.loc[0.5, "crossing_t"] == 0
    assert c.loc[1.0, "crossing_t"] == 8  # 0.6 * 2 ** (t / 10) >= 1 first at t = 8 (1.0446)


def test_linear_path_projection(flat_gap):
    r = project(flat_gap, growth_path(5, 10, shape="linear"), counterfactual=US_FLAT)
    assert pick(r.to_frame(), "capital")[5] == pytest.approx(60.0)  # 20 * 3


def test_horizon_beyond_path_holds_the_multiple(flat_gap):
    r = project(flat_gap, growth_path(5, 5), horizon=8, counterfactual=US_FLAT)
    cap = pick(r.to_frame(), "capital")
    assert len(cap) == 9 and cap[5] == 100.0 and cap[8] == 100.0


def test_years_are_calendar_years(flat_gap):
    f = project(flat_gap, counterfactual=US_FLAT).to_frame()
    assert f["year"].min() == 2024 and f["year"].max() == 2034


# --- levers and fund capacity ----------------------------------------------------------

def funds_baseline(**kw):
    return two_region(fund_sizes={"EU27": [50.0, 100.0, 200.0]}, **kw)


def test_bigger_funds_scales_lead_capacity():
    f = project(funds_baseline(), growth_path(5, 10), counterfactual=US_FLAT).to_frame()
    # largest fund 200: 0.15 * 200 / 0.5 = 60, x5 -> 300; median fund 100: 30 -> 150
    assert pick(f, "largest_lead_round_max", stage="all")[[0, 10]].tolist() == \
        pytest.approx([60.0, 300.0])
    assert pick(f, "largest_lead_round_p50", stage="all")[[0, 10]].tolist() == \
        pytest.approx([30.0, 150.0])
    assert pick(f, "n_funds", stage="all")[[0, 10]].tolist() == pytest.approx([3.0, 3.0])


def test_more_funds_scales_count_not_size():
    f = project(funds_baseline(), growth_path(5, 10), lever="more_funds",
                counterfactual=US_FLAT).to_frame()
    assert pick(f, "largest_lead_round_max", stage="all")[10] == pytest.approx(60.0)
    assert pick(f, "n_funds", stage="all")[10] == pytest.approx(15.0)
    # capital itself does not depend on the lever
    assert pick(f, "capital")[10] == pytest.approx(100.0)


def test_mix_splits_growth_in_log_terms():
    f = project(funds_baseline(), growth_path(5, 10), lever="mix", counterfactual=US_FLAT,
                fund=FundSpec(mix=0.5)).to_frame()
    assert pick(f, "largest_lead_round_max", stage="all")[10] == pytest.approx(60 * math.sqrt(5))
    assert pick(f, "n_funds", stage="all")[10] == pytest.approx(3 * math.sqrt(5))


def test_max_position_and_lead_share_parameters():
    f = project(funds_baseline(), growth_path(5, 10), counterfactual=US_FLAT,
                fund=FundSpec(max_position=0.10, lead_share=0.25)).to_frame()
    assert pick(f, "largest_lead_round_max", stage="all")[0] == pytest.approx(80.0)  # .1*200/.25


def test_fundable_share_empirical_demand():
    b = two_region(fund_sizes={"EU27": [100.0]},
                   round_sizes={"later": [10.0, 20.0, 40.0, 80.0, 160.0]})
    f = project(b, growth_path(5, 10), counterfactual=US_FLAT).to_frame()
    # one fund of 100 leads up to 30: rounds 10 and 20 -> 2 of 5, value 30 / 310
    share = pick(f, "fundable_share")
    value = pick(f, "fundable_value_share")
    assert share[0] == pytest.approx(0.4) and value[0] == pytest.approx(30 / 310)
    # fund x5 = 500 leads up to 150: 4 of 5 rounds, value 150 / 310
    assert share[10] == pytest.approx(0.8) and value[10] == pytest.approx(150 / 310)
    # median round 40 needs a fund of 40 * 0.5 / 0.15 = 133.3: none at t=0, the x5 fund at t=10
    able = pick(f, "funds_able_to_lead_median_round")
    assert able[0] == 0.0 and able[10] == 1.0


def test_fundable_share_lognormal_demand():
    b = two_region(fund_sizes={"EU27": [100.0]},
                   round_sizes={"later": ("lognormal", math.log(30.0), 1.0)})
    f = project(b, growth_path(5, 10), counterfactual=US_FLAT).to_frame()
    # capacity 30 = the median round: half the rounds; by value Phi(-1) = 0.158655
    assert pick(f, "fundable_share")[0] == pytest.approx(0.5)
    assert pick(f, "fundable_value_share")[0] == pytest.approx(0.15865525393145707)


def test_demand_growth_erodes_capacity():
    b = two_region(fund_sizes={"EU27": [100.0]},
                   round_sizes={"later": ("lognormal", math.log(30.0), 1.0)})
    f = project(b, growth_path(5, 10), lever="more_funds", counterfactual=US_FLAT,
                fund=FundSpec(demand_growth=0.05)).to_frame()
    # capacity stays 30 while rounds grow: share at t = 10 is Phi(-0.5) = 0.308538
    assert pick(f, "fundable_share")[10] == pytest.approx(0.3085375387259869)


def test_stage_allocation_puts_new_capital_where_asked():
    cap = pd.DataFrame({"region": ["EU27", "EU27", "US", "US"],
                        "stage_group": ["seed", "later", "seed", "later"],
                        "value": [10.0, 10.0, 50.0, 50.0]})
    b = Baseline(cap, start_year=2024)
    f = project(b, growth_path(5, 10), stage_allocation={"later": 1.0},
                counterfactual=US_FLAT).to_frame()
    # new capital at t = 10: (5 - 1) * 20 = 80, all to later
    assert pick(f, "capital", stage="later")[10] == pytest.approx(90.0)
    assert pick(f, "capital", stage="seed")[10] == pytest.approx(10.0)
    assert pick(f, "capital", stage="all")[10] == pytest.approx(100.0)
    assert pick(f, "ratio_to_US", stage="later")[10] == pytest.approx(1.8)
    # pro rata (default): every stage x5
    g = project(b, growth_path(5, 10), counterfactual=US_FLAT).to_frame()
    assert pick(g, "capital", stage="seed")[10] == pytest.approx(50.0)


# --- counterfactual trends -------------------------------------------------------------

def test_trend_fit_matches_hand_ols():
    # US log values 0, 0.1, 0.3, 0.3 over 2021-2024: OLS slope by hand = Sxy / Sxx = 0.55 / 5
    hist = pd.DataFrame({"region": ["US"] * 4 + ["EU27"] * 4, "stage_group": "later",
                         "year": [2021, 2022, 2023, 2024] * 2,
                         "value": list(np.exp([0.0, 0.1, 0.3, 0.3])) + [0.1] * 4})
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
                        "value": [0.1, math.exp(0.3)]})
    b = Baseline(cap, start_year=2024, history=hist)
    fit = b.trend("US", "later")
    assert fit.params[1] == pytest.approx(0.11)
    assert fit.growth == pytest.approx(math.exp(0.11) - 1)
    # fitted 0.175 + 0.11 (x - 1.5) = .01, .12, .23, .34; residuals -.01, -.02, .07, -.04
    # SSR = 0.007, df 2 -> sigma^2 = 0.0035; var(slope) = sigma^2 / Sxx = 0.0007
    assert fit.sigma == pytest.approx(math.sqrt(0.0035))
    assert fit.cov[1, 1] == pytest.approx(0.0007)
    r = project(b, growth_path(5, 10))
    us = pick(r.to_frame(), "capital", region="US")
    assert us[1] == pytest.approx(math.exp(0.3 + 0.11))
    assert us[10] == pytest.approx(math.exp(0.3 + 1.1))
    f = r.to_frame()
    fit = f.query("variable == 'capital_trend_fit'").sort_values("t")["value"].to_numpy()
    lo = f.query("variable == 'capital_trend_pi_low' and t == 10")["value"].iloc[0]
    hi = f.query("variable == 'capital_trend_pi_high' and t == 10")["value"].iloc[0]
    # fitted line at the start year (x = 3 in the hand fit): 0.175 + 0.11 * 1.5 = 0.34
    assert fit[0] == pytest.approx(math.exp(0.34)) and fit[10] == pytest.approx(math.exp(1.44))
    # 95 % prediction interval at t = 10 (x = 13) by hand: t(2) = 4.302653,
    # se = sqrt(0.0035 * (1 + 1/4 + (13 - 1.5) ** 2 / 5)) = 0.3115
    half = 4.302652729911275 * math.sqrt(0.0035 * (1 + 0.25 + 11.5 ** 2 / 5))
    assert lo == pytest.approx(math.exp(1.44 - half)) and hi == pytest.approx(math.exp(1.44 + half))


def test_trend_needs_history(flat_gap):
    with pytest.raises(FundgapError, match="history"):
        project(flat_gap)


def test_make_baseline_from_series_and_trend(synthetic_history):
    b = make_baseline(synthetic_history)
    assert b.start_year == 2024 and set(b.regions) == {"EU27", "US", "CN"}
    assert b.stages == ["seed", "early", "later"]
    r = project(b)
    f = r.to_frame()
    assert set(f["stage_group"]) >= {"seed", "early", "later", "all"}
    assert {"ratio_to_US", "ratio_to_CN", "gap_to_US"} <= set(f["variable"])
    # stage "all" is the sum of the stages
    eu = f[(f.region == "EU27") & (f.variable == "capital")]
    piv = eu.pivot(index="t", columns="stage_group", values="value")
    assert np.allclose(piv["all"], piv[["seed", "early", "later"]].sum(axis=1))
    # ratio x base = region's capital
    us = f[(f.region == "US") & (f.variable == "capital")].set_index(["stage_group", "t"])["value"]
    ra = f[(f.region == "EU27") & (f.variable == "ratio_to_US")].set_index(["stage_group", "t"])
    assert np.allclose(ra["value"] * us.loc[ra.index], eu.set_index(["stage_group", "t"])
                       .loc[ra.index, "value"])


def test_make_baseline_sums_countries_unless_an_aggregate_exists():
    s = pd.DataFrame({
        "source": "synthetic", "region": ["EU27", "EU27", "EU27", "US", "US"],
        "country": ["DE", "FR", None, "US", "US"], "stage_group": "later",
        "year": [2024, 2024, 2024, 2023, 2024], "value": [3.0, 4.0, 9.0, 50.0, 60.0],
        "unit": "USD_M"})
    b = make_baseline(s)
    assert b.matrix(["EU27", "US"]).ravel().tolist() == [9.0, 60.0]  # aggregate row wins
    b2 = make_baseline(s[s["country"].notna()])
    assert b2.matrix(["EU27", "US"]).ravel().tolist() == [7.0, 60.0]  # DE + FR


def test_make_baseline_refuses_mixed_sources(synthetic_history):
    other = synthetic_history.assign(source="other")
    with pytest.raises(FundgapError, match="source"):
        make_baseline(pd.concat([synthetic_history, other]))
    b = make_baseline(pd.concat([synthetic_history, other]), select={"source": "other"})
    assert b.source == "other"


def test_make_baseline_from_a_result_frame():
    res = Result(pd.DataFrame({"region": ["EU27", "US"], "stage_group": ["later", "later"],
                               "estimate": [5.0, 25.0]}), title="synthetic")
    b = make_baseline(res)
    assert b.matrix(["EU27", "US"]).ravel().tolist() == [5.0, 25.0] and b.history is None


def test_make_baseline_funds_and_rounds_frames():
    s = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later", "year": 2024,
                      "value": [20.0, 100.0], "unit": "USD_M"})
    funds = pd.DataFrame({"region": ["EU27", "EU27", "US", "EU27"],
                          "size_usd": [100.0, 50.0, 500.0, 9999.0],
                          "fund_type": ["vc", "growth", "vc", "pe"]})
    rounds = pd.DataFrame({"region": ["US", "US", "EU27"],
                           "stage_group": ["later", "early", "later"],
                           "amount_usd": [40.0, 5.0, 30.0]})
    b = make_baseline(s, funds=funds, rounds=rounds)
    assert b.fund_sizes["EU27"].tolist() == [50.0, 100.0]  # PE fund left out
    assert b.round_sizes["later"].tolist() == [30.0, 40.0]
    with pytest.raises(MissingColumnError):
        make_baseline(s, funds=funds.drop(columns="size_usd"))


# --- output shapes ---------------------------------------------------------------------

def test_long_output_is_iamc(flat_gap):
    r = project(flat_gap, scenario="x5", model="fundgap-test", counterfactual=US_FLAT)
    long = r.to_long()
    assert tuple(long.columns) == IAMC_COLUMNS
    assert not long.duplicated(["model", "scenario", "region", "variable", "year"]).any()
    assert set(long["scenario"]) == {"x5"} and set(long["model"]) == {"fundgap-test"}
    row = long[(long.variable == "ratio_to_US|later") & (long.year == 2034)]
    assert row["value"].iloc[0] == 1.0 and row["unit"].iloc[0] == "ratio"
    tidy = r.to_frame()
    assert list(tidy.columns) == ["model", "scenario", "region", "stage_group", "variable",
                                  "unit", "year", "t", "value"]
    assert r.fan().empty  # no simulations asked for


def test_summary_and_repr(flat_gap):
    r = project(flat_gap, counterfactual=US_FLAT)
    assert "EU27/US 2034" in r.summary() and "ScenarioResult" in repr(r)
    assert "<table" in r._repr_html_()


@pytest.mark.parametrize("kwargs, match", [
    ({"lever": "bigger"}, "argument 'lever'"),
    ({"region": "XX"}, "argument 'region'"),
    ({"base": "CN"}, "argument 'base'"),
    ({"stage_allocation": {"later": 0.5}}, "sum to 1"),
    ({"stage_allocation": {"seed": 1.0}}, "stage"),
    ({"horizon": 0}, "argument 'horizon'"),
    ({"n_sims": -1}, "argument 'n_sims'"),
    ({"thresholds": (0,)}, "argument 'thresholds'"),
    ({"fund": {"lead_share": 0.3}}, "argument 'fund'.*FundSpec"),
])
def test_bad_arguments_raise(flat_gap, kwargs, match):
    kw = {"counterfactual": US_FLAT, **kwargs}
    with pytest.raises(FundgapError, match=match):
        project(flat_gap, **kw)


@pytest.mark.parametrize("spec, kwargs, match", [
    (FundSpec, {"max_position": 0}, "argument 'max_position'"),
    (FundSpec, {"lead_share": 1.5}, "argument 'lead_share'.*expected a number in \\(0, 1\\]"),
    (FundSpec, {"mix": 2}, "argument 'mix'"),
    (FundSpec, {"lead_fund": "p99"}, "argument 'lead_fund'"),
    (Counterfactual, {"us_growth": "fast"}, "trend"),
    (Counterfactual, {"us_growth": -2}, "above -1"),
    (Counterfactual, {"trend_years": 0}, "argument 'trend_years'"),
    (MonteCarloSpec, {"growth_sd": -0.1}, "argument 'growth_sd'"),
    (MonteCarloSpec, {"quantiles": (0.5, 1.5)}, "argument 'quantiles'"),
])
def test_bad_spec_values_raise_when_made(spec, kwargs, match):
    with pytest.raises(FundgapError, match=match):
        spec(**kwargs)


def test_baseline_validation():
    with pytest.raises(FundgapError):
        Baseline(pd.DataFrame({"region": ["EU27"], "stage_group": ["later"], "value": [-1.0]}))
    with pytest.raises(FundgapError):
        Baseline(pd.DataFrame({"region": ["EU27", "US", "US"],
                               "stage_group": ["later", "later", "seed"],
                               "value": [1.0, 2.0, 3.0]}))  # EU27 lacks seed
    with pytest.raises(MissingColumnError):
        Baseline(pd.DataFrame({"region": ["EU27"], "value": [1.0]}))


def test_zero_capital_in_the_base_gives_undefined_ratios():
    b = two_region(eu=5.0, us=0.0)
    r = project(b, counterfactual=US_FLAT)
    assert np.isnan(pick(r.to_frame(), "ratio_to_US")).all()
    assert r.crossings()["status"].str.startswith("undefined").all()


def test_keep_sims_shapes(flat_gap):
    r = project(flat_gap, n_sims=7, seed=1, counterfactual=US_FLAT,
                monte_carlo=MonteCarloSpec(keep_sims=True))
    arr = r.sims[("EU27", "later", "capital", "USD_M")]
    assert arr.shape == (7, 11)
    assert np.all(arr[:, 0] == 20.0)  # the start year is observed in every simulation


def test_calendar_path_without_baseline_year():
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later", "value": [1.0, 2.0]})
    r = project(Baseline(cap), growth_path(2, 10, start_year=2030), counterfactual=US_FLAT)
    assert r.to_frame()["year"].min() == 2030


def test_funds_and_rounds_frames_passed_to_project(flat_gap):
    funds = pd.DataFrame({"region": ["EU27", "EU27"], "size_usd": [100.0, 200.0],
                          "fund_type": ["vc", "vc"]})
    rounds = pd.DataFrame({"region": ["US"] * 4, "stage_group": "later",
                           "amount_usd": [10.0, 50.0, 70.0, 100.0]})
    f = project(make_baseline(flat_gap, funds=funds, rounds=rounds), counterfactual=US_FLAT,
                fund=FundSpec(lead_fund="max")).to_frame()
    # largest fund 200 leads 60: rounds 10 and 50 -> 2 of 4; x5 leads 300: all
    assert pick(f, "fundable_share")[[0, 10]].tolist() == [0.5, 1.0]
    with pytest.raises(FundgapError, match="funds="):
        project(funds, counterfactual=US_FLAT)
    with pytest.raises(TypeError):  # frames for the baseline go through make_baseline
        project(flat_gap, funds=funds)


def test_closed_form_trend_equals_statsmodels_ols(synthetic_history):
    import statsmodels.api as sm

    b = make_baseline(synthetic_history)
    fit = b.trend("CN", "early", horizon=10)
    # the default window: the last 10 observed years, 2015-2024
    h = synthetic_history.query("region == 'CN' and stage_group == 'early' and year >= 2015")
    x = h["year"].to_numpy(float) - 2024
    y = np.log(h["value"].to_numpy(float))
    res = sm.OLS(y, np.column_stack([np.ones_like(x), x])).fit()
    assert np.allclose(fit.params, res.params, rtol=1e-10)
    assert np.allclose(fit.cov, res.cov_params(), rtol=1e-9)
    assert fit.sigma == pytest.approx(math.sqrt(res.scale), rel=1e-10)
    tt = np.arange(11.0)
    sf = res.get_prediction(np.column_stack([np.ones_like(tt), tt])).summary_frame(alpha=0.05)
    assert np.allclose(np.log(fit.pi["low"]), sf["obs_ci_lower"], rtol=1e-9)
    assert np.allclose(np.log(fit.pi["high"]), sf["obs_ci_upper"], rtol=1e-9)
    assert np.allclose(fit.model.params, res.params)  # statsmodels results stay reachable


