"""Duplicate rows of an export: exact twins, the same round twice, a provider id twice.

The grouping itself is :func:`fundgap.normalise.find_duplicates` (one finder, for rounds
and funds); this module decides which rows can be duplicates at all, cheaply, so that
the finder runs on few rows of a million-row export:

* exact twins (:func:`flag_exact_duplicates`): rows equal in every raw column. Rows with
  a provider id seen once cannot have a twin; the rest are screened by a fingerprint of
  parsed values and cell lengths, and only rows sharing a fingerprint are compared on
  their raw text;
* the same round (:func:`flag_same_rounds`): equal company, date and disclosed amount,
  screened by a hash of date and amount;
* the same provider id (:func:`flag_duplicate_ids`).

The first row of a group stays; the others are rejected with ``duplicate_of`` pointing
at its file row.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, cell_codes, collides, take_series
from fundgap.io._rejects import Rejector
from fundgap.normalise.dedupe import find_duplicates

__all__ = ["flag_duplicate_ids", "flag_exact_duplicates", "flag_same_rounds", "parsed_hash"]

_MULT = np.uint64(1_000_003)
_ROW = "__row"  # (the row-number column of the finder's input: no raw header starts with __)


def parsed_hash(d64: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """A uint64 per row of a parsed date (datetime64[ns]) and amount (NaN = none): equal
    raw cells parse equally, so exact twins share it."""
    with np.errstate(over="ignore"):
        h = d64.view(np.int64).astype(np.uint64)
        return h * _MULT ^ np.where(np.isnan(amount), -1.0, amount).view(np.uint64)


def flag_exact_duplicates(rej: Rejector, base: pd.DataFrame, rows: np.ndarray, *,
                          column: str | None, values: Any, ignore: Collection[str] = (),
                          seed: np.ndarray | None = None, ids: np.ndarray | None = None,
                          first: str | None = None) -> None:
    """Reject kept rows whose raw cells equal those of an earlier kept row ("exact
    duplicate row") in every column of ``base`` but ``ignore`` (and ``__`` columns).

    ``seed``: a uint64 per row that twins share (:func:`parsed_hash`); ``ids``: provider
    id codes (-1 = none; twins carry equal ids); ``first``: the column to screen first.
    ``column`` and ``values`` are named in the rejects.
    """
    cols = [c for c in base.columns if not c.startswith("__") and c not in ignore]
    if not cols:
        return
    live = rej.kept
    if ids is not None:
        cand = live & _repeated(ids)
        no_id = live & (ids < 0)
        if no_id.any():
            cand |= _twin_candidates(base, cols, no_id, seed, first)
    else:
        cand = _twin_candidates(base, cols, live, seed, first)
    if not cand.any():
        return
    pos = np.flatnonzero(cand)
    idx = base.index
    dsub = pd.DataFrame(cell_codes(base, cols, pos), index=idx[pos], copy=False)
    dsub[_ROW] = rows[pos]
    dup = find_duplicates(dsub, row_col=_ROW, exact_cols=cols, key=None)
    _flag_dups(rej, idx, dsub.index, dup, "exact duplicate row", column, values)


def _repeated(codes: np.ndarray) -> np.ndarray:
    """True where a code (-1 = none) occurs more than once."""
    has = codes >= 0
    counts = np.bincount(codes[has], minlength=1)
    out = has.copy()
    out[has] = counts[codes[has]] > 1
    return out


def flag_same_rounds(rej: Rejector, idx: pd.Index, rows: np.ndarray, company: pd.Series,
                     d64: np.ndarray, amount: np.ndarray, column: str | None) -> None:
    """Reject kept rows of the same company, date and disclosed amount as an earlier kept
    row ("duplicate: same company, date and amount")."""
    lpos = np.flatnonzero(rej.kept & ~np.isnan(amount))
    if not len(lpos):
        return
    # candidates: equal (date, amount) hashes; the exact test on company, date and amount
    # follows on those only
    a = amount[lpos]
    with np.errstate(over="ignore"):
        h = (d64.view(np.int64)[lpos].astype(np.uint64) * _MULT) ^ np.round(a, 6).view(np.uint64)
    cand = collides(h)
    if not cand.any():
        return
    pos = lpos[cand]
    # (Arrow take: pandas' take on a chunked Arrow column is much slower)
    dsub = pd.DataFrame({"company": take_series(company, pos, idx[pos]), "date": d64[pos],
                         "amount": amount[pos], _ROW: rows[pos]}, index=idx[pos])
    dup = find_duplicates(dsub, row_col=_ROW, exact_cols=[], key=("company", "date", "amount"))
    _flag_dups(rej, idx, dsub.index, dup, "duplicate: same company, date and amount", column,
               company)


def flag_duplicate_ids(rej: Rejector, rid: pd.Series, codes: np.ndarray | None,
                       rows: np.ndarray, prefix: str) -> None:
    """Reject later kept rows that repeat the provider id of an earlier kept row ("duplicate
    round id"; ``codes``: the ids' codes, -1 = missing; ``prefix`` is shown before the id)."""
    keep = rej.kept
    n = len(keep)
    if n == 0 or codes is None:
        return
    twice = keep & (codes >= 0)
    twice[twice] = _repeated(np.where(twice, codes, -1))[twice]
    if not twice.any():
        return
    kpos = np.flatnonzero(twice)
    kc = codes[kpos]
    later = pd.Series(kc).duplicated(keep="first").to_numpy()
    first_of = pd.Series(rows[kpos][~later], index=kc[~later])
    m = np.zeros(n, dtype=bool)
    m[kpos[later]] = True
    d_of = np.full(n, np.nan)
    d_of[m] = first_of.reindex(kc[later]).to_numpy(dtype="float64")
    shown = pd.Series(np.full(n, None, dtype=object))
    shown[m] = (prefix + rid.iloc[kpos[later]].astype(str)).to_numpy(dtype=object)
    rej.flag(m, "duplicate round id", "round_id", shown, duplicate_of=d_of)


def _flag_dups(rej: Rejector, idx: pd.Index, where: pd.Index, dup: pd.Series, reason: str,
               column: str | None, values: Any) -> None:
    """Flag the rows of ``where`` whose ``duplicate_of`` is set."""
    d = dup.to_numpy(dtype="float64", na_value=np.nan)
    hit = ~np.isnan(d)
    if not hit.any():
        return
    pos = idx.get_indexer(where[hit])
    m = np.zeros(len(idx), dtype=bool)
    m[pos] = True
    d_of = np.full(len(idx), np.nan)
    d_of[pos] = d[hit]
    rej.flag(m, reason, column, values, duplicate_of=d_of)


def _twin_candidates(base: pd.DataFrame, cols: list[str], live: np.ndarray,
                     seed: np.ndarray | None, first: str | None) -> np.ndarray:
    """Rows (mask over all rows) of ``live`` that may be exact duplicates of another live row.

    A necessary condition is checked cheaply: an equal ``seed`` (parsed date and amount),
    equal codes of the categorical raw columns (equal codes = equal raw text), and equal
    lengths (and missingness) of the raw string cells. Rows whose fingerprint is already
    unique are dropped as columns are added, until few candidates are left. The caller
    then compares the full raw text of the candidates.
    """
    pos = np.flatnonzero(live)
    cats = [c for c in cols if isinstance(base[c].dtype, pd.CategoricalDtype)]
    strs = [c for c in cols if c not in cats]
    strs = ([first] if first in strs else []) + [c for c in strs if c != first]
    h = seed[pos] if seed is not None else np.zeros(len(pos), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in cats:  # integer codes: cheap and exact
            h *= _MULT
            h ^= base[c].cat.codes.to_numpy()[pos].astype(np.int64).astype(np.uint64)
        for i, c in enumerate(strs):
            if i % 3 == 0:
                dup = collides(h)
                before = len(pos)
                pos, h = pos[dup], h[dup]
                # few left, or the last columns hardly told rows apart: the rest are
                # (nearly all) true twins, for the caller's exact test
                if len(pos) <= max(1000, len(live) // 50) or (i and len(pos) > 0.95 * before):
                    break
            h *= _MULT
            h ^= _lengths(base[c], pos, len(live)).astype(np.uint64)
        dup = collides(h)
    out = np.zeros(len(live), dtype=bool)
    out[pos[dup]] = True
    return out


def _lengths(values: pd.Series, pos: np.ndarray, n: int) -> np.ndarray:
    """Byte length of the cells at ``pos`` (-1 where missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(values.array, "_pa_array", None)
    if arr is None:
        arr = pa.array(values.astype(STR).array._pa_array)
    if len(pos) < n // 8:  # lengths of the candidates only
        arr = arr.take(pa.array(pos))
        return np.asarray(pc.fill_null(pc.binary_length(arr), -1).to_numpy(), dtype=np.int64)
    return np.asarray(pc.fill_null(pc.binary_length(arr), -1).to_numpy(), dtype=np.int64)[pos]
