"""Excel output: the only code in fundgap that writes spreadsheets (through xlsxwriter).

A workbook is described by a list of :class:`Sheet` objects, each holding a title,
a few rows of description, a :class:`Table` and native Excel :class:`Chart`
objects drawn from the table's cells. :func:`write_workbook` turns that
description into an ``.xlsx`` file laid out the way the UK Analysis Function's
"Releasing statistics in spreadsheets" asks:

* the title in A1, description rows under it, then one Excel table (a
  ListObject) with one header row (units in the header text), frozen on screen
  and repeated on every printed page; charts below the table, never over it,
  each with alt text;
* a number format on every numeric cell, chosen per cell where a table's rows
  mix units (ratios as percentages, counts as whole numbers, years without
  separators, money with one decimal); missing values as ``[x]`` (not available)
  or ``[z]`` (not applicable), explained in the notes;
* numbered notes (``[note N]`` in titles and headers) listed on a notes sheet;
* web addresses as hyperlinks; every string written as a string, never a
  formula: a company called ``=HYPERLINK("http://x","y")`` stays that text (the
  cell also gets the quote-prefix style);
* characters that XML cannot carry are replaced by U+FFFD, text longer than
  Excel's 32,767-character cell limit is cut and marked;
* printed on A4 one page wide (landscape where wide), the sheet name and page
  number in the footer; a cover sheet prints on one page;
* a table longer than Excel allows (or a lower ``max_rows`` cap) goes in full to
  a CSV file beside the workbook, and the sheet says so;
* the file is written to a temporary file in the same folder and renamed into
  place, so a failure never leaves a half-written workbook.

openpyxl stays the reader (tests open the result with it).
:func:`write_result` writes one model result (used by ``Result.to_excel``).

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> frame = pd.DataFrame({"company": ["=1+1"], "amount": [2.5]})
>>> with tempfile.TemporaryDirectory() as d:
...     p = write_workbook([Sheet("Rounds", tables=[Table(frame, units={"amount": "EUR million"})])],
...                        pathlib.Path(d) / "x.xlsx")
...     p.name
'x.xlsx'
"""

from __future__ import annotations

from fundgap.units import describe_unit  # the one unit vocabulary, re-exported
from fundgap.report.excel._book import (
    EXCEL_MAX_ROWS,
    atomic_csv,
    number_notes,
    write_workbook,
)
from fundgap.report.excel._cells import EXCEL_MAX_CHARS
from fundgap.report.excel._model import Chart, Sheet, Table, safe_sheet_name
from fundgap.report.excel._result import result_sheets, write_result

__all__ = [
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "Chart",
    "Sheet",
    "Table",
    "atomic_csv",
    "describe_unit",
    "number_notes",
    "result_sheets",
    "safe_sheet_name",
    "write_result",
    "write_workbook",
]


