"""Currency codes and conversion at ECB annual average rates.

Rates
-----
Every conversion uses the **ECB euro foreign exchange reference rates**, averaged
over the calendar year of the deal: ``per_eur`` in ``fundgap/data/reference/fx_ecb_annual.csv``
is the arithmetic mean of the ECB daily rates (units of currency per 1 EUR), which
is how the ECB defines its annual series ``EXR.A.<CUR>.EUR.SP00.A``. Coverage is
1999 to 2025 for the 41 currencies in the ECB file (each from its first quoted day,
e.g. CNY from April 2005; discontinued currencies such as the Russian rouble stop
when the ECB stopped quoting them). **2025 is a partial year** (the shipped ECB file
ends on 9 May 2025): its rates are year-to-date means, flagged ``partial`` in the table.

Cross rates go through the euro: ``amount_in_B = amount_in_A / per_eur[A] * per_eur[B]``,
both annual means of the same year. (This is the ratio of annual means, which differs
slightly, usually well under 0.5 %, from the mean of daily cross rates.)

A currency or a year the ECB table does not cover gives NaN, never a guess. Converting
a currency into itself returns the amount unchanged, whatever the year.

Examples
--------
>>> from fundgap.normalise import convert_currency
>>> round(float(convert_currency(110.95, "USD", 2015, to="EUR").iloc[0]), 2)
100.0
"""

from __future__ import annotations

from functools import cache

import re

import numpy as np
import pandas as pd

from fundgap.errors import MissingColumnError, UnknownCurrencyError
from fundgap.normalise._util import as_series, map_unique_to_strings, reference

__all__ = ["add_money_columns", "convert_currency", "known_currencies", "normalise_currency", "rates"]

#: Symbols and names -> ISO 4217. Keys are compared after lower-casing and removing
#: spaces and dots. "$" alone is read as USD (the convention of PitchBook, Crunchbase
#: and Dealroom exports, whose "$" columns are US dollars); "¥" alone and "kr" are
#: ambiguous (JPY/CNY; SEK/NOK/DKK/ISK) and give NA, as do "R", "Rs", "lira", "rupee".
CURRENCY_ALIASES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd$": "USD", "u$s": "USD", "usdollar": "USD", "usdollars": "USD",
    "dollar": "USD", "dollars": "USD", "americandollar": "USD",
    "€": "EUR", "eur€": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gb£": "GBP", "uk£": "GBP", "poundsterling": "GBP", "sterling": "GBP", "pound": "GBP",
    "pounds": "GBP", "britishpound": "GBP", "gbp£": "GBP",
    "cn¥": "CNY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "cny¥": "CNY", "元": "CNY",
    "jp¥": "JPY", "yen": "JPY", "円": "JPY",
    "c$": "CAD", "ca$": "CAD", "can$": "CAD", "canadiandollar": "CAD",
    "a$": "AUD", "au$": "AUD", "aud$": "AUD", "australiandollar": "AUD",
    "hk$": "HKD", "hongkongdollar": "HKD",
    "s$": "SGD", "sg$": "SGD", "singaporedollar": "SGD",
    "nz$": "NZD", "newzealanddollar": "NZD",
    "r$": "BRL",
    "chf": "CHF", "sfr": "CHF", "swissfranc": "CHF", "swissfrancs": "CHF",
    "₹": "INR",
    "₩": "KRW", "won": "KRW",
    "₪": "ILS", "nis": "ILS", "shekel": "ILS", "shekels": "ILS",
    "zł": "PLN", "zloty": "PLN",
    "kč": "CZK", "czk": "CZK",
    "ft": "HUF", "forint": "HUF",
    "₺": "TRY",
    "₽": "RUB", "rouble": "RUB", "ruble": "RUB",
    "rand": "ZAR",
    "sek": "SEK", "swedishkrona": "SEK", "swedishkronor": "SEK",
    "nok": "NOK", "norwegiankrone": "NOK", "norwegiankroner": "NOK",
    "dkk": "DKK", "danishkrone": "DKK", "danishkroner": "DKK",
    "rmb¥": "CNY",
}
_KEY_STRIP = re.compile(r"[\s.]+")


def _iso_codes() -> frozenset[str]:
    import pycountry

    codes = {c.alpha_3 for c in pycountry.currencies}
    # currencies in the ECB file that ISO has since withdrawn (kept for historical deals)
    codes |= set(rates()["currency"].unique())
    return frozenset(codes)


@cache
def known_currencies() -> frozenset[str]:
    """ISO 4217 codes recognised by :func:`normalise_currency` (current ISO list + ECB legacy codes)."""
    return _iso_codes()


