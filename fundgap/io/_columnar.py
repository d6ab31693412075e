"""The columnar machinery of the loaders: Arrow strings, categoricals of labels, fast takes.

Everything here works on the *distinct* values of a column (a categorical's categories,
Arrow ``dictionary_encode``) or on Arrow buffers, and broadcasts back with integer codes,
so that a million-row export is never looped over in Python:

* labels: :func:`clean`, :func:`encode` (a string column as a categorical of its cleaned
  distinct labels), :func:`decode`, :func:`no_labels`, :func:`pick`, :func:`join_labels`,
  :func:`map_labels`;
* takes: :func:`take_series`, :func:`take_rows`, :func:`chunk_take` (Arrow, chunk by chunk);
* codes: :func:`dictionary_codes` (one Arrow hash of a string column);
* small builders: :func:`constant_strings`, :func:`prefix_strings`, :func:`years_of`,
  :func:`categorical_from_arrow`.

Provider modules never import this module; the loader pipeline and the builders do.

Examples
--------
>>> import pandas as pd
>>> e = encode(pd.Series([" Seed", "Seed ", None, "#N/A", "Series A"]))
>>> e.tolist(), list(e.cat.categories)
(['Seed', 'Seed', <NA>, <NA>, 'Series A'], ['Seed', 'Series A'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.io._threads import threaded
from fundgap.schema import STRING as STR

__all__ = [
    "STR",
    "arrow_strings",
    "categorical_from_arrow",
    "categories_arrow",
    "chunk_take",
    "clean",
    "constant_strings",
    "decode",
    "dictionary_codes",
    "encode",
    "join_labels",
    "map_labels",
    "no_labels",
    "pick",
    "prefix_strings",
    "take_rows",
    "take_series",
    "years_of",
]

#: Cell texts that spreadsheets and databases write for "nothing": read as missing.
ARTEFACTS = ["", "#NAME?", "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "NULL", "\\N"]


def arrow_strings(values: pd.Series) -> Any:
    """The Arrow (chunked) string array behind a string Series (converted if need be)."""
    import pyarrow as pa

    arr = arrow_data(values)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arrow_data(values.astype(STR))
    return arr


def _clean_arrow(t: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pc.utf8_trim_whitespace(t)
    art = pc.is_in(t, value_set=pa.array(ARTEFACTS, type=t.type))
    if pc.any(art).as_py():
        t = pc.if_else(art, pa.scalar(None, type=t.type), t)
    return t


def encode(values: pd.Series) -> pd.Series:
    """Cleaned values (as :func:`clean`) as a categorical of their distinct strings.

    The column is hashed once (Arrow ``dictionary_encode``); cleaning, parsing and
    mapping then run on the distinct values only, and the per-row work is integer
    codes. Use it for provider columns with few distinct labels (dates, amounts,
    stages, sectors, countries, statuses).

    Examples
    --------
    >>> e = encode(pd.Series([" Seed", "Seed ", None, "#N/A", "Series A"]))
    >>> e.tolist(), list(e.cat.categories)
    (['Seed', 'Seed', <NA>, <NA>, 'Series A'], ['Seed', 'Series A'])
    """
    import pyarrow as pa

    s = pd.Series(values, copy=False)
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        dictionary = categories_arrow(s.cat.categories)
    else:
        codes, dictionary = dictionary_codes(s)
    cleaned = _clean_arrow(dictionary)
    if cleaned.null_count == dictionary.null_count and cleaned.equals(dictionary):
        # (Arrow's comparison: distinct labels that were clean already keep their codes)
        if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.categories.dtype == STR:
            return s
        cat = pd.Categorical.from_codes(codes, categories=pd.Index(
            pd.arrays.ArrowStringArray(dictionary.cast(pa.large_string())), dtype=STR),
            validate=False)
        return pd.Series(cat, index=s.index, name=s.name, copy=False)
    lut, cats = pd.factorize(pd.Series(pd.arrays.ArrowStringArray(cleaned.cast(pa.large_string()))
                                       if len(cleaned) else pd.Series([], dtype=STR)))
    lut = np.append(lut, -1).astype(np.int32)  # code -1 (missing) picks the appended -1
    cat = pd.Categorical.from_codes(lut[codes], categories=pd.Index(cats, dtype=STR))
    return pd.Series(cat, index=s.index, name=s.name, copy=False)


def dictionary_codes(s: pd.Series) -> tuple[np.ndarray, Any]:
    """Hash a string Series once (Arrow ``dictionary_encode``): integer codes per row
    (-1 = missing) and the Arrow array of distinct values they index."""
    import pyarrow as pa
    import pyarrow.compute as pc

    a = arrow_strings(s)
    if isinstance(a, pa.ChunkedArray) and a.num_chunks > 1 and len(a) < 1 << 18:
        a = a.combine_chunks()  # (few rows in many chunks: one pass is cheaper)
    d = pc.dictionary_encode(a)
    chunks = d.chunks if isinstance(d, pa.ChunkedArray) else [d]
    if len(chunks) > 1 and any(len(c.dictionary) != len(chunks[-1].dictionary) for c in chunks):
        chunks = [pa.chunked_array(chunks).unify_dictionaries().combine_chunks()]
    if not chunks:
        return np.zeros(0, dtype=np.int32), pa.array([], type=pa.large_string())
    codes = np.concatenate([pc.fill_null(c.indices, -1).to_numpy() for c in chunks])
    return codes, chunks[-1].dictionary


def categories_arrow(cats: pd.Index) -> Any:
    """The categories of a categorical as one Arrow large_string array."""
    import pyarrow as pa

    arr = arrow_data(cats)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return pa.array(np.asarray(cats.astype(object), dtype=object), type=pa.large_string(),
                        from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def no_labels(index: pd.Index) -> pd.Series:
    """An all-missing label column (a categorical without categories) on ``index``.

    Examples
    --------
    >>> no_labels(pd.RangeIndex(2)).isna().tolist()
    [True, True]
    """
    cat = pd.Categorical.from_codes(np.full(len(index), -1, dtype=np.int8),
                                    categories=pd.Index([], dtype=STR), validate=False)
    return pd.Series(cat, index=index, copy=False)


def decode(values: pd.Series) -> pd.Series:
    """A categorical of strings back to a string Series (built in Arrow, no Python objects).

    Examples
    --------
    >>> decode(encode(pd.Series(["a", None, "b"]))).tolist()
    ['a', <NA>, 'b']
    """
    from fundgap.normalise._util import codes_to_strings

    s = pd.Series(values, copy=False)
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s if s.dtype == STR else s.astype(STR)
    return codes_to_strings(s.cat.codes.to_numpy(), categories_arrow(s.cat.categories),
                            s.index, s.name)


def pick(mask: Any, a: pd.Series, b: pd.Series) -> pd.Series:
    """Row-wise ``a`` where ``mask`` else ``b``, for two categoricals (codes only).

    Examples
    --------
    >>> a, b = encode(pd.Series(["x", "y", None])), encode(pd.Series(["p", None, "q"]))
    >>> pick([True, False, False], a, b).tolist()
    ['x', <NA>, 'q']
    """
    a, b = encode(a), encode(b)
    cats = pd.Index(a.cat.categories).append(pd.Index(b.cat.categories)).unique()
    la = np.append(cats.get_indexer(a.cat.categories), -1).astype(np.int32)
    lb = np.append(cats.get_indexer(b.cat.categories), -1).astype(np.int32)
    m = np.asarray(mask, dtype=bool)
    codes = np.where(m, la[a.cat.codes.to_numpy()], lb[b.cat.codes.to_numpy()])
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=STR),
                                               validate=False),  # (valid by construction)
                     index=a.index, copy=False)


def join_labels(*columns: pd.Series, sep: str = " / ") -> pd.Series:
    """Row-wise join of the present labels of categoricals, built per distinct combination.

    Examples
    --------
    >>> join_labels(encode(pd.Series(["Healthcare", None, "IT"])),
    ...             encode(pd.Series(["Biotech", None, None]))).tolist()
    ['Healthcare / Biotech', <NA>, 'IT']
    """
    cols = [encode(c) for c in columns]
    combo = np.zeros(len(cols[0]), dtype=np.int64)
    for c in cols:
        combo = combo * (len(c.cat.categories) + 1) + (c.cat.codes.to_numpy().astype(np.int64) + 1)
    codes, uniq = pd.factorize(combo)
    texts = []
    for combination in uniq:
        parts = []
        rest = int(combination)
        for c in reversed(cols):
            rest, r = divmod(rest, len(c.cat.categories) + 1)
            if r:
                parts.append(str(c.cat.categories[r - 1]))
        texts.append(sep.join(reversed(parts)) or None)
    joined, jcats = pd.factorize(pd.Series(texts, dtype=object))
    final = np.append(joined, -1)[codes] if len(joined) else np.full(len(codes), -1)
    return pd.Series(pd.Categorical.from_codes(final, categories=pd.Index(jcats, dtype=STR)),
                     index=cols[0].index, copy=False)


def clean(values: pd.Series) -> pd.Series:
    """Strip blanks; empty strings and spreadsheet artefacts become missing.

    A categorical comes back as a categorical (its categories cleaned).

    Examples
    --------
    >>> clean(pd.Series([" a ", "", "#NAME?", None, "NULL"])).tolist()
    ['a', <NA>, <NA>, <NA>, <NA>]
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    s = pd.Series(values, copy=False)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return encode(s)
    if s.dtype != STR:
        s = s.astype(STR)
    arr = arrow_data(s)
    if not _needs_cleaning(arr):
        return s
    # in Arrow directly (same kernels as .str.strip / .isin / .mask, fewer copies)
    t = pc.utf8_trim_whitespace(arr)
    art = pc.is_in(t, value_set=pa.array(ARTEFACTS, type=t.type))
    if pc.any(art).as_py():
        t = pc.if_else(art, pa.scalar(None, type=t.type), t)
    return pd.Series(ArrowStringArray(t), index=s.index, name=s.name, copy=False)


