"""The macro funding gap on aggregate statistics (OECD, NCSES ...).

:func:`gap` compares two regions on one measure of one source: the yearly gap
(``base - against``), the ratio (``against / base``), the cumulative gap over a
period, shares of GDP, and log-linear trend growth rates with intervals.
:func:`~fundgap.models.sources.compare_sources` lays the same comparison from
several sources side by side; fundgap never blends sources into one number,
because they measure different things (fund-reported market statistics vs deal
databases) and differ several-fold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._common import (
    check_ci,
    check_columns,
    check_frame,
    place_meta,
    with_places,
)
from fundgap.models._trend import log_linear
from fundgap.models.results import Result

__all__ = ["SOURCE_TABLES", "GapResult", "gap", "source_options"]

#: The table of a source that holds both the US and the EU-27 for all stages (a source
#: with several tables of the same measure must be read one table at a time).
SOURCE_TABLES: dict[str, str] = {"ncses": "SINV-31"}


def source_options(series: pd.DataFrame, source: str) -> dict[str, Any]:
    """Keywords of :func:`gap` for one source of ``series``.

    ``aggregate_countries=True`` (a region reported only as its one country, such
    as the US in the OECD table, is that country) and, for NCSES, table SINV-31,
    the one table with both the US and the EU-27 in 2003-2022.

    Examples
    --------
    >>> source_options(pd.DataFrame({"table": ["SINV-31"]}), "ncses")
    {'source': 'ncses', 'aggregate_countries': True, 'table': 'SINV-31'}
    """
    kw: dict[str, Any] = {"source": source, "aggregate_countries": True}
    table = SOURCE_TABLES.get(source)
    if table is not None and "table" in series.columns and \
            (series["table"].astype(str) == table).any():
        kw["table"] = table
    return kw

GAP_COLUMNS = [
    "source", "table", "measure", "sector", "stage_group", "unit", "price_base", "base",
    "against", "metric", "year", "period", "estimate", "ci_low", "ci_high", "n",
]
_PCT_UNITS = ("PCT_GDP", "PCT", "%")
#: Regions made of one country: their rows may carry that country's ISO2 code.
_SINGLE_COUNTRY = {"US": "US", "UK": "GB", "CN": "CN", "HK": "HK"}


class GapResult(Result):
    """Result of :func:`gap`.

    Columns of :meth:`to_frame`: ``source``, ``table``, ``measure``, ``sector``,
    ``stage_group``, ``unit`` (of the estimate), ``price_base``, ``base``,
    ``against``, ``metric``, ``year`` (NA for period summaries), ``period``
    (``"2013-2022"``; the year for yearly rows), ``estimate``, ``ci_low``,
    ``ci_high`` (trend rows only), ``n`` (years behind the estimate).

    Yearly metrics: ``base_value``, ``against_value``, ``gap`` (base -
    against), ``ratio`` (against / base), ``multiple`` (base / against), and
    with GDP ``base_pct_gdp``, ``against_pct_gdp``, ``gap_pct_gdp``
    (percentage points). Period metrics: ``cumulative_base``,
    ``cumulative_against``, ``cumulative_gap``, ``cumulative_ratio`` (money
    units; ``mean_*`` for percentage units), ``growth_base``,
    ``growth_against``, ``growth_ratio`` (annual trend growth, share).
    """

    kind = "gap"

    def _header(self) -> list[tuple[str, str]]:
        out = super()._header()
        f = self._frame
        for metric, label in (("cumulative_ratio", "cumulative ratio"),
                              ("mean_ratio", "mean ratio"), ("growth_ratio", "growth of ratio")):
            hit = f[f["metric"] == metric]
            for src, period, est in zip(hit.get("source", [""] * len(hit)), hit["period"],
                                        hit["estimate"], strict=True):
                out.append((label, f"{est:.4f} ({src}, {period})"))
        return out

    def _key_table(self) -> pd.DataFrame:
        """The latest ten years: both regions' values and the ratio."""
        y = self.yearly()
        cols = [c for c in ("base_value", "against_value", "ratio") if c in y.columns]
        out = y[cols].reset_index().sort_values([c for c in ("source", "year") if c in
                                                 y.index.names])
        if "year" in out:
            out["year"] = out["year"].astype("Int64")
        base, against = self.meta.get("base", "base"), self.meta.get("against", "against")
        out = out.rename(columns={"base_value": base, "against_value": against,
                                  "ratio": f"{against} / {base}"})
        return out.groupby("source", sort=True).tail(10) if "source" in out else out.tail(10)

    def yearly(self) -> pd.DataFrame:
        """Years as rows, yearly metrics as columns."""
        f = self._frame[self._frame["year"].notna()]
        keys = [c for c in ("source", "year") if c in f.columns]
        return f.pivot_table(index=keys, columns="metric", values="estimate",
                             aggfunc="first", sort=False)


