"""Countries to ISO 3166 alpha-2, and ISO2 codes to fundgap regions.

Country names
-------------
:func:`to_iso2` resolves, in this order: the alias table
``fundgap/data/reference/country_aliases.csv`` (e.g. "USA", "UK", "Korea, Rep.",
"Hong Kong SAR", "Czech Republic", "Kosovo" -> ``XK``), ISO alpha-2 and alpha-3
codes, and exact (case-insensitive) ISO names, official names and common names
known to ``pycountry``. No fuzzy matching: an unresolved value is NA, and the
loader decides whether that is a reject.

Regions
-------
``EU27``
    The 27 member states of the EU in its composition after 1 February 2020, in
    every year (default, ``eu_membership="fixed"``). The EU's outermost regions that
    have their own ISO codes (GF, GP, MQ, RE, YT, MF) and the Åland Islands (AX) are
    part of their member state and so of EU27. With ``eu_membership="at_date"`` a
    country is ``EU27`` only between its accession date and its exit date, so the
    UK is ``EU27`` (the EU of the time) for deals dated up to 31 January 2020 and
    e.g. Croatia only from 1 July 2013.
``UK``
    GB, plus the Crown dependencies (GG, JE, IM) and Gibraltar (GI), which VC
    databases report with the UK.
``OTHER_EUROPE``
    The rest of geographic Europe: EFTA (CH, NO, IS, LI); the microstates (AD, MC,
    SM, VA); the Western Balkans (AL, BA, ME, MK, RS, XK); Ukraine, Moldova and
    Belarus (UA, MD, BY); Russia (RU) and Turkey (TR), which VC databases
    (PitchBook, Crunchbase, Dealroom) count in Europe and whose business centres are
    in Europe; the Faroe Islands (FO) and Svalbard (SJ). The Caucasus (GE, AM, AZ),
    Kazakhstan and Greenland are **not** Europe here (they are ``ROW``).
``US``
    The United States. US overseas territories (PR, GU, VI, AS, MP, UM) are ``ROW``.
``CN``
    Mainland China, Hong Kong (unless ``separate_hk=True``) and Macao (always; only
    Hong Kong is ever separated). PitchBook-based statistics include Hong Kong in China.
``HK``
    Hong Kong, only when ``separate_hk=True``.
``ROW``
    Every other valid code (including Taiwan).

Missing or unknown codes give a missing region.

Examples
--------
>>> from fundgap.normalise import to_iso2, region_of
>>> list(region_of(to_iso2(["Germany", "UK", "Switzerland", "Hong Kong SAR", "Taiwan"])))
['EU27', 'UK', 'OTHER_EUROPE', 'CN', 'ROW']
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.normalise._util import (
    STRING,
    as_series,
    map_unique,
    map_unique_codes,
    map_unique_to_categorical,
    map_unique_to_strings,
    reference,
)
from fundgap.schema import REGION_DTYPE

__all__ = ["EU27_2020", "OTHER_EUROPE", "UK_GROUP", "region_of", "to_iso2"]

#: EU outermost regions and Åland with their own ISO codes: part of a member state.
EU_PARTS: dict[str, str] = {"GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "MF": "FR", "AX": "FI"}
#: Codes counted as UK.
UK_GROUP: frozenset[str] = frozenset({"GB", "GG", "JE", "IM", "GI"})
#: Codes counted as OTHER_EUROPE (see the module docstring for the reasons).
OTHER_EUROPE: frozenset[str] = frozenset(
    {
        "CH", "NO", "IS", "LI",  # EFTA
        "AD", "MC", "SM", "VA",  # microstates
        "AL", "BA", "ME", "MK", "RS", "XK",  # Western Balkans
        "UA", "MD", "BY",  # Eastern Europe
        "RU", "TR",  # transcontinental, counted in Europe by the VC databases
        "FO", "SJ",  # Faroe Islands, Svalbard and Jan Mayen
    }
)
_CN_GROUP = frozenset({"CN", "MO"})


def _membership() -> pd.DataFrame:
    return reference("eu_membership.csv")


def _eu27_2020() -> frozenset[str]:
    m = _membership()
    return frozenset(m.loc[m["in_eu27_2020"].astype(bool), "iso2"].astype(str))


#: The 27 member states of the EU after 1 February 2020.
EU27_2020: frozenset[str] = _eu27_2020()


def _key(values: pd.Series) -> pd.Series:
    """The lookup key of a name: NBSP -> space, runs of space collapsed, trailing dots/commas
    stripped, case-folded."""
    return (
        values.astype(STRING)
        .str.replace("\u00a0", " ", regex=False)
        .str.strip()
        .str.replace(r"\s+", " ", regex=True)
        .str.strip(" .,;")
        .str.casefold()
    )


def _alias_table() -> dict[str, str]:
    t = reference("country_aliases.csv")
    return dict(zip(_key(t["alias"]), t["iso2"].astype(str), strict=True))


def _pycountry_index() -> dict[str, str]:
    import pycountry

    names: list[str] = []
    codes: list[str] = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                names.append(v)
                codes.append(c.alpha_2)
    keys = _key(pd.Series(names, dtype=object)).tolist()
    index: dict[str, str] = {}
    for k, code in zip(keys, codes, strict=True):
        index.setdefault(k, code)
    for c in pycountry.countries:
        index[c.alpha_3.casefold()] = c.alpha_2
    for c in pycountry.countries:
        index[c.alpha_2.casefold()] = c.alpha_2  # alpha-2 wins over any name
    return index


@functools.cache
def _index() -> dict[str, str]:
    idx = _pycountry_index()
    idx.update(_alias_table())  # aliases win (e.g. "UK" -> GB)
    return idx


def _to_iso2_unique(u: pd.Series) -> np.ndarray:
    idx = _index()
    return _key(u).map(idx).to_numpy(dtype=object, na_value=None)


def to_iso2(values, *, categorical: bool = False) -> pd.Series:
    """Map country names, ISO2/ISO3 codes and aliases to ISO 3166 alpha-2 codes.

    Parameters
    ----------
    values : array-like or scalar
        Country names ("Germany", "United States of America"), codes ("DE", "DEU",
        "usa") or aliases ("UK", "Korea, Rep.", "Hong Kong SAR", "Türkiye").
    categorical : bool, default False
        Return a categorical of the codes instead of strings (no string per row: the
        cheaper form for a million rows, and :func:`region_of` maps it per category).

    Returns
    -------
    Series of string (or category)
        ISO2 codes (``XK`` for Kosovo), NA for missing or unrecognised values.
        Unique values are resolved once and broadcast.

    Examples
    --------
    >>> list(to_iso2(["USA", "United States of America", "UK", "Korea, Rep.",
    ...               "Hong Kong SAR", "deu", "fr", "Atlantis", None]))
    ['US', 'US', 'GB', 'KR', 'HK', 'DE', 'FR', <NA>, <NA>]
    >>> to_iso2(["Germany", "DEU", None], categorical=True).cat.categories.tolist()
    ['DE']
    """
    s = as_series(values)
    if categorical:
        codes, cats = map_unique_codes(s, _to_iso2_unique)
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=STRING)),
                         index=s.index, name=s.name, copy=False)
    return map_unique_to_strings(s, _to_iso2_unique, name=s.name)


def _fixed_region(u: pd.Series, separate_hk: bool) -> np.ndarray:
    """Region of each distinct code (a loop over the few distinct codes, with set lookups)."""
    return np.array([_region_of_code(c, separate_hk) for c in u.tolist()], dtype=object)


@functools.lru_cache(maxsize=1024)
def _region_of_code(value: Any, separate_hk: bool) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    code = str(value).strip().upper()
    code = EU_PARTS.get(code, code)
    if code not in _valid_codes():
        return None
    if code == "HK":
        return "HK" if separate_hk else "CN"
    for members, region in ((EU27_2020, "EU27"), (UK_GROUP, "UK"), (OTHER_EUROPE, "OTHER_EUROPE"),
                            ({"US"}, "US"), (_CN_GROUP, "CN")):
        if code in members:
            return region
    return "ROW"


@functools.cache
def _valid_codes() -> frozenset[str]:
    import pycountry

    return frozenset({c.alpha_2 for c in pycountry.countries} | {"XK"})


def region_of(iso2, *, date=None, eu_membership: str = "fixed", separate_hk: bool = False) -> pd.Series:
    """Region code of each ISO2 country code.

    Parameters
    ----------
    iso2 : array-like or scalar
        ISO 3166 alpha-2 codes (use :func:`to_iso2` first for names).
    date : array-like or scalar, optional
        Deal dates (datetime-like or ISO strings); needed for ``eu_membership="at_date"``.
    eu_membership : {"fixed", "at_date"}, default "fixed"
        ``"fixed"``: EU27 is the 2020 composition in every year (no UK).
        ``"at_date"``: a country is ``EU27`` (the EU of the time) when the date lies
        between its accession date and its exit date (UK: until 2020-01-31); a former
        or future member then falls in its geographic region (UK, OTHER_EUROPE). A
        missing date for a country whose membership depends on it gives NA.
    separate_hk : bool, default False
        Report Hong Kong as ``HK`` instead of including it in ``CN``.

    Returns
    -------
    Series of category
        Codes of :data:`fundgap.schema.REGIONS`; NA for missing or invalid codes.

    Raises
    ------
    FundgapError
        For an unknown ``eu_membership``, or ``"at_date"`` without usable dates.

    Examples
    --------
    >>> list(region_of(["FR", "GB", "NO", "US", "HK", "CN", "BR", "XX"]))
    ['EU27', 'UK', 'OTHER_EUROPE', 'US', 'CN', 'CN', 'ROW', nan]
    >>> list(region_of(["HK"], separate_hk=True))
    ['HK']
    >>> list(region_of(["GB", "GB", "HR"], date=["2019-06-30", "2020-02-01", "2012-01-01"],
    ...                eu_membership="at_date"))
    ['EU27', 'UK', 'OTHER_EUROPE']
    """
    if eu_membership not in ("fixed", "at_date"):
        raise FundgapError(
            "unknown eu_membership", argument="eu_membership", value=eu_membership,
            expected=["fixed", "at_date"],
        )
    s = as_series(iso2)
    if eu_membership == "fixed":
        return map_unique_to_categorical(
            s, lambda u: _fixed_region(u, separate_hk), REGION_DTYPE, name="region"
        )
    mapped = map_unique(s, lambda u: _fixed_region(u, separate_hk), dtype=object)
    region = pd.Series(mapped.to_numpy(dtype=object), index=s.index, name="region", dtype=object)
    region = _apply_at_date(s, region, date)
    return region.astype(REGION_DTYPE)


def _apply_at_date(codes: pd.Series, region: pd.Series, date) -> pd.Series:
    if date is None:
        raise FundgapError(
            "eu_membership='at_date' needs the deal dates", argument="date", value=None,
            expected=["a date per row (datetime-like or YYYY-MM-DD)"],
        )
    d = as_series(date)
    n = len(codes)
    if len(d) == 1 and n != 1:
        d = pd.Series(np.repeat(d.to_numpy(dtype=object), n))
    if len(d) != n:
        raise FundgapError(f"date has {len(d)} values but iso2 has {n}", argument="date",
                           value=len(d), expected=f"one date or {n}")
    if pd.api.types.is_integer_dtype(d.dtype) or pd.api.types.is_float_dtype(d.dtype):
        raise FundgapError(
            "eu_membership='at_date' needs dates, not years (membership changes within a year, "
            "e.g. the UK left on 2020-01-31)", column="date", value=str(d.dtype),
            expected=["datetime64", "YYYY-MM-DD strings"],
        )
    if pd.api.types.is_datetime64_any_dtype(d.dtype):
        when_s = d
        if getattr(when_s.dt, "tz", None) is not None:
            when_s = when_s.dt.tz_localize(None)
        when = when_s.to_numpy(dtype="datetime64[ns]")
    else:
        # parse each distinct date text once
        dcodes, duniq = pd.factorize(d, use_na_sentinel=True)
        parsed = pd.to_datetime(pd.Series(duniq, dtype=object), errors="coerce", format="mixed")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        parsed_u = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
        when = parsed_u[dcodes]
    m = _membership()
    acc = dict(zip(m["iso2"].astype(str), pd.to_datetime(m["accession_date"].astype(object)),
                   strict=True))
    ext = dict(zip(m["iso2"].astype(str), pd.to_datetime(m["exit_date"].astype(object)),
                   strict=True))
    # everything per unique code, then broadcast with the factorised codes
    fcodes, uniq = pd.factorize(codes, use_na_sentinel=True)
    ucode = pd.Series(uniq, dtype=object).astype(STRING).str.strip().str.upper()
    ucode = [*ucode.where(~ucode.isin(list(EU_PARTS)), ucode.map(EU_PARTS)).tolist(), None]
    acc_u = pd.to_datetime(pd.Series([acc.get(c, pd.NaT) for c in ucode], dtype=object)).to_numpy(
        dtype="datetime64[ns]"
    )
    ext_u = pd.to_datetime(pd.Series([ext.get(c, pd.NaT) for c in ucode], dtype=object)).to_numpy(
        dtype="datetime64[ns]"
    )
    ever_u = np.array([c in acc for c in ucode], dtype=bool)
    uk_u = np.array([c in UK_GROUP for c in ucode], dtype=bool)
    a = acc_u[fcodes]  # fcodes == -1 (missing code) picks the trailing None entry
    e = ext_u[fcodes]
    is_member_hist = ever_u[fcodes]
    has_date = ~np.isnat(when)
    after_acc = has_date & (when >= a)
    before_exit = np.isnat(e) | (when < e + np.timedelta64(1, "D"))
    in_eu = is_member_hist & after_acc & before_exit
    out = region.to_numpy(dtype=object).copy()
    # members at the date -> EU27 (the EU of the time)
    out[in_eu] = "EU27"
    # members of the 2020 EU not yet members at the date, or former members after exit:
    # their geographic region (UK for GB; other European countries -> OTHER_EUROPE)
    not_in = is_member_hist & has_date & ~in_eu
    geo = np.where(uk_u[fcodes], "UK", "OTHER_EUROPE")
    out[not_in] = geo[not_in]
    out[is_member_hist & ~has_date] = None
    return pd.Series(out, index=region.index, name="region", dtype=object)
