"""compare_regions(): statsmodels fits checked against closed forms on tiny synthetic designs."""

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.models import ComparisonResult, compare_regions
from fundgap.schema import conform


def _row(res, model, region, stage):
    f = res.to_frame()
    r = f[(f["model"] == model) & (f["region"] == region) & (f["stage_group"] == stage)]
    assert len(r) == 1
    return r.iloc[0]


@pytest.fixture
def tiny():
    """Synthetic: seed cells of three rounds, early cells of two (USD m)."""
    return conform(pd.DataFrame({
        "region": ["US"] * 5 + ["EU27"] * 5,
        "stage": ["seed", "seed", "seed", "series_a", "series_a"] * 2,
        "year": [2020] * 10,
        "amount_usd": [1.0, 2.0, 4.0, 10.0, 40.0,  1.0, 1.0, 3.0, 5.0, 5.0],
    }), "rounds")


def test_ols_ratio_is_ratio_of_geometric_means_with_hc3(tiny):
    res = compare_regions(tiny, year_fe=False, quantiles=(), count_model=None, measure="amount_usd",
                          price_base=None)
    assert isinstance(res, ComparisonResult)
    r = _row(res, "ols", "EU27", "seed")
    # geometric means: US (1*2*4)^(1/3) = 2, EU27 (1*1*3)^(1/3) = 3^(1/3)
    assert r["estimate"] == pytest.approx(3 ** (1 / 3) / 2)
    r = _row(res, "ols", "EU27", "early")
    assert r["estimate"] == pytest.approx(5 / 20)  # sqrt(10*40) = 20, sqrt(5*5) = 5

    # HC3 by hand: for a cell-means design the leverage of each row is 1/n_c, so the
    # variance of a cell mean is sum(e^2 / (1 - 1/n)^2) / n^2
    def hc3(logs):
        e = logs - logs.mean()
        n = len(logs)
        return float((e ** 2 / (1 - 1 / n) ** 2).sum() / n ** 2)

    v = hc3(np.log([1.0, 2.0, 4.0])) + hc3(np.log([1.0, 1.0, 3.0]))
    r = _row(res, "ols", "EU27", "seed")
    assert r["se"] == pytest.approx(np.sqrt(v))
    assert r["ci_low"] == pytest.approx(np.exp(np.log(r["estimate"]) - 1.959964 * np.sqrt(v)),
                                        rel=1e-5)
    assert r["n"] == 3 and r["n_base"] == 3


def test_quantile_ratios_are_cell_quantiles(tiny):
    res = compare_regions(tiny.iloc[[0, 1, 2, 5, 6, 7]], year_fe=False, quantiles=(0.5, 0.9),
                          count_model=None, measure="amount_usd", price_base=None)
    # medians 2 (US) and 1 (EU27); with three values the 0.9 check-loss minimiser is the maximum
    assert _row(res, "quantreg_q50", "EU27", "seed")["estimate"] == pytest.approx(0.5, rel=1e-4)
    assert _row(res, "quantreg_q90", "EU27", "seed")["estimate"] == pytest.approx(0.75, rel=1e-4)
    assert set(res.models) == {"ols", "ols_additive", "quantreg_q50", "quantreg_q90"}


def test_year_effects_match_numpy_least_squares():
    rng = np.random.default_rng(11)
    n = 60
    synthetic = conform(pd.DataFrame({
        "region": rng.choice(["US", "EU27", "CN"], n),
        "stage": rng.choice(["seed", "series_b", "growth"], n),
        "year": rng.integers(2018, 2022, n),
        "amount_usd": np.exp(rng.normal(1, 1, n)),
    }), "rounds")
    res = compare_regions(synthetic, quantiles=(), count_model=None, measure="amount_usd",
                          price_base=None)
    # same model, built independently: region x stage-group dummies + year dummies
    grp = synthetic["stage_group"].astype(str)
    cells = synthetic["region"].astype(str) + ":" + grp
    x = pd.get_dummies(cells, dtype=float)
    yd = pd.get_dummies(synthetic["year"].astype(int), dtype=float).iloc[:, 1:]
    xx = pd.concat([x, yd], axis=1)
    beta, *_ = np.linalg.lstsq(xx.to_numpy(), np.log(synthetic["amount_usd"]), rcond=None)
    coef = dict(zip(xx.columns, beta))
    for stage in ("seed", "early", "later"):
        want = np.exp(coef[f"EU27:{stage}"] - coef[f"US:{stage}"])
        assert _row(res, "ols", "EU27", stage)["estimate"] == pytest.approx(want, rel=1e-8)


