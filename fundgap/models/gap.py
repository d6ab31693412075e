"""The macro funding gap on aggregate statistics (OECD, NCSES ...).

:func:`gap` compares two regions on one measure of one source: the yearly gap
(``base - against``), the ratio (``against / base``), the cumulative gap over a
window, shares of GDP, and log-linear trend growth rates with intervals.
:func:`compare_sources` lays the same comparison from several sources side by
side; fundgap never blends sources into one number, because they measure
different things (fund-reported market statistics vs deal databases) and
differ several-fold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._trend import log_linear
from fundgap.models._common import (
    check_ci,
    check_frame,
    place_meta,
    require_columns,
    with_places,
)
from fundgap.models.results import Result

__all__ = ["SOURCE_TABLES", "GapResult", "SourceComparisonResult", "compare_sources", "gap",
           "source_options"]

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
                                        hit["estimate"]):
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


class SourceComparisonResult(GapResult):
    """Result of :func:`compare_sources`: :class:`GapResult` rows of several sources.

    Each row keeps its ``source``; :meth:`side_by_side` puts one metric of each
    source in its own column. Sources are never added or averaged together.
    """

    kind = "source_comparison"

    def _key_table(self) -> pd.DataFrame:
        """The latest ten years of the ratio, one column per source."""
        side = self.side_by_side("ratio").tail(10).reset_index()
        side.columns = [str(c) for c in side.columns]
        side["year"] = side["year"].astype("Int64")
        return side

    def side_by_side(self, metric: str = "ratio") -> pd.DataFrame:
        """Years as rows, one column per source, for one yearly metric."""
        f = self._frame[(self._frame["metric"] == metric) & self._frame["year"].notna()]
        return f.pivot_table(index="year", columns="source", values="estimate",
                             aggfunc="first")


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
    if n < 3:  # noqa: PLR2004 - a slope with a residual variance needs three points
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
    window: tuple[int, int] | None = None,
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
        Unit of the values used (``"PCT_GDP"`` compares shares of GDP directly;
        the gap is then in percentage points and cumulative sums become means).
    price_base : str, optional
        Needed only when the selection holds several price bases.
    years : tuple (start, end), int or list, optional
        Years kept (inclusive); default all years both regions report.
    window : tuple (start, end), optional
        Period of the cumulative sums and trend fits; default the whole range
        of the kept years.
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
    require_columns(series, ["region", "measure", "year", "value"], "series")
    ci = check_ci(ci)
    series, places = with_places(series, groups, {"base": base, "against": against})
    sel = _select(series, measure=measure, stage_group=stage_group, sector=sector, unit=unit,
                  table=table, price_base=price_base)
    sel = sel.loc[sel["region"].astype("object").isin([base, against]).fillna(False).to_numpy()]
    if source is not None:
        if "source" not in series.columns:
            raise FundgapError("series has no 'source' column", column="source")
        present = _distinct(sel, "source")
        sel = _select(sel, source=source)
        if len(sel) == 0:
            raise FundgapError("no rows for this source and selection", column="source",
                               value=source, expected=present)
    else:
        found = _distinct(sel, "source")
        if len(found) > 1:
            raise FundgapError(
                "series holds several sources for this selection; fundgap never mixes sources "
                "in one number: pass source= or use compare_sources()",
                column="source", value=None, expected=found)
    if len(sel) == 0:
        raise FundgapError(
            f"no rows with measure={measure!r}, stage_group={stage_group!r}, sector={sector!r}, "
            f"unit={unit!r} for regions {[base, against]}", column="measure",
            expected=_distinct(series, "measure"))

    sel = sel.assign(year=pd.to_numeric(sel["year"], errors="coerce").astype("Int64"),
                     value=pd.to_numeric(sel["value"], errors="coerce").astype("float64"),
                     region=sel["region"].astype("object"))
    sel = sel.loc[_years_filter(years, sel["year"]).to_numpy(dtype=bool)]
    if "country" in sel.columns:
        # aggregate rows have no country; a one-country region (US, UK, CN, HK) may come as
        # rows of that country
        own = sel["region"].map(_SINGLE_COUNTRY).astype("object")
        agg = (sel["country"].isna() | (sel["country"].astype("object") == own)).fillna(False)
    else:
        agg = pd.Series(True, index=sel.index)
    parts = []
    notes = []
    for region in dict.fromkeys([base, against]):
        rows = sel[(sel["region"] == region) & agg]
        if len(rows) == 0 and aggregate_countries:
            if unit in _PCT_UNITS:
                raise FundgapError("cannot sum country shares of GDP into a region",
                                   column="unit", value=unit)
            crow = sel[(sel["region"] == region) & ~agg]
            rows = crow.groupby("year", as_index=False).agg(value=("value", "sum"),
                                                            n_countries=("value", "size"))
            rows["region"] = region
            notes.append(f"{region}: sum of {sorted(_distinct(crow, 'country'))} country rows")
        dup = rows.duplicated(["year"])
        if dup.any():
            raise FundgapError(
                f"several rows per year for {region} (tables {_distinct(rows, 'table')}, "
                f"price bases {_distinct(rows, 'price_base')}): choose table= or price_base=",
                column="table", expected=_distinct(rows, "table"))
        parts.append(rows[["region", "year", "value"]])
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="year", columns="region", values="value", aggfunc="first")
    if base not in wide.columns or against not in wide.columns:
        only_countries = [r for r in (base, against) if r not in wide.columns
                          and ((sel["region"] == r) & ~agg).any()]
        hint = (f"; {only_countries} have only country rows: pass aggregate_countries=True "
                "to sum them" if only_countries else "")
        raise FundgapError("one region has no aggregate rows for this selection" + hint,
                           column="region",
                           value=[r for r in (base, against) if r not in wide.columns],
                           expected=sorted(map(str, wide.columns)))
    b_all = wide[base].to_numpy(dtype="float64")
    a_all = wide[against].to_numpy(dtype="float64")
    ok = ~np.isnan(b_all) & ~np.isnan(a_all)
    if not ok.any():
        raise FundgapError("the two regions share no year with values", column="year")
    yrs = wide.index.to_numpy(dtype="int64")[ok]
    b, a = b_all[ok], a_all[ok]
    pct = unit in _PCT_UNITS
    gap_unit = "PP" if pct else unit

    src = _distinct(sel, "source")
    tab = _distinct(sel, "table")
    pb = _distinct(sel, "price_base")
    common = {
        "source": src[0] if len(src) == 1 else None,
        "table": ",".join(tab) if tab else None,
        "measure": measure, "sector": sector, "stage_group": stage_group,
        "price_base": pb[0] if len(pb) == 1 else None, "base": base, "against": against,
    }
    rows: list[dict[str, Any]] = []

    def add(metric, year, period, estimate, unit_, lo=np.nan, hi=np.nan, n=1):
        rows.append({**common, "unit": unit_, "metric": metric, "year": year, "period": period,
                     "estimate": float(estimate), "ci_low": lo, "ci_high": hi, "n": int(n)})

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)
        multiple = np.where(a != 0, b / np.where(a != 0, a, 1.0), np.nan)
    shares = None
    if gdp is not None and not pct:
        shares = _gdp_shares(gdp, base, against, yrs, b, a)
    for i, y in enumerate(yrs):
        p = str(int(y))
        add("base_value", y, p, b[i], unit)
        add("against_value", y, p, a[i], unit)
        add("gap", y, p, b[i] - a[i], gap_unit)
        add("ratio", y, p, ratio[i], "ratio")
        add("multiple", y, p, multiple[i], "ratio")
        if shares is not None:
            add("base_pct_gdp", y, p, shares[0][i], "PCT_GDP")
            add("against_pct_gdp", y, p, shares[1][i], "PCT_GDP")
            add("gap_pct_gdp", y, p, shares[0][i] - shares[1][i], "PP")

    w0, w1 = (int(yrs.min()), int(yrs.max())) if window is None else map(int, window)
    inw = (yrs >= w0) & (yrs <= w1)
    k = int(inw.sum())
    period = f"{w0}-{w1}"
    if k:
        if pct:
            add("mean_base", pd.NA, period, b[inw].mean(), unit, n=k)
            add("mean_against", pd.NA, period, a[inw].mean(), unit, n=k)
            add("mean_gap", pd.NA, period, (b[inw] - a[inw]).mean(), gap_unit, n=k)
        else:
            cb, ca = b[inw].sum(), a[inw].sum()
            add("cumulative_base", pd.NA, period, cb, unit, n=k)
            add("cumulative_against", pd.NA, period, ca, unit, n=k)
            add("cumulative_gap", pd.NA, period, cb - ca, unit, n=k)
            add("cumulative_ratio", pd.NA, period, ca / cb if cb else np.nan, "ratio", n=k)
        for name, vals in (("growth_base", b), ("growth_against", a), ("growth_ratio", ratio)):
            g, lo, hi, n = _trend(yrs[inw], vals[inw], ci)
            add(name, pd.NA, period, g, "share_per_year", lo, hi, n)
    else:
        notes.append(f"window {period} holds no common year")

    out = pd.DataFrame(rows)[GAP_COLUMNS]
    out["year"] = out["year"].astype("Int64")
    meta = {"source": common["source"], "measure": measure, "unit": unit, "base": base,
            "against": against, "window": period, "years_used": f"{yrs.min()}-{yrs.max()}",
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


def _gdp_shares(gdp: pd.DataFrame, base: str, against: str, yrs: np.ndarray, b: np.ndarray,
                a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    check_frame(gdp, "gdp")
    require_columns(gdp, ["region", "year", "value"], "gdp")
    g = gdp.assign(region=gdp["region"].astype("object"),
                   year=pd.to_numeric(gdp["year"], errors="coerce").astype("Int64"))
    if g.duplicated(["region", "year"]).any():
        raise FundgapError("gdp holds duplicated (region, year) rows", column="region")
    lookup = g.set_index(["region", "year"])["value"].astype("float64")
    out = []
    for region, vals in ((base, b), (against, a)):
        den = lookup.reindex(pd.MultiIndex.from_arrays([[region] * len(yrs), yrs])).to_numpy()
        out.append(vals / den * 100.0)
    return out[0], out[1]


#: The table :func:`compare_sources` reads from a known source that ships several tables
#: of the same measure, when ``table`` does not name one: NCSES table SINV-31 (VC
#: invested by the location of the company, EU-27 / US / China, current USD; the
#: table the report and the scenario baseline use). S8-62 (older, EU of 28),
#: SKTI-24 (biotech) and SINV-98/99 (by investor headquarters) measure other things.
DEFAULT_TABLES: dict[str, str] = {"ncses": "SINV-31"}


def compare_sources(
    series: pd.DataFrame,
    *,
    base: str = "US",
    against: str = "EU27",
    measure: str | Mapping[str, str] = "vc_invested",
    sources: Sequence[str] | None = None,
    unit: str | Mapping[str, str] = "USD_M",
    table: str | Mapping[str, str] | None = None,
    stage_group: str = "all",
    sector: str = "all",
    years: Any = None,
    window: tuple[int, int] | None = None,
    gdp: pd.DataFrame | None = None,
    ci: float = 0.95,
    aggregate_countries: bool = False,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> SourceComparisonResult:
    """The same gap metric from each source, side by side, never blended.

    Parameters
    ----------
    series : DataFrame
        Canonical long series holding several sources.
    base, against : str
    measure, unit, table : str or mapping source -> str
        Per-source names when sources label the same concept differently. A source
        that holds several tables of the measure and has no ``table`` given uses its
        default from :data:`DEFAULT_TABLES` (NCSES: ``"SINV-31"``), recorded in
        ``meta["tables"]``; other multi-table sources must be given one, e.g.
        ``table={"ncses": "S8-62"}``.
    sources : sequence of str, optional
        Sources to compare (default: every source with rows for the selection).
    stage_group, sector, years, window, gdp, ci, aggregate_countries, groups
        As in :func:`gap` (a group is summed within each source, never across).

    Returns
    -------
    SourceComparisonResult
        The rows of :func:`gap` for each source, each naming its source;
        ``meta["skipped"]`` lists sources without usable rows and why.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"source": ["ncses"] * 2 + ["oecd"] * 2, "region": ["US", "EU27"] * 2,
    ...     "country": None, "sector": "all", "stage_group": "all", "measure": "vc_invested",
    ...     "year": 2022, "value": [247925.0, 61911.0, 200.0, 20.0], "unit": "USD_M"})
    >>> compare_sources(s).side_by_side("ratio").round(3)
    source  ncses  oecd
    year
    2022    0.25   0.1
    """
    check_frame(series, "series")
    require_columns(series, ["source"], "series")
    series, places = with_places(series, groups, {"base": base, "against": against})
    pick = lambda v, s: v.get(s) if isinstance(v, Mapping) else v  # noqa: E731
    names = list(sources) if sources is not None else _distinct(series, "source")
    frames, skipped, used_tables = [], {}, {}
    has_table = "table" in series.columns
    for s in names:
        tab = pick(table, s)
        if tab is None and has_table:
            rows = series["source"].astype("object") == s
            if "measure" in series.columns and pick(measure, s) is not None:
                rows &= series["measure"].astype("object") == pick(measure, s)
            avail = _distinct(series[rows.to_numpy()], "table")
            if len(avail) > 1 and DEFAULT_TABLES.get(s) in avail:
                tab = DEFAULT_TABLES[s]
            elif len(avail) > 1:
                skipped[s] = (f"source {s!r} holds several tables {avail} and has no default "
                              f"table: pass table={{{s!r}: {avail[0]!r}}} (or another of "
                              f"{avail})")
                continue
        if tab is not None:
            used_tables[s] = tab
        try:
            res = gap(series, base=base, against=against, measure=pick(measure, s), source=s,
                      table=tab, stage_group=stage_group, sector=sector,
                      unit=pick(unit, s), years=years, window=window, gdp=gdp, ci=ci,
                      aggregate_countries=aggregate_countries)
        except FundgapError as exc:
            msg = str(exc)
            if "table" in msg and has_table:
                avail = _distinct(series[series["source"].astype("object") == s], "table")
                msg += f"; pass table={{{s!r}: one of {avail}}}"
            skipped[s] = msg
            continue
        frames.append(res.to_frame().assign(source=s))
    if not frames:
        raise FundgapError("no source has rows for this selection: "
                           + "; ".join(f"{k}: {v}" for k, v in skipped.items()),
                           column="source", value=sorted(skipped) or None, expected=names)
    out = pd.concat(frames, ignore_index=True)
    meta = {"base": base, "against": against, "sources": [s for s in names if s not in skipped],
            "tables": used_tables or None,
            "note": "each row belongs to one source; values are never added across sources"}
    if skipped:
        meta["skipped"] = skipped
    place_meta(meta, places)
    return SourceComparisonResult(out, title=f"{against} vs {base} by source", meta=meta)
