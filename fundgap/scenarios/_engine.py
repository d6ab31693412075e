"""The projection's arithmetic, for all simulations at once.

:func:`simulate` takes a :class:`Plan` (everything fixed before any draw: start
capital, path, allocation, fund-size distributions, lever rules) and one set of
:class:`~fundgap.scenarios.montecarlo.Draws`, and yields every output series as an
``(n, T)`` array (``n`` draws, ``T`` years), in a fixed order: the multiplier, the
capital of every region x stage, the ratios and gaps, then the fund capacity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from fundgap.scenarios.baseline import Baseline
from fundgap.scenarios.montecarlo import Draws
from fundgap.scenarios.specs import FUND_QUANTILES, FundSpec

__all__ = ["FundSetup", "Key", "Plan", "simulate"]

Key = tuple[str, str, str, str]  # region, stage_group, variable, unit


@dataclass(frozen=True, eq=False)
class FundSetup:
    """A region's fund-size distribution as the projection uses it."""

    sizes: np.ndarray  # sorted fund sizes
    logq: np.ndarray  # log of the FUND_QUANTILES points
    n0: float  # funds in the start year
    sd: float  # Monte Carlo: sd of the log level of fund sizes
    disp: float  # Monte Carlo: sd of the log factor on their spread


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a projection fixes before drawing: regions, capital, path, fund rules."""

    baseline: Baseline
    regions: list[str]  # the scaled region first, then the counterfactual regions
    stages: list[str]
    comps: list[str]
    base: str
    capital0: np.ndarray  # (R, S) start-year capital
    path: np.ndarray  # (T,) multipliers of the scaled region
    growth_years: np.ndarray  # (T,) years of growth noise (the path's years, then held)
    alloc: np.ndarray | None  # (S,) shares of the new capital by stage, or None: pro rata
    size_share: float  # share of the scaled region's growth going into fund size
    fund: FundSpec
    funds: dict[str, FundSetup]  # regions with a fund-size distribution, in region order

    @property
    def fund_regions(self) -> list[str]:
        """The regions with a fund-size distribution."""
        return list(self.funds)


def simulate(plan: Plan, d: Draws) -> Iterator[tuple[Key, np.ndarray]]:
    """Yield every output series, computed for all draws at once; each array is (n, T)."""
    m_sim = plan.path[None, :] * np.exp(d.eps[:, None] * plan.growth_years[None, :])  # (n, T)
    capital, stage_names = _capital(plan, d, m_sim)
    yield (plan.regions[0], "all", "multiplier", "x"), m_sim
    unit = plan.baseline.unit
    for i, r in enumerate(plan.regions):
        for k, s in enumerate(stage_names):
            yield (r, s, "capital", unit), capital[i, k]
    yield from _ratios(plan, capital, stage_names)
    for f_i, r in enumerate(plan.fund_regions):
        yield from _fund_capacity(plan, d, capital, m_sim, f_i, r)


def _capital(plan: Plan, d: Draws, m_sim: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Capital[region, stage] as contiguous (n, T) blocks; the last stage slot holds "all"."""
    c0 = plan.capital0
    n, t_len = m_sim.shape
    r_len, s_len = c0.shape
    out = np.empty((r_len, s_len + 1 if s_len > 1 else s_len, n, t_len))
    # the scaled region: its growth deviates by eps a year while the path runs, then holds
    if plan.alloc is None:
        out[0, :s_len] = c0[0][:, None, None] * m_sim[None]
    else:
        new = ((m_sim - 1.0) * c0[0].sum())[None] * plan.alloc[:, None, None]
        out[0, :s_len] = np.maximum(c0[0][:, None, None] + new, 0.0)
    t = np.arange(t_len, dtype="float64")
    out[1:, :s_len] = c0[1:, :, None, None] * np.exp(d.slope[..., None] * t + d.noise)
    stage_names = list(plan.stages)
    if s_len > 1:
        out[:, s_len] = out[:, :s_len].sum(axis=1)
        stage_names.append("all")
    return out, stage_names


