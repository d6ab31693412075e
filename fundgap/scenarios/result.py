"""Results objects of the scenarios: :class:`ScenarioResult` and :class:`SensitivityResult`.

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios import Baseline, project
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
...                            "value": [20.0, 100.0]}), start_year=2024)
>>> r = project(b, us_growth=0.0)
>>> list(r.to_long().columns)
['model', 'scenario', 'region', 'variable', 'unit', 'year', 'value']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.models.results import Result

__all__ = ["IAMC_COLUMNS", "ScenarioResult", "SensitivityResult"]

#: Columns of the long (pyam / IAMC) output.
IAMC_COLUMNS: tuple[str, ...] = ("model", "scenario", "region", "variable", "unit", "year", "value")


class ScenarioResult(Result):
    """A projection: the central path in a tidy table, plus fan quantiles and crossing years.

    ``to_frame()`` columns: model, scenario, region, stage_group, variable, unit,
    year, t, value. Variables (per region and stage group unless noted):

    * ``multiplier`` (scaled region, stage "all"): the growth path;
    * ``capital``: capital in the baseline's unit (stage "all" = sum of stages);
    * ``ratio_to_<R>`` and ``gap_to_<R>``: capital over, and shortfall below, region R's;
    * ``capital_trend_fit``, ``capital_trend_pi_low`` / ``_high`` (counterfactual
      regions on a trend): the fitted log-linear trend line and its 95 % prediction
      interval (the projection itself starts from the observed start-year value and
      grows at the trend's slope, so it runs parallel to the fitted line);
    * fund variables (stage "all"): ``fund_size_factor``, ``n_funds``,
      ``largest_lead_round_p50`` / ``p75`` / ``p90`` / ``max``;
    * per stage with a round-size demand: ``fundable_share`` (share of rounds whose
      size the ``lead_fund`` can lead), ``fundable_value_share`` (same, by value),
      ``funds_able_to_lead_median_round``.
    """

    kind = "scenario"

    def __init__(self, frame: pd.DataFrame, *, title: str, meta: dict[str, Any] | None = None,
                 fan: pd.DataFrame | None = None, crossings: pd.DataFrame | None = None,
                 sims: dict[Any, np.ndarray] | None = None):
        super().__init__(frame, title=title, meta=meta)
        self._fan = fan
        self._crossings = crossings if crossings is not None else pd.DataFrame()
        self.sims = sims

    def to_long(self, *, include_stage: bool = True) -> pd.DataFrame:
        """Return the central projection in IAMC / pyam long format.

        Columns model, scenario, region, variable, unit, year, value; the stage
        group is folded into the variable as ``"<variable>|<stage_group>"``.

        Examples
        --------
        >>> import pandas as pd
        >>> from fundgap.scenarios import Baseline, project
        >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
        ...                            "value": [20.0, 100.0]}), start_year=2024)
        >>> project(b, us_growth=0.0).to_long()["variable"].unique()[:2].tolist()
        ['multiplier|all', 'capital|later']
        """
        f = self._frame
        var = f["variable"] + "|" + f["stage_group"] if include_stage else f["variable"]
        return pd.DataFrame({c: (var if c == "variable" else f[c]) for c in IAMC_COLUMNS})

    def fan(self, *, long: bool = False) -> pd.DataFrame:
        """Return the Monte Carlo quantiles (empty without simulations).

        Wide (default): model, scenario, region, stage_group, variable, unit, year, t,
        q05, q25, q50, q75, q95, mean. ``long=True``: IAMC columns with the quantile
        in the variable (``"capital|later|q05"``).
        """
        if self._fan is None:
            return pd.DataFrame()
        if not long:
            return self._fan.copy()
        f = self._fan
        qcols = [c for c in f.columns if c.startswith("q") or c == "mean"]
        parts = []
        for qc in qcols:
            parts.append(pd.DataFrame({
                "model": f["model"], "scenario": f["scenario"], "region": f["region"],
                "variable": f["variable"] + "|" + f["stage_group"] + "|" + qc,
                "unit": f["unit"], "year": f["year"], "value": f[qc]}))
        return pd.concat(parts, ignore_index=True)

    def crossings(self) -> pd.DataFrame:
        """Return the first year each ratio reaches each threshold.

        Columns model, scenario, region, against, stage_group, variable, threshold,
        crossing_t, crossing_year (missing when not reached), status ("at baseline",
        "crossed" or "not within horizon"); with simulations also prob_within_horizon
        and crossing_year_q05 / q50 / q95 (missing when that quantile is not reached).
        """
        return self._crossings.copy()

    def wide(self, variable: str = "ratio_to_US", *, region: str | None = None) -> pd.DataFrame:
        """One variable of one region as a year x stage_group table (for reports).

        Examples
        --------
        >>> import pandas as pd
        >>> from fundgap.scenarios import Baseline, project
        >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
        ...                            "value": [20.0, 100.0]}), start_year=2024)
        >>> project(b, us_growth=0.0).wide().loc[[2024, 2034], "later"].tolist()
        [0.2, 1.0]
        """
        region = region or self.meta.get("region", "EU27")
        f = self._frame
        sel = f[(f["region"] == region) & (f["variable"] == variable)]
        piv = sel.pivot(index="year", columns="stage_group", values="value")
        order = ["seed", "early", "later", "unknown", "all"]
        piv = piv[sorted(piv.columns, key=lambda c: order.index(c) if c in order else 99)]
        piv.columns.name = f"{region} {variable}"
        return piv

    def summary(self) -> str:
        """Text summary: options, the headline ratios by stage and the crossing years."""
        lines = [self.title, "=" * len(self.title)]
        for k in ("scenario", "baseline_source", "baseline_year", "unit", "lever", "growth",
                  "horizon", "n_sims", "seed", "max_position", "lead_share"):
            if k in self.meta:
                lines.append(f"{k}: {self.meta[k]}")
        f = self._frame
        base = self.meta.get("base", "US")
        reg = self.meta.get("region", "EU27")
        if ((f["region"] == reg) & (f["variable"] == f"ratio_to_{base}")).any():
            lines.append(f"\n{reg}/{base} capital ratio")
            lines.append(self.wide(f"ratio_to_{base}", region=reg).round(3).to_string())
        if len(self._crossings):
            lines.append("\nCrossings")
            cols = [c for c in ("region", "against", "stage_group", "threshold", "crossing_year",
                                "status", "prob_within_horizon") if c in self._crossings]
            lines.append(self._crossings[cols].to_string(index=False))
        return "\n".join(lines)


class SensitivityResult(Result):
    """A tornado table: one row per headline output x parameter, sorted by swing."""

    kind = "sensitivity"
