"""The log-linear trend: ``log(value) = a + b * (year - origin)``, fitted by ordinary least squares.

One estimator for every trend fundgap reports (the macro gap's growth rates, the
scenarios' counterfactual paths, the plausibility band of a trend): the
closed-form OLS estimates, which equal statsmodels' ``OLS`` on the same design
(the tests check it to 1e-10), with Student-t intervals (:data:`scipy.stats.t`,
``n - 2`` degrees of freedom) for the slope and for a new observation.

Examples
--------
>>> fit = log_linear([2020, 2021, 2022], [100.0, 110.0, 121.0])
>>> round(fit.growth, 6)
0.1
>>> fit.interval([1.0])[0].round(1).tolist()  # the fitted value a year after the origin
[133.1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fundgap.errors import FundgapError

__all__ = ["LogLinearFit", "log_linear"]


def _t_quantile(p: float, df: int) -> float:
    """Quantile ``p`` of Student's t with ``df`` degrees of freedom (scipy)."""
    from scipy.stats import t

    return float(t.ppf(p, df))


@dataclass(frozen=True, eq=False)
class LogLinearFit:
    """Intercept and slope of a log-linear trend, their covariance, and the data fitted.

    ``x`` holds the years fitted minus ``origin`` and ``y`` the log values; ``cov``
    is the 2x2 covariance of (intercept, slope) and ``sigma`` the residual standard
    deviation (``n - 2`` degrees of freedom).
    """

    intercept: float
    slope: float
    cov: np.ndarray
    sigma: float
    n: int
    years: tuple[int, int]
    origin: float
    x: np.ndarray
    y: np.ndarray

    @property
    def params(self) -> np.ndarray:
        """(intercept, slope), in statsmodels' order."""
        return np.array([self.intercept, self.slope])

    @property
    def growth(self) -> float:
        """Annual growth rate implied by the slope, ``exp(b) - 1``."""
        return float(np.expm1(self.slope))

    def growth_ci(self, level: float = 0.95) -> tuple[float, float]:
        """Interval of the growth rate from the slope's t interval (``n - 2`` df)."""
        if self.n <= 2:
            return (float("nan"), float("nan"))
        q = _t_quantile(0.5 + level / 2, self.n - 2)
        se = float(np.sqrt(self.cov[1, 1]))
        return float(np.expm1(self.slope - q * se)), float(np.expm1(self.slope + q * se))

    def interval(self, t: Sequence[float] | np.ndarray, level: float = 0.95
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fitted line and prediction interval of a new observation, in value units.

        ``t`` counts years from ``origin``. Returns (fit, low, high), each ``exp`` of
        the log-scale line and of its ``level`` t interval
        ``sigma * sqrt(1 + 1/n + (t - mean(x))**2 / Sxx)``.
        """
        tt = np.asarray(t, dtype="float64")
        mean = self.intercept + self.slope * tt
        xm = float(self.x.mean())
        sxx = float(((self.x - xm) ** 2).sum())
        se = self.sigma * np.sqrt(1.0 + 1.0 / self.n + (tt - xm) ** 2 / sxx)
        q = _t_quantile(0.5 + level / 2, self.n - 2)
        return np.exp(mean), np.exp(mean - q * se), np.exp(mean + q * se)

    def statsmodels(self) -> Any:
        """The same fit by statsmodels OLS (imported on call), for its full summary."""
        import statsmodels.api as sm

        return sm.OLS(self.y, np.column_stack([np.ones_like(self.x), self.x])).fit()


def log_linear(years: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray, *,
               origin: float | None = None) -> LogLinearFit:
    """Fit ``log(value) = a + b * (year - origin)`` by OLS on the positive, finite values.

    Parameters
    ----------
    years, values : sequences of numbers
        One value per year.
    origin : float, optional
        The year where ``a`` applies (default the last year fitted).

    Returns
    -------
    LogLinearFit

    Raises
    ------
    FundgapError
        Fewer than three usable years, or fewer than two distinct years.

    Examples
    --------
    >>> fit = log_linear([2020, 2021, 2022, 2023], [1.0, 2.0, 0.0, 8.0], origin=2020)
    >>> fit.n, fit.years, round(fit.slope, 6)
    (3, (2020, 2023), 0.693147)
    """
    x = np.asarray(years, dtype="float64")
    v = np.asarray(values, dtype="float64")
    keep = np.isfinite(x) & np.isfinite(v) & (v > 0)
    x, v = x[keep], v[keep]
    if x.size < 3:  # two parameters and a residual variance
        raise FundgapError("a trend needs at least three positive values", argument="values",
                           value=int(x.size), expected="at least 3 positive, finite values")
    o = float(x.max()) if origin is None else float(origin)
    xc = x - o
    y = np.log(v)
    n = x.size
    xm, ym = xc.mean(), y.mean()
    sxx = float(((xc - xm) ** 2).sum())
    if sxx <= 0:
        raise FundgapError("a trend needs at least two distinct years", argument="years",
                           value=sorted(set(x.tolist())), expected="two or more distinct years")
    slope = float(((xc - xm) * (y - ym)).sum() / sxx)
    icpt = float(ym - slope * xm)
    resid = y - icpt - slope * xc
    s2 = float((resid ** 2).sum() / (n - 2))
    cov = s2 * np.array([[1.0 / n + xm ** 2 / sxx, -xm / sxx], [-xm / sxx, 1.0 / sxx]])
    return LogLinearFit(icpt, slope, cov, float(np.sqrt(s2)), int(n),
                        (int(x.min()), int(x.max())), o, xc, y)
