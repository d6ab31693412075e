"""Exact quantile regression on a dummy design with many rows (private engine of compare_regions).

The quantile regression of ``y`` on a design whose rows take few distinct values
(region x stage cells and years) minimises ``sum_i rho_q(y_i - x_g(i)'b)``, a
linear programme. Its dual (Koenker 2005, *Quantile Regression*, section 6.2) is

    max  y'a   subject to   X'a = (1 - q) X'1,   0 <= a_i <= 1,

whose solution ``a`` holds the regression rank scores (``a_i = 1`` for a row above
the fitted quantile, ``0`` below it, in between for a row the fit passes through),
and the coefficients ``b`` are the multipliers of its ``p`` equality constraints.
Solved on a million rows by HiGHS this takes 10-15 s; on a few thousand, a few
hundredths of a second. The rows far from the fit need not be in the programme: a
row known to lie above the fit has ``a_i = 1`` and one below it ``a_i = 0``, so
both can be fixed and moved to the right-hand side (the "globbing" of Portnoy and
Koenker 1997, Statistical Science 12:279-300). Here:

1. a first fit: weighted least squares of the groups' sample quantiles on the
   design (weights ``n_g``); the programme is solved on the residuals from it;
2. within each group (rows sorted by ``y``), a window of rows around the first
   fit stays free; the rows below the window are fixed at 0, those above at 1;
3. HiGHS (``scipy.optimize.linprog``, dual simplex) solves the dual on the free
   rows; its multipliers are ``b``;
4. every fixed row is checked against the new fit. When all lie on their side,
   ``b`` and the full ``a`` satisfy complementary slackness on *all* rows, so
   ``b`` is an exact minimiser of the whole problem; where a group fails, its
   window is widened around the new fit and the programme solved again (in the
   worst case every row is free: the programme of the whole data).

**Several minimisers.** A quantile regression's minimiser need not be unique. By
complementary slackness with ``a``, the minimisers are exactly the ``b`` whose
fitted value of every group lies between the largest ``y`` with ``a < 1`` and the
smallest ``y`` with ``a > 0`` of that group (:func:`minimiser_range` reads the
lowest and highest value of a contrast over that set with one small programme
each). With small cells the set can be wide; the fit returned is one vertex of it
(as R's ``quantreg::rq`` returns), and because the programme is solved on the
residuals of the first fit, the vertex moves with ``y`` when the rounds of a year
are shifted (a price base, a currency): ratios between cells do not change.

**Covariance.** statsmodels' ``QuantReg`` default ("robust" sandwich, Epanechnikov
kernel, Hall-Sheather bandwidth), on every row's residual, with one change where
the fit passes through a row: the sign weight ``1[e_i > 0]`` of statsmodels'
formula becomes the row's rank score ``a_i`` (equal to it on every other row).
At an exact minimiser about ``p`` rows have a zero residual, and in a cell of a few
rounds at q = 0.9 counting such a row above or below changes the cell's variance
several-fold; the rank scores of a cell's rows sum to ``(1 - q)`` times its rows,
as the sign weights do on average. Given coefficients without zero residuals the
covariance equals statsmodels' (the tests check 1e-10).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fundgap.models._grouped import FitTable, Groups

__all__ = ["QuantileFit", "SortedGroups", "fit_quantile", "minimiser_range"]

#: Free rows on each side of the first fit in every group (at least), and as a share of it.
WINDOW_MIN = 8
WINDOW_SHARE = 0.002
MAX_ROUNDS = 30


class QuantileFit(FitTable):
    """Quantile regression fitted exactly (see the module doc).

    Attributes beyond :class:`FitTable`: ``q``, ``objective`` (the check-loss sum
    at ``params``), ``lp_rows`` (free rows of the last programme), ``lp_rounds``
    (programmes solved), ``bandwidth`` and ``sparsity`` (of the covariance), and
    ``lower``/``upper`` (per group, the interval every minimiser's fitted value
    lies in).
    """

    title = "Quantile Regression Results"


class SortedGroups:
    """``y`` sorted within groups, their starts and sizes, and counts below a value."""

    def __init__(self, groups: Groups | None) -> None:
        if groups is not None:
            self.y, self.start = groups.sorted_y()
            self.n = groups.n.astype(np.int64)

    def shifted(self, theta: np.ndarray) -> SortedGroups:
        """The same groups with ``theta[g]`` taken from every value of group ``g``."""
        out = SortedGroups(None)
        out.y, out.start, out.n = self.y - np.repeat(theta, self.n), self.start, self.n
        return out

    def count_below(self, theta: np.ndarray, side: str = "left") -> np.ndarray:
        """Rows of each group below ``theta[g]`` (``side="right"``: at or below)."""
        out = np.empty(len(self.n), dtype=np.int64)
        for g, (s, m) in enumerate(zip(self.start, self.n, strict=True)):
            out[g] = np.searchsorted(self.y[s:s + m], theta[g], side=side)
        return out

    def at(self, rank: np.ndarray) -> np.ndarray:
        """The value of the given within-group rank of each group."""
        return self.y[self.start + rank]


@dataclass
class _Solution:
    """An exact minimiser on shifted data: coefficients, windows and the free rows' scores."""

    beta: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    rows: np.ndarray
    scores: np.ndarray
    rounds: int


