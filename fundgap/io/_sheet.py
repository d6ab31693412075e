"""An XLSX sheet read by python-calamine into a :class:`~fundgap.io._table.RawTable`.

The workbook's budget is checked first (:func:`fundgap.io._xlsx.check_budget`: sizes,
rows, cells, no DTD or entities); calamine (Rust; it expands no entities and ignores DTDs)
then reads the sheet, about twenty times faster than openpyxl's read-only mode on a
100,000-row export, and every cell comes back as the text a CSV would hold
(:func:`cell_text`). The rows read to sniff a layout are kept for the read that follows
(the sheet is parsed once).

Examples
--------
>>> import datetime as dt
>>> cell_text(5.0), cell_text(dt.date(2024, 1, 31)), cell_text(" ")
('5', '2024-01-31', None)
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from typing import Any

from fundgap.errors import FileFormatError
from fundgap.io import _xlsx

__all__ = ["cell_text", "clear_cache", "float_texts", "sheet_rows", "text_column", "xlsx_table"]


def cell_text(v: Any) -> Any:
    """A cell as read by calamine -> its text (None where empty), as a CSV would hold it.

    Examples
    --------
    >>> [cell_text(v) for v in ["x", "", 5.0, 2.5, True, _dt.date(2024, 1, 31),
    ...                         _dt.datetime(2024, 1, 31, 9, 30), _dt.time(9, 30)]]
    ['x', None, '5', '2.5', 'TRUE', '2024-01-31', '2024-01-31T09:30:00', '09:30:00']
    """
    if v is None:
        text = None
    elif isinstance(v, str):
        text = v if v.strip() != "" else None
    elif isinstance(v, bool):
        text = "TRUE" if v else "FALSE"
    elif isinstance(v, float):
        text = _float_text(v)
    elif isinstance(v, _dt.datetime) and (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
        text = v.date().isoformat()
    elif isinstance(v, (_dt.date, _dt.time)):
        text = v.isoformat()
    else:  # (int and anything else)
        text = str(v)
    return text


#: Whole floats below this are written without a decimal point (as a spreadsheet shows them).
_WHOLE_BELOW = 1e15


def _float_text(v: float) -> str | None:
    if math.isnan(v):
        return None
    return str(int(v)) if v.is_integer() and abs(v) < _WHOLE_BELOW else repr(v)


_CACHE: dict[tuple, list[list[Any]]] = {}


def _key(path: str, sheet_name: Any) -> tuple:
    st = os.stat(path)
    return (os.path.realpath(path), st.st_size, st.st_mtime_ns, repr(sheet_name))


def clear_cache() -> None:
    """Forget the sheet kept between the layout sniffing and the read."""
    _CACHE.clear()


def sheet_rows(path: str, sheet_name: Any, notes: list[str], *, keep: bool = False,
               max_rows: int | None = None) -> list[list[Any]]:
    """The rows of a sheet from A1, as calamine gives the cells (see :func:`cell_text`).

    The budget is checked first (:func:`fundgap.io._xlsx.check_budget`). With ``keep`` the rows are
    kept for the next call on the same unchanged file (the read that follows a
    layout sniff parses the sheet once).

    Raises
    ------
    FileFormatError
    """
    key = _key(path, sheet_name)
    if key in _CACHE:
        rows = _CACHE[key] if keep else _CACHE.pop(key)
        return rows if max_rows is None else rows[:max_rows]
    _xlsx.check_budget(path, sheet_name)  # (looked up on the module: tests may replace it)
    rows = _read_sheet(path, sheet_name, notes)
    _CACHE.clear()
    if keep:
        _CACHE[key] = rows
    return rows if max_rows is None else rows[:max_rows]


def _read_sheet(path: str, sheet_name: Any, notes: list[str]) -> list[list[Any]]:
    from python_calamine import CalamineError, CalamineWorkbook

    # (calamine's own errors, and Python's for a zip it cannot take apart)
    broken = (CalamineError, OSError, ValueError, TypeError, RuntimeError, UnicodeError)
    try:
        wb = CalamineWorkbook.from_path(path)
    except broken as exc:
        raise FileFormatError(f"cannot open XLSX workbook ({type(exc).__name__}: {exc})", file=path) from None
    try:
        name = _sheet_name(list(wb.sheet_names), sheet_name, path, notes)
        raw = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except FileFormatError:
        raise
    except broken as exc:
        raise FileFormatError(f"cannot read XLSX sheet ({type(exc).__name__}: {exc})", file=path) from None
    finally:
        wb.close()
    return raw


def text_column(values: Any) -> Any:
    """A column of cells as calamine gives them -> an Arrow string array (null where empty),
    equal to ``[cell_text(v) for v in values]`` but by Arrow and numpy for columns of text
    and numbers.

    Examples
    --------
    >>> text_column(["a", " ", 5.0, 2.5, ""]).to_pylist()
    ['a', None, '5', '2.5', None]
    >>> text_column(["a", None, " "]).to_pylist()
    ['a', None, None]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # (text and empty cells only: no pass over the cells' types first)
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        arr = None
    if arr is not None:
        blank = pc.equal(pc.utf8_trim_whitespace(arr), "")
        return pc.if_else(blank, pa.scalar(None, pa.string()), arr) if pc.any(blank).as_py() \
            else arr
    kinds = set(map(type, values))
    if kinds <= {str, float}:
        obj = np.array(values, dtype=object)
        # (exact types: the kinds above are str and float only)
        isf = np.fromiter(map(float.__instancecheck__, values), dtype=bool, count=len(values))
        obj[isf] = float_texts(obj[isf].astype("float64"))
        rest = ~isf
        obj[rest] = [v if v.strip() else None for v in obj[rest]]
        return pa.array(obj, type=pa.string())
    if kinds <= {str, _dt.date}:
        obj = np.array(values, dtype=object)
        isd = np.fromiter((type(v) is _dt.date for v in values), dtype=bool, count=len(values))
        obj[isd] = pa.array(list(obj[isd]), type=pa.date32()).cast(pa.string()).to_pylist()
        obj[~isd] = [v if v.strip() else None for v in obj[~isd]]
        return pa.array(obj, type=pa.string())
    return pa.array([cell_text(v) for v in values], type=pa.string())


