"""compare_regions' fits on grouped data checked against independent fits on every row.

OLS (and its covariances) from the groups' sufficient statistics must equal
statsmodels' OLS on the full design built here with pandas dummies; the exact
quantile regression must reach the optimum of the whole linear programme (solved
here on every row with scipy, in its primal form), and its range of each ratio must
equal the range found by an independent programme over every row.
"""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from fundgap.models import compare_regions
from fundgap.models._grouped import group_rows
from fundgap.models._quantreg import SortedGroups, quantile_cov, solve_exact
from fundgap.schema import conform

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def synthetic():
    """SYNTHETIC rounds: three regions x three stage groups x five years, unbalanced cells,
    heteroskedastic log sizes (USD m, current prices)."""
    rng = np.random.default_rng(19)
    n = 420
    region = rng.choice(["US", "EU27", "CN"], n, p=[0.5, 0.3, 0.2])
    stage = rng.choice(["seed", "series_a", "series_c"], n, p=[0.5, 0.3, 0.2])
    year = rng.integers(2016, 2021, n)
    scale = np.where(region == "CN", 1.4, 0.8)
    logs = 1.0 + (region == "US") * 0.5 + (stage == "series_c") * 1.2 + 0.1 * (year - 2016) \
        + rng.normal(0, 1, n) * scale
    return conform(pd.DataFrame({"region": region, "stage": stage, "year": year,
                                 "amount_usd": np.exp(logs)}), "rounds")


def _full_design(rounds):
    """The cell x year design on every row, built independently of fundgap."""
    cells = rounds["region"].astype(str) + ":" + rounds["stage_group"].astype(str)
    x = pd.get_dummies(cells, dtype=float)
    x.columns = [f"cell[{c}]" for c in x.columns]
    years = pd.get_dummies(rounds["year"].astype(int), dtype=float).iloc[:, 1:]
    years.columns = [f"year[{y}]" for y in years.columns]
    return np.log(rounds["amount_usd"].to_numpy()), pd.concat([x, years], axis=1)


def _additive_design(rounds):
    parts = [pd.Series(1.0, index=rounds.index, name="const")]
    for col, prefix, drop in (("region", "region", "US"), ("stage_group", "stage", None),
                              ("year", "year", None)):
        d = pd.get_dummies(rounds[col].astype(str), dtype=float)
        d = d.drop(columns=drop) if drop else d.iloc[:, 1:]
        d.columns = [f"{prefix}[{c}]" for c in d.columns]
        parts.append(d)
    return pd.concat(parts, axis=1)


def _fit(rounds, **kw):
    return compare_regions(rounds, measure="amount_usd", price_base=None, count_model=None,
                           **kw)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
def test_grouped_ols_equals_statsmodels_on_every_row(synthetic, cov_type):
    res = _fit(synthetic, quantiles=(), cov_type=cov_type)
    y, x = _full_design(synthetic)
    for key, design in (("ols", x), ("ols_additive", _additive_design(synthetic))):
        want = sm.OLS(y, design).fit(cov_type=cov_type)
        got = res.models[key]
        names = list(design.columns)
        assert sorted(got.params.index) == sorted(names)
        np.testing.assert_allclose(got.params[names], want.params[names], rtol=1e-10,
                                   atol=1e-12)
        np.testing.assert_allclose(got.bse[names], want.bse[names], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got.cov_params().loc[names, names],
                                   want.cov_params().loc[names, names], rtol=1e-10,
                                   atol=1e-13)
        assert got.nobs == len(y) and got.df_resid == want.df_resid


def test_ols_ratios_and_intervals_from_the_full_fit(synthetic):
    res = _fit(synthetic, quantiles=())
    y, x = _full_design(synthetic)
    want = sm.OLS(y, x).fit(cov_type="HC3")
    f = res.to_frame().query("model == 'ols'").set_index(["region", "stage_group"])
    for (region, stage), row in f.iterrows():
        vec = pd.Series(0.0, index=x.columns)
        vec[f"cell[{region}:{stage}]"], vec[f"cell[US:{stage}]"] = 1.0, -1.0
        d = float(vec @ want.params)
        se = float(np.sqrt(vec @ want.cov_params() @ vec))
        assert row["estimate"] == pytest.approx(np.exp(d), rel=1e-10)
        assert row["ci_low"] == pytest.approx(np.exp(d - 1.959963984540054 * se), rel=1e-10)
        assert row["range_low"] == row["range_high"] == row["estimate"]  # OLS: one minimiser


def _check_loss(y, x, beta, q):
    e = y - x @ beta
    return float(np.sum(e * (q - (e < 0))))