def _ratios(plan: Plan, capital: np.ndarray, stage_names: list[str]
            ) -> Iterator[tuple[Key, np.ndarray]]:
    """Ratios and gaps: the scaled region against every counterfactual region, and every
    other counterfactual region against the base (O(regions), not O(regions^2))."""
    regions, unit = plan.regions, plan.baseline.unit
    pairs = [(0, c) for c in plan.comps] + [(regions.index(r), plan.base) for r in plan.comps
                                             if r != plan.base]
    for i, c in pairs:
        jc = regions.index(c)
        for k, s in enumerate(stage_names):
            num, den = capital[i, k], capital[jc, k]
            ratio = np.full(num.shape, np.nan)
            np.divide(num, den, out=ratio, where=den > 0)  # no division where den is 0
            yield (regions[i], s, f"ratio_to_{c}", "ratio"), ratio
            yield (regions[i], s, f"gap_to_{c}", unit), den - num


def _fund_capacity(plan: Plan, d: Draws, capital: np.ndarray, m_sim: np.ndarray, f_i: int,
                   r: str) -> Iterator[tuple[Key, np.ndarray]]:
    """Fund size and count, the largest round each fund point can lead, and the demand
    those funds can meet, for fund region ``r`` (index ``f_i``)."""
    fd, spec, unit = plan.funds[r], plan.fund, plan.baseline.unit
    i = plan.regions.index(r)
    n, t_len = m_sim.shape
    if i == 0:
        total, share = m_sim, plan.size_share
    else:
        tot0 = plan.capital0[i].sum()
        total = capital[i, -1] / tot0 if tot0 > 0 else np.ones((n, t_len))
        share = spec.counterfactual_fund_mix
    size_f = total ** share  # (n, T)
    count_f = total ** (1.0 - share)
    logmed = fd.logq[0]
    logq_sim = (logmed + d.fund_shift[:, f_i, None]
                + (fd.logq - logmed)[None, :] * np.exp(d.fund_disp[:, f_i, None]))  # (n, Q)
    lead = (spec.max_position / spec.lead_share) * np.exp(logq_sim).T[:, :, None] \
        * size_f[None]  # (Q, n, T)
    yield (r, "all", "fund_size_factor", "x"), size_f
    yield (r, "all", "n_funds", "count"), fd.n0 * count_f
    for qi, qn in enumerate(FUND_QUANTILES):
        yield (r, "all", f"largest_lead_round_{qn}", unit), lead[qi]
    grow = np.exp(spec.demand_growth * np.arange(t_len, dtype="float64"))[None, :]
    cap = lead[list(FUND_QUANTILES).index(spec.lead_fund)] / grow  # in start-year round sizes
    shift = size_f * np.exp(d.fund_shift[:, f_i, None])
    for s, dist in plan.baseline.round_sizes.items():
        cnt, val, median_round = _fundable(dist, cap)
        yield (r, s, "fundable_share", "share"), cnt
        yield (r, s, "fundable_value_share", "share"), val
        # domestic funds able to lead the median round of the stage
        need = median_round * grow * spec.lead_share / spec.max_position  # fund size
        frac = 1.0 - _search(fd.sizes, need / shift, "left") / fd.sizes.size
        yield (r, s, "funds_able_to_lead_median_round", "count"), fd.n0 * count_f * frac


def _fundable(dist: Any, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Share of rounds (by count and by value) at most ``cap``, and the median round."""
    if isinstance(dist, tuple):  # ("lognormal", mu, sigma)
        from scipy.special import ndtr

        _, mu, sig = dist
        z = (np.log(cap) - mu) / sig
        return ndtr(z), ndtr(z - sig), float(np.exp(mu))
    idx = _search(dist, cap, "right")
    cums = np.concatenate([[0.0], np.cumsum(dist)])
    return idx / dist.size, cums[idx] / cums[-1], float(np.median(dist))


def _search(sorted_values: np.ndarray, x: np.ndarray, side: str) -> np.ndarray:
    """np.searchsorted on a contiguous copy of ``x`` (twice as fast on strided input)."""
    flat = np.ascontiguousarray(x, dtype="float64").ravel()
    return np.searchsorted(sorted_values, flat, side=side).reshape(x.shape)
