"""What a workbook is made of: :class:`Sheet`, :class:`Table`, :class:`Chart` (descriptions only)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = ["Chart", "Sheet", "Table", "safe_sheet_name"]

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Table:
    """A frame written as one Excel table (a ListObject) under the sheet's title.

    Parameters
    ----------
    frame : DataFrame
        Written as is (index dropped): one header row, then one row per record.
    caption : str, optional
        A line above the table (a bold line when the sheet holds several tables).
    units : str or mapping, optional
        Unit text for the header, ``"column (unit)"``: one string for every numeric
        column, or a mapping column -> unit. A unit the label module knows also
        sets the column's number format (a ratio shows as a percentage).
    formats : mapping, optional
        Column -> Excel number format (``"0.0%"``) or a unit kind (``"money"``,
        ``"ratio"``, ``"count"``, ``"year"``, ``"multiple"``, ``"decimal"``),
        overriding the defaults (``#,##0`` for whole numbers, ``#,##0.0`` or
        ``0.000`` for other numbers, ``0`` for year columns, ``yyyy-mm-dd`` for dates).
    labels : mapping, optional
        Column -> header text to show instead of the column name.
    note : str, optional
        A line written above the table, under the sheet's description.
    csv_name : str, optional
        File name for the CSV written when the frame exceeds the row cap.
    row_units : mapping, optional
        Value column -> the column holding each row's unit: the number format of
        each cell follows its row's unit (tables whose rows mix ratios, money,
        counts and years).
    missing : mapping, optional
        Column -> the shorthand for a missing value in it: ``"[x]"`` (not
        available, the default) or ``"[z]"`` (not applicable).
    header_notes : mapping, optional
        Column -> keys of the workbook's notes; the header gets ``[note N]``.
    links : mapping, optional
        Column -> ``"sheet"``: each cell links to the sheet it names. Cells that
        hold one web address become hyperlinks in any column.
    wrap : sequence of str, optional
        Columns whose text wraps (long text always wraps).
    """

    frame: pd.DataFrame
    caption: str = ""
    units: str | Mapping[str, str] | None = None
    formats: Mapping[str, str] | None = None
    labels: Mapping[str, str] | None = None
    note: str = ""
    csv_name: str = ""
    row_units: Mapping[str, str] | None = None
    missing: Mapping[str, str] | None = None
    header_notes: Mapping[str, Sequence[str]] | None = None
    links: Mapping[str, str] | None = None
    wrap: Sequence[str] = ()


@dataclass
class Chart:
    """A native Excel chart drawn from a table on the same sheet, placed below it.

    Parameters
    ----------
    x : str
        The column giving the categories (``"Year"``, ``"Stage group"``).
    y : sequence of str
        The columns drawn as series (one line or bar set each).
    kind : {"line", "bar", "fan"}
        ``line`` against a numeric x (years) is drawn as lines through the points
        each series has (missing cells are skipped, never drawn as zero); ``fan``
        draws ``bands`` as stacked shaded areas and ``y`` as lines over them.
    title, x_title, y_title : str
        Chart and axis titles; put the unit in ``y_title``.
    alt_text : str
        The description a screen reader gives for the chart (default: built from
        the title and the series).
    table : int
        Index of the table in the sheet's ``tables``.
    bands : sequence of str
        For ``fan``: the columns stacked from the bottom: the lowest edge (drawn
        without fill), then the width of each band, bottom up (shaded light at the
        edges, dark in the middle).
    names : mapping, optional
        Column -> name in the legend (default: the header). In a fan, only the
        bands named here have a legend entry.
    y_format : str, optional
        Number format of the value axis (default: the first series' format).
    group : str, optional
        A column whose values split the rows into series (one per value, each
        over its own run of rows, e.g. one bar set per region); the rows of every
        group must list the same categories in the same order.
    dashed : sequence of str
        Series drawn with dashed lines.
    """

    x: str
    y: Sequence[str]
    kind: Literal["line", "bar", "fan"] = "line"
    title: str = ""
    x_title: str = ""
    y_title: str = ""
    alt_text: str = ""
    table: int = 0
    bands: Sequence[str] = ()
    names: Mapping[str, str] | None = None
    y_format: str | None = None
    group: str | None = None
    dashed: Sequence[str] = ()
    anchor: str = ""
    width: float = 18.0
    height: float = 9.0


@dataclass
class Sheet:
    """One worksheet: a title, a few lines of description, a table and its charts.

    Parameters
    ----------
    name : str
        Sheet name (made safe: at most 31 characters, no ``[]:*?/\\``).
    title : str, optional
        The first row, in bold.
    lines : sequence
        Description rows under the title (source, units, what the table shows). A
        tuple ``(label, value)`` fills two cells; a tuple of three adds a link
        target on the value (``"#'Sheet'!A1"`` or a URL).
    tables : sequence of Table
        One table per sheet is the rule of the report; several are stacked.
    charts : sequence of Chart
    notes : sequence of str
        Keys of the workbook's notes the title refers to (``[note N]``).
    freeze : bool
        Freeze the rows above the first table's data.
    kind : {"data", "cover", "notes"}
        ``cover`` prints on one page; ``notes`` is filled with the numbered notes.
    landscape : bool, optional
        Print orientation (default: landscape when the table is wide).
    widths : mapping
        Column letter -> width, overriding the computed ones.
    """

    name: str
    title: str = ""
    lines: Sequence[Any] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    notes: Sequence[str] = ()
    freeze: bool = True
    kind: Literal["data", "cover", "notes"] = "data"
    landscape: bool | None = None
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
