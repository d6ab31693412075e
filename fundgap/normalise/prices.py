"""Constant prices: deflate current-price money to the prices of a base year.

* USD amounts are deflated with the **US CPI-U** (BLS series CUUR0000SA0, U.S. city
  average, all items, not seasonally adjusted, annual average, 1982-84=100),
  2000-2025. BLS did not publish October 2025, so the 2025 annual average (like
  BLS's own) is the mean of 11 months.
* EUR amounts are deflated with the **HICP of the euro area** (Eurostat
  ``prc_hicp_aind``, geo=EA, all items, annual average index, 2015=100), 2000-2025.
  It is the euro-area index, not the EU27 one: no EU27_2020 annual index was
  available in the public copies used (see ``datasets/raw/reference/macro/README.md``).

``real = nominal * index[base_year] / index[year]``. The result carries its price
base in ``Series.attrs`` (``price_base``, e.g. ``"2024"``, and ``deflator``) so
that it can be written into the ``price_base`` column of a series frame or a column
header such as "EUR million, 2024 prices".

Examples
--------
>>> from fundgap.normalise import deflate
>>> s = deflate([100.0], [2024], currency="USD", base_year=2024)
>>> float(s.iloc[0]), s.attrs["price_base"]
(100.0, '2024')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, UnknownCurrencyError
from fundgap.normalise._util import as_series, reference

__all__ = ["deflate", "price_base_label", "price_index"]

_DEFLATORS = {
    "USD": ("us_cpi_u.csv", "cpi_u", "US CPI-U (BLS CUUR0000SA0, annual average)"),
    "EUR": ("hicp.csv", "hicp", "HICP euro area (Eurostat prc_hicp_aind EA, annual average)"),
}


def price_index(currency: str = "USD") -> pd.Series:
    """The annual price index used for ``currency`` ("USD" -> CPI-U, "EUR" -> HICP EA), by year.

    Examples
    --------
    >>> price_index("EUR").loc[2015]
    np.float64(100.0)
    """
    cur = str(currency).upper()
    if cur not in _DEFLATORS:
        raise UnknownCurrencyError(
            "no deflator for this currency", argument="currency", value=currency,
            expected=sorted(_DEFLATORS),
        )
    file, col, _ = _DEFLATORS[cur]
    table = reference(file)
    return pd.Series(
        table[col].to_numpy(dtype="float64"), index=table["year"].astype(int).to_numpy(), name=col
    )


def price_base_label(currency: str, base_year: int) -> str:
    """A human label for a constant-price unit, e.g. ``"EUR million, 2024 prices (HICP euro area)"``.

    Examples
    --------
    >>> price_base_label("USD", 2024)
    'USD million, 2024 prices (US CPI-U)'
    """
    cur = str(currency).upper()
    name = {"USD": "US CPI-U", "EUR": "HICP euro area"}.get(cur, "?")
    return f"{cur} million, {int(base_year)} prices ({name})"


def deflate(values, year, *, currency: str = "USD", base_year: int = 2024) -> pd.Series:
    """Express current-price amounts in the prices of ``base_year``.

    Parameters
    ----------
    values : array-like or scalar
        Amounts in current prices (any scale; the scale is kept).
    year : array-like or scalar
        Year of each amount (a scalar applies to all).
    currency : {"USD", "EUR"}, default "USD"
        Currency of ``values``: USD is deflated with the US CPI-U, EUR with the
        euro-area HICP.
    base_year : int, default 2024
        The year whose prices the result is expressed in.

    Returns
    -------
    Series of float
        ``values * index[base_year] / index[year]``; NaN where the year is missing or
        outside the index coverage (2000-2025). ``.attrs["price_base"]`` is the base
        year as a string and ``.attrs["deflator"]`` names the index.

    Raises
    ------
    UnknownCurrencyError
        If ``currency`` is not USD or EUR.
    FundgapError
        If ``base_year`` is not covered by the index.

    Examples
    --------
    CPI-U annual averages: 2015 = 237.017, 2024 = 313.689 (BLS).

    >>> deflate([100.0], [2015], currency="USD", base_year=2024).round(2).tolist()
    [132.35]
    >>> deflate([100.0], [1990], currency="EUR").tolist()
    [nan]
    """
    index = price_index(currency)
    try:
        base = int(base_year)
    except (TypeError, ValueError):
        base = None
    if base is None or base not in index.index:
        raise FundgapError(
            "base_year is not covered by the price index",
            argument="base_year", value=base_year,
            expected=[int(y) for y in index.index],
        )
    vals = as_series(values)
    n = len(vals)
    num = pd.to_numeric(pd.Series(vals.to_numpy(dtype=object), index=vals.index), errors="coerce")
    yr = as_series(year)
    if len(yr) == 1 and n != 1:
        yr = pd.Series(np.repeat(yr.to_numpy(dtype=object), n))
    if len(yr) != n:
        raise FundgapError(f"year has {len(yr)} values but values has {n}", argument="year",
                           value=len(yr), expected=f"one year or {n}")
    yr_num = pd.to_numeric(pd.Series(yr.to_numpy(dtype=object)), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    # vectorised lookup: position of each year in the index (NaN outside coverage)
    years = index.index.to_numpy(dtype="float64")
    levels = index.to_numpy(dtype="float64")
    pos = np.searchsorted(years, yr_num)
    pos_clipped = np.clip(pos, 0, len(years) - 1)
    found = (pos < len(years)) & (years[pos_clipped] == yr_num)
    level = np.where(found, levels[pos_clipped], np.nan)
    result = num.to_numpy(dtype="float64", na_value=np.nan) * index.loc[base] / level
    out = pd.Series(result, index=vals.index, name=getattr(values, "name", None), dtype="float64")
    out.attrs["price_base"] = str(base)
    out.attrs["deflator"] = _DEFLATORS[str(currency).upper()][2]
    return out
