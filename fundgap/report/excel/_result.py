"""One model result as a workbook: its tidy table and its options (``Result.to_excel``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.excel._book import write_workbook
from fundgap.report.excel._model import Sheet, Table

__all__ = ["result_sheets", "write_result"]

_VALUE_COLUMNS = {"estimate", "value", "ci_low", "ci_high", "mean", "median", "total", "p25",
                  "p75", "p90"}


def _frame_units(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Move a single-valued ``unit`` (and ``price_base``) column into header text."""
    if "unit" not in frame.columns or len(frame) == 0:
        return frame, None
    units = frame["unit"].dropna().astype(str).unique()
    if len(units) != 1:
        return frame, None
    base = None
    if "price_base" in frame.columns:
        bases = frame["price_base"].dropna().astype(str).unique()
        if len(bases) > 1:
            return frame, None
        base = bases[0] if len(bases) else None
    drop = [c for c in ("unit", "price_base") if c in frame.columns]
    return frame.drop(columns=drop), labels.unit(units[0], base)



def result_sheets(result: Any, *, name: str | None = None) -> list[Sheet]:
    """Describe a results object as sheets: the table, then its options.

    Headers are the columns in words (:func:`fundgap.report.labels.header`) with
    the unit where the table has one; region and stage codes are spelled out; a
    table whose rows mix units keeps a unit column and formats each value by it.

    Parameters
    ----------
    result : fundgap.models.results.Result
        Anything with ``to_frame()``, ``title`` and ``meta``.
    name : str, optional
        Sheet name; default the result's class name.
    """
    frame = result.to_frame()
    frame, unit = _frame_units(frame)
    frame = labels.relabel(frame)
    for c in ("metric",):
        if c in frame.columns:
            frame[c] = frame[c].map(labels.metric).astype("object")
    heads = {c: labels.header(c) for c in frame.columns}
    units = {c: unit for c in frame.columns if c in _VALUE_COLUMNS} if unit else None
    row_units = None
    if "unit" in frame.columns:
        row_units = {c: "unit" for c in frame.columns if c in _VALUE_COLUMNS}
        frame["unit"] = frame["unit"].map(labels.unit).astype("object")
    title = str(getattr(result, "title", "") or type(result).__name__)
    sheet_name = name or type(result).__name__
    lines = [f"Unit: {unit}" if unit else "Units: see the Unit column of each row."]
    meta = dict(getattr(result, "meta", {}) or {})
    opts = pd.DataFrame({"Option": [str(k) for k in meta],
                         "Value": [labels.meta_text(v) for v in meta.values()]})
    return [
        Sheet(sheet_name, title=title, lines=lines,
              tables=[Table(frame, units=units, labels=heads, row_units=row_units,
                            missing={"ci_low": "[z]", "ci_high": "[z]"})]),
        Sheet(f"{sheet_name} options", title=f"Options and assumptions: {title}",
              tables=[Table(opts, wrap=["Value"])]),
    ]


def write_result(result: Any, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write one results object to an ``.xlsx`` workbook (used by ``Result.to_excel``).

    The first sheet holds the tidy table (``result.to_frame()``) with human headers
    and its unit in the header where the table has a single unit; the second lists
    the options and assumptions in ``result.meta``.

    Parameters
    ----------
    result : Result
    path : path-like
        Target ``.xlsx`` file.
    **kwargs
        Passed to :func:`write_workbook` (``max_rows``).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, openpyxl
    >>> from fundgap.models.results import Result
    >>> r = Result(pd.DataFrame({"region": ["EU27"], "estimate": [1.5], "unit": ["EUR_M"]}),
    ...            title="demo", meta={"seed": 1})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = r.to_excel(pathlib.Path(d) / "r.xlsx")
    ...     wb = openpyxl.load_workbook(p)
    ...     wb.sheetnames, wb["Result"]["B3"].value, wb["Result"]["A4"].value
    (['Result', 'Result options'], 'Estimate (EUR million)', 'EU-27')
    """
    return write_workbook(result_sheets(result), path, **kwargs)
