"""Parsing of the values providers write: dates, years, amounts of zero, fund types, yes flags.

Everything works on the *distinct* values of a column and broadcasts back, so that a
million rows with a few thousand distinct dates cost a few thousand parses.

Examples
--------
>>> import pandas as pd
>>> d, bad = parse_dates(pd.Series(["2024-01-31", "jan/2024", "31/01/2024", "x", None]))
>>> [str(x.date()) if pd.notna(x) else None for x in d], bad.tolist()
(['2024-01-31', '2024-01-01', '2024-01-31', None, None], [False, False, False, True, False])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, categories_arrow, clean, encode
from fundgap.normalise._util import map_unique

__all__ = [
    "MAX_FUND_USD_M",
    "MAX_ROUND_USD_M",
    "MIN_ROUND_USD_M",
    "PLACEHOLDER_DATES",
    "PLACEHOLDER_REASON",
    "fund_type_from_labels",
    "fund_type_label",
    "parse_dates",
    "parse_years",
    "placeholder_dates",
    "placeholder_vintage",
    "today",
    "yes_flag",
    "yes_no",
    "zero_as_missing",
]

#: A round above this many USD millions is rejected as absurd (the largest private
#: rounds on record are in the tens of billions).
MAX_ROUND_USD_M = 100_000.0
#: A disclosed round below this many USD millions (USD 1,000) is rejected as a likely
#: unit error (an amount in millions written where raw units were expected).
MIN_ROUND_USD_M = 0.001
#: A fund above this many USD millions is rejected as absurd (the largest funds ever
#: raised are below USD 30bn).
MAX_FUND_USD_M = 50_000.0
#: Dates exports write for "unknown": Excel's day 0 and day 1, the CrunchBase placeholder,
#: the Unix epoch and SQL Server's smallest datetime; any date before 1900 is one too.
PLACEHOLDER_DATES: tuple[str, ...] = ("1899-12-30", "1900-01-01", "1960-01-01", "1970-01-01",
                                      "1753-01-01")
PLACEHOLDER_REASON = "placeholder date (a default for 'unknown', not a deal date)"

_TS_MIN, _TS_MAX = pd.Timestamp.min, pd.Timestamp.max
#: A number in this range is read as a year; vintages before 1900 are placeholders.
_YEAR_MIN, _YEAR_MAX, _FIRST_REAL_YEAR = 1800, 2200, 1900


def today(option: Any = None) -> pd.Timestamp:
    """The cut-off for "dates in the future": ``option`` if given, else today (UTC)."""
    if option is None:
        return pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    return pd.Timestamp(option)


def _date_formats(dayfirst: bool, first: tuple[str, ...] = ()) -> list[str]:
    """The formats tried, ``first`` first: ISO, slashes (month or day first), month names,
    dots, months and years alone."""
    slash = ["%d/%m/%Y", "%m/%d/%Y"] if dayfirst else ["%m/%d/%Y", "%d/%m/%Y"]
    return [*first,
            "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f",
            *slash, "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y",
            "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y" if not dayfirst else "%d/%m/%y",
            "%b/%Y", "%b-%Y", "%b %Y", "%B %Y", "%Y-%m", "%m/%Y", "%Y"]


def _by_sample(txt: pd.Series, fmts: list[str]) -> list[str]:
    """``fmts`` with those that parse none of a small sample moved last (the relative
    order of the others, e.g. month-first before day-first, is kept)."""
    sample = txt.head(64)
    hits = []
    for f in fmts:
        cand = sample.str.capitalize() if f.startswith(("%b", "%B")) else sample
        parsed = pd.to_datetime(cand, format=f, errors="coerce").notna()
        hits.append(bool(parsed.any()))
        if parsed.all():
            break  # (one format reads the whole sample: the later ones keep their order)
    tested = len(hits)
    return ([f for f, hit in zip(fmts, hits, strict=False) if hit] + fmts[tested:]
            + [f for f, hit in zip(fmts, hits, strict=False) if not hit])


def _parse_unique_dates(u: pd.Series, dayfirst: bool, first: tuple[str, ...] = ()) -> pd.Series:
    txt = u.astype(str).str.strip()
    out = pd.Series(pd.NaT, index=txt.index, dtype="datetime64[ns]")
    for f in _by_sample(txt, _date_formats(dayfirst, first)):
        todo = out.isna()
        if not todo.any():
            break
        cand = txt[todo]
        if f.startswith(("%b", "%B")):
            cand = cand.str.capitalize()
        parsed = pd.to_datetime(cand, format=f, errors="coerce")
        # a date outside the nanosecond range (e.g. year 1) is unparseable, not a crash
        parsed = parsed.where((parsed >= _TS_MIN) & (parsed <= _TS_MAX))
        out[todo] = parsed.astype("datetime64[ns]")
    return out


def parse_dates(values: pd.Series, *, dayfirst: bool = False,
                formats: tuple[str, ...] = ()) -> tuple[pd.Series, pd.Series]:
    """Parse date strings in the formats providers use; month-only dates get day 1.

    Parameters
    ----------
    values : Series
        Strings or a categorical of them.
    dayfirst : bool, default False
        Read ``03/04/2021`` as 3 April.
    formats : tuple of str
        ``strftime`` formats tried before the built-in ones.

    Returns
    -------
    (dates, bad)
        ``dates`` datetime64[ns] (NaT where missing or unparseable); ``bad`` True
        where a non-empty value could not be parsed.
    """
    s = clean(values)
    if isinstance(s.dtype, pd.CategoricalDtype):  # the categories are the distinct values
        codes, uniques = s.cat.codes.to_numpy(), s.cat.categories
    else:
        codes, uniques = pd.factorize(s)
    parsed = _parse_unique_dates(pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                                 dayfirst, tuple(formats))
    arr = parsed.to_numpy()
    if len(arr):
        dates = arr[np.where(codes < 0, 0, codes)]
        dates[codes < 0] = np.datetime64("NaT")
    else:
        dates = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates = pd.Series(dates, index=s.index, dtype="datetime64[ns]")
    bad = dates.isna() & s.notna()
    return dates, bad.astype(bool)


def parse_years(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a year column ("2019", "2019.0", a date): Int64 and a mask of unparseable values."""
    s = clean(values)

    def f(u: pd.Series) -> pd.Series:
        num = pd.to_numeric(u, errors="coerce")
        ok = num.notna() & (num == num.round()) & (num >= _YEAR_MIN) & (num <= _YEAR_MAX)
        out = num.where(ok)
        rest = out.isna()
        if rest.any():
            d = _parse_unique_dates(u[rest], False)
            out[rest] = d.dt.year
        return out

    years = map_unique(s, f).astype("Float64").astype("Int64")
    bad = years.isna() & s.notna()
    return years, bad.astype(bool)