def _years_filter(years: Any, values: pd.Series) -> pd.Series:
    if years is None:
        return pd.Series(True, index=values.index)
    if isinstance(years, tuple) and len(years) == 2:
        lo, hi = years
        mask = pd.Series(True, index=values.index)
        if lo is not None:
            mask &= values >= int(lo)
        if hi is not None:
            mask &= values <= int(hi)
        return mask.fillna(False)
    if isinstance(years, (int, np.integer)):
        return (values == int(years)).fillna(False)
    return values.isin([int(y) for y in years]).fillna(False)


def _select(series: pd.DataFrame, **eq: Any) -> pd.DataFrame:
    mask = pd.Series(True, index=series.index)
    for col, value in eq.items():
        if value is None or col not in series.columns:
            continue
        mask &= (series[col].astype("object") == value).fillna(False)
    return series.loc[mask.to_numpy(dtype=bool)]


def _distinct(frame: pd.DataFrame, col: str) -> list[str]:
    if col not in frame.columns:
        return []
    return sorted({str(v) for v in frame[col].dropna().unique()})


def _trend(years: np.ndarray, values: np.ndarray, ci: float) -> tuple[float, float, float, int]:
    """Annual growth exp(b) - 1 of log(value) = a + b * year, with its t interval (NaN below 3
    positive values)."""
    ok = np.isfinite(values) & (values > 0)
    n = int(ok.sum())
    if n < 3:  # a slope with a residual variance needs three points
        return np.nan, np.nan, np.nan, n
    fit = log_linear(years[ok], values[ok], origin=float(years[ok].min()))
    lo, hi = fit.growth_ci(ci)
    return fit.growth, lo, hi, n


