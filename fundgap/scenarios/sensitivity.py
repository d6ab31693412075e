"""A tornado table: how each main parameter moves a scenario's headline outputs.

Each parameter is set to its low and then its high value with every other
parameter at its base value (one at a time, deterministic runs of
:func:`~fundgap.scenarios.project`).

Examples
--------
>>> sorted(DEFAULT_RANGES)
['lead_share', 'max_position', 'mix', 'multiple', 'n_years', 'us_growth']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.scenarios.baseline import Baseline
from fundgap.scenarios.paths import growth_path
from fundgap.scenarios.project import project
from fundgap.scenarios.result import SensitivityResult
from fundgap.scenarios.shipped import resolve_baseline
from fundgap.scenarios.specs import Counterfactual, FundSpec

__all__ = ["DEFAULT_RANGES", "sensitivity"]

#: Low and high values of the tornado's parameters (see METHODOLOGY section 5).
DEFAULT_RANGES: dict[str, tuple[Any, Any]] = {
    "multiple": (3.0, 7.0),
    "n_years": (7, 15),
    "us_growth": (None, None),  # from the US trend's 95 % confidence interval, else base -/+ 3 pts
    "max_position": (0.10, 0.20),
    "lead_share": (0.33, 0.67),
    "mix": (0.0, 1.0),
}
_US_STEP = 0.03  # base -/+ 3 points when the US growth is a given rate


def sensitivity(
    baseline: Any = None,
    *,
    multiple: float = 5.0,
    n_years: int = 10,
    shape: Any = "compound",
    ranges: dict[str, tuple[Any, Any]] | None = None,
    outputs: tuple[tuple[str, str], ...] = (("ratio_to_US", "later"), ("fundable_share", "later")),
    **project_kwargs: Any,
) -> SensitivityResult:
    """A tornado table: how each main parameter moves the headline outputs at the horizon.

    Parameters
    ----------
    baseline : see :func:`fundgap.scenarios.project`
    multiple, n_years, shape : the base growth path (see :func:`growth_path`)
    ranges : dict, optional
        Parameter -> (low, high), merged over :data:`DEFAULT_RANGES`. Keys: multiple,
        n_years, us_growth, max_position, lead_share, mix.
    outputs : tuple of (variable, stage_group)
        Headline outputs, read for the scaled region in the horizon year.
    **project_kwargs
        Passed to :func:`project` (``lever``, ``horizon``, ``counterfactual``,
        ``fund`` ...); ``horizon`` defaults to ``n_years``.

    Returns
    -------
    SensitivityResult
        Table columns: output, stage_group, parameter, base, low, high, value_base,
        value_low, value_high, delta_low, delta_high, swing (sorted by swing).

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.scenarios import Baseline, Counterfactual
    >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
    ...                            "value": [20.0, 100.0]}), start_year=2024)
    >>> t = sensitivity(b, counterfactual=Counterfactual(us_growth=0.0),
    ...                 outputs=(("ratio_to_US", "later"),)).to_frame()
    >>> t.loc[t["parameter"] == "multiple", ["value_low", "value_high"]].round(2).values.tolist()
    [[0.6, 1.4]]
    """
    b = resolve_baseline(baseline)
    unknown = sorted(set(ranges or {}) - set(DEFAULT_RANGES))
    if unknown:
        raise FundgapError("unknown sensitivity parameter(s)", argument="ranges", value=unknown,
                           expected=sorted(DEFAULT_RANGES))
    kw = {k: v for k, v in project_kwargs.items() if k != "n_sims"}
    kw.setdefault("horizon", n_years)
    cf = kw.get("counterfactual") or Counterfactual()
    fs = kw.get("fund") or FundSpec()
    base_vals = {"multiple": multiple, "n_years": n_years, "max_position": fs.max_position,
                 "lead_share": fs.lead_share,
                 "mix": fs.size_share(kw.get("lever", "bigger_funds"))}
    base_vals["us_growth"], us_range = _us_growth(b, cf, kw["horizon"])
    rng_ = {**DEFAULT_RANGES, **(ranges or {})}
    if rng_["us_growth"] == (None, None):
        rng_["us_growth"] = us_range

    def headline(over: dict[str, Any]) -> list[float]:
        frame = _run(b, kw, multiple, n_years, shape, over)
        return _headline(frame, outputs, kw.get("region", "EU27"))

    base_out = headline({})
    rows = []
    for par, (lo, hi) in rng_.items():
        v_lo, v_hi = headline({par: lo}), headline({par: hi})
        rows += [{"output": var, "stage_group": stage, "parameter": par,
                  "base": base_vals[par], "low": lo, "high": hi, "value_base": base_out[k],
                  "value_low": v_lo[k], "value_high": v_hi[k]}
                 for k, (var, stage) in enumerate(outputs)]
    meta = {"multiple": multiple, "n_years": n_years,
            "shape": shape if isinstance(shape, str) else "custom", "horizon": kw["horizon"],
            "method": "one at a time, deterministic runs", **_scalars(kw, cf, fs)}
    return SensitivityResult(_tornado(pd.DataFrame(rows)),
                             title="Sensitivity of the scenario's headline outputs (tornado)",
                             meta=meta)


def _us_growth(b: Baseline, cf: Counterfactual, horizon: int
               ) -> tuple[float, tuple[float, float]]:
    """The US growth of the base run and its range: the trend's interval, or -/+ 3 points."""
    us = cf.us_growth
    if isinstance(us, str):  # "trend": the later stage's (or the last stage's) fit
        stage = "later" if "later" in b.stages else b.stages[-1]
        fit = b.trend("US", stage, horizon=horizon, trend_years=cf.trend_years)
        return fit.growth, fit.growth_ci()
    return float(us), (float(us) - _US_STEP, float(us) + _US_STEP)


