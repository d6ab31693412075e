"""Project what a growth path of European capital does to each stage's gap.

:func:`project` grows the scaled region's capital (EU-27 by default) along a
growth path, grows the counterfactual regions (US, China) on their fitted trend
or at a given rate, and reports per year, region and stage: capital, ratio and
gap to each counterfactual region, the largest round domestic funds can lead,
the share of later-stage demand fundable at home, and the first year each ratio
crosses the thresholds. With ``n_sims > 0`` the same computation runs for all
simulations at once (arrays with a leading simulation axis) to give fan-chart
quantiles.

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios import Baseline, growth_path, project
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
...                            "value": [20.0, 100.0]}), start_year=2024)
>>> r = project(b, growth_path(5, 10), us_growth=0.0)
>>> r.crossings()[["threshold", "crossing_year", "status"]]
   threshold  crossing_year   status
0        0.5           2030  crossed
1        1.0           2034  crossed
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.scenarios.baseline import (DEFAULT_TREND_YEARS, Baseline, make_baseline,
                                        shipped_baseline)
from fundgap.scenarios.montecarlo import Draws, draw
from fundgap.scenarios.paths import growth_path, path_multipliers
from fundgap.scenarios.places import groups_meta, place_baseline, scenario_places
from fundgap.scenarios.result import ScenarioResult

__all__ = ["FUND_QUANTILES", "LEVERS", "project"]

Lever = Literal["bigger_funds", "more_funds", "mix"]
#: The levers: where new capital goes.
LEVERS: tuple[str, ...] = ("bigger_funds", "more_funds", "mix")
#: Fund-size points whose lead capacity is reported.
FUND_QUANTILES: dict[str, float] = {"p50": 0.5, "p75": 0.75, "p90": 0.9, "max": 1.0}
_TOL = 1e-12
_STAGE_RANK = {s: i for i, s in enumerate(("seed", "early", "later", "unknown", "all"))}


def _resolve_baseline(baseline: Any, select: Mapping[str, Any] | None = None,
                      places: Sequence[str] = (), groups: Any = None) -> Baseline:
    if (b := place_baseline(baseline, select, places, groups)) is not None:
        return b  # countries, groups or the rest of the EU-27, from the country rows
    if baseline is None:
        return shipped_baseline(select=dict(select) if select else None)
    if isinstance(baseline, str):
        return shipped_baseline(baseline, select=dict(select) if select else None)
    if isinstance(baseline, Baseline):
        return baseline
    return make_baseline(baseline, select=dict(select) if select else None)


def _check_fraction(name: str, value: Any, *, low: float = 0.0, high: float = 1.0,
                    open_low: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = np.nan
    ok = np.isfinite(v) and (v > low if open_low else v >= low) and v <= high
    if not ok:
        raise FundgapError(f"{name} must be a number in {'(' if open_low else '['}{low}, {high}]",
                           column=name, value=value)
    return v


def _growth_spec(value: Any, name: str) -> Any:
    if isinstance(value, str):
        if value != "trend":
            raise FundgapError("growth must be 'trend' or an annual rate", column=name,
                               value=value, expected=["trend", "a number such as 0.05"])
        return "trend"
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = np.nan
    if not (np.isfinite(v) and v > -1):
        raise FundgapError("an annual growth rate must be a number above -1", column=name,
                           value=value)
    return v


def project(
    baseline: Any = None,
    path: pd.Series | Sequence[float] | np.ndarray | None = None,
    *,
    lever: Lever = "bigger_funds",
    mix: float = 0.5,
    stage_allocation: Mapping[str, float] | None = None,
    region: str = "EU27",
    base: str = "US",
    comparators: Sequence[str] | None = None,
    us_growth: float | str = "trend",
    cn_growth: float | str = "trend",
    other_growth: float | str = "trend",
    horizon: int = 10,
    n_sims: int = 0,
    seed: int | np.random.Generator | None = None,
    thresholds: Sequence[float] = (0.5, 1.0),
    max_position: float = 0.15,
    lead_share: float = 0.5,
    lead_fund: str = "p90",
    counterfactual_fund_mix: float = 0.5,
    demand_growth: float = 0.0,
    growth_sd: float = 0.03,
    fund_size_sd: float | None = None,
    fund_dispersion_sd: float | None = None,
    trend_noise: bool = True,
    trend_years: int | tuple[int, int] | None = DEFAULT_TREND_YEARS,
    quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    scenario: str | None = None,
    model: str = "fundgap",
    keep_sims: bool = False,
    select: Mapping[str, Any] | None = None,
    funds: pd.DataFrame | None = None,
    rounds: pd.DataFrame | None = None,
    fund_sizes: Mapping[str, Any] | None = None,
    round_sizes: Mapping[str, Any] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> ScenarioResult:
    """Project capital, gaps and fund capacity along a growth path.

    Parameters
    ----------
    baseline : Baseline, DataFrame, result, str or None
        The start: a :class:`~fundgap.scenarios.Baseline`; a canonical series frame
        or a model result (anything :func:`~fundgap.scenarios.make_baseline` takes);
        a shipped dataset's name (``"oecd_vc"``, ``"ncses_vc"``); or None for the
        shipped OECD VC market statistics (see
        :func:`~fundgap.scenarios.baseline.shipped_baseline`).
    path : Series or array, optional
        Multipliers of the scaled region's capital from year 0 (see
        :func:`growth_path`); default ``growth_path(5, 10)`` (fivefold in ten years,
        compound). After its end the path stays at its final value.
    lever : {"bigger_funds", "more_funds", "mix"}, default "bigger_funds"
        Where the new capital goes. ``bigger_funds``: fund sizes grow with the path
        (fund count fixed), so the largest round a domestic fund can lead grows;
        ``more_funds``: the number of funds grows, sizes do not; ``mix``: fund
        size takes the share ``mix`` of the growth in log terms (size factor
        ``m ** mix``, count factor ``m ** (1 - mix)``, product ``m``).
    mix : float, default 0.5
        Used with ``lever="mix"``; 0 = more_funds, 1 = bigger_funds.
    stage_allocation : dict, optional
        Stage group -> share of the *new* capital (shares sum to 1). Default: pro
        rata to the baseline, i.e. every stage grows by the path.
    region : str, default "EU27"
        The place whose capital follows the path: a region, an ISO2 country code
        (``"BE"``), a group of ``groups`` or ``"EU27_excl_<group or code>"``.
    base : str, default "US"
        The place crossings are measured against (EU/US >= threshold).
    comparators : sequence of str, optional
        Counterfactual places, kept where the baseline has them. Ratios and gaps
        are reported for the scaled place against each, and for each of the others
        against ``base``. Default: :func:`~fundgap.scenarios.scenario_places`.
    us_growth, cn_growth, other_growth : "trend" or float, default "trend"
        Annual growth of the US, China and other counterfactual regions:
        ``"trend"`` = the log-linear OLS trend fitted on the baseline's history
        (per stage), or a given annual rate (0.05 = 5 % a year, 0 = flat).
    horizon : int, default 10
        Years projected after the start year.
    n_sims : int, default 0
        Monte Carlo simulations (0 = the deterministic central projection only).
    seed : int or Generator, optional
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same result.
    thresholds : sequence of float, default (0.5, 1.0)
        Ratios whose first crossing year is reported.
    max_position : float, default 0.15
        Largest share of a fund one company may receive over the fund's life.
    lead_share : float, default 0.5
        Share of a round the lead investor takes; a fund of size F can lead a round
        of at most ``max_position * F / lead_share``.
    lead_fund : {"p50", "p75", "p90", "max"}, default "p90"
        The domestic fund (point of the fund-size distribution) whose lead capacity
        decides whether a round is fundable at home.
    counterfactual_fund_mix : float, default 0.5
        How the counterfactual regions' growth splits between fund size and count.
    demand_growth : float, default 0.0
        Annual log growth of round sizes demanded (0 = today's round sizes).
    growth_sd : float, default 0.03
        Monte Carlo: standard deviation of the scaled region's annual log growth
        around the path, while the path runs (after its end the level is held).
    fund_size_sd, fund_dispersion_sd : float, optional
        Monte Carlo: standard deviations of the log level of fund sizes and of the
        log factor on their spread; default their sampling error given the number
        of funds (1.2533 * sd(log F) / sqrt(n) and 1 / sqrt(2 (n - 1))).
    trend_noise : bool, default True
        Monte Carlo: add the trend's residual noise year by year to the
        counterfactual regions (on top of the slope drawn from its covariance).
    trend_years : int, (int, int) or None, default 10
        Window of the trend fits: the last N observed years up to the start year
        (default 10, :data:`~fundgap.scenarios.baseline.DEFAULT_TREND_YEARS`: the
        early years of the long OECD series carry coverage breaks, and ten years
        match the ten-year horizon), the years lo..hi, or None for all history.
        The window used is reported in ``meta["trend_years"]`` and, per region x
        stage, in ``meta["trends"]``.
    quantiles : sequence of float
        Fan-chart quantiles (default 5/25/50/75/95 %).
    scenario, model : str
        Labels of the long output (default scenario: e.g. ``"x5 in 10y compound, bigger_funds"``).
    keep_sims : bool, default False
        Keep the simulation arrays on the result (``result.sims``), keyed by
        (region, stage_group, variable, unit), each (n_sims, horizon + 1).
    select : dict, optional
        Column -> value filters when ``baseline`` is a frame, result or dataset name
        (e.g. ``{"table": "SINV-31"}``); see :func:`~fundgap.scenarios.make_baseline`.
    funds, rounds : DataFrame, optional
        Canonical funds / rounds frames adding the fund-size distributions by region
        and the later-stage round-size demand to the baseline.
    fund_sizes, round_sizes : dict, optional
        Explicit distributions (see :class:`~fundgap.scenarios.Baseline`); they win.
    groups : dict, optional
        Groups of countries, e.g. ``{"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}``.

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
        to one, a trend requested without history, out-of-range parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.scenarios import Baseline, growth_path, project
    >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
    ...                            "value": [20.0, 100.0]}), start_year=2024,
    ...              fund_sizes={"EU27": [50.0, 100.0, 200.0]})
    >>> r = project(b, growth_path(5, 10), us_growth=0.0, lead_fund="max")
    >>> f = r.to_frame()
    >>> f.query("variable == 'largest_lead_round_max' and t in (0, 10)")["value"].tolist()
    [60.0, 300.0]
    """
    comparators = scenario_places(region, base, comparators, groups)
    b = _resolve_baseline(baseline, select, (region, base, *comparators), groups)
    if any(x is not None for x in (funds, rounds, fund_sizes, round_sizes)):
        b = make_baseline(b, funds=funds, rounds=rounds,
                          fund_sizes=dict(fund_sizes) if fund_sizes else None,
                          round_sizes=dict(round_sizes) if round_sizes else None)
    if lever not in LEVERS:
        raise FundgapError("unknown lever", column="lever", value=lever, expected=LEVERS)
    mix_eff = {"bigger_funds": 1.0, "more_funds": 0.0}.get(lever)
    if mix_eff is None:
        mix_eff = _check_fraction("mix", mix)
    max_position = _check_fraction("max_position", max_position, open_low=True)
    lead_share = _check_fraction("lead_share", lead_share, open_low=True)
    cf_mix = _check_fraction("counterfactual_fund_mix", counterfactual_fund_mix)
    if lead_fund not in FUND_QUANTILES:
        raise FundgapError("unknown lead_fund", column="lead_fund", value=lead_fund,
                           expected=list(FUND_QUANTILES))
    if int(horizon) != horizon or horizon < 1:
        raise FundgapError("horizon must be a positive integer", column="horizon", value=horizon)
    horizon = int(horizon)
    if int(n_sims) != n_sims or n_sims < 0:
        raise FundgapError("n_sims must be a non-negative integer", column="n_sims", value=n_sims)
    n_sims = int(n_sims)
    for name, v in (("growth_sd", growth_sd), ("demand_growth", demand_growth)):
        if not np.isfinite(float(v)) or (name == "growth_sd" and v < 0):
            raise FundgapError(f"{name} must be finite{' and >= 0' if name == 'growth_sd' else ''}",
                               column=name, value=v)
    thr = tuple(float(x) for x in thresholds)
    if any(not (np.isfinite(x) and x > 0) for x in thr):
        raise FundgapError("thresholds must be positive numbers", column="thresholds",
                           value=thresholds)
    q = tuple(float(x) for x in quantiles)
    if any(not 0 <= x <= 1 for x in q):
        raise FundgapError("quantiles must lie in [0, 1]", column="quantiles", value=quantiles)

    if region not in b.regions:
        raise FundgapError("the scaled region is not in the baseline", column="region",
                           value=region, expected=b.regions)
    if base not in b.regions:
        raise FundgapError("the base region is not in the baseline", column="base",
                           value=base, expected=b.regions)
    comps = [c for c in dict.fromkeys([base, *comparators]) if c in b.regions and c != region]
    if not comps:
        raise FundgapError("no counterfactual region in the baseline", column="comparators",
                           value=list(comparators), expected=b.regions)
    regions = [region, *comps]
    stages = b.stages
    if path is None:
        path = growth_path(5.0, 10)
    m = path_multipliers(path, horizon)
    path_years = len(np.asarray(path, dtype="float64").ravel()) - 1
    start_year = b.start_year
    if start_year is None and isinstance(path, pd.Series) and path.attrs.get("start_year"):
        start_year = int(path.attrs["start_year"])

    C0 = b.matrix(regions)  # (R, S)
    alloc = None
    if stage_allocation is not None:
        unknown = sorted(set(stage_allocation) - set(stages))
        if unknown:
            raise FundgapError("stage_allocation names stages not in the baseline",
                               column="stage_allocation", value=unknown, expected=stages)
        alloc = np.array([float(stage_allocation.get(s, 0.0)) for s in stages])
        if np.any(~np.isfinite(alloc)) or np.any(alloc < 0) or not np.isclose(alloc.sum(), 1.0):
            raise FundgapError("stage_allocation shares must be >= 0 and sum to 1",
                               column="stage_allocation", value=dict(stage_allocation))

    # counterfactual growth: central slope, its covariance, residual sd, prediction intervals
    J, S = len(comps), len(stages)
    slope_mean = np.zeros((J, S))
    slope_cov = np.zeros((J, S, 2, 2))
    noise_sd = np.zeros((J, S))
    specs: dict[str, Any] = {}
    trend_pi: dict[tuple[str, str], pd.DataFrame] = {}
    trend_info: dict[str, Any] = {}
    for j, c in enumerate(comps):
        spec = _growth_spec({"US": us_growth, "CN": cn_growth}.get(c, other_growth),
                            {"US": "us_growth", "CN": "cn_growth"}.get(c, "other_growth"))
        specs[c] = spec
        for k, s in enumerate(stages):
            if spec == "trend":
                fit = b.trend(c, s, trend_years=trend_years, horizon=horizon)
                slope_mean[j, k] = fit.params[1]
                slope_cov[j, k] = fit.cov
                noise_sd[j, k] = fit.sigma if trend_noise else 0.0
                trend_pi[(c, s)] = fit.pi
                trend_info[f"{c}/{s}"] = (f"{fit.growth:.4f}/yr, years {fit.years[0]}-"
                                          f"{fit.years[1]}, n={fit.n}")
            else:
                slope_mean[j, k] = np.log1p(spec)

    # fund-size distributions of the regions that have one
    fund_regions = [r for r in regions if r in b.fund_sizes]
    fund = {}
    for r in fund_regions:
        sizes = b.fund_sizes[r]
        logs = np.log(sizes)
        nf = sizes.size
        sd_log = float(np.std(logs, ddof=1)) if nf > 1 else 0.0
        fund[r] = {
            "sizes": sizes,
            "logq": np.log(np.quantile(sizes, list(FUND_QUANTILES.values()))),
            "n0": float(b.n_funds.get(r, nf)),
            "sd": (1.2533 * sd_log / np.sqrt(nf)) if fund_size_sd is None else float(fund_size_sd),
            "disp": ((1.0 / np.sqrt(2 * (nf - 1)) if nf > 1 else 0.0)
                     if fund_dispersion_sd is None else float(fund_dispersion_sd)),
        }
    fund_sd = np.array([fund[r]["sd"] for r in fund_regions])
    disp_sd = np.array([fund[r]["disp"] for r in fund_regions])

    setup = dict(b=b, regions=regions, stages=stages, comps=comps, base=base, C0=C0, m=m,
                 alloc=alloc,
                 mix=mix_eff, cf_mix=cf_mix, fund=fund, fund_regions=fund_regions,
                 max_position=max_position, lead_share=lead_share, lead_fund=lead_fund,
                 demand_growth=float(demand_growth), horizon=horizon,
                 growth_years=np.minimum(np.arange(horizon + 1), path_years).astype("float64"))
    draw_kw = dict(horizon=horizon, growth_sd=float(growth_sd), fund_sd=fund_sd, disp_sd=disp_sd,
                   slope_mean=slope_mean, slope_cov=slope_cov, noise_sd=noise_sd)

    central = list(_simulate(setup, draw(1, None, **draw_kw)))
    mc = None
    if n_sims > 0:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        mc = _summarise(_simulate(setup, draw(n_sims, rng, **draw_kw)), q, thr, keep_sims)

    if scenario is None:
        attrs = getattr(path, "attrs", {}) or {}
        mult = attrs.get("multiple", float(np.asarray(path, dtype=float)[-1]
                                           / np.asarray(path, dtype=float)[0]))
        yrs = attrs.get("years", len(np.asarray(path)) - 1)
        scenario = f"x{mult:g} in {yrs}y {attrs.get('shape', 'custom')}, {lever}" + (
            f" {mix_eff:g}" if lever == "mix" else "")
    T = horizon + 1
    t = np.arange(T)
    years = t + start_year if start_year is not None else t
    keys = [k for k, _ in central]
    values = np.stack([v[0] for _, v in central])  # (K, T)
    frame = _tidy(keys, values, years, t, model, scenario)
    # trend prediction intervals of the counterfactual regions (central run only)
    if trend_pi:
        extra = []
        for (c, s), pi in trend_pi.items():
            for var, col in (("capital_trend_fit", "fit"), ("capital_trend_pi_low", "low"),
                             ("capital_trend_pi_high", "high")):
                extra.append(((c, s, var, b.unit), pi[col].to_numpy()))
        frame = pd.concat([frame, _tidy([k for k, _ in extra], np.stack([v for _, v in extra]),
                                        years, t, model, scenario)], ignore_index=True)
    cross = _crossings(central, mc, thr, years, model, scenario, base)
    fan = None
    if mc is not None:
        fan = _fan_frame(mc, q, years, t, model, scenario)
    meta = {
        "scenario": scenario,
        "region": region, "base": base, "comparators": comps,
        "baseline_source": b.source, "baseline_year": start_year, "unit": b.unit,
        "lever": lever, "fund_size_share_of_growth": mix_eff,
        "stage_allocation": dict(stage_allocation) if stage_allocation else "pro rata",
        "path": [round(x, 6) for x in m.tolist()],
        "growth": {c: specs[c] for c in comps}, "trends": trend_info or None,
        "trend_years": (None if not trend_info else "all history" if trend_years is None
                        else f"last {int(trend_years)} observed years"
                        if np.isscalar(trend_years) else
                        f"years {int(trend_years[0])}-{int(trend_years[1])}"),
        "horizon": horizon, "n_sims": n_sims, "seed": seed if not isinstance(
            seed, np.random.Generator) else "Generator",
        "max_position": max_position, "lead_share": lead_share, "lead_fund": lead_fund,
        "counterfactual_fund_mix": cf_mix, "demand_growth": float(demand_growth),
        "growth_sd": float(growth_sd), "trend_noise": trend_noise,
        "fund_regions": fund_regions, "demand_stages": sorted(b.round_sizes),
        "thresholds": list(thr), "notes": list(b.notes), **groups_meta(groups),
    }
    return ScenarioResult(frame, title=f"Scenario {scenario}: {region} vs {', '.join(comps)}",
                          meta=meta, fan=fan, crossings=cross,
                          sims=(mc["kept"] if (mc is not None and keep_sims) else None))


Key = tuple[str, str, str, str]  # region, stage_group, variable, unit


def _simulate(setup: dict[str, Any], d: Draws) -> Iterator[tuple[Key, np.ndarray]]:
    """Yield every output series, computed for all draws at once; each array is (n, T)."""
    b: Baseline = setup["b"]
    regions, stages, comps = setup["regions"], setup["stages"], setup["comps"]
    C0, m = setup["C0"], setup["m"]
    n, T = d.n, len(m)
    t = np.arange(T, dtype="float64")
    unit = b.unit

    # the scaled region: its growth deviates by eps a year while the path runs, then holds
    m_sim = m[None, :] * np.exp(d.eps[:, None] * setup["growth_years"][None, :])  # (n, T)
    R, S = C0.shape
    # C[region, stage] is a contiguous (n, T) block; the last stage slot holds "all"
    C = np.empty((R, S + 1 if S > 1 else S, n, T))
    if setup["alloc"] is None:
        C[0, :S] = C0[0][:, None, None] * m_sim[None]
    else:
        new = ((m_sim - 1.0) * C0[0].sum())[None] * setup["alloc"][:, None, None]
        C[0, :S] = np.maximum(C0[0][:, None, None] + new, 0.0)
    # counterfactual regions
    C[1:, :S] = C0[1:, :, None, None] * np.exp(d.slope[..., None] * t + d.noise)
    stage_names = list(stages)
    if S > 1:
        C[:, S] = C[:, :S].sum(axis=1)
        stage_names.append("all")
    region0 = regions[0]
    yield (region0, "all", "multiplier", "x"), m_sim
    for i, r in enumerate(regions):
        for k, s in enumerate(stage_names):
            yield (r, s, "capital", unit), C[i, k]
    # ratios and gaps: the scaled region against every counterfactual region, and every
    # other counterfactual region against the base (not every pair: O(regions), not O(regions^2))
    base = setup["base"]
    pairs = [(0, c) for c in comps] + [(regions.index(r), base) for r in comps if r != base]
    for i, c in pairs:
        jc = regions.index(c)
        for k, s in enumerate(stage_names):
            num, den = C[i, k], C[jc, k]
            ratio = np.full(num.shape, np.nan)
            np.divide(num, den, out=ratio, where=den > 0)  # no division where den is 0
            yield (regions[i], s, f"ratio_to_{c}", "ratio"), ratio
            yield (regions[i], s, f"gap_to_{c}", unit), den - num

    # fund capacity
    qnames = list(FUND_QUANTILES)
    lead_idx = qnames.index(setup["lead_fund"])
    for f_i, r in enumerate(setup["fund_regions"]):
        fd = setup["fund"][r]
        i = regions.index(r)
        if i == 0:
            total = m_sim
            share = setup["mix"]
        else:
            tot0 = C0[i].sum()
            total = C[i, -1] / tot0 if tot0 > 0 else np.ones((n, T))
            share = setup["cf_mix"]
        size_f = total ** share  # (n, T)
        count_f = total ** (1.0 - share)
        logq = fd["logq"]
        logmed = logq[0]
        logq_sim = (logmed + d.fund_shift[:, f_i, None]
                    + (logq - logmed)[None, :] * np.exp(d.fund_disp[:, f_i, None]))  # (n, Q)
        lead = (setup["max_position"] / setup["lead_share"]) * np.exp(logq_sim).T[:, :, None] \
            * size_f[None]  # (Q, n, T)
        yield (r, "all", "fund_size_factor", "x"), size_f
        yield (r, "all", "n_funds", "count"), fd["n0"] * count_f
        for qi, qn in enumerate(qnames):
            yield (r, "all", f"largest_lead_round_{qn}", unit), lead[qi]
        grow = np.exp(setup["demand_growth"] * t)[None, :]
        cap = lead[lead_idx] / grow  # lead capacity in start-year round sizes
        for s, dist in b.round_sizes.items():
            if isinstance(dist, tuple):
                from scipy.special import ndtr

                _, mu, sig = dist
                z = (np.log(cap) - mu) / sig
                cnt, val = ndtr(z), ndtr(z - sig)
                median_round = np.exp(mu)
            else:
                idx = _search(dist, cap, "right")
                cums = np.concatenate([[0.0], np.cumsum(dist)])
                cnt = idx / dist.size
                val = cums[idx] / cums[-1]
                median_round = float(np.median(dist))
            yield (r, s, "fundable_share", "share"), cnt
            yield (r, s, "fundable_value_share", "share"), val
            # domestic funds able to lead the median round of the stage
            need = median_round * grow * setup["lead_share"] / setup["max_position"]  # fund size
            base_need = need / (size_f * np.exp(d.fund_shift[:, f_i, None]))
            frac = 1.0 - _search(fd["sizes"], base_need, "left") / fd["sizes"].size
            yield ((r, s, "funds_able_to_lead_median_round", "count"),
                   fd["n0"] * count_f * frac)


def _search(sorted_values: np.ndarray, x: np.ndarray, side: str) -> np.ndarray:
    """np.searchsorted on a contiguous copy of ``x`` (twice as fast on strided input)."""
    flat = np.ascontiguousarray(x, dtype="float64").ravel()
    return np.searchsorted(sorted_values, flat, side=side).reshape(x.shape)


def _tidy(keys: list[Key], values: np.ndarray, years: np.ndarray, t: np.ndarray, model: str,
          scenario: str) -> pd.DataFrame:
    K, T = values.shape
    lab = np.array(keys, dtype=object)  # (K, 4)
    return pd.DataFrame({
        "model": model,
        "scenario": scenario,
        "region": np.repeat(lab[:, 0], T).astype(str),
        "stage_group": np.repeat(lab[:, 1], T).astype(str),
        "variable": np.repeat(lab[:, 2], T).astype(str),
        "unit": np.repeat(lab[:, 3], T).astype(str),
        "year": np.tile(np.asarray(years, dtype="int64"), K),
        "t": np.tile(np.asarray(t, dtype="int64"), K),
        "value": values.ravel(),
    })


_CHUNK = 48  # series per block of the streaming summary (48 x 11 x 10,000 doubles = 42 MB)


def _summarise(stream: Iterable[tuple[Key, np.ndarray]], q: tuple[float, ...],
               thresholds: tuple[float, ...], keep: bool) -> dict[str, Any]:
    """Fan quantiles, means and crossing statistics of the simulated series, block by block.

    The series arrive one by one from :func:`_simulate`; they are copied into a
    block buffer with one contiguous row of simulations per series-year, summarised
    (mean, then quantiles by an in-place sort) and dropped, so memory stays bounded
    whatever the number of regions and comparators.
    """
    from fundgap.scenarios.montecarlo import fan_quantiles

    keys: list[Key] = []
    qs_parts: list[np.ndarray] = []
    mean_parts: list[np.ndarray] = []
    cross: dict[tuple[Key, float], dict[str, Any]] = {}
    kept: dict[Key, np.ndarray] = {}
    buf = None
    used = 0

    def flush() -> None:
        nonlocal used
        if used == 0:
            return
        rows = buf[:used].reshape(used * buf.shape[1], buf.shape[2])
        qs_parts.append(fan_quantiles(rows, q, axis=1, overwrite=True))  # sorts rows in place
        # the mean of the sorted rows (sorting does not change it); NaN sort last
        if np.isnan(rows[:, -1]).any():
            nan = np.isnan(rows)
            ok = (~nan).sum(axis=1)
            total = np.where(nan, 0.0, rows).sum(axis=1)
            mean_parts.append(np.where(ok > 0, total / np.maximum(ok, 1), np.nan))
        else:
            mean_parts.append(rows.mean(axis=1))
        used = 0

    for key, arr in stream:
        n, T = arr.shape
        if buf is None:
            buf = np.empty((_CHUNK, T, n))
        if keep:
            kept[key] = arr
        if key[2].startswith("ratio_to_"):
            for thr in thresholds:
                cross[(key, thr)] = _crossing_stats(arr, thr)
        buf[used] = arr.T
        keys.append(key)
        used += 1
        if used == _CHUNK:
            flush()
    flush()
    return {"keys": keys, "q": np.concatenate(qs_parts, axis=1) if qs_parts else None,
            "mean": np.concatenate(mean_parts) if mean_parts else None, "cross": cross,
            "kept": kept}


def _crossing_stats(ratio: np.ndarray, threshold: float) -> dict[str, Any]:
    """Share of simulations crossing within the horizon and quantiles of the crossing index.

    Quantiles use the "lower" rule (an index actually reached by a simulation),
    counted from the per-year histogram rather than by sorting; -1 = not reached.
    """
    n, T = ratio.shape
    hit = ratio >= threshold - _TOL
    any_hit = hit.any(axis=1)
    first = np.where(any_hit, np.argmax(hit, axis=1), T)  # T = never within the horizon
    cum = np.cumsum(np.bincount(first, minlength=T + 1))
    out: dict[str, Any] = {"prob": float(any_hit.mean())}
    for name, qq in (("q05", 0.05), ("q50", 0.5), ("q95", 0.95)):
        k = int(np.floor(qq * (n - 1)))  # the k-th smallest (0-based), as np.quantile "lower"
        idx = int(np.searchsorted(cum, k + 1))
        out[name] = idx if idx < T else -1
    return out


def _fan_frame(mc: dict[str, Any], q: tuple[float, ...], years: np.ndarray, t: np.ndarray,
               model: str, scenario: str) -> pd.DataFrame:
    keys = mc["keys"]
    frame = _tidy(keys, np.full((len(keys), len(t)), np.nan), years, t, model,
                  scenario).drop(columns="value")
    for i, qq in enumerate(q):
        frame[f"q{round(qq * 100):02d}"] = mc["q"][i]
    frame["mean"] = mc["mean"]
    return frame


def _first_crossing(ratio: np.ndarray, threshold: float) -> np.ndarray:
    """First index t with ratio >= threshold per row (n, T) -> (n,) float, inf if none."""
    hit = ratio >= threshold - _TOL
    first = np.argmax(hit, axis=1).astype("float64")
    first[~hit.any(axis=1)] = np.inf
    return first


def _crossings(central: list[tuple[Key, np.ndarray]], mc: dict[str, Any] | None,
               thresholds: tuple[float, ...], years: np.ndarray, model: str, scenario: str,
               base: str) -> pd.DataFrame:
    rows = []
    for key, arr in central:
        region, stage, var, _ = key
        if not var.startswith("ratio_to_"):
            continue
        against = var[len("ratio_to_"):]
        for thr in thresholds:
            first = _first_crossing(arr, thr)[0]
            if np.isnan(arr).all():
                status, t_cross, y_cross = "undefined (no capital in the compared region)", \
                    pd.NA, pd.NA
            elif np.isinf(first):
                status, t_cross, y_cross = "not within horizon", pd.NA, pd.NA
            else:
                t_cross = int(first)
                y_cross = int(years[t_cross])
                status = "at baseline" if t_cross == 0 else "crossed"
            row = {"model": model, "scenario": scenario, "region": region, "against": against,
                   "stage_group": stage, "variable": var, "threshold": thr,
                   "crossing_t": t_cross, "crossing_year": y_cross, "status": status}
            if mc is not None:
                st = mc["cross"][(key, thr)]
                row["prob_within_horizon"] = st["prob"]
                for qn in ("q05", "q50", "q95"):
                    row[f"crossing_year_{qn}"] = pd.NA if st[qn] < 0 else int(years[st[qn]])
            rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for col in [c for c in frame.columns if c.startswith("crossing_")]:
        frame[col] = frame[col].astype("Int64")
    # the base comparison first, stages along the ladder
    order = (frame["against"] != base).astype(int)
    stage_rank = frame["stage_group"].map(_STAGE_RANK).fillna(99)
    return frame.assign(_o=order, _s=stage_rank) \
        .sort_values(["_o", "region", "against", "_s", "threshold"], kind="stable") \
        .drop(columns=["_o", "_s"]).reset_index(drop=True)
