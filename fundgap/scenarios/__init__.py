"""Scenarios: what growing European capital (e.g. fivefold in ten years) does to each stage's gap.

* :func:`growth_path` - the capital multiplier year by year (compound, linear,
  logistic or a given shape), reaching the multiple exactly in the final year;
* :class:`Baseline` / :func:`make_baseline` / :func:`shipped_baseline` - the
  starting point (capital by region x stage, fund sizes, round-size demand,
  history for trends);
* :func:`project` - the projection, deterministic or Monte Carlo, returning a
  :class:`ScenarioResult` (``to_frame``, ``to_long``, ``fan``, ``crossings``); its
  options beyond the everyday keywords come as :class:`Counterfactual`,
  :class:`FundSpec` and :class:`MonteCarloSpec`;
* :func:`sensitivity` - a tornado table over the main parameters.

Examples
--------
>>> from fundgap.scenarios import growth_path
>>> round(float(growth_path(5, 10).loc[5]), 6)
2.236068
"""

from fundgap.scenarios.baseline import DEFAULT_TREND_YEARS, Baseline, TrendFit
from fundgap.scenarios.build import make_baseline
from fundgap.scenarios.paths import SHAPES, cagr, growth_path
from fundgap.scenarios.places import scenario_places
from fundgap.scenarios.project import project
from fundgap.scenarios.result import IAMC_COLUMNS, ScenarioResult, SensitivityResult
from fundgap.scenarios.sensitivity import DEFAULT_RANGES, sensitivity
from fundgap.scenarios.shipped import published_fund_sizes, shipped_baseline
from fundgap.scenarios.specs import (FUND_QUANTILES, LEVERS, Counterfactual, FundSpec,
                                     MonteCarloSpec)

__all__ = [
    "DEFAULT_RANGES",
    "DEFAULT_TREND_YEARS",
    "FUND_QUANTILES",
    "IAMC_COLUMNS",
    "LEVERS",
    "SHAPES",
    "Baseline",
    "Counterfactual",
    "FundSpec",
    "MonteCarloSpec",
    "ScenarioResult",
    "SensitivityResult",
    "TrendFit",
    "cagr",
    "growth_path",
    "make_baseline",
    "project",
    "published_fund_sizes",
    "scenario_places",
    "sensitivity",
    "shipped_baseline",
]
