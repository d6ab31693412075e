"""The one place that turns canonical series, rounds or funds into rows of countries and groups.

A *place* (see :mod:`fundgap.normalise.groups`) is a built-in region, an ISO 3166
alpha-2 country code, a group of ``groups=`` or ``EU27_excl_<group or code>``.
:func:`add_places` appends the rows of the places asked for; :func:`sum_members` is
the aggregator behind every computed series aggregate (the shipped EU-27 rows too).

Series rules
------------
A group's money row (units ending in ``_M``) is the sum over the members that have a
row for that source, table, measure, sector, stage, unit, price base and year: never
a silent partial sum, since each row lists the members summed (``members``,
``n_members``) and the members without a row (``members_missing``, with ``flag`` =
``"members_missing"``). Shares of GDP are never added: a group's ``PCT_GDP`` row is
``100 x sum(money) / sum(GDP)`` over the members that have both a USD row and a GDP
figure that year (World Bank GDP in current USD, the shipped ``gdp_usd`` table; current
prices only), the basis of the shipped EU-27 rows; members without GDP are listed as missing. With a
population table (``"shipped"`` = the World Bank's ``population_wb``), ``USD_per_person`` rows
are ``sum(money) x 1e6 / sum(population)`` over the same kind of members. A country place keeps the source's own rows (its own
``PCT_GDP`` included), relabelled with the code as region. Rounds and funds: a place's
rows are copies of its members' rows (by ``country``) with the place as region, so a
Belgian round counts in ``EU27`` and in ``BE``.

Examples
--------
>>> import pandas as pd
>>> synthetic = pd.DataFrame({"source": "synthetic", "region": "EU27",
...     "country": ["BE", "NL", "BE"], "stage_group": "all", "measure": "vc_invested",
...     "year": [2024, 2024, 2025], "value": [10.0, 20.0, 12.0], "unit": "EUR_M"})
>>> out = add_places(synthetic, ["benelux"], {"benelux": ["BE", "NL", "LU"]}, gdp=None)
>>> out.loc[out["region"] == "benelux", ["year", "value", "members", "members_missing"]]
   year  value members members_missing
3  2024   30.0   BE,NL              LU
4  2025   12.0      BE           LU,NL
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.normalise.groups import _country_table, check_place, resolve_groups

__all__ = ["add_places", "describe_incomplete", "incomplete_rows", "per_person_rows",
           "place_frame", "sum_members", "year_runs"]

_PLACE_COLUMNS = ("derived", "members", "n_members", "members_missing")
_KEYS = ("source", "table", "sector", "stage_group", "measure", "unit", "price_base", "year")


def _denominator(table: pd.DataFrame | None, year: Any, countries: Sequence[str]
                 ) -> tuple[list[str], float]:
    """Members of ``countries`` with a value in ``year`` and the sum of their values."""
    if table is None:
        return [], np.nan
    rows = table[(table["year"] == float(year)) & table["iso2"].isin(list(countries))]
    return sorted(rows["iso2"]), float(rows["value"].sum())


# ----------------------------------------------------------------------------- series


def _money(unit: Any) -> bool:
    return isinstance(unit, str) and unit.endswith("_M")


def sum_members(series: pd.DataFrame, name: str, members: Sequence[str], *,
                gdp: Any = "shipped", population: Any = None) -> pd.DataFrame:
    """Rows of a computed aggregate of ``members`` (money sums, % of GDP, per person).

    Parameters
    ----------
    series : DataFrame
        Canonical long series with ``country``, ``unit``, ``year`` and ``value``.
    name : str
        Region label of the rows made (``"EU27"``, ``"coalition"`` ...).
    members : sequence of str
        ISO2 codes of the members.
    gdp : "shipped", DataFrame or None, default "shipped"
        GDP in USD millions by country and year (iso2, year, value or gdp_usd_m);
        "shipped" = the World Bank table ``gdp_usd`` (no Norway); "oecd" = the GDP
        implied by the OECD VC table (``gdp_oecd``); None = no ``PCT_GDP`` rows.
    population : "shipped", DataFrame or None, default None
        Persons by country and year (iso2, year, value), or "shipped" = the World
        Bank table ``population_wb``: adds ``<CUR>_per_person`` rows.

    Returns
    -------
    DataFrame
        The series' key columns present (source, table, sector, stage_group, measure,
        unit, price_base, year) plus region, country (NA), value, derived
        (``sum_of_members``, ``sum_of_members_over_members_gdp``,
        ``sum_of_members_over_members_population``), members, n_members,
        members_missing and flag (``"members_missing"`` when a member lacks a row).

    Raises
    ------
    FundgapError
        When a member has several rows for the same key (its sum would count twice).
    """
    need = [c for c in ("country", "unit", "year", "value") if c not in series.columns]
    if need:
        raise MissingColumnError(f"series lacks column(s) {need} for a sum of members",
                                 argument="series", column=need[0],
                                 expected=["country", "unit", "year", "value"])
    gdp_t = _country_table(gdp, "gdp")
    pop_t = _country_table(population, "population")
    keys = [c for c in _KEYS if c in series.columns]
    unit = series["unit"].astype("object")
    is_money = unit.map(_money).fillna(False).astype(bool)
    m = series[series["country"].astype("object").isin(list(members)).to_numpy(dtype=bool)
               & is_money.to_numpy(dtype=bool) & series["value"].notna().to_numpy(dtype=bool)]
    rows: list[dict[str, Any]] = []
    for labels, g in m.groupby(keys, observed=True, sort=True, dropna=False):
        key = dict(zip(keys, labels if isinstance(labels, tuple) else (labels,), strict=True))
        country = g["country"].astype("object")
        if country.duplicated().any():
            raise FundgapError(f"series holds several rows of {sorted(set(country[country.duplicated()]))} "
                               f"for {key}: its sum would count them twice", argument="series",
                               column="country", expected="one row per member and key")
        present = sorted(country)
        values = dict(zip(country, g["value"].astype("float64"), strict=True))
        rows.append(_row(key, name, members, present, float(g["value"].sum()),
                         "sum_of_members", key["unit"]))
        cur = str(key["unit"])[:-2]
        # GDP is in current USD: a share of GDP only from current-price USD
        pb = key.get("price_base")
        current = cur == "USD" and (pb is None or pd.isna(pb) or str(pb) == "current")
        for table, derived, unit_out, scale in (
                (gdp_t if current else None, "sum_of_members_over_members_gdp", "PCT_GDP", 100.0),
                (pop_t, "sum_of_members_over_members_population", f"{cur}_per_person", 1e6)):
            used, den = _denominator(table, key["year"], present)
            if not used or not den > 0:
                continue
            num = float(g["value"].sum()) if len(used) == len(present) else \
                float(sum(values[c] for c in country if c in used))
            rows.append(_row(key, name, members, used, scale * num / den, derived, unit_out))
    cols = [*keys, "region", "country", "value", *_PLACE_COLUMNS, "flag"]
    return pd.DataFrame(rows, columns=cols)


def _place_members(series: pd.DataFrame, place: str, g: Any) -> tuple[str, ...]:
    """The countries a place stands for: a group's, a code's, the EU-27's 27, or a built-in
    region's countries in the series (``US`` -> its ``US`` rows)."""
    from fundgap.normalise.regions import EU27_2020

    if place == "EU27":
        return tuple(sorted(EU27_2020))
    if g.kind(place) != "region":
        return tuple(g.members(place))
    own = (series["region"].astype("object") == place).fillna(False).to_numpy(dtype=bool)
    return tuple(sorted({str(c) for c in series.loc[own, "country"].dropna()}))