#: Bytes up to the space are blank or control characters; from DEL on, the byte may be part of a
#: multi-byte (possibly blank) character: strings that start or end with such a byte are checked.
_SPACE, _DEL = 0x20, 0x7F
#: First bytes of the spreadsheet artefacts (all are at most 7 bytes long).
_ARTEFACT_FIRST = np.array(sorted({ord(a[0]) for a in ARTEFACTS if a}), dtype=np.uint8)
_ARTEFACT_LEN = max(len(a) for a in ARTEFACTS)


def _needs_cleaning(arr: Any) -> bool:
    """True if a string of ``arr`` (Arrow, chunked) is empty, an artefact or has blanks at
    either end -- what :func:`clean` changes.

    Read from the Arrow buffers: the strings whose first or last byte could be blank
    (a control byte, a space or part of a multi-byte character) or that could be an
    artefact (short, starting as one) are the candidates; only those are tested exactly.
    Most columns of an export are clean, and then nothing is copied.

    Examples
    --------
    >>> import pyarrow as pa
    >>> _needs_cleaning(pa.array(["Acme", "Café", None])), _needs_cleaning(pa.array(["Acme "]))
    (False, True)
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    cands = [c.filter(pa.array(_maybe_unclean(c))) for c in chunks if len(c)]
    cands = [c for c in cands if len(c)]
    if not cands:
        return False
    c = pa.concat_arrays([x.cast(pa.large_string()) for x in cands])
    trimmed = pc.utf8_trim_whitespace(c)
    if pc.any(pc.not_equal(trimmed, c)).as_py():
        return True
    return bool(pc.any(pc.is_in(trimmed, value_set=pa.array(ARTEFACTS, type=c.type))).as_py())


def _maybe_unclean(chunk: Any) -> np.ndarray:
    """Mask of the strings of one Arrow string array that :func:`clean` might change."""
    import pyarrow as pa

    n = len(chunk)
    bufs = chunk.buffers()
    off_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(bufs[1], dtype=off_type)[chunk.offset: chunk.offset + n + 1]
    start, end = offsets[:-1].astype(np.int64), offsets[1:].astype(np.int64)
    length = end - start
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(1, np.uint8)
    if len(data) == 0:
        data = np.zeros(1, np.uint8)
    some = length > 0
    first = data[np.where(some, start, 0)]
    last = data[np.where(some, end - 1, 0)]
    odd = ~some | (first <= _SPACE) | (first >= _DEL) | (last <= _SPACE) | (last >= _DEL)
    odd |= (length <= _ARTEFACT_LEN) & np.isin(first, _ARTEFACT_FIRST)
    if chunk.null_count:
        odd &= np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return odd


def constant_strings(value: str, index: pd.Index) -> pd.Series:
    """A string Series holding ``value`` on every row (its Arrow buffers written directly).

    Examples
    --------
    >>> constant_strings("pitchbook", pd.RangeIndex(2)).tolist()
    ['pitchbook', 'pitchbook']
    """
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    n, raw = len(index), value.encode("utf-8")
    offsets = pa.py_buffer(np.arange(n + 1, dtype=np.int64) * len(raw))
    arr = pa.LargeStringArray.from_buffers(n, offsets, pa.py_buffer(raw * n))
    return pd.Series(ArrowStringArray(arr), index=index, copy=False)


def prefix_strings(values: pd.Series, prefix: str) -> pd.Series:
    """``prefix + values`` for a string Series, in Arrow (missing stays missing).

    Examples
    --------
    >>> prefix_strings(pd.Series(["a1", None], dtype=STR), "pb:").tolist()
    ['pb:a1', <NA>]
    """
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    arr = arrow_strings(values)
    out = pc.utf8_replace_slice(arr, 0, 0, prefix)  # (an empty slice at the start)
    return pd.Series(ArrowStringArray(out), index=values.index, name=values.name, copy=False)


def take_series(s: pd.Series, pos: np.ndarray, index: pd.Index, mask: Any = None) -> pd.Series:
    """``s.iloc[pos]`` on ``index``; Arrow strings by an Arrow filter (``mask``: the same
    rows as a boolean mask over ``s``, Arrow or numpy) or take, the rest by numpy."""
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    if len(pos) == len(s) and (len(pos) == 0 or (pos[0] == 0 and pos[-1] == len(s) - 1)):
        return s.set_axis(index) if not s.index.equals(index) else s
    if s.dtype == STR:
        arr = arrow_data(s)
        if mask is not None:
            arr = arr.filter(mask if isinstance(mask, (pa.Array, pa.ChunkedArray)) else pa.array(mask))
        else:
            arr = chunk_take(arr, np.asarray(pos, dtype=np.int64))
        return pd.Series(ArrowStringArray(arr), index=index, name=s.name, copy=False)
    if isinstance(s.dtype, pd.CategoricalDtype):  # by its codes (valid by construction)
        cat = pd.Categorical.from_codes(s.cat.codes.to_numpy()[pos], dtype=s.dtype, validate=False)
        return pd.Series(cat, index=index, name=s.name, copy=False)
    out = s.iloc[pos]
    out.index = index
    return out


def chunk_take(arr: Any, pos: np.ndarray) -> Any:
    """``arr.take(pos)`` for an Arrow (chunked) array, chunk by chunk when ``pos`` is sorted
    (cheaper than a take that locates every index's chunk, or a filter scanning every row).

    Examples
    --------
    >>> import pyarrow as pa
    >>> a = pa.chunked_array([["a", "b"], ["c", None, "e"]])
    >>> chunk_take(a, np.array([1, 2, 3])).to_pylist()
    ['b', 'c', None]
    """
    import pyarrow as pa

    if not isinstance(arr, pa.ChunkedArray) or (len(pos) > 1 and (np.diff(pos) < 0).any()):
        # (indices as an Arrow array: a numpy array is converted slowly on chunked input)
        return arr.take(pa.array(pos))
    bounds = np.cumsum([0] + [len(c) for c in arr.chunks])
    cut = np.searchsorted(pos, bounds)
    parts = [c.take(pa.array(pos[cut[i]:cut[i + 1]] - bounds[i]))
             for i, c in enumerate(arr.chunks) if cut[i + 1] > cut[i]]
    return pa.chunked_array(parts, type=arr.type)


def take_rows(frame: pd.DataFrame, pos: np.ndarray, mask: np.ndarray | None = None) -> pd.DataFrame:
    """``frame.iloc[pos]`` built column by column (for string columns an Arrow filter when
    many rows are taken, else a take chunk by chunk; two columns at a time: Arrow releases
    the GIL)."""
    import pyarrow as pa

    idx = frame.index[pos]
    pmask = None
    if len(pos) > len(frame) // 4:
        if mask is None:
            mask = np.zeros(len(frame), dtype=bool)
            mask[pos] = True
        pmask = pa.array(np.asarray(mask, dtype=bool))
    cols = list(frame.columns)
    taken = threaded(lambda c: take_series(frame[c], pos, idx, pmask), cols)
    return pd.DataFrame(dict(zip(cols, taken, strict=True)), index=idx, columns=frame.columns,
                        copy=False)


def years_of(d64: np.ndarray, nat: np.ndarray) -> np.ndarray:
    """Calendar year of each datetime64[ns] value (-1 where ``nat``), through a table of the
    days between the first and last date (numpy's own cast to years is slow).

    Examples
    --------
    >>> d = np.array(["1677-09-22", "1969-12-31T23:59", "2000-01-01", "NaT", "2262-04-11"],
    ...              dtype="datetime64[ns]")
    >>> years_of(d, np.isnat(d)).tolist()
    [1677, 1969, 2000, -1, 2262]
    """
    if nat.all():
        return np.full(len(d64), -1, dtype=np.int64)
    # days since 1970 (floor division: a time of day before 1970 stays in its day)
    days = d64.view(np.int64) // np.int64(86_400_000_000_000)
    ok = ~nat
    first = int(np.min(days, where=ok, initial=np.iinfo(np.int64).max))
    last = int(np.max(days, where=ok, initial=np.iinfo(np.int64).min))
    table = np.arange(first, last + 1).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970
    days -= first
    np.putmask(days, nat, 0)
    out = table[days]
    np.putmask(out, nat, -1)
    return out


def categorical_from_arrow(col: Any) -> pd.Categorical:
    """A chunked Arrow dictionary column (dictionaries unified) as a pandas categorical of
    strings: the chunks' int32 indices copied from their buffers, nulls as code -1."""
    import pyarrow as pa

    if col.num_chunks == 0:
        return pd.Categorical([], categories=pd.Index([], dtype=STR))
    cats = col.chunk(0).dictionary.cast(pa.large_string())
    codes = np.empty(len(col), dtype=np.int32)
    null = np.zeros(len(col), dtype=bool) if col.null_count else None
    at = 0
    for ch in col.chunks:
        ind = ch.indices
        n, off = len(ind), ind.offset
        validity, data = ind.buffers()[:2]
        if n:
            codes[at: at + n] = np.frombuffer(data, dtype=np.int32, count=off + n)[off:]
            if ind.null_count:
                null[at: at + n] = np.unpackbits(np.frombuffer(validity, dtype=np.uint8),
                                                 count=off + n, bitorder="little")[off:] == 0
        at += n
    if null is not None:
        np.putmask(codes, null, -1)
    # categories in pandas' default string dtype, as pyarrow's to_pandas gives them
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(
        pd.array(cats, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))), validate=False)


