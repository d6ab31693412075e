"""Project what a growth path of European capital does to each stage's gap.

:func:`project` grows the scaled region's capital (EU-27 by default) along a
growth path, grows the counterfactual regions (US, China) on their fitted trend
or at a given rate, and reports per year, region and stage: capital, ratio and
gap to each counterfactual region, the largest round domestic funds can lead,
the share of later-stage demand fundable at home, and the first year each ratio
crosses the thresholds. With ``n_sims > 0`` the same computation runs for all
simulations at once (arrays with a leading simulation axis) to give fan-chart
quantiles.

The steps: the options are checked (:mod:`fundgap.scenarios.specs`), the baseline
resolved (:func:`~fundgap.scenarios.shipped.resolve_baseline`), a
:class:`~fundgap.scenarios._engine.Plan` and the counterfactual trends fixed, the
arithmetic run (:func:`~fundgap.scenarios._engine.simulate`) and its tables laid
out (:mod:`fundgap.scenarios._summary`).

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios import Baseline, Counterfactual, growth_path, project
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
...                            "value": [20.0, 100.0]}), start_year=2024)
>>> r = project(b, growth_path(5, 10), counterfactual=Counterfactual(us_growth=0.0))
>>> r.crossings()[["threshold", "crossing_year", "status"]]
   threshold  crossing_year   status
0        0.5           2030  crossed
1        1.0           2034  crossed
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.normalise.groups import EXCL_PREFIX, resolve_groups
from fundgap.models._progress import step
from fundgap.scenarios._engine import FundSetup, Key, Plan, simulate
from fundgap.scenarios._summary import crossings_frame, fan_frame, summarise, tidy
from fundgap.scenarios.baseline import Baseline
from fundgap.scenarios.montecarlo import draw
from fundgap.scenarios.paths import growth_path, path_multipliers
from fundgap.scenarios.places import groups_meta, scenario_places
from fundgap.scenarios.result import ScenarioResult
from fundgap.scenarios.shipped import resolve_baseline
from fundgap.scenarios.specs import (FUND_QUANTILES, LEVERS, Counterfactual, FundSpec, Lever,
                                     MonteCarloSpec)

__all__ = ["project"]

#: The standard error of a sample median relative to that of the mean, for normal data:
#: sqrt(pi / 2) = 1.2533 (the fund-size level is the median log size).
_MEDIAN_SE = 1.2533


def project(
    baseline: Any = None,
    path: pd.Series | Sequence[float] | np.ndarray | None = None,
    *,
    region: str = "EU27",
    base: str = "US",
    lever: Lever = "bigger_funds",
    horizon: int = 10,
    n_sims: int = 0,
    seed: int | np.random.Generator | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
    counterfactual: Counterfactual | None = None,
    fund: FundSpec | None = None,
    monte_carlo: MonteCarloSpec | None = None,
    stage_allocation: Mapping[str, float] | None = None,
    thresholds: Sequence[float] = (0.5, 1.0),
    scenario: str | None = None,
    model: str = "fundgap",
) -> ScenarioResult:
    """Project capital, gaps and fund capacity along a growth path.

    Parameters
    ----------
    baseline : Baseline, DataFrame, result, str or None
        The start: a :class:`~fundgap.scenarios.Baseline` (used as given; build one
        with :func:`~fundgap.scenarios.make_baseline` to select a table or add fund
        and round sizes); a canonical series frame or a model result (anything
        :func:`~fundgap.scenarios.make_baseline` takes); a shipped dataset's name
        (``"oecd_vc"``, ``"ncses_vc"``); or None for the shipped OECD VC market
        statistics (see :func:`~fundgap.scenarios.shipped_baseline`).
    path : Series or array, optional
        Multipliers of the scaled region's capital from year 0 (see
        :func:`growth_path`); default ``growth_path(5, 10)`` (fivefold in ten years,
        compound). After its end the path stays at its final value.
    region : str, default "EU27"
        The place whose capital follows the path: a region, an ISO2 country code
        (``"BE"``), a group of ``groups`` or ``"EU27_excl_<group or code>"``.
    base : str, default "US"
        The place crossings are measured against (EU/US >= threshold).
    lever : {"bigger_funds", "more_funds", "mix"}, default "bigger_funds"
        Where the new capital goes. ``bigger_funds``: fund sizes grow with the path
        (fund count fixed), so the largest round a domestic fund can lead grows;
        ``more_funds``: the number of funds grows, sizes do not; ``mix``: fund
        size takes the share ``fund.mix`` of the growth in log terms.
    horizon : int, default 10
        Years projected after the start year.
    n_sims : int, default 0
        Monte Carlo simulations (0 = the deterministic central projection only).
    seed : int or Generator, optional
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same result.
    groups : dict, optional
        Groups of countries, e.g. ``{"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}``.
    counterfactual : Counterfactual, optional
        The places compared with and their growth (default: US and China on their
        trend over the last ten observed years); see
        :class:`~fundgap.scenarios.Counterfactual`. The window used is reported in
        ``meta["trend_years"]`` and, per region x stage, in ``meta["trends"]``.
    fund : FundSpec, optional
        The lever's fund-size share, the counterfactual regions' split, the lead
        rule and demand growth; see :class:`~fundgap.scenarios.FundSpec`.
    monte_carlo : MonteCarloSpec, optional
        The uncertainty drawn with ``n_sims > 0``, the fan quantiles and whether the
        simulations are kept; see :class:`~fundgap.scenarios.MonteCarloSpec`.
    stage_allocation : dict, optional
        Stage group -> share of the *new* capital (shares sum to 1). Default: pro
        rata to the baseline, i.e. every stage grows by the path.
    thresholds : sequence of float, default (0.5, 1.0)
        Ratios whose first crossing year is reported.
    scenario, model : str
        Labels of the long output (default scenario: e.g. ``"x5 in 10y compound, bigger_funds"``).

    Returns
    -------
    ScenarioResult
        ``to_frame()``: model, scenario, region, stage_group, variable, unit, year,
        t, value (the central projection); ``to_long()`` (IAMC), ``fan()``,
        ``crossings()``.

    Raises
    ------
    FundgapError
        Unknown lever, region not in the baseline, allocation that does not sum
        to one, a trend requested without history, out-of-range options.

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.scenarios import Baseline, Counterfactual, FundSpec, growth_path, project
    >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
    ...                            "value": [20.0, 100.0]}), start_year=2024,
    ...              fund_sizes={"EU27": [50.0, 100.0, 200.0]})
    >>> r = project(b, growth_path(5, 10), counterfactual=Counterfactual(us_growth=0.0),
    ...             fund=FundSpec(lead_fund="max"))
    >>> f = r.to_frame()
    >>> f.query("variable == 'largest_lead_round_max' and t in (0, 10)")["value"].tolist()
    [60.0, 300.0]
    """
    cf = _spec(counterfactual, Counterfactual, "counterfactual")
    fs = _spec(fund, FundSpec, "fund")
    mc = _spec(monte_carlo, MonteCarloSpec, "monte_carlo")
    horizon, n_sims, thr = _check_options(lever, horizon, n_sims, thresholds)
    comparators = _places(baseline, region, base, cf.comparators, groups)
    b = resolve_baseline(baseline, (region, base, *comparators), groups)
    comps = _counterfactual_regions(b, region, base, comparators,
                                    given=isinstance(baseline, Baseline))
    path = growth_path(5.0, 10) if path is None else path
    plan = _plan(b, [region, *comps], base, path, horizon=horizon,
                 size_share=fs.size_share(lever), fs=fs, mc=mc,
                 stage_allocation=stage_allocation)
    trends = _trends(b, comps, cf, horizon, mc.trend_noise)
    draw_kw = {"horizon": horizon, "growth_sd": mc.growth_sd,
               "fund_sd": np.array([f.sd for f in plan.funds.values()]),
               "disp_sd": np.array([f.disp for f in plan.funds.values()]),
               "slope_mean": trends.slope_mean, "slope_cov": trends.slope_cov,
               "noise_sd": trends.noise_sd}
    central = list(simulate(plan, draw(1, None, **draw_kw)))
    sims = None
    if n_sims > 0:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        with step(f"Monte Carlo, {n_sims:,} simulations"):
            sims = summarise(simulate(plan, draw(n_sims, rng, **draw_kw)), mc.quantiles, thr,
                             mc.keep_sims)
    scenario = scenario or _label(path, lever, plan.size_share)
    t = np.arange(horizon + 1)
    start_year = _start_year(b, path)
    years = t + start_year if start_year is not None else t
    frame = _central_frame(central, trends.pi, b.unit, years, t, model, scenario)
    meta = _meta(plan, cf, fs, mc, trends, scenario=scenario, lever=lever, start_year=start_year,
                 stage_allocation=stage_allocation, n_sims=n_sims, seed=seed, thresholds=thr,
                 groups=groups)
    return ScenarioResult(
        frame, title=f"Scenario {scenario}: {region} vs {', '.join(comps)}", meta=meta,
        fan=None if sims is None else fan_frame(sims, mc.quantiles, years, t, model, scenario),
        crossings=crossings_frame(central, sims, thr, years, model, scenario, base),
        sims=sims["kept"] if (sims is not None and mc.keep_sims) else None)


# ----------------------------------------------------------------------------- checks


def _spec(value: Any, kind: type, argument: str) -> Any:
    """The spec given, or its defaults; anything else is an error naming the argument."""
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise FundgapError(f"{argument} must be a {kind.__name__}", argument=argument,
                           value=type(value).__name__,
                           expected=f"None or fundgap.scenarios.{kind.__name__}(...)")
    return value


def _whole(value: Any, argument: str, low: int) -> int:
    """``value`` as an integer of at least ``low``, else an error naming the argument."""
    try:
        ok = int(value) == value and value >= low
    except (TypeError, ValueError):
        ok = False
    if not ok or isinstance(value, bool):
        raise FundgapError(f"{argument} must be an integer of at least {low}", argument=argument,
                           value=value, expected=f"an integer >= {low}")
    return int(value)


def _check_options(lever: Any, horizon: Any, n_sims: Any, thresholds: Sequence[float]
                   ) -> tuple[int, int, tuple[float, ...]]:
    """The lever, the horizon, the simulations and the thresholds, checked."""
    if lever not in LEVERS:
        raise FundgapError("unknown lever", argument="lever", value=lever, expected=LEVERS)
    thr = tuple(float(x) for x in thresholds)
    if any(not (np.isfinite(x) and x > 0) for x in thr):
        raise FundgapError("thresholds must be positive numbers", argument="thresholds",
                           value=thresholds, expected="positive ratios such as (0.5, 1.0)")
    return _whole(horizon, "horizon", 1), _whole(n_sims, "n_sims", 0), thr


def _places(baseline: Any, region: str, base: str, comparators: Sequence[str] | None,
            groups: Any) -> tuple[str, ...]:
    """The comparators, every place checked; an unknown place lists the baseline's regions."""
    try:
        return scenario_places(region, base, comparators, groups)
    except FundgapError as exc:
        if exc.argument not in ("region", "base", "comparators"):
            raise
        try:
            regions = resolve_baseline(baseline).regions
        except FundgapError:
            raise exc from None
        raise FundgapError(exc.message, argument=exc.argument, value=exc.value,
                           expected=[*regions, *resolve_groups(groups), "an ISO 3166 alpha-2 code",
                                     f"{EXCL_PREFIX}<group or code>"]) from None


