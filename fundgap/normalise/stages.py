"""Stage crosswalk (stub)."""
from __future__ import annotations

import pandas as pd


def map_stage(labels, taxonomy) -> pd.Series:
    raise NotImplementedError


def stage_group_of(stage) -> pd.Series:
    raise NotImplementedError