def _primal_optimum(y, x, q, objective=None, contrast=None, sign=1.0):
    """min check loss over every row (primal LP); with ``objective`` and ``contrast``: the
    lowest (sign 1) or highest (sign -1) contrast over the coefficients whose loss is at
    most ``objective``."""
    n, p = x.shape
    eye = sp.identity(n, format="csr")
    a_eq = sp.hstack([sp.csr_matrix(x), eye, -eye]).tocsr()
    loss = np.concatenate([np.zeros(p), np.full(n, q), np.full(n, 1 - q)])
    bounds = [(None, None)] * p + [(0, None)] * (2 * n)
    if contrast is None:
        res = linprog(loss, A_eq=a_eq, b_eq=y, bounds=bounds, method="highs")
        return res.fun
    c = np.concatenate([sign * contrast, np.zeros(2 * n)])
    res = linprog(c, A_ub=loss[None, :], b_ub=[objective], A_eq=a_eq, b_eq=y, bounds=bounds,
                  method="highs")
    return sign * res.fun


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_exact_quantile_regression_reaches_the_optimum_of_every_row(synthetic, q):
    res = _fit(synthetic, quantiles=(q,))
    label = f"quantreg_q{round(q * 100)}"
    fit = res.models[label]
    y, x = _full_design(synthetic)
    beta = fit.params[x.columns].to_numpy()
    best = _primal_optimum(y, x.to_numpy(), q)
    assert _check_loss(y, x.to_numpy(), beta, q) == pytest.approx(best, rel=1e-9)
    assert fit.objective == pytest.approx(best, rel=1e-9)
    # statsmodels' iterative fit comes close to the optimum, not below it
    irls = sm.QuantReg(y, x).fit(q=q)
    assert _check_loss(y, x.to_numpy(), irls.params.to_numpy(), q) >= best - 1e-9


def test_quantile_ratio_ranges_match_an_independent_programme(synthetic):
    q = 0.5
    res = _fit(synthetic, quantiles=(q,), pooled=False)
    y, x = _full_design(synthetic)
    best = _primal_optimum(y, x.to_numpy(), q)
    irls = sm.QuantReg(y, x).fit(q=q)
    rows = res.to_frame().query("model == 'quantreg_q50'")
    assert len(rows) == 6
    widths = []
    for row in rows.itertuples():
        vec = pd.Series(0.0, index=x.columns)
        vec[f"cell[{row.region}:{row.stage_group}]"] = 1.0
        vec[f"cell[US:{row.stage_group}]"] = -1.0
        lo = _primal_optimum(y, x.to_numpy(), q, best * (1 + 1e-12), vec.to_numpy(), 1.0)
        hi = _primal_optimum(y, x.to_numpy(), q, best * (1 + 1e-12), vec.to_numpy(), -1.0)
        assert np.log(row.range_low) == pytest.approx(lo, abs=1e-6)
        assert np.log(row.range_high) == pytest.approx(hi, abs=1e-6)
        assert row.range_low <= row.estimate <= row.range_high
        # statsmodels' ratio is one of the minimisers' (up to its tolerance)
        d = float(vec @ irls.params)
        assert lo - 1e-4 <= d <= hi + 1e-4
        widths.append(hi - lo)
    assert max(widths) > 0  # with cells of a few dozen rounds the minimiser is not unique


def test_narrow_windows_and_a_bad_start_still_end_at_the_optimum():
    rng = np.random.default_rng(3)
    code = rng.integers(0, 12, 3000)
    cells, years = code // 4, code % 4
    xg = np.zeros((12, 6))
    xg[np.arange(12), np.arange(12) // 4] = 1.0
    for g in range(12):
        if g % 4:
            xg[g, 2 + g % 4] = 1.0
    y = 5.0 + cells * 0.7 + years * 0.3 + rng.standard_t(3, 3000)
    groups, keys = group_rows(code, y)
    assert keys.tolist() == list(range(12))
    # windows of one row around y = 0, far from the fit at about 5 to 7.5
    sol = solve_exact(SortedGroups(groups), xg, 0.7, window=1, share=0.0)
    assert sol.rounds > 1
    x = xg[groups.code]
    assert _check_loss(y, x, sol.beta, 0.7) == pytest.approx(_primal_optimum(y, x, 0.7),
                                                            rel=1e-9)


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_quantile_covariance_is_statsmodels_formula(synthetic, q):
    y, x = _full_design(synthetic)
    want = sm.QuantReg(y, x).fit(q=q)
    key = x.to_numpy() @ (2.0 ** np.arange(x.shape[1]))  # one key per distinct design row
    groups, keys = group_rows(key.astype(np.int64), y)
    first = pd.Series(np.arange(len(key))).groupby(key.astype(np.int64)).first()
    xg = x.to_numpy()[first.loc[keys].to_numpy()]
    cov, h, sparsity = quantile_cov(SortedGroups(groups), xg, q, want.params.to_numpy())
    np.testing.assert_allclose(cov, want.cov_params().to_numpy(), rtol=1e-10, atol=1e-14)
    assert h == pytest.approx(want.bandwidth, rel=1e-12)
    assert sparsity == pytest.approx(want.sparsity, rel=1e-10)


def test_disconnected_design_falls_back_to_statsmodels():
    # SYNTHETIC: the EU27 cell only in 2019, the US cell only in 2020 -- cell and year
    # effects cannot be told apart, the grouped design lacks full rank
    rounds = conform(pd.DataFrame({
        "region": ["EU27"] * 6 + ["US"] * 6, "stage": "seed",
        "year": [2019] * 6 + [2020] * 6,
        "amount_usd": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 2.0, 3.0, 4.0, 5.0, 6.0, 9.0]}), "rounds")
    res = _fit(rounds, quantiles=(0.5,), pooled=False)
    assert type(res.models["quantreg_q50"]).__module__.startswith("statsmodels")
    assert np.isnan(res.to_frame().query("model == 'quantreg_q50'")["range_low"]).all()


def test_summaries_of_the_grouped_fits(synthetic):
    res = _fit(synthetic, quantiles=(0.9,))
    text = res.summary("ols")
    assert "OLS Regression Results" in text and "HC3" in text and "cell[EU27:seed]" in text
    text = res.summary("quantreg_q90")
    assert "Quantile Regression Results" in text and "exact" in text
    assert res.designs["size"][0]["n"].sum() == res.meta["n_sized"]
