"""The US counterfactual of a scenario, stated and checked.

A scenario's answer ("x5 in ten years brings the EU-27 to R % of the US") depends
on what the US does meanwhile. This module runs the same projection under each US
path a reader may hold, and checks the fitted trend against a stated plausibility
band:

* :func:`us_counterfactuals` - the ratio at the horizon with the US flat, on its
  trend over the trend window, on its trend over all years, and growing with its
  nominal GDP;
* :func:`trend_check` - each US stage's trend (window, rate, interval) and the
  band of rates that keep US venture capital, as a share of US GDP, within the range
  that share has taken in the data (GDP on its own trend over the same window); a
  trend outside the band is flagged, never used silently;
* :func:`baseline_for` and :func:`auto_select` - the baseline a report or a findings
  run projects from (the shipped OECD data, or the caller's series and funds).

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios import Baseline, Counterfactual, growth_path
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
...                            "value": [20.0, 100.0]}), start_year=2024)
>>> t = us_counterfactuals(b, growth_path(5, 10), runs={"us_flat": Counterfactual(us_growth=0.0)})
>>> round(float(t.loc[0, "ratio_us_flat"]), 2)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._trend import log_linear
from fundgap.scenarios.build import make_baseline
from fundgap.scenarios.project import project
from fundgap.scenarios.shipped import published_fund_sizes, shipped_baseline
from fundgap.scenarios.specs import Counterfactual

__all__ = ["DEFAULT_RUNS", "auto_select", "baseline_for", "trend_check", "us_counterfactuals"]

#: The US paths of :func:`us_counterfactuals`: name -> the counterfactual of :func:`project`.
DEFAULT_RUNS: dict[str, Counterfactual] = {
    "us_flat": Counterfactual(us_growth=0.0),
    "us_trend": Counterfactual(trend_years=10),
    "us_trend_all_years": Counterfactual(trend_years=None),
}


def us_counterfactuals(baseline: Any, path: Any, *, lever: str = "bigger_funds",
                       horizon: int = 10, region: str = "EU27", base: str = "US",
                       runs: Mapping[str, Counterfactual] | None = None) -> pd.DataFrame:
    """The scaled region's ratio to ``base`` at the horizon under each US path.

    Parameters
    ----------
    baseline, path : as for :func:`~fundgap.scenarios.project`
    lever, horizon, region, base : as for :func:`~fundgap.scenarios.project`
    runs : dict, optional
        Name -> the :class:`~fundgap.scenarios.Counterfactual` of the US path
        (default :data:`DEFAULT_RUNS`: flat, trend over 10 years, trend over all years).
        A run that cannot be made (no history for a trend) is left out.

    Returns
    -------
    DataFrame
        One row per stage group (``all`` last): ``stage_group``, ``ratio_start``,
        ``ratio_<run>`` for each run, and ``us_growth_<run>`` (the annual growth
        rate of the base region in that run; NaN for a fixed rate given as such).
    """
    runs = DEFAULT_RUNS if runs is None else runs
    cols: dict[str, pd.Series] = {}
    growth: dict[str, dict[str, float]] = {}
    start = None
    for name, cf in runs.items():
        if not isinstance(cf, Counterfactual):
            raise FundgapError("each run is a Counterfactual", argument="runs",
                               value={name: type(cf).__name__}, expected="Counterfactual(...)")
        try:
            r = project(baseline, path, lever=lever, horizon=horizon, region=region, base=base,
                        counterfactual=cf)
        except FundgapError:
            continue
        got = _ratio_at_horizon(r, region, base)
        if got is None:
            continue
        cols[name], start = got
        growth[name] = _trend_rates(r, base)
    if not cols or start is None:
        raise FundgapError("no US counterfactual could be projected from this baseline",
                           argument="baseline", value=type(baseline).__name__,
                           expected="a baseline with the base region (and history for trends)")
    order = [s for s in ("seed", "early", "later", "all") if s in start.index]
    out = pd.DataFrame({"stage_group": order,
                        "ratio_start": start.reindex(order).to_numpy(dtype="float64")})
    for name, col in cols.items():
        out[f"ratio_{name}"] = col.reindex(order).to_numpy(dtype="float64")
    for name in cols:
        fixed = runs[name].us_growth
        out[f"us_growth_{name}"] = [
            float(fixed) if isinstance(fixed, (int, float)) else growth[name].get(s, np.nan)
            for s in order]
    return out


def _ratio_at_horizon(r: Any, region: str, base: str) -> tuple[pd.Series, pd.Series] | None:
    """The ratio of ``region`` to ``base`` by stage at the horizon and at the start."""
    f = r.to_frame()
    f = f[(f["region"].astype(str) == region) & (f["variable"].astype(str) == f"ratio_to_{base}")]
    if not len(f):
        return None
    return (f[f["t"] == f["t"].max()].set_index("stage_group")["value"],
            f[f["t"] == 0].set_index("stage_group")["value"])


def _trend_rates(r: Any, base: str) -> dict[str, float]:
    """Stage -> the fitted annual growth of ``base`` in a run's meta (``"0.0512/yr, ..."``)."""
    out = {}
    for key, text in ((r.meta or {}).get("trends") or {}).items():
        if key.startswith(f"{base}/"):
            out[key.split("/", 1)[1]] = float(str(text).split("/yr")[0])
    return out


