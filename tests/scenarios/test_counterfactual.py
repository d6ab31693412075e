"""The US counterfactuals and the plausibility band of a trend, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fundgap.scenarios import Baseline, growth_path
from fundgap.scenarios.counterfactual import auto_select, trend_check, us_counterfactuals


def _baseline(growth: float = 0.10) -> Baseline:
    years = np.arange(2016, 2026)
    us = 100.0 * (1 + growth) ** (years - 2016)
    hist = pd.DataFrame({"region": "US", "stage_group": "later", "year": years, "value": us})
    hist = pd.concat([hist, hist.assign(region="EU27", value=hist["value"] / 10)])
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
                        "value": [us[-1] / 10, us[-1]]})
    return Baseline(cap, start_year=2025, history=hist)


def test_band_by_hand():
    """US VC grows 10 %/yr from 100 (2016); GDP 5 %/yr from 1,000.

    Share of GDP: 0.1 in 2016, 0.1 x (1.1/1.05)^9 in 2025 (the range). With GDP on its
    5 % trend for ten more years, the highest share is kept by growing
    (share_max x GDP_2035 / VC_2025)^(1/10) - 1 = 1.05^10^(1/10) - 1 = 5 %; the lowest
    by 1.05^1.9 / 1.1^0.9 - 1 = +0.7 %, widened to 0 (the band always holds the flat US).
    """
    b = _baseline(0.10)
    years = np.arange(2000, 2026)
    gdp = pd.DataFrame({"year": years, "value": 1000.0 * 1.05 ** (years - 2016)})
    t = trend_check(b, gdp, trend_years=10, horizon=10).set_index("stage_group")
    row = t.loc["later"]
    assert row["growth"] == pytest.approx(0.10)
    assert row["gdp_growth"] == pytest.approx(0.05)
    assert row["band_high"] == pytest.approx(0.05)
    assert 1.05 ** 1.9 / 1.1 ** 0.9 - 1 > 0 and row["band_low"] == 0.0
    assert not row["plausible"]
    assert row["window"] == "2016-2025"


def test_a_trend_slower_than_gdp_is_plausible_and_flat_is_always_in_the_band():
    """VC 2 %/yr, GDP 5 %/yr: the share falls from its 2016 high, so 2 % stays in range.

    Upper edge: (0.1 x GDP_2035 / VC_2025)^(1/10) - 1 = 1.05^1.9 / 1.02^0.9 - 1.
    """
    b = _baseline(0.02)
    years = np.arange(2000, 2026)
    gdp = pd.DataFrame({"year": years, "value": 1000.0 * 1.05 ** (years - 2016)})
    row = trend_check(b, gdp).set_index("stage_group").loc["later"]
    assert row["plausible"]
    assert row["band_high"] == pytest.approx(1.05 ** 1.9 / 1.02 ** 0.9 - 1)
    assert row["band_low"] == 0.0


def test_us_flat_is_the_multiple_times_the_start_ratio():
    b = _baseline()
    t = us_counterfactuals(b, growth_path(5, 10), horizon=10)
    row = t.set_index("stage_group").loc["later"]
    assert row["ratio_start"] == pytest.approx(0.1)
    assert row["ratio_us_flat"] == pytest.approx(0.5)
    # US on a 10 %/yr trend: 0.1 x 5 / 1.1^10
    assert row["ratio_us_trend"] == pytest.approx(0.5 / 1.1 ** 10, rel=1e-6)


def test_auto_select_prefers_oecd_usd_and_the_ncses_table():
    s = pd.DataFrame({"source": ["oecd", "ncses", "ncses"], "unit": ["USD_M", "USD_M", "PCT_GDP"],
                      "table": ["x", "SINV-31", "SKTI-24"]})
    assert auto_select(s) == {"source": "oecd", "unit": "USD_M"}
    assert auto_select(s[s["source"] == "ncses"]) == {"table": "SINV-31", "unit": "USD_M"}
