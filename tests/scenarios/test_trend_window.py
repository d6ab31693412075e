"""The default trend window of the counterfactual regions: the last 10 observed years."""

import math

import numpy as np
import pandas as pd
import pytest

from fundgap.scenarios import (DEFAULT_TREND_YEARS, Baseline, Counterfactual, MonteCarloSpec,
                               growth_path, project, sensitivity)


def _broken_history():
    """Synthetic US history with a coverage break: +30 %/yr 2005-2014, then exactly +5 %/yr."""
    years = np.arange(2005, 2025)
    # log value: 30 % growth (log 1.3) to 2014, then log 1.05 a year from 2014 on
    logv = np.where(years <= 2014, math.log(1.3) * (years - 2014),
                    math.log(1.05) * (years - 2014)) + math.log(100.0)
    hist = pd.DataFrame({"region": "US", "stage_group": "later", "year": years,
                         "value": np.exp(logv)})
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
                        "value": [20.0, float(np.exp(logv[-1]))]})
    return Baseline(cap, start_year=2024, history=hist)


def test_default_window_is_the_last_ten_years():
    assert DEFAULT_TREND_YEARS == 10
    b = _broken_history()
    fit = b.trend("US", "later")
    # 2015-2024 lie exactly on the 5 % line: slope log(1.05), no residual
    assert fit.years == (2015, 2024) and fit.n == 10
    assert fit.growth == pytest.approx(0.05)
    # all 20 years mix in the 30 % years: a faster fitted growth
    assert b.trend("US", "later", trend_years=None).growth > 0.10


def test_project_reports_the_window_and_uses_it():
    b = _broken_history()
    r = project(b, growth_path(5, 10), monte_carlo=MonteCarloSpec(trend_noise=False))
    assert r.meta["trend_years"] == "last 10 observed years"
    assert "2015-2024" in r.meta["trends"]["US/later"]
    f = r.to_frame()
    us = f.query("region == 'US' and variable == 'capital'").sort_values("t")["value"].to_numpy()
    # US on a 5 % trend: x 1.05 ** 10 = 1.628895 after ten years
    assert us[10] / us[0] == pytest.approx(1.05 ** 10)
    ratio = f.query("region == 'EU27' and variable == 'ratio_to_US' and t == 10")["value"].iloc[0]
    assert ratio == pytest.approx(20.0 * 5 / (us[0] * 1.05 ** 10))
    r_all = project(b, growth_path(5, 10), counterfactual=Counterfactual(trend_years=None))
    assert r_all.meta["trend_years"] == "all history"
    r_flat = project(b, growth_path(5, 10), counterfactual=Counterfactual(us_growth=0.0))
    assert r_flat.meta["trend_years"] is None


def test_sensitivity_uses_the_default_window():
    t = sensitivity(_broken_history(), outputs=(("ratio_to_US", "later"),)).to_frame()
    row = t[t["parameter"] == "us_growth"].iloc[0]
    assert row["base"] == pytest.approx(0.05)
