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

__all__ = ["ReportOutput", "shipped_series", "write_report", "write_table"]


def write_table(frame: object, path: object) -> object:
    """Write a table to CSV the way every fundgap output is written, and return the path.

    The file is written whole (a temporary file in the same folder, then renamed),
    with the umask's permissions, and text starting with ``=``, ``+``, ``-``, ``@``,
    TAB or CR gets a leading ``'`` so that a spreadsheet shows it as text (numbers
    are untouched; fundgap's own reader removes the quote again).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"name": ["=1+1"], "x": [-5]}), p)
    >>> p.read_text().splitlines()[1]
    "'=1+1,-5"
    """
    from fundgap._output import write_csv

    return write_csv(frame, path)


def __getattr__(name: str) -> object:
    if name in ("ReportOutput", "shipped_series", "write_report"):
        from fundgap.report import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fundgap.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