def gap(
    series: pd.DataFrame,
    *,
    base: str = "US",
    against: str = "EU27",
    measure: str = "vc_invested",
    source: str | None = None,
    table: str | None = None,
    stage_group: str = "all",
    sector: str = "all",
    unit: str = "USD_M",
    price_base: str | None = None,
    years: Any = None,
    period: tuple[int, int] | None = None,
    gdp: pd.DataFrame | None = None,
    ci: float = 0.95,
    aggregate_countries: bool = False,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> GapResult:
    """Yearly gap, ratio, cumulative gap, GDP shares and trend growth, for one source.

    Parameters
    ----------
    series : DataFrame
        Canonical long series (:data:`fundgap.schema.SERIES_COLUMNS`).
    base, against : str, default "US" and "EU27"
        Places compared: gap = base - against; ratio = against / base. A region
        code, an ISO 3166 alpha-2 country code (``"BE"``: that country's own rows), a
        group of ``groups`` or ``"EU27_excl_<group or code>"`` (the rest of the EU-27);
        see :mod:`fundgap.normalise.groups`.
    measure : str, default "vc_invested"
        Value of the ``measure`` column to use.
    source : str, optional
        Source to use. Required when the selection holds several sources:
        mixing sources in one number raises :class:`FundgapError` (use
        :func:`compare_sources`).
    table : str, optional
        Table within the source, needed when two tables give the same measure.
    stage_group, sector : str, default "all"
        Rows to use (``"all"`` = totals over stages / sectors).
    unit : str, default "USD_M"
        Unit of the values used: a row selection, never a conversion (the shipped
        OECD and NCSES series are published in USD million at current prices, the
        one exception to the project's EUR-at-2024-prices convention; see
        METHODOLOGY section 1). ``"PCT_GDP"`` compares shares of GDP directly; the
        gap is then in percentage points and cumulative sums become means.
    price_base : str, optional
        Needed only when the selection holds several price bases.
    years : tuple (first, last), int or list, optional
        Calendar years kept (inclusive; None at either end leaves it open);
        default all years both regions report.
    period : tuple (first, last), optional
        Period of the cumulative sums and trend fits (the ``period`` column of
        their rows); default the whole range of the kept years.
    gdp : DataFrame, optional
        Columns region, year, value: GDP in the same currency unit as ``unit``
        (millions), giving ``*_pct_gdp`` metrics.
    ci : float, default 0.95
        Level of the trend intervals (t distribution of the OLS slope).
    aggregate_countries : bool, default False
        When a region has no aggregate row (``country`` missing, or the one
        country of a one-country region such as US), sum its country rows
        (money units only). Off by default: a sum of the countries
        a source happens to cover is not the region (OECD lacks CY and MT).
    groups : mapping of str to list of str, optional
        Groups of countries usable as ``base``/``against``, e.g. ``{"coalition":
        ["BE", "NL", "DK", "SE", "FI", "NO"]}``: summed over the members with a row in
        each year (``PCT_GDP``: their money over their World Bank GDP); the members
        used and the years with members missing are in ``meta["places"]`` and
        ``meta["notes"]``.

    Returns
    -------
    GapResult

    Raises
    ------
    FundgapError
        Several sources without ``source=``, duplicated rows, no overlapping years.

    Examples
    --------
    NCSES SINV-31 (PitchBook data, USD millions), 2021-2022:

    >>> import pandas as pd
    >>> s = pd.DataFrame({"source": "ncses", "table": "SINV-31",
    ...     "region": ["US", "US", "EU27", "EU27"], "country": None, "sector": "all",
    ...     "stage_group": "all", "measure": "vc_invested", "year": [2021, 2022] * 2,
    ...     "value": [345734.0, 247925.0, 70287.0, 61911.0], "unit": "USD_M",
    ...     "price_base": "current"})
    >>> g = gap(s).yearly()
    >>> g.loc[("ncses", 2022), ["gap", "ratio"]].round(4).tolist()
    [186014.0, 0.2497]
    """
    check_frame(series, "series")
    check_columns(series, ["region", "measure", "year", "value"], "series")
    ci = check_ci(ci)
    series, places = with_places(series, groups, {"base": base, "against": against})
    pick = {"measure": measure, "stage_group": stage_group, "sector": sector, "unit": unit,
            "table": table, "price_base": price_base}
    sel = _selected(series, pick, (base, against), source)
    sel = sel.loc[_years_filter(years, sel["year"]).to_numpy(dtype=bool)]
    notes: list[str] = []
    wide = _two_regions(sel, base, against, unit, aggregate_countries, notes)
    b_all = wide[base].to_numpy(dtype="float64")
    a_all = wide[against].to_numpy(dtype="float64")
    ok = ~np.isnan(b_all) & ~np.isnan(a_all)
    if not ok.any():
        raise FundgapError("the two regions share no year with values", argument="years",
                           value=years, expected=f"years both {base} and {against} report")
    yrs = wide.index.to_numpy(dtype="int64")[ok]
    src, tab, pb = (_distinct(sel, c) for c in ("source", "table", "price_base"))
    common = {
        "source": src[0] if len(src) == 1 else None,
        "table": ",".join(tab) if tab else None,
        "measure": measure, "sector": sector, "stage_group": stage_group,
        "price_base": pb[0] if len(pb) == 1 else None, "base": base, "against": against,
    }
    pair = _Pair(yrs, b_all[ok], a_all[ok], unit)
    rows = _yearly_rows(pair, None if gdp is None or pair.pct else
                        _gdp_shares(gdp, base, against, yrs, pair.b, pair.a))
    w0, w1 = (int(yrs.min()), int(yrs.max())) if period is None else map(int, period)
    rows += _period_rows(pair, w0, w1, ci, notes)
    out = pd.DataFrame([{**common, **r} for r in rows])[GAP_COLUMNS]
    out["year"] = out["year"].astype("Int64")
    meta = {"source": common["source"], "measure": measure, "unit": unit, "base": base,
            "against": against, "period": f"{w0}-{w1}", "years_used": f"{yrs.min()}-{yrs.max()}",
            "ci": ci}
    if notes:
        meta["notes"] = notes
    place_meta(meta, places, unit=unit, source=common["source"], table=table,
               measure=measure, sector=sector, stage_group=stage_group)
    from fundgap.units import describe_unit

    base_text = common.get("price_base") or price_base or "current"
    title = (f"{against} vs {base}: {measure.replace('_', ' ')} ({stage_group} stages, "
             f"{sector} sectors, {describe_unit(unit, base_text)}), source {common['source']}")
    return GapResult(out, title=title, meta=meta)


def _selected(series: pd.DataFrame, pick: dict[str, Any], regions: tuple[str, str],
              source: str | None) -> pd.DataFrame:
    """The rows of one source, measure, stage, sector, unit (table, price base) and the two
    regions, with year, value and region typed; an empty selection names the argument
    that emptied it and the values the data hold."""
    sel = _select(series, **pick)
    sel = sel.loc[sel["region"].astype("object").isin(list(regions)).fillna(False).to_numpy()]
    if source is not None:
        if "source" not in series.columns:
            raise FundgapError("series has no 'source' column", argument="source", value=source,
                               expected="None (series without a source column)")
        present = _distinct(sel, "source")
        sel = _select(sel, source=source)
        if len(sel) == 0:
            _raise_empty(series, pick, regions, source, present)
    else:
        found = _distinct(sel, "source")
        if len(found) > 1:
            raise FundgapError(
                "series holds several sources for this selection; fundgap never mixes sources "
                "in one number: pass source= or use compare_sources()",
                argument="source", value=None, expected=found)
    if len(sel) == 0:
        _raise_empty(series, pick, regions, source, [])
    return sel.assign(year=pd.to_numeric(sel["year"], errors="coerce").astype("Int64"),
                      value=pd.to_numeric(sel["value"], errors="coerce").astype("float64"),
                      region=sel["region"].astype("object"))


def _raise_empty(series: pd.DataFrame, pick: dict[str, Any], regions: tuple[str, str],
                 source: str | None, present: list[str]) -> None:
    """Name the first selection argument that leaves no row, with the values on offer."""
    rows = series.loc[series["region"].astype("object").isin(list(regions)).fillna(
        False).to_numpy()]
    if source is not None and "source" in rows.columns:
        on_offer = _distinct(rows, "source")
        if source not in on_offer:
            raise FundgapError(f"no rows of source {source!r} for regions {list(regions)}",
                               argument="source", value=source, expected=on_offer or present)
        rows = _select(rows, source=source)
    for name, value in pick.items():
        if value is None or name not in rows.columns:
            continue
        narrower = _select(rows, **{name: value})
        if len(narrower) == 0:
            raise FundgapError(f"no rows with {name}={value!r} for regions {list(regions)}"
                               + (f" in source {source!r}" if source else ""),
                               argument=name, value=value, expected=_distinct(rows, name))
        rows = narrower
    raise FundgapError(f"no rows for regions {list(regions)} in this selection",
                       argument="base", value=regions[0],
                       expected=_distinct(series, "region"))


def _two_regions(sel: pd.DataFrame, base: str, against: str, unit: str,
                 aggregate_countries: bool, notes: list[str]) -> pd.DataFrame:
    """Years x (base, against) values: each region's aggregate rows, or (with
    ``aggregate_countries``) the sum of its country rows."""
    if "country" in sel.columns:
        # aggregate rows have no country; a one-country region (US, UK, CN, HK) may come as
        # rows of that country
        own = sel["region"].map(_SINGLE_COUNTRY).astype("object")
        agg = (sel["country"].isna() | (sel["country"].astype("object") == own)).fillna(False)
    else:
        agg = pd.Series(True, index=sel.index)
    parts = [_region_rows(sel, agg, region, unit, aggregate_countries, notes)
             for region in dict.fromkeys([base, against])]
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="year", columns="region", values="value", aggfunc="first")
    missing = [r for r in (base, against) if r not in wide.columns]
    if missing:
        only_countries = [r for r in missing if ((sel["region"] == r) & ~agg).any()]
        hint = (f"; {only_countries} have only country rows: pass aggregate_countries=True "
                "to sum them" if only_countries else "")
        raise FundgapError("a region has no aggregate rows for this selection" + hint,
                           argument="base" if base in missing else "against",
                           value=missing[0], expected=sorted(map(str, wide.columns)))
    return wide