def _counterfactual_regions(b: Baseline, region: str, base: str, comparators: Sequence[str],
                            *, given: bool) -> list[str]:
    """The counterfactual regions the baseline has: ``base`` first, then the comparators."""
    hint = ("; a Baseline is used as given: build it with make_baseline(..., regions=..., "
            "groups=...) to add countries or groups") if given else ""
    for argument, place, what in (("region", region, "scaled"), ("base", base, "base")):
        if place not in b.regions:
            raise FundgapError(f"the {what} region is not in the baseline{hint}",
                               argument=argument, value=place, expected=b.regions)
    comps = [c for c in dict.fromkeys([base, *comparators]) if c in b.regions and c != region]
    if not comps:
        raise FundgapError("no counterfactual region in the baseline", argument="comparators",
                           value=list(comparators), expected=b.regions)
    return comps


def _allocation(stage_allocation: Mapping[str, float] | None,
                stages: list[str]) -> np.ndarray | None:
    """Shares of the new capital by stage (summing to one), or None for pro rata."""
    if stage_allocation is None:
        return None
    unknown = sorted(set(stage_allocation) - set(stages))
    if unknown:
        raise FundgapError("stage_allocation names stages not in the baseline",
                           argument="stage_allocation", value=unknown, expected=stages)
    alloc = np.array([float(stage_allocation.get(s, 0.0)) for s in stages])
    if np.any(~np.isfinite(alloc)) or np.any(alloc < 0) or not np.isclose(alloc.sum(), 1.0):
        raise FundgapError("stage_allocation shares must be >= 0 and sum to 1",
                           argument="stage_allocation", value=dict(stage_allocation),
                           expected="shares >= 0 summing to 1")
    return alloc


