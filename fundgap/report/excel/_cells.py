"""Cells: safe values, number formats, shorthand for missing values, links.

Every value is written with the xlsxwriter call of its type (``write_string``,
``write_number`` ...), never with the guessing ``write``: a string is always a
string cell, and one that a spreadsheet program could read as a formula
(``= + - @``, tab, CR, LF first) also gets the quote-prefix style.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from fundgap.report import labels

__all__ = ["EXCEL_MAX_CHARS", "FORMULA_START", "URL", "Formats", "clean_text", "column_format",
           "excel_value", "is_year_column", "write_cell"]

#: Characters in one Excel cell.
EXCEL_MAX_CHARS = 32_767
#: Longest URL Excel keeps as a link.
_MAX_URL = 2_079
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
URL = re.compile(r"https?://[^\s<>\"]+")
# text that a spreadsheet program could read as a formula or a command
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FONT = "Arial"


class Formats:
    """xlsxwriter formats, made once per distinct set of properties."""

    def __init__(self, workbook: Any) -> None:
        self._wb = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        if "wrap" in props:
            props["text_wrap"] = props.pop("wrap")
        props = {k: v for k, v in props.items() if v not in (None, False, "")}
        props.setdefault("font_name", FONT)
        props.setdefault("font_size", 10)
        props.setdefault("valign", "top")
        key = tuple(sorted(props.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._wb.add_format(props)
            self._cache[key] = fmt
        return fmt


def clean_text(value: str) -> str:
    """Replace characters XML cannot carry, end lines with LF, cut text to the cell limit."""
    text = _ILLEGAL_XML.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > EXCEL_MAX_CHARS:
        mark = " [cut: text longer than an Excel cell]"
        text = text[: EXCEL_MAX_CHARS - len(mark)] + mark
    return text


def excel_value(value: Any) -> Any:
    """One Python/numpy/pandas value as str, float, int, bool, datetime or None (missing)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if (math.isnan(f) or math.isinf(f)) else f
    if isinstance(value, str):
        return clean_text(value)
    if labels.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            value = value.tz_convert("UTC").tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    return clean_text(str(value))


def is_year_column(name: Any) -> bool:
    n = str(name).lower()
    return n in {"year", "vintage", "start_year", "end_year", "first_year", "base_year"} or \
        n.endswith(("_year", " year")) or n.startswith("year")


def _whole(finite: np.ndarray) -> bool:
    return bool(finite.size and np.all(finite == np.round(finite)) and np.nanmax(np.abs(finite)) >= 1)


def column_format(name: Any, s: pd.Series, given: str | None = None,
                  unit_text: str | None = None) -> str | None:
    """The number format of a column: given, from its unit, or from its values."""
    if given:
        return labels.KIND_FORMATS.get(given, given)
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return "yyyy-mm-dd"
    numeric = pd.api.types.is_numeric_dtype(s.dtype)
    if numeric and is_year_column(name):
        return "0"
    if numeric and unit_text and labels.number_format(unit_text):
        return labels.number_format(unit_text)
    if pd.api.types.is_integer_dtype(s.dtype):
        return "#,##0"
    if pd.api.types.is_float_dtype(s.dtype):
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        finite = vals[np.isfinite(vals)]
        if _whole(finite):
            return "#,##0"
        if finite.size and np.nanmax(np.abs(finite)) < 10:
            return "0.000"
        return "#,##0.0"
    return None


def _link(ws: Any, row: int, col: int, target: str, text: str, fmt: Any, plain: Any) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # too many links or too long: the text stays, unlinked
        ok = ws.write_url(row, col, target, fmt, string=text)
    if ok != 0:
        ws.write_string(row, col, text, plain)


def write_cell(ws: Any, row: int, col: int, value: Any, formats: Formats, *,
               num_format: str | None = None, missing: str = "[x]", wrap: bool = False,
               bold: bool = False, link: str | None = None) -> None:
    """Write one value with the call of its type; missing values as the shorthand."""
    v = excel_value(value)
    if isinstance(v, str) and not v.strip() and link is None:
        v = None  # no blank cells: an empty text is missing too
    if v is None:
        ws.write_string(row, col, missing, formats.get(align="right", wrap=wrap, bold=bold))
    elif isinstance(v, bool):
        ws.write_boolean(row, col, v, formats.get(bold=bold))
    elif isinstance(v, (int, float)):
        ws.write_number(row, col, v, formats.get(num_format=num_format, bold=bold))
    elif isinstance(v, _dt.datetime):
        ws.write_datetime(row, col, v, formats.get(num_format=num_format or "yyyy-mm-dd",
                                                   bold=bold))
    else:
        quote = v.startswith(FORMULA_START)
        target = link
        if target is None and len(v) <= _MAX_URL and URL.fullmatch(v):
            target = v
        if target is not None:
            fmt = formats.get(font_color="#0000FF", underline=1, wrap=wrap, bold=bold,
                              quote_prefix=quote)
            _link(ws, row, col, target, v, fmt,
                  formats.get(wrap=wrap, bold=bold, quote_prefix=quote))
        else:
            ws.write_string(row, col, v, formats.get(wrap=wrap, bold=bold, quote_prefix=quote))


def row_formats(frame: pd.DataFrame, row_units: Mapping[str, str] | None,
                col: str) -> list[str | None] | None:
    """Per-row number formats of a value column from the column holding each row's unit."""
    if not row_units or col not in row_units or row_units[col] not in frame.columns:
        return None
    return [labels.number_format(u) for u in frame[row_units[col]].tolist()]
