"""Duplicates (stub)."""
from __future__ import annotations

import pandas as pd


def find_duplicates(frame, *, exact_cols=None, key=("company", "date", "amount"),
                    row_col: str = "source_row") -> pd.Series:
    raise NotImplementedError