def per_person_rows(series: pd.DataFrame, places: Sequence[str], groups: Any = None, *,
                    population: Any = "shipped") -> pd.DataFrame:
    """Money per person of every place (countries, groups, built-in regions), by year.

    The one rule for all places: ``sum(money of the members) x 1e6 / sum(population
    of the same members)`` (:func:`sum_members`), over the members that have both a
    money row and a population figure that year; a member without either is named
    in ``members_missing`` and the row flagged ``members_missing`` (never a silent
    partial sum). A country is a group of one; ``EU27`` stands for its 27 members of
    2020; another built-in region for its countries in the series.

    Parameters
    ----------
    series : DataFrame
        Canonical long series with country rows (money units ``*_M``).
    places : sequence of str
        Places as in :func:`add_places`, built-in regions included.
    groups : mapping, optional
    population : "shipped" or DataFrame, default "shipped"
        Persons by country and year (iso2 or country, year, value); "shipped" = the
        World Bank's ``SP.POP.TOTL`` for the 27 EU members, Norway, the UK, the US and
        China, 2000-2025 (dataset ``population_wb``).

    Returns
    -------
    DataFrame
        Rows as :func:`sum_members` returns them, unit ``<CUR>_per_person`` only.

    Examples
    --------
    SYNTHETIC values and population:

    >>> s = pd.DataFrame({"source": "synthetic", "region": ["EU27", "EU27", "US"],
    ...     "country": ["BE", "NL", "US"], "stage_group": "all", "measure": "vc_invested",
    ...     "year": 2025, "value": [300.0, 900.0, 170000.0], "unit": "USD_M"})
    >>> pop = pd.DataFrame({"iso2": ["BE", "US"], "year": 2025, "value": [12e6, 340e6]})
    >>> out = per_person_rows(s, ["benelux", "US"], {"benelux": ["BE", "NL"]},
    ...                       population=pop)
    >>> print(out[["region", "unit", "value", "members", "members_missing"]].to_string(
    ...     index=False))
     region           unit value members members_missing
    benelux USD_per_person  25.0      BE              NL
         US USD_per_person 500.0      US

    On the shipped population (World Bank: Belgium 11,941,781 and the Netherlands
    18,087,633 inhabitants in 2025), USD 300 mn and 900 mn make
    1,200 x 1e6 / 30,029,414 = about 39.96 USD per person:

    >>> out = per_person_rows(s, ["benelux"], {"benelux": ["BE", "NL"]})
    >>> round(float(out["value"].iloc[0]), 2), out["members_missing"].iloc[0]
    (39.96, '')
    """
    g = resolve_groups(groups)
    if population is None:
        raise FundgapError("per-person rows need a population table: 'shipped' (the World "
                           "Bank's, population_wb) or a frame (iso2, year, value)",
                           argument="population", value=None,
                           expected=["shipped", "a DataFrame of persons by country and year"])
    pop = _country_table(population, "population")
    parts = []
    for place in dict.fromkeys(places):
        check_place(place, g, argument="places")
        members = _place_members(series, place, g)
        if not members:
            continue
        rows = sum_members(series, place, members, gdp=None, population=pop)
        parts.append(rows[rows["unit"].astype(str).str.endswith("_per_person")])
    if not parts:
        return sum_members(series.iloc[:0], "none", ("BE",), gdp=None)
    return pd.concat(parts, ignore_index=True)