def _stage_values(history: pd.DataFrame, region: str, stage: str, stages: list[str]) -> pd.Series:
    h = history[history["region"].astype(str) == region]
    if stage == "all" and not (h["stage_group"].astype(str) == "all").any():
        h = h[h["stage_group"].astype(str).isin(stages)]
        return h.groupby("year")["value"].sum(min_count=len(stages))
    return h[h["stage_group"].astype(str) == stage].set_index("year")["value"]


def trend_check(baseline: Any, gdp: pd.DataFrame, *, region: str = "US",
                trend_years: int | None = 10, horizon: int = 10,
                level: float = 0.95) -> pd.DataFrame:
    """Each stage's trend of ``region`` and the plausibility band it is checked against.

    The band: the annual growth rates that leave the region's venture capital at the
    horizon, as a share of its GDP, within the lowest and highest share seen in the
    data's history (GDP projected on its own log-linear trend over the same window).
    A trend outside it would take US venture capital to a weight in the economy it
    has never had: the row is flagged (``plausible`` False), not dropped. The band
    always includes zero growth (the US held flat, the other counterfactual shown).

    Parameters
    ----------
    baseline : Baseline
        With ``history`` (the trends are :meth:`Baseline.trend` fits).
    gdp : DataFrame
        Columns ``year`` and ``value``: the region's GDP in the baseline's money unit.
    region, trend_years, horizon, level : see :func:`~fundgap.scenarios.project`

    Returns
    -------
    DataFrame
        One row per stage group: ``stage_group``, ``window``, ``growth``, ``ci_low``,
        ``ci_high``, ``gdp_growth``, ``share_min``, ``share_max`` (of GDP, over the
        history), ``band_low``, ``band_high``, ``plausible``.
    """
    if baseline.history is None:
        raise FundgapError("trend_check needs a baseline with history", argument="baseline",
                           expected="a Baseline with history")
    g = pd.Series(pd.to_numeric(gdp["value"], errors="coerce").to_numpy(dtype="float64"),
                  index=pd.to_numeric(gdp["year"], errors="coerce").astype("int64").to_numpy())
    rows = []
    for stage in [*baseline.stages, "all"]:
        fit = baseline.trend(region, stage, trend_years=trend_years, horizon=horizon)
        lo, hi = fit.growth_ci(level)
        lo_y, hi_y = fit.years
        window = g[(g.index >= lo_y) & (g.index <= hi_y)]
        gfit = log_linear(window.index.to_numpy(), window.to_numpy())
        vc = _stage_values(baseline.history, region, stage, baseline.stages)
        vc.index = vc.index.astype("int64")
        share = (vc / g.reindex(vc.index)).dropna()
        start = int(hi_y)
        v0, g0 = float(vc.get(start, np.nan)), float(g.get(start, np.nan))
        gdp_h = g0 * (1 + gfit.growth) ** horizon
        with np.errstate(invalid="ignore", divide="ignore"):
            band = [(float(s) * gdp_h / v0) ** (1 / horizon) - 1 if v0 > 0 else np.nan
                    for s in (share.min(), share.max())] if len(share) else [np.nan, np.nan]
        band = [min(band[0], 0.0), max(band[1], 0.0)]  # the US held flat is always in the band
        rows.append({"stage_group": stage, "window": f"{lo_y}-{hi_y}", "growth": fit.growth,
                     "ci_low": lo, "ci_high": hi, "gdp_growth": gfit.growth,
                     "share_min": float(share.min()) if len(share) else np.nan,
                     "share_max": float(share.max()) if len(share) else np.nan,
                     "share_years": (f"{int(share.index.min())}-{int(share.index.max())}"
                                     if len(share) else ""),
                     "band_low": band[0], "band_high": band[1],
                     "plausible": bool(band[0] <= fit.growth <= band[1])
                     if np.isfinite(band).all() else False})
    return pd.DataFrame(rows)


