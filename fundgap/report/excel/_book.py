"""The workbook writer: sheets laid out and printed the way the Analysis Function asks.

One sheet: the title in A1 (with ``[note N]`` markers), a few rows of description
(source, units, shorthand), then the table as an Excel table (ListObject) whose
header row is frozen and repeated on every printed page, then its charts below
it. Printed on A4, one page wide (landscape when the table is wide), the sheet
name and page number in the footer.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fundgap.report.excel._cells import (
    URL,
    Formats,
    column_format,
    excel_value,
    row_formats,
    write_cell,
)
from fundgap.report.excel._charts import add_chart, check_chart
from fundgap.models._progress import step
from fundgap.report.excel._model import Sheet, Table, safe_sheet_name

__all__ = ["EXCEL_MAX_ROWS", "write_workbook"]

#: Rows in one Excel worksheet.
EXCEL_MAX_ROWS = 1_048_576
#: Width (characters) past which a sheet prints in landscape.
LANDSCAPE_AT = 100
_MIN_TEXT = 90  # description rows are wrapped at no less than this many characters
_MAX_WIDTH = 50
SHORTHAND = {"[x]": "not available", "[z]": "not applicable"}


@dataclass
class _Placed:
    """Where a table landed: header row, first and last data rows, columns, widths."""

    header: int
    first: int
    last: int
    columns: list[str]
    formats: list[str | None]
    widths: list[float] = field(default_factory=list)


# ----------------------------------------------------------------------------- notes


def _sheet_note_keys(sheet: Sheet) -> list[str]:
    keys = list(sheet.notes)
    for t in sheet.tables:
        for ks in (t.header_notes or {}).values():
            keys.extend(ks)
    if any(_has_missing(t) for t in sheet.tables):
        keys.append("shorthand")
    return keys


def _has_missing(table: Table) -> bool:
    return bool(len(table.frame)) and bool(table.frame.isna().to_numpy().any())


def number_notes(sheets: Sequence[Sheet], catalog: Mapping[str, Any]) -> dict[str, int]:
    """Note key -> number, in order of first reference (keys absent from ``catalog`` skipped)."""
    order: dict[str, int] = {}
    for sheet in sheets:
        for key in _sheet_note_keys(sheet):
            if key in catalog and key not in order:
                order[key] = len(order) + 1
    return order


def _marks(keys: Sequence[str], numbers: Mapping[str, int]) -> str:
    nums = sorted({numbers[k] for k in keys if k in numbers})
    return "".join(f" [note {n}]" for n in nums)


def _notes_table(catalog: Mapping[str, Any], numbers: Mapping[str, int]) -> Table:
    rows = []
    for key, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        text = catalog[key]
        text, link = (text if isinstance(text, tuple) else (text, None))
        rows.append({"Note number": f"note {n}", "Note text": text, "Link": link})
    frame = pd.DataFrame(rows, columns=["Note number", "Note text", "Link"])
    if frame["Link"].isna().all():
        frame = frame.drop(columns="Link")
    return Table(frame, missing={"Link": "[z]"}, wrap=["Note text"])


# ----------------------------------------------------------------------------- layout


def _text_len(value: Any, fmt: str | None) -> int:
    v = excel_value(value)
    if v is None:
        return 3
    if isinstance(v, bool):
        return 5
    if isinstance(v, (int, float)):
        if fmt and fmt.endswith("%"):
            return len(f"{100 * v:,.1f}%")
        return len(f"{v:,.1f}") if fmt != "0" else len(str(int(v)))
    return max((len(p) for p in str(v).split("\n")), default=0)


def _column_widths(frame: pd.DataFrame, headers: Sequence[str], formats: Sequence[str | None],
                   wrap: Sequence[str]) -> tuple[list[float], list[bool]]:
    widths, wraps = [], []
    sample = frame.head(300)
    for j, c in enumerate(frame.columns):
        content = max((_text_len(v, formats[j]) for v in sample[c].tolist()), default=3)
        words = max((len(w) for w in str(headers[j]).split()), default=4)
        long_text = content > _MAX_WIDTH or c in wrap
        w = max(min(content, _MAX_WIDTH) + 2, words + 2, min(len(str(headers[j])) / 3 + 2, 16))
        widths.append(float(min(max(w, 6), _MAX_WIDTH + 2)))
        wraps.append(long_text)
    return widths, wraps


def _header_texts(table: Table, numbers: Mapping[str, int]) -> list[str]:
    out, seen = [], set()
    for c in table.frame.columns:
        s = table.frame[c]
        label = str((table.labels or {}).get(c, c)) or "Column"
        unit = None
        if isinstance(table.units, Mapping):
            unit = table.units.get(c)
        elif isinstance(table.units, str) and pd.api.types.is_numeric_dtype(s.dtype) \
                and not pd.api.types.is_bool_dtype(s.dtype) and not _is_year(c):
            unit = table.units
        text = f"{label} ({unit})" if unit else label
        text += _marks((table.header_notes or {}).get(c, ()), numbers)
        base, i = text, 2
        while text.lower() in seen:  # Excel tables need distinct headers
            text, i = f"{base} ({i})", i + 1
        seen.add(text.lower())
        out.append(text)
    return out


def _is_year(c: Any) -> bool:
    from fundgap.report.excel._cells import is_year_column

    return is_year_column(c)


def _column_formats(table: Table) -> list[str | None]:
    units = table.units if isinstance(table.units, Mapping) else {}
    given = table.formats or {}
    return [column_format(c, table.frame[c], given.get(c), units.get(c))
            for c in table.frame.columns]


# ----------------------------------------------------------------------------- writing


class _SheetWriter:
    """Writes one :class:`Sheet` onto one xlsxwriter worksheet."""

    def __init__(self, wb: Any, ws: Any, fm: Formats, sheet: Sheet, *, numbers: Mapping[str, int],
                 catalog: Mapping[str, Any], path: Path, max_rows: int, written: list[Path],
                 table_names: set[str], sheet_names: set[str]) -> None:
        self.wb, self.ws, self.fm, self.sheet = wb, ws, fm, sheet
        self.numbers, self.catalog = numbers, catalog
        self.path, self.max_rows, self.written = path, max_rows, written
        self.table_names = table_names
        self.sheet_names = sheet_names
        self.row = 0
        self.widths: dict[int, float] = {}
        self.placed: list[_Placed] = []
        self.bottom = 0
        self.right = 0
        self.wrapped: list[tuple[int, int, str]] = []  # cells whose text wraps: row heights

    # -- description rows
    def text_width(self) -> int:
        tables = [t for t in self.sheet.tables if len(t.frame.columns)]
        if not tables:
            return 110
        t = tables[0]
        widths, _ = _column_widths(t.frame, _header_texts(t, self.numbers), _column_formats(t),
                                   t.wrap)
        return int(max(sum(widths) * 1.05, _MIN_TEXT))

    def title(self) -> None:
        s = self.sheet
        if s.title or s.notes:
            text = (s.title or s.name) + _marks(s.notes, self.numbers)
            write_cell(self.ws, 0, 0, text, _Big(self.fm))
            self.row = 1

    def line(self, line: Any, width: int) -> None:
        if isinstance(line, tuple):
            if str(line[0]):
                write_cell(self.ws, self.row, 0, line[0], self.fm, bold=True)
            self.widths[0] = max(self.widths.get(0, 0), min(len(str(line[0])) + 2, 40))
            if len(line) > 1:
                link = _link_target(line[2]) if len(line) > 2 and line[2] else None
                wrap = self.sheet.kind == "cover"
                write_cell(self.ws, self.row, 1, line[1], self.fm, link=link, wrap=wrap)
                if wrap:
                    self.wrapped.append((self.row, 1, str(line[1])))
            self.row += 1
            return
        text = str(line)
        parts = textwrap.wrap(text, width=width, break_long_words=False,
                              break_on_hyphens=False) if len(text) > width else [text]
        for p in parts or [""]:
            if p:
                write_cell(self.ws, self.row, 0, p, self.fm)
            self.row += 1

    def describe(self) -> None:
        width = self.text_width()
        for line in self.sheet.lines:
            self.line(line, width)
        single = len(self.sheet.tables) == 1
        for t in self.sheet.tables[:1] if single else ():
            if t.caption:
                self.line(t.caption, width)
            if t.note:
                self.line(t.note, width)
        present = self._shorthand_present()
        if present:
            text = "; ".join(f"{k} = {SHORTHAND[k]}" for k in present)
            self.line(f"Shorthand in the table: {text}.{_marks(['shorthand'], self.numbers)}",
                      width)

    def _shorthand_present(self) -> list[str]:
        found = set()
        for t in self.sheet.tables:
            if not len(t.frame):
                continue
            miss = t.frame.isna()
            for c in t.frame.columns:
                if bool(miss[c].any()):
                    found.add((t.missing or {}).get(c, "[x]"))
        return [k for k in SHORTHAND if k in found]

    # -- tables
    def table(self, k: int, table: Table) -> None:
        ws, fm = self.ws, self.fm
        frame = table.frame.reset_index(drop=True)
        if len(self.sheet.tables) > 1:
            if k:
                self.row += 1
            if table.caption:
                write_cell(ws, self.row, 0, table.caption, fm, bold=True)
                self.row += 1
            if table.note:
                write_cell(ws, self.row, 0, table.note, fm)
                self.row += 1
        shown = self._cap(table, frame)
        headers = _header_texts(table, self.numbers)
        formats = _column_formats(table)
        widths, wraps = _column_widths(shown, headers, formats, table.wrap)
        header = self.row
        if not len(frame.columns):
            return
        if not len(shown):
            write_cell(ws, header, 0, "This table has no rows.", fm)
            self.row += 1
            return
        first, last = header + 1, header + len(shown)
        self._write_rows(table, shown, first, formats, wraps)
        name = self._table_name(k)
        hfmt = fm.get(bold=True, wrap=True, bottom=1, valign="bottom")
        cols = [{"header": h, "header_format": hfmt} for h in headers]
        ws.add_table(header, 0, last, len(headers) - 1,
                     {"columns": cols, "name": name, "style": None, "autofilter": False})
        for j, w in enumerate(widths):
            self.widths[j] = max(self.widths.get(j, 0), w)
        self.wrapped += [(header, j, h) for j, h in enumerate(headers)]
        self.placed.append(_Placed(header, first, last, list(frame.columns), formats, widths))
        self.row = last + 1
        self.bottom = max(self.bottom, last)
        self.right = max(self.right, len(headers) - 1)

    def _cap(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        if len(frame) <= self.max_rows:
            return frame
        csv_name = table.csv_name or f"{self.path.stem}-{self.ws.name}.csv".replace(" ", "_")
        csv_path = self.path.parent / csv_name
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_csv(frame, csv_path)
        self.written.append(csv_path)
        write_cell(self.ws, self.row, 0,
                   f"This table has {len(frame):,} rows, more than this workbook holds "
                   f"({self.max_rows:,}); the full table is in {csv_name} beside this workbook. "
                   f"The first {self.max_rows:,} rows follow.", self.fm)
        self.row += 1
        return frame.iloc[: self.max_rows]

    def _write_rows(self, table: Table, shown: pd.DataFrame, first: int,
                    formats: Sequence[str | None], wraps: Sequence[bool]) -> None:
        ws, fm = self.ws, self.fm
        missing = table.missing or {}
        links = table.links or {}
        for j, c in enumerate(shown.columns):
            s = shown[c]
            if isinstance(s.dtype, pd.CategoricalDtype):
                s = s.astype("object")
            values = s.astype("object").tolist()
            per_row = row_formats(shown, table.row_units, c)
            mark = missing.get(c, "[x]")
            kind = links.get(c)
            for i, v in enumerate(values):
                fmt = (per_row[i] or formats[j]) if per_row else formats[j]
                link = _cell_link(kind, v, self.sheet_names)
                write_cell(ws, first + i, j, v, fm, num_format=fmt, missing=mark,
                           wrap=wraps[j], link=link)
                if wraps[j] and isinstance(v, str):
                    self.wrapped.append((first + i, j, v))

    def _table_name(self, k: int) -> str:
        base = "tbl_" + re.sub(r"\W", "_", self.ws.name).strip("_")[:200]
        name = base if k == 0 else f"{base}_{k + 1}"
        i = 2
        while name.lower() in self.table_names:
            name, i = f"{base}_{i}", i + 1
        self.table_names.add(name.lower())
        return name

    # -- charts, widths, print
    def charts(self) -> None:
        row = self.bottom + 2
        for chart in self.sheet.charts:
            placed = self.placed[chart.table] if chart.table < len(self.placed) else None
            if placed is None:
                continue
            px = sum(w * 7 + 5 for w in placed.widths)
            width = int(min(max(px, 560), 900))
            rows = add_chart(self.wb, self.ws, chart, placed, self.sheet.tables[chart.table],
                             row, width, self.fm)
            self.bottom = row + rows
            row += rows + 1
            cols = 0
            acc = 0.0
            while acc < width and cols < 200:
                acc += self.widths.get(cols, 8.43) * 7 + 5
                cols += 1
            self.right = max(self.right, cols - 1)

    def finish(self) -> None:
        ws, s = self.ws, self.sheet
        for j, w in self.widths.items():
            ws.set_column(j, j, max(w, 6))
        for col, w in s.widths.items():
            j = _col_index(col)
            ws.set_column(j, j, w)
            self.widths[j] = w
        if s.freeze and self.placed and s.kind == "data":
            ws.freeze_panes(self.placed[0].header + 1, 0)
        self._row_heights()
        self._print_setup()

    def _row_heights(self) -> None:
        """Rows tall enough for their wrapped text (spreadsheet programs do not all autofit)."""
        lines: dict[int, int] = {}
        for row, col, text in self.wrapped:
            per_line = max(self.widths.get(col, 8.43) * 1.15 - 1, 1)
            n = sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))
            lines[row] = max(lines.get(row, 1), n)
        for row, n in lines.items():
            if n > 1:
                self.ws.set_row(row, 12.75 * n + 2.25)

    def _print_setup(self) -> None:
        ws, s = self.ws, self.sheet
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L&8&A&R&8Page &P of &N")
        ws.hide_gridlines(1)
        last_col = max(self.right, max(self.widths, default=0))
        width = sum(self.widths.get(j, 8.43) for j in range(last_col + 1))
        landscape = s.landscape if s.landscape is not None else width > LANDSCAPE_AT
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        last_row = max(self.row - 1, self.bottom, 0)
        ws.print_area(0, 0, last_row, last_col)
        if s.kind == "cover":
            ws.fit_to_pages(1, 1)
        else:
            ws.fit_to_pages(1, 0)
        if self.placed:
            ws.repeat_rows(self.placed[0].header)


class _Big(Formats):
    """The title's format (bold, 14 pt) through the same cache."""

    def __init__(self, fm: Formats) -> None:
        self._fm = fm

    def get(self, **props: Any) -> Any:
        props.update(bold=True, font_size=14, valign="bottom")
        return self._fm.get(**props)