def placeholder_dates(dates: pd.Series) -> np.ndarray:
    """True where a parsed date is a placeholder for "unknown" (see :data:`PLACEHOLDER_DATES`).

    Examples
    --------
    >>> placeholder_dates(pd.Series(pd.to_datetime(["1970-01-01", "1899-12-30", "1850-05-01",
    ...                                             "2021-03-01", None]))).tolist()
    [True, True, True, False, False]
    """
    d = pd.Series(dates).to_numpy(dtype="datetime64[ns]")
    day = d.astype("datetime64[D]")
    hit = np.isin(day, np.array(PLACEHOLDER_DATES, dtype="datetime64[D]"))
    hit |= day < np.datetime64("1900-01-01")
    return hit & ~np.isnat(d)


def placeholder_vintage(raw: pd.Series, years: pd.Series) -> np.ndarray:
    """True where a vintage is before 1900 or written as a placeholder date."""
    early = (years < _FIRST_REAL_YEAR).to_numpy(dtype=bool, na_value=False)
    text = clean(pd.Series(raw))
    full = text.str.match(r"^\d{4}-\d{2}-\d{2}").to_numpy(dtype=bool, na_value=False)
    if not full.any():
        return early
    dates, _ = parse_dates(text.where(full))
    return early | placeholder_dates(dates)


def zero_as_missing(values: pd.Series) -> pd.Series:
    """Blank out amounts that are exactly zero (providers that write 0 for undisclosed).

    Examples
    --------
    >>> zero_as_missing(pd.Series(["0", "1500000", "", "0.0"])).tolist()
    [<NA>, '1500000', <NA>, <NA>]
    """
    s = clean(values)

    def f(u: pd.Series) -> pd.Series:
        num = pd.to_numeric(u.str.replace(",", "", regex=False), errors="coerce")
        return u.mask((num == 0).fillna(False).astype(bool))

    return map_unique(s, f).astype(STR)


