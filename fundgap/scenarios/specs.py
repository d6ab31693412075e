"""The options of a projection, in three small frozen specs.

:func:`~fundgap.scenarios.project` keeps as keywords what a user sets on every
call (the region, the base, the lever, the horizon, simulations and seed, groups)
and takes the rest as specs, each checked when it is made:

* :class:`Counterfactual` - the places compared with and what they do meanwhile
  (a growth rate or their fitted trend, over which years);
* :class:`FundSpec` - how growth splits into fund size and fund count, and which
  rounds a fund can lead;
* :class:`MonteCarloSpec` - the uncertainty drawn and what is kept of it.

Examples
--------
>>> Counterfactual(us_growth=0.0).growth_of("US"), Counterfactual().growth_of("DE")
(0.0, 'trend')
>>> FundSpec(lead_share=2.0)
Traceback (most recent call last):
...
fundgap.errors.FundgapError: argument 'lead_share': FundSpec.lead_share must be a number in (0, 1]; got 2.0; expected a number in (0, 1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from fundgap.errors import FundgapError
from fundgap.scenarios.baseline import DEFAULT_TREND_YEARS

__all__ = ["FUND_QUANTILES", "LEVERS", "Counterfactual", "FundSpec", "MonteCarloSpec"]

Lever = Literal["bigger_funds", "more_funds", "mix"]
#: The levers: where new capital goes.
LEVERS: tuple[str, ...] = ("bigger_funds", "more_funds", "mix")
#: Fund-size points whose lead capacity is reported.
FUND_QUANTILES: dict[str, float] = {"p50": 0.5, "p75": 0.75, "p90": 0.9, "max": 1.0}
#: A growth rate given per counterfactual place: the fitted trend, or an annual rate.
Growth = float | Literal["trend"]


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def check_fraction(spec: str, name: str, value: Any, *, open_low: bool = False) -> float:
    """``value`` as a float in [0, 1] (or (0, 1] with ``open_low``), else a FundgapError."""
    v = _number(value)
    ok = np.isfinite(v) and (v > 0 if open_low else v >= 0) and v <= 1
    if not ok:
        bounds = f"{'(' if open_low else '['}0, 1]"
        raise FundgapError(f"{spec}.{name} must be a number in {bounds}", argument=name,
                           value=value, expected=f"a number in {bounds}")
    return v


def check_growth(name: str, value: Any) -> Growth:
    """``"trend"`` or an annual rate above -1 (0.05 = 5 % a year), else a FundgapError."""
    if isinstance(value, str):
        if value != "trend":
            raise FundgapError("a growth must be 'trend' or an annual rate", argument=name,
                               value=value, expected=["trend", "a number above -1 such as 0.05"])
        return "trend"
    v = _number(value)
    if not (np.isfinite(v) and v > -1):
        raise FundgapError("an annual growth rate must be a number above -1", argument=name,
                           value=value, expected="'trend' or a number above -1")
    return v


def _check_window(value: Any) -> int | tuple[int, int] | None:
    """``trend_years``: None, a positive number of years, or a (first, last) pair of years."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and len(value) == 2:  # a pair
        lo, hi = (_number(v) for v in value)
        if np.isfinite(lo) and np.isfinite(hi) and lo == int(lo) and hi == int(hi) and lo <= hi:
            return int(lo), int(hi)
    elif not isinstance(value, bool):
        v = _number(value)
        if np.isfinite(v) and v == int(v) and v >= 1:
            return int(v)
    raise FundgapError("trend_years must be None, a number of years or a (first, last) pair",
                       argument="trend_years", value=value,
                       expected="None, a positive integer, or (first year, last year)")


@dataclass(frozen=True)
class Counterfactual:
    """The places the scaled region is compared with, and what they do meanwhile.

    Parameters
    ----------
    comparators : sequence of str, optional
        Counterfactual places, kept where the baseline has them. Ratios and gaps
        are reported for the scaled place against each, and for each of the others
        against ``base``. Default: :func:`~fundgap.scenarios.scenario_places` (US,
        China and, for a country or group in the EU-27, the rest of the EU-27).
    us_growth, cn_growth, other_growth : "trend" or float, default "trend"
        Annual growth of the US, China and the other counterfactual places:
        ``"trend"`` = the log-linear OLS trend fitted on the baseline's history
        (per stage), or a given annual rate (0.05 = 5 % a year, 0 = flat).
    trend_years : int, (int, int) or None, default 10
        Window of the trend fits: the last N observed years up to the start year
        (default 10, :data:`~fundgap.scenarios.baseline.DEFAULT_TREND_YEARS`: the
        early years of the long OECD series carry coverage breaks, and ten years
        match the ten-year horizon), the years first..last, or None for all history.

    Examples
    --------
    >>> Counterfactual(comparators="US").comparators
    ('US',)
    """

    comparators: tuple[str, ...] | None = None
    us_growth: Growth = "trend"
    cn_growth: Growth = "trend"
    other_growth: Growth = "trend"
    trend_years: int | tuple[int, int] | None = DEFAULT_TREND_YEARS

    def __post_init__(self) -> None:
        comps = self.comparators
        if comps is not None:
            object.__setattr__(self, "comparators",
                               (comps,) if isinstance(comps, str) else tuple(comps))
        for name in ("us_growth", "cn_growth", "other_growth"):
            object.__setattr__(self, name, check_growth(name, getattr(self, name)))
        object.__setattr__(self, "trend_years", _check_window(self.trend_years))

    def growth_of(self, place: str) -> Growth:
        """The growth given for ``place``: ``us_growth``, ``cn_growth`` or ``other_growth``."""
        return {"US": self.us_growth, "CN": self.cn_growth}.get(place, self.other_growth)

    def window_text(self) -> str:
        """The trend window in words (``"last 10 observed years"``)."""
        w = self.trend_years
        if w is None:
            return "all history"
        if isinstance(w, int):
            return f"last {w} observed years"
        return f"years {w[0]}-{w[1]}"


