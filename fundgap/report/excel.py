"""Excel output: the only module in fundgap that uses openpyxl.

A workbook is described by a list of :class:`Sheet` objects, each holding a few
lines of text, one or more :class:`Table` objects and native Excel charts
(:class:`Chart`) drawn from the sheet's own cell ranges. :func:`write_workbook`
turns that description into an ``.xlsx`` file with these guarantees:

* every string is written as text, never as a formula: a company called
  ``=HYPERLINK("http://x","y")`` stays that string (the cell gets the string
  type and the "quote prefix" style that spreadsheet programs honour);
* characters that XML cannot carry are replaced by U+FFFD, text longer than
  Excel's 32,767-character cell limit is cut and marked;
* every table has one header row (units in the header text), a number format
  on every numeric column, sensible column widths, no merged cells and no blank
  rows inside it; the first table's header is frozen; the cursor sits in A1;
* a table longer than Excel allows (or a lower ``max_rows`` cap) goes in full
  to a CSV file beside the workbook, and the sheet says so;
* the file is written to a temporary file in the same folder and renamed into
  place, so a failure never leaves a half-written workbook.

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

import datetime as _dt
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "EXCEL_MAX_ROWS",
    "Chart",
    "Sheet",
    "Table",
    "describe_unit",
    "safe_sheet_name",
    "write_result",
    "write_workbook",
]

#: Rows in one Excel worksheet.
EXCEL_MAX_ROWS = 1_048_576
#: Characters in one Excel cell.
EXCEL_MAX_CHARS = 32_767

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# text that a spreadsheet program could read as a formula or a command
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

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


@dataclass
class Table:
    """A frame to write as one table.

    Parameters
    ----------
    frame : DataFrame
        Written as is (index dropped): one header row, then one row per record.
    caption : str, optional
        A bold line above the header.
    units : str or mapping, optional
        Unit text for the header: one string for every numeric column, or a
        mapping column -> unit; the header reads ``"column (unit)"``.
    formats : mapping, optional
        Column -> Excel number format, overriding the defaults (``#,##0`` for
        integers, ``#,##0.0`` or ``0.000`` for floats, ``0`` for year columns,
        ``yyyy-mm-dd`` for dates).
    labels : mapping, optional
        Column -> header text to show instead of the column name.
    note : str, optional
        A line written below the table (after one empty row).
    csv_name : str, optional
        File name for the CSV written when the frame exceeds the row cap.
    """

    frame: pd.DataFrame
    caption: str = ""
    units: str | Mapping[str, str] | None = None
    formats: Mapping[str, str] | None = None
    labels: Mapping[str, str] | None = None
    note: str = ""
    csv_name: str = ""


@dataclass
class Chart:
    """A native Excel chart drawn from a table on the same sheet.

    Parameters
    ----------
    x : str
        The column giving the categories (e.g. ``"year"`` or ``"stage_group"``).
    y : sequence of str
        The columns drawn as series (one line or bar set each).
    kind : {"line", "bar"}
    title, x_title, y_title : str
        Chart and axis titles; put the unit in ``y_title``.
    table : int
        Index of the table in the sheet's ``tables``.
    dashed : sequence of str
        Series drawn with dashed lines (e.g. the outer quantiles of a fan).
    anchor : str, optional
        Top-left cell of the chart; default: two columns right of the table.
    """

    x: str
    y: Sequence[str]
    kind: Literal["line", "bar"] = "line"
    title: str = ""
    x_title: str = ""
    y_title: str = ""
    table: int = 0
    dashed: Sequence[str] = ()
    anchor: str = ""
    width: float = 18.0
    height: float = 9.0


@dataclass
class Sheet:
    """One worksheet: a title, lines of text, tables and charts.

    Parameters
    ----------
    name : str
        Sheet name (made safe: at most 31 characters, no ``[]:*?/\\``).
    title : str, optional
        Bold first line.
    lines : sequence
        Text lines under the title. A tuple ``(label, value)`` fills two cells;
        a tuple of three adds a link target (``"#'Sheet'!A1"`` or a URL) on the value.
    tables : sequence of Table
    charts : sequence of Chart
    notes : sequence of str
        Lines written after the last table.
    freeze : bool
        Freeze the rows above the first table's data.
    """

    name: str
    title: str = ""
    lines: Sequence[Any] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    notes: Sequence[str] = ()
    freeze: bool = True
    widths: Mapping[str, float] = field(default_factory=dict)


def safe_sheet_name(name: str, taken: Sequence[str] = ()) -> str:
    """Return a valid, unique Excel sheet name.

    Examples
    --------
    >>> safe_sheet_name("Depth/stage: EU [x]")
    'Depth_stage_ EU _x_'
    >>> safe_sheet_name("Data", taken=["Data"])
    'Data (2)'
    """
    clean = _SHEET_BAD.sub("_", _ILLEGAL_XML.sub("", str(name))).strip("'") or "Sheet"
    clean = clean[:31]
    lower = {t.lower() for t in taken}
    out, i = clean, 2
    while out.lower() in lower:
        suffix = f" ({i})"
        out = clean[: 31 - len(suffix)] + suffix
        i += 1
    return out


def _clean_text(value: str) -> str:
    text = _ILLEGAL_XML.sub("\ufffd", value)
    if len(text) > EXCEL_MAX_CHARS:
        mark = " [cut: text longer than an Excel cell]"
        text = text[: EXCEL_MAX_CHARS - len(mark)] + mark
    return text


def _excel_value(value: Any) -> Any:
    """Convert one Python/numpy/pandas value to what openpyxl can store."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if (math.isnan(f) or math.isinf(f)) else f
    if isinstance(value, str):
        return _clean_text(value)
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            value = value.tz_convert("UTC").tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return _clean_text(str(value))


