"""Regional comparison of round sizes and round counts with statsmodels.

:func:`compare_regions` fits, on disclosed rounds,

* OLS of ``log(amount)`` on region x stage-group cells plus year fixed effects,
  with heteroskedasticity-robust (HC3 by default) standard errors;
* quantile regressions of ``log(amount)`` on the same design (median and P90 by
  default);
* a count model (negative binomial or Poisson) of the number of rounds per
  region x stage group x year, on the same cell design with year effects;

and reports, per stage group, the ratio of each region to the base region:
``exp(b[region, stage] - b[base, stage])`` with a delta-free interval
``exp(diff +- z * se)``, where ``se`` comes from the full covariance matrix
(``L' V L`` for the contrast vector ``L``).

The design is parameterised by cell (one dummy per observed region x stage
group, no constant) plus year dummies (first year dropped). This is the same
model as ``C(region) * C(stage_group) + C(year)`` written with a different
basis, and it makes each ratio a difference of two coefficients.

**At scale.** Every regressor is a dummy, so all rounds of one region x stage x
year group share a design row. The OLS fits and their covariances (nonrobust,
HC0-HC3) are computed exactly from each group's count, mean and within-group sum
of squares (:mod:`fundgap.models._grouped`; other ``cov_type`` values fit
statsmodels on every row). The quantile regressions are solved exactly as linear
programmes by HiGHS on the rows near the fit, every other row checked against it
(:mod:`fundgap.models._quantreg`); a quantile regression can have more than one
minimiser, and ``range_low``/``range_high`` give each ratio's range over all of
them. The count model is fitted by statsmodels on the region x stage x year
counts. 10^6 rounds take about a second (METHODOLOGY 4.2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._cells import sort_key
from fundgap.models._compare_data import check_base, count_grid, grouped, rounds_used, sized
from fundgap.models._grouped import FAST_COV_TYPES, Groups, fit_ols
from fundgap.models._common import (
    check_choice,
    check_ci,
    check_column_argument,
    check_columns,
    check_frame,
    on_one_blas_thread,
    place_meta,
    with_places,
)
from fundgap.models._progress import step
from fundgap.models._quantreg import QuantileFit, fit_quantile, minimiser_range
from fundgap.models.results import Result
from fundgap.schema import DEFAULT_MEASURE, DEFAULT_PRICE_BASE

__all__ = ["ComparisonResult", "compare_regions"]


class ComparisonResult(Result):
    """Result of :func:`compare_regions`.

    Columns of :meth:`to_frame`: ``model`` (``ols``, ``ols_additive``, ``quantreg_q50``,
    ``quantreg_q90``, ``count_negbin`` / ``count_poisson``), ``metric``
    (``size_ratio`` or ``count_ratio``), ``region``, ``stage_group`` (the label of
    ``stage_col``; ``"all"`` for ``ols_additive``), ``base``,
    ``estimate`` (ratio to the base region), ``ci_low``, ``ci_high``,
    ``range_low``, ``range_high`` (the lowest and highest ratio over every
    minimiser of a quantile regression's loss; the estimate itself for OLS and
    counts, whose estimates are unique; NaN where unknown),
    ``log_ratio``, ``se`` (of the log ratio), ``p_value`` (ratio = 1), ``n``
    (observations of the region x stage cell: rounds, or region x stage x year
    cells for counts), ``n_base``, ``unit`` ("ratio").

    The fitted models are in :attr:`models` (keys as in ``model``): the OLS and
    quantile fits as light results with ``params``, ``bse``, ``cov_params()`` and
    ``summary()`` (they were fitted on groups, not on rows), the count model as
    statsmodels' result. :attr:`designs` holds, per fit, the table of groups
    (region, stage, year, rounds, mean and within sum of squares of log amount)
    and the design row of each group; the count model's counts and design.
    """

    kind = "comparison"

    def __init__(self, frame: pd.DataFrame, *, title: str, meta: dict[str, Any] | None = None,
                 models: dict[str, Any] | None = None, designs: dict[str, Any] | None = None):
        super().__init__(frame, title=title, meta=meta)
        self.models = dict(models or {})
        self.designs = dict(designs or {})

    def _key_table(self) -> pd.DataFrame:
        """The OLS size ratios to the base region by region and stage, with intervals."""
        f = self._frame
        f = f[f["model"] == ("ols" if (f["model"] == "ols").any() else f["model"].iloc[0])] \
            if len(f) else f
        cols = [c for c in ("model", "region", "stage_group", "estimate", "ci_low", "ci_high",
                            "p_value", "n", "n_base") if c in f.columns]
        return f[cols]

    def summary(self, model: str | None = None) -> str:
        """Text summary of the ratios, or statsmodels' own summary of one fitted model."""
        if model is None:
            return super().summary()
        if model not in self.models:
            raise FundgapError("unknown model", argument="model", value=model,
                               expected=list(self.models))
        return str(self.models[model].summary())

    def _plot(self, ax: Any = None, *, model: str = "ols", **kwargs: Any) -> Any:
        """Bars of one model's ratios by stage and region (used by :meth:`plot`)."""
        from fundgap.report.figures import plot_depth

        f = self._frame[self._frame["model"] == model]
        kwargs.setdefault("unit", f"ratio to {self.meta.get('base', 'base')}")
        kwargs.setdefault("title", f"{self.title} [{model}]")
        return plot_depth(f, ax, metric=None, **kwargs)

    def ratios(self, model: str = "ols") -> pd.DataFrame:
        """Region x stage-group table of ratios to the base for one model."""
        f = self._frame[self._frame["model"] == model]
        return f.pivot_table(index="region", columns="stage_group", values="estimate",
                             aggfunc="first", sort=False)