def map_labels(values: pd.Series, func: Callable[[pd.Series], Any]) -> pd.Series:
    """A categorical of ``func`` applied once to the distinct cleaned labels of ``values``.

    ``func`` receives the distinct labels as a string Series and returns one new label
    (or a missing value) for each; the rows follow by their codes, and the new labels
    are cleaned as by :func:`clean`. A million rows with a few hundred thousand distinct
    labels cost one call on those labels.

    Examples
    --------
    >>> s = pd.Series(["Basel, Switzerland", "Boston, United States", "Basel, Switzerland", None])
    >>> map_labels(s, lambda u: u.str.split(",").str[-1]).tolist()
    ['Switzerland', 'United States', 'Switzerland', <NA>]
    """
    import pyarrow as pa

    s = encode(values)
    cats = categories_arrow(s.cat.categories)
    if not len(cats):
        return s
    mapped = pd.Series(func(pd.Series(pd.arrays.ArrowStringArray(cats), copy=False)), copy=False)
    mapped = mapped.reset_index(drop=True)
    codes, uniq = dictionary_codes(mapped if mapped.dtype == STR else mapped.astype(STR))
    lut = np.append(codes, -1).astype(np.int32)  # (code -1, missing, picks the appended -1)
    out = pd.Categorical.from_codes(lut[s.cat.codes.to_numpy()], categories=pd.Index(
        pd.arrays.ArrowStringArray(uniq.cast(pa.large_string())), dtype=STR), validate=False)
    return encode(pd.Series(out, index=s.index, name=s.name, copy=False))


