"""The :class:`Loaded` container that every loader returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError

__all__ = ["REJECT_COLUMNS", "Loaded", "make_rejects"]

#: Fixed leading columns of every rejects table; the raw values of the row follow.
REJECT_COLUMNS: tuple[str, ...] = ("source_row", "reason", "column", "value", "duplicate_of")


def make_rejects(
    raw: pd.DataFrame | None = None,
    *,
    source_row: Any = (),
    reason: Any = (),
    column: Any = None,
    value: Any = None,
    duplicate_of: Any = None,
) -> pd.DataFrame:
    """Build a rejects table: the fixed columns, then the row's raw values.

    Parameters
    ----------
    raw : DataFrame, optional
        The raw rows being rejected (as read, strings); their columns follow the
        fixed ones. A raw column that clashes with a fixed name gets ``_raw`` appended.
    source_row, reason, column, value, duplicate_of : scalar or array-like
        Broadcast to the rows of ``raw``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"Deal Size": ["-5"]})
    >>> r = make_rejects(raw, source_row=[8], reason="negative amount",
    ...                  column="Deal Size", value=["-5"])
    >>> list(r.columns)
    ['source_row', 'reason', 'column', 'value', 'duplicate_of', 'Deal Size']
    >>> int(r.loc[0, "source_row"])
    8
    """
    n = len(raw) if raw is not None else len(pd.Series(source_row))
    idx = pd.RangeIndex(n)

    def col(x: Any, dtype: str) -> pd.Series:
        if x is None:
            return pd.Series(pd.array([None] * n, dtype=dtype), index=idx)
        if pd.api.types.is_scalar(x):
            return pd.Series(pd.array([x] * n, dtype=dtype), index=idx)
        arr = pd.Series(list(x), index=idx)
        if dtype == "Int64":
            return pd.to_numeric(arr, errors="coerce").astype("Int64")
        return arr.astype("object").where(arr.notna(), None).astype(dtype)

    out = pd.DataFrame(
        {
            "source_row": col(source_row, "Int64"),
            "reason": col(reason, "string"),
            "column": col(column, "string"),
            "value": col(value, "string"),
            "duplicate_of": col(duplicate_of, "Int64"),
        },
        index=idx,
    )
    if raw is not None:
        raw = raw.reset_index(drop=True)
        for c in raw.columns:
            name = f"{c}_raw" if c in REJECT_COLUMNS else c
            out[name] = raw[c].to_numpy()
    return out


@dataclass
class Loaded:
    """What a loader returns: canonical data, the rows it could not use, and where they came from.

    Attributes
    ----------
    data : DataFrame
        The canonical frame (rounds, funds or series; see :mod:`fundgap.schema`).
    rejects : DataFrame
        One row per input row not in ``data``: ``source_row`` (1-based row in the
        original file), ``reason``, ``column``, ``value``, ``duplicate_of`` (the
        ``source_row`` of the row it duplicates) and the raw values of the columns
        the loader read.
    source : str
        The loader used (e.g. ``"pitchbook"``).
    kind : {"rounds", "funds", "series"}
    path : str or None
    n_input : int
        Data rows in the file. For row-per-record layouts
        ``len(data) + len(rejects) == n_input``; for layouts that unpack or
        reshape (Dealroom rounds packed in one company row, wide statistics
        tables) ``n_input`` counts the unpacked records and ``notes`` say so.
    notes : list of str
        What the loader decided (layout sniffed, header row found, options used).

    Examples
    --------
    >>> import pandas as pd
    >>> from fundgap.schema import empty_rounds
    >>> ld = Loaded(empty_rounds(), make_rejects(source_row=[], reason=[]), "generic",
    ...             "rounds", "x.csv", 0)
    >>> ld.summary().splitlines()[0]
    'x.csv: 0 input rows -> 0 rounds kept, 0 rejected (source: generic)'
    """

    data: pd.DataFrame
    rejects: pd.DataFrame
    source: str
    kind: str
    path: str | None = None
    n_input: int = 0
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rejects is None:
            self.rejects = make_rejects(source_row=[], reason=[])

    def check_accounting(self) -> None:
        """Raise :class:`FundgapError` unless every input row is in ``data`` or ``rejects``."""
        if len(self.data) + len(self.rejects) != self.n_input:
            raise FundgapError(
                f"row accounting failed: {len(self.data)} kept + {len(self.rejects)} rejected "
                f"!= {self.n_input} input rows",
                file=self.path,
            )

    def reject_reasons(self) -> pd.Series:
        """Counts of rejected rows by reason, largest first."""
        if len(self.rejects) == 0:
            return pd.Series([], dtype="int64", name="count")
        return self.rejects["reason"].value_counts()

    def summary(self) -> str:
        """A short text summary: rows in, kept, rejected by reason, notes."""
        where = self.path or "<frame>"
        lines = [
            f"{where}: {self.n_input} input rows -> {len(self.data)} {self.kind} kept, "
            f"{len(self.rejects)} rejected (source: {self.source})"
        ]
        for reason, n in self.reject_reasons().items():
            lines.append(f"  rejected {n:>7}  {reason}")
        d = self.data
        if self.kind == "rounds" and len(d):
            disclosed = int(d["amount_usd"].notna().sum())
            lines.append(
                f"  amounts disclosed: {disclosed} of {len(d)}; USD total "
                f"{d['amount_usd'].sum():,.1f} million (current prices)"
            )
            unknown = int((d["stage_group"] == "unknown").sum())
            lines.append(f"  rows in unknown venture stage: {unknown}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<Loaded {self.kind} from {self.source}: {len(self.data)} kept, "
            f"{len(self.rejects)} rejected of {self.n_input}>"
        )

    def __getitem__(self, key: Any) -> Any:
        """Index the canonical data as a frame: ``loaded[loaded["is_biotech"] == True]``.

        Examples
        --------
        >>> import pandas as pd
        >>> ld = Loaded(pd.DataFrame({"x": [1, 2]}), None, "generic", "rounds")
        >>> ld[ld["x"] > 1]["x"].tolist(), len(ld), list(ld.columns)
        ([2], 2, ['x'])
        """
        return self.data[key]

    def __len__(self) -> int:
        """Rows kept (``len(loaded.data)``)."""
        return len(self.data)

    @property
    def columns(self) -> pd.Index:
        """The canonical columns of ``data``."""
        return self.data.columns

    def to_frame(self) -> pd.DataFrame:
        """The canonical data (a copy), as every results object offers."""
        return self.data.copy()

    def __iter__(self):
        """Unpack as ``data, rejects = fundgap.read_rounds(...)``."""
        yield self.data
        yield self.rejects
