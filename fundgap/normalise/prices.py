"""Constant prices (stub)."""
from __future__ import annotations

import pandas as pd


def deflate(values, year, *, currency: str = "USD", base_year: int = 2024) -> pd.Series:
    raise NotImplementedError