def _row(key: dict[str, Any], name: str, members: Sequence[str], used: Sequence[str],
         value: float, derived: str, unit: str) -> dict[str, Any]:
    missing = sorted(set(members) - set(used))
    return {**key, "unit": unit, "region": name, "country": None, "value": value,
            "derived": derived, "members": ",".join(used), "n_members": len(used),
            "members_missing": ",".join(missing), "flag": "members_missing" if missing else ""}


def _country_series(series: pd.DataFrame, code: str) -> pd.DataFrame:
    """A country's own rows as rows of the place ``code`` (no country: an aggregate)."""
    rows = series[(series["country"].astype("object") == code).fillna(False).to_numpy(dtype=bool)]
    out = rows.copy()
    out["region"] = code
    out["country"] = None
    if "derived" not in out.columns:
        out["derived"] = "no"
    out["members"] = code
    out["n_members"] = 1
    out["members_missing"] = ""
    return out


# ----------------------------------------------------------------------------- the one entry


def _is_series(frame: pd.DataFrame) -> bool:
    return {"value", "unit", "year"} <= set(frame.columns)


def incomplete_rows(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The place rows with members missing: their key columns, year and the members missing."""
    if "members_missing" not in rows.columns or not len(rows):
        return []
    miss = rows["members_missing"].astype("object")
    bad = rows[miss.map(lambda v: isinstance(v, str) and v != "").astype(bool).to_numpy()]
    keys = [c for c in _KEYS if c in bad.columns]
    return [{**{k: (None if pd.isna(r[k]) else (int(r[k]) if k == "year" else str(r[k])))
                for k in keys}, "missing": str(r["members_missing"]).split(",")}
            for _, r in bad.iterrows()]


def describe_incomplete(records: Sequence[Mapping[str, Any]], **where: Any) -> list[str]:
    """Lines naming the years in which a place's rows miss members.

    ``where`` keeps the records whose column equals the value (None = any). Rows
    that miss the same members in the same years share one line, labelled by what
    tells them apart (source, table, stage, unit) unless the line covers them all.

    Examples
    --------
    >>> recs = [{"source": "oecd", "stage_group": s, "unit": "PCT_GDP", "year": y,
    ...          "missing": ["NO"]} for s in ("seed", "later") for y in (2024, 2025)]
    >>> describe_incomplete(recs)
    ['members missing in 2024-2025: NO']
    >>> describe_incomplete(recs[:2] + [dict(recs[2], missing=["DK"])])
    ['seed: members missing in 2024-2025: NO', 'later: members missing in 2024: DK']
    """
    keep = [r for r in records
            if not any(v is not None and r.get(k) not in (None, v) for k, v in where.items())]
    cols = [k for k in ("source", "table", "stage_group", "unit")
            if len({r.get(k) for r in keep}) > 1]
    by: dict[tuple[str, ...], dict[int, tuple[str, ...]]] = {}
    for r in keep:
        label = tuple(str(r.get(k)) for k in cols)
        by.setdefault(label, {})[int(r["year"])] = tuple(r["missing"])
    same: dict[tuple, list[tuple[str, ...]]] = {}
    for label, years in by.items():
        same.setdefault(tuple(sorted(years.items())), []).append(label)
    lines = []
    for years, labels in same.items():
        text = f"members missing in {year_runs(dict(years))}"
        if len(same) > 1 and cols:
            text = ", ".join(" ".join(lab) for lab in labels) + ": " + text
        lines.append(text)
    return lines


def _place_rows(frame: pd.DataFrame, place: str, kind: str, members: tuple[str, ...],
                gdp: Any, population: Any) -> pd.DataFrame:
    if not _is_series(frame):
        rows = frame[frame["country"].isin(list(members)).fillna(False)
                     .to_numpy(dtype=bool)].copy()
        rows["region"] = place
        return rows
    if kind == "country":
        return _country_series(frame, place)
    return sum_members(frame, place, members, gdp=gdp, population=population)


def _stack(frame: pd.DataFrame, parts: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """The frame and its place rows in one table, dtypes kept (a categorical region grows)."""
    columns = list(dict.fromkeys([*frame.columns, *(c for p in parts for c in p.columns)]))
    base = frame.reindex(columns=columns)
    if "n_members" in columns and "n_members" not in frame.columns:
        base["n_members"] = pd.array([pd.NA] * len(base), dtype="Int64")
    region = frame["region"]
    if isinstance(region.dtype, pd.CategoricalDtype):
        new = [n for n in names if n not in region.cat.categories]
        dtype = pd.CategoricalDtype([*region.cat.categories, *new], ordered=region.dtype.ordered)
        base["region"] = region.astype(dtype)
    fixed = []
    for part in parts:
        p = part.reindex(columns=columns)
        for c in columns:
            if p[c].dtype != base[c].dtype:
                with contextlib.suppress(TypeError, ValueError):  # else the part's own type
                    p[c] = p[c].astype("object").astype(base[c].dtype)
        fixed.append(p)
    return pd.concat([base, *fixed], ignore_index=True)


def place_frame(frame: pd.DataFrame, places: Sequence[str], groups: Any = None, *,
                gdp: Any = "shipped", population: Any = None
                ) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """:func:`add_places`, returning the frame and the description of each place added."""
    g = resolve_groups(groups)
    if "country" not in frame.columns or "region" not in frame.columns:
        raise MissingColumnError("groups and country codes need 'region' and 'country' columns",
                                 argument="frame", column="country",
                                 expected=["region", "country"])
    have = {str(v) for v in pd.unique(frame["region"].dropna())}
    countries = {str(v) for v in pd.unique(frame["country"].dropna())}
    parts, names, info = [], [], {}
    for place in dict.fromkeys(places):
        kind = check_place(place, g, argument="places")
        if kind == "region" or place in have:
            continue
        members = g.members(place)
        rows = _place_rows(frame, place, kind, members, gdp, population)
        own = frame["country"].isin(list(members)).fillna(False)
        info[place] = {"kind": kind, "members": list(members),
                       "members_with_data": sorted(set(members) & countries),
                       "members_without_data": sorted(set(members) - countries),
                       "also_in_regions": sorted(str(r) for r in frame.loc[
                           own.to_numpy(dtype=bool), "region"].dropna().unique()),
                       "rows": len(rows)}
        if _is_series(frame):
            info[place]["incomplete"] = incomplete_rows(rows)
        if len(rows):
            parts.append(rows)
            names.append(place)
    if not parts:
        return frame, info
    return _stack(frame, parts, names), info


def add_places(frame: pd.DataFrame, places: Sequence[str], groups: Any = None, *,
               gdp: Any = "shipped", population: Any = None) -> pd.DataFrame:
    """Append the rows of groups, countries and EU-27 complements to a canonical frame.

    Parameters
    ----------
    frame : DataFrame
        Canonical series, rounds or funds (needs ``region`` and ``country``).
    places : sequence of str
        Places to add: group names, ISO2 codes, ``EU27_excl_<name>``. Built-in regions
        and places already present as a region are left as they are.
    groups : mapping or Groups, optional
        As in :func:`resolve_groups`.
    gdp, population
        As in :func:`sum_members` (series only).

    Returns
    -------
    DataFrame
        The input rows, then the places' rows (a categorical ``region`` gains the
        place names as categories). Series gain the columns ``derived``, ``members``,
        ``n_members``, ``members_missing`` (and ``flag``) when absent. The places'
        description (members, members with data, years with members missing) is in
        ``.attrs["places"]``.

    Raises
    ------
    FundgapError
        Unknown places or invalid groups.
    """
    out, info = place_frame(frame, places, groups, gdp=gdp, population=population)
    out = out.copy() if out is frame else out
    out.attrs["places"] = info
    return out


def year_runs(years: dict[int, list[str]]) -> str:
    """Years with the members missing, runs of years joined.

    Examples
    --------
    >>> year_runs({2007: ["CY", "MT"], 2008: ["CY", "MT"], 2010: ["NO"]})
    '2007-2008: CY,MT; 2010: NO'
    """
    runs: list[list[Any]] = []
    for y, m in sorted(years.items()):
        if runs and runs[-1][1] == y - 1 and runs[-1][2] == m:
            runs[-1][1] = y
        else:
            runs.append([y, y, m])
    return "; ".join(f"{a}{'' if a == b else f'-{b}'}: {','.join(m)}" for a, b, m in runs)