def test_poisson_count_ratio_is_ratio_of_totals():
    """With cell and year effects on a full grid, Poisson MLE reproduces the margins, so the
    count ratio is the ratio of the cells' total round counts."""
    regions = ["US"] * 6 + ["EU27"] * 3 + ["US"] * 2 + ["EU27"] * 2
    stages = ["seed"] * 9 + ["series_a"] * 4
    years = [2020, 2020, 2020, 2021, 2021, 2021, 2020, 2021, 2021, 2020, 2021, 2020, 2021]
    synthetic = conform(pd.DataFrame({"region": regions, "stage": stages, "year": years,
                                      "amount_usd": 1.0}), "rounds")
    res = compare_regions(synthetic, quantiles=(), count_model="poisson", measure="amount_usd",
                          price_base=None)
    assert _row(res, "count_poisson", "EU27", "seed")["estimate"] == pytest.approx(3 / 6)
    assert _row(res, "count_poisson", "EU27", "early")["estimate"] == pytest.approx(2 / 2)
    assert "count_poisson" in res.models


def _overdispersed_rounds(seed: int = 5) -> pd.DataFrame:
    """SYNTHETIC rounds whose yearly counts per region x stage are negative binomial:
    mean 40 (US) or 20 (EU27) rounds a year, overdispersion alpha 0.3 (gamma-Poisson)."""
    rng = np.random.default_rng(seed)
    rows = []
    for region, mean in (("US", 40.0), ("EU27", 20.0)):
        for stage in ("seed", "series_a"):
            for year in range(2010, 2022):
                k = rng.poisson(rng.gamma(1 / 0.3, mean * 0.3))  # NB with var = mu + 0.3 mu^2
                rows += [(region, stage, year)] * int(k)
    df = pd.DataFrame(rows, columns=["region", "stage", "year"])
    df["amount_usd"] = np.exp(rng.normal(2, 1, len(df)))
    return conform(df, "rounds")


def test_negbin_runs_and_is_reachable():
    res = compare_regions(_overdispersed_rounds(), quantiles=(0.5,), measure="amount_usd",
                          price_base=None)
    r = _row(res, "count_negbin", "EU27", "seed")
    assert 0.3 < r["estimate"] < 0.8  # about half as many EU27 rounds (20 vs 40 a year)
    assert r["ci_low"] < r["estimate"] < r["ci_high"]
    assert hasattr(res.models["count_negbin"], "summary")
    assert "count_warning" not in res.meta
    assert res.ratios("ols").shape == (1, 2)


def test_negbin_without_overdispersion_falls_back_to_poisson():
    # SYNTHETIC rounds spread at random over cells: the counts are (multinomial, hence)
    # not overdispersed, alpha sits at its bound 0 and the negative binomial has no
    # covariance; Poisson is used instead, and the result says so
    rng = np.random.default_rng(5)
    n = 600
    synthetic = conform(pd.DataFrame({
        "region": rng.choice(["US", "US", "EU27"], n), "stage": rng.choice(["seed", "series_a"], n),
        "year": rng.integers(2015, 2021, n), "amount_usd": np.exp(rng.normal(2, 1, n))}),
        "rounds")
    res = compare_regions(synthetic, quantiles=(0.5,), measure="amount_usd", price_base=None)
    models = set(res.to_frame()["model"])
    if "count_negbin" in models:  # (a statsmodels that still inverts the Hessian at the bound)
        r = _row(res, "count_negbin", "EU27", "seed")
    else:
        assert "Poisson" in res.meta["count_warning"]
        r = _row(res, "count_poisson", "EU27", "seed")
    assert 0.3 < r["estimate"] < 0.8  # about half as many EU27 rounds (1/3 vs 2/3 of rows)


