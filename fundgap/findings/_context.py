"""Options of a findings run and the shared state the topic modules read and fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings._core import Finding
from fundgap.findings._inputs import Inputs

__all__ = ["DEFAULT_SEED", "Context", "Options"]

#: Seed of every stochastic step when the caller gives none (bootstrap, Monte Carlo).
DEFAULT_SEED = 20261122


@dataclass(frozen=True)
class Options:
    """What a findings run computes (the keywords of :func:`fundgap.findings`).

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
    price_base: int = 2024
    trend_years: int = 10
    base: str = "US"

    def __post_init__(self) -> None:
        checks = (("min_n", self.min_n, 1), ("window", self.window, 1),
                  ("horizon", self.horizon, 1), ("n_sims", self.n_sims, 0),
                  ("trend_years", self.trend_years, 3))
        for name, value, low in checks:
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise FundgapError(f"{name} must be an integer of at least {low}",
                                   argument=name, value=value)
        if not 0 < float(self.ci) < 1:
            raise FundgapError("ci must lie strictly between 0 and 1", argument="ci",
                               value=self.ci)
        if not float(self.multiple) > 0:
            raise FundgapError("multiple must be positive", argument="multiple",
                               value=self.multiple)


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