def _cell_design(region: pd.Series, stage: pd.Series, year: pd.Series | None,
                 base: str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    cells = pd.MultiIndex.from_arrays([region, stage])
    uniq = cells.unique().sort_values()
    names = [f"cell[{r}:{s}]" for r, s in uniq]
    codes = uniq.get_indexer(cells)
    x = np.zeros((len(region), len(uniq)))
    x[np.arange(len(region)), codes] = 1.0
    design = pd.DataFrame(x, columns=names, index=region.index)
    if year is not None:
        years = np.sort(year.unique())
        for y in years[1:]:
            design[f"year[{int(y)}]"] = (year == y).to_numpy(dtype="float64")
    return design, list(uniq)


def _contrasts(params: pd.Series, cov: pd.DataFrame, cells: list[tuple[str, str]], base: str,
               z: float, counts: dict[tuple[str, str], int],
               span: Callable[[pd.Series], tuple[float, float]] | None = None
               ) -> list[dict[str, Any]]:
    """Ratio rows of each region to the base per stage; ``span(vector)`` gives the lowest and
    highest log ratio over every minimiser (quantile regressions), else the estimate."""
    from scipy import stats

    out = []
    names = list(params.index)
    cov = cov.loc[names, names].to_numpy()
    for r, s in cells:
        if r == base or (base, s) not in cells:
            continue
        a, b = f"cell[{r}:{s}]", f"cell[{base}:{s}]"
        if a not in names or b not in names:
            continue
        vec = pd.Series(0.0, index=names)
        vec[a] = 1.0
        vec[b] = -1.0
        diff = float(vec @ params)
        var = float(vec.to_numpy() @ cov @ vec.to_numpy())
        se = float(np.sqrt(var)) if var > 0 else np.nan
        p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else np.nan
        low, high = span(vec) if span is not None else (diff, diff)
        out.append({"region": r, "stage_group": s, "log_ratio": diff, "se": se,
                    "estimate": float(np.exp(diff)), "ci_low": float(np.exp(diff - z * se)),
                    "ci_high": float(np.exp(diff + z * se)), "range_low": float(np.exp(low)),
                    "range_high": float(np.exp(high)), "p_value": p,
                    "n": counts.get((r, s), 0), "n_base": counts.get((base, s), 0)})
    return out


@on_one_blas_thread(with_scipy=True)
def compare_regions(
    rounds: pd.DataFrame,
    *,
    base: str = "US",
    measure: str = DEFAULT_MEASURE,
    price_base: int | None = DEFAULT_PRICE_BASE,
    year_fe: bool = True,
    quantiles: Sequence[float] = (0.5, 0.9),
    count_model: Literal["negbin", "poisson"] | None = "negbin",
    ci: float = 0.95,
    cov_type: str = "HC3",
    regions: Sequence[str] | None = None,
    stage_col: str = "stage_group",
    biotech_only: bool = False,
    stages: Literal["vc", "all"] = "vc",
    min_cell: int = 2,
    pooled: bool = True,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> ComparisonResult:
    """Ratios of round size and round count to a base region, per stage, with CIs.

    Parameters
    ----------
    rounds : DataFrame
        Canonical rounds frame; needs region, ``stage_col``, year and ``measure``.
    base : str, default "US"
        Reference place; every ratio is region / base within a stage. A region code,
        an ISO 3166 alpha-2 country code, a group of ``groups`` or
        ``"EU27_excl_<group or code>"``.
    measure : str, default "amount_eur"
        Money column (millions); the project's convention
        (:data:`fundgap.schema.DEFAULT_MEASURE`). With year effects any single
        currency and price base gives the same ratios: the conversion and the
        deflator are the same for every round of a year, and the year effects
        absorb them.
    price_base : int or None, default 2024
        Put amounts at constant prices of this year (:func:`fundgap.normalise.deflate`;
        rounds of a year without an index are not sized); None keeps current prices.
    year_fe : bool, default True
        Add year fixed effects (the market cycle, e.g. 2021, moves all regions).
    quantiles : sequence of float, default (0.5, 0.9)
        Quantile regressions to fit (exact linear programmes; statsmodels'
        ``QuantReg`` covariance). Because quantiles
        are equivariant to the monotone log transform, ``exp`` of a difference
        of coefficients is a ratio of conditional quantiles of the amount.
    count_model : {"negbin", "poisson", None}, default "negbin"
        Model of the number of rounds per region x stage x year (zero cells
        included). Negative binomial allows overdispersion, which deal counts
        usually show; Poisson gets robust (HC0) standard errors.
    ci : float, default 0.95
    cov_type : str, default "HC3"
        OLS covariance (statsmodels name: "HC3", "HC1", "nonrobust" ...;
        "nonrobust" and "HC0" to "HC3" are computed from the groups, others by
        statsmodels on every row). HC3
        is the small-sample-safer choice (Long and Ervin 2000, The American
        Statistician 54:217-224).
    regions : sequence of str, optional
        Places to keep (default: all regions present, plus every group); region
        codes, country codes, groups, ``"EU27_excl_<name>"``.
    stage_col : str, default "stage_group"
        Column of stages ("stage" for the fine ladder).
    biotech_only : bool, default False
    stages : {"vc", "all"}, default "vc"
        "vc" drops the non_vc group.
    min_cell : int, default 2
        Region x stage cells with fewer disclosed rounds are dropped from the
        size models (a one-round cell has leverage 1, so no HC3 error).
    pooled : bool, default True
        Also fit the additive model ``region + stage + year`` (``ols_additive``)
        whose region coefficient gives one size ratio over all stages
        (``stage_group = "all"``), holding the stage mix fixed.
    groups : mapping of str to list of str, optional
        Groups of countries, e.g. ``{"coalition": ["BE", "NL", "DK", "SE", "FI",
        "NO"]}``: a group's rows are its members' rounds (by ``country``). Those rounds
        also stay in their own region, so compare disjoint places (e.g.
        ``regions=["coalition", "EU27_excl_coalition", "US"]``) for a test whose
        observations are independent; ``meta["notes"]`` names any overlap.

    Returns
    -------
    ComparisonResult
        Tidy ratios; ``.models`` holds the fits (see :class:`ComparisonResult`).

    Notes
    -----
    ``exp`` of an OLS difference of mean logs is a ratio of geometric means
    (conditional on year), not of arithmetic means.

    The fits run on the region x stage x year groups of the rounds, exactly (see the
    module doc): 10^6 rounds take about a second. The quantile regressions' ratios
    are those of an exact minimiser; where the minimiser is not unique (cells of a
    few dozen rounds) the ratio of another minimiser, such as the one statsmodels'
    ``QuantReg`` approaches, lies in ``[range_low, range_high]``. Their standard
    errors use statsmodels' robust formula with the rank scores of the rows the fit
    passes through (METHODOLOGY 4.2).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from fundgap.schema import conform
    >>> rng = np.random.default_rng(0)
    >>> n = 400
    >>> synthetic = conform(pd.DataFrame({
    ...     "region": np.repeat(["US", "EU27"], n // 2),
    ...     "stage": np.tile(["seed", "series_a"], n // 2),
    ...     "year": rng.integers(2015, 2020, n),
    ...     "amount_eur": np.exp(rng.normal(2, 0.5, n))
    ...         * np.repeat([2.0, 1.0], n // 2)}), "rounds")
    >>> res = compare_regions(synthetic, quantiles=(), count_model=None)
    >>> sorted(res.to_frame()["stage_group"]), list(res.models)
    (['all', 'early', 'seed'], ['ols', 'ols_additive'])
    >>> float(round(res.ratios("ols_additive").iloc[0, 0], 1))  # EU27 about half the US size
    0.5
    """
    check_frame(rounds, "rounds")
    check_columns(rounds, ["region", "year"], "rounds")
    check_column_argument(rounds, stage_col, "stage_col", "rounds", ("stage_group", "stage"))
    check_column_argument(rounds, measure, "measure", "rounds", MONEY_COLUMNS)
    ci = check_ci(ci)
    rounds, places = with_places(rounds, groups, {"base": base, "regions": regions},
                                 every_group=regions is None)
    check_choice(count_model, ["negbin", "poisson", None], "count_model")
    check_choice(stages, ["vc", "all"], "stages")
    qs = tuple(float(q) for q in quantiles)
    if any(not 0 < q < 1 for q in qs):
        raise FundgapError("quantiles must lie strictly between 0 and 1", argument="quantiles",
                           value=qs, expected="numbers strictly between 0 and 1")
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + ci / 2))
    df = rounds_used(rounds, measure, price_base, stage_col, stages, biotech_only, regions)
    check_base(df, base)
    meta: dict[str, Any] = {"base": base, "measure": measure,
                            "price_base": "current" if price_base is None else price_base,
                            "year_fe": year_fe, "cov_type": cov_type, "ci": ci,
                            "stage_col": stage_col, "n_input": len(rounds), "n_used": len(df)}
    kept = sized(df, min_cell)
    meta["n_sized"] = len(kept)
    if len(kept) == 0:
        raise FundgapError(f"no rounds with a positive {measure}", argument="measure",
                           value=measure, expected=[c for c in MONEY_COLUMNS
                                                    if c in rounds.columns])
    fits = _Fits()
    n_fits = 1 + pooled + len(qs) + (count_model is not None)
    with step("regressions of round size and count", total=n_fits, unit="fit") as bar:
        fits.bar = bar
        _size_models(fits, kept, base, f"log_{measure}", qs, z,
                     _SizeOptions(year_fe=year_fe, cov_type=cov_type, pooled=pooled))
        if count_model is not None:
            _count_model(fits, df, base, count_model, year_fe, z, meta)
            bar.update()
    title = f"Round size and count relative to {base} by {stage_col} ({measure})"
    place_meta(meta, places)
    return ComparisonResult(_ratios_frame(fits.rows, base), title=title, meta=meta,
                            models=fits.models, designs=fits.designs)


