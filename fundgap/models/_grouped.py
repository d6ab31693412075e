"""Least squares on the distinct rows of a dummy design (private engine of compare_regions).

When every regressor is a dummy of a few label columns (region x stage cells and
years), the rows of the design take few distinct values: all the rounds of one
(region, stage, year) group share one design row ``x_g``. Ordinary least squares
and its usual covariances then need, per group, only the number of rows ``n_g``,
the mean ``m_g`` of ``y`` and the within-group sum of squares
``W_g = sum_i (y_i - m_g)^2``:

* ``X'X = sum_g n_g x_g x_g'`` and ``X'y = sum_g n_g m_g x_g``;
* the residuals of a group sum to ``n_g (m_g - x_g'b)`` and their squares to
  ``RSS_g = W_g + n_g (m_g - x_g'b)^2``;
* every row of a group has the same leverage ``h_g = x_g' (X'X)^+ x_g``;

so the sandwich ``(X'X)^+ [sum_g RSS_g w_g x_g x_g'] (X'X)^+`` with ``w_g = 1``
(HC0), ``n / (n - k)`` (HC1), ``1 / (1 - h_g)`` (HC2) or ``1 / (1 - h_g)^2``
(HC3), and ``RSS / (n - k) (X'X)^+`` (nonrobust), equal statsmodels' OLS
covariances on the full design, row for row (the tests check 1e-10). The cost is
one pass over the rows to form the group statistics, then ``O(G p^2)``.

:class:`Groups` also keeps ``y`` sorted within each group, which the exact
quantile regression (:mod:`fundgap.models._quantreg`) reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FAST_COV_TYPES", "GroupedOLS", "Groups", "fit_ols", "group_rows"]

#: OLS covariance types computed from the group statistics (others need the rows).
FAST_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


@dataclass(frozen=True)
class Groups:
    """Rows of ``y`` grouped by an integer key: per-group count, mean, within sum of squares.

    Attributes
    ----------
    n, mean, within : ndarray
        Per group (``G`` groups, in the order of their key): rows, mean of ``y``,
        ``sum (y - mean)^2``.
    code : ndarray
        Group of each row (0 .. G-1).
    y : ndarray
        The rows' values, in their original order.
    """

    n: np.ndarray
    mean: np.ndarray
    within: np.ndarray
    code: np.ndarray
    y: np.ndarray

    @property
    def nobs(self) -> int:
        """Number of rows."""
        return len(self.y)

    def sorted_y(self) -> tuple[np.ndarray, np.ndarray]:
        """``y`` sorted by group, then by value, and the first position of each group."""
        order = np.lexsort((self.y, self.code))
        start = np.concatenate([[0], np.cumsum(self.n)[:-1]]).astype(np.int64)
        return self.y[order], start


def group_rows(key: np.ndarray, y: np.ndarray) -> tuple[Groups, np.ndarray]:
    """Group ``y`` by a non-negative integer ``key``; returns the groups and their keys.

    Examples
    --------
    >>> import numpy as np
    >>> g, keys = group_rows(np.array([3, 1, 3, 3]), np.array([1.0, 5.0, 2.0, 6.0]))
    >>> keys.tolist(), g.n.tolist(), g.mean.tolist(), g.within.tolist()
    ([1, 3], [1, 3], [5.0, 3.0], [0.0, 14.0])
    """
    key = np.asarray(key, dtype=np.int64)
    y = np.asarray(y, dtype="float64")
    keys, code = np.unique(key, return_inverse=True)
    code = code.reshape(-1).astype(np.int64)
    n = np.bincount(code, minlength=len(keys))
    mean = np.bincount(code, weights=y, minlength=len(keys)) / n
    dev = y - mean[code]
    within = np.bincount(code, weights=dev * dev, minlength=len(keys))
    return Groups(n=n, mean=mean, within=within, code=code, y=y), keys


class FitTable:
    """The parts of a fitted model the comparison reads, and a text summary.

    ``params`` and ``bse`` are Series named by regressor, :meth:`cov_params` a
    DataFrame, as on a statsmodels result.
    """

    title = "Regression Results"

    def __init__(self, params: pd.Series, cov: np.ndarray, *, nobs: int,
                 info: dict[str, Any]) -> None:
        names = list(params.index)
        self.params = params
        self._cov = pd.DataFrame(cov, index=names, columns=names)
        with np.errstate(invalid="ignore"):
            self.bse = pd.Series(np.sqrt(np.diag(cov)), index=names)
        self.nobs = int(nobs)
        self.info = dict(info)

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the parameters."""
        return self._cov.copy()

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Normal intervals of the parameters (level ``1 - alpha``)."""
        from scipy import stats

        z = float(stats.norm.ppf(1 - alpha / 2))
        return pd.DataFrame({0: self.params - z * self.bse, 1: self.params + z * self.bse})

    def summary(self) -> str:
        """Header lines and the table of coefficients, standard errors, z, p and intervals."""
        from scipy import stats

        with np.errstate(invalid="ignore", divide="ignore"):
            z = self.params / self.bse
        ci = self.conf_int()
        table = pd.DataFrame({"coef": self.params, "std err": self.bse, "z": z,
                              "P>|z|": 2 * stats.norm.sf(np.abs(z)),
                              "[0.025": ci[0], "0.975]": ci[1]})
        head = [self.title, "=" * len(self.title),
                *(f"{k + ':':<22} {v}" for k, v in self.info.items()),
                f"{'No. observations:':<22} {self.nobs:,}", ""]
        return "\n".join(head) + table.to_string(float_format=lambda v: f"{v:.4f}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self.params)} parameters, {self.nobs:,} rows>"


class GroupedOLS(FitTable):
    """OLS fitted on the statistics of the distinct design rows (see the module doc).

    Attributes beyond :class:`FitTable`: ``cov_type``, ``df_resid``, ``df_model``,
    ``ssr``, ``rsquared`` (centred), ``leverage`` (per group).
    """

    title = "OLS Regression Results"


def _ols_scale(cov_type: str, rss_g: np.ndarray, h: np.ndarray, nobs: int,
               df_resid: float) -> np.ndarray | float:
    """Per-group weights of the sandwich's meat (arrays) or the nonrobust variance (a float)."""
    if cov_type == "nonrobust":
        return float(rss_g.sum() / df_resid)
    if cov_type == "HC0":
        return rss_g
    if cov_type == "HC1":
        return rss_g * nobs / df_resid
    with np.errstate(divide="ignore", invalid="ignore"):
        if cov_type == "HC2":
            return rss_g / (1 - h)
        return rss_g / (1 - h) ** 2  # HC3


