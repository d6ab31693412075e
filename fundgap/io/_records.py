"""Records that repeat the cells of their file row (an export packing several records in one row).

A Dealroom company row holds all its rounds: each round is one record, and the record's
raw cells are the company's cells plus the round's own elements. :class:`Records` holds
them without repeating the company's text for every round: the company columns stay one
value per file row, with ``parent`` (the file row of each record); a column is repeated
(one Arrow take) only where all of it is needed, and the rejects, the exact-duplicate
test and the kept text columns take only the records they need.

Examples
--------
>>> import numpy as np, pandas as pd
>>> companies = pd.DataFrame({"NAME": pd.array(["Acme", "Bio"], dtype="str")})
>>> own = pd.DataFrame({"round": pd.array(["seed", "A", "seed"], dtype="str")})
>>> r = Records(companies, np.array([0, 0, 1]), own)
>>> r.columns, r["NAME"].tolist()
(['NAME', 'round'], ['Acme', 'Acme', 'Bio'])
>>> r.rows(np.array([2]), ["NAME", "round"]).to_dict("list")
{'NAME': ['Bio'], 'round': ['seed']}
>>> r.repeated("NAME").take(np.array([1, 2]), pd.Index([1, 2])).tolist()
['Acme', 'Bio']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.io._columnar import STR, chunk_take, clean, encode
from fundgap.io._threads import threaded

__all__ = ["Records", "Repeated"]


def _take(s: pd.Series, pos: np.ndarray, index: pd.Index) -> pd.Series:
    """``s.iloc[pos]`` on ``index`` (positions may repeat; Arrow strings by Arrow takes of
    the sorted runs of ``pos``)."""
    import pyarrow as pa

    if s.dtype != STR:
        out = s.iloc[pos]
        out.index = index
        return out
    arr = arrow_data(s)
    # (the positions are sorted runs -- the rounds of the companies kept, then the others:
    # each run is taken chunk by chunk)
    cuts = np.flatnonzero(np.diff(pos) < 0) + 1 if len(pos) > 1 else np.zeros(0, np.int64)
    parts = [chunk_take(arr, p) for p in np.split(pos, cuts)]
    chunks = [c for p in parts for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])]
    out = pa.chunked_array(chunks, type=arr.type)
    return pd.Series(pd.arrays.ArrowStringArray(out), index=index, name=s.name, copy=False)


class Repeated:
    """One company column repeated for the records: record ``i`` holds
    ``values.iloc[parent[i]]`` (cleaned, with ``cleaned``: once per file row, when first
    taken); nothing is repeated until :meth:`take` or :meth:`full`."""

    def __init__(self, values: pd.Series, parent: np.ndarray, index: pd.Index,
                 cleaned: bool = False) -> None:
        self.values, self.parent, self.index = values, parent, index
        self.cleaned = cleaned

    def __len__(self) -> int:
        return len(self.parent)

    def _values(self) -> pd.Series:
        return clean(self.values) if self.cleaned else self.values

    def take(self, pos: np.ndarray, index: pd.Index) -> pd.Series:
        """The values of the records at ``pos`` (sorted), on ``index``."""
        return _take(self._values(), self.parent[pos], index)

    def full(self) -> pd.Series:
        """The values of every record."""
        return _take(self._values(), self.parent, self.index)


class Records:
    """The raw cells of records: the columns of ``companies`` (one row per file row)
    repeated by ``parent``, then the records' own columns (``own``, one row per record).

    Parameters
    ----------
    companies : DataFrame
        The file's rows as read.
    parent : ndarray of int
        The position in ``companies`` of each record.
    own : DataFrame
        Columns of the records themselves; its index is the records' index.
    """

    def __init__(self, companies: pd.DataFrame, parent: np.ndarray, own: pd.DataFrame) -> None:
        self.companies = companies
        self.parent = np.asarray(parent, dtype=np.int64)
        self.own = own

    @property
    def index(self) -> pd.Index:
        return self.own.index

    @property
    def columns(self) -> list[str]:
        return [*self.companies.columns, *self.own.columns]

    def __len__(self) -> int:
        return len(self.own)

    def __contains__(self, column: str) -> bool:
        return column in self.own.columns or column in self.companies.columns

    def __getitem__(self, column: str) -> pd.Series:
        """Every record's value of ``column`` (a company column is repeated: one take)."""
        if column in self.own.columns:
            return self.own[column]
        return self.repeated(column).full()

    def repeated(self, column: str, cleaned: bool = False) -> Repeated | pd.Series:
        """A company column as :class:`Repeated` (an own column as it is); with ``cleaned``,
        its text cleaned (:func:`~fundgap.io._columnar.clean`, once per file row)."""
        if column in self.own.columns:
            return clean(self.own[column]) if cleaned else self.own[column]
        return Repeated(self.companies[column], self.parent, self.index, cleaned)

    def cleaned(self, column: str) -> pd.Series:
        """Every record's value of ``column``, cleaned (a company column once per file row)."""
        values = self.repeated(column, cleaned=True)
        return values.full() if isinstance(values, Repeated) else values

    def encoded(self, column: str) -> pd.Series:
        """``encode`` of ``column``: for a company column, the file rows are encoded once and
        their codes repeated."""
        if column in self.own.columns:
            return encode(self.own[column])
        e = encode(self.companies[column])
        cat = pd.Categorical.from_codes(e.cat.codes.to_numpy()[self.parent], dtype=e.dtype,
                                        validate=False)
        return pd.Series(cat, index=self.index, name=column, copy=False)

    def rows(self, pos: np.ndarray, columns: list[str] | None = None) -> pd.DataFrame:
        """The records at ``pos`` (sorted), ``columns`` (default: all) in that order."""
        cols = self.columns if columns is None else list(columns)
        idx = self.index[pos]
        ppos = self.parent[pos]

        def one(c: str) -> Any:
            if c in self.own.columns:
                return _take(self.own[c], pos, idx)
            return _take(self.companies[c], ppos, idx)

        taken = threaded(one, cols) if cols else []
        return pd.DataFrame(dict(zip(cols, taken, strict=True)), index=idx, columns=cols,
                            copy=False)
