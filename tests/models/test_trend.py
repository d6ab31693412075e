"""The one trend estimator (fundgap.models._trend) against statsmodels OLS, to 1e-10.

gap()'s growth rates and the scenarios' counterfactual trends both go through
log_linear(); the reference numbers come from statsmodels' OLS on the same design,
an independent implementation.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from fundgap.errors import FundgapError
from fundgap.models import gap
from fundgap.models._trend import log_linear

TOL = 1e-10


@pytest.fixture
def synthetic_series():
    """SYNTHETIC: 12 years of a noisy exponential, seeded."""
    rng = np.random.default_rng(17)
    years = np.arange(2011, 2023, dtype="float64")
    values = 50.0 * np.exp(0.08 * (years - 2011) + rng.normal(0, 0.15, years.size))
    return years, values


def _ols(years, values, origin):
    x = years - origin
    return sm.OLS(np.log(values), np.column_stack([np.ones_like(x), x])).fit()


@pytest.mark.parametrize("origin", [2011.0, 2022.0, 2030.0])
def test_log_linear_equals_statsmodels_ols(synthetic_series, origin):
    years, values = synthetic_series
    fit = log_linear(years, values, origin=origin)
    res = _ols(years, values, origin)
    assert np.allclose(fit.params, res.params, rtol=TOL, atol=TOL)
    assert np.allclose(fit.cov, res.cov_params(), rtol=TOL, atol=TOL)
    assert fit.sigma == pytest.approx(np.sqrt(res.scale), rel=TOL)
    lo, hi = fit.growth_ci(0.9)
    ci = res.conf_int(alpha=0.1)[1]
    assert (lo, hi) == pytest.approx(tuple(np.expm1(ci)), rel=TOL)
    t = np.arange(0.0, 6.0)
    line, low, high = fit.interval(t)
    sf = res.get_prediction(np.column_stack([np.ones_like(t), t])).summary_frame(alpha=0.05)
    assert np.allclose(np.log(line), sf["mean"], rtol=TOL, atol=TOL)
    assert np.allclose(np.log(low), sf["obs_ci_lower"], rtol=TOL, atol=TOL)
    assert np.allclose(np.log(high), sf["obs_ci_upper"], rtol=TOL, atol=TOL)
    assert np.allclose(fit.statsmodels().params, res.params, rtol=TOL, atol=TOL)


def test_log_linear_drops_non_positive_values_and_refuses_too_few():
    fit = log_linear([2020, 2021, 2022, 2023], [1.0, 2.0, 0.0, 8.0])
    # ln 1, ln 2, ln 8 at 2020, 2021, 2023: slope by hand = Sxy / Sxx
    x = np.array([0.0, 1.0, 3.0])
    y = np.log([1.0, 2.0, 8.0])
    assert fit.n == 3
    assert fit.slope == pytest.approx(((x - x.mean()) * (y - y.mean())).sum()
                                      / ((x - x.mean()) ** 2).sum(), rel=TOL)
    with pytest.raises(FundgapError, match="argument 'values'.*at least three"):
        log_linear([2020, 2021], [1.0, 2.0])
    with pytest.raises(FundgapError, match="argument 'years'.*two distinct years"):
        log_linear([2020, 2020, 2020], [1.0, 2.0, 3.0])


def test_gap_growth_rates_equal_statsmodels_ols(synthetic_series):
    years, values = synthetic_series
    rng = np.random.default_rng(3)
    other = values * np.exp(rng.normal(-1.5, 0.1, values.size))
    s = pd.DataFrame({"source": "synthetic", "region": ["US"] * years.size + ["EU27"] * years.size,
                      "stage_group": "all", "sector": "all", "measure": "vc_invested",
                      "year": np.concatenate([years, years]).astype(int),
                      "value": np.concatenate([values, other]), "unit": "USD_M"})
    f = gap(s, ci=0.9).to_frame().set_index("metric")
    for metric, v in (("growth_base", values), ("growth_against", other),
                      ("growth_ratio", other / values)):
        res = _ols(years, v, years.min())
        lo, hi = np.expm1(res.conf_int(alpha=0.1)[1])
        row = f.loc[metric]
        assert row["estimate"] == pytest.approx(np.expm1(res.params[1]), rel=TOL)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=TOL)
        assert row["n"] == years.size