def _first_fit(s: SortedGroups, xg: np.ndarray, q: float) -> np.ndarray:
    """Weighted least squares of the groups' sample q-quantiles on the group design."""
    rank = np.minimum(np.floor(q * s.n).astype(np.int64), s.n - 1)
    w = s.n.astype("float64")
    # normal equations (p x p): a tall least-squares call is slow where BLAS threads compete
    return np.linalg.pinv((xg * w[:, None]).T @ xg) @ (xg.T @ (w * s.at(rank)))


def _free_rows(s: SortedGroups, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in the sorted data) and groups of the rows of ranks [lo, hi) of each group."""
    lens = hi - lo
    gid = np.repeat(np.arange(len(lens)), lens)
    first = np.repeat(s.start + lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return first + np.arange(int(lens.sum())), gid


def _solve_free(s: SortedGroups, xg: np.ndarray, q: float, lo: np.ndarray,
                hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The dual on ranks [lo, hi) of each group: (b, free rows, their scores); None if infeasible."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    rows, gid = _free_rows(s, lo, hi)
    rhs = xg.T @ ((1 - q) * s.n - (s.n - hi)).astype("float64")
    a_eq = sp.csr_matrix(xg.T)[:, gid]
    res = linprog(-s.y[rows], A_eq=a_eq, b_eq=rhs, bounds=(0, 1), method="highs-ds")
    if res.status == 2:  # infeasible: the windows are too narrow
        return None
    if res.status != 0:
        from fundgap.errors import FundgapError

        raise FundgapError(f"the quantile regression's programme failed: {res.message}",
                           argument="quantiles", value=q)
    return -np.asarray(res.eqlin.marginals, dtype="float64"), rows, np.asarray(res.x)


def _tolerance(theta: np.ndarray) -> np.ndarray:
    """How far a value may sit on the wrong side of a fitted value and still count as on it."""
    return 1e-9 * (1 + np.abs(theta))


def _violations(s: SortedGroups, theta: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Groups with a fixed row on the wrong side of the fit."""
    tol = _tolerance(theta)
    below = np.where(lo > 0, s.at(np.maximum(lo - 1, 0)), -np.inf)
    above = np.where(hi < s.n, s.at(np.minimum(hi, s.n - 1)), np.inf)
    return (below > theta + tol) | (above < theta - tol)


