"""Results objects of the scenarios: :class:`ScenarioResult` and :class:`SensitivityResult`.

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios import Baseline, Counterfactual, project
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
...                            "value": [20.0, 100.0]}), start_year=2024)
>>> r = project(b, counterfactual=Counterfactual(us_growth=0.0))
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
    * ``ratio_to_<R>`` and ``gap_to_<R>``: capital over, and shortfall below, region R's
      (the scaled region against every counterfactual region; the other
      counterfactual regions against the base);
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
        >>> from fundgap.scenarios import Baseline, Counterfactual, project
        >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
        ...                            "value": [20.0, 100.0]}), start_year=2024)
        >>> r = project(b, counterfactual=Counterfactual(us_growth=0.0))
        >>> r.to_long()["variable"].unique()[:2].tolist()
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
        parts = [pd.DataFrame({
            "model": f["model"], "scenario": f["scenario"], "region": f["region"],
            "variable": f["variable"] + "|" + f["stage_group"] + "|" + qc,
            "unit": f["unit"], "year": f["year"], "value": f[qc]}) for qc in qcols]
        return pd.concat(parts, ignore_index=True)

    def fan_table(self, variable: str = "capital", *, region: str | None = None,
                  stage_group: str | None = None, reference: str | None = "auto") -> pd.DataFrame:
        """One series' fan as a year-by-year table, for fan charts (figure or Excel).

        Columns: year, t, p5, p25, p50, p75, p95 (from q05..q95), mean, central (the
        central projection) and, for ``capital``, ``reference`` = the base region's
        central capital in the same stage (``reference=None`` leaves it out).
        ``region`` defaults to the scaled region, ``stage_group`` to "all" (or the
        only stage). Empty without simulations.

        Examples
        --------
        >>> import pandas as pd
        >>> from fundgap.scenarios import Baseline, Counterfactual, MonteCarloSpec, project
        >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
        ...                            "value": [20.0, 100.0]}), start_year=2024)
        >>> r = project(b, counterfactual=Counterfactual(us_growth=0.0), n_sims=200, seed=1,
        ...             monte_carlo=MonteCarloSpec(growth_sd=0.0))
        >>> r.fan_table().loc[10, ["p50", "reference"]].tolist()
        [100.0, 100.0]
        """
        if self._fan is None:
            return pd.DataFrame()
        region = region or self.meta.get("region", "EU27")
        f = self._fan
        if stage_group is None:
            stages = f.loc[(f["region"] == region) & (f["variable"] == variable),
                           "stage_group"].unique().tolist()
            stage_group = "all" if "all" in stages or not stages else stages[0]
        sel = f[(f["region"] == region) & (f["variable"] == variable)
                & (f["stage_group"] == stage_group)].sort_values("t")
        names = {"q05": "p5", "q25": "p25", "q50": "p50", "q75": "p75", "q95": "p95"}
        out = sel[["year", "t", *[c for c in sel.columns if c.startswith("q")], "mean",
                   "unit"]].rename(columns=names).reset_index(drop=True)
        c = self._frame
        cen = c[(c["region"] == region) & (c["variable"] == variable)
                & (c["stage_group"] == stage_group)].sort_values("t")
        out["central"] = cen["value"].to_numpy()[: len(out)]
        if reference == "auto":
            reference = self.meta.get("base", "US") if variable == "capital" else None
        if reference:
            ref = c[(c["region"] == reference) & (c["variable"] == variable)
                    & (c["stage_group"] == stage_group)].sort_values("t")
            if len(ref) == len(out):
                out["reference"] = ref["value"].to_numpy()
        return out

    def _plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fan chart of the scaled region's capital against the base region (used by .plot)."""
        from fundgap.report.figures import plot_fan

        table = self.fan_table(kwargs.pop("variable", "capital"),
                               region=kwargs.pop("region", None),
                               stage_group=kwargs.pop("stage_group", None))
        if table.empty:  # no simulations: the central path as a degenerate fan
            c = self._frame
            reg = self.meta.get("region", "EU27")
            sel = c[(c["region"] == reg) & (c["variable"] == "capital")]
            stage = "all" if (sel["stage_group"] == "all").any() else sel["stage_group"].iloc[0]
            sel = sel[sel["stage_group"] == stage].sort_values("t")
            table = pd.DataFrame({"year": sel["year"].to_numpy(), "p50": sel["value"].to_numpy(),
                                  "unit": sel["unit"].to_numpy()})
        base = self.meta.get("base", "US")
        kwargs.setdefault("reference", "reference" if "reference" in table else None)
        kwargs.setdefault("reference_label", f"{base} (counterfactual)")
        kwargs.setdefault("label", f"{self.meta.get('region', 'EU27')} (scenario)")
        kwargs.setdefault("unit", str(table["unit"].iloc[0]) if len(table) else None)
        kwargs.setdefault("title", self.title)
        return plot_fan(table.drop(columns="unit"), ax, **kwargs)

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
        >>> from fundgap.scenarios import Baseline, Counterfactual, project
        >>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": "later",
        ...                            "value": [20.0, 100.0]}), start_year=2024)
        >>> r = project(b, counterfactual=Counterfactual(us_growth=0.0))
        >>> r.wide().loc[[2024, 2034], "later"].tolist()
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

    def _header(self) -> list[tuple[str, str]]:
        out = super()._header()
        for key, value in ((self.meta.get("trends") or {}).items()):
            out.append((f"trend {key}", str(value)))
        c = self._crossings
        if len(c) and {"region", "against", "stage_group", "threshold", "status"} <= set(c):
            for (reg, against, thr), g in c.groupby(["region", "against", "threshold"],
                                                    sort=False):
                years = g["crossing_year"] if "crossing_year" in g else [None] * len(g)
                whens = [str(int(y)) if y is not None and not pd.isna(y) else st
                         for y, st in zip(years, g["status"].astype(str), strict=True)]
                text = (whens[0] + " at every stage" if len(set(whens)) == 1 else
                        "; ".join(f"{s}: {w}" for s,
                                  w in zip(g["stage_group"], whens, strict=True)))
                out.append((f"{reg}/{against} >= {thr:g}", text))
        return out

    def _key_table(self) -> pd.DataFrame:
        """The scaled region's ratio to the base by stage: start, horizon, and the fan's band."""
        f = self._frame
        base = self.meta.get("base", "US")
        reg = self.meta.get("region", "EU27")
        var = f"ratio_to_{base}"
        sel = f[(f["region"] == reg) & (f["variable"] == var)]
        if not len(sel):
            return f
        t0, t1 = sel["t"].min(), sel["t"].max()
        out = pd.DataFrame({
            "stage_group": sel.loc[sel["t"] == t1, "stage_group"].to_numpy(),
            f"{reg}/{base} {int(sel.loc[sel['t'] == t0, 'year'].iloc[0])}":
                sel.loc[sel["t"] == t0, "value"].to_numpy(),
            f"{reg}/{base} {int(sel.loc[sel['t'] == t1, 'year'].iloc[0])}":
                sel.loc[sel["t"] == t1, "value"].to_numpy()})
        fan = self._fan
        if fan is not None and len(fan):
            q = fan[(fan["region"] == reg) & (fan["variable"] == var) & (fan["t"] == t1)]
            q = q.set_index("stage_group")
            for col in ("q05", "q95"):
                if col in q:
                    out[col] = out["stage_group"].map(q[col])
        return out


class SensitivityResult(Result):
    """A tornado table: one row per headline output x parameter, sorted by swing."""

    kind = "sensitivity"
