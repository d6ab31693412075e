"""Parse money amounts written as text (stub, being filled in)."""
from __future__ import annotations

import pandas as pd


def parse_amounts(values, *, scale: float = 1.0) -> pd.DataFrame:
    raise NotImplementedError("parse_amounts: being written (room normalise)")