def _cell_link(kind: str | None, value: Any, sheet_names: set[str]) -> str | None:
    """The link of a cell: the sheet it names, or the first web address in its text."""
    if not isinstance(value, str) or kind is None:
        return None
    if kind == "sheet":
        return f"internal:'{value}'!A1" if value in sheet_names else None
    found = URL.search(value)
    return found.group(0) if kind == "url" and found and len(found.group(0)) <= 2079 else None


def _col_index(letter: str) -> int:
    n = 0
    for ch in letter.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _link_target(target: str) -> str:
    target = str(target)
    return f"internal:{target[1:]}" if target.startswith("#") else target


def _write_sheet(wb: Any, ws: Any, fm: Formats, sheet: Sheet, **kw: Any) -> list[Path]:
    written: list[Path] = []
    w = _SheetWriter(wb, ws, fm, sheet, written=written, **kw)
    if sheet.kind == "cover":
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 100)
        w.widths = {0: 24, 1: 100}
    w.title()
    w.describe()
    for k, table in enumerate(sheet.tables):
        w.table(k, table)
    w.charts()
    w.finish()
    return written


def atomic_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV whole or not at all; text that a spreadsheet could run stays text.

    Through :func:`fundgap._output.write_csv` (the one safe CSV writer).
    """
    from fundgap._output import write_csv

    write_csv(frame, path)


def _check(path: Path) -> None:
    from fundgap.errors import FundgapError

    if path.suffix.lower() != ".xlsx":
        raise FundgapError("the workbook must be an .xlsx file", file=path, value=path.suffix,
                           expected=[".xlsx"])
    if not path.parent.exists():
        raise FundgapError("the folder for the workbook does not exist", file=path)


def _build(f: Any, sheets: Sequence[Sheet], *, path: Path, max_rows: int,
           properties: Mapping[str, str] | None, catalog: Mapping[str, Any],
           numbers: Mapping[str, int]) -> None:
    """Write the whole workbook into the open binary file ``f``."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(f, {"strings_to_formulas": False, "strings_to_numbers": False,
                                 "strings_to_urls": False, "nan_inf_to_errors": False})
    fm = Formats(wb)
    taken: list[str] = []
    for sheet in sheets:
        taken.append(safe_sheet_name(sheet.name, taken))
    sheet_names = set(taken)
    taken = []
    table_names: set[str] = set()
    todo = list(sheets) or [Sheet("Empty")]
    with step("workbook", total=len(todo) + 1, unit="sheet") as bar:
        for given in todo:
            sheet = given
            if given.kind == "notes":
                sheet = Sheet(given.name, title=given.title or "Notes", lines=given.lines,
                              tables=[_notes_table(catalog, numbers)], landscape=given.landscape,
                              widths=given.widths)
            name = safe_sheet_name(sheet.name, taken)
            taken.append(name)
            ws = wb.add_worksheet(name)
            _write_sheet(wb, ws, fm, sheet, numbers=numbers, catalog=catalog, path=path,
                         max_rows=max_rows, table_names=table_names, sheet_names=sheet_names)
            bar.update()
        if properties:
            wb.set_properties({k: str(excel_value(v)) for k, v in properties.items()})
        bar.set_postfix_str("saving")
        wb.close()
        bar.update()