def per_label(values: pd.Series, func: Callable[[pd.Series], Any], missing: Any) -> np.ndarray:
    """``func`` applied once to the distinct cleaned labels of ``values`` (a string Series
    in, one value per label out), broadcast to the rows as a numpy array by their codes;
    ``missing`` where the label is missing.

    The array has the type numpy gives the per-label values and ``missing`` together
    (text as objects); with no labels at all, the type of ``missing``.

    Examples
    --------
    >>> s = pd.Series(["Raising", "Closed", None, "raising "])
    >>> per_label(s, lambda u: u.str.lower() == "raising", missing=False).tolist()
    [True, False, False, True]
    >>> per_label(s.iloc[:0], lambda u: u.str.len(), missing=-1).dtype
    dtype('int64')
    """
    s = encode(values)
    cats = categories_arrow(s.cat.categories)
    miss = np.asarray([missing])
    if len(cats):
        got = func(pd.Series(pd.arrays.ArrowStringArray(cats), copy=False))
        got = got.to_numpy() if isinstance(got, pd.Series) else np.asarray(got)
        if got.dtype == object or got.dtype.kind == "U":
            got = got.astype(object)
        lut = np.concatenate([got, miss.astype(object) if got.dtype == object else miss])
    else:
        lut = miss
    if lut.dtype.kind == "U":
        lut = lut.astype(object)
    return lut[s.cat.codes.to_numpy()]
