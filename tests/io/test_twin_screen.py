"""The exact-duplicate screen of the fund loaders on a table large enough for it to reorder
its columns: every row with an exact twin stays a candidate, and the columns that tell
rows apart are screened first (SYNTHETIC rows made here, seeded)."""

import numpy as np
import pandas as pd

from fundgap.io import _duplicates
from fundgap.io._duplicates import _order_columns, _twin_candidates


def _table(seed=0, n=80_000, twins=500):
    rng = np.random.default_rng(seed)
    cols = {
        # few distinct values: useless to screen first
        "kind": rng.choice(["a", "b"], n),
        "flag": rng.choice(["yes", "no", None], n),
        "group": rng.choice([f"g{i}" for i in range(5)], n),
        # nearly unique, placed last in the file
        "name": [f"fund {i}" for i in rng.integers(0, 10 * n, n)],
        "size": [None if v < 10 else f"{v:,}.5" for v in rng.integers(0, 5 * n, n)],
    }
    df = pd.DataFrame(cols).astype("string[pyarrow]")
    src = rng.choice(n, twins, replace=False)
    dst = rng.choice(np.setdiff1d(np.arange(n), src), twins, replace=False)
    df.iloc[dst] = df.iloc[src].to_numpy()
    return df


def test_screen_keeps_every_row_with_a_twin_and_screens_telling_columns_first():
    df = _table()
    cols = list(df.columns)
    live = np.ones(len(df), dtype=bool)
    live[::97] = False  # (rows already rejected are not screened)
    cand = _twin_candidates(df, cols, live, None, None)
    # by hand: the live rows equal to another live row in every column
    twin = np.zeros(len(df), dtype=bool)
    twin[live] = df[live].astype(object).fillna("<NA>").duplicated(keep=False).to_numpy()
    assert twin.sum() > 500
    assert not (twin & ~cand).any()  # necessary condition: no twin is dropped
    assert not (cand & ~live).any()
    order = _order_columns(df, cols, np.flatnonzero(live), np.zeros(live.sum(), dtype=np.uint64))
    assert set(order[:2]) == {"name", "size"} and sorted(order) == sorted(cols)


def test_reordering_does_not_change_the_candidates_it_ends_with(monkeypatch):
    df = _table(seed=1)
    cols = list(df.columns)
    live = np.ones(len(df), dtype=bool)
    with_order = _twin_candidates(df, cols, live, None, None)
    monkeypatch.setattr(_duplicates, "_order_columns", lambda base, strs, pos, h: strs)
    in_file_order = _twin_candidates(df, cols, live, None, None)
    twin = df.astype(object).fillna("<NA>").duplicated(keep=False).to_numpy()
    # both are supersets of the twins; the exact test that follows keeps the twins only
    assert not (twin & ~with_order).any() and not (twin & ~in_file_order).any()
    assert with_order.sum() <= in_file_order.sum()


def test_screen_of_every_row_covers_the_twins_of_any_rows_kept_later():
    # exact_candidates runs before any row is rejected (on a second thread); the twins among
    # the rows still kept afterwards must all be in it, and flag_exact_duplicates given it
    # rejects exactly what it rejects without it
    from fundgap.io._duplicates import exact_candidates, flag_exact_duplicates
    from fundgap.io._rejects import Rejector

    df = _table(seed=2)
    every = exact_candidates(df)
    rng = np.random.default_rng(5)
    live = rng.random(len(df)) > 0.1  # (rows rejected before the duplicate test)
    twin = np.zeros(len(df), dtype=bool)
    twin[live] = df[live].astype(object).fillna("<NA>").duplicated(keep=False).to_numpy()
    assert twin.sum() > 400 and not (twin & ~every).any()

    def rejected(**kw):
        rej = Rejector(len(df))
        rej.flag(~live, "rejected before", None, None)
        flag_exact_duplicates(rej, df, np.arange(len(df)) + 2, column="name", values=df["name"],
                              **kw)
        return ~rej.kept & live

    by_hand = np.zeros(len(df), dtype=bool)  # later live rows equal to an earlier live row
    by_hand[live] = df[live].astype(object).fillna("<NA>").duplicated(keep="first").to_numpy()
    with_screen, without = rejected(candidates=every), rejected()
    assert (with_screen == without).all() and (with_screen == by_hand).all()