#: Where Arrow's cast of a float to text writes what ``repr`` writes (plain notation, the
#: shortest digits that read back as the same float); outside it Python's ``repr`` is used.
_PLAIN_FROM, _PLAIN_BELOW = 1e-4, 1e16


def float_texts(x: Any) -> Any:
    """The texts of floats as :func:`cell_text` writes them (None for NaN), as an object
    array: whole numbers below 10^15 as integers, the others as Python's ``repr``.

    Arrow casts the numbers to text (several times faster than numpy or ``repr``): the
    whole ones as integers, the others where Arrow writes plain notation in
    ``1e-4 <= |x| < 1e16``, where its text is ``repr``'s; the few others (exponents,
    infinities) go through ``repr``.

    Examples
    --------
    >>> import numpy as np
    >>> float_texts(np.array([5.0, 2.5, -0.0, 1e-06, 1e16, 37544667046.02625, np.nan])).tolist()
    ['5', '2.5', '0', '1e-06', '1e+16', '37544667046.02625', None]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    x = np.asarray(x, dtype="float64")
    out = np.full(len(x), None, dtype=object)
    whole = np.isfinite(x) & (np.abs(x) < _WHOLE_BELOW) & (x == np.round(x))
    if whole.any():
        out[whole] = pa.array(x[whole].astype(np.int64)).cast(pa.string()).to_numpy(
            zero_copy_only=False)
    frac = np.flatnonzero(~whole & ~np.isnan(x))
    if len(frac):
        xf = x[frac]
        text = pa.array(xf).cast(pa.string())
        plain = ((np.abs(xf) >= _PLAIN_FROM) & (np.abs(xf) < _PLAIN_BELOW)
                 & ~np.asarray(pc.match_substring(text, "e").to_numpy(zero_copy_only=False),
                               dtype=bool))
        out[frac[plain]] = text.filter(pa.array(plain)).to_numpy(zero_copy_only=False)
        out[frac[~plain]] = [repr(float(v)) for v in xf[~plain]]
    return out


def xlsx_table(path: str, *, header: Any, sheet_name: Any, notes: list[str],
               columns: Any = None) -> Any:
    """Read a sheet into a :class:`~fundgap.io._table.RawTable` (header found as for a CSV;
    rows longer than the header with cells beyond it go to ``bad_rows``)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from fundgap.io._table import PEEK_LINES, finish, header_index, header_names, wanted_columns

    rows = sheet_rows(path, sheet_name, notes)
    text_rows = [["" if c is None else c for c in map(cell_text, r)] for r in rows[:PEEK_LINES]]
    if not rows or (not any(c for r in text_rows for c in r) and not _any_cell(rows)):
        raise FileFormatError("the XLSX sheet is empty", file=path)
    h = header_index(text_rows, header)
    if h:
        notes.append(f"header found on row {h + 1} below {h} banner/metadata row(s)")
    names, dup = header_names(text_rows[h], notes)
    width = len(names)
    body = rows[h + 1:]
    del rows
    n_cols = max((len(r) for r in body), default=width)
    cols = [text_column(c) for c in _columns(body)] if body else []
    # rows with cells beyond the header's width cannot be split into its fields
    bad_mask = np.zeros(len(body), dtype=bool)
    for c in cols[width:]:
        bad_mask |= np.asarray(c.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    empty = pa.nulls(len(body), type=pa.string())
    cols = (cols + [empty] * max(0, width - len(cols)))[:width]
    src = np.arange(h + 2, h + 2 + len(body), dtype="int64")
    bad_rows = pd.DataFrame({
        "source_row": src[bad_mask],
        "reason": [f"row has {n_cols} cells, the header has {width}"] * int(bad_mask.sum()),
        "text": ["\t".join("" if v is None else str(cell_text(v)) for v in body[i])
                 for i in np.flatnonzero(bad_mask)],
    })
    table = pa.table(dict(zip(names, cols, strict=True)), schema=pa.schema([(n, pa.string()) for n in names]))
    if bad_mask.any():
        table = table.filter(pa.array(~bad_mask))
    return finish(table, src[~bad_mask], path=path, header_row=h + 1, notes=notes,
                  bad_rows=bad_rows, dup=dup, wanted=wanted_columns(names, dup, columns),
                  header=names)


def _columns(rows: list[list[Any]]) -> list[Any]:
    """The columns of calamine's rows (as long as the sheet is wide): one numpy copy of the
    cell references into a grid, several times faster than ``zip(*rows)`` on 10^5 rows;
    rows of unequal lengths go through ``zip`` (cut to the shortest, as before).

    Examples
    --------
    >>> [list(c) for c in _columns([["a", 1.0], ["b", None]])]
    [['a', 'b'], [1.0, None]]
    """
    import numpy as np

    width = len(rows[0])
    if any(len(r) != width for r in rows):  # (numpy would take a short row as one cell)
        return list(zip(*rows, strict=False))
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    return [grid[:, j].copy() for j in range(width)]


def _any_cell(rows: list[list[Any]]) -> bool:
    return any(cell_text(v) is not None for r in rows for v in r)


def _sheet_name(names: list[str], sheet_name: Any, path: str, notes: list[str]) -> str:
    """The sheet to read: the first by default (noted when there are more), else by
    position or name (an error names the argument, the sheets and the value given)."""
    if sheet_name is None:
        if not names:
            raise FileFormatError("the XLSX workbook has no sheet", file=path)
        if len(names) > 1:
            notes.append(f"read the first sheet {names[0]!r} of {names}")
        return names[0]
    if isinstance(sheet_name, int):
        if not -len(names) <= sheet_name < len(names):
            raise FileFormatError("no such sheet", file=path, argument="sheet_name",
                                  value=sheet_name, expected=list(range(len(names))))
        return names[sheet_name]
    if sheet_name not in names:
        raise FileFormatError("no such sheet", file=path, argument="sheet_name", value=sheet_name,
                              expected=names)
    return sheet_name
