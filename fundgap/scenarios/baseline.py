"""The starting point of a scenario: capital by region x stage, fund sizes, round-size demand.

:class:`Baseline` is a small explicit container (built from frames by
:func:`~fundgap.scenarios.make_baseline`, from the shipped data by
:func:`~fundgap.scenarios.shipped_baseline`). The trends of the counterfactual
regions (:func:`fundgap.models._trend.log_linear`, the same estimates as
statsmodels OLS) are fitted here and cached on the baseline.

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios.baseline import Baseline
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": ["later", "later"],
...                            "value": [20.0, 100.0]}), start_year=2024, unit="USD_M")
>>> b.regions, b.stages
(['EU27', 'US'], ['later'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.models._trend import LogLinearFit, log_linear

__all__ = ["DEFAULT_TREND_YEARS", "SCENARIO_STAGES", "Baseline", "TrendFit"]

#: Default window of the counterfactual trend fits: the last 10 observed years. The
#: long OECD series (2006-) carry coverage breaks in their early years (US seed grows
#: from USD 0.2bn in 2006 to 22bn in 2025, largely through wider coverage), which a
#: fit on the whole history turns into implausible growth rates; ten years match the
#: ten-year horizon of the policy scenario. ``trend_years=None`` fits all history.
DEFAULT_TREND_YEARS: int = 10

#: The venture stage groups a scenario projects, in ladder order.
SCENARIO_STAGES: tuple[str, ...] = ("seed", "early", "later")


@dataclass(frozen=True, eq=False)
class TrendFit:
    """A counterfactual region's log-linear trend ``log(value) = a + b * (year - start_year)``.

    The fit is :func:`fundgap.models._trend.log_linear` (closed-form OLS, the same
    numbers as statsmodels' OLS, which the tests check); ``pi`` holds the fitted
    line and its 95 % prediction interval (columns t, fit, low, high; in value
    units) for t = 0..horizon (t = 0 is the start year).
    """

    region: str
    stage_group: str
    fit: LogLinearFit
    pi: pd.DataFrame

    @property
    def params(self) -> np.ndarray:
        """(a, b): intercept at the start year and annual log growth."""
        return self.fit.params

    @property
    def cov(self) -> np.ndarray:
        """Covariance of (a, b)."""
        return self.fit.cov

    @property
    def sigma(self) -> float:
        """Residual standard deviation of the log values."""
        return self.fit.sigma

    @property
    def n(self) -> int:
        """Number of years fitted."""
        return self.fit.n

    @property
    def years(self) -> tuple[int, int]:
        """First and last year fitted."""
        return self.fit.years

    @property
    def growth(self) -> float:
        """Annual growth rate implied by the slope, ``exp(b) - 1``."""
        return self.fit.growth

    def growth_ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval of the annual growth rate (the slope's t interval)."""
        return self.fit.growth_ci(level)

    @cached_property
    def model(self) -> Any:
        """The statsmodels OLS results of the same fit (imported and fitted on first use)."""
        return self.fit.statsmodels()


@dataclass
class Baseline:
    """Everything a projection starts from, in one unit of money (millions).

    Parameters
    ----------
    capital : DataFrame
        Columns ``region``, ``stage_group``, ``value``: capital invested in the
        start year (e.g. VC invested, USD million). One row per region x stage.
    start_year : int, optional
        The calendar year of ``capital``; projections run from it.
    unit : str, default "USD_M"
        Unit of every money value (``capital``, ``history``, fund and round sizes).
    history : DataFrame, optional
        Columns ``region``, ``stage_group``, ``year``, ``value``: the past series the
        counterfactual trends are fitted on (years up to ``start_year``).
    fund_sizes : dict, optional
        Region -> 1-D array of fund sizes (same unit): the fund-size distribution.
    n_funds : dict, optional
        Region -> number of funds in the start year (default: the length of the
        region's ``fund_sizes``).
    round_sizes : dict, optional
        Stage group -> the round-size demand distribution of that stage: a 1-D array
        of round sizes (empirical) or a tuple ``("lognormal", mu, sigma)`` of the
        log-size mean and standard deviation.
    source : str, optional
        Where the numbers come from (reported in the results' metadata).
    notes : list of str
        Assumptions and choices made while building the baseline.
    """

    capital: pd.DataFrame
    start_year: int | None = None
    unit: str = "USD_M"
    history: pd.DataFrame | None = None
    fund_sizes: dict[str, Any] = field(default_factory=dict)
    n_funds: dict[str, float] = field(default_factory=dict)
    round_sizes: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    notes: list[str] = field(default_factory=list)
    _trends: dict[tuple[str, str, Any, int], TrendFit] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.capital = _checked_capital(self.capital)
        if self.history is not None:
            self.history = _checked_history(self.history)
        self.fund_sizes = {str(reg): _positive_sizes(arr, "fund_sizes", reg)
                           for reg, arr in dict(self.fund_sizes).items()}
        self.round_sizes = {str(stage): _check_round_dist(stage, dist)
                            for stage, dist in dict(self.round_sizes).items()}

    @property
    def regions(self) -> list[str]:
        """Regions in the order given."""
        return list(dict.fromkeys(self.capital["region"]))

    @property
    def stages(self) -> list[str]:
        """Stage groups, in ladder order."""
        return _order_stages(self.capital["stage_group"].unique())

    def matrix(self, regions: list[str]) -> np.ndarray:
        """Start-year capital as an array (len(regions), len(stages))."""
        piv = self.capital.pivot(index="region", columns="stage_group", values="value")
        return piv.loc[regions, self.stages].to_numpy(dtype="float64")

    def trend(self, region: str, stage: str, *, trend_years: Any = DEFAULT_TREND_YEARS,
              horizon: int = 10) -> TrendFit:
        """Fit (once, then cache) the log-linear trend of one region x stage.

        ``trend_years``: the last N observed years (default
        :data:`DEFAULT_TREND_YEARS` = 10), a ``(first, last)`` pair of years, or
        None for the whole history.

        Raises
        ------
        FundgapError
            No history, or fewer than three positive values to fit on.
        """
        key = (region, stage, trend_years if not isinstance(trend_years, list)
               else tuple(trend_years), horizon)
        if key in self._trends:
            return self._trends[key]
        fit = _fit_trend(self, region, stage, trend_years, horizon)
        self._trends[key] = fit
        return fit


def _checked_capital(cap: Any) -> pd.DataFrame:
    """``capital`` as region, stage_group, value; one finite, non-negative value per cell."""
    if not isinstance(cap, pd.DataFrame):
        raise FundgapError("Baseline.capital must be a DataFrame", argument="capital",
                           value=type(cap).__name__, expected="a DataFrame")
    need = ["region", "stage_group", "value"]
    missing = [c for c in need if c not in cap.columns]
    if missing:
        raise MissingColumnError(f"Baseline.capital lacks column(s) {missing}",
                                 argument="capital", expected=need)
    cap = pd.DataFrame({
        "region": cap["region"].astype("object").astype(str).to_numpy(),
        "stage_group": cap["stage_group"].astype("object").astype(str).to_numpy(),
        "value": pd.to_numeric(cap["value"], errors="coerce").to_numpy(dtype="float64"),
    })
    bad = ~np.isfinite(cap["value"].to_numpy()) | (cap["value"].to_numpy() < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise FundgapError("capital values must be finite and non-negative", row=row + 1,
                           column="value", value=cap["value"].iloc[row])
    dup = cap.duplicated(["region", "stage_group"])
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise FundgapError("capital has more than one value for a region x stage", row=row + 1,
                           column="region", value=(cap["region"].iloc[row],
                                                   cap["stage_group"].iloc[row]))
    full = pd.MultiIndex.from_product([list(dict.fromkeys(cap["region"])),
                                       _order_stages(cap["stage_group"].unique())])
    lacking = full.difference(pd.MultiIndex.from_frame(cap[["region", "stage_group"]]))
    if len(lacking):
        raise FundgapError("capital must give every region every stage", argument="capital",
                           column="stage_group", value=list(lacking)[:5],
                           expected="one row per region x stage")
    return cap


def _checked_history(h: pd.DataFrame) -> pd.DataFrame:
    """``history`` as region, stage_group, year, value (numbers as float)."""
    need = ["region", "stage_group", "year", "value"]
    miss = [c for c in need if c not in h.columns]
    if miss:
        raise MissingColumnError(f"Baseline.history lacks column(s) {miss}", argument="history",
                                 expected=need)
    return pd.DataFrame({
        "region": h["region"].astype("object").astype(str).to_numpy(),
        "stage_group": h["stage_group"].astype("object").astype(str).to_numpy(),
        "year": pd.to_numeric(h["year"], errors="coerce").to_numpy(dtype="float64"),
        "value": pd.to_numeric(h["value"], errors="coerce").to_numpy(dtype="float64"),
    })


def _positive_sizes(values: Any, argument: str, key: Any) -> np.ndarray:
    """The positive, finite sizes of ``values``, sorted; at least one."""
    a = np.asarray(values, dtype="float64").ravel()
    a = a[np.isfinite(a) & (a > 0)]
    if a.size == 0:
        raise FundgapError(f"{argument} must hold at least one positive size for each key",
                           argument=argument, value=key, expected="positive sizes")
    return np.sort(a)


def _order_stages(values: Any) -> list[str]:
    order = {s: i for i, s in enumerate(("all", *SCENARIO_STAGES, "unknown", "non_vc"))}
    return sorted((str(v) for v in values), key=lambda s: (order.get(s, 99), s))


def _check_round_dist(stage: Any, dist: Any) -> Any:
    if isinstance(dist, tuple) and len(dist) == 3 and dist[0] == "lognormal":
        mu, sigma = float(dist[1]), float(dist[2])
        if not (np.isfinite(mu) and np.isfinite(sigma) and sigma > 0):
            raise FundgapError("lognormal round sizes need finite mu and positive sigma",
                               argument="round_sizes", value=(stage, dist),
                               expected="('lognormal', mu, sigma) with sigma > 0")
        return ("lognormal", mu, sigma)
    return _positive_sizes(dist, "round_sizes", stage)


def _trend_values(b: Baseline, region: str, stage: str, trend_years: Any) -> pd.DataFrame:
    """The years and positive values of ``region`` x ``stage`` a trend is fitted on."""
    if b.history is None:
        raise FundgapError(
            f"growth='trend' for {region} needs a baseline with history; pass a growth rate "
            "instead (e.g. Counterfactual(us_growth=0.05))", argument="baseline", value=None,
            expected="a Baseline with history")
    h = b.history
    reg = h["region"].to_numpy(dtype=object)
    stg = h["stage_group"].to_numpy(dtype=object)
    yr = h["year"].to_numpy(dtype="float64")
    val = h["value"].to_numpy(dtype="float64")
    if stage == "all" and not (stg == "all").any():
        keep = (reg == region) & np.isin(stg, b.stages)
        sel = pd.DataFrame({"year": yr[keep], "value": val[keep]})
        sel = sel.groupby("year", as_index=False)["value"].sum(min_count=1)
    else:
        keep = (reg == region) & (stg == stage)
        sel = pd.DataFrame({"year": yr[keep], "value": val[keep]})
    if b.start_year is not None:
        sel = sel[sel["year"] <= b.start_year]
    if trend_years is not None:
        if np.isscalar(trend_years):
            sel = sel[sel["year"] > sel["year"].max() - int(trend_years)]
        else:
            lo, hi = trend_years
            sel = sel[(sel["year"] >= lo) & (sel["year"] <= hi)]
    return sel[np.isfinite(sel["value"]) & (sel["value"] > 0)]


def _fit_trend(b: Baseline, region: str, stage: str, trend_years: Any, horizon: int) -> TrendFit:
    sel = _trend_values(b, region, stage, trend_years)
    if len(sel) < 3:  # a slope with a residual variance needs three points
        raise FundgapError(
            f"too few positive historical values to fit a trend for {region} x {stage}",
            argument="trend_years", value=trend_years,
            expected=f"a window with at least 3 positive values (it has {len(sel)})")
    if sel["year"].nunique() < 2:
        raise FundgapError(f"a trend for {region} x {stage} needs at least two distinct years",
                           argument="trend_years", value=trend_years,
                           expected=f"a window with two or more years (it has "
                                    f"{sorted(set(sel['year']))})")
    origin = b.start_year if b.start_year is not None else float(sel["year"].max())
    fit = log_linear(sel["year"].to_numpy(dtype="float64"),
                     sel["value"].to_numpy(dtype="float64"), origin=origin)
    t = np.arange(0, horizon + 1)
    line, low, high = fit.interval(t)
    pi = pd.DataFrame({"t": t, "fit": line, "low": low, "high": high})
    return TrendFit(region=region, stage_group=stage, fit=fit, pi=pi)
