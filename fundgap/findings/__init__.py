"""The answer: every headline fundgap computes, as one tidy table.

:func:`findings` runs the models and scenarios on canonical frames (the shipped
data when none are given) and returns a :class:`Findings` object whose table
holds one row per headline: a plain sentence with its number, the regions, stage,
sector, year or window, value and unit, interval, number of observations, source,
table, data vintage, status and caveat. The workbook's key findings, the
``fundgap report`` terminal summary and the ``analyses/`` scripts render this
table; they compute nothing of their own.

Which source answers which question (METHODOLOGY.md, section 7):

=====================  ===============================================================
question               source
=====================  ===============================================================
totals                 OECD (EU-27 / US) beside NCSES SINV-31 (EU-27, US, China)
stage ladder           OECD by stage (the one shipped source with stages)
biotech                NCSES SKTI-24, S8-64, S8-65, 8-6 / 8-7
round sizes            the caller's rounds export (two or more regions)
fund capacity          published average fund sizes (one basis), the caller's funds
x5 in ten years        fundgap.project() on the OECD baseline, US flat / on trend
published figures      like-for-like comparison with every shipped published figure
=====================  ===============================================================

Examples
--------
>>> import fundgap
>>> f = fundgap.findings(n_sims=0)
>>> f.get("totals.eu27_us.ncses.latest")["year"]
'2022'
>>> len(f.headline()) <= 12
True
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fundgap.findings._context import DEFAULT_SEED, Context, Options, Rules
from fundgap.findings._core import COLUMNS, QUESTIONS, STATUSES, Finding, Findings
from fundgap.findings._inputs import resolve, shipped_series
from fundgap.schema import DEFAULT_PRICE_BASE

__all__ = ["COLUMNS", "DEFAULT_SEED", "QUESTIONS", "STATUSES", "STEPS", "Finding", "Findings",
           "Rules", "findings", "shipped_series"]

#: The steps of :func:`findings`, in order (each calls ``progress`` with its name when done).
STEPS: tuple[str, ...] = ("totals", "stage ladder", "biotech", "round sizes", "fund capacity",
                          "scenario", "published figures", "countries")


def findings(rounds: Any = None, funds: Any = None, series: Any = None, *,
             published: Any = None, n_sims: int = 1000, seed: int = DEFAULT_SEED,
             multiple: float = 5.0, horizon: int = 10, lever: str = "bigger_funds",
             min_n: int = 30, price_base: int = DEFAULT_PRICE_BASE,
             groups: Mapping[str, Sequence[str]] | None = None,
             countries: Sequence[str] = ("BE",), rules: Rules | None = None,
             population: Any = None,
             progress: Callable[[str], None] | None = None) -> Findings:
    """Compute every headline finding on canonical data; ``None`` means the shipped data.

    Parameters
    ----------
    rounds, funds, series : DataFrame, Loaded or None
        Canonical frames (read files with :func:`fundgap.read_rounds` etc.). None
        uses the shipped data: the CrunchBase 2013 US rounds and funds, and every
        shipped series (OECD, NCSES).
    published : DataFrame, optional
        Published headline figures (default the shipped ``published_figures``).
    n_sims : int, default 1000
        Monte Carlo simulations of the scenario (0: central path only).
    seed : int
        Seed of every stochastic step (bootstrap, Monte Carlo).
    multiple, horizon, lever : float, int, str
        The scenario: capital x``multiple`` in ``horizon`` years through ``lever``.
    min_n : int, default 30
        Fewest rounds in a cell for a finding on it to be more than ``small_sample``.
    price_base : int, default 2024
        Price year of every money value in EUR (round and fund sizes): the project's
        convention, :data:`fundgap.schema.DEFAULT_PRICE_BASE`.
    groups : mapping, optional
        Groups of countries compared with the US and the EU-27 (ISO 3166 alpha-2
        members); default the coalition of the willing ``{"coalition": ["BE", "NL",
        "DK", "SE", "FI", "NO"]}``.
    countries : sequence of str, default ("BE",)
        Single countries (ISO 3166 alpha-2) compared with the US and the EU-27.
    population : None, "shipped", DataFrame or False, default None
        Persons by country and year (iso2, year, value) for per-capita depth of the
        countries, groups, the US and the EU-27. None or "shipped" = the shipped
        World Bank table ``population_wb`` (SP.POP.TOTL, 2000-2025); a frame = your
        own; False = no per-capita rows (one ``not_available`` finding).
    rules : Rules, optional
        The window of the latest years, the interval level, the US trend's window and
        the base region (default :class:`Rules`: 5 years, 95 %, 10 years, the US).
    progress : callable, optional
        Called with each finished step's name (the command line draws a progress bar).

    Returns
    -------
    Findings
        ``to_frame()`` (every finding), ``headline(k=12)``, ``summary()``; the
        model results behind them in ``.results`` and supporting tables (US
        counterfactuals, trend check, sensitivity, published comparison) in
        ``.results["tables"]``.

    Raises
    ------
    FundgapError
        Inputs that are not canonical frames, or options out of range.
    """
    from fundgap.findings.biotech import biotech_findings
    from fundgap.findings.capacity import capacity_findings
    from fundgap.findings.countries import country_findings
    from fundgap.models.countries import COALITION
    from fundgap.findings.macro import ladder_findings, total_findings
    from fundgap.findings.published import published_findings
    from fundgap.findings.rounds import round_findings
    from fundgap.findings.scenario import scenario_findings
    from fundgap.models._common import one_blas_thread
    from fundgap.models._progress import step

    steps = tuple(zip(STEPS, (total_findings, ladder_findings, biotech_findings, round_findings,
                              capacity_findings, scenario_findings, published_findings,
                              lambda c: country_findings(c, chosen, countries, population)), strict=True))
    chosen = dict(COALITION if groups is None else groups)
    if chosen:
        from fundgap.normalise.groups import resolve_groups

        resolve_groups(chosen, argument="groups")  # a bad group fails before any work
    r = rules if rules is not None else Rules()
    if not isinstance(r, Rules):
        from fundgap.errors import FundgapError

        raise FundgapError("rules must be a Rules", argument="rules", value=type(r).__name__,
                           expected="None or fundgap.findings.Rules(...)")
    opts = Options(min_n=min_n, window=r.window, ci=r.ci, seed=seed, multiple=multiple,
                   horizon=horizon, lever=lever, n_sims=n_sims, price_base=price_base,
                   trend_years=r.trend_years, base=r.base)
    ctx = Context(resolve(rounds, funds, series, published), opts)
    with one_blas_thread(with_scipy=True):  # small matrices: see models._common
        for name, run in steps:
            with step(name):
                run(ctx)
            if progress is not None:
                progress(name)
    results = dict(ctx.results)
    results["tables"] = dict(ctx.tables)
    meta = {"data": dict(ctx.inputs.labels),
            "options": {"min_n": str(min_n), "window": f"latest {r.window} years",
                        "scenario": f"x{multiple:g} in {horizon} years, {lever}, "
                                    f"{n_sims:,} simulations, seed {seed}",
                        "prices": f"EUR at {price_base} prices for round and fund sizes"},
            "notes": list(ctx.notes)}
    return Findings(ctx.rows, results=results, meta=meta, inputs=ctx.inputs)


class _CallableModule(types.ModuleType):
    """``fundgap.findings`` is this package and, called, the function :func:`findings`.

    Python binds a subpackage to its parent's attribute once it is imported, so
    ``fundgap.findings`` is always this module; making the module callable keeps
    ``fundgap.findings(...)`` the function the documentation promises.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Findings:
        return findings(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
