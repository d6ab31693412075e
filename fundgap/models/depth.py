"""Depth of capital: round-size statistics by region x stage with bootstrap intervals.

:func:`depth` answers "how many rounds, how much money, how large is a typical
round and how much of the money sits in very large rounds", per cell of
``by`` (region x stage group by default), with seeded, vectorised bootstrap
confidence intervals (see :mod:`fundgap.models._bootstrap`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._bootstrap import bootstrap_cell
from fundgap.models._common import (
    as_str,
    check_choice,
    check_ci,
    check_frame,
    place_meta,
    require_columns,
    rows_with_places,
    unit_of,
)
from fundgap.models.results import Result
from fundgap.schema import MODALITIES

__all__ = ["DepthResult", "depth"]

STAGE_COLUMNS = ("stage", "stage_group")
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
    replicates: dict = {}

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
            raise FundgapError("relative() needs 'region' among the by columns", value=by)
        f = self._frame[self._frame["metric"] == metric]
        if len(f) == 0:
            raise FundgapError("unknown metric", column="metric", value=metric,
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


def _deflation_factor(rounds: pd.DataFrame, measure: str, price_base: int,
                      deflator: Any) -> np.ndarray:
    if "year" not in rounds.columns:
        raise FundgapError("price_base needs a 'year' column in rounds", column="year")
    year = pd.to_numeric(rounds["year"], errors="coerce").astype("float64").to_numpy()
    if deflator is None:
        try:
            from fundgap.normalise import deflate
        except ImportError as exc:  # pragma: no cover - normalise always ships
            raise FundgapError("price_base needs fundgap.normalise.deflate or deflator=") from exc
        currency = "EUR" if "eur" in measure else "USD"
        try:
            ones = pd.Series(np.ones(len(rounds)))
            return np.asarray(deflate(ones, pd.Series(year), currency=currency,
                                      base_year=int(price_base)), dtype="float64")
        except NotImplementedError as exc:
            raise FundgapError("fundgap.normalise.deflate is not available; pass deflator= "
                               "(a price index by year)") from exc
    if isinstance(deflator, pd.DataFrame):
        require_columns(deflator, ["year", "value"], "deflator")
        index = pd.Series(deflator["value"].to_numpy(dtype="float64"),
                          index=pd.to_numeric(deflator["year"]).astype("int64").to_numpy())
    elif isinstance(deflator, Mapping):
        index = pd.Series(dict(deflator), dtype="float64")
    else:
        index = pd.Series(deflator, dtype="float64")
    index.index = index.index.astype("int64")
    if int(price_base) not in index.index:
        raise FundgapError("deflator has no value for the price base year", column="year",
                           value=price_base, expected=sorted(index.index.tolist()))
    years = pd.unique(year[~np.isnan(year)]).astype("int64")
    absent = sorted(set(years.tolist()) - set(index.index.tolist()))
    if absent:
        raise FundgapError("deflator lacks years present in rounds", column="year",
                           value=absent[:10], expected=sorted(index.index.tolist()))
    base = index.loc[int(price_base)]
    factor = pd.Series(year).map(base / index).to_numpy(dtype="float64")
    return factor


def _scale_denominators(
    kept: pd.DataFrame, keys: pd.DataFrame, codes: np.ndarray, by: Sequence[str],
    scale: str, denominators: pd.DataFrame,
) -> tuple[np.ndarray, list[str]]:
    """Sum of the denominator over the (region, year) pairs each cell covers."""
    check_frame(denominators, "denominators")
    require_columns(denominators, ["region", "year", "value"], "denominators")
    require_columns(kept, ["year"], "rounds")
    if "region" not in by:
        raise FundgapError("scale= needs 'region' among the by columns", value=tuple(by))
    den = denominators.assign(
        region=as_str(denominators["region"], "missing"),
        year=pd.to_numeric(denominators["year"], errors="coerce").astype("Int64"),
    )
    if den.duplicated(["region", "year"]).any():
        raise FundgapError("denominators holds duplicated (region, year) rows",
                           column="region")
    lookup = den.set_index(["region", "year"])["value"].astype("float64")
    region = as_str(kept["region"], "missing")
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
            gaps = [int(y) for y, v in zip(yrs, vals) if pd.isna(v)]
            notes.append(f"no {scale} denominator for {key['region']} in {gaps}")
            continue
        out[i] = float(vals.sum())
    return out, notes


def depth(
    rounds: pd.DataFrame,
    *,
    by: Sequence[str] = ("region", "stage_group"),
    measure: str = "amount_eur",
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    large_round: float = 100.0,
    price_base: int | None = None,
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
        round's year) or ``amount_usd``. ``amount`` works when one currency.
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
    price_base : int, optional
        Express money in constant prices of this year. Uses ``deflator`` (a
        price index by year: Series, mapping, or frame with year/value) or, if
        None, :func:`fundgap.normalise.deflate` (CPI-U for USD, HICP for EUR).
        Rounds of a year without an index count as undisclosed
        (``meta["n_without_price_index"]``).
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
    ...     "stage": ["series_a"] * 6,
    ...     "amount_eur": [5.0, 10.0, 120.0, 20.0, 30.0, 250.0]}), "rounds")
    >>> res = depth(synthetic, n_boot=200, seed=1)
    >>> res.wide().loc[("EU27", "early"), ["n_rounds", "median", "share_large"]].round(3).tolist()
    [3.0, 10.0, 0.889]
    """
    check_frame(rounds, "rounds")
    by = (by,) if isinstance(by, str) else tuple(by)
    if not by:
        raise FundgapError("by must name at least one column", value=by)
    rounds, places = rows_with_places(rounds, groups, regions, by=by)
    require_columns(rounds, [*by, measure], "rounds")
    ci = check_ci(ci)
    check_choice(scale, [None, "gdp", "capita"], "scale")
    check_choice(stages, ["vc", "all"], "stages")
    if scale is not None and denominators is None:
        raise FundgapError(f"scale={scale!r} needs denominators= (region, year, value)")
    try:
        n_boot = int(n_boot)
        large_round = float(large_round)
    except (TypeError, ValueError):
        raise FundgapError("n_boot must be an integer and large_round a number") from None
    if n_boot < 0:
        raise FundgapError("n_boot must be >= 0", value=n_boot)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    unit = unit_of(rounds, measure)
    meta: dict[str, Any] = {
        "by": list(by), "measure": measure, "unit": unit, "ci": ci, "n_boot": n_boot,
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
        "large_round": large_round, "price_base": "current" if price_base is None else price_base,
        "biotech_only": biotech_only, "stages": stages, "n_input": len(rounds),
    }

    keep = np.ones(len(rounds), dtype=bool)
    if stages == "vc" and "stage_group" in rounds.columns:
        nonvc = (rounds["stage_group"].astype("object") == "non_vc").fillna(False)
        keep &= ~nonvc.to_numpy(dtype=bool)
        meta["n_dropped_non_vc"] = int(nonvc.sum())
    if biotech_only:
        require_columns(rounds, ["is_biotech"], "rounds")
        bio = rounds["is_biotech"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        meta["n_dropped_not_biotech"] = int((keep & ~bio).sum())
        keep &= bio
    needed = [c for c in dict.fromkeys([*by, measure, "region", "stage", "stage_group", "year"])
              if c in rounds.columns]
    kept = rounds.loc[keep, needed].reset_index(drop=True)

    values = pd.to_numeric(kept[measure], errors="coerce").to_numpy(dtype="float64")
    if price_base is not None:
        factor = _deflation_factor(kept, measure, price_base, deflator)
        lost = np.isfinite(values) & ~np.isfinite(factor)
        if lost.any():
            meta["n_without_price_index"] = int(lost.sum())  # counted as undisclosed
        values = values * factor
    disclosed = np.isfinite(values) & (values > 0)

    codes, keys0 = _factorize(kept, by)
    ordered = keys0.sort_values(list(by), key=_sort_key, kind="stable")
    code_map = np.empty(len(keys0), dtype=np.int64)
    code_map[ordered.index.to_numpy()] = np.arange(len(keys0))
    codes = code_map[codes] if len(codes) else codes
    keys = ordered.reset_index(drop=True)
    ncell = len(keys)

    n_rounds = np.bincount(codes, minlength=ncell)
    dcodes = codes[disclosed]
    dvals = values[disclosed]
    order = np.argsort(dvals)  # then a stable (radix) sort on the small integer cell codes
    order = order[np.argsort(dcodes[order], kind="stable")]
    dvals = dvals[order]
    dcodes = dcodes[order]
    n_disc = np.bincount(dcodes, minlength=ncell)
    starts = np.concatenate([[0], np.cumsum(n_disc)[:-1]]).astype(np.int64)

    alpha = (1 - ci) / 2
    rows: list[dict[str, Any]] = []
    replicates: dict[tuple[tuple[Any, ...], str], np.ndarray] = {}
    qnames = list(_QUANTILES)
    qprobs = tuple(_QUANTILES.values())
    for i in range(ncell):
        key = {c: keys.at[i, c] for c in by}
        n_i = int(n_disc[i])
        x = dvals[starts[i]: starts[i] + n_i]
        rows.append({**key, "metric": "n_rounds", "estimate": float(n_rounds[i]),
                     "n": int(n_rounds[i]), "unit": "count"})
        rows.append({**key, "metric": "n_disclosed", "estimate": float(n_i),
                     "n": int(n_rounds[i]), "unit": "count"})
        if n_i:
            tot = float(x.sum())
            point = {"total": tot, "mean": tot / n_i,
                     **dict(zip(qnames, np.quantile(x, qprobs).tolist())),
                     "share_large": float(x[x >= large_round].sum()) / tot if tot > 0 else np.nan}
        else:
            point = {m: np.nan for m in ("total", "mean", *qnames, "share_large")}
        if n_i and n_boot:
            boot = bootstrap_cell(x, n_boot=n_boot, rng=rng, quantiles=qprobs, large=large_round)
            boot = {**boot, **{name: boot[f"q{p:g}"] for name, p in _QUANTILES.items()}}
        else:
            boot = {}
        for m in ("total", "mean", "median", "p25", "p75", "p90", "share_large"):
            lo = hi = np.nan
            if m in boot:
                reps = boot[m]
                replicates[(tuple(key[c] for c in by), m)] = reps.astype("float32")
                reps = reps[np.isfinite(reps)]
                if len(reps):
                    lo, hi = np.quantile(reps, [alpha, 1 - alpha]).tolist()
            rows.append({**key, "metric": m, "estimate": point[m], "ci_low": lo,
                         "ci_high": hi, "n": n_i, "unit": "share" if m == "share_large" else unit})

    out = pd.DataFrame(rows)
    if scale is not None:
        den, notes = _scale_denominators(kept, keys, codes, by, scale, denominators)
        if notes:
            meta["scale_notes"] = notes
        totals = out.loc[out["metric"] == "total"].reset_index(drop=True)
        factor = 100.0 / den if scale == "gdp" else 1e6 / den
        scaled = totals.assign(
            metric="total_pct_gdp" if scale == "gdp" else "total_per_capita",
            estimate=totals["estimate"] * factor,
            ci_low=totals["ci_low"] * factor,
            ci_high=totals["ci_high"] * factor,
            unit="PCT_GDP" if scale == "gdp" else unit.replace("_M", "") + "_per_person",
        )
        out = pd.concat([out, scaled], ignore_index=True)

    out = pd.concat([out, _unknown_share(kept, by)], ignore_index=True)
    out["price_base"] = "current" if price_base is None else str(price_base)
    metric_order = {m: i for i, m in enumerate(
        (*DEPTH_METRICS, "total_pct_gdp", "total_per_capita"))}
    out["_m"] = out["metric"].map(metric_order)
    out = out.sort_values([*by, "_m"], kind="stable", key=_sort_key).drop(columns="_m")
    out = out[[*by, "metric", "estimate", "ci_low", "ci_high", "n", "unit", "price_base"]]
    out["n"] = out["n"].astype("int64")
    for c in by:  # give numeric cell labels (e.g. year) their type back
        if pd.api.types.is_integer_dtype(rounds[c].dtype) and c not in STAGE_COLUMNS:
            out[c] = pd.to_numeric(out[c].where(out[c] != "missing"), errors="coerce").astype(
                "Int64")
    from fundgap.units import describe_unit

    title = (f"Depth of capital by {' x '.join(by)} "
             f"({describe_unit(unit, price_base if price_base is not None else 'current')})")
    place_meta(meta, places)
    res = DepthResult(out.reset_index(drop=True), title=title, meta=meta)
    res.replicates = replicates
    return res


_ORDER = {
    "region": ("EU27", "UK", "OTHER_EUROPE", "US", "CN", "HK", "ROW", "EUROPE", "EU28",
               "ASIA", "WORLD"),
    "stage_group": ("all", "seed", "early", "later", "unknown", "non_vc"),
    "modality": MODALITIES,
}


def _rank(col: str, values: pd.Series) -> pd.Series:
    from fundgap.schema import STAGES

    order = _ORDER.get(col) or (("all", *STAGES) if col == "stage" else None)
    if order is None:
        return values
    pos = {v: i for i, v in enumerate(order)}
    return values.map(lambda v: pos.get(v, len(pos)))  # small key table only


def _sort_key(values: pd.Series) -> pd.Series:
    if values.name in _ORDER or values.name == "stage":
        return _rank(str(values.name), values.astype("object"))
    return values.astype("object").map(str) if values.dtype == object else values


def _factorize(frame: pd.DataFrame, cols: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group id of every row over ``cols`` and the table of labels of each id.

    Works on category codes / factorized values (no per-row Python); a missing label
    becomes ``"unknown"`` for stage columns and ``"missing"`` otherwise (merged with an
    existing level of that name).
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    level_labels = []
    for c in cols:
        s = frame[c]
        missing = "unknown" if c in STAGE_COLUMNS or c == "modality" else "missing"
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes = s.cat.codes.to_numpy().astype(np.int64)
            levels = list(s.cat.categories.astype(object))
        else:
            codes, uniq = pd.factorize(s, use_na_sentinel=True)
            codes = codes.astype(np.int64)
            levels = list(pd.Index(uniq).astype(object))
        if missing in levels:
            na_code = levels.index(missing)
        else:
            levels.append(missing)
            na_code = len(levels) - 1
        codes = np.where(codes < 0, na_code, codes)
        combined = combined * len(levels) + codes
        level_labels.append(np.array(levels, dtype=object))
    uniq, inverse = np.unique(combined, return_inverse=True)
    keys = {}
    rem = uniq.copy()
    for c, levels in reversed(list(zip(cols, level_labels))):
        keys[c] = levels[rem % len(levels)]
        rem //= len(levels)
    table = pd.DataFrame({c: pd.Series(keys[c], dtype=object) for c in cols})
    return inverse.reshape(-1).astype(np.int64), table


def _unknown_share(kept: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Share of rows in unknown stages per cell of the non-stage by columns."""
    if "stage_group" in kept.columns:
        grp = kept["stage_group"]
        unknown = (grp.isna() | (grp == "unknown")).to_numpy(dtype=bool)
    elif "stage" in kept.columns:
        st = kept["stage"]
        unknown = (st.isna() | (st == "venture_unknown")).to_numpy(dtype=bool)
    else:
        return pd.DataFrame()
    rest = [c for c in by if c not in STAGE_COLUMNS]
    if rest:
        codes, g = _factorize(kept, rest)
        size = np.bincount(codes, minlength=len(g))
        share = np.bincount(codes, weights=unknown.astype("float64"), minlength=len(g))
        g = g.assign(estimate=share / np.maximum(size, 1), n=size)
    else:
        g = pd.DataFrame({"estimate": [float(unknown.mean()) if len(unknown) else np.nan],
                          "n": [len(unknown)]})
    out = g
    for c in by:
        if c in STAGE_COLUMNS:
            out[c] = "all"
    out["metric"] = "share_unknown_stage"
    out["unit"] = "share"
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    return out
