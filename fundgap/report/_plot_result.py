"""How :func:`fundgap.report.figures.plot_result` picks the figure for a results object.

Dispatch only: every drawing call is a function of :mod:`fundgap.report.figures`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.report.figures import plot_depth, plot_fan, plot_gap

__all__ = ["plot_result"]


def plot_result(result: Any, ax: Any = None, **kwargs: Any) -> Any:
    """The figure of ``result`` (see :func:`fundgap.report.figures.plot_result`)."""
    custom = getattr(result, "_plot", None)
    if callable(custom):
        return custom(ax=ax, **kwargs)
    name = type(result).__name__.lower()
    kwargs.setdefault("title", getattr(result, "title", None))
    frame = result.to_frame()
    if "scenario" in name:
        return _plot_scenario(result, ax, **kwargs)
    if "gap" in name or "source" in name:
        if "metric" in frame.columns and "metric" not in kwargs:
            kwargs["metric"] = "ratio" if (frame["metric"].astype(str) == "ratio").any() else None
            if kwargs["metric"] == "ratio":
                kwargs.setdefault("unit", "ratio")
        return plot_gap(frame, ax, **kwargs)
    if "capacity" in name and {"metric", "quantile"} <= set(frame.columns):
        f = frame[frame["metric"].astype(str) == kwargs.pop("metric", "max_lead_round")]
        f = f.assign(quantile=f["quantile"].map(
            lambda q: "largest fund" if q == 1 else f"P{round(100 * q)} fund"))
        return plot_depth(f, ax, metric=None, x="quantile", **kwargs)
    if "comparison" in name and "model" in frame.columns:
        model = kwargs.pop("model", "ols")
        f = frame[frame["model"].astype(str) == model]
        metric = kwargs.pop("metric", "size_ratio")
        kwargs.setdefault("unit", "ratio to the base region")
        return plot_depth(f, ax, metric=metric, **kwargs)
    if "metric" in frame.columns and "metric" not in kwargs:
        metrics = frame["metric"].astype(str).unique().tolist()
        kwargs["metric"] = "median" if "median" in metrics else metrics[0]
    if "year" in frame.columns and "stage_group" not in frame.columns:
        return plot_gap(frame, ax, **kwargs)
    return plot_depth(frame, ax, **kwargs)


def _plot_scenario(result: Any, ax: Any, *, region: str = "EU27", variable: str | None = None,
                   stage_group: str = "all", **kwargs: Any) -> Any:
    """The fan of one variable of a scenario (default: the region's ratio to the base)."""
    fan = _fan_frame(result)
    base = (getattr(result, "meta", {}) or {}).get("base", "US")
    variable = variable or f"ratio_to_{base}"
    if {"region", "variable", "stage_group"} <= set(fan.columns):
        fan = fan[(fan["region"].astype(str) == region) & (fan["variable"].astype(str) == variable)
                  & (fan["stage_group"].astype(str) == stage_group)]
    if "value" in fan.columns and "q50" not in fan.columns:
        kwargs.setdefault("median", "value")
    elif "q50" in fan.columns:
        kwargs.setdefault("median", "q50")
        kwargs.setdefault("bands", (("q05", "q95"), ("q25", "q75")))
    kwargs.setdefault("label", f"{region}, {variable.replace('_', ' ')}")
    return plot_fan(fan, ax, **kwargs)


def _fan_frame(result: Any) -> pd.DataFrame:
    fan = getattr(result, "fan", None)
    if callable(fan):
        fan = fan()
    if isinstance(fan, pd.DataFrame) and len(fan):
        return fan
    return result.to_frame()
