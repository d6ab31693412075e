"""Options of a findings run and the shared state the topic modules read and fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError
from fundgap.schema import DEFAULT_PRICE_BASE
from fundgap.findings._core import Finding
from fundgap.findings._inputs import Inputs

__all__ = ["DEFAULT_SEED", "Context", "Options", "Rules"]

#: Seed of every stochastic step when the caller gives none (bootstrap, Monte Carlo).
DEFAULT_SEED = 20261122


def _check_int(name: str, value: Any, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise FundgapError(f"{name} must be an integer of at least {low}", argument=name,
                           value=value, expected=f"an integer >= {low}")


@dataclass(frozen=True)
class Rules:
    """The rules a findings run judges by, beyond its everyday keywords.

    Parameters
    ----------
    window : int, default 5
        The latest years averaged (or summed) and over which rankings and directions
        must hold to be ``robust``.
    ci : float, default 0.95
        Level of the bootstrap intervals of round sizes.
    trend_years : int, default 10
        Window of the US trend the scenario uses as its counterfactual.
    base : str, default "US"
        The region every other is compared with in round and fund findings.

    Examples
    --------
    >>> Rules().window, Rules(window=3).window
    (5, 3)
    """

    window: int = 5
    ci: float = 0.95
    trend_years: int = 10
    base: str = "US"

    def __post_init__(self) -> None:
        _check_int("window", self.window, 1)
        _check_int("trend_years", self.trend_years, 3)
        try:
            ok = 0 < float(self.ci) < 1
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise FundgapError("ci must lie strictly between 0 and 1", argument="ci",
                               value=self.ci, expected="a number strictly between 0 and 1")


@dataclass(frozen=True)
class Options:
    """Everything a findings run computes with: the keywords of :func:`fundgap.findings`
    and its :class:`Rules`, in one place for the topic modules.

    Examples
    --------
    >>> Options().min_n, Options().window, Options().price_base
    (30, 5, 2024)
    """

    min_n: int = 30
    window: int = 5
    ci: float = 0.95
    seed: int = DEFAULT_SEED
    multiple: float = 5.0
    horizon: int = 10
    lever: str = "bigger_funds"
    n_sims: int = 1000
    price_base: int = DEFAULT_PRICE_BASE
    trend_years: int = 10
    base: str = "US"

    def __post_init__(self) -> None:
        Rules(window=self.window, ci=self.ci, trend_years=self.trend_years, base=self.base)
        for name, low in (("min_n", 1), ("horizon", 1), ("n_sims", 0)):
            _check_int(name, getattr(self, name), low)
        try:
            ok = float(self.multiple) > 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise FundgapError("multiple must be positive", argument="multiple",
                               value=self.multiple, expected="a positive number such as 5")


@dataclass
class Context:
    """The inputs, the options, and what the topic modules produce."""

    inputs: Inputs
    options: Options
    rows: list[Finding] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, *rows: Finding) -> None:
        """Append findings."""
        self.rows.extend(rows)
