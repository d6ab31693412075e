"""De-duplication of rounds: exact duplicates and same company + date + amount.

Two kinds of duplicate are found, both pointing at the **first occurrence** in
file order (its ``source_row``):

1. **exact**: equal on every column of ``exact_cols`` (default: every column except
   ``row_col``), missing values counting as equal;
2. **same round**: same company (compared case-insensitively, with white space
   trimmed and collapsed), same date and same amount (rounded to 1e-6, i.e. one
   dollar when amounts are in millions). Only rows with a **disclosed** amount, a
   company and a date take part: two undisclosed rounds of one company on one day
   may be different rounds, and are kept.

A row that is a duplicate of a duplicate points at the original (the first row of
its group), never at another duplicate.

Examples
--------
>>> import pandas as pd
>>> from fundgap.normalise import find_duplicates
>>> df = pd.DataFrame({"company": ["Acme", "acme ", "Beta", "Beta"],
...                    "date": ["2012-01-05"] * 4, "amount": [5.0, 5.0, None, None],
...                    "investor": ["X", "Y", "X", "Y"], "source_row": [2, 3, 4, 5]})
>>> find_duplicates(df).tolist()
[<NA>, 2, <NA>, <NA>]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.errors import MissingColumnError
from fundgap.normalise._util import STRING, map_unique_codes

__all__ = ["find_duplicates"]

#: The columns of the "same round" rule: company, date, amount.
_ROUND_KEY = ("company", "date", "amount")


def _company_key(u: pd.Series) -> np.ndarray:
    """Company names compared case-insensitively, white space trimmed and collapsed.

    Python's ``str.strip``, ``re.sub(r"\\s+", " ")`` and ``str.casefold``; names of
    printable ASCII (the bulk) take the same steps as Arrow kernels, which agree with
    Python's there.

    Examples
    --------
    >>> _company_key(pd.Series(["  Acme\tBio  LTD ", "STRASSE", "Straße", "", None])).tolist()
    ['acme bio ltd', 'strasse', 'strasse', None, None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    s = u.astype(STRING)
    arr = arrow_data(s)
    plain = pc.fill_null(pc.match_substring_regex(arr, r"^[\x20-\x7e\t\n\r\f]*$"), False)
    fast = pc.ascii_lower(pc.replace_substring_regex(pc.ascii_trim_whitespace(arr),
                                                     r"[ \t\n\r\f]+", " "))
    key = pd.Series(pd.arrays.ArrowStringArray(fast.cast(pa.large_string())), index=s.index)
    rest = ~np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool) & s.notna().to_numpy()
    if rest.any():  # other characters: Python's own rules (Unicode white space, casefold)
        key[rest] = (s[rest].str.strip().str.replace(r"\s+", " ", regex=True).str.casefold())
    key = key.mask(key == "")
    return key.to_numpy(dtype=object, na_value=None)


def _group_ids(columns: list) -> np.ndarray:
    """Group key per row over several columns (missing values equal each other).

    Each column is factorised on its own and the integer codes are combined
    arithmetically (re-factorised only when the product could overflow), which is much
    faster than grouping on the raw values of string and datetime columns.
    """
    key = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    span = 1
    for col in columns:
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        k = len(uniques) + 1
        if span * k >= 2**62:
            key, uniq = pd.factorize(key)
            key = key.astype(np.int64)
            span = len(uniq) + 1
        key = key * k + codes.astype(np.int64)
        span *= k
    return key


def _first_of_group(group_ids: np.ndarray, usable: np.ndarray | None = None) -> np.ndarray:
    """Position of the first row of each row's group; -1 for rows not usable."""
    n = len(group_ids)
    first = np.full(n, -1, dtype=np.int64)
    valid = np.ones(n, dtype=bool) if usable is None else usable
    if not valid.any():
        return first
    pos = np.nonzero(valid)[0]
    _, first_idx, inverse = np.unique(group_ids[valid], return_index=True, return_inverse=True)
    first[valid] = pos[first_idx[inverse.ravel()]]
    return first


