"""Cells of a grouped model: group ids over label columns, their display order, unknown shares.

Shared by :func:`~fundgap.models.depth`, :func:`~fundgap.models.compare_regions` and
:func:`~fundgap.models.capacity`: labels are factorised on category codes (no
per-row Python), missing labels named (``"unknown"`` for stage and modality
columns, ``"missing"`` otherwise), and cells sorted along the region list and the
funding ladder rather than the alphabet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fundgap.schema import MODALITIES, STAGES

__all__ = ["STAGE_COLUMNS", "factorize", "sort_key", "unknown_share"]

#: Columns holding stages (missing labels are "unknown"; the share of unknown stages is
#: reported over the other columns).
STAGE_COLUMNS = ("stage", "stage_group")

_ORDER = {
    "region": ("EU27", "UK", "OTHER_EUROPE", "US", "CN", "HK", "ROW", "EUROPE", "EU28",
               "ASIA", "WORLD"),
    "stage_group": ("all", "seed", "early", "later", "unknown", "non_vc"),
    "modality": MODALITIES,
}


def _rank(col: str, values: pd.Series) -> pd.Series:
    order = _ORDER.get(col) or (("all", *STAGES) if col == "stage" else None)
    if order is None:
        return values
    pos = {v: i for i, v in enumerate(order)}
    return values.map(lambda v: pos.get(v, len(pos)))  # small key table only


def sort_key(values: pd.Series) -> pd.Series:
    """Sort key of a label column: the region list and the ladders, else the labels."""
    if values.name in _ORDER or values.name == "stage":
        return _rank(str(values.name), values.astype("object"))
    return values.astype("object").map(str) if values.dtype == object else values


def factorize(frame: pd.DataFrame, cols: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group id of every row over ``cols`` and the table of labels of each id.

    Works on category codes / factorized values (no per-row Python); a missing label
    becomes ``"unknown"`` for stage columns and ``"missing"`` otherwise (merged with an
    existing level of that name).
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    level_labels = []
    for c in cols:
        s = frame[c]
        missing = "unknown" if c in STAGE_COLUMNS or c == "modality" else "missing"
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes = s.cat.codes.to_numpy().astype(np.int64)
            levels = list(s.cat.categories.astype(object))
        else:
            codes, uniq = pd.factorize(s, use_na_sentinel=True)
            codes = codes.astype(np.int64)
            levels = list(pd.Index(uniq).astype(object))
        if missing in levels:
            na_code = levels.index(missing)
        else:
            levels.append(missing)
            na_code = len(levels) - 1
        codes = np.where(codes < 0, na_code, codes)
        combined = combined * len(levels) + codes
        level_labels.append(np.array(levels, dtype=object))
    uniq, inverse = np.unique(combined, return_inverse=True)
    keys = {}
    rem = uniq.copy()
    for c, levels in reversed(list(zip(cols, level_labels, strict=True))):
        keys[c] = levels[rem % len(levels)]
        rem //= len(levels)
    table = pd.DataFrame({c: pd.Series(keys[c], dtype=object) for c in cols})
    return inverse.reshape(-1).astype(np.int64), table


def unknown_share(kept: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Share of rows in unknown stages per cell of the non-stage by columns."""
    if "stage_group" in kept.columns:
        grp = kept["stage_group"]
        unknown = (grp.isna() | (grp == "unknown")).to_numpy(dtype=bool)
    elif "stage" in kept.columns:
        st = kept["stage"]
        unknown = (st.isna() | (st == "venture_unknown")).to_numpy(dtype=bool)
    else:
        return pd.DataFrame()
    rest = [c for c in by if c not in STAGE_COLUMNS]
    if rest:
        codes, g = factorize(kept, rest)
        size = np.bincount(codes, minlength=len(g))
        share = np.bincount(codes, weights=unknown.astype("float64"), minlength=len(g))
        g = g.assign(estimate=share / np.maximum(size, 1), n=size)
    else:
        g = pd.DataFrame({"estimate": [float(unknown.mean()) if len(unknown) else np.nan],
                          "n": [len(unknown)]})
    out = g
    for c in by:
        if c in STAGE_COLUMNS:
            out[c] = "all"
    out["metric"] = "share_unknown_stage"
    out["unit"] = "share"
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    return out
