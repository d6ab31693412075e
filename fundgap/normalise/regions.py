"""Countries and regions (stub)."""
from __future__ import annotations

import pandas as pd


def to_iso2(values) -> pd.Series:
    raise NotImplementedError


def region_of(iso2, *, date=None, eu_membership: str = "fixed", separate_hk: bool = False) -> pd.Series:
    raise NotImplementedError