def rates() -> pd.DataFrame:
    """The ECB annual average table: ``year, currency, per_eur, n_obs, first_obs, last_obs, partial``.

    Examples
    --------
    >>> r = rates()
    >>> round(float(r.query("currency == 'USD' and year == 2015")["per_eur"].iloc[0]), 4)
    1.1095
    """
    return reference("fx_ecb_annual.csv")


def _normalise_one(value) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.upper() in known_currencies():
        return text.upper()
    return CURRENCY_ALIASES.get(_KEY_STRIP.sub("", text.lower()))


def _normalise_unique(u: pd.Series) -> np.ndarray:
    # currency labels have few distinct values: a dictionary lookup per *unique* value
    return np.array([_normalise_one(v) for v in u], dtype=object)


def normalise_currency(values) -> pd.Series:
    """Map currency codes, symbols and names to ISO 4217 codes.

    Parameters
    ----------
    values : array-like or scalar
        Codes in any case (``"usd"``), symbols (``"$"``, ``"US$"``, ``"€"``, ``"£"``,
        ``"CN¥"``, ``"HK$"``) or names (``"euro"``, ``"pound sterling"``, ``"yuan"``).

    Returns
    -------
    Series of string
        The ISO code, or NA where the value is missing, ambiguous (``"¥"``, ``"kr"``)
        or unknown. Same index as ``values`` if it is a Series.

    Notes
    -----
    ``"$"`` alone is read as US dollars (the convention of the VC databases' ``$``
    columns). Unique values are mapped once, then broadcast.

    Examples
    --------
    >>> list(normalise_currency(["usd", "$", "US$", "€", "£", "EUR", "yuan", "¥", "XYZ", None]))
    ['USD', 'USD', 'USD', 'EUR', 'GBP', 'EUR', 'CNY', <NA>, <NA>, <NA>]
    """
    s = as_series(values)
    if len(s) and pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.BooleanDtype):
        s = s.astype(object)
    return map_unique_to_strings(s, _normalise_unique, name=s.name)


def _broadcast(values, n: int, index: pd.Index) -> pd.Series:
    """Values (scalar or array-like of length n) as a Series on ``index``, dtype kept."""
    s = as_series(values)
    if len(s) == 1 and n != 1:
        return pd.Series(np.repeat(s.to_numpy(dtype=object), n), index=index)
    if len(s) != n:
        raise UnknownCurrencyError(f"got {len(s)} values where {n} were expected (one per amount)",
                                   argument="currency", value=len(s),
                                   expected=f"one currency or {n} (one per amount)")
    if isinstance(values, pd.Series) and s.index.equals(index):
        return s
    return pd.Series(s.array, index=index)


def _year_int(year: pd.Series) -> np.ndarray:
    """Years as int64 with -1 for missing or non-integral values."""
    num = pd.to_numeric(year, errors="coerce")
    arr = num.to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(arr) & (arr == np.floor(np.where(np.isfinite(arr), arr, 0)))
    return np.where(ok, arr, -1).astype(np.int64)


class _RateMatrix:
    """Rates (units per EUR) as a dense currency x year matrix, NaN where not covered."""

    def __init__(self) -> None:
        table = rates()
        self.currencies = sorted(table["currency"].astype(str).unique())
        self.pos = {c: i for i, c in enumerate(self.currencies)}
        years = table["year"].astype(int)
        self.y0 = int(years.min())
        self.ny = int(years.max()) - self.y0 + 1
        self.m = np.full((len(self.currencies) + 1, self.ny), np.nan)  # last row: unknown currency
        ci = table["currency"].astype(str).map(self.pos).to_numpy(dtype=np.int64)
        self.m[ci, years.to_numpy() - self.y0] = table["per_eur"].to_numpy(dtype="float64")

    def lookup(self, cur_idx: np.ndarray, years: np.ndarray) -> np.ndarray:
        yi = years - self.y0
        covered = (yi >= 0) & (yi < self.ny)
        # one flat take (cheaper than 2-d fancy indexing on a million rows)
        flat = cur_idx * self.ny + np.where(covered, yi, 0)
        out = self.m.ravel().take(flat)
        out[~covered] = np.nan
        return out


@cache
def _matrix() -> _RateMatrix:
    return _RateMatrix()


def _check_target(to: str) -> str:
    code = _normalise_one(to)
    table_codes = _matrix().currencies
    if code is None or code not in table_codes:
        raise UnknownCurrencyError(
            "cannot convert to this currency: no ECB rate",
            argument="to", value=to, expected=table_codes,
        )
    return str(code)