def _same_round(frame: pd.DataFrame, key: Sequence[str], first: np.ndarray) -> None:
    """Mark (in ``first``, in place) rows of the same company, date and disclosed amount as an
    earlier row; a row already marked exact keeps that first occurrence; chains are followed
    to the original."""
    c_col, d_col, a_col = key
    company_codes, _ = map_unique_codes(frame[c_col], _company_key)
    date = frame[d_col]
    amount = pd.to_numeric(frame[a_col], errors="coerce").astype("float64").round(6)
    usable = (company_codes >= 0) & date.notna().to_numpy(dtype=bool) & amount.notna().to_numpy(dtype=bool)
    if not usable.any():
        return
    f = _first_of_group(_group_ids([company_codes, date, amount]), usable)
    is_dup = (f >= 0) & (f != np.arange(len(first))) & (first < 0)
    first[is_dup] = f[is_dup]
    # point at the ultimate original: follow the chain
    nxt = np.where(first >= 0, first, 0)
    again = (first >= 0) & (first[nxt] >= 0)
    while again.any():
        first[again] = first[first[again]]
        nxt = np.where(first >= 0, first, 0)
        again = (first >= 0) & (first[nxt] >= 0)


def find_duplicates(
    frame: pd.DataFrame,
    *,
    exact_cols: Sequence[str] | None = None,
    key: Sequence[str] | None = _ROUND_KEY,
    row_col: str = "source_row",
) -> pd.Series:
    """Find duplicate rows; return, for each row, the ``source_row`` of the row it duplicates.

    Parameters
    ----------
    frame : DataFrame
    exact_cols : sequence of str, optional
        Columns compared for exact duplicates (default ``None``: all columns but
        ``row_col``; an empty list turns the exact rule off).
    key : sequence of str or None, default ("company", "date", "amount")
        Company, date and amount columns of the "same round" rule, in this order.
        The first is compared case- and white-space-insensitively, the last as a
        number; rows with any of them missing do not take part. ``None`` turns the
        rule off (exact duplicates only).
    row_col : str, default "source_row"
        Column holding each row's 1-based row number in the original file.

    Returns
    -------
    Series of Int64
        ``duplicate_of``: the ``row_col`` value of the first occurrence for
        duplicates, NA for originals and unique rows. Same index as ``frame``.

    Raises
    ------
    MissingColumnError
        If ``row_col``, a ``key`` column or an ``exact_cols`` column is absent.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"company": ["A", "A", "A"], "date": ["2010-01-01"] * 3,
    ...                    "amount": [1.0, 1.0, 2.0], "note": ["x", "x", "y"],
    ...                    "source_row": [10, 11, 12]})
    >>> find_duplicates(df).tolist()
    [<NA>, 10, <NA>]
    >>> find_duplicates(df, exact_cols=["company"], key=None).tolist()
    [<NA>, 10, 10]
    """
    cols = list(frame.columns)
    needed = [row_col] + (list(exact_cols) if exact_cols is not None else []) + (list(key) if key else [])
    missing = [c for c in needed if c not in cols]
    if missing:
        raise MissingColumnError(
            "find_duplicates needs these columns", column=missing[0], value=missing, expected=cols
        )
    n = len(frame)
    rows = pd.to_numeric(frame[row_col], errors="coerce").astype("Int64").to_numpy(
        dtype="float64", na_value=np.nan
    )
    first = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return pd.Series(pd.array([], dtype="Int64"), index=frame.index, name="duplicate_of")

    # 1. exact duplicates
    ex_cols = [c for c in cols if c != row_col] if exact_cols is None else list(exact_cols)
    if ex_cols:
        f = _first_of_group(_group_ids([frame[c] for c in ex_cols]))
        is_dup = f != np.arange(n)
        first[is_dup] = f[is_dup]
    # 2. same company + date + amount, disclosed amounts only
    if key:
        if len(key) != len(_ROUND_KEY):
            raise MissingColumnError(
                "key must name the company, date and amount columns", argument="key",
                value=list(key), expected=["(company, date, amount) column names"])
        _same_round(frame, key, first)
    dup_rows = np.where(first >= 0, rows[np.where(first >= 0, first, 0)], np.nan)
    out = pd.array(dup_rows, dtype="Float64").astype("Int64")
    return pd.Series(out, index=frame.index, name="duplicate_of")
