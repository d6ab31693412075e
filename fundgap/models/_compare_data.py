"""The rounds a regional comparison uses, as groups (private helpers of compare_regions).

The rounds are reduced to four columns (region and stage as categoricals of their
labels, year as an integer, the amount at constant prices), then to integer codes:
every grouping below is a pass over codes (``bincount``), not a groupby of text.
Labels are ordered alphabetically, as the design's cells always were.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._common import check_columns, labels_or, price_factor
from fundgap.models._grouped import Groups, group_rows

__all__ = ["check_base", "count_grid", "grouped", "rounds_used", "sized"]


def _labels(values: pd.Series, missing: str) -> pd.Series:
    """Labels as a categorical of text, missing values named ``missing``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.cat.rename_categories([str(c) for c in values.cat.categories])
        if values.isna().any():
            if missing not in cat.cat.categories:
                cat = cat.cat.add_categories([missing])
            cat = cat.fillna(missing)
        return cat
    return labels_or(values, missing).astype(str).astype("category")


def rounds_used(rounds: pd.DataFrame, measure: str, price_base: int | None, stage_col: str,
                 stages: str, biotech_only: bool, regions: Sequence[str] | None
                 ) -> pd.DataFrame:
    """Region, stage, year and amount (at ``price_base`` prices) of the rounds compared.

    Region and stage are categoricals of their labels (only those present), year an
    integer: grouping them is one pass over category codes.
    """
    amount = pd.to_numeric(rounds[measure], errors="coerce").to_numpy(dtype="float64")
    if price_base is not None:
        amount = amount * price_factor(rounds["year"], "USD" if "usd" in measure else "EUR",
                                       price_base)
    year = pd.to_numeric(rounds["year"], errors="coerce").to_numpy(dtype="float64",
                                                                    na_value=np.nan)
    region = _labels(rounds["region"], "missing")
    keep = ~np.isnan(year)
    if stages == "vc" and "stage_group" in rounds.columns:
        keep &= (rounds["stage_group"].astype("object") != "non_vc").to_numpy(dtype=bool)
    if biotech_only:
        check_columns(rounds, ["is_biotech"], "rounds")
        keep &= rounds["is_biotech"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if regions is not None:
        keep &= region.isin(list(regions)).to_numpy(dtype=bool)
    stage = _labels(rounds[stage_col], "unknown")
    return pd.DataFrame({
        "region": region[keep].cat.remove_unused_categories().array,
        "stage": stage[keep].cat.remove_unused_categories().array,
        "year": year[keep].astype(np.int64),
        "amount": amount[keep],
    })


def check_base(df: pd.DataFrame, base: str) -> None:
    present = sorted(str(r) for r in df["region"].unique())
    if base not in present:
        raise FundgapError("the base region has no rounds", argument="base", value=base,
                           expected=present)
    if len(present) < 2:  # the base and one other region
        raise FundgapError("compare_regions needs rounds of at least one region besides base",
                           argument="regions", value=present,
                           expected="rounds of the base and of another region")


def sized(df: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Rounds with a positive amount, in cells of at least ``min_cell`` such rounds."""
    amount = df["amount"].to_numpy()
    sized = df[(amount > 0) & np.isfinite(amount)].reset_index(drop=True)
    cell_n = sized.groupby(["region", "stage"], observed=True).size()
    small = cell_n[cell_n < min_cell].index
    if len(small):
        drop = pd.MultiIndex.from_frame(sized[["region", "stage"]]).isin(small)
        sized = sized.loc[~drop].reset_index(drop=True)
    for col in ("region", "stage"):
        sized[col] = sized[col].cat.remove_unused_categories()
    return sized


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a categorical in the alphabetical order of its labels, and the labels."""
    labels = np.array(sorted(str(c) for c in values.cat.categories), dtype=object)
    pos = {c: i for i, c in enumerate(labels)}
    remap = np.array([pos[str(c)] for c in values.cat.categories], dtype=np.int64)
    return remap[values.cat.codes.to_numpy()], labels


def grouped(sized: pd.DataFrame, name: str) -> tuple[Groups, pd.DataFrame]:
    """Log amounts grouped by region x stage x year, and each group's labels and statistics."""
    r, regions = _sorted_codes(sized["region"])
    s, stages = _sorted_codes(sized["stage"])
    years, t = np.unique(sized["year"].to_numpy(), return_inverse=True)
    ns, nt = len(stages), len(years)
    groups, keys = group_rows((r * ns + s) * nt + t.reshape(-1), np.log(sized["amount"]))
    table = pd.DataFrame({"region": regions[keys // (ns * nt)], "stage": stages[(keys // nt) % ns],
                          "year": years[keys % nt], "n": groups.n,
                          f"mean_{name}": groups.mean, f"within_ss_{name}": groups.within})
    return groups, table


def count_grid(df: pd.DataFrame) -> pd.DataFrame:
    """Number of rounds per region x stage x year, zeros included (labels in alphabetical
    order, years ascending)."""
    r, regions = _sorted_codes(df["region"])
    s, stages = _sorted_codes(df["stage"])
    years, t = np.unique(df["year"].to_numpy(), return_inverse=True)
    ns, nt = len(stages), len(years)
    n = np.bincount((r * ns + s) * nt + t.reshape(-1), minlength=len(regions) * ns * nt)
    return pd.DataFrame({"region": np.repeat(regions, ns * nt),
                         "stage": np.tile(np.repeat(stages, nt), len(regions)),
                         "year": np.tile(years, len(regions) * ns),
                         "n": n.astype("float64")})