def convert_currency(amount, currency, year, to: str = "USD") -> pd.Series:
    """Convert amounts at the ECB annual average rate of their year.

    Parameters
    ----------
    amount : array-like or scalar
        Amounts (any unit: the result keeps the unit, e.g. millions stay millions).
    currency : array-like or scalar
        Currency of each amount: ISO code, symbol or name (see :func:`normalise_currency`).
        A scalar applies to every amount.
    year : array-like or scalar
        Calendar year of each amount (the deal year). A scalar applies to every amount.
    to : str, default "USD"
        Target currency (any currency in the ECB table, or EUR).

    Returns
    -------
    Series of float
        Converted amounts; NaN where the currency is unknown or the year is outside the
        ECB coverage (1999-2025, by currency), or the amount is missing. A currency
        converted into itself is returned unchanged, whatever the year.

    Raises
    ------
    UnknownCurrencyError
        If ``to`` is not a currency with ECB rates, or the lengths differ.

    Notes
    -----
    The unique currency labels are normalised once; the rates are read from a dense
    currency x year matrix with integer indexing, so there is no per-row lookup.

    Examples
    --------
    ECB annual averages 2015: USD 1.1095 and GBP 0.7258 per EUR.

    >>> convert_currency([100.0, 100.0], ["USD", "EUR"], [2015, 2015], to="EUR").round(3).tolist()
    [90.13, 100.0]
    >>> convert_currency([100.0], ["GBP"], [2015], to="USD").round(2).tolist()
    [152.86]
    >>> convert_currency([100.0, 5.0], ["USD", "USD"], [1990, 1990], to="EUR").tolist()
    [nan, nan]
    """
    target = _check_target(to)
    amt = as_series(amount)
    index = amt.index
    n = len(amt)
    amt_f = _as_float(amt)
    cur_idx = _currency_index(_broadcast(currency, n, index))
    years = _year_int(_broadcast(year, n, index))
    result = _convert(amt_f, cur_idx, years, target)
    name = getattr(amount, "name", None)
    return pd.Series(result, index=index, name=name, dtype="float64")


def _as_float(values: pd.Series) -> np.ndarray:
    """Numbers as float64 (NaN where missing or not numeric), without an object round trip
    when the values are numeric already."""
    if values.dtype == "float64":
        return values.to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _currency_index(cur: pd.Series) -> np.ndarray:
    """Row index into the rate matrix (last row = unknown) of each currency label."""
    mat = _matrix()
    if isinstance(cur.dtype, pd.CategoricalDtype):  # the categories are the distinct labels
        codes, uniques = cur.cat.codes.to_numpy(), cur.cat.categories
    else:
        codes, uniques = pd.factorize(cur, use_na_sentinel=True)
    iso_u = _normalise_unique(pd.Series(uniques, dtype=object))
    unknown = len(mat.currencies)
    pos_u = np.array([mat.pos.get(c, unknown) if c is not None else unknown for c in iso_u]
                     + [unknown], dtype=np.int64)
    cur_idx = pos_u[codes]  # code -1 (missing) picks the trailing "unknown"
    return cur_idx


@cache
def _factors(target: str) -> np.ndarray:
    """Conversion factors into ``target``: (currencies + unknown) x (years + uncovered).

    ``F[c, y]`` multiplies an amount in currency ``c`` of year ``y``; the last column is
    a year outside the ECB coverage (NaN, except 1 for the target itself, which is
    never converted).
    """
    mat = _matrix()
    tpos = mat.pos[target]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = mat.m[tpos][None, :] / mat.m
    f = np.concatenate([f, np.full((f.shape[0], 1), np.nan)], axis=1)
    f[tpos, :] = 1.0
    f.setflags(write=False)
    return f


def _year_columns(years: np.ndarray) -> np.ndarray:
    """Column of the factor tables of each year (uncovered or missing -> the last column)."""
    mat = _matrix()
    yi = np.asarray(years, dtype=np.int64) - mat.y0
    # (as unsigned numbers, years before the first are huge too: one minimum clips both ends)
    np.minimum(yi.view(np.uint64), np.uint64(mat.ny), out=yi.view(np.uint64))
    return yi


def _convert(amt_f: np.ndarray, cur_idx: np.ndarray, years: np.ndarray | None, target: str,
             year_cols: np.ndarray | None = None) -> np.ndarray:
    """Convert with rate-matrix row indices; a currency converted into itself is unchanged.
    ``year_cols`` (:func:`_year_columns`) may be given instead of ``years``."""
    mat = _matrix()
    fac = _factors(target)
    yi = _year_columns(years) if year_cols is None else year_cols
    if len(cur_idx) and cur_idx.min() == cur_idx.max():  # one source currency: one row
        if int(cur_idx[0]) == mat.pos[target]:  # (into itself: factor 1 in every year)
            return np.array(amt_f, dtype=float)
        f = fac[int(cur_idx[0])].take(yi)
    else:
        f = fac.ravel().take(cur_idx * (mat.ny + 1) + yi)
    return amt_f * f


