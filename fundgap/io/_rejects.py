"""Reject bookkeeping: every input row a loader does not keep, with its first reason.

Examples
--------
>>> import numpy as np
>>> r = Rejector(3)
>>> r.flag(np.array([True, False, False]), "missing date", "Deal Date", ["", "x", "y"])
>>> r.kept.tolist()
[False, True, True]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.io._columnar import STR, chunk_take, take_rows
from fundgap.io._table import RawTable
from fundgap.loaded import REJECT_COLUMNS, make_rejects

__all__ = ["Rejector"]


class Rejector:
    """Records, per input row, the first reason it was rejected.

    Each :meth:`flag` call keeps the positions it newly rejects with their reason,
    column, raw value and ``duplicate_of``: memory grows with the rejected rows, not
    with the file (a million-row export holds no per-row object arrays).

    Examples
    --------
    >>> import numpy as np
    >>> r = Rejector(3)
    >>> r.flag(np.array([True, False, True]), "missing date", "Deal Date", ["", "", ""])
    >>> r.flag(np.array([True, True, False]), "negative amount", "Deal Size", ["-1", "-2", "x"])
    >>> r.reason.tolist()
    ['missing date', 'negative amount', 'missing date']
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self._rejected = np.zeros(n, dtype=bool)
        # one record per flag call: (positions, reason(s), column, values, duplicate_of)
        self._records: list[tuple[np.ndarray, Any, str | None, np.ndarray | None,
                                  np.ndarray | None]] = []

    @property
    def kept(self) -> np.ndarray:
        return ~self._rejected

    def _table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions (sorted) and, per position, reason, column, value and duplicate_of."""
        recs = self._records
        if not recs:
            e = np.zeros(0, dtype=object)
            return np.zeros(0, dtype=np.int64), e, e, e, np.zeros(0)
        pos = np.concatenate([r[0] for r in recs])
        sizes = [len(r[0]) for r in recs]

        def per_row(k: int, fill: Any, dtype: Any = object) -> np.ndarray:
            # a record's scalar (or missing) entry stands for all of its rows
            return np.concatenate([
                np.full(size, fill if r[k] is None else r[k], dtype=dtype)
                if r[k] is None or np.isscalar(r[k]) else r[k]
                for r, size in zip(recs, sizes, strict=True)])

        order = np.argsort(pos, kind="stable")
        return (pos[order], per_row(1, None)[order], per_row(2, None)[order],
                per_row(3, None)[order], per_row(4, np.nan, float)[order])

    @property
    def reason(self) -> np.ndarray:
        """The reason of each row (None where kept)."""
        out = np.full(self.n, None, dtype=object)
        pos, reason = self._table()[:2]
        out[pos] = reason
        return out

    def flag(self, mask: Any, reason: Any, column: str | None = None, values: Any = None,
             duplicate_of: Any = None) -> None:
        if isinstance(mask, pd.Series) and mask.dtype == bool:
            mask = mask.to_numpy()
        if isinstance(mask, np.ndarray) and mask.dtype == bool:
            m = mask & ~self._rejected
        else:
            m = np.asarray(pd.Series(mask).fillna(False), dtype=bool) & ~self._rejected
        pos = np.flatnonzero(m)  # (the rows flagged are few: work on their positions)
        if not len(pos):
            return
        self._rejected[pos] = True
        why = reason if np.isscalar(reason) else np.asarray(reason, dtype=object)[pos]
        val = None
        if values is not None:
            v = pd.Series(values) if not isinstance(values, pd.Series) else values
            if v.dtype == STR:  # (Arrow take chunk by chunk: pandas' iloc is slow on chunks)
                val = chunk_take(arrow_data(v), pos).to_numpy(
                    zero_copy_only=False).astype(object)
            elif isinstance(v.dtype, pd.CategoricalDtype):  # by the codes
                cats = np.append(np.asarray(v.cat.categories.astype(object)), None)
                val = cats[v.cat.codes.to_numpy()[pos]]
            else:
                val = v.iloc[pos].astype(object).to_numpy()
        d_of = None
        if duplicate_of is not None:
            d = np.asarray(duplicate_of)
            d = d if d.dtype.kind in "iuf" else pd.to_numeric(
                pd.Series(d, dtype=object), errors="coerce").to_numpy(dtype="float64")
            d_of = np.asarray(d[pos], dtype=float)
        self._records.append((pos, why, column, val, d_of))

    def rejects(self, raw: RawTable, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """The rejects table: flagged rows with their raw values, plus unsplittable rows."""
        from fundgap.normalise._util import objects_to_strings

        base = raw.frame if frame is None else frame
        pos, reason, column, value, d_of = self._table()
        parts = []
        rows = np.asarray(raw.source_row) if frame is None else np.asarray(frame["__source_row"])
        cols = [c for c in base.columns if not c.startswith("__")]
        # (records that repeat their file row's cells take the rejected ones only)
        raw_part = (base.rows(pos, cols) if hasattr(base, "rows")
                    else take_rows(base[cols], pos, self._rejected))
        vals = pd.Series(value, dtype=object)
        vals = vals.where(vals.notna(), None)
        no_dup = np.isnan(d_of)
        fixed = pd.DataFrame({
            "source_row": pd.array(rows[pos], dtype="Int64"),
            # (few distinct reasons and columns: built from their codes)
            "reason": objects_to_strings(reason, pd.RangeIndex(len(pos))),
            "column": objects_to_strings(column, pd.RangeIndex(len(pos))),
            "value": vals.astype("string"),
            "duplicate_of": pd.arrays.IntegerArray(np.where(no_dup, 0, d_of).astype(np.int64),
                                                   no_dup),
        })
        raw_part = raw_part.reset_index(drop=True)
        raw_part.columns = [f"{c}_raw" if c in REJECT_COLUMNS else c for c in raw_part.columns]
        parts.append(pd.concat([fixed, raw_part], axis=1))
        if len(raw.bad_rows):
            b = raw.bad_rows
            parts.append(make_rejects(
                pd.DataFrame({"raw_text": b["text"].to_numpy()}),
                source_row=b["source_row"].to_numpy(), reason=b["reason"].to_numpy(),
                column="<row>", value=b["text"].astype(str).str.slice(0, 200).to_numpy(),
            ))
        out = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        return out.sort_values("source_row", kind="stable").reset_index(drop=True)
