"""One money convention: every model on rounds or funds defaults to EUR million at 2024 prices.

Expected values come from the shipped raw price indices (Eurostat HICP, BLS CPI-U)
read here directly, not from the code under test.
"""

import numpy as np
import pandas as pd
import pytest

import fundgap
from fundgap.models import capacity, compare_regions, depth
from fundgap.schema import DEFAULT_FUND_SIZE, DEFAULT_MEASURE, DEFAULT_PRICE_BASE, conform


def _hicp(year):
    h = fundgap.load_dataset("hicp")
    return float(h.loc[h["year"] == year, "hicp"].iloc[0])


@pytest.fixture
def synthetic_rounds():
    """SYNTHETIC: EU27 and US series A rounds in 2015-2020, EUR and USD amounts."""
    rng = np.random.default_rng(5)
    n = 240
    eur = np.exp(rng.normal(2.0, 0.6, n)) * np.repeat([1.0, 2.5], n // 2)
    year = rng.integers(2015, 2021, n)
    return conform(pd.DataFrame({
        "region": np.repeat(["EU27", "US"], n // 2), "stage": "series_a", "year": year,
        "amount_eur": eur, "amount_usd": eur * (1.1 + 0.02 * (year - 2015)),
        "source": "synthetic"}), "rounds")


def test_the_convention_is_eur_at_2024_prices():
    assert (DEFAULT_MEASURE, DEFAULT_FUND_SIZE, DEFAULT_PRICE_BASE) == \
        ("amount_eur", "size_eur", 2024)


def test_depth_defaults_to_eur_at_2024_prices():
    rounds = conform(pd.DataFrame({"region": "EU27", "stage": "series_a", "year": [2016, 2016],
                                   "amount_eur": [10.0, 30.0], "amount_usd": [1.0, 1.0]}),
                     "rounds")
    f = depth(rounds, n_boot=0).to_frame().set_index("metric")
    assert f.loc["total", "estimate"] == pytest.approx(40.0 * _hicp(2024) / _hicp(2016),
                                                       rel=1e-12)
    assert f.loc["total", "unit"] == "EUR_M" and f.loc["total", "price_base"] == "2024"


def test_capacity_defaults_to_eur_at_2024_prices_by_vintage():
    funds = pd.DataFrame({"region": ["EU27", "EU27"], "size_eur": [100.0, 100.0],
                          "vintage": [2012, 1990]})  # no HICP before 2000: left out
    res = capacity(funds, fund_types=None, quantiles=(0.5,))
    row = res.to_frame().query("metric == 'fund_size' and quantile == 0.5")
    assert row["estimate"].iloc[0] == pytest.approx(100.0 * _hicp(2024) / _hicp(2012),
                                                    rel=1e-12)
    assert res.meta["n_funds_without_price_index"] == 1
    assert res.meta["price_base"] == 2024


def test_compare_regions_ratios_do_not_depend_on_currency_or_prices_with_year_effects(
        synthetic_rounds):
    # the conversion and the deflator are the same for every round of a year: the year
    # effects absorb them, so the ratios equal those in current USD
    a = compare_regions(synthetic_rounds, count_model=None).to_frame()
    b = compare_regions(synthetic_rounds, count_model=None, measure="amount_usd",
                        price_base=None).to_frame()
    assert len(a) == len(b) > 0
    assert np.allclose(a["estimate"], b["estimate"], rtol=1e-8)
    assert np.allclose(a["ci_low"], b["ci_low"], rtol=1e-6)


def test_compare_regions_without_year_effects_uses_the_convention(synthetic_rounds):
    one_year = synthetic_rounds[synthetic_rounds["year"] == 2016]
    res = compare_regions(one_year, year_fe=False, quantiles=(), count_model=None,
                          pooled=False)
    # one year: the ratio of geometric means of the EUR amounts (deflation cancels)
    eu = one_year.loc[one_year["region"] == "EU27", "amount_eur"]
    us = one_year.loc[one_year["region"] == "US", "amount_eur"]
    assert res.to_frame()["estimate"].iloc[0] == pytest.approx(
        np.exp(np.log(eu).mean() - np.log(us).mean()), rel=1e-9)
    assert res.meta["measure"] == "amount_eur" and res.meta["price_base"] == 2024