# ----------------------------------------------------------------------------- set-up


def _plan(b: Baseline, regions: list[str], base: str, path: Any, *, horizon: int,
          size_share: float, fs: FundSpec, mc: MonteCarloSpec,
          stage_allocation: Mapping[str, float] | None) -> Plan:
    """Everything the arithmetic needs before any draw."""
    path_years = len(np.asarray(path, dtype="float64").ravel()) - 1
    return Plan(
        baseline=b, regions=regions, stages=b.stages, comps=regions[1:], base=base,
        capital0=b.matrix(regions), path=path_multipliers(path, horizon),
        growth_years=np.minimum(np.arange(horizon + 1), path_years).astype("float64"),
        alloc=_allocation(stage_allocation, b.stages), size_share=size_share, fund=fs,
        funds={r: _fund_setup(b, r, mc) for r in regions if r in b.fund_sizes})


def _fund_setup(b: Baseline, region: str, mc: MonteCarloSpec) -> FundSetup:
    """A region's fund sizes, the log of their quantile points and their Monte Carlo sds."""
    sizes = b.fund_sizes[region]
    nf = sizes.size
    sd_log = float(np.std(np.log(sizes), ddof=1)) if nf > 1 else 0.0
    sd = (_MEDIAN_SE * sd_log / np.sqrt(nf)) if mc.fund_size_sd is None else float(mc.fund_size_sd)
    disp = ((1.0 / np.sqrt(2 * (nf - 1)) if nf > 1 else 0.0)
            if mc.fund_dispersion_sd is None else float(mc.fund_dispersion_sd))
    return FundSetup(sizes=sizes, logq=np.log(np.quantile(sizes, list(FUND_QUANTILES.values()))),
                     n0=float(b.n_funds.get(region, nf)), sd=sd, disp=disp)