def _run(b: Baseline, kw: dict[str, Any], multiple: float, n_years: int, shape: Any,
         over: dict[str, Any]) -> pd.DataFrame:
    """One deterministic projection with the parameters in ``over`` changed."""
    over = dict(over)
    m, y = over.pop("multiple", multiple), over.pop("n_years", n_years)
    args = dict(kw)
    cf = args.get("counterfactual") or Counterfactual()
    fs = args.get("fund") or FundSpec()
    if "us_growth" in over:
        args["counterfactual"] = replace(cf, us_growth=over.pop("us_growth"))
    if "mix" in over:
        args["lever"] = "mix"
    fund_over = {k: over.pop(k) for k in ("mix", "max_position", "lead_share") if k in over}
    if fund_over:
        args["fund"] = replace(fs, **fund_over)
    return project(b, growth_path(m, y, shape=shape), n_sims=0, **args).to_frame()


def _headline(frame: pd.DataFrame, outputs: tuple[tuple[str, str], ...],
              region: str) -> list[float]:
    """The outputs' values for ``region`` in the last year (NaN where absent)."""
    last = frame["t"].max()
    out = []
    for var, stage in outputs:
        sel = frame[(frame["region"] == region) & (frame["variable"] == var)
                    & (frame["stage_group"] == stage) & (frame["t"] == last)]
        out.append(float(sel["value"].iloc[0]) if len(sel) else np.nan)
    return out


def _tornado(table: pd.DataFrame) -> pd.DataFrame:
    table["delta_low"] = table["value_low"] - table["value_base"]
    table["delta_high"] = table["value_high"] - table["value_base"]
    table["swing"] = (table["delta_high"] - table["delta_low"]).abs()
    return table.sort_values(["output", "swing"], ascending=[True, False], kind="stable")


def _scalars(kw: dict[str, Any], *specs: Any) -> dict[str, Any]:
    """The plain options of the runs (numbers and words), for the result's meta."""
    out = {k: v for k, v in kw.items() if isinstance(v, (int, float, str))}
    for spec in specs:
        out.update({k: v for k, v in vars(spec).items() if isinstance(v, (int, float, str))})
    return out