#: The money columns of a rounds frame a comparison can be measured in.
MONEY_COLUMNS = ("amount_eur", "amount_usd", "amount")


@dataclass
class _Fits:
    """The ratio rows, the fitted statsmodels results and their designs."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    models: dict[str, Any] = field(default_factory=dict)
    designs: dict[str, Any] = field(default_factory=dict)
    bar: Any = None  # the progress bar of the fits


@dataclass(frozen=True)
class _SizeOptions:
    year_fe: bool
    cov_type: str
    pooled: bool


def _ols(x: pd.DataFrame, groups: Groups, cov_type: str, name: str) -> Any:
    """OLS on the group statistics; other covariance types than HC0-HC3/nonrobust on the rows."""
    if cov_type in FAST_COV_TYPES:
        return fit_ols(x, groups, cov_type, name)
    import statsmodels.api as sm

    rows = x.iloc[groups.code].reset_index(drop=True)
    return sm.OLS(pd.Series(groups.y, name=name), rows).fit(cov_type=cov_type)


def _quantile(x: pd.DataFrame, groups: Groups, q: float, name: str, shared: dict) -> Any:
    """Exact quantile regression on the groups; statsmodels' QuantReg on the rows when the
    group design lacks full column rank."""
    xg = x.to_numpy(dtype="float64")
    if np.linalg.matrix_rank((xg * groups.n[:, None]).T @ xg) < x.shape[1]:
        import statsmodels.api as sm

        rows = x.iloc[groups.code].reset_index(drop=True)
        return sm.QuantReg(pd.Series(groups.y, name=name), rows).fit(q=q)
    from fundgap.models._quantreg import SortedGroups

    if "sorted" not in shared:
        shared["sorted"] = SortedGroups(groups)
    return fit_quantile(x, groups, q, name, sorted_rows=shared["sorted"])


def _size_models(fits: _Fits, sized: pd.DataFrame, base: str, name: str,
                 qs: tuple[float, ...], z: float, opts: _SizeOptions) -> None:
    """OLS by cell, the pooled additive OLS and the quantile regressions of log amount,
    all fitted on the (region, stage, year) groups of the rounds."""
    groups, table = grouped(sized, name)
    cell_n = table.groupby(["region", "stage"], sort=False)["n"].sum()
    counts = {k: int(v) for k, v in cell_n.items()}
    x, cells = _cell_design(table["region"], table["stage"],
                            table["year"] if opts.year_fe else None, base)
    x = x.loc[:, x.any(axis=0)]
    fits.designs["size"] = (table, x)
    ols = fits.models["ols"] = _ols(x, groups, opts.cov_type, name)
    fits.rows += [{"model": "ols", "metric": "size_ratio", **r}
                  for r in _contrasts(ols.params, ols.cov_params(), cells, base, z, counts)]
    fits.bar.update()
    if opts.pooled:
        px = _additive_design(table, base, opts.year_fe)
        fits.designs["size_additive"] = (table, px)
        add = fits.models["ols_additive"] = _ols(px, groups, opts.cov_type, name)
        by_region = table.groupby("region", sort=False)["n"].sum()
        fits.rows += _additive_rows(add, by_region, base, z)
        fits.bar.update()
    shared: dict[str, Any] = {}
    for q in qs:
        label = f"quantreg_q{round(q * 100):d}"
        qr = fits.models[label] = _quantile(x, groups, q, name, shared)
        span = _span(qr, x)
        fits.rows += [{"model": label, "metric": "size_ratio", **r}
                      for r in _contrasts(qr.params, qr.cov_params(), cells, base, z, counts,
                                          span)]
        fits.bar.update()


def _span(fit: Any, x: pd.DataFrame) -> Callable[[pd.Series], tuple[float, float]]:
    """The range of a contrast over every minimiser of an exact quantile regression (NaN for
    a statsmodels fit, whose set of minimisers is not known)."""
    if isinstance(fit, QuantileFit):
        return lambda vec: minimiser_range(fit, x, vec)
    return lambda vec: (np.nan, np.nan)


def _additive_rows(fit: Any, by_region: pd.Series, base: str, z: float
                   ) -> list[dict[str, Any]]:
    """One size ratio per region over all stages, from the additive model's region terms."""
    from scipy import stats

    cov = fit.cov_params()
    rows = []
    for r in sorted(set(by_region.index) - {base}):
        name = f"region[{r}]"
        if name not in fit.params.index:
            continue
        d, se = float(fit.params[name]), float(np.sqrt(cov.loc[name, name]))
        rows.append({"model": "ols_additive", "metric": "size_ratio", "region": r,
                     "stage_group": "all", "log_ratio": d, "se": se,
                     "estimate": float(np.exp(d)), "ci_low": float(np.exp(d - z * se)),
                     "ci_high": float(np.exp(d + z * se)), "range_low": float(np.exp(d)),
                     "range_high": float(np.exp(d)),
                     "p_value": float(2 * stats.norm.sf(abs(d) / se)) if se > 0 else np.nan,
                     "n": int(by_region.get(r, 0)), "n_base": int(by_region.get(base, 0))})
    return rows