@dataclass
class _Trends:
    """The counterfactual regions' growth: central slopes, their covariance, residual sds."""

    slope_mean: np.ndarray  # (J, S)
    slope_cov: np.ndarray  # (J, S, 2, 2)
    noise_sd: np.ndarray  # (J, S)
    growth: dict[str, Any] = field(default_factory=dict)  # region -> "trend" or rate
    pi: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)


def _trends(b: Baseline, comps: list[str], cf: Counterfactual, horizon: int,
            trend_noise: bool) -> _Trends:
    """Fit the trends asked for (or take the given rates) of every counterfactual region."""
    shape = (len(comps), len(b.stages))
    out = _Trends(np.zeros(shape), np.zeros((*shape, 2, 2)), np.zeros(shape))
    for j, c in enumerate(comps):
        spec = out.growth[c] = cf.growth_of(c)
        for k, s in enumerate(b.stages):
            if spec != "trend":
                out.slope_mean[j, k] = np.log1p(spec)
                continue
            fit = b.trend(c, s, trend_years=cf.trend_years, horizon=horizon)
            out.slope_mean[j, k] = fit.params[1]
            out.slope_cov[j, k] = fit.cov
            out.noise_sd[j, k] = fit.sigma if trend_noise else 0.0
            out.pi[(c, s)] = fit.pi
            out.info[f"{c}/{s}"] = (f"{fit.growth:.4f}/yr, years {fit.years[0]}-"
                                    f"{fit.years[1]}, n={fit.n}")
    return out