def fit_ols(x: pd.DataFrame, groups: Groups, cov_type: str = "HC3",
            name: str = "y") -> GroupedOLS:
    """OLS of ``y`` on the design whose row for group ``g`` is ``x.iloc[g]``.

    Parameters
    ----------
    x : DataFrame
        One row per group (``G x p``), columns named by regressor.
    groups : Groups
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3"}
    name : str
        Name of the dependent variable (for the summary).

    Returns
    -------
    GroupedOLS

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> g, _ = group_rows(np.array([0, 0, 1, 1, 1]), np.log([1.0, 4.0, 1.0, 2.0, 4.0]))
    >>> x = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]})
    >>> fit = fit_ols(x, g)
    >>> np.exp(fit.params).round(6).tolist()  # the geometric means of the groups
    [2.0, 2.0]
    """
    xg = x.to_numpy(dtype="float64")
    n = groups.n.astype("float64")
    xtx = (xg * n[:, None]).T @ xg
    xtx_inv = np.linalg.pinv(xtx)
    beta = xtx_inv @ (xg.T @ (n * groups.mean))
    fitted = xg @ beta
    rss_g = groups.within + n * (groups.mean - fitted) ** 2
    rank = int(np.linalg.matrix_rank(xtx))
    nobs = groups.nobs
    df_resid = float(nobs - rank)
    h = np.einsum("ij,jk,ik->i", xg, xtx_inv, xg)
    scale = _ols_scale(cov_type, rss_g, h, nobs, df_resid)
    if isinstance(scale, float):
        cov = scale * xtx_inv
    else:
        cov = xtx_inv @ ((xg * scale[:, None]).T @ xg) @ xtx_inv
    grand = float(np.sum(n * groups.mean) / nobs)
    tss = float(groups.within.sum() + np.sum(n * (groups.mean - grand) ** 2))
    ssr = float(rss_g.sum())
    fit = GroupedOLS(pd.Series(beta, index=x.columns), cov, nobs=nobs, info={
        "Dep. variable": name, "Covariance type": cov_type,
        "Fitted on": f"{len(n):,} distinct design rows (sufficient statistics)",
        "R-squared": f"{1 - ssr / tss:.4f}" if tss > 0 else "nan"})
    fit.cov_type, fit.df_resid, fit.df_model = cov_type, df_resid, float(rank - 1)
    fit.ssr, fit.rsquared, fit.leverage = ssr, 1 - ssr / tss if tss > 0 else np.nan, h
    return fit
