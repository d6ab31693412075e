"""Unit codes in words and kinds: one vocabulary for every output.

The workbook, the figures, the terminal and the results objects' summaries all
name units through this module (``EUR_M`` -> "EUR million", with the price base
for money), and the workbook picks its number formats by the unit's kind.

Examples
--------
>>> describe_unit("USD_M", "current"), describe_unit("EUR_M", 2024)
('USD million, current prices', 'EUR million, 2024 prices')
>>> unit_kind("ratio"), unit_kind("EUR_M"), unit_kind("count")
('ratio', 'money', 'count')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["UNITS", "describe_unit", "is_missing", "unit_kind"]

#: Unit code (or text) -> (words, kind). Kinds decide the number format.
UNITS: dict[str, tuple[str, str]] = {
    "EUR_M": ("EUR million", "money"), "USD_M": ("USD million", "money"),
    "CNY_M": ("CNY million", "money"), "GBP_M": ("GBP million", "money"),
    "EUR_BN": ("EUR billion", "money"), "USD_BN": ("USD billion", "money"),
    "EUR m": ("EUR million", "money"), "USD m": ("USD million", "money"),
    "EUR m (2024 prices)": ("EUR million, 2024 prices", "money"),
    "PCT_GDP": ("% of GDP", "decimal"), "PCT": ("%", "decimal"), "%": ("%", "decimal"),
    "ratio": ("ratio, shown as a percentage", "ratio"), "RATIO": ("ratio", "ratio"),
    "share": ("share, shown as a percentage", "ratio"),
    "relative difference": ("relative difference, shown as a percentage", "ratio"),
    "growth per year": ("growth a year, shown as a percentage", "ratio"),
    "count": ("number", "count"), "COUNT": ("number", "count"),
    "year": ("year", "year"), "multiple": ("times", "multiple"), "x": ("times", "multiple"),
}

def is_missing(value: Any) -> bool:
    """True for None, NaN, NA and NaT (and not for text or lists)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def unit_kind(code: Any) -> str:
    """The kind of a unit (money, ratio, count, year, multiple, decimal), or ``""``."""
    if is_missing(code):
        return ""
    text = str(code)
    if text in UNITS:
        return UNITS[text][1]
    for words, kind in UNITS.values():
        if text == words:
            return kind
    if text.upper().endswith(("_M", "_BN")) or text.startswith(("EUR ", "USD ")):
        return "money"
    if text.startswith("ratio") or text.endswith("as a share of the US"):
        return "ratio"
    return ""


def describe_unit(code: Any, price_base: Any = None) -> str:
    """A unit code in words, with the price base for money.

    Examples
    --------
    >>> describe_unit("EUR_M", 2024), describe_unit("EUR_M", 2024.0), describe_unit("PCT_GDP", "current")
    ('EUR million, 2024 prices', 'EUR million, 2024 prices', '% of GDP')
    >>> describe_unit(None)
    ''
    """
    if is_missing(code):
        return ""
    text = UNITS.get(str(code), (str(code), ""))[0]
    if unit_kind(code) == "money" and not is_missing(price_base) and "prices" not in text:
        base = str(price_base)
        base = base[:-2] if base.endswith(".0") else base
        text += ", current prices" if base == "current" else f", {base} prices"
    return text