# ----------------------------------------------------------------------------- output


def _start_year(b: Baseline, path: Any) -> int | None:
    """The baseline's year, else a calendar path's first year, else None."""
    if b.start_year is None and isinstance(path, pd.Series) and path.attrs.get("start_year"):
        return int(path.attrs["start_year"])
    return b.start_year


def _label(path: Any, lever: str, size_share: float) -> str:
    """``"x5 in 10y compound, bigger_funds"`` (the path's multiple, years, shape; the lever)."""
    attrs = getattr(path, "attrs", {}) or {}
    arr = np.asarray(path, dtype=float)
    mult = attrs.get("multiple", float(arr[-1] / arr[0]))
    n_years = attrs.get("n_years", len(np.asarray(path)) - 1)
    return f"x{mult:g} in {n_years}y {attrs.get('shape', 'custom')}, {lever}" + (
        f" {size_share:g}" if lever == "mix" else "")


def _central_frame(central: list[tuple[Key, np.ndarray]], pi: dict[tuple[str, str], pd.DataFrame],
                   unit: str, years: np.ndarray, t: np.ndarray, model: str,
                   scenario: str) -> pd.DataFrame:
    """The central path, then the trend lines and prediction intervals of the
    counterfactual regions on a trend."""
    keys = [k for k, _ in central]
    frame = tidy(keys, np.stack([v[0] for _, v in central]), years, t, model, scenario)
    if not pi:
        return frame
    extra = [((c, s, var, unit), p[col].to_numpy()) for (c, s), p in pi.items()
             for var, col in (("capital_trend_fit", "fit"), ("capital_trend_pi_low", "low"),
                              ("capital_trend_pi_high", "high"))]
    return pd.concat([frame, tidy([k for k, _ in extra], np.stack([v for _, v in extra]),
                                  years, t, model, scenario)], ignore_index=True)


def _meta(plan: Plan, cf: Counterfactual, fs: FundSpec, mc: MonteCarloSpec, trends: _Trends,
          **run: Any) -> dict[str, Any]:
    """The options and assumptions of the run, for the result's ``meta``."""
    b, seed, alloc = plan.baseline, run["seed"], run["stage_allocation"]
    return {
        "scenario": run["scenario"],
        "region": plan.regions[0], "base": plan.base, "comparators": plan.comps,
        "baseline_source": b.source, "baseline_year": run["start_year"], "unit": b.unit,
        "lever": run["lever"], "fund_size_share_of_growth": plan.size_share,
        "stage_allocation": dict(alloc) if alloc else "pro rata",
        "path": [round(x, 6) for x in plan.path.tolist()],
        "growth": dict(trends.growth), "trends": trends.info or None,
        "trend_years": cf.window_text() if trends.info else None,
        "horizon": len(plan.path) - 1, "n_sims": run["n_sims"],
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
        "max_position": fs.max_position, "lead_share": fs.lead_share,
        "lead_fund": fs.lead_fund, "counterfactual_fund_mix": fs.counterfactual_fund_mix,
        "demand_growth": fs.demand_growth, "growth_sd": mc.growth_sd,
        "trend_noise": mc.trend_noise, "fund_regions": plan.fund_regions,
        "demand_stages": sorted(b.round_sizes), "thresholds": list(run["thresholds"]),
        "notes": list(b.notes), **groups_meta(run["groups"]),
    }

