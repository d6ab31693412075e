"""Small helpers shared by the models (argument checks, units)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError

MEASURE_UNITS = {
    "amount_eur": "EUR_M",
    "amount_usd": "USD_M",
    "size_eur": "EUR_M",
    "size_usd": "USD_M",
}


def check_frame(frame: Any, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise FundgapError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    return frame


def require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{name} lacks column(s) {missing}", column=missing[0], expected=list(frame.columns)
        )


def check_choice(value: Any, allowed: Iterable[Any], name: str) -> None:
    allowed = list(allowed)
    if value not in allowed:
        raise FundgapError(f"{name} must be one of {allowed}", column=name, value=value,
                           expected=allowed)


def check_ci(ci: float) -> float:
    try:
        ci = float(ci)
    except (TypeError, ValueError):
        raise FundgapError("ci must be a number strictly between 0 and 1", value=ci) from None
    if not 0 < ci < 1:
        raise FundgapError("ci must be strictly between 0 and 1", value=ci)
    return ci


def unit_of(frame: pd.DataFrame, measure: str) -> str:
    """Unit label of a money column: ``EUR_M``/``USD_M``, or ``<CUR>_M`` for ``amount``."""
    if measure in MEASURE_UNITS:
        return MEASURE_UNITS[measure]
    if measure in ("amount", "size") and "currency" in frame.columns:
        cur = frame["currency"].dropna().unique()
        if len(cur) == 1:
            return f"{cur[0]}_M"
        raise FundgapError(
            f"column {measure!r} mixes currencies {sorted(map(str, cur))[:10]}; use "
            "amount_eur/amount_usd (size_eur/size_usd) or filter to one currency",
            column=measure,
        )
    return "M"


def as_str(values: pd.Series, missing: str) -> pd.Series:
    """Object-dtype labels with missing values replaced by ``missing``."""
    out = values.astype("object")
    return out.where(out.notna(), missing)


def biotech_subset(rounds: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The biotech rounds when the data flag them, else all rounds; and a note saying which.

    Examples
    --------
    >>> r = pd.DataFrame({"is_biotech": [True, False, True]})
    >>> biotech_subset(r)[1]
    'biotech rounds only (2 of 3)'
    """
    if "is_biotech" in rounds.columns:
        flag = rounds["is_biotech"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if flag.any():
            if flag.all():
                return rounds, "all rounds are biotech"
            return rounds[flag], f"biotech rounds only ({int(flag.sum()):,} of {len(rounds):,})"
    return rounds, "no biotech flag in the data: all rounds used"