def fund_type_from_labels(values: pd.Series) -> pd.Series:
    """Fund type (vc / growth / pe / other) from a provider's fund type / strategy / asset class
    label, as the canonical categorical (decided once per distinct label).

    Examples
    --------
    >>> fund_type_from_labels(pd.Series(["Venture Capital", "PE Growth/Expansion", "Buyout",
    ...                                  "Real Estate", "Early Stage: Start-up", None])).tolist()
    ['vc', 'growth', 'pe', 'other', 'vc', nan]
    """

    def f(u: pd.Series) -> np.ndarray:
        low = u.astype(str).str.lower()
        return np.select(
            [low.str.contains(r"real estate|infrastructure|debt|credit|natural resources|hedge|"
                              r"fund of funds|secondaries fund of|timber|energy", regex=True),
             low.str.contains(r"growth|expansion", regex=True),
             low.str.contains(r"venture|\bvc\b|seed|early|start-up|startup|accelerator|angel|late stage",
                              regex=True),
             low.str.contains(r"buyout|private equity|\bpe\b|lbo|mezzanine|secondar|turnaround|"
                              r"balanced|co-invest", regex=True)],
            ["other", "growth", "vc", "pe"], default="other")

    return _fund_types_of_labels(values, f)


def _fund_types_of_labels(values: pd.Series, rule: Any) -> pd.Series:
    """``rule`` (distinct labels in, fund type names out) applied once per distinct cleaned
    label; the canonical fund-type categorical per row (a name not a fund type: missing)."""
    from fundgap.schema import FUND_TYPE_DTYPE

    labels = encode(pd.Series(values, copy=False))
    cats = pd.Series(pd.arrays.ArrowStringArray(categories_arrow(labels.cat.categories)),
                     copy=False)
    allowed = list(FUND_TYPE_DTYPE.categories)
    names = [str(t) for t in np.asarray(rule(cats), dtype=object)] if len(cats) else []
    lut = np.array([allowed.index(t) if t in allowed else -1 for t in names] + [-1],
                   dtype=np.int8)
    return pd.Series(pd.Categorical.from_codes(lut[labels.cat.codes.to_numpy()],
                                               dtype=FUND_TYPE_DTYPE),
                     index=labels.index, copy=False)


def yes_flag(*columns: pd.Series | None, pattern: str) -> pd.Series:
    """True where any of the text columns matches ``pattern`` (case-insensitive); False otherwise."""
    cols = [c for c in columns if c is not None]
    out = None
    for c in cols:
        hit = map_unique(clean(c), lambda u: u.astype(str).str.lower().str.contains(pattern, regex=True))
        hit = hit.astype("boolean").fillna(False).astype(bool)
        out = hit if out is None else (out | hit)
    return out


_TRUE = {"true", "yes", "y", "1", "x", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def yes_no(values: pd.Series) -> pd.Series:
    """A yes/no column as booleans (true/yes/y/1/x/t, false/no/n/0/f; missing otherwise).

    Examples
    --------
    >>> yes_no(pd.Series(["Yes", "n", "X", "maybe", None])).tolist()
    [True, False, True, <NA>, <NA>]
    """
    def f(u: pd.Series) -> pd.Series:
        low = u.astype(str).str.strip().str.lower()
        return pd.Series(np.where(low.isin(_TRUE), True, np.where(low.isin(_FALSE), False, None)),
                         dtype="boolean")

    return map_unique(clean(values), f).astype("boolean")


def fund_type_label(values: pd.Series) -> pd.Series:
    """Fund type from a fund-type label: the canonical names (vc, growth, pe, other) as they
    are; venture / VC / seed / early -> vc; growth / expansion -> growth; buyout / private
    equity / PE / LBO -> pe; anything else -> other (the canonical categorical, decided once
    per distinct label).

    Examples
    --------
    >>> fund_type_label(pd.Series(["Venture", "Buyout", "growth", "Real estate", None])).tolist()
    ['vc', 'pe', 'growth', 'other', nan]
    """
    from fundgap.schema import FUND_TYPES

    def f(u: pd.Series) -> np.ndarray:
        low = u.astype(str).str.lower()
        return np.select(
            [low.isin(FUND_TYPES), low.str.contains("venture|\\bvc\\b|seed|early", regex=True),
             low.str.contains("growth|expansion", regex=True),
             low.str.contains("buyout|private equity|\\bpe\\b|lbo", regex=True)],
            [low, "vc", "growth", "pe"], default="other")

    return _fund_types_of_labels(values, f)
