"""Figures: the only module in fundgap that uses matplotlib and seaborn.

Every function takes a results object or a tidy frame that already holds the
numbers to draw (it never computes a statistic), accepts ``ax=None`` (a new
figure is made) and returns the Axes. Each figure states its source and units
on the figure itself: the y-axis label carries the unit and a line under the
plot names the source.

Importing this module never changes matplotlib's backend: on a machine without a
display matplotlib itself falls back to a non-interactive one, and in a notebook
the figures show inline as usual.

Examples
--------
>>> import pandas as pd
>>> fan = pd.DataFrame({"year": [2024, 2025], "p5": [1.0, 1.1], "p25": [1.0, 1.15],
...                     "p50": [1.0, 1.2], "p75": [1.0, 1.25], "p95": [1.0, 1.3]})
>>> ax = plot_fan(fan, unit="EUR million, 2024 prices", source="synthetic example")
>>> ax.get_ylabel()
'EUR million, 2024 prices'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = [
    "plot_capacity",
    "plot_depth",
    "plot_fan",
    "plot_fund_sizes",
    "plot_gap",
    "plot_result",
    "save_figure",
    "source_note",
]

_REGION_ORDER = ["EU27", "UK", "OTHER_EUROPE", "EUROPE", "EU28", "US", "CN", "HK", "ASIA", "ROW",
                 "WORLD"]
_GROUP_ORDER = ["seed", "early", "later", "unknown", "non_vc", "all"]


def _frame(data: Any) -> pd.DataFrame:
    if hasattr(data, "to_frame") and not isinstance(data, (pd.DataFrame, pd.Series)):
        return data.to_frame()
    if isinstance(data, pd.Series):
        return data.to_frame()
    return pd.DataFrame(data)


def _new_ax(ax: Any, size: tuple[float, float] = (8.0, 4.8)) -> Any:
    if ax is not None:
        return ax
    sns.set_theme(style="whitegrid", context="notebook")
    # fixed margins instead of a layout engine: laying out text twice per save is the
    # slowest part of drawing a figure
    fig, ax = plt.subplots(figsize=size)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.91, bottom=0.2)
    fig._fundgap_owned = True  # the source line may use the figure's bottom margin
    return ax


def source_note(ax: Any, text: str) -> Any:
    """Write ``text`` (the source line) under the plot area of ``ax``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _f, ax = plt.subplots()
    >>> source_note(ax, "Source: OECD").get_text()
    'Source: OECD'
    """
    import textwrap

    fig = ax.figure
    # about 0.55 em per character: the caption stays inside the canvas
    width = max(40, int(fig.get_figwidth() * 72 / (7.5 * 0.58)))
    text = textwrap.fill(text, width)
    if getattr(fig, "_fundgap_owned", False):
        lines = text.count("\n") + 1
        line_h = 7.5 * 1.25 / 72 / fig.get_figheight()  # one caption line, figure fraction
        fig.subplots_adjust(bottom=min(0.2 + line_h * (lines - 1), 0.45))
        return fig.text(0.01, 0.012, text, ha="left", va="bottom", fontsize=7.5, color="0.3")
    return ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -36),
                       textcoords="offset points", ha="left", va="top", fontsize=7.5,
                       color="0.3")


def _ordered(values: Sequence[Any], order: Sequence[str]) -> list[Any]:
    present = [str(v) for v in pd.unique(pd.Series(values).dropna().astype(str))]
    head = [o for o in dict.fromkeys(order) if o in present]
    return head + sorted(v for v in present if v not in head)


def _unit_of(frame: pd.DataFrame, unit: str | None) -> str:
    if unit:
        return unit
    if "unit" in frame.columns:
        from fundgap.report.excel import describe_unit

        units = frame["unit"].dropna().astype(str).unique()
        bases = (frame["price_base"].dropna().astype(str).unique()
                 if "price_base" in frame.columns else [])
        if len(units) == 1:
            return describe_unit(units[0], bases[0] if len(bases) == 1 else None)
        return ", ".join(units)
    return ""


def plot_depth(data: Any, ax: Any = None, *, metric: str = "median", x: str = "stage_group",
               hue: str = "region", value: str = "estimate", low: str = "ci_low",
               high: str = "ci_high", unit: str | None = None, source: str = "",
               title: str | None = None, log: bool = False, level: int | None = None) -> Any:
    """Bar chart of one depth metric by stage (x) and region (colour), with intervals.

    Parameters
    ----------
    data : DepthResult or DataFrame
        Tidy depth table with columns ``x``, ``hue``, ``value`` and optionally
        ``metric``, ``ci_low``, ``ci_high``, ``unit``.
    metric : str
        Row filter on the ``metric`` column (when the table has one).
    unit, source, title : str, optional
        Axis unit, source line and title. The default title says "by stage and
        region" only when several regions are drawn, and names the one region
        otherwise.
    level : int, optional
        Confidence level of the intervals drawn (e.g. 95), stated in the caption.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US", "EU27"], "stage_group": ["seed", "seed"],
    ...                   "metric": "median", "estimate": [2.0, 1.0],
    ...                   "ci_low": [1.5, 0.8], "ci_high": [2.5, 1.2]})
    >>> plot_depth(t, unit="EUR million", source="synthetic").get_title()
    'Median round size by stage and region'
    >>> plot_depth(t[t["region"] == "US"], unit="EUR million", level=95).get_title()
    'Median round size by stage, United States'
    """
    from fundgap.report import labels

    f = _frame(data)
    if "metric" in f.columns and metric is not None:
        f = f[f["metric"].astype(str) == metric]
    ax = _new_ax(ax)
    xs = _ordered(f[x], _GROUP_ORDER + list(_stage_order()))
    hues = _ordered(f[hue], _REGION_ORDER) if hue in f.columns else ["all"]
    colours = sns.color_palette("colorblind", n_colors=max(len(hues), 1))
    width = 0.8 / max(len(hues), 1)
    drew_ci = False
    for i, h in enumerate(hues):
        sub = f[f[hue].astype(str) == h] if hue in f.columns else f
        sub = sub.assign(_x=sub[x].astype(str))
        sub = sub.set_index("_x").reindex(xs)
        pos = np.arange(len(xs)) - 0.4 + width * (i + 0.5)
        est = pd.to_numeric(sub[value], errors="coerce").to_numpy(dtype=float)
        ax.bar(pos, est, width=width * 0.95, color=colours[i],
               label=labels.region(h) if hue == "region" else h)
        drew_ci = _error_bars(ax, sub, pos, est, low, high) or drew_ci
    is_stage = x in ("stage_group", "stage")
    ax.set_xticks(np.arange(len(xs)), [labels.stage(v) if is_stage else v.replace("_", " ")
                                       for v in xs])
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("stage group" if x == "stage_group" else x.replace("_", " "))
    ax.set_ylabel(_unit_of(f, unit))
    ax.set_title(title or _depth_title(metric, hues, hue, hue in f.columns))
    if len(hues) > 1:
        ax.legend(title=hue.replace("_", " "), frameon=False)
    bars = "Bars: estimate"
    if drew_ci:
        bars += f"; lines: {level}% confidence interval" if level else "; lines: interval"
    source_note(ax, f"Source: {source}. {bars}." if source else f"{bars}.")
    return ax


def _error_bars(ax: Any, sub: pd.DataFrame, pos: np.ndarray, est: np.ndarray, low: str,
                high: str) -> bool:
    """Draw the interval of each bar that has one; True if any was drawn."""
    if low not in sub.columns or high not in sub.columns:
        return False
    lo = pd.to_numeric(sub[low], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(sub[high], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(est)
    if ok.any():
        ax.errorbar(pos[ok], est[ok], yerr=[est[ok] - lo[ok], hi[ok] - est[ok]], fmt="none",
                    ecolor="0.15", elinewidth=1, capsize=3)
    return bool(ok.any())


def _depth_title(metric: str | None, hues: Sequence[str], hue: str, has_hue: bool) -> str:
    """'Median round size by stage and region' with several regions, else naming the one."""
    from fundgap.report import labels

    what = f"{(metric or 'value').replace('_', ' ').capitalize()} round size"
    if len(hues) > 1:
        return f"{what} by stage and region"
    if has_hue and hues:
        return f"{what} by stage, {labels.region(hues[0]) if hue == 'region' else hues[0]}"
    return f"{what} by stage"


def _stage_order() -> tuple[str, ...]:
    from fundgap.schema import STAGES

    return STAGES


def plot_gap(data: Any, ax: Any = None, *, x: str = "year", value: str = "estimate",
             hue: str = "source", style: str | None = None, metric: str | None = None,
             unit: str | None = None, source: str = "", title: str | None = None,
             reference: float | None = None, low: str | None = None, high: str | None = None,
             percent: bool = False) -> Any:
    """Line chart of a gap measure over time, one line per source (or other ``hue``).

    Lines whose values are the same at every x are drawn once and labelled
    together ("A = B (identical)"), so no line hides another unannounced.

    Parameters
    ----------
    data : GapResult, ComparisonResult or DataFrame
        Tidy table with ``x``, ``value`` and ``hue`` columns (and ``metric`` to
        filter on).
    metric : str, optional
        Row filter on the ``metric`` column.
    reference : float, optional
        A horizontal reference line (e.g. 1.0 for parity of a ratio).
    low, high : str, optional
        Interval columns drawn as a shaded band.
    percent : bool, default False
        Show the values (ratios) as percentages on the y axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "source": ["OECD"] * 2 + ["NCSES"] * 2,
    ...                   "estimate": [0.1, 0.12, 0.25, 0.3]})
    >>> plot_gap(t, unit="EU27 / US", title="EU27 VC as a share of US VC").get_ylabel()
    'EU27 / US'
    >>> t2 = t.assign(estimate=[0.1, 0.12, 0.1, 0.12])
    >>> [x.get_text() for x in plot_gap(t2, unit="ratio").get_legend().get_texts()]
    ['NCSES = OECD (identical)']
    """
    f = _frame(data)
    if metric is not None and "metric" in f.columns:
        f = f[f["metric"].astype(str) == metric]
    f = f.assign(**{value: pd.to_numeric(f[value], errors="coerce"),
                    x: pd.to_numeric(f[x], errors="coerce")})
    f = f.dropna(subset=[x, value])
    ax = _new_ax(ax)
    groups = _draw_lines(ax, f, x, value, hue, style, (low, high))
    if reference is not None:
        ax.axhline(reference, color="0.3", lw=0.8, ls="--")
    _value_axes(ax, x, _unit_of(f, unit), percent)
    ax.set_title(title or "The gap over time by source")
    if any(g is not None for g in groups):
        ax.legend(frameon=False, fontsize=8)
    source_note(ax, f"Source: {source}." if source else "Sources as labelled; never blended.")
    return ax


def _draw_lines(ax: Any, f: pd.DataFrame, x: str, value: str, hue: str, style: str | None,
                band: tuple[str | None, str | None]) -> list[Any]:
    """One line per hue (and style) value; lines identical to another share its legend entry."""
    from fundgap.report import labels

    is_stage = hue in ("stage_group", "stage")
    groups = _ordered(f[hue], _GROUP_ORDER if is_stage else []) if hue in f.columns else [None]
    styles = _ordered(f[style], _GROUP_ORDER) if style and style in f.columns else [None]
    colours = sns.color_palette("colorblind", n_colors=max(len(groups), 1))
    drawn: list[tuple[Any, list[str]]] = []  # (line, labels) of every line drawn
    for i, g in enumerate(groups):
        for k, st in enumerate(styles):
            sub = _subset(f, (hue, g), (style, st)).sort_values(x)
            if sub.empty:
                continue
            name = labels.stage(g) if is_stage and g is not None else g
            label = " / ".join(str(v) for v in (name, st) if v is not None) or None
            _draw_line(ax, drawn, sub, x, value, label=label, colour=colours[i], k=k, band=band)
    for line, names in drawn:
        if len(names) > 1:
            line.set_label(" = ".join(names) + " (identical)")
    return groups


def _value_axes(ax: Any, x: str, unit: str, percent: bool) -> None:
    """Whole years on x; the y label with its unit, ratios as percentages when asked."""
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    if x == "year":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(unit + (" (%)" if percent else ""))


def _subset(f: pd.DataFrame, *conditions: tuple[str | None, Any]) -> pd.DataFrame:
    """Rows where each (column, value) holds; a None value or column selects all."""
    for col, v in conditions:
        if col is not None and v is not None:
            f = f[f[col].astype(str) == v]
    return f


def _draw_line(ax: Any, drawn: list[tuple[Any, list[str]]], sub: pd.DataFrame, x: str,
               value: str, *, label: str | None, colour: Any, k: int,
               band: tuple[str | None, str | None]) -> None:
    """One line (and its band); a line identical to one already drawn joins its legend entry."""
    same = next((d for d in drawn if _same_line(d[0], sub[x], sub[value])), None)
    if same is not None:
        same[1].append(label or "")
        return
    (line,) = ax.plot(sub[x], sub[value], ["-", "--", ":", "-."][k % 4], color=colour,
                      marker="o", ms=3, label=label)
    drawn.append((line, [label or ""]))
    low, high = band
    if low and high and low in sub.columns and high in sub.columns:
        ax.fill_between(sub[x], pd.to_numeric(sub[low], errors="coerce"),
                        pd.to_numeric(sub[high], errors="coerce"), color=colour, alpha=0.15,
                        lw=0)


def _same_line(line: Any, xs: pd.Series, ys: pd.Series) -> bool:
    """True when ``line`` was drawn through exactly these points."""
    x0, y0 = (np.asarray(a, dtype=float) for a in line.get_data())
    x1, y1 = xs.to_numpy(dtype=float), ys.to_numpy(dtype=float)
    return x0.shape == x1.shape and np.array_equal(x0, x1) and np.allclose(y0, y1, rtol=1e-9,
                                                                          atol=0.0)


def plot_fund_sizes(funds: pd.DataFrame, ax: Any = None, *, size: str = "size_eur",
                    hue: str = "region", needed: pd.DataFrame | None = None,
                    needed_value: str = "fund_size_needed", needed_label: str = "stage_group",
                    unit: str = "EUR million, current prices", source: str = "",
                    title: str | None = None, note: str = "") -> Any:
    """Fund-size distributions (cumulative share of funds, log scale) against the
    fund size each stage's rounds need.

    Parameters
    ----------
    funds : DataFrame
        One row per fund with a size column (``size``) and a region (``hue``).
    needed : DataFrame, optional
        One row per stage with the fund size able to lead that stage's typical
        round (column ``needed_value``), drawn as labelled vertical lines. It must
        be on the price base of ``size`` (``unit`` says which).
    note : str, optional
        A sentence added to the caption (e.g. which funds are left out).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> funds = pd.DataFrame({"region": ["EU27", "EU27", "US", "US"],
    ...                       "size_eur": [50.0, 120.0, 90.0, 400.0]})
    >>> need = pd.DataFrame({"stage_group": ["early", "later"],
    ...                      "fund_size_needed": [60.0, 500.0]})
    >>> plot_fund_sizes(funds, needed=need, source="synthetic").get_xscale()
    'log'
    """
    f = _frame(funds)
    f = f.assign(**{size: pd.to_numeric(f[size], errors="coerce")})
    f = f[f[size] > 0]
    ax = _new_ax(ax)
    hues = _ordered(f[hue], _REGION_ORDER) if hue in f.columns and f[hue].notna().any() else []
    if hues:
        sub = f[f[hue].astype(str).isin(hues)].assign(**{hue: lambda d: d[hue].astype(str)})
        sns.ecdfplot(data=sub, x=size, hue=hue, hue_order=hues, ax=ax, log_scale=True,
                     palette="colorblind")
    elif len(f):
        sns.ecdfplot(data=f, x=size, ax=ax, log_scale=True)
    else:
        ax.set_xscale("log")
    if needed is not None and len(needed):
        n = _frame(needed)
        ymax = 0.98
        values = pd.to_numeric(n[needed_value], errors="coerce").to_numpy(dtype=float)
        labels = n[needed_label].astype(str).tolist() if needed_label in n.columns else [""] * len(n)
        for i, (v, lab) in enumerate(zip(values, labels, strict=False)):
            if not np.isfinite(v) or v <= 0:
                continue
            ax.axvline(v, color="0.25", ls=":", lw=1)
            ax.text(v, ymax - 0.07 * (i % 4), f" {lab}", fontsize=8,
                    color="0.2", va="top", transform=ax.get_xaxis_transform())
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    leg = ax.get_legend()
    if leg is not None:
        leg.set_title(hue.replace("_", " ").replace("fund pool", "funds"), prop={"size": 9})
        for t in leg.get_texts():
            t.set_fontsize(9)
    ax.set_xlabel(f"fund size ({unit})")
    ax.set_ylabel("share of funds at or below this size")
    ax.set_title(title or "Fund sizes against the fund each stage's rounds need")
    text = ("Dotted lines: the smallest fund able to lead the labelled round alone."
            if needed is not None and len(needed) else "")
    text = " ".join(t for t in (text, f"Fund sizes and rounds in {unit}.", note) if t)
    source_note(ax, f"Source: {source}. {text}" if source else text)
    return ax


def plot_capacity(data: Any, ax: Any = None, *, x: str = "stage_group", hue: str = "region",
                  value: str = "estimate", metric: str | None = None, unit: str | None = None,
                  source: str = "", title: str | None = None) -> Any:
    """Bar chart of one capacity measure by stage and region.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["EU27"], "stage_group": ["later"], "estimate": [0.3]})
    >>> plot_capacity(t, unit="share of rounds").get_ylabel()
    'share of rounds'
    """
    return plot_depth(data, ax, metric=metric, x=x, hue=hue, value=value, unit=unit,
                      source=source, title=title or "Fund capacity by stage and region")


def plot_fan(data: Any, ax: Any = None, *, x: str = "year", median: str = "p50",
             bands: Sequence[tuple[str, str]] = (("p5", "p95"), ("p25", "p75")),
             reference: str | None = None, reference_label: str = "US (counterfactual)",
             unit: str | None = None, source: str = "", title: str | None = None,
             label: str = "EU27 (scenario)", percent: bool = False, note: str = "") -> Any:
    """Fan chart: the median path with shaded quantile bands, and a reference line.

    Parameters
    ----------
    data : DataFrame or ScenarioResult
        Wide table: one row per ``x`` with the quantile columns named in
        ``median`` and ``bands`` (and ``reference`` if given).
    percent : bool, default False
        Show the values (ratios) as percentages on the y axis.
    note : str, optional
        A sentence added to the caption.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> fan = pd.DataFrame({"year": [0, 1], "p5": [1, 1.1], "p25": [1, 1.15], "p50": [1, 1.2],
    ...                     "p75": [1, 1.25], "p95": [1, 1.3], "us": [5, 5.2]})
    >>> ax = plot_fan(fan, reference="us", unit="EUR million", title="x5 in 10 years")
    >>> ax.get_title()
    'x5 in 10 years'
    """
    f = _frame(data).sort_values(x)
    ax = _new_ax(ax)
    colour = sns.color_palette("colorblind")[0]
    xs = pd.to_numeric(f[x], errors="coerce")
    for k, (lo, hi) in enumerate(bands):
        if lo in f.columns and hi in f.columns:
            ax.fill_between(xs, pd.to_numeric(f[lo], errors="coerce"),
                            pd.to_numeric(f[hi], errors="coerce"), color=colour,
                            alpha=0.18 + 0.14 * k, lw=0, label=_band_label(lo, hi))
    if median in f.columns:
        ax.plot(xs, pd.to_numeric(f[median], errors="coerce"), color=colour, lw=2,
                label=f"{label}, median" if label else "median")
    if reference and reference in f.columns:
        ax.plot(xs, pd.to_numeric(f[reference], errors="coerce"), color="0.2", ls="--", lw=1.5,
                label=reference_label)
    _value_axes(ax, x, _unit_of(f, unit), percent)
    ax.set_title(title or "Scenario fan chart")
    ax.legend(frameon=False, fontsize=8)
    text = " ".join(t for t in ("Shaded: Monte Carlo quantile bands." if bands else "", note)
                    if t)
    source_note(ax, f"Source: {source}. {text}" if source else text)
    return ax


def _band_label(lo: str, hi: str) -> str:
    """'q05', 'q95' -> '5-95% of simulations'; other names as they are."""
    import re

    m_lo, m_hi = re.fullmatch(r"[pq](\d+)", lo), re.fullmatch(r"[pq](\d+)", hi)
    if m_lo and m_hi:
        return f"{int(m_lo.group(1))}-{int(m_hi.group(1))}% of simulations"
    return f"{lo}-{hi}"


def plot_result(result: Any, ax: Any = None, **kwargs: Any) -> Any:
    """Plot a fundgap results object with the figure that suits its type.

    Used by ``Result.plot``. Dispatches on the class name: depth and comparison
    results -> :func:`plot_depth`; gap and source comparisons -> :func:`plot_gap`;
    capacity -> :func:`plot_capacity`; scenarios -> :func:`plot_fan`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.models.results import Result
    >>> class GapResult(Result):
    ...     pass
    >>> r = GapResult(pd.DataFrame({"year": [2020, 2021], "source": ["OECD", "OECD"],
    ...                             "estimate": [0.1, 0.2]}), title="EU27 / US")
    >>> r.plot().get_title()
    'EU27 / US'
    """
    from fundgap.report._plot_result import plot_result as _plot_result

    return _plot_result(result, ax, **kwargs)


def save_figure(ax_or_fig: Any, folder: str | os.PathLike, name: str, *,
                formats: Sequence[str] = ("png", "svg"), dpi: int = 150) -> list[Path]:
    """Save a figure as PNG and SVG (by default) and close it; return the paths.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> _f, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.suffix for p in save_figure(ax, d, "demo")]
    ['.png', '.svg']
    """
    fig = ax_or_fig.figure if hasattr(ax_or_fig, "figure") and not hasattr(ax_or_fig, "savefig") \
        else ax_or_fig
    from fundgap._output import atomic_write

    folder = Path(folder)
    paths = []
    for fmt in formats:
        p = folder / f"{name}.{fmt}"
        meta = {"Creator": "fundgap", "Date": None} if fmt == "svg" else {"Software": "fundgap"}
        tight = None if getattr(fig, "_fundgap_owned", False) else "tight"
        atomic_write(p, lambda f, fmt=fmt, meta=meta, tight=tight: fig.savefig(
            f, format=fmt, dpi=dpi, metadata=meta, bbox_inches=tight))
        paths.append(p)
    plt.close(fig)
    return paths