def add_money_columns(
    frame: pd.DataFrame,
    *,
    amount: str = "amount",
    currency: str = "currency",
    year: str = "year",
    usd: str = "amount_usd",
    eur: str = "amount_eur",
    provider_usd=None,
) -> pd.DataFrame:
    """Return ``frame`` with US dollar and euro columns derived from the original amount.

    Parameters
    ----------
    frame : DataFrame
        Holds the original amount, its currency and the deal year.
    amount, currency, year : str
        Column names of the original amount (millions), its currency and its year.
    usd, eur : str
        Names of the columns to (over)write.
    provider_usd : str or array-like, optional
        The provider's own USD figure (column name, or values aligned with ``frame``),
        in millions. Where given (not missing) it wins for the USD column; where it is
        missing the USD column is the ECB conversion of the original amount.

    Returns
    -------
    DataFrame
        A new frame (the input is not modified).

    Notes
    -----
    The EUR column is the ECB conversion of the original amount (the ECB rates are
    quoted against the euro, so this is the direct rate). Where the original amount
    cannot be converted (missing amount, unknown currency) but the provider's USD
    figure exists, EUR is converted from that USD figure.

    Raises
    ------
    MissingColumnError
        If ``amount``, ``currency``, ``year`` or a named ``provider_usd`` column is absent.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"amount": [10.0, 5.0, None], "currency": ["EUR", "GBP", "USD"],
    ...                    "year": [2015, 2015, 2015], "usd_pb": [None, 8.0, 3.0]})
    >>> out = add_money_columns(df, provider_usd="usd_pb")
    >>> out[["amount_usd", "amount_eur"]].round(3).values.tolist()
    [[11.095, 10.0], [8.0, 6.889], [3.0, 2.704]]
    """
    missing = [c for c in (amount, currency, year) if c not in frame.columns]
    if isinstance(provider_usd, str) and provider_usd not in frame.columns:
        missing.append(provider_usd)
    if missing:
        raise MissingColumnError(
            "add_money_columns needs these columns", argument="frame", column=missing[0],
            value=missing, expected=list(frame.columns),
        )
    out = frame.copy()
    n = len(out)
    amt_f = _as_float(out[amount])
    cur_idx = _currency_index(_broadcast(out[currency], n, out.index))
    years = _year_int(out[year])
    if provider_usd is None:
        out[usd], out[eur] = money_arrays(amt_f, cur_idx, years)
        return out
    if isinstance(provider_usd, str):
        pusd_s = out[provider_usd]
    elif isinstance(provider_usd, pd.Series) and len(provider_usd) == n:
        pusd_s = pd.Series(provider_usd.array, index=out.index)
    else:
        pusd_s = pd.Series(np.asarray(provider_usd, dtype=object), index=out.index)
    if (pd.api.types.is_numeric_dtype(pusd_s.dtype)
            and not pd.api.types.is_bool_dtype(pusd_s.dtype)):
        pusd = pusd_s.to_numpy(dtype="float64", na_value=np.nan)
    else:
        pusd = pd.to_numeric(pd.Series(pusd_s.to_numpy(dtype=object), index=out.index),
                             errors="coerce").astype("float64").to_numpy()
    out[usd], out[eur] = money_arrays(amt_f, cur_idx, years, pusd)
    return out


def money_arrays(amount: np.ndarray, cur_idx: np.ndarray, years: np.ndarray,
                 provider_usd: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """USD and EUR arrays of :func:`add_money_columns`, from arrays (for loaders).

    ``cur_idx`` are rows of the rate matrix (:func:`currency_index`), ``years``
    integers (-1 = missing), ``provider_usd`` the provider's USD figures (NaN = none).

    Examples
    --------
    >>> import numpy as np
    >>> usd, eur = money_arrays(np.array([10.0]), currency_index(["EUR"]), np.array([2015]))
    >>> round(float(usd[0]), 3), float(eur[0])
    (11.095, 10.0)
    """
    yc = _year_columns(years)
    conv_usd = _convert(amount, cur_idx, None, "USD", yc)
    conv_eur = _convert(amount, cur_idx, None, "EUR", yc)
    if provider_usd is None:
        return conv_usd, conv_eur
    usd = np.where(np.isnan(provider_usd), conv_usd, provider_usd)
    # EUR from the provider's USD where the original amount gave none
    fill = np.flatnonzero(np.isnan(conv_eur) & ~np.isnan(provider_usd))
    if len(fill):
        usd_row = _factors("EUR")[_matrix().pos["USD"]]
        conv_eur[fill] = provider_usd[fill] * usd_row.take(yc[fill])
    return usd, conv_eur


def currency_index(currency) -> np.ndarray:
    """Row of the ECB rate matrix of each currency label (the last row = unknown).

    Examples
    --------
    >>> int(currency_index(["EUR", "xx"])[1]) == int(currency_index(["not a currency"])[0])
    True
    """
    return _currency_index(as_series(currency))