@dataclass(frozen=True)
class FundSpec:
    """How capital growth splits into fund size and count, and which rounds a fund can lead.

    Parameters
    ----------
    mix : float, default 0.5
        With ``lever="mix"``: the share of the scaled region's growth (in log terms)
        that goes into fund size (size factor ``m ** mix``, count factor
        ``m ** (1 - mix)``); 0 = more_funds, 1 = bigger_funds.
    counterfactual_fund_mix : float, default 0.5
        The same split for the counterfactual places.
    max_position : float, default 0.15
        Largest share of a fund one company may receive over the fund's life.
    lead_share : float, default 0.5
        Share of a round the lead investor takes; a fund of size F can lead a round
        of at most ``max_position * F / lead_share``.
    lead_fund : {"p50", "p75", "p90", "max"}, default "p90"
        The domestic fund (point of the fund-size distribution) whose lead capacity
        decides whether a round is fundable at home.
    demand_growth : float, default 0.0
        Annual log growth of the round sizes demanded (0 = today's round sizes).
    """

    mix: float = 0.5
    counterfactual_fund_mix: float = 0.5
    max_position: float = 0.15
    lead_share: float = 0.5
    lead_fund: str = "p90"
    demand_growth: float = 0.0

    def __post_init__(self) -> None:
        for name, open_low in (("mix", False), ("counterfactual_fund_mix", False),
                               ("max_position", True), ("lead_share", True)):
            object.__setattr__(self, name, check_fraction("FundSpec", name, getattr(self, name),
                                                          open_low=open_low))
        if self.lead_fund not in FUND_QUANTILES:
            raise FundgapError("unknown FundSpec.lead_fund", argument="lead_fund",
                               value=self.lead_fund, expected=list(FUND_QUANTILES))
        g = _number(self.demand_growth)
        if not np.isfinite(g):
            raise FundgapError("FundSpec.demand_growth must be a finite number",
                               argument="demand_growth", value=self.demand_growth,
                               expected="a finite number (annual log growth)")
        object.__setattr__(self, "demand_growth", g)

    def size_share(self, lever: str) -> float:
        """The share of the scaled region's growth that goes into fund size under ``lever``."""
        return {"bigger_funds": 1.0, "more_funds": 0.0}.get(lever, self.mix)


@dataclass(frozen=True)
class MonteCarloSpec:
    """The uncertainty a projection with ``n_sims > 0`` draws, and what it keeps.

    Parameters
    ----------
    growth_sd : float, default 0.03
        Standard deviation of the scaled region's annual log growth around the path,
        while the path runs (after its end the level is held).
    fund_size_sd, fund_dispersion_sd : float, optional
        Standard deviations of the log level of fund sizes and of the log factor on
        their spread; default their sampling error given the number of funds
        (1.2533 * sd(log F) / sqrt(n) and 1 / sqrt(2 (n - 1))).
    trend_noise : bool, default True
        Add the trend's residual noise year by year to the counterfactual places (on
        top of the slope drawn from its covariance).
    quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
        Fan-chart quantiles.
    keep_sims : bool, default False
        Keep the simulation arrays on the result (``result.sims``), keyed by
        (region, stage_group, variable, unit), each (n_sims, horizon + 1).
    """

    growth_sd: float = 0.03
    fund_size_sd: float | None = None
    fund_dispersion_sd: float | None = None
    trend_noise: bool = True
    quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
    keep_sims: bool = False

    def __post_init__(self) -> None:
        sd = _number(self.growth_sd)
        if not (np.isfinite(sd) and sd >= 0):
            raise FundgapError("MonteCarloSpec.growth_sd must be finite and >= 0",
                               argument="growth_sd", value=self.growth_sd,
                               expected="a finite number >= 0")
        object.__setattr__(self, "growth_sd", sd)
        for name in ("fund_size_sd", "fund_dispersion_sd"):
            v = getattr(self, name)
            if v is not None and not (np.isfinite(_number(v)) and _number(v) >= 0):
                raise FundgapError(f"MonteCarloSpec.{name} must be None or a number >= 0",
                                   argument=name, value=v, expected="None or a number >= 0")
        q = tuple(_number(x) for x in self.quantiles)
        if any(not 0 <= x <= 1 for x in q):
            raise FundgapError("quantiles must lie in [0, 1]", argument="quantiles",
                               value=self.quantiles, expected="numbers in [0, 1]")
        object.__setattr__(self, "quantiles", q)