def _region_rows(sel: pd.DataFrame, agg: pd.Series, region: str, unit: str,
                 aggregate_countries: bool, notes: list[str]) -> pd.DataFrame:
    rows = sel[(sel["region"] == region) & agg]
    if len(rows) == 0 and aggregate_countries:
        if unit in _PCT_UNITS:
            raise FundgapError("cannot sum country shares of GDP into a region",
                               argument="aggregate_countries", value=True,
                               expected="False with a unit in percent of GDP")
        crow = sel[(sel["region"] == region) & ~agg]
        rows = crow.groupby("year", as_index=False).agg(value=("value", "sum"),
                                                        n_countries=("value", "size"))
        rows["region"] = region
        notes.append(f"{region}: sum of {sorted(_distinct(crow, 'country'))} country rows")
    if rows.duplicated(["year"]).any():
        raise FundgapError(
            f"several rows per year for {region} (tables {_distinct(rows, 'table')}, "
            f"price bases {_distinct(rows, 'price_base')}): choose table= or price_base=",
            argument="table", value=None, expected=_distinct(rows, "table"))
    return rows[["region", "year", "value"]]


@dataclass(frozen=True)
class _Pair:
    """The two regions' values in the years both report."""

    yrs: np.ndarray
    b: np.ndarray
    a: np.ndarray
    unit: str

    @property
    def pct(self) -> bool:
        return self.unit in _PCT_UNITS

    @property
    def gap_unit(self) -> str:
        return "PP" if self.pct else self.unit