def _count_model(fits: _Fits, df: pd.DataFrame, base: str, count_model: str, year_fe: bool,
                 z: float, meta: dict[str, Any]) -> None:
    """The count model of rounds per region x stage x year (zero cells included)."""
    grid = count_grid(df)
    cx, ccells = _cell_design(grid["region"], grid["stage"],
                              grid["year"] if year_fe else None, base)
    # a cell with no round in any year has no finite rate: leave it out
    alive = grid.groupby(["region", "stage"])["n"].transform("sum") > 0
    grid, cx = grid.loc[alive].reset_index(drop=True), cx.loc[alive].reset_index(drop=True)
    cx = cx.loc[:, cx.any(axis=0)]
    ccells = [c for c in ccells if f"cell[{c[0]}:{c[1]}]" in cx.columns]
    fits.designs["count"] = (grid["n"], cx)
    ncounts = {k: int(v) for k, v in grid.groupby(["region", "stage"]).size().items()}
    name, fit = _fit_counts(grid["n"], cx, count_model, meta)
    fits.models[name] = fit
    params = fit.params.drop("alpha", errors="ignore")
    cov = fit.cov_params().loc[params.index, params.index]
    fits.rows += [{"model": name, "metric": "count_ratio", **r}
                  for r in _contrasts(params, cov, ccells, base, z, ncounts)]


