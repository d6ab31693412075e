"""Reports: the Excel workbook, the figures and the whole-analysis pipeline.

* :func:`write_report` runs the whole analysis (shipped data, or your own
  exports with the shipped data filling the rest): it computes the findings
  once (:func:`fundgap.findings`) and writes the workbook, figures (PNG and SVG)
  and tidy CSV tables into one folder. It is what the ``fundgap report``
  command calls.
* :mod:`fundgap.report.excel` is the only code that writes Excel (xlsxwriter;
  openpyxl stays the reader); :mod:`fundgap.report.labels` is the one mapping of codes
  to words in the workbook and the figures.
* :mod:`fundgap.report.figures` is the only module that plots (matplotlib,
  seaborn).

Nothing heavy is imported until it is used.

Examples
--------
>>> import fundgap.report
>>> import inspect
>>> "rounds" in inspect.signature(fundgap.report.write_report).parameters
True
"""

from __future__ import annotations

__all__ = ["ReportOutput", "shipped_series", "write_report"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from fundgap.report import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fundgap.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
