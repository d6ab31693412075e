"""Fund capacity: the largest round a region's own funds can lead.

The fund-size mechanism of the funding gap. A fund of size ``F`` (committed
capital, millions) may put at most ``max_position * F`` into one company over
its life. Of that per-company allocation it keeps a share ``reserve`` for
follow-on rounds, so its largest single cheque is::

    cheque(F) = max_position * (1 - reserve) * F

A fund *leads* a round when it writes at least ``lead_share`` of it, so the
largest round it can lead alone is::

    lead_capacity(F) = cheque(F) / lead_share
                     = max_position * (1 - reserve) * F / lead_share

With the defaults (15%, no reserve, lead 50%) a EUR 100m fund can lead a
round of at most EUR 30m. ``reserve = 0`` gives the upper bound (the whole
per-company allocation goes into that one round); use ``reserve = 0.5`` for a
fund that holds back as much for follow-ons as it invests up front.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._cells import sort_key
from fundgap.models._common import (
    check_column_argument,
    check_columns,
    check_frame,
    funds_with_places,
    labels_or,
    place_meta,
    price_factor,
    unit_of,
)
from fundgap.models.results import Result
from fundgap.schema import DEFAULT_FUND_SIZE, DEFAULT_PRICE_BASE, STAGE_GROUPS, STAGES

__all__ = ["CapacityResult", "capacity", "lead_capacity"]

#: Default grid of round sizes (millions) for "how many funds can lead a round of X".
DEFAULT_GRID: tuple[float, ...] = (5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0)


class CapacityResult(Result):
    """Result of :func:`capacity`.

    Columns of :meth:`to_frame`: ``region``, ``metric``, ``stage_group``
    (``"all"`` unless the row is about a stage), ``quantile`` (fund-size
    quantile, NaN if none), ``round_size`` (the X of "able to lead a round of
    X", NaN if none), ``estimate``, ``n`` (funds or rounds behind it), ``unit``.

    Metrics: ``n_funds``; ``fund_size`` and ``max_lead_round`` at each
    quantile and at the largest fund (``quantile`` = 1); ``n_funds_can_lead``
    and ``share_funds_can_lead`` for each grid size (and each
    ``round_sizes`` row); with rounds, per stage group,
    ``share_rounds_leadable`` (share of disclosed rounds no larger than the
    largest domestic fund's lead capacity), ``share_capital_leadable``,
    ``share_rounds_leadable_median_fund`` and ``n_rounds``.
    """

    kind = "capacity"

    def _key_table(self) -> pd.DataFrame:
        """Per region: the fund size and the largest round it can lead at each quantile."""
        f = self._frame[self._frame["metric"].isin(["fund_size", "max_lead_round"])]
        if not len(f):
            return self._frame
        out = f.pivot_table(index=["region", "quantile"], columns="metric", values="estimate",
                            aggfunc="first", observed=True).reset_index()
        out.columns = [str(c) for c in out.columns]
        n = self._frame[self._frame["metric"] == "n_funds"].set_index("region")["estimate"]
        out.insert(1, "n_funds", out["region"].map(n).astype("Int64"))
        return out

    def _plot(self, ax: Any = None, *, metric: str | None = None, quantile: float = 0.5,
              **kwargs: Any) -> Any:
        """Bars of one capacity metric (used by :meth:`plot`).

        Default: ``share_rounds_leadable`` by stage when rounds were given, else
        ``max_lead_round`` of the ``quantile`` fund by region.
        """
        from fundgap.report.figures import plot_capacity

        f = self._frame
        if metric is None:
            metric = ("share_rounds_leadable" if (f["metric"] == "share_rounds_leadable").any()
                      else "max_lead_round")
        f = f[f["metric"] == metric]
        if f["quantile"].notna().any():
            f = f[f["quantile"] == quantile]
        if f["round_size"].notna().any():
            raise FundgapError("plot a metric without round sizes, or filter to_frame() first",
                               argument="metric", value=metric,
                               expected=["n_funds", "fund_size", "max_lead_round",
                                         "share_rounds_leadable"])
        kwargs.setdefault("unit", str(f["unit"].iloc[0]) if len(f) else None)
        kwargs.setdefault("title", f"{metric.replace('_', ' ')} ({self.title})")
        return plot_capacity(f, ax, metric=None, **kwargs)

    def wide(self) -> pd.DataFrame:
        """Region x metric table of the quantile metrics (fund size and lead capacity)."""
        f = self._frame[self._frame["metric"].isin(["fund_size", "max_lead_round"])]
        return f.pivot_table(index="region", columns=["metric", "quantile"], values="estimate",
                             aggfunc="first", sort=False)


def lead_capacity(size: Any, *, max_position: float = 0.15, lead_share: float = 0.5,
                  reserve: float = 0.0) -> Any:
    """Largest round a fund of ``size`` can lead: ``max_position*(1-reserve)*size/lead_share``.

    Examples
    --------
    >>> lead_capacity(100.0)
    30.0
    >>> lead_capacity(100.0, reserve=0.5)
    15.0
    """
    _check_params(max_position, lead_share, reserve)
    return max_position * (1.0 - reserve) * size / lead_share


def _check_params(max_position: float, lead_share: float, reserve: float) -> None:
    for name, value, ok, bounds in (
            ("max_position", max_position, lambda v: 0 < v <= 1, "(0, 1]"),
            ("lead_share", lead_share, lambda v: 0 < v <= 1, "(0, 1]"),
            ("reserve", reserve, lambda v: 0 <= v < 1, "[0, 1)")):
        try:
            good = bool(ok(float(value)))
        except (TypeError, ValueError):
            good = False
        if not good:
            raise FundgapError(f"{name} must be in {bounds}", argument=name, value=value,
                               expected=f"a number in {bounds}")


def capacity(
    funds: pd.DataFrame,
    *,
    rounds: pd.DataFrame | None = None,
    round_sizes: pd.DataFrame | None = None,
    max_position: float = 0.15,
    lead_share: float = 0.5,
    reserve: float = 0.0,
    quantiles: Sequence[float] = (0.5, 0.75, 0.9),
    region_col: str | None = "region",
    size_col: str = DEFAULT_FUND_SIZE,
    price_base: int | None = DEFAULT_PRICE_BASE,
    grid: Sequence[float] = DEFAULT_GRID,
    fund_types: Sequence[str] | None = ("vc", "growth"),
    vintages: tuple[int, int] | None = None,
    life_science_only: bool = False,
    stage_col: str = "stage_group",
    groups: Mapping[str, Sequence[str]] | None = None,
) -> CapacityResult:
    """How large a round a region's own funds can lead, and how many can.

    Parameters
    ----------
    funds : DataFrame
        Canonical funds frame (one row per fund; ``size_col`` in millions).
    rounds : DataFrame, optional
        Canonical rounds: gives, per region x stage, the share of rounds
        (and of capital) the region's own funds could lead alone. Rounds are
        matched to funds of the same region (domestic funds).
    round_sizes : DataFrame, optional
        Reference round sizes, e.g. published median round size by stage:
        columns ``stage_group`` and ``size`` (same currency as ``size_col``),
        optional ``region`` (then matched to that region's funds only) and
        ``label``. Gives ``n_funds_can_lead`` for each.
    max_position : float, default 0.15
        Largest share of a fund's committed capital that may go into one
        company over the fund's life. Limited partnership agreements commonly
        cap single-company exposure at 10-20% of commitments: a model LPA
        clause reads "not invest more than 20% of its aggregate Capital
        Commitments in any single Portfolio Company" (fundamentals.law,
        "Investment Fund Key Terms, Part 10",
        https://www.fundamentals.law/p/investment-fund-key-terms-part-10), and the sample key
        terms in
        Ramsinghani, *The Business of Venture Capital* (2nd ed., Wiley 2014,
        Table 13.1, https://www.oreilly.com/library/view/the-business-of/9781118926611/c13.xhtml)
        cap it at 10% of the fund. 15% is the middle of that
        range: a convention, not a measured average.
    lead_share : float, default 0.5
        Share of a round the lead investor writes. A convention (leads
        usually take the largest single ticket, often about half of the
        round); there is no published average we can cite. Lower values
        (e.g. 0.3) raise capacity proportionally.
    reserve : float, default 0.0
        Follow-on reserve ratio: the share of the per-company allocation
        ``max_position * F`` held back for later rounds, so the first cheque
        is ``max_position * F * (1 - reserve)``. 0 gives the upper bound of
        what a fund could lead (the gap measured is then a lower bound);
        practitioners often reserve around half, which halves capacity.
    quantiles : sequence of float, default (0.5, 0.75, 0.9)
        Fund-size quantiles reported (the median, P75, P90 fund; linear
        interpolation). Capacity is linear in F, so the capacity of the q-th
        fund is the q-th quantile of capacity.
    region_col : str or None, default "region"
        Region column of ``funds`` and ``rounds``. None pools every fund (and
        round) into one region labelled ``"all"``, e.g. for fund lists without
        manager country.
    size_col : str, default "size_eur"
        Fund size column (millions); the project's convention
        (:data:`fundgap.schema.DEFAULT_FUND_SIZE`). The rounds are read in the same
        currency (``amount_eur`` for EUR sizes, ``amount_usd`` for USD).
    price_base : int or None, default 2024
        Put fund sizes (by their ``vintage``) and rounds (by their ``year``) at
        constant prices of this year (:func:`fundgap.normalise.deflate`: euro-area HICP
        for EUR, US CPI-U for USD, 2000-2025); funds and rounds of a year without an
        index are left out and counted in ``meta``. None keeps current prices.
        ``round_sizes`` and ``grid`` are read at these prices.
    grid : sequence of float
        Round sizes X (millions) for ``n_funds_can_lead``.
    fund_types : sequence of str or None, default ("vc", "growth")
        Fund types kept; PE buyout funds do not lead venture rounds.
    vintages : tuple (first, last), optional
        Keep funds with a vintage in this range, e.g. the funds still
        investing (a venture fund invests over roughly its first five years).
    life_science_only : bool, default False
        Keep funds with ``life_science_focus`` true.
    stage_col : str, default "stage_group"
    groups : mapping of str to list of str, optional
        Groups of countries, reported beside the regions: a group's funds are its
        members' funds (by the manager's ``country``) and its rounds its members'
        rounds, so "domestic" means "in a member country". A country code, a group
        or ``"EU27_excl_<name>"`` may also stand in ``round_sizes["region"]``. For a
        country's own rows, add them first: ``capacity(add_places(funds, ["BE"]),
        rounds=add_places(rounds, ["BE"]))`` (:func:`fundgap.normalise.add_places`).
        Needs ``region_col="region"``.

    Returns
    -------
    CapacityResult

    Examples
    --------
    >>> import pandas as pd
    >>> synthetic = pd.DataFrame({"region": ["EU27"] * 3 + ["US"] * 3,
    ...                           "size_eur": [50.0, 100.0, 200.0, 150.0, 300.0, 600.0]})
    >>> res = capacity(synthetic, fund_types=None, quantiles=(0.5,), grid=(30.0,),
    ...                price_base=None)
    >>> res.wide()[("max_lead_round", 0.5)].tolist()
    [30.0, 90.0]
    >>> f = res.to_frame()
    >>> f.loc[f["metric"] == "n_funds_can_lead", ["region", "estimate"]].values.tolist()
    [['EU27', 2.0], ['US', 3.0]]
    """
    check_frame(funds, "funds")
    funds, rounds, places = funds_with_places(funds, rounds, groups, round_sizes, region_col)
    if region_col is None:  # one pool: every fund (and every round) in region "all"
        funds = funds.assign(_pool="all")
        rounds = None if rounds is None else rounds.assign(_pool="all")
        region_col = "_pool"
    check_columns(funds, [region_col], "funds")
    check_column_argument(funds, size_col, "size_col", "funds", SIZE_COLUMNS)
    _check_params(max_position, lead_share, reserve)
    qs = tuple(float(q) for q in quantiles)
    if any(not 0 <= q <= 1 for q in qs):
        raise FundgapError("quantiles must lie in [0, 1]", argument="quantiles", value=qs,
                           expected="numbers in [0, 1]")
    unit = unit_of(funds, size_col)
    factor = max_position * (1.0 - reserve) / lead_share
    meta: dict[str, Any] = {
        "max_position": max_position, "lead_share": lead_share, "reserve": reserve,
        "lead_capacity": "max_position * (1 - reserve) * F / lead_share",
        "size_col": size_col, "unit": unit, "n_funds_input": len(funds),
        "price_base": "current" if price_base is None else price_base,
    }
    sizes = _fund_sizes(funds, region_col, size_col,
                        _FundFilter(fund_types, vintages, life_science_only), price_base, meta)
    rows = _fund_rows(sizes, qs, grid, factor, unit)
    if round_sizes is not None:
        rows += _reference_rows(round_sizes, sizes, factor)
    if rounds is not None:
        rows += _round_rows(rounds, region_col, stage_col, sizes, factor=factor, unit=unit,
                            price_base=price_base, meta=meta)
    cols = ["region", "metric", "stage_group", "quantile", "round_size", "estimate", "n", "unit",
            "label"]
    out = pd.DataFrame(rows, columns=cols)
    if out["label"].isna().all():
        out = out.drop(columns="label")
    title = (f"Lead capacity of domestic funds ({size_col}; max position {max_position:g}, "
             f"reserve {reserve:g}, lead share {lead_share:g})")
    place_meta(meta, places)
    return CapacityResult(out, title=title, meta=meta)


#: The fund-size columns a capacity can be measured in.
SIZE_COLUMNS = ("size_eur", "size_usd", "size")


@dataclass(frozen=True)
class _FundFilter:
    """Which funds lead venture rounds: types, vintages, life-science focus."""

    fund_types: Sequence[str] | None
    vintages: tuple[int, int] | None
    life_science_only: bool

    def keep(self, funds: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(funds), dtype=bool)
        if self.fund_types is not None and "fund_type" in funds.columns:
            ft = funds["fund_type"].astype("object")
            keep &= ft.isin(list(self.fund_types)).fillna(False).to_numpy(dtype=bool)
        if self.vintages is not None:
            check_columns(funds, ["vintage"], "funds")
            v = pd.to_numeric(funds["vintage"], errors="coerce")
            keep &= ((v >= self.vintages[0]) & (v <= self.vintages[1])).fillna(False).to_numpy(
                dtype=bool)
        if self.life_science_only:
            check_columns(funds, ["life_science_focus"], "funds")
            keep &= funds["life_science_focus"].astype("boolean").fillna(False).to_numpy(
                dtype=bool)
        return keep


def _fund_sizes(funds: pd.DataFrame, region_col: str, size_col: str, which: _FundFilter,
                price_base: int | None, meta: dict[str, Any]) -> dict[str, np.ndarray]:
    """Sorted fund sizes by region (display order), at ``price_base`` prices."""
    keep = which.keep(funds)
    size = pd.to_numeric(funds[size_col], errors="coerce").to_numpy(dtype="float64")
    if price_base is not None:
        if "vintage" not in funds.columns:
            raise FundgapError("price_base needs the funds' vintage", argument="price_base",
                               value=price_base, expected="None (current prices) or funds "
                                                          "with vintage")
        factor = price_factor(funds["vintage"], _currency(size_col), price_base)
        lost = keep & np.isfinite(size) & (size > 0) & ~np.isfinite(factor)
        meta["n_funds_without_price_index"] = int(lost.sum())
        size = size * factor
    region = labels_or(funds[region_col], "missing").to_numpy()
    has = np.isfinite(size) & (size > 0) & (region != "missing")
    meta["n_funds_dropped_filters"] = int((~keep).sum())
    meta["n_funds_dropped_no_size_or_region"] = int((keep & ~has).sum())
    keep &= has
    size, region = size[keep], region[keep]
    if len(size) == 0:
        raise FundgapError(
            f"no fund left with a positive {size_col} and a region (of {len(funds)}; "
            f"{meta['n_funds_dropped_filters']} dropped by fund_types/vintages/life_science_only)"
            "; funds without a region (e.g. CrunchBase 2013 funds) can be pooled with "
            "region_col=None", argument="funds", value=len(funds),
            expected="funds with a positive size and a region")
    order = sort_key(pd.Series(pd.unique(region), name="region")).sort_values(kind="stable")
    regions = pd.unique(region)[order.index.to_numpy()]
    return {r: np.sort(size[region == r]) for r in regions}


def _currency(column: str) -> str:
    return "USD" if "usd" in column else "EUR"


def _row(reg: str, metric: str, estimate: float, n: int, unit: str, *, stage: str = "all",
         q: float = np.nan, x: float = np.nan, label: Any = None) -> dict[str, Any]:
    return {"region": reg, "metric": metric, "stage_group": stage, "quantile": q,
            "round_size": x, "estimate": float(estimate), "n": int(n), "unit": unit,
            "label": label}


def _fund_rows(sizes: dict[str, np.ndarray], qs: tuple[float, ...], grid: Sequence[float],
               factor: float, unit: str) -> list[dict[str, Any]]:
    """Per region: fund count, size and lead capacity at each quantile, and the grid."""
    rows = []
    for r, s in sizes.items():
        n = len(s)
        rows.append(_row(r, "n_funds", n, n, "count"))
        for q in (*qs, 1.0):
            fs = float(np.quantile(s, q))
            rows += [_row(r, "fund_size", fs, n, unit, q=q),
                     _row(r, "max_lead_round", fs * factor, n, unit, q=q)]
        for x in grid:
            k = int((s * factor >= x).sum())
            rows += [_row(r, "n_funds_can_lead", k, n, "count", x=float(x)),
                     _row(r, "share_funds_can_lead", k / n, n, "share", x=float(x))]
    return rows


def _reference_rows(round_sizes: pd.DataFrame, sizes: dict[str, np.ndarray],
                    factor: float) -> list[dict[str, Any]]:
    """How many funds can lead each reference round (of its region, or of every region)."""
    check_frame(round_sizes, "round_sizes")
    check_columns(round_sizes, ["stage_group", "size"], "round_sizes")
    rows = []
    for _, ref in round_sizes.iterrows():  # a handful of reference rows
        x = float(ref["size"])
        targets = [ref["region"]] if "region" in round_sizes.columns and pd.notna(
            ref.get("region")) else list(sizes)
        stage, label = str(ref["stage_group"]), ref.get("label")
        for r in targets:
            s = sizes.get(r, np.array([]))
            k = int((s * factor >= x).sum())
            rows += [_row(r, "n_funds_can_lead", k, len(s), "count", stage=stage, x=x,
                          label=label),
                     _row(r, "share_funds_can_lead", k / len(s) if len(s) else np.nan, len(s),
                          "share", stage=stage, x=x, label=label)]
    return rows


def _round_rows(rounds: pd.DataFrame, region_col: str, stage_col: str,
                sizes: dict[str, np.ndarray], *, factor: float, unit: str,
                price_base: int | None, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Per region and stage: the share of domestic rounds (and capital) its funds can lead."""
    check_frame(rounds, "rounds")
    measure = "amount_usd" if unit.startswith("USD") else "amount_eur"
    check_columns(rounds, [region_col, stage_col, measure], "rounds")
    amt = pd.to_numeric(rounds[measure], errors="coerce").to_numpy(dtype="float64")
    if price_base is not None:
        check_columns(rounds, ["year"], "rounds")
        amt = amt * price_factor(rounds["year"], _currency(measure), price_base)
    rreg = labels_or(rounds[region_col], "missing").to_numpy()
    rstage = labels_or(rounds[stage_col], "unknown").to_numpy()
    ok = np.isfinite(amt) & (amt > 0)
    if stage_col == "stage_group":
        ok &= rstage != "non_vc"
    amt, rreg, rstage = amt[ok], rreg[ok], rstage[ok]
    meta["rounds_measure"] = measure
    order = list(STAGE_GROUPS if stage_col == "stage_group" else STAGES)
    present = [g for g in order if g in set(rstage)] + sorted(set(rstage) - set(order))
    rows = []
    for r, s in sizes.items():
        top, med = float(s[-1] * factor), float(np.quantile(s, 0.5) * factor)
        for g in ["all", *present]:
            x = amt[(rreg == r) if g == "all" else (rreg == r) & (rstage == g)]
            if len(x) == 0:
                continue
            rows += [_row(r, "n_rounds", len(x), len(x), "count", stage=g),
                     _row(r, "share_rounds_leadable", (x <= top).mean(), len(x), "share",
                          stage=g),
                     _row(r, "share_capital_leadable", x[x <= top].sum() / x.sum(), len(x),
                          "share", stage=g),
                     _row(r, "share_rounds_leadable_median_fund", (x <= med).mean(), len(x),
                          "share", stage=g)]
    meta["rounds_without_domestic_funds"] = int((~np.isin(rreg, list(sizes))).sum())
    return rows