def test_errors(tiny):
    with pytest.raises(FundgapError, match="base"):
        compare_regions(tiny, base="CN", measure="amount_usd", price_base=None)
    with pytest.raises(FundgapError):
        compare_regions(tiny, count_model="logit", measure="amount_usd", price_base=None)
    with pytest.raises(FundgapError):
        compare_regions(tiny, quantiles=(1.5,), measure="amount_usd", price_base=None)


def test_summary_of_fitted_model(tiny):
    res = compare_regions(tiny, year_fe=False, quantiles=(), count_model=None, measure="amount_usd",
                          price_base=None)
    assert "OLS Regression Results" in res.summary("ols")
    assert res.title in res.summary()
    with pytest.raises(FundgapError):
        res.summary("probit")


def test_additive_model_matches_numpy_and_min_cell():
    rng = np.random.default_rng(4)
    n = 80
    synthetic = conform(pd.DataFrame({
        "region": rng.choice(["US", "EU27"], n), "stage": rng.choice(["seed", "series_b"], n),
        "year": rng.integers(2019, 2022, n), "amount_usd": np.exp(rng.normal(1, 1, n))}),
        "rounds")
    res = compare_regions(synthetic, quantiles=(), count_model=None, measure="amount_usd",
                          price_base=None)
    x = np.column_stack([
        np.ones(n), (synthetic["region"] == "EU27").to_numpy(float),
        (synthetic["stage_group"] == "seed").to_numpy(float),
        (synthetic["year"] == 2020).to_numpy(float), (synthetic["year"] == 2021).to_numpy(float)])
    beta, *_ = np.linalg.lstsq(x, np.log(synthetic["amount_usd"].to_numpy()), rcond=None)
    r = _row(res, "ols_additive", "EU27", "all")
    assert r["estimate"] == pytest.approx(np.exp(beta[1]), rel=1e-8)
    # a one-round cell is dropped from the size models by default (min_cell = 2)
    extra = conform(pd.DataFrame({"region": ["EU27", "US", "US"], "stage": ["growth"] * 3,
                                  "year": [2020] * 3, "amount_usd": [5.0, 3.0, 4.0]}), "rounds")
    one = pd.concat([synthetic, extra], ignore_index=True)
    res = compare_regions(one, quantiles=(), count_model=None, pooled=False, measure="amount_usd",
                          price_base=None)
    assert "later" not in set(res.to_frame()["stage_group"])
    res = compare_regions(one, quantiles=(), count_model=None, pooled=False, min_cell=1,
                          measure="amount_usd", price_base=None)
    assert "later" in set(res.to_frame()["stage_group"])


@pytest.mark.filterwarnings("ignore:Perfect separation")
def test_negbin_falls_back_to_poisson_without_overdispersion():
    # identical counts everywhere: no overdispersion for the negative binomial to estimate
    synthetic = conform(pd.DataFrame({
        "region": ["US"] * 4 + ["EU27"] * 4, "stage": ["seed"] * 8, "year": [2020, 2021] * 4,
        "amount_usd": [1.0, 2.0, 3.0, 4.0] * 2}), "rounds")
    res = compare_regions(synthetic, measure="amount_usd", price_base=None)
    assert "count_poisson" in res.models and "count_warning" in res.meta
    assert _row(res, "count_poisson", "EU27", "seed")["estimate"] == pytest.approx(1.0)
    with pytest.raises(FundgapError, match="besides base"):
        compare_regions(synthetic[synthetic["region"] == "US"], measure="amount_usd",
                        price_base=None)
