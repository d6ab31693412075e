"""The table a reader returns (:class:`RawTable`) and the steps CSV and XLSX reading share.

Both readers (:mod:`fundgap.io._csv` for text, :mod:`fundgap.io._xlsx` for workbooks)
find the header row below banner rows (:func:`header_index`), name the columns
(:func:`header_names`: blanks collapsed, duplicates renamed ``X.1`` ...), choose the
columns to read (:func:`wanted_columns`) and turn the Arrow table they parsed into a
:class:`RawTable` of strings (:func:`finish`).

Examples
--------
>>> header_index([["Deals export"], [""], ["Company", "Date", "Amount"], ["A", "2021", "5"]], None)
2
>>> header_names(["Name", " Name ", "", "Amount"], [])
(['Name', 'Name.1', 'Unnamed: 2', 'Amount'], {'Name': ['Name.1']})
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, categorical_from_arrow
from fundgap.io._threads import threaded

__all__ = ["MAX_BANNER", "PEEK_LINES", "RawTable", "finish", "header_index", "header_names",
           "no_bad_rows", "wanted_columns"]

#: Lines of a file's head read to sniff its delimiter and find its header.
PEEK_LINES = 60
#: The header is looked for in this many first rows (banner and metadata rows above it).
MAX_BANNER = 30
#: Skipped columns named in the notes.
_LISTED = 8
#: A header row's cells are mostly text: at least this share is not a number.
_TEXT_SHARE = 0.7
_NUMBER = re.compile(r"[-+$€£]?\s*[\d.,]+\s*[%kKmMbB]?n?")

HeaderSpec = Callable[[list[str]], bool] | Iterable[str] | None
#: Columns to read (or to read as categoricals): names, or a function of the header's names.
ColumnsSpec = Callable[[list[str]], Iterable[str]] | Iterable[str] | None


def no_bad_rows() -> pd.DataFrame:
    """An empty ``bad_rows`` table."""
    return pd.DataFrame({"source_row": pd.Series([], dtype="int64"),
                         "reason": pd.Series([], dtype=object), "text": pd.Series([], dtype=object)})


@dataclass
class RawTable:
    """A table as read: string cells, file row numbers, and what the reader did.

    Attributes
    ----------
    frame : DataFrame
        One column per header cell (string dtype, missing for empty cells).
    source_row : ndarray of int64
        1-based file row of each frame row.
    path : str
    header_row : int
        1-based file row of the header (0 if the file had no rows at all).
    notes : list of str
    bad_rows : DataFrame
        Rows that could not be split into the header's fields: ``source_row``,
        ``reason``, ``text``.
    n_empty_rows : int
        All-empty rows dropped (not counted as input rows).
    duplicated : dict
        Header name -> the names its duplicates were given (``X.1`` ...).
    skipped : list of str
        Header names of the columns not read (``read_table(columns=...)``).
    """

    frame: pd.DataFrame
    source_row: np.ndarray
    path: str
    header_row: int
    notes: list[str] = field(default_factory=list)
    bad_rows: pd.DataFrame = field(default_factory=no_bad_rows)
    n_empty_rows: int = 0
    duplicated: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def n_input(self) -> int:
        """Data rows in the file: rows read plus rows that could not be split."""
        return len(self.frame) + len(self.bad_rows)

    @property
    def columns(self) -> list[str]:
        """The columns read (after de-duplication of the header's names)."""
        return list(self.frame.columns)

    @property
    def header(self) -> list[str]:
        """Every column of the file's header: the columns read, then the skipped ones."""
        return list(self.frame.columns) + list(self.skipped)


# --------------------------------------------------------------------------- header


def header_index(rows: list[list[str]], header: HeaderSpec) -> int:
    """0-based index of the header among the first rows of a file.

    ``header`` recognises it: a predicate on a row's non-empty cells, or names of
    which two (one, if only one is given) must appear. Otherwise, or if no row
    matches, the first row at least half as full as the fullest of the first
    :data:`MAX_BANNER` rows whose cells are mostly text.
    """
    cells = [[c.strip() for c in r] for r in rows]
    nonempty = [sum(1 for c in r if c) for r in cells]
    if not any(nonempty):
        return 0
    found = _named_header(cells[:MAX_BANNER], header)
    if found is not None:
        return found
    return _fullest_text_row(cells[:MAX_BANNER], nonempty)


def _named_header(cells: list[list[str]], header: HeaderSpec) -> int | None:
    """The first row ``header`` recognises (see :func:`header_index`), or None."""
    if callable(header):
        return next((i for i, r in enumerate(cells) if header([c for c in r if c])), None)
    if header is None:
        return None
    want = {h.strip().lower() for h in header}
    need = min(2, len(want))
    return next((i for i, r in enumerate(cells) if sum(1 for c in r if c.lower() in want) >= need),
                None)


def _fullest_text_row(top: list[list[str]], nonempty: list[int]) -> int:
    """The first row at least half as full as the fullest, with mostly text cells."""
    max_n = max(nonempty[: len(top)])
    if max_n <= 1:
        return next(i for i, n in enumerate(nonempty) if n)
    threshold = max(2, math.ceil(0.5 * max_n))
    for i, r in enumerate(top):
        if nonempty[i] < threshold:
            continue
        texty = sum(1 for c in r if c and not _NUMBER.fullmatch(c))
        if texty >= _TEXT_SHARE * nonempty[i]:
            return i
    return next(i for i, n in enumerate(nonempty) if n >= threshold)


def header_names(cells: list[str], notes: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Column names from the header's cells: blanks collapsed, surrounding quotes removed,
    ``Unnamed: j`` for an empty cell, duplicates renamed ``X.1``, ``X.2`` ... (noted).

    Returns the names and, per duplicated name, the names its copies were given.
    """
    names: list[str] = []
    seen: dict[str, int] = {}
    dup: dict[str, list[str]] = {}
    for j, c in enumerate(cells):
        name = re.sub(r"\s+", " ", (c or "").replace("\ufeff", "")).strip()
        if len(name) > 1 and name[0] == name[-1] and name[0] in "\"'`":  # ("Name", 'Name')
            name = name[1:-1].strip()
        name = name or f"Unnamed: {j}"
        if name in seen:
            new = _free_name(name, seen)
            dup.setdefault(name, []).append(new)
            name = new
        else:
            seen[name] = 1
        names.append(name)
    if dup:
        notes.append("duplicated header(s) renamed: "
                     + "; ".join(f"{k!r} -> {v}" for k, v in dup.items()))
    return names, dup


def _free_name(name: str, seen: dict[str, int]) -> str:
    """``name.k`` for the next k not taken; records it in ``seen``."""
    k = seen[name]
    new = f"{name}.{k}"
    while new in seen:
        k += 1
        new = f"{name}.{k}"
    seen[name] = k + 1
    seen[new] = 1
    return new


def wanted_columns(names: list[str], dup: dict[str, list[str]],
                   columns: ColumnsSpec) -> list[str] | None:
    """The header names to read, in the file's order (None: all). A wanted column's
    duplicates (``X.1`` ...) are read too, so that the copies can be compared."""
    if columns is None:
        return None
    want = set(columns(names) if callable(columns) else columns)
    for name in list(want):
        want.update(dup.get(name, []))
    keep = [n for n in names if n in want]
    return keep if len(keep) < len(names) else None


# --------------------------------------------------------------------------- finish


def finish(table: Any, source_row: np.ndarray, *, path: str, header_row: int, notes: list[str],
           bad_rows: pd.DataFrame, dup: dict[str, list[str]],
           wanted: list[str] | None = None, header: list[str] | None = None) -> RawTable:
    """The :class:`RawTable` of a parsed Arrow table: the wanted columns, without empty
    header-less columns and all-empty rows (noted), labels as categoricals."""
    skipped: list[str] = []
    if wanted is not None:
        table, skipped = _select(table, wanted, header or [], notes)
    table = _drop_empty_unnamed(table, notes)
    table, source_row, n_empty = _drop_empty_rows(table, source_row, notes, bool(skipped))
    frame = _frame(table)
    if len(bad_rows):
        notes.append(f"{len(bad_rows)} row(s) could not be split into the header's fields")
    return RawTable(frame, np.asarray(source_row, dtype="int64"), path, header_row, notes,
                    bad_rows, n_empty, {k: v for k, v in dup.items() if k in frame.columns},
                    skipped)


def _select(table: Any, wanted: list[str], header: list[str],
            notes: list[str]) -> tuple[Any, list[str]]:
    """The wanted columns (a CSV comes with those only: pyarrow skipped the others) and
    the names of the skipped ones (noted)."""
    have = set(wanted)
    skipped = [c for c in header if c not in have]
    if table.column_names != wanted:
        table = table.select(wanted)
    named = [c for c in skipped if not c.startswith("Unnamed: ")]
    note = f"{len(wanted)} of {len(header)} columns read"
    if named:
        more = " ..." if len(named) > _LISTED else ""
        note += f"; not used by this loader: {named[:_LISTED]}{more}"
    if len(named) < len(skipped):
        note += f"; {len(skipped) - len(named)} column(s) without a header not read"
    notes.append(note)
    return table, skipped


def _drop_empty_unnamed(table: Any, notes: list[str]) -> Any:
    """Drop empty columns without a header; note the header-less ones kept."""
    n = table.num_rows
    drop = [c for c in table.column_names
            if c.startswith("Unnamed: ") and table.column(c).null_count == n]
    if drop:
        table = table.drop_columns(drop)
        notes.append(f"{len(drop)} empty column(s) without a header dropped")
    named_unnamed = [c for c in table.column_names if c.startswith("Unnamed: ")]
    if named_unnamed:
        notes.append(f"column(s) without a header kept as {named_unnamed[:5]}")
    return table


def _drop_empty_rows(table: Any, source_row: np.ndarray, notes: list[str],
                     some_skipped: bool) -> tuple[Any, np.ndarray, int]:
    """Drop rows empty in every column read (noted; not input rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (table.num_rows and table.num_columns):
        return table, source_row, 0
    allnull = None
    for c in table.column_names:
        col = pc.is_null(table.column(c))
        allnull = col if allnull is None else pc.and_(allnull, col)
    mask = np.asarray(allnull.to_numpy(zero_copy_only=False), dtype=bool)
    n_empty = int(mask.sum())
    if n_empty:
        table = table.filter(pa.array(~mask))
        source_row = source_row[~mask]
        where = " in every column read" if some_skipped else ""
        notes.append(f"{n_empty} empty row(s){where} skipped (not counted as input rows)")
    return table, source_row, n_empty


def _frame(table: Any) -> pd.DataFrame:
    """The Arrow table as a frame of strings; dictionary columns as categoricals."""
    import pyarrow as pa

    coded = [c for c, t in zip(table.column_names, table.schema.types, strict=True)
             if pa.types.is_dictionary(t)]
    plain = table.drop_columns(coded) if coded else table
    frame = plain.to_pandas(types_mapper={pa.string(): STR, pa.large_string(): STR}.get)
    if coded:  # (pyarrow's own conversion of dictionaries is several times slower)
        def categorical(c: str) -> pd.Categorical:
            return categorical_from_arrow(table.column(c).unify_dictionaries())

        # (two threads: numpy copies and Arrow's unification release the GIL)
        cats = dict(zip(coded, threaded(categorical, coded, min_items=2), strict=True))
        frame = pd.DataFrame({c: cats[c] if c in cats else frame[c] for c in table.column_names},
                             copy=False)
    frame.index = pd.RangeIndex(len(frame))
    return frame