def write_workbook(sheets: Sequence[Sheet], path: str | os.PathLike, *,
                   max_rows: int = EXCEL_MAX_ROWS - 100,
                   properties: Mapping[str, str] | None = None,
                   notes: Mapping[str, Any] | None = None) -> Path:
    """Write sheets to an ``.xlsx`` file atomically and return its path.

    Parameters
    ----------
    sheets : sequence of Sheet
    path : path-like
        Target file; its folder must exist. Written whole or not at all
        (:func:`fundgap._output.atomic_write`: a temporary file in the same folder,
        renamed over ``path``; an operating-system error is an ``OutputError``).
    max_rows : int
        Largest table written in full; longer tables go to a CSV beside the
        workbook (``Table.csv_name``, default ``<stem>-<sheet>.csv``) and the sheet
        shows the first rows and says so.
    properties : mapping, optional
        Document properties (``title``, ``author``, ``subject``, ``keywords``).
    notes : mapping, optional
        Note key -> text (or ``(text, url)``). Notes referenced by sheets
        (``Sheet.notes``, ``Table.header_notes``, and ``"shorthand"`` wherever a
        table shows ``[x]`` or ``[z]``) are numbered in order of first reference,
        marked ``[note N]`` and listed on the sheet of kind ``"notes"``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_workbook([Sheet("S", title="Demo", lines=["@SUM(A1)"])],
    ...                        pathlib.Path(d) / "demo.xlsx")
    ...     ws = openpyxl.load_workbook(p)["S"]
    ...     ws["A2"].value, ws["A2"].data_type, ws["A2"].quotePrefix
    ('@SUM(A1)', 's', True)
    """
    path = Path(path)
    _check(path)
    max_rows = int(min(max_rows, EXCEL_MAX_ROWS - 100))
    for sheet in sheets:
        for chart in sheet.charts:
            check_chart(chart, sheet.tables)
    catalog = dict(notes or {})
    catalog.setdefault("shorthand", "[x] marks a value that is not available (the source or "
                                    "the data given do not have it); [z] marks a value that "
                                    "does not apply (for example no interval for a count).")
    numbers = number_notes(sheets, catalog)
    from fundgap._output import atomic_write

    atomic_write(path, lambda f: _build(f, sheets, path=path, max_rows=max_rows,
                                        properties=properties, catalog=catalog,
                                        numbers=numbers))
    return path
