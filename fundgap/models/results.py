"""Base class of every results object fundgap's models and scenarios return.

A result holds one tidy table (``to_frame()``); every other view derives from
it: ``summary()`` (a compact statsmodels-style text: a header block with the
data, source and options, then one key table of at most 20 rows),
``key_table()`` (that table as a frame), ``__repr__``, ``_repr_html_`` (the same
in a notebook), ``to_excel(path)`` and ``plot(ax=None)``. Excel and plotting code
live in :mod:`fundgap.report` and are imported only when those methods are
called, so ``import fundgap.models`` never imports matplotlib, seaborn or openpyxl.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KEY_ROWS", "Result", "format_number"]

#: Largest number of rows of the key table in :meth:`Result.summary`.
KEY_ROWS = 20
#: Options shown in the header block of :meth:`Result.summary`, in this order, when present.
HEADER_KEYS = ("source", "table", "measure", "sector", "unit", "price_base", "base", "against",
               "by", "period", "window", "years_used", "ci", "n_boot", "seed", "scenario", "lever",
               "horizon", "n_sims", "baseline_source", "baseline_year")


def format_number(value: Any) -> str:
    """A number as a person reads it: no scientific notation, ``-`` for missing.

    Examples
    --------
    >>> [format_number(v) for v in (18202.4, 12.345, 0.04712, float("nan"), 3)]
    ['18,202', '12.35', '0.0471', '-', '3']
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "-"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-" if pd.isna(value) else str(value)
    return _float_text(v)


def _float_text(v: float) -> str:
    if not np.isfinite(v):
        return "-"
    if abs(v) >= 1 and (v == int(v) or abs(v) >= 1000):  # thousands
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.2f}"
    return f"{v:.3g}" if v else "0"


def _column_format(values: pd.Series) -> Any:
    """One format for a whole float column, chosen by its largest finite value."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    v = v[np.isfinite(v)]
    top = float(np.abs(v).max()) if v.size else 0.0
    nonzero = np.abs(v[v != 0])
    small = bool(nonzero.size) and float(nonzero.min()) < 0.1
    if top >= 1000:
        return lambda x: f"{x:,.0f}"
    if top >= 1 and not small:
        return lambda x: f"{x:,.2f}"
    return lambda x: f"{x:,.4f}"


def _text_table(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for col in shown.columns:
        if str(col).lower().endswith("year") and pd.api.types.is_numeric_dtype(shown[col]):
            shown[col] = [str(int(v)) if pd.notna(v) else "-" for v in shown[col]]
        elif pd.api.types.is_integer_dtype(shown[col]):
            shown[col] = [format_number(v) if pd.notna(v) else "-" for v in shown[col]]
        elif pd.api.types.is_numeric_dtype(shown[col]) and \
                not pd.api.types.is_bool_dtype(shown[col]):
            fmt = _column_format(shown[col])
            shown[col] = [fmt(float(v)) if pd.notna(v) and np.isfinite(float(v)) else "-"
                          for v in shown[col]]
        else:
            shown[col] = shown[col].astype("object").where(shown[col].notna(), "-").astype(str)
    return shown.to_string(index=False)


class Result:
    """A model's output: one tidy table plus metadata.

    Parameters
    ----------
    frame : DataFrame
        The tidy table: one row per estimate, columns such as ``region``,
        ``stage_group``, ``metric``, ``estimate``, ``ci_low``, ``ci_high``, ``n``,
        ``unit``.
    title : str
        One line saying what the table is.
    meta : dict, optional
        Options and assumptions used (seed, confidence level, data versions ...),
        reported by :meth:`summary` and written to Excel.

    Examples
    --------
    >>> import pandas as pd
    >>> r = Result(pd.DataFrame({"metric": ["total"], "estimate": [1.5]}), title="demo")
    >>> r.to_frame()
      metric  estimate
    0  total       1.5
    >>> print(r.summary())
    demo
    ====
    metric estimate
     total     1.50
    (the whole table: to_frame(), 1 rows)
    """

    kind = "result"

    def __init__(self, frame: pd.DataFrame, *, title: str, meta: dict[str, Any] | None = None):
        self._frame = frame.reset_index(drop=True)
        self.title = title
        self.meta = dict(meta or {})

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the tidy results table."""
        return self._frame.copy()

    def _key_table(self) -> pd.DataFrame:
        """The table a reader looks at first (subclasses choose); the first rows by default."""
        return self._frame

    def key_table(self) -> pd.DataFrame:
        """The key table of :meth:`summary`: at most :data:`KEY_ROWS` rows."""
        return self._key_table().head(KEY_ROWS).reset_index(drop=True)

    def _header(self) -> list[tuple[str, str]]:
        from fundgap.units import describe_unit

        out = []
        for key in HEADER_KEYS:
            value = self.meta.get(key)
            if value is None or value == "" or (key == "price_base" and "unit" in self.meta):
                continue
            if key == "unit":
                value = describe_unit(value, self.meta.get("price_base"))
            text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            out.append((key.replace("_", " "), text if len(text) <= 80 else text[:77] + "..."))
        return out

    def summary(self) -> str:
        """A compact summary: the title, a header block of options, one key table (<= 20 rows)."""
        lines = [self.title, "=" * min(len(self.title), 100)]
        header = self._header()
        width = max([18, *(len(k) + 2 for k, _ in header)])
        lines += [f"{k + ':':<{width}}{v}" for k, v in header]
        key = self.key_table()
        if len(key):
            lines.append(_text_table(key))
        lines.append(f"(the whole table: to_frame(), {len(self._frame):,} rows)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}; {len(self._frame)} rows>"

    def _repr_html_(self) -> str:
        head = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
                       for k, v in self._header())
        key = self.key_table()
        body = key.to_html(index=False, na_rep="-", float_format=format_number) if len(key) else ""
        return (f"<p><b>{html.escape(type(self).__name__)}</b>: {html.escape(self.title)}</p>"
                f"<table>{head}</table>{body}<p><small>the whole table: to_frame(), "
                f"{len(self._frame):,} rows</small></p>")

    def to_csv(self, path: Any) -> Any:
        """Write the tidy table to a CSV file, safely and whole.

        Written to a temporary file then renamed (no half-written file), with text
        that a spreadsheet would run as a formula kept as text (see
        :func:`fundgap.report.write_table`). Returns the path.
        """
        from fundgap.report import write_table

        return write_table(self._frame, path)

    def to_excel(self, path: Any) -> Any:
        """Write this result to an Excel workbook (one sheet, with its metadata).

        Uses :func:`fundgap.report.excel.write_result`, the one module that writes Excel.
        """
        from fundgap.report.excel import write_result

        return write_result(self, path)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Plot this result on ``ax`` (a new one if None) and return the Axes.

        Uses :func:`fundgap.report.figures.plot_result`, the one module that plots.
        """
        from fundgap.report.figures import plot_result

        return plot_result(self, ax=ax, **kwargs)
