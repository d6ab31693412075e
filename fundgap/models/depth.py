"""Depth of capital: round-size statistics by region x stage with bootstrap intervals.

:func:`depth` answers "how many rounds, how much money, how large is a typical
round and how much of the money sits in very large rounds", per cell of
``by`` (region x stage group by default), with seeded, vectorised bootstrap
confidence intervals (see :mod:`fundgap.models._bootstrap`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._bootstrap import bootstrap_cell
from fundgap.models._cells import STAGE_COLUMNS, factorize, sort_key, unknown_share
from fundgap.models._common import (
    check_choice,
    check_ci,
    check_column_argument,
    check_columns,
    check_frame,
    labels_or,
    on_one_blas_thread,
    place_meta,
    price_factor,
    rows_with_places,
    unit_of,
)
from fundgap.models._progress import step
from fundgap.models.results import Result
from fundgap.schema import DEFAULT_MEASURE, DEFAULT_PRICE_BASE

__all__ = ["DepthResult", "depth"]

#: Metrics of :func:`depth`, in the order they are reported.
DEPTH_METRICS = (
    "n_rounds", "n_disclosed", "share_unknown_stage", "total", "mean", "median",
    "p25", "p75", "p90", "share_large",
)
_QUANTILES = {"p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9}


class DepthResult(Result):
    """Result of :func:`depth`: one row per cell x metric.

    Columns of :meth:`to_frame`: the ``by`` columns, ``metric``, ``estimate``,
    ``ci_low``, ``ci_high`` (bootstrap percentile interval; NaN for counts),
    ``n`` (rounds behind the estimate), ``unit`` and ``price_base``.
    """

    kind = "depth"

    def _key_table(self) -> pd.DataFrame:
        """Per cell: rounds, disclosed rounds, the median with its interval, the total."""
        f = self._frame
        by = [c for c in self.by if c in f.columns]
        med = f[f["metric"] == "median"][[*by, "estimate", "ci_low", "ci_high"]].rename(
            columns={"estimate": "median", "ci_low": "median_ci_low",
                     "ci_high": "median_ci_high"})
        counts = f[f["metric"].isin(["n_rounds", "total"])].pivot_table(
            index=by, columns="metric", values="estimate", aggfunc="first", observed=True,
            sort=False).reset_index()
        counts.columns = [str(c) for c in counts.columns]
        out = counts.merge(med, on=by, how="left") if by else med
        if "n_rounds" in out:
            out["n_rounds"] = out["n_rounds"].astype("Int64")
        return out

    @property
    def by(self) -> tuple[str, ...]:
        """The grouping columns."""
        return tuple(self.meta.get("by", ()))

    #: Bootstrap replicates by ((cell labels), metric); filled by :func:`depth`.
    replicates: Mapping[tuple[tuple[Any, ...], str], np.ndarray] = MappingProxyType({})

    def relative(self, base: str = "US", metric: str = "median") -> pd.DataFrame:
        """Each region's ``metric`` as a ratio to ``base`` in the same cell, with CIs.

        Cells are bootstrapped independently, so the ratio of matching replicates
        is a replicate of the ratio; the interval is its percentile interval at
        the result's ``ci``. Needs ``region`` among the ``by`` columns.

        Returns
        -------
        DataFrame
            The ``by`` columns, ``base``, ``metric``, ``estimate``, ``ci_low``,
            ``ci_high``, ``n``, ``n_base``, ``unit`` ("ratio").
        """
        by = list(self.by)
        if "region" not in by:
            raise FundgapError("relative() needs 'region' among the by columns of the depth",
                               argument="by", value=by, expected="by columns with 'region'")
        f = self._frame[self._frame["metric"] == metric]
        if len(f) == 0:
            raise FundgapError("unknown metric", argument="metric", value=metric,
                               expected=list(dict.fromkeys(self._frame["metric"])))
        rest = [c for c in by if c != "region"]
        ref = f[f["region"] == base].set_index(rest) if rest else f[f["region"] == base]
        alpha = (1 - float(self.meta.get("ci", 0.95))) / 2
        rows = []
        for _, row in f[f["region"] != base].iterrows():  # one row per cell: small
            key = tuple(row[c] for c in rest)
            try:
                b = ref.loc[key if len(key) > 1 else key[0]] if rest else ref.iloc[0]
            except (KeyError, IndexError):
                continue
            lo = hi = np.nan
            cell = tuple(row[c] for c in by)
            bcell = tuple(base if c == "region" else row[c] for c in by)
            r1 = self.replicates.get((cell, metric))
            r0 = self.replicates.get((bcell, metric))
            if r1 is not None and r0 is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    rr = r1 / r0
                rr = rr[np.isfinite(rr)]
                if len(rr):
                    lo, hi = np.quantile(rr, [alpha, 1 - alpha]).tolist()
            est = row["estimate"] / b["estimate"] if b["estimate"] else np.nan
            rows.append({**{c: row[c] for c in by}, "base": base, "metric": metric,
                         "estimate": est, "ci_low": lo, "ci_high": hi, "n": row["n"],
                         "n_base": b["n"], "unit": "ratio"})
        return pd.DataFrame(rows, columns=[*by, "base", "metric", "estimate", "ci_low",
                                           "ci_high", "n", "n_base", "unit"])

    def wide(self, value: str = "estimate") -> pd.DataFrame:
        """Cells as rows and metrics as columns (``value`` from the tidy table)."""
        f = self._frame
        out = f.pivot_table(index=list(self.by), columns="metric", values=value,
                            aggfunc="first", observed=True, sort=False)
        cols = [m for m in self._frame["metric"].unique() if m in out.columns]
        return out[cols]


def _scale_denominators(
    kept: pd.DataFrame, keys: pd.DataFrame, codes: np.ndarray, by: Sequence[str],
    scale: str, denominators: pd.DataFrame,
) -> tuple[np.ndarray, list[str]]:
    """Sum of the denominator over the (region, year) pairs each cell covers."""
    check_frame(denominators, "denominators")
    check_columns(denominators, ["region", "year", "value"], "denominators")
    check_columns(kept, ["year"], "rounds")
    if "region" not in by:
        raise FundgapError("scale= needs 'region' among the by columns", argument="by",
                           value=tuple(by), expected="by columns with 'region'")
    den = denominators.assign(
        region=labels_or(denominators["region"], "missing"),
        year=pd.to_numeric(denominators["year"], errors="coerce").astype("Int64"),
    )
    if den.duplicated(["region", "year"]).any():
        raise FundgapError("denominators holds duplicated (region, year) rows",
                           argument="denominators", expected="one row per (region, year)")
    lookup = den.set_index(["region", "year"])["value"].astype("float64")
    region = labels_or(kept["region"], "missing")
    year = pd.to_numeric(kept["year"], errors="coerce").astype("Int64")
    notes: list[str] = []
    # years covered: every year with a round of the region (all stages), or the cell's year
    pairs = pd.DataFrame({"region": region, "year": year}).dropna().drop_duplicates()
    out = np.full(len(keys), np.nan)
    for i, key in keys.iterrows():
        if "year" in by:
            yrs = [key["year"]]
        else:
            yrs = pairs.loc[pairs["region"] == key["region"], "year"].tolist()
        idx = pd.MultiIndex.from_arrays([[key["region"]] * len(yrs), yrs])
        vals = lookup.reindex(idx)
        if vals.isna().any() or len(vals) == 0:
            gaps = [int(y) for y, v in zip(yrs, vals, strict=True) if pd.isna(v)]
            notes.append(f"no {scale} denominator for {key['region']} in {gaps}")
            continue
        out[i] = float(vals.sum())
    return out, notes


@on_one_blas_thread()
def depth(
    rounds: pd.DataFrame,
    *,
    by: Sequence[str] = ("region", "stage_group"),
    measure: str = DEFAULT_MEASURE,
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    large_round: float = 100.0,
    price_base: int | None = DEFAULT_PRICE_BASE,
    deflator: Any = None,
    scale: Literal["gdp", "capita"] | None = None,
    denominators: pd.DataFrame | None = None,
    biotech_only: bool = False,
    stages: Literal["vc", "all"] = "vc",
    regions: Sequence[str] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> DepthResult:
    """Round counts, totals and round-size distribution per cell, with bootstrap CIs.

    Parameters
    ----------
    rounds : DataFrame
        A canonical rounds frame (see :data:`fundgap.schema.ROUND_COLUMNS`).
    by : sequence of str, default ("region", "stage_group")
        Columns defining the cells, any columns of ``rounds`` (e.g. ``("region",
        "modality", "stage_group")`` for the ATMP lens). Missing labels become
        ``"missing"`` (``"unknown"`` for stage and modality columns).
    measure : str, default "amount_eur"
        Money column, in millions: ``amount_eur`` (ECB annual average rate of the
        round's year; the project's convention, :data:`fundgap.schema.DEFAULT_MEASURE`)
        or ``amount_usd``. ``amount`` works when one currency.
    ci : float, default 0.95
        Level of the bootstrap percentile intervals.
    n_boot : int, default 1000
        Bootstrap replicates; 0 gives no intervals. 1,000 is the order Efron
        and Tibshirani (*An Introduction to the Bootstrap*, 1993) recommend for
        percentile intervals; it leaves 25 replicates beyond each 2.5% tail.
    seed : int or Generator, optional
        Seed of the bootstrap; equal seeds give identical intervals.
    large_round : float, default 100.0
        Threshold (millions of the measure's currency) of a large round. EUR/USD
        100m is the common "mega-round" cut-off in industry reports (e.g. HSBC
        Innovation Banking's Venture Healthcare Report counts $100M+ rounds,
        published figure #53; #37 quotes deals over EUR 100m).
    price_base : int or None, default 2024
        Express money in constant prices of this year (the project's convention,
        :data:`fundgap.schema.DEFAULT_PRICE_BASE`); None keeps current prices. Uses
        ``deflator`` (a price index by year: Series, mapping, or frame with
        year/value) or, if None, :func:`fundgap.normalise.deflate` (CPI-U for USD,
        HICP for EUR, 2000-2025). Rounds of a year without an index count as
        undisclosed (``meta["n_without_price_index"]``).
    scale : {None, "gdp", "capita"}
        Add ``total_pct_gdp`` (total / GDP x 100) or ``total_per_capita``
        (total x 1e6 / population, in currency units per person). Needs
        ``denominators``; the denominator of a cell is summed over the years in
        which its region has any round (or the cell's year if ``year`` is in
        ``by``), so the figure is an average annual share.
    denominators : DataFrame, optional
        Columns region, year, value: GDP in millions of the measure's currency
        (and price base), or population in persons.
    biotech_only : bool, default False
        Keep only rows with ``is_biotech`` true (missing counts as not biotech).
    stages : {"vc", "all"}, default "vc"
        "vc" drops the ``non_vc`` stage group (grants, debt, private equity,
        IPO/public, other), which are not venture capital.
    regions : sequence of str, optional
        Keep only these places: region codes, ISO 3166 alpha-2 country codes
        (``"BE"``: the rounds of Belgian companies), groups of ``groups`` and
        ``"EU27_excl_<group or code>"``. Default: every region, plus every group.
    groups : mapping of str to list of str, optional
        Groups of countries, e.g. ``{"coalition": ["BE", "NL", "DK", "SE", "FI",
        "NO"]}``: a group's cells hold its members' rounds (by ``country``), which
        also stay in their own region's cells; ``meta["places"]`` says which members
        have rounds. ``regions``/``groups`` need ``region`` among ``by``.

    Returns
    -------
    DepthResult
        Metrics per cell: ``n_rounds`` (rows), ``n_disclosed`` (rows with a
        positive amount), ``share_unknown_stage`` (share of rows whose stage
        group is unknown or missing, computed over the non-stage ``by`` columns
        and reported with stage labels ``"all"``), ``total``, ``mean``,
        ``median``, ``p25``, ``p75``, ``p90`` (linear interpolation, as
        ``numpy.quantile``), ``share_large`` (share of disclosed capital in
        rounds >= ``large_round``). Amount statistics use disclosed rounds only.

    Raises
    ------
    FundgapError
        Bad arguments; MissingColumnError for absent columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.schema import conform
    >>> synthetic = conform(pd.DataFrame({
    ...     "region": ["EU27"] * 3 + ["US"] * 3,
    ...     "stage": ["series_a"] * 6, "year": 2024,
    ...     "amount_eur": [5.0, 10.0, 120.0, 20.0, 30.0, 250.0]}), "rounds")
    >>> res = depth(synthetic, n_boot=200, seed=1)
    >>> res.wide().loc[("EU27", "early"), ["n_rounds", "median", "share_large"]].round(3).tolist()
    [3.0, 10.0, 0.889]
    """
    check_frame(rounds, "rounds")
    by = (by,) if isinstance(by, str) else tuple(by)
    if not by:
        raise FundgapError("by must name at least one column", argument="by", value=by,
                           expected="one or more columns of rounds, e.g. ('region', 'stage')")
    rounds, places = rows_with_places(rounds, groups, regions, by=by)
    for c in by:
        check_column_argument(rounds, c, "by", "rounds")
    check_column_argument(rounds, measure, "measure", "rounds", MONEY_COLUMNS)
    opts = _Options.checked(ci, n_boot, large_round, scale, denominators, stages, price_base)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    unit = unit_of(rounds, measure)
    meta: dict[str, Any] = {
        "by": list(by), "measure": measure, "unit": unit, "ci": opts.ci, "n_boot": opts.n_boot,
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
        "large_round": opts.large_round,
        "price_base": "current" if price_base is None else price_base,
        "biotech_only": biotech_only, "stages": stages, "n_input": len(rounds),
    }
    kept = _kept_rounds(rounds, by, measure, stages, biotech_only, meta)
    values = _money(kept, measure, price_base, deflator, meta)
    codes, keys = _cells(kept, by)
    rows, replicates = _cell_rows(values, codes, keys, by, opts, unit, rng)
    out = pd.DataFrame(rows)
    if scale is not None:
        out = pd.concat([out, _scaled(out, kept, keys, codes, by, scale=scale,
                                      denominators=denominators, unit=unit, meta=meta)],
                        ignore_index=True)
    out = _finish(pd.concat([out, unknown_share(kept, by)], ignore_index=True), rounds, by,
                  price_base)
    from fundgap.units import describe_unit

    title = (f"Depth of capital by {' x '.join(by)} "
             f"({describe_unit(unit, price_base if price_base is not None else 'current')})")
    place_meta(meta, places)
    res = DepthResult(out, title=title, meta=meta)
    res.replicates = replicates
    return res


#: The money columns of a rounds frame a depth can be measured in.
MONEY_COLUMNS = ("amount_eur", "amount_usd", "amount")


@dataclass(frozen=True)
class _Options:
    """The checked numeric options of a depth run."""

    ci: float
    n_boot: int
    large_round: float

    @classmethod
    def checked(cls, ci: Any, n_boot: Any, large_round: Any, scale: Any, denominators: Any,
                stages: Any, price_base: Any) -> _Options:
        level = check_ci(ci)
        check_choice(scale, [None, "gdp", "capita"], "scale")
        check_choice(stages, ["vc", "all"], "stages")
        if scale is not None and denominators is None:
            raise FundgapError(f"scale={scale!r} needs denominators= (region, year, value)",
                               argument="denominators", value=None,
                               expected="a frame with region, year, value")
        if price_base is not None and not isinstance(price_base, (int, np.integer)):
            raise FundgapError("price_base must be a year or None", argument="price_base",
                               value=price_base, expected="a year such as 2024, or None")
        try:
            boots = int(n_boot)
        except (TypeError, ValueError):
            boots = -1
        if boots < 0 or boots != n_boot:
            raise FundgapError("n_boot must be an integer >= 0", argument="n_boot",
                               value=n_boot, expected="an integer >= 0 (0: no intervals)")
        try:
            large = float(large_round)
        except (TypeError, ValueError):
            raise FundgapError("large_round must be a number", argument="large_round",
                               value=large_round, expected="a number of millions") from None
        return cls(level, boots, large)


def _kept_rounds(rounds: pd.DataFrame, by: tuple[str, ...], measure: str, stages: str,
                 biotech_only: bool, meta: dict[str, Any]) -> pd.DataFrame:
    """The rounds a depth uses (venture only unless ``stages="all"``; biotech only when
    asked), with the columns it reads; the rows dropped counted in ``meta``."""
    keep = np.ones(len(rounds), dtype=bool)
    if stages == "vc" and "stage_group" in rounds.columns:
        nonvc = (rounds["stage_group"].astype("object") == "non_vc").fillna(False)
        keep &= ~nonvc.to_numpy(dtype=bool)
        meta["n_dropped_non_vc"] = int(nonvc.sum())
    if biotech_only:
        check_columns(rounds, ["is_biotech"], "rounds")
        bio = rounds["is_biotech"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        meta["n_dropped_not_biotech"] = int((keep & ~bio).sum())
        keep &= bio
    needed = [c for c in dict.fromkeys([*by, measure, "region", "stage", "stage_group", "year"])
              if c in rounds.columns]
    return rounds.loc[keep, needed].reset_index(drop=True)


def _money(kept: pd.DataFrame, measure: str, price_base: int | None, deflator: Any,
           meta: dict[str, Any]) -> np.ndarray:
    """The amounts, at ``price_base`` prices when one is given."""
    values = pd.to_numeric(kept[measure], errors="coerce").to_numpy(dtype="float64")
    if price_base is None:
        return values
    if "year" not in kept.columns:
        raise FundgapError("price_base needs a 'year' column in rounds", argument="price_base",
                           value=price_base, expected="None (current prices) or rounds with year")
    factor = price_factor(kept["year"], "EUR" if "eur" in measure else "USD", price_base,
                          deflator)
    lost = np.isfinite(values) & ~np.isfinite(factor)
    if lost.any():
        meta["n_without_price_index"] = int(lost.sum())  # counted as undisclosed
    return values * factor


def _cells(kept: pd.DataFrame, by: tuple[str, ...]) -> tuple[np.ndarray, pd.DataFrame]:
    """Each round's cell (in display order) and the cells' labels."""
    codes, keys0 = factorize(kept, by)
    ordered = keys0.sort_values(list(by), key=sort_key, kind="stable")
    code_map = np.empty(len(keys0), dtype=np.int64)
    code_map[ordered.index.to_numpy()] = np.arange(len(keys0))
    return (code_map[codes] if len(codes) else codes), ordered.reset_index(drop=True)


def _cell_rows(values: np.ndarray, codes: np.ndarray, keys: pd.DataFrame, by: tuple[str, ...],
               opts: _Options, unit: str, rng: np.random.Generator
               ) -> tuple[list[dict[str, Any]], dict[tuple[tuple[Any, ...], str], np.ndarray]]:
    """Counts, point estimates and bootstrap intervals of every cell."""
    disclosed = np.isfinite(values) & (values > 0)
    ncell = len(keys)
    n_rounds = np.bincount(codes, minlength=ncell)
    dcodes, dvals = codes[disclosed], values[disclosed]
    order = np.argsort(dvals)  # then a stable (radix) sort on the small integer cell codes
    order = order[np.argsort(dcodes[order], kind="stable")]
    dvals = dvals[order]
    n_disc = np.bincount(dcodes[order], minlength=ncell)
    starts = np.concatenate([[0], np.cumsum(n_disc)[:-1]]).astype(np.int64)
    rows: list[dict[str, Any]] = []
    replicates: dict[tuple[tuple[Any, ...], str], np.ndarray] = {}
    with step(f"bootstrap by {' x '.join(by)}", total=ncell, unit="cell") as bar:
        for i in range(ncell):
            x = dvals[starts[i]: starts[i] + int(n_disc[i])]
            rows += _one_cell({c: keys.at[i, c] for c in by}, x, int(n_rounds[i]), opts, unit,
                              rng, replicates)
            bar.update()
    return rows, replicates


def _one_cell(key: dict[str, Any], x: np.ndarray, n_rounds: int, opts: _Options,
              unit: str, rng: np.random.Generator,
              replicates: dict[tuple[tuple[Any, ...], str], np.ndarray]) -> list[dict[str, Any]]:
    """The rows of one cell (counts, point estimates, intervals); its replicates are kept."""
    n_i = len(x)
    rows = [{**key, "metric": m, "estimate": float(v), "n": int(n_rounds),
             "unit": "count"} for m, v in (("n_rounds", n_rounds), ("n_disclosed", n_i))]
    point = _point(x, opts.large_round)
    boot = _boot(x, opts, rng)
    for m in _AMOUNT_METRICS:
        lo = hi = np.nan
        if m in boot:
            reps = boot[m]
            replicates[(tuple(key.values()), m)] = reps.astype("float32")
            lo, hi = _interval(reps, opts.ci)
        rows.append({**key, "metric": m, "estimate": point[m], "ci_low": lo,
                     "ci_high": hi, "n": n_i, "unit": "share" if m == "share_large" else unit})
    return rows


_AMOUNT_METRICS = ("total", "mean", "median", "p25", "p75", "p90", "share_large")


def _point(x: np.ndarray, large_round: float) -> dict[str, float]:
    """Total, mean, quantiles and the share of capital in large rounds of one cell."""
    if not len(x):
        return dict.fromkeys(("total", "mean", *_QUANTILES, "share_large"), np.nan)
    tot = float(x.sum())
    return {"total": tot, "mean": tot / len(x),
            **dict(zip(_QUANTILES, np.quantile(x, tuple(_QUANTILES.values())).tolist(),
                       strict=True)),
            "share_large": float(x[x >= large_round].sum()) / tot if tot > 0 else np.nan}


def _boot(x: np.ndarray, opts: _Options, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Bootstrap replicates of one cell's metrics (none without rounds or replicates)."""
    if not len(x) or not opts.n_boot:
        return {}
    boot = bootstrap_cell(x, n_boot=opts.n_boot, rng=rng, quantiles=tuple(_QUANTILES.values()),
                          large=opts.large_round)
    return {**boot, **{name: boot[f"q{p:g}"] for name, p in _QUANTILES.items()}}


def _interval(reps: np.ndarray, ci: float) -> tuple[float, float]:
    """Percentile interval of the finite replicates at level ``ci``."""
    reps = reps[np.isfinite(reps)]
    if not len(reps):
        return np.nan, np.nan
    alpha = (1 - ci) / 2
    lo, hi = np.quantile(reps, [alpha, 1 - alpha]).tolist()
    return lo, hi


def _scaled(out: pd.DataFrame, kept: pd.DataFrame, keys: pd.DataFrame, codes: np.ndarray,
            by: tuple[str, ...], *, scale: str, denominators: pd.DataFrame, unit: str,
            meta: dict[str, Any]) -> pd.DataFrame:
    """The totals per unit of GDP (percent) or per person."""
    den, notes = _scale_denominators(kept, keys, codes, by, scale, denominators)
    if notes:
        meta["scale_notes"] = notes
    totals = out.loc[out["metric"] == "total"].reset_index(drop=True)
    factor = 100.0 / den if scale == "gdp" else 1e6 / den
    return totals.assign(
        metric="total_pct_gdp" if scale == "gdp" else "total_per_capita",
        estimate=totals["estimate"] * factor,
        ci_low=totals["ci_low"] * factor,
        ci_high=totals["ci_high"] * factor,
        unit="PCT_GDP" if scale == "gdp" else unit.replace("_M", "") + "_per_person",
    )


def _finish(out: pd.DataFrame, rounds: pd.DataFrame, by: tuple[str, ...],
            price_base: int | None) -> pd.DataFrame:
    """Sort cells and metrics, order the columns, give numeric labels their type back."""
    out["price_base"] = "current" if price_base is None else str(price_base)
    metric_order = {m: i for i, m in enumerate(
        (*DEPTH_METRICS, "total_pct_gdp", "total_per_capita"))}
    out["_m"] = out["metric"].map(metric_order)
    out = out.sort_values([*by, "_m"], kind="stable", key=sort_key).drop(columns="_m")
    out = out[[*by, "metric", "estimate", "ci_low", "ci_high", "n", "unit", "price_base"]]
    out["n"] = out["n"].astype("int64")
    for c in by:  # give numeric cell labels (e.g. year) their type back
        if pd.api.types.is_integer_dtype(rounds[c].dtype) and c not in STAGE_COLUMNS:
            out[c] = pd.to_numeric(out[c].where(out[c] != "missing"), errors="coerce").astype(
                "Int64")
    return out.reset_index(drop=True)