def auto_select(series: pd.DataFrame, *, tables: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One value of each column a baseline must not mix (OECD, USD million, VC invested, all).

    Parameters
    ----------
    series : DataFrame
        Canonical series.
    tables : dict, optional
        Source -> the table to prefer when the source has several (default
        ``{"ncses": "SINV-31"}``).

    Returns
    -------
    dict
        Column -> value, for ``select=`` of :func:`~fundgap.scenarios.make_baseline`.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["oecd", "ncses"], "unit": "USD_M"})
    >>> auto_select(s)
    {'source': 'oecd'}
    """
    tables = {"ncses": "SINV-31"} if tables is None else dict(tables)
    prefer = {"source": "oecd", "unit": "USD_M", "measure": "vc_invested", "sector": "all",
              "price_base": "current", "table": None}
    select: dict[str, Any] = {}
    for col, first in prefer.items():
        if col not in series.columns:
            continue
        values = series[col].dropna().astype(str)
        if values.nunique() <= 1:
            continue
        select[col] = first if first in set(values) else values.value_counts().index[0]
    if "table" in select and "source" in select:
        sub = series[series["source"].astype(str) == select["source"]]
        found = sub["table"].dropna().astype(str)
        if found.nunique() <= 1:
            del select["table"]
        else:
            select["table"] = tables.get(select["source"], found.value_counts().index[0])
    return select


def baseline_for(series: pd.DataFrame | None = None, *, funds: pd.DataFrame | None = None,
                 rounds: pd.DataFrame | None = None, published: pd.DataFrame | None = None,
                 shipped: bool = True) -> tuple[Any, list[str]]:
    """The baseline a findings run or a report projects from, and notes on how it was built.

    The shipped OECD baseline when ``shipped`` (the series are the shipped ones) and
    no funds with regions are given; else :func:`make_baseline` on the series with
    :func:`auto_select`. A baseline without regional fund sizes gets the published
    EU and US typical fund sizes (points; see :func:`published_fund_sizes`).

    Returns
    -------
    (Baseline, list of str)
    """
    notes: list[str] = []
    user_funds = funds if (funds is not None and "region" in funds.columns
                           and funds["region"].notna().any()) else None
    if (shipped or series is None) and user_funds is None:
        b = shipped_baseline()
        notes.append("baseline: the shipped OECD VC market statistics (EU-27 and US by stage)")
    else:
        kw: dict[str, Any] = {"select": auto_select(series)}
        if user_funds is not None:
            kw["funds"] = user_funds
        if rounds is not None and len(rounds):
            from fundgap.models._common import biotech_subset

            kw["rounds"] = biotech_subset(rounds)[0]
        b = make_baseline(series, **kw)
        notes.append(f"baseline: make_baseline(series, {', '.join(kw)}) with "
                     f"select={kw['select']}")
    if not b.fund_sizes and published is not None:
        try:
            sizes, note = published_fund_sizes(published, unit=b.unit)
        except FundgapError as exc:
            notes.append(f"no fund sizes: {exc}")
            return b, notes
        b = make_baseline(b, fund_sizes=sizes)
        b.notes.append(note)
        notes.append(note)
    return b, notes
