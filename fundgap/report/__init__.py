"""Reports: the Excel workbook, the figures and the whole-analysis pipeline.

* :func:`write_report` runs the whole analysis (shipped data, or your own
  exports with the shipped data filling the rest) and writes the workbook,
  figures (PNG and SVG) and tidy CSV tables into one folder. It is what the
  ``fundgap report`` command calls.
* :mod:`fundgap.report.excel` is the only code that writes Excel (xlsxwriter;
  openpyxl stays the reader); :mod:`fundgap.report.labels` the one mapping of codes to words.
* :mod:`fundgap.report.figures` is the only module that plots (matplotlib,
  seaborn).

Nothing heavy is imported until it is used.

Examples
--------
>>> import fundgap.report
>>> callable(fundgap.report.write_report)
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["ReportOutput", "shipped_series", "write_report"]


def write_report(*args: Any, **kwargs: Any) -> Any:
    """Run the whole analysis and write the report; see :func:`fundgap.report.pipeline.write_report`."""
    from fundgap.report.pipeline import write_report as _write_report

    return _write_report(*args, **kwargs)


def shipped_series() -> Any:
    """The shipped OECD and NCSES series in one canonical frame (sources kept apart by ``source``)."""
    from fundgap.report.pipeline import shipped_series as _shipped_series

    return _shipped_series()


def __getattr__(name: str) -> Any:
    if name == "ReportOutput":
        from fundgap.report.pipeline import ReportOutput

        return ReportOutput
    raise AttributeError(f"module 'fundgap.report' has no attribute {name!r}")