def _metric(metric: str, year: Any, period: str, estimate: float, unit: str,
            lo: float = np.nan, hi: float = np.nan, n: int = 1) -> dict[str, Any]:
    return {"unit": unit, "metric": metric, "year": year, "period": period,
            "estimate": float(estimate), "ci_low": lo, "ci_high": hi, "n": int(n)}


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def _yearly_rows(p: _Pair, shares: tuple[np.ndarray, np.ndarray] | None
                 ) -> list[dict[str, Any]]:
    """Both values, the gap, ratio and multiple of every year (and the GDP shares)."""
    ratio, multiple = _ratio(p.a, p.b), _ratio(p.b, p.a)
    rows = []
    for i, y in enumerate(p.yrs):
        t = str(int(y))
        rows += [_metric("base_value", y, t, p.b[i], p.unit),
                 _metric("against_value", y, t, p.a[i], p.unit),
                 _metric("gap", y, t, p.b[i] - p.a[i], p.gap_unit),
                 _metric("ratio", y, t, ratio[i], "ratio"),
                 _metric("multiple", y, t, multiple[i], "ratio")]
        if shares is not None:
            rows += [_metric("base_pct_gdp", y, t, shares[0][i], "PCT_GDP"),
                     _metric("against_pct_gdp", y, t, shares[1][i], "PCT_GDP"),
                     _metric("gap_pct_gdp", y, t, shares[0][i] - shares[1][i], "PP")]
    return rows


def _period_rows(p: _Pair, w0: int, w1: int, ci: float, notes: list[str]) -> list[dict[str, Any]]:
    """Cumulative sums (means for percentages) and trend growth over the period."""
    inw = (p.yrs >= w0) & (p.yrs <= w1)
    k = int(inw.sum())
    period = f"{w0}-{w1}"
    if not k:
        notes.append(f"period {period} holds no common year")
        return []
    b, a = p.b[inw], p.a[inw]
    if p.pct:
        rows = [_metric("mean_base", pd.NA, period, b.mean(), p.unit, n=k),
                _metric("mean_against", pd.NA, period, a.mean(), p.unit, n=k),
                _metric("mean_gap", pd.NA, period, (b - a).mean(), p.gap_unit, n=k)]
    else:
        cb, ca = b.sum(), a.sum()
        rows = [_metric("cumulative_base", pd.NA, period, cb, p.unit, n=k),
                _metric("cumulative_against", pd.NA, period, ca, p.unit, n=k),
                _metric("cumulative_gap", pd.NA, period, cb - ca, p.unit, n=k),
                _metric("cumulative_ratio", pd.NA, period, ca / cb if cb else np.nan, "ratio",
                        n=k)]
    for name, vals in (("growth_base", b), ("growth_against", a),
                       ("growth_ratio", _ratio(p.a, p.b)[inw])):
        g, lo, hi, n = _trend(p.yrs[inw], vals, ci)
        rows.append(_metric(name, pd.NA, period, g, "share_per_year", lo, hi, n))
    return rows


def _gdp_shares(gdp: pd.DataFrame, base: str, against: str, yrs: np.ndarray, b: np.ndarray,
                a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    check_frame(gdp, "gdp")
    check_columns(gdp, ["region", "year", "value"], "gdp")
    g = gdp.assign(region=gdp["region"].astype("object"),
                   year=pd.to_numeric(gdp["year"], errors="coerce").astype("Int64"))
    if g.duplicated(["region", "year"]).any():
        raise FundgapError("gdp holds duplicated (region, year) rows", argument="gdp",
                           expected="one row per (region, year)")
    lookup = g.set_index(["region", "year"])["value"].astype("float64")
    out = []
    for region, vals in ((base, b), (against, a)):
        den = lookup.reindex(pd.MultiIndex.from_arrays([[region] * len(yrs), yrs])).to_numpy()
        out.append(vals / den * 100.0)
    return out[0], out[1]
