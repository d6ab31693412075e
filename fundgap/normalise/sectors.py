"""Biotech flag (stub)."""
from __future__ import annotations

import pandas as pd


def is_biotech(*text_columns) -> pd.Series:
    raise NotImplementedError
