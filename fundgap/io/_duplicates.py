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

from fundgap._arrow import arrow_data
from fundgap.io._columnar import (
    arrow_strings,
    chunk_take,
    dictionary_codes,
    take_rows,
    take_series,
)
from fundgap.io._rejects import Rejector
from fundgap.normalise.dedupe import find_duplicates

__all__ = ["cell_codes", "collides", "exact_candidates", "flag_duplicate_ids",
           "flag_exact_duplicates", "flag_same_rounds", "id_codes", "parsed_hash"]

_MULT = np.uint64(1_000_003)
_ROW = "__row"  # (the row-number column of the finder's input: no raw header starts with __)
#: Bytes of a fingerprint's windows (one uint64 word).
_WORD = 8
#: From this many values on, :func:`collides` drops the values alone in their hash bucket first.
_BUCKETS_FROM = 200_000

_FP_MULT = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F),
            np.uint64(0x165667B19E3779F9), np.uint64(0x27D4EB2F165667C5))


def parsed_hash(d64: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """A uint64 per row of a parsed date (datetime64[ns]) and amount (NaN = none): equal
    raw cells parse equally, so exact twins share it."""
    with np.errstate(over="ignore"):
        h = d64.view(np.int64).astype(np.uint64)
        return h * _MULT ^ np.where(np.isnan(amount), -1.0, amount).view(np.uint64)


def _compared(base: pd.DataFrame, ignore: Collection[str]) -> list[str]:
    """The raw columns two rows must agree on to be exact duplicates."""
    return [c for c in base.columns if not c.startswith("__") and c not in ignore]


def exact_candidates(base: pd.DataFrame, ignore: Collection[str] = ()) -> np.ndarray:
    """Rows (a mask) that may be exact duplicates of another row of ``base`` in every
    column but ``ignore``: the screen of :func:`flag_exact_duplicates` run on every row,
    before any row is rejected.

    A row alone in its fingerprint among all rows is alone among any subset of them, so
    the mask covers the twins among the rows still kept later: it can be computed on a
    second thread while the rows are parsed and checked, and handed to
    :func:`flag_exact_duplicates` as ``candidates``. The mask is a screen, not the answer:
    once few rows (1,000 or fewer) are left they all stay candidates, for the exact test.

    Examples
    --------
    >>> n = 3000
    >>> base = pd.DataFrame({"a": [f"r{i}" for i in range(n)] + ["r7"], "b": ["1"] * (n + 1)},
    ...                     dtype="str")
    >>> np.flatnonzero(exact_candidates(base)).tolist()
    [7, 3000]
    >>> bool(exact_candidates(base.iloc[:5]).all())  # (few rows: every one a candidate)
    True
    """
    cols = _compared(base, ignore)
    if not cols or not len(base):
        return np.zeros(len(base), dtype=bool)
    return _twin_candidates(base, cols, np.ones(len(base), dtype=bool), None, None)


def flag_exact_duplicates(rej: Rejector, base: pd.DataFrame, rows: np.ndarray, *,
                          column: str | None, values: Any, ignore: Collection[str] = (),
                          seed: np.ndarray | None = None, ids: np.ndarray | None = None,
                          first: str | None = None, candidates: np.ndarray | None = None) -> None:
    """Reject kept rows whose raw cells equal those of an earlier kept row ("exact
    duplicate row") in every column of ``base`` but ``ignore`` (and ``__`` columns).

    ``seed``: a uint64 per row that twins share (:func:`parsed_hash`); ``ids``: provider
    id codes (-1 = none; twins carry equal ids); ``first``: the column to screen first;
    ``candidates``: :func:`exact_candidates` of ``base`` with the same ``ignore``,
    computed beforehand (the screen is then skipped). ``column`` and ``values`` are named
    in the rejects.
    """
    cols = _compared(base, ignore)
    if not cols:
        return
    live = rej.kept
    if candidates is not None:
        cand = live & candidates
    elif ids is not None:
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
    # (records that repeat their file row's cells: the candidates' cells are taken first)
    codes = (cell_codes(base.rows(pos, cols), cols, np.arange(len(pos))) if hasattr(base, "rows")
             else cell_codes(base, cols, pos))
    dsub = pd.DataFrame(codes, index=idx[pos], copy=False)
    dsub[_ROW] = rows[pos]
    dup = find_duplicates(dsub, row_col=_ROW, exact_cols=cols, key=None)
    _flag_dups(rej, idx, dsub.index, dup, "exact duplicate row", column=column, values=values)


def _repeated(codes: np.ndarray) -> np.ndarray:
    """True where a code (-1 = none) occurs more than once."""
    has = codes >= 0
    counts = np.bincount(codes[has], minlength=1)
    out = has.copy()
    out[has] = counts[codes[has]] > 1
    return out


def flag_same_rounds(rej: Rejector, idx: pd.Index, rows: np.ndarray, company: pd.Series, *,
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
    _flag_dups(rej, idx, dsub.index, dup, "duplicate: same company, date and amount",
               column=column, values=company)


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


def _flag_dups(rej: Rejector, idx: pd.Index, where: pd.Index, dup: pd.Series, reason: str, *,
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
    fingerprints of the raw string cells (length and three 8-byte windows, read from the
    Arrow buffers). Rows whose fingerprint is already unique are dropped as columns are
    added, until few candidates are left. The caller then compares the full raw text of
    the candidates.
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
        hashed = seed is not None or bool(cats)  # (else every h is 0: nothing to screen yet)
        for i in range(len(strs)):
            if i % 3 == 0:
                before = len(pos)
                if i or hashed:
                    dup = collides(h)
                    pos, h = pos[dup], h[dup]
                # few left, or the last columns hardly told rows apart: the rest are
                # (nearly all) true twins, for the caller's exact test
                if len(pos) <= max(1000, len(live) // 50) or (i and len(pos) > 0.95 * before):
                    break
                if first is None:  # (the next three: those that tell a sample apart best)
                    strs[i:] = _order_columns(base, strs[i:], pos, h)
            c = strs[i]
            h *= _MULT
            h ^= _cell_fingerprints(base[c], pos, len(live))
        dup = collides(h)
    out = np.zeros(len(live), dtype=bool)
    out[pos[dup]] = True
    return out


#: Rows of the sample on which :func:`_order_columns` compares the columns.
_SAMPLE = 16_384
#: Runs of consecutive rows in that sample.
_BLOCKS = 4


def _order_columns(base: pd.DataFrame, strs: list[str], pos: np.ndarray, h: np.ndarray) -> list[str]:
    """``strs`` with, first, the three columns chosen greedily to leave the fewest rows of
    a sample sharing a fingerprint (``h`` extended by theirs); the rest in their order.

    The sample is ``_BLOCKS`` runs of consecutive rows of ``pos``, spread over the table
    (slices of the Arrow columns: no take). The order only decides how soon rows drop
    out of the screen: the rows kept are those of equal fingerprints in every column
    either way.
    """
    if len(pos) <= 4 * _SAMPLE or len(strs) <= 3:
        return strs
    run = _SAMPLE // _BLOCKS
    starts = np.linspace(0, len(pos) - run, _BLOCKS).astype(np.intp)
    take = (starts[:, None] + np.arange(run)).ravel()
    sh = h[take]
    fps: dict[str, np.ndarray] = {}

    def fp(c: str) -> np.ndarray:
        if c not in fps:
            fps[c] = np.concatenate([_run_fingerprints(base[c], pos[i: i + run]) for i in starts])
        return fps[c]

    def left(c: str) -> int:
        return int(collides(_mix(sh, fp(c))).sum())

    # the columns in order already leave few rows (pairs in the sample ~ pairs in all rows
    # x (sample / rows)^2): kept
    first3 = sh
    for c in strs[:3]:
        first3 = _mix(first3, fp(c))
    if collides(first3).sum() <= 0.05 * _SAMPLE**2 / len(pos):
        return strs
    chosen: list[str] = []
    for _ in range(3):
        best = min((c for c in strs if c not in chosen), key=left)
        chosen.append(best)
        sh = _mix(sh, fp(best))
    return chosen + [c for c in strs if c not in chosen]


def _run_fingerprints(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """:func:`_cell_fingerprints` of the rows ``rows`` (sorted, close together), from a
    slice of the column."""
    import pyarrow as pa

    lo = int(rows[0])
    arr = arrow_strings(values).slice(lo, int(rows[-1]) - lo + 1)
    chunks = [c for c in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]) if len(c)]
    fps = [_fingerprint(c) for c in chunks]
    h = np.concatenate([f[0] for f in fps])
    np.putmask(h, ~np.concatenate([f[1] for f in fps]), _MISSING_FP)
    return h[rows - lo]


def _mix(h: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """``h`` extended by one column's fingerprints (as in :func:`_twin_candidates`)."""
    with np.errstate(over="ignore"):
        return (h * _MULT) ^ fp


#: The fingerprint of a missing cell (equal for every missing cell, whatever its offsets).
_MISSING_FP = np.uint64(0x5851F42D4C957F2D)


def _cell_fingerprints(values: pd.Series, pos: np.ndarray, n: int) -> np.ndarray:
    """uint64 fingerprints (:func:`_fingerprint`) of the string cells at ``pos`` (sorted):
    equal cells, and missing cells, have equal fingerprints."""
    import pyarrow as pa

    arr = arrow_strings(values)
    few = len(pos) < n // 8
    if few:  # fingerprints of the candidates only (in one piece: one pass, not one per chunk)
        arr = chunk_take(arr, pos)
        if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > 1 and arr.nbytes < 1 << 30:
            arr = arr.combine_chunks()
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    fps = [_fingerprint(c) for c in chunks if len(c)]
    if not fps:
        return np.zeros(len(pos), dtype=np.uint64)
    h = np.concatenate([f[0] for f in fps])
    np.putmask(h, ~np.concatenate([f[1] for f in fps]), _MISSING_FP)
    return h if few else h[pos]


def cell_codes(base: pd.DataFrame, cols: list[str], pos: np.ndarray) -> dict[str, np.ndarray]:
    """Integer codes of the raw cells of rows ``pos``, per column: within a column, equal
    codes mean equal raw text (missing cells share code -1). For exact-duplicate tests.

    Examples
    --------
    >>> from fundgap.io._columnar import encode
    >>> f = pd.DataFrame({"a": ["x", None, "x", None], "b": encode(pd.Series(["p", "q", "p", "q"]))})
    >>> {k: v.tolist() for k, v in cell_codes(f, ["a", "b"], np.array([0, 1, 2])).items()}
    {'a': [0, -1, 0], 'b': [0, 1, 0]}
    """
    out: dict[str, np.ndarray] = {}
    strs = [c for c in cols if not isinstance(base[c].dtype, pd.CategoricalDtype)]
    taken = take_rows(base[strs], pos) if strs else None
    for c in cols:
        if c in strs:
            arr = arrow_data(taken[c])
            if arr is None:
                out[c] = pd.factorize(taken[c], use_na_sentinel=True)[0]
            else:  # (one Arrow hash over the few rows; pandas' is slow on many chunks)
                out[c] = dictionary_codes(taken[c])[0]
        else:  # the raw labels' codes (a categorical as read holds distinct raw strings)
            out[c] = base[c].cat.codes.to_numpy()[pos]
    return out


def id_codes(values: pd.Series) -> np.ndarray:
    """Codes of a string column for duplicate tests: equal codes exactly where the strings
    are equal (-1 = missing), each code in ``[0, len(values))``.

    A million distinct ids are not hashed as strings: a fingerprint of each id's length
    and three of its 8-byte windows (start, middle, end) is read from the Arrow buffers,
    and only ids whose fingerprint occurs more than once are compared exactly (Arrow
    ``dictionary_encode``). An id with a unique fingerprint gets its own row position
    as its code; a group of equal ids, the position of its first row.

    Examples
    --------
    >>> id_codes(pd.Series(["a1", "b2", "a1", None, "b2", "c3"], dtype="string[pyarrow]")).tolist()
    [0, 1, 0, -1, 1, 5]
    """
    n = len(values)
    arr = arrow_strings(values)
    chunks = arr.chunks if hasattr(arr, "chunks") else [arr]
    fps = [_fingerprint(c) for c in chunks]
    h = np.concatenate([f[0] for f in fps]) if fps else np.zeros(0, dtype=np.uint64)
    valid = np.concatenate([f[1] for f in fps]) if fps else np.zeros(0, dtype=bool)
    codes = np.full(n, -1, dtype=np.int64)
    vpos = np.flatnonzero(valid)
    codes[vpos] = vpos
    if len(vpos) <= 1:  # (one id cannot repeat)
        return codes
    cpos = vpos[collides(h[vpos])]
    if len(cpos):
        exact, _ = dictionary_codes(pd.Series(pd.arrays.ArrowStringArray(
            chunk_take(arr, cpos).cast("large_string")), copy=False))
        # the first position of each group of equal ids is the group's code
        first = np.full(int(exact.max()) + 1, n, dtype=np.int64)
        np.minimum.at(first, exact, cpos)
        codes[cpos] = first[exact]
    return codes


def _fingerprint(chunk: Any) -> tuple[np.ndarray, np.ndarray]:
    """uint64 fingerprints of the strings of one Arrow (large_)string array, and its
    validity: equal strings have equal fingerprints (the converse is tested exactly)."""
    import pyarrow as pa

    n = len(chunk)
    if n == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    bufs = chunk.buffers()
    off_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(bufs[1], dtype=off_type)[chunk.offset: chunk.offset + n + 1].astype(
        np.int64)
    valid = (np.ones(n, dtype=bool) if chunk.null_count == 0 else
             np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool))
    start, end = offsets[:-1], offsets[1:]
    length = end - start
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    if len(data) < _WORD:
        data = np.concatenate([data, np.zeros(_WORD, dtype=np.uint8)])
    # every byte offset read as a little-endian uint64 (an unaligned strided view, no copy)
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    last = len(data) - 8
    h = length.astype(np.uint64) * _FP_MULT[0]
    with np.errstate(over="ignore"):
        for at, mult in ((start, _FP_MULT[1]), (np.maximum(end - 8, start), _FP_MULT[2]),
                         (np.maximum(start + length // 2 - 4, start), _FP_MULT[3])):
            read_at = np.minimum(at, last)
            word = words[read_at] >> ((at - read_at) * 8).astype(np.uint64)
            keep = np.minimum(end - at, 8) * 8  # bits of the string in the word
            word &= np.where(keep >= 8 * _WORD, ~np.uint64(0),
                             (np.uint64(1) << np.minimum(keep, 63).astype(np.uint64)) - np.uint64(1))
            h ^= word * mult
            h ^= h >> np.uint64(29)
    return h, valid


def collides(h: np.ndarray) -> np.ndarray:
    """Mask of the values of ``h`` (uint64) that occur more than once.

    On large inputs the values alone in their bucket (top 22 bits of a Fibonacci hash)
    are dropped first: every row writes its position into its bucket, and a row that
    does not find its own position there shares the bucket (whichever write wins, all
    but one row of a shared bucket see another's); the exact test runs on the rows of
    shared buckets only.

    Examples
    --------
    >>> collides(np.array([5, 7, 5, 9], dtype=np.uint64)).tolist()
    [True, False, True, False]
    """
    if len(h) < _BUCKETS_FROM:
        return pd.Series(h).duplicated(keep=False).to_numpy()
    with np.errstate(over="ignore"):
        b = ((h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(42)).astype(np.intp)
    pos = np.arange(len(h), dtype=np.int32 if len(h) < 2**31 else np.int64)
    last = np.empty(1 << 22, dtype=pos.dtype)
    last[b] = pos
    shared = np.zeros(1 << 22, dtype=bool)
    shared[b[last[b] != pos]] = True
    maybe = shared[b]
    out = np.zeros(len(h), dtype=bool)
    out[maybe] = pd.Series(h[maybe]).duplicated(keep=False).to_numpy()
    return out
