"""What a :class:`~fundgap.io.Layout`'s hooks see: the file's columns by field (:class:`Fields`).

A hook never handles threads, memory or Arrow buffers: it asks for a field's values
(:meth:`Fields.labels`, :meth:`Fields.text`, :meth:`Fields.raw`), rejects rows with a
reason (:meth:`Fields.reject`), writes notes, and replaces a field
(:meth:`Fields.set`). Label columns are categoricals of their distinct cleaned labels,
so a rule applied to them runs once per label; :meth:`Fields.map_labels`,
:meth:`Fields.choose` and :meth:`Fields.join` keep that so.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from fundgap.io._table import RawTable
>>> t = RawTable(pd.DataFrame({"Name": ["Acme ", None], "Round": ["Seed", "#N/A"]}),
...              np.array([2, 3]), "synthetic.csv", 1)
>>> f = Fields(t, {"company": "Name", "stage": "Round"})
>>> f.text("company").tolist(), f.labels("stage").tolist(), "amount" in f
(['Acme', <NA>], ['Seed', <NA>], False)
>>> f.reject(f.text("company").isna(), "missing company name", "company")
>>> f.rejector.reason.tolist()
[None, 'missing company name']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import (
    STR,
    clean,
    decode,
    encode,
    join_labels,
    map_labels,
    no_labels,
    per_label,
    pick,
)
from fundgap.io._rejects import Rejector
from fundgap.io._table import RawTable
from fundgap.io._threads import concurrently

__all__ = ["Fields"]


class Fields:
    """The columns of one export by field, as the loader read them.

    Parameters
    ----------
    table : RawTable
        The table as read.
    headers : mapping
        Field -> the header that holds it in this file.
    labels : mapping, optional
        Field -> its values as a cleaned categorical (read once by the loader).
    """

    def __init__(self, table: RawTable, headers: Mapping[str, str],
                 labels: Mapping[str, pd.Series] | None = None) -> None:
        self.table = table
        self.headers = dict(headers)
        self._labels = dict(labels or {})
        self._encoded: dict[str, pd.Series] = {}  # (labels of other fields, once asked for)
        self._set: dict[str, pd.Series] = {}
        self._frame: pd.DataFrame | None = None  # (records of an unpacked layout)
        self.rows = np.asarray(table.source_row, dtype="int64")
        self.n_input = table.n_input
        self.rejector = Rejector(len(table.frame))
        self.unpacked = False
        self._local = threading.local()  # (notes of hooks that run side by side, in order)

    # ------------------------------------------------------------------ what is there

    @property
    def frame(self) -> pd.DataFrame:
        """The raw cells of the records (the table as read, unless :meth:`unpack` replaced
        them); not held here, so that the raw table can be released after the hand-over."""
        return self.table.frame if self._frame is None else self._frame

    @property
    def index(self) -> pd.Index:
        """The index of the records."""
        return self.frame.index

    @property
    def notes(self) -> list[str]:
        """The loader's notes (append to them)."""
        return self.table.notes

    def __contains__(self, field: str) -> bool:
        return field in self._set or field in self.headers

    def present(self, *fields: str) -> list[str]:
        """The fields of ``fields`` this file has, in that order."""
        return [f for f in fields if f in self]

    def replaced(self, field: str) -> bool:
        """True if a hook set ``field``'s values (:meth:`set`)."""
        return field in self._set

    def header(self, field: str) -> str | None:
        """The header that holds ``field`` (None if the file does not have it)."""
        return self.headers.get(field)

    # ------------------------------------------------------------------ values

    def raw(self, field: str) -> pd.Series | None:
        """The values as read (or as set), None if absent."""
        if field in self._set:
            return self._set[field]
        header = self.headers.get(field)
        return None if header is None else self.frame[header]

    def text(self, field: str) -> pd.Series:
        """The values as text, blanks stripped, empty cells and artefacts missing (all
        missing if the field is absent)."""
        values = self.raw(field)
        if values is None:
            return pd.Series(pd.NA, index=self.index, dtype=STR)
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = decode(values)
        return clean(values)

    def labels(self, field: str) -> pd.Series:
        """The values as a categorical of their distinct cleaned labels (all missing if the
        field is absent)."""
        if field in self._set:
            return encode(self._set[field])
        if field in self._labels:
            return self._labels[field]
        if field in self._encoded:
            return self._encoded[field]
        header = self.headers.get(field)
        if header is None:
            return no_labels(self.index)
        frame = self.frame  # (records that repeat their file row's cells encode that once)
        self._encoded[field] = (frame.encoded(header) if hasattr(frame, "encoded")
                                else encode(frame[header]))
        return self._encoded[field]

    def per_label(self, field: str, func: Callable[[pd.Series], Any],
                  missing: Any = None) -> np.ndarray:
        """``func`` applied once to the distinct cleaned labels of ``field`` (a string Series
        in, one value per label out), as an array with one value per row (``missing`` where
        the field is missing or absent).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from fundgap.io._table import RawTable
        >>> t = RawTable(pd.DataFrame({"Status": ["Raising", "Closed", None, "raising "]}),
        ...              np.arange(2, 6), "synthetic.csv", 1)
        >>> f = Fields(t, {"status": "Status"})
        >>> f.per_label("status", lambda u: u.str.lower() == "raising", missing=False).tolist()
        [True, False, False, True]
        """
        return per_label(self.labels(field), func, missing)

    def column(self, field: str) -> pd.Series | None:
        """A label field's cleaned categorical, another field as read (None if absent)."""
        if field in self._labels and field not in self._set:
            return self._labels[field]
        return self.raw(field)

    def value(self, field: str) -> Any:
        """What the builders take: a replacement, the cleaned labels of a label field, or
        the header of the raw column (released with the raw table)."""
        if field in self._set:
            return self._set[field]
        if field in self._labels:
            return self._labels[field]
        return self.headers.get(field)

    # ------------------------------------------------------------------ changes

    def set(self, field: str, values: Any) -> None:
        """Replace (or add) a field's values: a Series on :attr:`index`."""
        self._set[field] = pd.Series(values, index=self.index, copy=False)
        self._encoded.pop(field, None)

    def reject(self, mask: Any, reason: Any, field: str | None = None, values: Any = None) -> None:
        """Reject the rows of ``mask`` (those not rejected already) with ``reason`` (a text,
        or one per row); the rejects name ``field``'s header and its raw value."""
        column = self.header(field) if field is not None else None
        if values is None and field is not None:
            values = self.raw(field)
        self.rejector.flag(mask, reason, column if column is not None else field, values)

    def note(self, text: str) -> None:
        """Add a note to what the loader reports."""
        buffer = getattr(self._local, "notes", None)
        (self.notes if buffer is None else buffer).append(text)

    def in_order(self, *jobs: Callable[[], Any]) -> list[Any]:
        """The results of ``jobs`` run side by side (two threads on a big file); the notes
        they write come in the order of the jobs."""
        def noted(job: Callable[[], Any]) -> Callable[[], tuple[Any, list[str]]]:
            def run() -> tuple[Any, list[str]]:
                self._local.notes = []
                try:
                    return job(), self._local.notes
                finally:
                    self._local.notes = None
            return run

        results = concurrently(*map(noted, jobs))
        for _, notes in results:
            self.notes.extend(notes)
        return [r for r, _ in results]

    def unpack(self, frame: pd.DataFrame, rows: np.ndarray, n_input: int) -> None:
        """Replace the records (a layout that packs several records in one row): ``frame``
        holds one row per record with the raw values the rejects show (a DataFrame, or
        :class:`~fundgap.io._records.Records` that repeat their file row's cells), ``rows`` their file
        rows, ``n_input`` the number of records. Fields are then looked up in ``frame``;
        the raw table's cells are released (``frame`` holds what the rejects show)."""
        self._frame = frame.reset_index(drop=True) if isinstance(frame, pd.DataFrame) else frame
        self.table.frame = self.table.frame.iloc[:0]  # (its memory is reused by what follows)
        self.rows = np.asarray(rows, dtype="int64")
        self.n_input = int(n_input)
        self.rejector = Rejector(len(frame))
        self._labels = {}
        self._encoded = {}
        self._set = {}
        self.unpacked = True

    # ------------------------------------------------------------------ label helpers

    @staticmethod
    def clean(values: pd.Series) -> pd.Series:
        """Text as the loader cleans it: blanks stripped, empty cells and artefacts missing."""
        return clean(values)

    @staticmethod
    def choose(mask: Any, a: pd.Series, b: pd.Series) -> pd.Series:
        """Row-wise ``a`` where ``mask`` else ``b``, for two label columns."""
        return pick(mask, a, b)

    @staticmethod
    def join(*columns: pd.Series, sep: str = " / ") -> pd.Series:
        """Row-wise join of the present labels of label columns."""
        return join_labels(*columns, sep=sep)

    @staticmethod
    def map_labels(values: pd.Series, func: Callable[[pd.Series], Any]) -> pd.Series:
        """``func`` applied once to the distinct labels of ``values``; a categorical back."""
        return map_labels(values, func)
