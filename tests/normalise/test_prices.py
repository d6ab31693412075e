"""Constant prices: CPI-U and HICP values typed from BLS and Eurostat."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import FundgapError, UnknownCurrencyError
from fundgap.normalise import deflate


def test_usd_2015_in_2024_prices_by_hand():
    # BLS CPI-U annual averages: 2015 = 237.017, 2024 = 313.689
    got = deflate([100.0], [2015], currency="USD", base_year=2024)
    assert got.iloc[0] == pytest.approx(100 * 313.689 / 237.017)
    assert got.attrs["price_base"] == "2024"
    assert "CPI-U" in got.attrs["deflator"]


def test_eur_2020_in_2015_prices_by_hand():
    # Eurostat HICP EA (2015=100): 2020 = 105.06
    got = deflate(pd.Series([105.06, 1.0]), pd.Series([2020, 2015]), currency="EUR", base_year=2015)
    assert got.tolist() == pytest.approx([100.0, 1.0])
    assert "HICP" in got.attrs["deflator"]


def test_outside_coverage_is_nan():
    got = deflate([1.0, 1.0, 1.0], [1999, None, 2030], currency="USD")
    assert got.isna().all()


def test_scalar_year_broadcast():
    got = deflate([1.0, 2.0], 2024, currency="USD", base_year=2024)
    assert got.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("base", [1990, 2031, "x", None])
def test_base_year_not_covered_raises(base):
    with pytest.raises(FundgapError) as e:
        deflate([1.0], [2015], currency="USD", base_year=base)
    assert "base_year" in str(e.value)


def test_unknown_currency_raises():
    with pytest.raises(UnknownCurrencyError):
        deflate([1.0], [2015], currency="GBP")


@settings(max_examples=25, deadline=None)
@given(v=st.floats(min_value=0, max_value=1e6, allow_nan=False),
       y=st.integers(min_value=2000, max_value=2025),
       b=st.integers(min_value=2000, max_value=2025),
       cur=st.sampled_from(["USD", "EUR"]))
def test_rebasing_round_trip(v, y, b, cur):
    # to base b and back to year y's prices gives the original amount
    real = deflate([v], [y], currency=cur, base_year=b).iloc[0]
    back = deflate([real], [b], currency=cur, base_year=y).iloc[0]
    assert back == pytest.approx(v, rel=1e-12, abs=1e-9)
    # deflating a base-year amount to its own base changes nothing
    assert deflate([v], [b], currency=cur, base_year=b).iloc[0] == pytest.approx(v)
