"""Base class of every results object fundgap's models and scenarios return.

A result holds one tidy table (``to_frame()``); every other view derives from
it: ``summary()`` (text), ``__repr__``, ``_repr_html_``, ``to_excel(path)`` and
``plot(ax=None)``. Excel and plotting code live in :mod:`fundgap.report` and are
imported only when those methods are called, so ``import fundgap.models``
never imports matplotlib, seaborn or openpyxl.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["Result"]


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
    """

    kind = "result"

    def __init__(self, frame: pd.DataFrame, *, title: str, meta: dict[str, Any] | None = None):
        self._frame = frame.reset_index(drop=True)
        self.title = title
        self.meta = dict(meta or {})

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the tidy results table."""
        return self._frame.copy()

    def summary(self) -> str:
        """Return a text summary: title, options and the table."""
        lines = [self.title, "=" * len(self.title)]
        for k, v in self.meta.items():
            lines.append(f"{k}: {v}")
        with pd.option_context("display.width", 120, "display.max_columns", 30,
                               "display.max_rows", 60):
            lines.append(self._frame.to_string(index=False))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}; {len(self._frame)} rows>"

    def _repr_html_(self) -> str:
        head = f"<p><b>{type(self).__name__}</b>: {self.title}</p>"
        return head + self._frame.to_html(index=False, max_rows=60)

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