def _put(ws: Any, row: int, col: int, value: Any, *, fmt: str | None = None,
         bold: bool = False) -> Any:
    """Write one cell; strings are always text, never formulas."""
    v = _excel_value(value)
    cell = ws.cell(row=row, column=col)
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"
        if v.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif fmt and v is not None:
        cell.number_format = fmt
    if bold:
        from openpyxl.styles import Font

        cell.font = Font(bold=True)
    return cell


def _is_year_col(name: str) -> bool:
    n = str(name).lower()
    return n in {"year", "vintage", "start_year", "end_year", "first_year", "base_year"} or n.endswith(
        "_year"
    )


def _default_format(name: str, s: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return "yyyy-mm-dd"
    if pd.api.types.is_integer_dtype(s.dtype):
        return "0" if _is_year_col(name) else "#,##0"
    if pd.api.types.is_float_dtype(s.dtype):
        if _is_year_col(name):
            return "0"
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        finite = vals[np.isfinite(vals)]
        if finite.size and np.all(finite == np.round(finite)) and np.nanmax(np.abs(finite)) >= 1:
            return "#,##0"
        if finite.size and np.nanmax(np.abs(finite)) < 10:
            return "0.000"
        return "#,##0.0"
    return None


def _header_text(col: Any, table: Table, numeric: bool) -> str:
    label = str(col)
    if table.labels and col in table.labels:
        label = str(table.labels[col])
    unit = None
    if isinstance(table.units, Mapping):
        unit = table.units.get(col)
    elif isinstance(table.units, str) and numeric and not _is_year_col(str(col)):
        unit = table.units
    return f"{label} ({unit})" if unit else label


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _write_table(ws: Any, table: Table, start_row: int, *, max_rows: int, path: Path,
                 widths: dict[int, float], written: list[Path]) -> tuple[int, int, int, int]:
    """Write a table starting at ``start_row``; return (header_row, first, last, ncols)."""
    frame = table.frame.reset_index(drop=True)
    row = start_row
    if table.caption:
        _put(ws, row, 1, table.caption, bold=True)
        row += 1
    n = len(frame)
    shown = frame
    if n > max_rows:
        csv_name = table.csv_name or f"{path.stem}-{ws.title}.csv".replace(" ", "_")
        csv_path = path.parent / csv_name
        _atomic_csv(frame, csv_path)
        written.append(csv_path)
        _put(ws, row, 1, f"This table has {n:,} rows, more than this workbook holds "
                         f"({max_rows:,}); the full table is in {csv_name} beside this workbook. "
                         f"The first {max_rows:,} rows follow.")
        row += 1
        shown = frame.iloc[:max_rows]
    header_row = row
    cols = list(frame.columns)
    formats = dict(table.formats or {})
    col_formats: list[str | None] = []
    for j, c in enumerate(cols, start=1):
        s = frame[c]
        numeric = pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
        text = _header_text(c, table, numeric)
        _put(ws, header_row, j, text, bold=True)
        col_formats.append(formats.get(c) or _default_format(str(c), s))
        widths[j] = max(widths.get(j, 0), min(len(text) + 2, 45))
    # values column by column (vectorised conversion), then cell by cell
    columns: list[list[Any]] = []
    for c in cols:
        s = shown[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("object")
        columns.append(s.astype("object").tolist())
    first = header_row + 1
    for i in range(len(shown)):
        r = first + i
        for j, vals in enumerate(columns, start=1):
            _put(ws, r, j, vals[i], fmt=col_formats[j - 1])
    for j, vals in enumerate(columns, start=1):
        sample = vals[:200]
        longest = max((len(str(v)) for v in sample if v is not None), default=0)
        if col_formats[j - 1] and "#,##0" in (col_formats[j - 1] or ""):
            longest += longest // 3
        widths[j] = max(widths.get(j, 0), min(max(longest + 2, 8), 60))
    last = first + len(shown) - 1
    return header_row, first, last, len(cols)


def _add_chart(ws: Any, chart: Chart, placed: tuple[int, int, int, int], frame: pd.DataFrame) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    header_row, first, last, ncols = placed
    if last < first:
        return
    cols = list(frame.columns)
    if chart.x not in cols or not all(y in cols for y in chart.y):
        missing = [c for c in [chart.x, *chart.y] if c not in cols]
        raise KeyError(f"chart columns not in the table: {missing}")
    ch = BarChart() if chart.kind == "bar" else LineChart()
    ch.title = chart.title or None
    ch.y_axis.title = chart.y_title or None
    ch.x_axis.title = chart.x_title or None
    ch.width, ch.height = chart.width, chart.height
    # openpyxl >= 3.1 hides axes unless delete is set False explicitly
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    for y in chart.y:
        j = cols.index(y) + 1
        ref = Reference(ws, min_col=j, min_row=header_row, max_row=last)
        ch.add_data(ref, titles_from_data=True)
    xj = cols.index(chart.x) + 1
    cats = Reference(ws, min_col=xj, min_row=first, max_row=last)
    ch.set_categories(cats)
    if not pd.api.types.is_numeric_dtype(frame[chart.x].dtype):
        # text categories (stage names) must be a string reference, or spreadsheet
        # programs show 1, 2, 3 instead of the labels
        from openpyxl.chart.data_source import AxDataSource, StrRef

        for s in ch.series:
            s.cat = AxDataSource(strRef=StrRef(f=str(cats)))
    if chart.kind == "line":
        for s, y in zip(ch.series, chart.y):
            s.smooth = False
            s.marker.symbol = "none"
            if y in chart.dashed:
                s.graphicalProperties.line.dashStyle = "dash"
                s.graphicalProperties.line.width = 12700
            else:
                s.graphicalProperties.line.width = 28575
    anchor = chart.anchor or f"{_column_letter(ncols + 2)}{header_row}"
    ws.add_chart(ch, anchor)


def _atomic_csv(frame: pd.DataFrame, path: Path) -> None:
    from fundgap._output import write_csv

    write_csv(frame, path)


def _save_atomic(wb: Any, path: Path) -> None:
    from fundgap._output import atomic_write

    atomic_write(path, wb.save)


def build_workbook(sheets: Sequence[Sheet], path: Path, *, max_rows: int = EXCEL_MAX_ROWS - 100,
                   written: list[Path] | None = None) -> Any:
    """Build (but do not save) an openpyxl Workbook from sheet descriptions."""
    from openpyxl import Workbook

    written = [] if written is None else written
    wb = Workbook()
    wb.remove(wb.active)
    taken: list[str] = []
    for sheet in sheets:
        name = safe_sheet_name(sheet.name, taken)
        taken.append(name)
        ws = wb.create_sheet(name)
        widths: dict[int, float] = {}
        row = 1
        if sheet.title:
            _put(ws, row, 1, sheet.title, bold=True)
            from openpyxl.styles import Font

            ws.cell(row=row, column=1).font = Font(bold=True, size=14)
            row += 1
        for line in sheet.lines:
            if isinstance(line, tuple):
                _put(ws, row, 1, line[0], bold=True)
                widths[1] = max(widths.get(1, 0), min(len(str(line[0])) + 2, 40))
                if len(line) > 1:
                    cell = _put(ws, row, 2, line[1])
                    if len(line) > 2 and line[2]:
                        target = str(line[2])
                        if target.startswith("#"):  # a place in this workbook: internal link
                            from openpyxl.worksheet.hyperlink import Hyperlink

                            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target[1:])
                        else:
                            cell.hyperlink = target
                        cell.style = "Hyperlink"
                        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                            cell.quotePrefix = True
            else:
                _put(ws, row, 1, line)
            row += 1
        placed: list[tuple[int, int, int, int]] = []
        for k, table in enumerate(sheet.tables):
            if row > 1:
                row += 1  # one empty row between blocks (never inside a table)
            where = _write_table(ws, table, row, max_rows=max_rows, path=path, widths=widths,
                                 written=written)
            placed.append(where)
            row = max(where[2], where[0]) + 1
            if table.note:
                row += 1
                _put(ws, row, 1, table.note)
                row += 1
            if k == 0 and sheet.freeze and where[1] > 1:
                ws.freeze_panes = f"A{where[0] + 1}"
        if sheet.notes:
            row += 1
            for note in sheet.notes:
                _put(ws, row, 1, note)
                row += 1
        for chart in sheet.charts:
            _add_chart(ws, chart, placed[chart.table], sheet.tables[chart.table].frame)
        for j, w in widths.items():
            ws.column_dimensions[_column_letter(j)].width = max(w, 8)
        for col, w in sheet.widths.items():
            ws.column_dimensions[col].width = w
        # cursor in A1
        for view in ws.views.sheetView:
            for sel in view.selection:
                sel.activeCell = "A1"
                sel.sqref = "A1"
    if not wb.sheetnames:
        wb.create_sheet("Empty")
    wb.active = 0
    return wb


def write_workbook(sheets: Sequence[Sheet], path: str | os.PathLike, *,
                   max_rows: int = EXCEL_MAX_ROWS - 100, properties: Mapping[str, str] | None = None
                   ) -> Path:
    """Write sheets to an ``.xlsx`` file atomically and return its path.

    Parameters
    ----------
    sheets : sequence of Sheet
    path : path-like
        Target file; its folder must exist. Written to a temporary file in the
        same folder, then renamed over ``path``.
    max_rows : int
        Largest table written in full; longer tables go to a CSV beside the
        workbook (named ``<stem>-<sheet>.csv``) and the sheet says so.
    properties : mapping, optional
        Document properties (``title``, ``creator``, ``subject``, ``keywords``).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, openpyxl
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook([Sheet("S", title="Demo", lines=["@SUM(A1)"])],
    ...                        pathlib.Path(d) / "demo.xlsx")
    ...     ws = openpyxl.load_workbook(p)["S"]
    ...     ws["A2"].value, ws["A2"].data_type
    ('@SUM(A1)', 's')
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        from fundgap.errors import FundgapError

        raise FundgapError("the workbook must be an .xlsx file", file=path, value=path.suffix,
                           expected=[".xlsx"])
    if not path.parent.exists():
        from fundgap.errors import FundgapError

        raise FundgapError("the folder for the workbook does not exist", file=path)
    max_rows = int(min(max_rows, EXCEL_MAX_ROWS - 100))
    wb = build_workbook(sheets, path, max_rows=max_rows)
    if properties:
        for key, value in properties.items():
            setattr(wb.properties, key, _excel_value(value))
    _save_atomic(wb, path)
    return path


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
    return frame.drop(columns=drop), describe_unit(units[0], base)


def result_sheets(result: Any, *, name: str | None = None) -> list[Sheet]:
    """Describe a results object as sheets: the table, then its options.

    Parameters
    ----------
    result : fundgap.models.results.Result
        Anything with ``to_frame()``, ``title`` and ``meta``.
    name : str, optional
        Sheet name; default the result's class name.
    """
    frame = result.to_frame()
    frame, unit = _frame_units(frame)
    value_cols = [c for c in frame.columns if c in {"estimate", "value", "ci_low", "ci_high",
                                                   "mean", "median", "total", "p25", "p75", "p90"}]
    units = {c: unit for c in value_cols} if unit else None
    title = str(getattr(result, "title", "") or type(result).__name__)
    sheet_name = name or type(result).__name__
    lines: list[Any] = []
    if unit:
        lines.append(("Unit", unit))
    else:
        lines.append("Units: see the 'unit' column of each row.")
    meta = dict(getattr(result, "meta", {}) or {})
    opts = pd.DataFrame({"option": [str(k) for k in meta],
                         "value": [_meta_text(v) for v in meta.values()]})
    return [
        Sheet(sheet_name, title=title, lines=lines, tables=[Table(frame, units=units)]),
        Sheet(f"{sheet_name} options", title=f"Options and assumptions: {title}",
              tables=[Table(opts)]),
    ]


def _meta_text(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, Mapping):
        return "; ".join(f"{k}={x}" for k, x in v.items())
    return str(v)


def write_result(result: Any, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write one results object to an ``.xlsx`` workbook (used by ``Result.to_excel``).

    The first sheet holds the tidy table (``result.to_frame()``) with its unit in
    the header where the table has a single unit; the second lists the options
    and assumptions in ``result.meta``.

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
    ...     wb.sheetnames, wb["Result"]["B4"].value
    (['Result', 'Result options'], 'estimate (EUR million)')
    """
    return write_workbook(result_sheets(result), path, **kwargs)