def solve_exact(s: SortedGroups, xg: np.ndarray, q: float, *, window: int = WINDOW_MIN,
                share: float = WINDOW_SHARE) -> _Solution:
    """An exact minimiser of the check loss of ``s`` (see the module doc)."""
    w = np.maximum(window, np.ceil(share * s.n)).astype(np.int64)
    k = s.count_below(np.zeros(len(s.n)))
    lo, hi = np.maximum(k - w, 0), np.minimum(k + w, s.n)
    for rounds in range(1, MAX_ROUNDS + 1):
        solved = _solve_free(s, xg, q, lo, hi)
        if solved is None:
            w *= 2
            lo, hi = np.maximum(lo - w, 0), np.minimum(hi + w, s.n)
            continue
        beta, rows, scores = solved
        theta = xg @ beta
        bad = _violations(s, theta, lo, hi)
        if not bad.any():
            return _Solution(beta, lo, hi, rows, scores, rounds)
        k = s.count_below(theta)
        w[bad] *= 2
        lo[bad] = np.maximum(np.minimum(lo[bad], k[bad] - w[bad]), 0)
        hi[bad] = np.minimum(np.maximum(hi[bad], k[bad] + w[bad]), s.n[bad])
        if rounds == MAX_ROUNDS - 1:  # last resort: the whole data
            lo, hi = np.zeros_like(lo), s.n.copy()
    raise RuntimeError("quantile regression: no exact solution")  # pragma: no cover