def _fit_counts(n: pd.Series, x: pd.DataFrame, count_model: str,
                meta: dict[str, Any]) -> tuple[str, Any]:
    """Negative binomial (Poisson with HC0 errors when it fails to converge) or Poisson."""
    import warnings

    import statsmodels.api as sm

    if count_model == "negbin":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.NegativeBinomial(n, x, hasconst=True).fit(disp=0, maxiter=200)
        try:
            ok = fit.mle_retvals.get("converged", True) and np.isfinite(
                np.asarray(fit.bse)).all()
        except ValueError:  # no covariance (Hessian not invertible)
            ok = False
        if ok:
            return "count_negbin", fit
        # e.g. no overdispersion to estimate: fall back to Poisson, and say so
        meta["count_warning"] = "negative binomial did not converge; Poisson (HC0) used instead"
    return "count_poisson", sm.GLM(n, x, family=sm.families.Poisson(),
                                  hasconst=True).fit(cov_type="HC0")


def _ratios_frame(rows: list[dict[str, Any]], base: str) -> pd.DataFrame:
    """The ratio rows in model order, regions and stages along their display order."""
    cols = ["model", "metric", "region", "stage_group", "base", "estimate", "ci_low", "ci_high",
            "range_low", "range_high", "log_ratio", "se", "p_value", "n", "n_base", "unit"]
    out = pd.DataFrame(rows)
    if len(out) == 0:
        out = pd.DataFrame(columns=cols)
    out["base"] = base
    out["unit"] = "ratio"
    out = out[cols]
    if not len(out):
        return out
    order = {m: i for i, m in enumerate(dict.fromkeys(out["model"]))}
    return out.assign(_m=out["model"].map(order)).sort_values(
        ["_m", "region", "stage_group"], key=lambda v: v if v.name == "_m" else sort_key(v),
        kind="stable").drop(columns="_m")


def _additive_design(df: pd.DataFrame, base: str, year_fe: bool) -> pd.DataFrame:
    """Constant + region (base omitted) + stage (first omitted) [+ year (first omitted)]."""
    x = pd.DataFrame({"const": 1.0}, index=df.index)
    for r in sorted(set(df["region"]) - {base}):
        x[f"region[{r}]"] = (df["region"] == r).to_numpy(dtype="float64")
    for s in sorted(df["stage"].unique())[1:]:
        x[f"stage[{s}]"] = (df["stage"] == s).to_numpy(dtype="float64")
    if year_fe:
        for y in np.sort(df["year"].unique())[1:]:
            x[f"year[{int(y)}]"] = (df["year"] == y).to_numpy(dtype="float64")
    return x


