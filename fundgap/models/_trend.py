"""The log-linear trend: ``log(value) = a + b * (year - origin)``, fitted by ordinary least squares.

One estimator for every trend fundgap reports (the macro gap's growth rates, the
scenarios' counterfactual paths, the plausibility band of a trend): the
closed-form OLS estimates, which equal statsmodels' ``OLS`` on the same design
(the tests check it), with the slope's t interval.

Examples
--------
>>> fit = log_linear([2020, 2021, 2022], [100.0, 110.0, 121.0])
>>> round(fit.growth, 6)
0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fundgap.errors import FundgapError

__all__ = ["LogLinearFit", "log_linear"]


@dataclass(frozen=True)
class LogLinearFit:
    """Intercept and slope of a log-linear trend, their covariance, and the data fitted."""

    intercept: float
    slope: float
    cov: np.ndarray
    sigma: float
    n: int
    years: tuple[int, int]
    origin: float

    @property
    def growth(self) -> float:
        """Annual growth rate implied by the slope, ``exp(b) - 1``."""
        return float(np.expm1(self.slope))

    def growth_ci(self, level: float = 0.95) -> tuple[float, float]:
        """Interval of the growth rate from the slope's t interval (``n - 2`` df)."""
        if self.n <= 2:
            return (float("nan"), float("nan"))
        from scipy.stats import t

        q = float(t.ppf(0.5 + level / 2, self.n - 2))
        se = float(np.sqrt(self.cov[1, 1]))
        return float(np.expm1(self.slope - q * se)), float(np.expm1(self.slope + q * se))

    def predict(self, year: float) -> float:
        """The fitted value (level, not log) in ``year``."""
        return float(np.exp(self.intercept + self.slope * (float(year) - self.origin)))


def log_linear(years: Sequence[float], values: Sequence[float], *,
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
    """
    x = np.asarray(years, dtype="float64")
    v = np.asarray(values, dtype="float64")
    keep = np.isfinite(x) & np.isfinite(v) & (v > 0)
    x, v = x[keep], v[keep]
    if x.size < 3:
        raise FundgapError("a trend needs at least three positive values", argument="values",
                           value=int(x.size))
    o = float(x.max()) if origin is None else float(origin)
    xc = x - o
    y = np.log(v)
    n = x.size
    xm, ym = xc.mean(), y.mean()
    sxx = float(((xc - xm) ** 2).sum())
    if sxx <= 0:
        raise FundgapError("a trend needs at least two distinct years", argument="years",
                           value=sorted(set(x.tolist())))
    slope = float(((xc - xm) * (y - ym)).sum() / sxx)
    icpt = float(ym - slope * xm)
    resid = y - icpt - slope * xc
    s2 = float((resid ** 2).sum() / (n - 2)) if n > 2 else float("nan")
    cov = s2 * np.array([[1.0 / n + xm ** 2 / sxx, -xm / sxx], [-xm / sxx, 1.0 / sxx]])
    return LogLinearFit(icpt, slope, cov, float(np.sqrt(s2)), int(n),
                        (int(x.min()), int(x.max())), o)