def _bounds(s: SortedGroups, sol: _Solution) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: the interval [lower, upper] of every minimiser's fitted value, and the sum
    of the rank scores (complementary slackness with the scores ``a``)."""
    eps = 1e-9
    gid = np.repeat(np.arange(len(s.n)), s.n)[sol.rows]
    lower = np.where(sol.lo > 0, s.at(np.maximum(sol.lo - 1, 0)), -np.inf)
    upper = np.where(sol.hi < s.n, s.at(np.minimum(sol.hi, s.n - 1)), np.inf)
    under = sol.scores < 1 - eps
    np.maximum.at(lower, gid[under], s.y[sol.rows][under])
    over = sol.scores > eps
    np.minimum.at(upper, gid[over], s.y[sol.rows][over])
    total = (s.n - sol.hi) + np.bincount(gid, weights=sol.scores, minlength=len(s.n))
    return lower, upper, total


def _hall_sheather(n: int, q: float, alpha: float = 0.05) -> float:
    from scipy.stats import norm

    z = norm.ppf(q)
    num = 1.5 * norm.pdf(z) ** 2.0
    den = 2.0 * z ** 2.0 + 1.0
    return float(n ** (-1.0 / 3) * norm.ppf(1.0 - alpha / 2.0) ** (2.0 / 3)
                 * (num / den) ** (1.0 / 3))


def quantile_cov(s: SortedGroups, xg: np.ndarray, q: float, beta: np.ndarray,
                 above: np.ndarray | None = None) -> tuple[np.ndarray, float, float]:
    """statsmodels' robust QuantReg covariance at ``beta``: (cov, bandwidth, sparsity).

    ``above``: per group, the rows counted above the fit (default: those with a
    positive residual, statsmodels' rule; the fit passes the rank scores' sums).
    """
    from scipy.stats import norm

    theta = xg @ beta
    e = s.y - np.repeat(theta, s.n)
    nobs = len(e)
    iqre = float(np.percentile(e, 75) - np.percentile(e, 25))
    h = _hall_sheather(nobs, q)
    h = min(float(np.std(s.y)), iqre / 1.34) * (norm.ppf(q + h) - norm.ppf(q - h))
    u = e / h
    fhat0 = float(1.0 / (nobs * h) * np.sum(np.where(np.abs(u) <= 1, 0.75 * (1 - u * u), 0.0)))
    if above is None:
        above = (s.n - s.count_below(theta, side="right")).astype("float64")
    d = above * (q / fhat0) ** 2 + (s.n - above) * ((1 - q) / fhat0) ** 2
    xtxi = np.linalg.pinv((xg * s.n[:, None]).T @ xg)
    return xtxi @ ((xg * d[:, None]).T @ xg) @ xtxi, float(h), 1.0 / fhat0


def minimiser_range(fit: QuantileFit, x: pd.DataFrame, vector: pd.Series) -> tuple[float, float]:
    """Lowest and highest value of ``vector'b`` over every minimiser ``b`` of the fit's loss.

    One small programme each way over the coefficients, constrained by the
    groups' intervals (``fit.lower``, ``fit.upper``); infinite when unbounded.
    """
    from scipy.optimize import linprog

    if getattr(fit, "_polytope", None) is None:
        import scipy.sparse as sp

        xg = x.to_numpy(dtype="float64")
        theta = xg @ fit.params.to_numpy()
        tol = _tolerance(theta)
        ub = np.concatenate([fit.upper - theta + tol, theta - fit.lower + tol])
        keep = np.isfinite(ub)
        fit._polytope = (sp.csr_matrix(np.vstack([xg, -xg])[keep]), ub[keep])
    a_ub, b_ub = fit._polytope
    c = vector.reindex(fit.params.index, fill_value=0.0).to_numpy(dtype="float64")
    at = float(c @ fit.params.to_numpy())
    out = []
    for sign in (1.0, -1.0):  # over d = b - params: sign * c'd, lowest
        res = linprog(sign * c, A_ub=a_ub, b_ub=b_ub, bounds=(None, None), method="highs-ds")
        out.append(at + float(res.fun) * sign if res.status == 0 else -sign * np.inf)
    return min(out[0], at), max(out[1], at)


def fit_quantile(x: pd.DataFrame, groups: Groups, q: float, name: str = "y",
                 sorted_rows: SortedGroups | None = None) -> QuantileFit:
    """Exact quantile regression of ``y`` on the design whose row for group ``g`` is ``x.iloc[g]``.

    Parameters
    ----------
    x : DataFrame
        One row per group, columns named by regressor (full column rank).
    groups : Groups
    q : float
        Quantile, strictly between 0 and 1.
    name : str
        Name of the dependent variable (for the summary).
    sorted_rows : SortedGroups, optional
        ``SortedGroups(groups)``, to share the sort between quantiles.

    Returns
    -------
    QuantileFit

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from fundgap.models._grouped import group_rows
    >>> g, _ = group_rows(np.array([0, 0, 0, 1, 1, 1]), np.array([1.0, 2.0, 9.0, 4.0, 5.0, 7.0]))
    >>> fit = fit_quantile(pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}), g, 0.5)
    >>> fit.params.round(6).tolist()  # the medians of the two groups
    [2.0, 5.0]
    """
    s = sorted_rows if sorted_rows is not None else SortedGroups(groups)
    xg = x.to_numpy(dtype="float64")
    q = float(q)
    # solved on the residuals of the first fit: the vertex moves with y (module doc)
    beta0 = _first_fit(s, xg, q)
    theta0 = xg @ beta0
    shifted = s.shifted(theta0)
    sol = solve_exact(shifted, xg, q)
    lower, upper, above = _bounds(shifted, sol)
    beta = beta0 + sol.beta
    cov, h, sparsity = quantile_cov(s, xg, q, beta, above=above)
    r = s.y - np.repeat(xg @ beta, s.n)
    objective = float(np.sum(r * (q - (r < 0))))
    fit = QuantileFit(pd.Series(beta, index=x.columns), cov, nobs=groups.nobs, info={
        "Dep. variable": name, "Quantile": f"{q:g}",
        "Method": "exact linear programme (HiGHS dual simplex), checked on every row",
        "Covariance": "robust sandwich, Epanechnikov kernel, Hall-Sheather bandwidth",
        "Check-loss sum": f"{objective:.6f}"})
    fit.q, fit.objective, fit.lp_rows, fit.lp_rounds = q, objective, len(sol.rows), sol.rounds
    fit.bandwidth, fit.sparsity = h, sparsity
    fit.lower, fit.upper = lower + theta0, upper + theta0
    return fit
