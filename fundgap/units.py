"""Unit codes in words: one vocabulary for every output (workbook, terminal, figures).

Examples
--------
>>> describe_unit("USD_M", "current"), describe_unit("EUR_M", 2024)
('USD million, current prices', 'EUR million, 2024 prices')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["describe_unit"]

_UNIT_WORDS = {
    "EUR_M": "EUR million",
    "USD_M": "USD million",
    "CNY_M": "CNY million",
    "GBP_M": "GBP million",
    "EUR_BN": "EUR billion",
    "USD_BN": "USD billion",
    "PCT_GDP": "% of GDP",
    "PCT": "%",
    "ratio": "ratio",
    "RATIO": "ratio",
    "count": "number",
    "COUNT": "number",
    "share": "share (0-1)",
}


def describe_unit(unit: Any, price_base: Any = None) -> str:
    """Return a unit code in words, with the price base for money.

    Parameters
    ----------
    unit : str
        A unit code such as ``"EUR_M"``, ``"USD_M"``, ``"PCT_GDP"``, ``"ratio"``
        (unknown codes are returned unchanged).
    price_base : str or int, optional
        ``"current"`` or a base year such as ``2024``; added for money units.

    Returns
    -------
    str

    Examples
    --------
    >>> describe_unit("EUR_M", 2024)
    'EUR million, 2024 prices'
    >>> describe_unit("USD_M", "current")
    'USD million, current prices'
    >>> describe_unit("PCT_GDP")
    '% of GDP'
    """
    if unit is None or (not isinstance(unit, str) and pd.isna(unit)):
        return ""
    text = _UNIT_WORDS.get(str(unit), str(unit))
    money = str(unit).upper().endswith(("_M", "_BN"))
    if money and price_base is not None and not (
        not isinstance(price_base, str) and pd.isna(price_base)
    ):
        base = str(price_base)
        if base.endswith(".0"):
            base = base[:-2]
        text += ", current prices" if base == "current" else f", {base} prices"
    return text
