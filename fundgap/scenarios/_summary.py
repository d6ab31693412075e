"""The projection's tables: the tidy central path, the fan quantiles, the crossing years.

:func:`summarise` streams the simulated series of
:func:`fundgap.scenarios._engine.simulate` through a bounded buffer into fan-chart
quantiles, means and crossing statistics; :func:`tidy`, :func:`fan_frame` and
:func:`crossings_frame` lay them out as the result's tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from fundgap.scenarios._engine import Key
from fundgap.scenarios.montecarlo import fan_quantiles

__all__ = ["crossings_frame", "fan_frame", "summarise", "tidy"]

_TOL = 1e-12
_STAGE_RANK = {s: i for i, s in enumerate(("seed", "early", "later", "unknown", "all"))}


def tidy(keys: list[Key], values: np.ndarray, years: np.ndarray, t: np.ndarray, model: str,
          scenario: str) -> pd.DataFrame:
    K, T = values.shape
    lab = np.array(keys, dtype=object)  # (K, 4)
    return pd.DataFrame({
        "model": model,
        "scenario": scenario,
        "region": np.repeat(lab[:, 0], T).astype(str),
        "stage_group": np.repeat(lab[:, 1], T).astype(str),
        "variable": np.repeat(lab[:, 2], T).astype(str),
        "unit": np.repeat(lab[:, 3], T).astype(str),
        "year": np.tile(np.asarray(years, dtype="int64"), K),
        "t": np.tile(np.asarray(t, dtype="int64"), K),
        "value": values.ravel(),
    })


_CHUNK = 48  # series per block of the streaming summary (48 x 11 x 10,000 doubles = 42 MB)


def summarise(stream: Iterable[tuple[Key, np.ndarray]], q: tuple[float, ...],
               thresholds: tuple[float, ...], keep: bool) -> dict[str, Any]:
    """Fan quantiles, means and crossing statistics of the simulated series, block by block.

    The series arrive one by one from :func:`~fundgap.scenarios._engine.simulate`; they are copied into a
    block buffer with one contiguous row of simulations per series-year, summarised
    (mean, then quantiles by an in-place sort) and dropped, so memory stays bounded
    whatever the number of regions and comparators.
    """
    keys: list[Key] = []
    qs_parts: list[np.ndarray] = []
    mean_parts: list[np.ndarray] = []
    cross: dict[tuple[Key, float], dict[str, Any]] = {}
    kept: dict[Key, np.ndarray] = {}
    buf = None
    used = 0

    def flush() -> None:
        nonlocal used
        if used == 0:
            return
        rows = buf[:used].reshape(used * buf.shape[1], buf.shape[2])
        qs_parts.append(fan_quantiles(rows, q, axis=1, overwrite=True))  # sorts rows in place
        # the mean of the sorted rows (sorting does not change it); NaN sort last
        if np.isnan(rows[:, -1]).any():
            nan = np.isnan(rows)
            ok = (~nan).sum(axis=1)
            total = np.where(nan, 0.0, rows).sum(axis=1)
            mean_parts.append(np.where(ok > 0, total / np.maximum(ok, 1), np.nan))
        else:
            mean_parts.append(rows.mean(axis=1))
        used = 0

    for key, arr in stream:
        n, T = arr.shape
        if buf is None:
            buf = np.empty((_CHUNK, T, n))
        if keep:
            kept[key] = arr
        if key[2].startswith("ratio_to_"):
            for thr in thresholds:
                cross[(key, thr)] = _crossing_stats(arr, thr)
        buf[used] = arr.T
        keys.append(key)
        used += 1
        if used == _CHUNK:
            flush()
    flush()
    return {"keys": keys, "q": np.concatenate(qs_parts, axis=1) if qs_parts else None,
            "mean": np.concatenate(mean_parts) if mean_parts else None, "cross": cross,
            "kept": kept}


def _crossing_stats(ratio: np.ndarray, threshold: float) -> dict[str, Any]:
    """Share of simulations crossing within the horizon and quantiles of the crossing index.

    Quantiles use the "lower" rule (an index actually reached by a simulation),
    counted from the per-year histogram rather than by sorting; -1 = not reached.
    """
    n, T = ratio.shape
    hit = ratio >= threshold - _TOL
    any_hit = hit.any(axis=1)
    first = np.where(any_hit, np.argmax(hit, axis=1), T)  # T = never within the horizon
    cum = np.cumsum(np.bincount(first, minlength=T + 1))
    out: dict[str, Any] = {"prob": float(any_hit.mean())}
    for name, qq in (("q05", 0.05), ("q50", 0.5), ("q95", 0.95)):
        k = int(np.floor(qq * (n - 1)))  # the k-th smallest (0-based), as np.quantile "lower"
        idx = int(np.searchsorted(cum, k + 1))
        out[name] = idx if idx < T else -1
    return out


def fan_frame(mc: dict[str, Any], q: tuple[float, ...], years: np.ndarray, t: np.ndarray,
               model: str, scenario: str) -> pd.DataFrame:
    keys = mc["keys"]
    frame = tidy(keys, np.full((len(keys), len(t)), np.nan), years, t, model,
                  scenario).drop(columns="value")
    for i, qq in enumerate(q):
        frame[f"q{round(qq * 100):02d}"] = mc["q"][i]
    frame["mean"] = mc["mean"]
    return frame


def _first_crossing(ratio: np.ndarray, threshold: float) -> np.ndarray:
    """First index t with ratio >= threshold per row (n, T) -> (n,) float, inf if none."""
    hit = ratio >= threshold - _TOL
    first = np.argmax(hit, axis=1).astype("float64")
    first[~hit.any(axis=1)] = np.inf
    return first


def crossings_frame(central: list[tuple[Key, np.ndarray]], mc: dict[str, Any] | None,
               thresholds: tuple[float, ...], years: np.ndarray, model: str, scenario: str,
               base: str) -> pd.DataFrame:
    rows = []
    for key, arr in central:
        region, stage, var, _ = key
        if not var.startswith("ratio_to_"):
            continue
        against = var[len("ratio_to_"):]
        for thr in thresholds:
            first = _first_crossing(arr, thr)[0]
            if np.isnan(arr).all():
                status, t_cross, y_cross = "undefined (no capital in the compared region)", \
                    pd.NA, pd.NA
            elif np.isinf(first):
                status, t_cross, y_cross = "not within horizon", pd.NA, pd.NA
            else:
                t_cross = int(first)
                y_cross = int(years[t_cross])
                status = "at baseline" if t_cross == 0 else "crossed"
            row = {"model": model, "scenario": scenario, "region": region, "against": against,
                   "stage_group": stage, "variable": var, "threshold": thr,
                   "crossing_t": t_cross, "crossing_year": y_cross, "status": status}
            if mc is not None:
                st = mc["cross"][(key, thr)]
                row["prob_within_horizon"] = st["prob"]
                for qn in ("q05", "q50", "q95"):
                    row[f"crossing_year_{qn}"] = pd.NA if st[qn] < 0 else int(years[st[qn]])
            rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for col in [c for c in frame.columns if c.startswith("crossing_")]:
        frame[col] = frame[col].astype("Int64")
    # the base comparison first, stages along the ladder
    order = (frame["against"] != base).astype(int)
    stage_rank = frame["stage_group"].map(_STAGE_RANK).fillna(99)
    return frame.assign(_o=order, _s=stage_rank) \
        .sort_values(["_o", "region", "against", "_s", "threshold"], kind="stable") \
        .drop(columns=["_o", "_s"]).reset_index(drop=True)
