"""Currency codes and ECB conversion: expected values typed from the ECB's published annual averages."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import FundgapError, MissingColumnError, UnknownCurrencyError
from fundgap.normalise import add_money_columns, convert_currency, normalise_currency

USD_2015 = 1.1095  # ECB annual average 2015, USD per EUR (published, 4 decimals)
USD_2022 = 1.0530
CNY_2020 = 7.8747
GBP_2024 = 0.84662


def test_usd_to_eur_2015_by_hand():
    got = convert_currency([100.0], ["USD"], [2015], to="EUR").iloc[0]
    assert got == pytest.approx(100 / USD_2015, rel=1e-4)  # 90.13


def test_eur_to_usd_and_cross_rate_by_hand():
    got = convert_currency([10.0, 7.8747], ["EUR", "CNY"], [2022, 2020], to="USD")
    assert got.iloc[0] == pytest.approx(10 * USD_2022, rel=1e-4)
    # CNY -> USD goes through the euro: 7.8747 CNY = 1 EUR = 1.1422 USD in 2020
    assert got.iloc[1] == pytest.approx(1.1422, rel=1e-4)
    gbp = convert_currency(100.0, "GBP", 2024, to="EUR").iloc[0]
    assert gbp == pytest.approx(100 / GBP_2024, rel=1e-4)


def test_scalars_broadcast_and_index_kept():
    s = pd.Series([1.0, 2.0, 3.0], index=[10, 20, 30], name="amount")
    out = convert_currency(s, "USD", 2015, to="EUR")
    assert list(out.index) == [10, 20, 30] and out.name == "amount"
    np.testing.assert_allclose(out, s / USD_2015, rtol=1e-4)


def test_no_rate_gives_nan_not_a_guess():
    out = convert_currency([1.0, 1.0, 1.0, 1.0, 1.0, None],
                           ["USD", "XYZ", "CNY", "RUB", None, "USD"],
                           [1998, 2015, 2004, 2023, 2015, 2015], to="EUR")
    assert out.isna().all()


def test_same_currency_is_identity_even_outside_coverage():
    out = convert_currency([5.0, 7.0], ["USD", "usd"], [1985, None], to="USD")
    assert out.tolist() == [5.0, 7.0]


def test_symbols_and_names_accepted():
    out = convert_currency([100.0, 100.0], ["$", "€"], [2015, 2015], to="EUR")
    assert out.iloc[0] == pytest.approx(100 / USD_2015, rel=1e-4)
    assert out.iloc[1] == 100.0


def test_partial_2025_rate_is_used_and_flagged():
    from fundgap.normalise.currency import rates

    r = rates()
    assert bool(r.query("currency == 'USD' and year == 2025")["partial"].item())
    assert not np.isnan(convert_currency(1.0, "USD", 2025, to="EUR").iloc[0])
    assert np.isnan(convert_currency(1.0, "USD", 2026, to="EUR").iloc[0])


def test_bad_target_raises():
    with pytest.raises(UnknownCurrencyError) as e:
        convert_currency([1.0], ["USD"], [2015], to="XYZ")
    assert "XYZ" in str(e.value) and "EUR" in str(e.value)
    assert isinstance(e.value, FundgapError)


def test_length_mismatch_raises():
    with pytest.raises(FundgapError):
        convert_currency([1.0, 2.0], ["USD", "EUR", "GBP"], 2015)


@pytest.mark.parametrize("raw,code", [
    ("usd", "USD"), (" USD ", "USD"), ("$", "USD"), ("US$", "USD"), ("US $", "USD"),
    ("€", "EUR"), ("Euro", "EUR"), ("£", "GBP"), ("pound sterling", "GBP"), ("CN¥", "CNY"),
    ("RMB", "CNY"), ("HK$", "HKD"), ("C$", "CAD"), ("chf", "CHF"), ("JPY", "JPY"),
    ("¥", None), ("kr", None), ("XYZ", None), ("", None), (None, None), ("R", None),
])
def test_normalise_currency(raw, code):
    got = normalise_currency([raw]).iloc[0]
    assert (got is pd.NA and code is None) or got == code


def test_normalise_currency_dtype_and_idempotent():
    out = normalise_currency(pd.Series(["$", "eur", None]))
    assert isinstance(out.dtype, pd.StringDtype)
    again = normalise_currency(out)
    pd.testing.assert_series_equal(out, again)


def test_add_money_columns_provider_usd_wins():
    df = pd.DataFrame({
        "amount": [10.0, 5.0, None, 2.0],
        "currency": ["EUR", "GBP", "USD", "XYZ"],
        "year": [2015, 2015, 2015, 2015],
        "pusd": [None, 8.0, 3.0, None],
    })
    out = add_money_columns(df, provider_usd="pusd")
    assert "amount_usd" not in df.columns  # input untouched
    assert out["amount_usd"].iloc[0] == pytest.approx(10 * USD_2015, rel=1e-4)
    assert out["amount_usd"].iloc[1] == 8.0  # provider's figure, not the ECB conversion
    assert out["amount_usd"].iloc[2] == 3.0
    assert np.isnan(out["amount_usd"].iloc[3])  # unknown currency, no provider figure
    assert out["amount_eur"].iloc[0] == 10.0
    assert out["amount_eur"].iloc[2] == pytest.approx(3 / USD_2015, rel=1e-4)  # from provider USD


def test_add_money_columns_custom_names_and_array_provider():
    df = pd.DataFrame({"size": [100.0], "cur": ["USD"], "vintage": [2015]})
    out = add_money_columns(df, amount="size", currency="cur", year="vintage",
                            usd="size_usd", eur="size_eur", provider_usd=[None])
    assert out["size_usd"].iloc[0] == 100.0
    assert out["size_eur"].iloc[0] == pytest.approx(100 / USD_2015, rel=1e-4)


def test_add_money_columns_missing_column():
    with pytest.raises(MissingColumnError) as e:
        add_money_columns(pd.DataFrame({"amount": [1.0]}))
    assert "currency" in str(e.value)


years = st.integers(min_value=1999, max_value=2025)
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(pairs=st.lists(st.tuples(amounts, years), min_size=1, max_size=30))
def test_round_trip_usd_eur_usd(pairs):
    amount = [a for a, _ in pairs]
    year = [y for _, y in pairs]
    eur = convert_currency(amount, "USD", year, to="EUR")
    back = convert_currency(eur, "EUR", year, to="USD")
    np.testing.assert_allclose(back, amount, rtol=1e-12, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(pairs=st.lists(st.tuples(amounts, st.integers(min_value=2006, max_value=2025)), min_size=1,
                      max_size=30),
       cur=st.sampled_from(["GBP", "CNY", "JPY", "CHF", "SEK"]))
def test_round_trip_cross_rates(pairs, cur):
    amount = [a for a, _ in pairs]
    year = [y for _, y in pairs]
    usd = convert_currency(amount, cur, year, to="USD")
    back = convert_currency(usd, "USD", year, to=cur)
    np.testing.assert_allclose(back, amount, rtol=1e-12, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(amounts, min_size=1, max_size=30), year=years)
def test_totals_conserved(values, year):
    # converting each amount and adding equals converting the total (same year, same rate)
    each = convert_currency(values, "USD", year, to="EUR").sum()
    total = convert_currency([sum(values)], "USD", year, to="EUR").iloc[0]
    assert each == pytest.approx(total, rel=1e-9, abs=1e-6)


# CNY per USD 2010-2024 as the mean of the ECB's daily cross rates (published in
# reference/fx_ecb_annual_average_2010_2024.csv). fundgap crosses annual means through the
# euro; the two methods must agree closely (documented: well under 0.5 %).
CNY_PER_USD_DAILY_CROSS = {
    2010: 6.767807, 2012: 6.309354, 2015: 6.285394, 2018: 6.618697, 2020: 6.900323,
    2022: 6.734739, 2024: 7.195586,
}


def test_cross_rate_close_to_mean_of_daily_cross():
    years = list(CNY_PER_USD_DAILY_CROSS)
    got = convert_currency([1.0] * len(years), "USD", years, to="CNY")
    expected = np.array(list(CNY_PER_USD_DAILY_CROSS.values()))
    np.testing.assert_allclose(got, expected, rtol=5e-3)
