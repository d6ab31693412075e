"""Uncertainty of a scenario: seeded parameter draws, fan-chart quantiles, a tornado table.

Every draw is made at once for all simulations with :func:`numpy.random.default_rng`
(no Python loop over simulations), in a fixed order, so one seed gives one result.

Examples
--------
>>> import numpy as np
>>> from fundgap.scenarios.montecarlo import fan_quantiles
>>> fan_quantiles(np.arange(101.0)[:, None], (0.05, 0.5, 0.95)).ravel().tolist()
[5.0, 50.0, 95.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError

if TYPE_CHECKING:  # (imported lazily at run time)
    from fundgap.scenarios.result import SensitivityResult

__all__ = ["Draws", "draw", "fan_quantiles", "sensitivity", "DEFAULT_RANGES"]


@dataclass
class Draws:
    """Per-simulation parameter draws (``n`` simulations).

    eps : (n,)  shift of the scaled region's annual log growth rate
    fund_shift : (n, F)  log shift of each fund region's fund sizes
    fund_disp : (n, F)  log factor on the spread of fund sizes around the median
    slope : (J, S, n)  annual log growth of each counterfactual region x stage
    noise : (J, S, n, T)  year-by-year log deviation of counterfactual capital from its trend
    """

    eps: np.ndarray
    fund_shift: np.ndarray
    fund_disp: np.ndarray
    slope: np.ndarray
    noise: np.ndarray

    @property
    def n(self) -> int:
        return int(self.eps.shape[0])


def draw(
    n: int,
    rng: np.random.Generator | None,
    *,
    horizon: int,
    growth_sd: float,
    fund_sd: np.ndarray,
    disp_sd: np.ndarray,
    slope_mean: np.ndarray,
    slope_cov: np.ndarray,
    noise_sd: np.ndarray,
) -> Draws:
    """Draw ``n`` parameter sets; ``rng=None`` gives the single central set (no noise).

    Parameters
    ----------
    slope_mean : (J, S) array
        Central annual log growth of each counterfactual region x stage.
    slope_cov : (J, S, 2, 2) array
        Covariance of the trend's (intercept, slope); zero for a given rate.
    noise_sd : (J, S) array
        Residual standard deviation of the log-linear trend (0: no year noise).
    fund_sd, disp_sd : (F,) arrays
        Standard deviations of the fund-size level shift and of the log spread factor.

    Examples
    --------
    >>> d = draw(4, np.random.default_rng(1), horizon=2, growth_sd=0.03,
    ...          fund_sd=np.array([0.1]), disp_sd=np.array([0.1]),
    ...          slope_mean=np.zeros((1, 1)), slope_cov=np.zeros((1, 1, 2, 2)),
    ...          noise_sd=np.zeros((1, 1)))
    >>> d.eps.shape, d.noise.shape
    ((4,), (1, 1, 4, 3))
    """
    J, S = slope_mean.shape
    F = len(fund_sd)
    T = horizon + 1
    if rng is None:
        return Draws(np.zeros(1), np.zeros((1, F)), np.zeros((1, F)),
                     slope_mean[:, :, None].copy(), np.zeros((J, S, 1, T)))
    eps = rng.standard_normal(n) * growth_sd
    fund_shift = rng.standard_normal((n, F)) * fund_sd[None, :]
    fund_disp = rng.standard_normal((n, F)) * disp_sd[None, :]
    # (intercept, slope) from each trend's covariance: Cholesky of the 2x2 blocks, vectorised
    cov = slope_cov
    a = np.sqrt(np.maximum(cov[..., 0, 0], 0.0))
    safe_a = np.where(a > 0, a, 1.0)
    l21 = np.where(a > 0, cov[..., 1, 0] / safe_a, 0.0)
    l22 = np.sqrt(np.maximum(cov[..., 1, 1] - l21 ** 2, 0.0))
    z = rng.standard_normal((2, J, S, n))
    slope = slope_mean[..., None] + l21[..., None] * z[0] + l22[..., None] * z[1]
    noise = rng.standard_normal((J, S, n, T)) * noise_sd[:, :, None, None]
    noise[..., 0] = 0.0  # the start year is observed
    return Draws(eps, fund_shift, fund_disp, slope, noise)


def fan_quantiles(sims: np.ndarray, quantiles: tuple[float, ...], *, axis: int = 0,
                  overwrite: bool = False) -> np.ndarray:
    """Quantiles along ``axis`` (the simulations) of a 2-D array, ignoring NaN.

    Same values as :func:`numpy.quantile` (linear interpolation), computed with one
    sort of each contiguous row, which is several times faster than partitioning
    for the five fan-chart quantiles. Returns (len(quantiles), other axis).
    ``overwrite=True`` (with ``axis=1`` and a C-contiguous float64 array) sorts
    ``sims`` in place instead of copying it.

    Examples
    --------
    >>> fan_quantiles(np.array([[1.0, np.nan], [3.0, 2.0]]), (0.5,)).tolist()
    [[2.0, 2.0]]
    """
    a = np.asarray(sims, dtype="float64")
    rows = np.ascontiguousarray(a.T if axis == 0 else a)  # (m, n): one row per series-year
    q = np.asarray(quantiles, dtype="float64")
    if overwrite and rows is sims:
        rows.sort(axis=1)  # NaN sorts last
        srt = rows
    else:
        srt = np.sort(rows, axis=1)
    n_ok = np.count_nonzero(~np.isnan(srt), axis=1) if np.isnan(srt[:, -1]).any() \
        else np.full(srt.shape[0], srt.shape[1])
    pos = q[:, None] * np.maximum(n_ok - 1, 0)[None, :]  # (Q, m)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(n_ok - 1, 0)[None, :])
    frac = pos - lo
    r = np.arange(srt.shape[0])[None, :]
    vlo, vhi = srt[r, lo], srt[r, hi]
    out = vlo + (vhi - vlo) * frac
    out = np.where(frac == 0, vlo, out)
    return np.where(n_ok[None, :] > 0, out, np.nan)


#: Low and high values of the tornado's parameters (see METHODOLOGY section 5).
DEFAULT_RANGES: dict[str, tuple[Any, Any]] = {
    "multiple": (3.0, 7.0),
    "years": (7, 15),
    "us_growth": (None, None),  # from the US trend's 95 % confidence interval, else base -/+ 3 pts
    "max_position": (0.10, 0.20),
    "lead_share": (0.33, 0.67),
    "mix": (0.0, 1.0),
}


def sensitivity(
    baseline: Any = None,
    *,
    multiple: float = 5.0,
    years: int = 10,
    shape: Any = "compound",
    ranges: dict[str, tuple[Any, Any]] | None = None,
    outputs: tuple[tuple[str, str], ...] = (("ratio_to_US", "later"), ("fundable_share", "later")),
    **project_kwargs: Any,
) -> SensitivityResult:
    """A tornado table: how each main parameter moves the headline outputs at the horizon.

    Each parameter is set to its low and then its high value with every other
    parameter at its base value (one at a time, deterministic runs).

    Parameters
    ----------
    baseline : see :func:`fundgap.scenarios.project`
    multiple, years, shape : the base growth path (see :func:`growth_path`)
    ranges : dict, optional
        Parameter -> (low, high), merged over :data:`DEFAULT_RANGES`. Keys: multiple,
        years, us_growth, max_position, lead_share, mix.
    outputs : tuple of (variable, stage_group)
        Headline outputs, read for the scaled region in the horizon year.
    **project_kwargs
        Passed to :func:`project` (``lever``, ``horizon``, ``max_position`` ...).

    Returns
    -------
    SensitivityResult
        Table columns: output, stage_group, parameter, base, low, high, value_base,
        value_low, value_high, delta_low, delta_high, swing (sorted by swing).

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.scenarios.baseline import Baseline
    >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
    ...                            "value": [20.0, 100.0]}), start_year=2024)
    >>> t = sensitivity(b, us_growth=0.0, outputs=(("ratio_to_US", "later"),)).to_frame()
    >>> t.loc[t["parameter"] == "multiple", ["value_low", "value_high"]].round(2).values.tolist()
    [[0.6, 1.4]]
    """
    from fundgap.scenarios.paths import growth_path
    from fundgap.scenarios.project import _resolve_baseline, project
    from fundgap.scenarios.result import SensitivityResult

    b = _resolve_baseline(baseline)
    rng_ = dict(DEFAULT_RANGES)
    rng_.update(ranges or {})
    unknown = sorted(set(rng_) - set(DEFAULT_RANGES))
    if unknown:
        raise FundgapError("unknown sensitivity parameter(s)", value=unknown,
                           expected=sorted(DEFAULT_RANGES))
    kw = dict(project_kwargs)
    kw.pop("n_sims", None)
    from fundgap.scenarios.baseline import DEFAULT_TREND_YEARS

    kw.setdefault("trend_years", DEFAULT_TREND_YEARS)
    lever = kw.get("lever", "bigger_funds")
    base_mix = {"bigger_funds": 1.0, "more_funds": 0.0}.get(lever, kw.get("mix", 0.5))
    horizon = kw.setdefault("horizon", years)
    base_vals: dict[str, Any] = {
        "multiple": multiple, "years": years,
        "max_position": kw.get("max_position", 0.15), "lead_share": kw.get("lead_share", 0.5),
        "mix": base_mix,
    }
    us = kw.get("us_growth", "trend")
    if isinstance(us, str):
        fit = b.trend("US", "later" if "later" in b.stages else b.stages[-1], horizon=horizon,
                      trend_years=kw["trend_years"])
        base_vals["us_growth"] = fit.growth
        us_lo, us_hi = fit.growth_ci()
    else:
        base_vals["us_growth"] = float(us)
        us_lo, us_hi = float(us) - 0.03, float(us) + 0.03
    if rng_["us_growth"] == (None, None):
        rng_["us_growth"] = (us_lo, us_hi)

    def run(**over: Any) -> pd.DataFrame:
        m = over.pop("multiple", multiple)
        y = over.pop("years", years)
        args = dict(kw)
        if "mix" in over:
            args["lever"] = "mix"
            args["mix"] = over.pop("mix")
        args.update(over)
        res = project(b, growth_path(m, y, shape=shape), n_sims=0, **args)
        return res.to_frame()

    def headline(frame: pd.DataFrame) -> list[float]:
        last = frame["t"].max()
        out = []
        for var, stage in outputs:
            sel = frame[(frame["region"] == _scaled_region(kw)) & (frame["variable"] == var)
                        & (frame["stage_group"] == stage) & (frame["t"] == last)]
            out.append(float(sel["value"].iloc[0]) if len(sel) else np.nan)
        return out

    base_out = headline(run())
    rows = []
    for par, (lo, hi) in rng_.items():
        if par == "us_growth" and isinstance(us, str):
            over_lo, over_hi = {"us_growth": lo}, {"us_growth": hi}
        else:
            over_lo, over_hi = {par: lo}, {par: hi}
        v_lo, v_hi = headline(run(**over_lo)), headline(run(**over_hi))
        for k, (var, stage) in enumerate(outputs):
            rows.append({
                "output": var, "stage_group": stage, "parameter": par,
                "base": base_vals[par], "low": lo, "high": hi,
                "value_base": base_out[k], "value_low": v_lo[k], "value_high": v_hi[k],
            })
    table = pd.DataFrame(rows)
    table["delta_low"] = table["value_low"] - table["value_base"]
    table["delta_high"] = table["value_high"] - table["value_base"]
    table["swing"] = (table["delta_high"] - table["delta_low"]).abs()
    table = table.sort_values(["output", "swing"], ascending=[True, False], kind="stable")
    meta = {"multiple": multiple, "years": years, "shape": shape if isinstance(shape, str)
            else "custom", "horizon": horizon, "method": "one at a time, deterministic runs",
            **{k: v for k, v in kw.items() if isinstance(v, (int, float, str))}}
    return SensitivityResult(table, title="Sensitivity of the scenario's headline outputs "
                             "(tornado)", meta=meta)


def _scaled_region(kw: dict[str, Any]) -> str:
    return kw.get("region", "EU27")
