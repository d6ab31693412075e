"""Building blocks shared by the loaders: reject bookkeeping, vectorised parsing, frame assembly.

Everything here works on the *unique* values of a column (``pd.factorize``) and
broadcasts the result back, so a loader never loops over rows in Python.

Examples
--------
>>> import pandas as pd
>>> from fundgap.io._common import parse_dates
>>> d, bad = parse_dates(pd.Series(["2024-01-31", "jan/2024", "31/01/2024", "x", None]))
>>> [str(x.date()) if pd.notna(x) else None for x in d], bad.tolist()
(['2024-01-31', '2024-01-01', '2024-01-31', None, None], [False, False, False, True, False])
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._read import _PARALLEL, STR, RawTable, _threaded, parallel  # noqa: F401
from fundgap.loaded import REJECT_COLUMNS, Loaded, make_rejects
from fundgap.schema import _validate_rounds, conform, validate_funds

__all__ = [
    "MAX_FUND_USD_M",
    "MAX_ROUND_USD_M",
    "MIN_ROUND_USD_M",
    "PLACEHOLDER_DATES",
    "Rejector",
    "build_funds",
    "build_rounds",
    "categorical_headers",
    "clean",
    "decode",
    "encode",
    "ids_in_background",
    "join_labels",
    "map_columns",
    "map_unique",
    "match_headers",
    "no_labels",
    "parse_dates",
    "parse_years",
    "pick",
    "placeholder_dates",
    "read_provider",
    "today",
]

#: A round above this many USD millions is rejected as absurd (the largest private
#: rounds on record are in the tens of billions).
MAX_ROUND_USD_M = 100_000.0
#: A disclosed round below this many USD millions (USD 1,000) is rejected as a likely
#: unit error (an amount in millions written where raw units were expected).
MIN_ROUND_USD_M = 0.001
#: A fund above this many USD millions is rejected as absurd (the largest funds ever
#: raised are below USD 30bn).
MAX_FUND_USD_M = 50_000.0


def today(option: Any = None) -> pd.Timestamp:
    """The cut-off for "dates in the future": ``option`` if given, else today (UTC)."""
    if option is None:
        return pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    return pd.Timestamp(option)


def _arrow(values: pd.Series) -> Any:
    """The Arrow (chunked) string array behind a string Series (converted if need be)."""
    import pyarrow as pa

    arr = getattr(values.array, "_pa_array", None)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = values.astype(STR).array._pa_array
    return arr


def _clean_arrow(t: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pc.utf8_trim_whitespace(t)
    art = pc.is_in(t, value_set=pa.array(_ARTEFACTS, type=t.type))
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
        dictionary = _categories_arrow(s.cat.categories)
    else:
        codes, dictionary = _dictionary_codes(s)
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


def _dictionary_codes(s: pd.Series) -> tuple[np.ndarray, Any]:
    """Hash a string Series once (Arrow ``dictionary_encode``): integer codes per row
    (-1 = missing) and the Arrow array of distinct values they index."""
    import pyarrow as pa
    import pyarrow.compute as pc

    a = _arrow(s)
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


def _categories_arrow(cats: pd.Index) -> Any:
    """The categories of a categorical as one Arrow large_string array."""
    import pyarrow as pa

    arr = getattr(cats.array, "_pa_array", None)
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
    return codes_to_strings(s.cat.codes.to_numpy(), _categories_arrow(s.cat.categories),
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
    for u in uniq:
        parts = []
        for c in reversed(cols):
            k = len(c.cat.categories) + 1
            u, r = divmod(int(u), k)
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
    # in Arrow directly (same kernels as .str.strip / .isin / .mask, fewer copies)
    t = pc.utf8_trim_whitespace(s.array._pa_array)
    art = pc.is_in(t, value_set=pa.array(_ARTEFACTS, type=t.type))
    if pc.any(art).as_py():
        t = pc.if_else(art, pa.scalar(None, type=t.type), t)
    return pd.Series(ArrowStringArray(t), index=s.index, name=s.name, copy=False)


_ARTEFACTS = ["", "#NAME?", "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "NULL", "\\N"]


def as_str(values: Any, index: pd.Index) -> pd.Series:
    """A string-dtype Series on ``index`` (no round trip through Python objects when possible)."""
    if isinstance(values, pd.Series):
        out = values.set_axis(index) if len(values) == len(index) else values
        return out if out.dtype == STR else out.astype(STR)
    return pd.Series(values, index=index).astype(STR)


def row_ids(source: str, rows: np.ndarray, index: pd.Index) -> pd.Series:
    """Default ids ``"<source>:<row>"`` (vectorised)."""
    return (source + ":") + pd.Series(rows, index=index).astype(STR)


def map_unique(values: pd.Series, func: Callable[[pd.Series], Any], dtype: Any = None) -> pd.Series:
    """Apply ``func`` to the unique non-missing values once and broadcast the result.

    Examples
    --------
    >>> map_unique(pd.Series(["a", "b", "a", None]), lambda u: u.str.upper()).tolist()
    ['A', 'B', 'A', nan]
    """
    s = pd.Series(values, copy=False)
    codes, uniques = pd.factorize(s)
    if len(uniques) == 0:  # nothing to map: all missing
        return pd.Series([pd.NA] * len(s), index=s.index, dtype=object if dtype is None else dtype)
    res = func(pd.Series(uniques, dtype=s.dtype))
    res = pd.Series(res).reset_index(drop=True)
    if dtype is not None:
        res = res.astype(dtype)
    out = res.take(np.where(codes < 0, 0, codes)) if len(res) else pd.Series(
        [None] * len(s), dtype=res.dtype if dtype is None else dtype)
    out = out.reset_index(drop=True)
    out.index = s.index
    if (codes < 0).any():
        out = out.mask(pd.Series(codes < 0, index=s.index))
    return out


_TS_MIN, _TS_MAX = pd.Timestamp.min, pd.Timestamp.max
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def _parse_unique_dates(u: pd.Series, dayfirst: bool) -> pd.Series:
    txt = u.astype(str).str.strip()
    out = pd.Series(pd.NaT, index=txt.index, dtype="datetime64[ns]")
    slash_fmts = ["%d/%m/%Y", "%m/%d/%Y"] if dayfirst else ["%m/%d/%Y", "%d/%m/%Y"]
    fmts = [
        "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f",
        *slash_fmts, "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y",
        "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y" if not dayfirst else "%d/%m/%y",
        "%b/%Y", "%b-%Y", "%b %Y", "%B %Y", "%Y-%m", "%m/%Y", "%Y",
    ]
    # formats that parse none of a small sample are tried last (the relative order of
    # the others, e.g. month-first before day-first, is kept)
    sample = txt.head(64)
    sample_hits = []
    for f in fmts:
        cand = sample.str.capitalize() if f.startswith(("%b", "%B")) else sample
        parsed = pd.to_datetime(cand, format=f, errors="coerce").notna()
        sample_hits.append(bool(parsed.any()))
        if parsed.all():
            break  # (one format reads the whole sample: the later ones keep their order)
    tested = len(sample_hits)
    fmts = ([f for f, hit in zip(fmts, sample_hits) if hit] + fmts[tested:]
            + [f for f, hit in zip(fmts, sample_hits) if not hit])
    for f in fmts:
        todo = out.isna()
        if not todo.any():
            break
        cand = txt[todo]
        if f.startswith("%b") or f.startswith("%B"):
            cand = cand.str.capitalize()
        parsed = pd.to_datetime(cand, format=f, errors="coerce")
        # a date outside the nanosecond range (e.g. year 1) is unparseable, not a crash
        parsed = parsed.where((parsed >= _TS_MIN) & (parsed <= _TS_MAX))
        out[todo] = parsed.astype("datetime64[ns]")
    return out


def parse_dates(values: pd.Series, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse date strings in the formats providers use; month-only dates get day 1.

    Returns
    -------
    (dates, bad)
        ``dates`` datetime64[ns] (NaT where missing or unparseable); ``bad`` True
        where a non-empty value could not be parsed.
    """
    s = clean(values)
    if isinstance(s.dtype, pd.CategoricalDtype):  # the categories are the distinct values
        codes, uniques = s.cat.codes.to_numpy(), s.cat.categories
    else:
        codes, uniques = pd.factorize(s)
    parsed = _parse_unique_dates(pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                                 dayfirst)
    arr = parsed.to_numpy()
    if len(arr):
        dates = arr[np.where(codes < 0, 0, codes)]
        dates[codes < 0] = np.datetime64("NaT")
    else:
        dates = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates = pd.Series(dates, index=s.index, dtype="datetime64[ns]")
    bad = dates.isna() & s.notna()
    return dates, bad.astype(bool)


def parse_years(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a year column ("2019", "2019.0", a date): Int64 and a mask of unparseable values."""
    s = clean(values)

    def f(u: pd.Series) -> pd.Series:
        num = pd.to_numeric(u, errors="coerce")
        ok = num.notna() & (num == num.round()) & (num >= 1800) & (num <= 2200)
        out = num.where(ok)
        rest = out.isna()
        if rest.any():
            d = _parse_unique_dates(u[rest], False)
            out[rest] = d.dt.year
        return out

    years = map_unique(s, f).astype("Float64").astype("Int64")
    bad = years.isna() & s.notna()
    return years, bad.astype(bool)


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
    def rejected(self) -> np.ndarray:
        return self._rejected.copy()

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
                for r, size in zip(recs, sizes)])

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
                val = _chunk_take(v.array._pa_array, pos).to_numpy(
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
        raw_part = _take_rows(base[[c for c in base.columns if not c.startswith("__")]], pos,
                              self._rejected)
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
        if len(parts) == 1:
            out = parts[0]
        else:
            out = pd.concat([p for p in parts], ignore_index=True)
        return out.sort_values("source_row", kind="stable").reset_index(drop=True)


def build_rounds(
    raw: RawTable,
    rej: Rejector,
    *,
    source: str,
    company: pd.Series | str,
    date_raw: pd.Series,
    amount_raw: pd.Series | str | None,
    columns: dict[str, str],
    currency_raw: pd.Series | str | None = None,
    amount_scale: float = 1.0,
    amount_is_usd: bool = False,
    provider_usd: pd.Series | None = None,
    country_raw: pd.Series | None = None,
    country_iso2: pd.Series | None = None,
    stage: pd.Series,
    stage_raw: pd.Series,
    is_biotech: pd.Series,
    sector_raw: pd.Series | None = None,
    round_id: pd.Series | Job | None = None,
    round_id_prefix: str = "",
    extra: dict[str, pd.Series] | None = None,
    dayfirst: bool = False,
    today_: Any = None,
    dup_exact: bool = True,
    frame: pd.DataFrame | None = None,
    source_row: np.ndarray | None = None,
    notes: list[str] | None = None,
    n_input: int | None = None,
    path: str | None = None,
    release_raw: bool = False,
) -> Loaded:
    """Turn parsed columns of one provider into a checked :class:`Loaded` of rounds.

    Applies, in order (a row gets the first reason that applies): missing
    company; missing, unparseable or future date; unparseable or negative
    amount; unknown currency (only where an amount is disclosed); unknown
    country; absurd amount (> :data:`MAX_ROUND_USD_M`); duplicates (exact
    duplicate of an earlier row's raw values, or same company + date + amount).
    ``columns`` maps the logical names ``company``, ``date``, ``amount``,
    ``currency``, ``country`` to the raw column names used in reject messages.
    Label columns may come as categoricals (:func:`encode`): they are parsed per
    distinct value and only turned into strings for the rows kept. Provider ids get
    ``round_id_prefix`` in front (after the duplicate-id test, on the kept rows).
    With ``release_raw`` the raw table is emptied once the rejects hold their raw
    values, and ``extra`` is emptied once its kept rows are copied (the caller must
    not keep its own reference to ``raw.frame``): on a big file the output is then
    built without the unused raw columns in memory. ``company`` and ``amount_raw`` may be
    given as column names of the raw table, so that the caller holds no reference to
    them. Every full-length column is released as soon as its kept rows are built.
    """
    from fundgap.normalise import normalise_currency, region_of, to_iso2
    from fundgap.normalise.amounts import parse_amount_codes
    from fundgap.normalise.currency import currency_index, money_arrays

    base = raw.frame if frame is None else frame
    n = len(base)
    idx = base.index
    rows = np.asarray(raw.source_row if source_row is None else source_row, dtype="int64")
    notes = raw.notes if notes is None else notes
    col = columns.get

    # the provider ids are cleaned and hashed on a second thread while this one parses
    # (Arrow releases the GIL): they are needed only for the duplicate tests below
    rid_job = round_id if isinstance(round_id, Job) else ids_in_background(round_id, idx)
    # raw columns given by name are taken from the table (which holds the only other
    # reference, so they go when it is released)
    if isinstance(company, str):
        company = base[company]
    if isinstance(amount_raw, str):
        amount_raw = base[amount_raw]

    # the independent parses (company, dates, amounts, countries) on two threads; the
    # rejects are then flagged in the documented order
    araw = pd.Series(amount_raw, index=idx) if amount_raw is not None else None
    craw2 = (clean(pd.Series(country_raw, index=idx))
             if country_iso2 is None and country_raw is not None else None)
    company, (dates, bad_date), parsed_amount, iso = _concurrently(
        lambda: clean(company),
        lambda: parse_dates(date_raw, dayfirst=dayfirst),
        lambda: parse_amount_codes(araw, scale=amount_scale) if araw is not None else None,
        # (a categorical: region_of maps it per category)
        lambda: to_iso2(craw2, categorical=True) if craw2 is not None else None,
    )
    rej.flag(company.isna(), "missing company name", col("company"), company)

    draw = pd.Series(date_raw, index=idx)
    rej.flag(bad_date, "unparseable date", col("date"), draw)
    rej.flag(dates.isna(), "missing date", col("date"), draw)
    rej.flag(placeholder_dates(dates), PLACEHOLDER_REASON, col("date"), draw)
    cutoff = today(today_)
    rej.flag(dates > cutoff, f"date in the future (after {cutoff.date()})", col("date"), draw)

    if amount_raw is not None:
        a_val, h_codes, h_cats, a_st = parsed_amount
        amt_np = np.asarray(a_val, dtype=float)  # (the parser's own array: set in place)
        _zero_as_undisclosed(amt_np, a_st, rej, notes, "amount")
        rej.flag(a_st == 2, "unparseable amount", col("amount"), araw)
        rej.flag(a_st == 3, "negative amount", col("amount"), araw)
        np.putmask(amt_np, a_st != 0, np.nan)
        del a_val, a_st
    else:
        amt_np = np.full(n, np.nan)
        h_codes, h_cats = np.full(n, -1, dtype=np.int32), []
    has_amount = ~np.isnan(amt_np)

    if amount_is_usd:
        currency = _usd_or_written(h_codes, h_cats, has_amount, idx, notes)
    else:
        # on codes: the currency column's distinct labels, the hints written in the
        # amounts and the default currency share one category list
        if currency_raw is None or isinstance(currency_raw, str):
            craw = encode(pd.Series(pd.NA, index=idx, dtype=STR))
        else:
            craw = encode(pd.Series(currency_raw, index=idx))
        iso_u = normalise_currency(pd.Series(np.asarray(craw.cat.categories.astype(object)),
                                             dtype=object))
        iso_u = [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
                 for v in iso_u]
        default = [currency_raw] if isinstance(currency_raw, str) else []
        cats = list(dict.fromkeys([v for v in iso_u if v is not None] + [str(h) for h in h_cats]
                                  + default))
        pos = {c: i for i, c in enumerate(cats)}
        lut_raw = np.array([pos[v] if v is not None else -1 for v in iso_u] + [-1], dtype=np.int64)
        lut_hint = np.array([pos[str(h)] for h in h_cats] + [-1], dtype=np.int64)
        craw_codes = craw.cat.codes.to_numpy()
        cur_codes = lut_raw[craw_codes]
        craw_present = craw_codes >= 0
        rej.flag(craw_present & (cur_codes < 0) & has_amount, "unknown currency",
                 col("currency"), craw)
        cur_codes = np.where(cur_codes < 0, lut_hint[np.asarray(h_codes)], cur_codes)
        if default:
            cur_codes = np.where(cur_codes < 0, pos[default[0]], cur_codes)
        rej.flag(has_amount & (cur_codes < 0), "amount without a currency", col("amount"),
                 pd.Series(amount_raw, index=idx) if amount_raw is not None else None)
        cur_codes = np.where(has_amount | craw_present, cur_codes, -1)
        currency = pd.Series(pd.Categorical.from_codes(cur_codes,
                                                       categories=pd.Index(cats, dtype=STR)),
                             index=idx)
        del craw, craw_codes, cur_codes, craw_present
    del h_codes, has_amount

    if country_iso2 is None:
        if country_raw is not None:
            rej.flag(craw2.notna().to_numpy() & iso.isna().to_numpy(), "unknown country",
                     col("country"), craw2)
            n_missing = int((craw2.isna().to_numpy() & rej.kept).sum())
            if n_missing:
                notes.append(f"{n_missing} kept row(s) without a country (region missing)")
        else:
            iso = pd.Series(pd.NA, index=idx, dtype=STR)
    else:
        iso = pd.Series(country_iso2, index=idx).astype(STR)

    # years from the datetime64 values directly (NaT -> missing / -1)
    d64 = dates.to_numpy(dtype="datetime64[ns]")
    years_np = _years(d64, np.isnat(d64))
    del parsed_amount

    # money on every row (elementwise, so the kept rows get the same values as on a
    # subset) -- no copy of the wide frame
    kept0 = rej.kept
    if provider_usd is not None:
        pusd = pd.to_numeric(pd.Series(provider_usd, index=idx), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)
    else:
        pusd = None  # (amounts in USD: converting USD into USD is the identity)
    usd, eur = money_arrays(amt_np, currency_index(currency), years_np, pusd)
    del pusd
    araw_or_none = pd.Series(amount_raw, index=idx) if amount_raw is not None else None
    with np.errstate(invalid="ignore"):
        rej.flag(kept0 & (usd > MAX_ROUND_USD_M),
                 f"absurd amount (> USD {MAX_ROUND_USD_M:,.0f} million)", col("amount"), araw_or_none)
        rej.flag(kept0 & (usd > 0) & (usd < MIN_ROUND_USD_M),
                 "implausibly small amount (< USD 1,000; wrong unit?)", col("amount"), araw_or_none)
    no_rate = kept0 & ~np.isnan(amt_np) & np.isnan(usd)
    if no_rate.any():
        notes.append(f"{int(no_rate.sum())} kept row(s) with an amount but no USD rate for "
                     "their currency/year (amount_usd missing)")
    del kept0, no_rate, araw_or_none
    araw = amount_raw = draw = date_raw = None  # (released: the lambdas above have run)

    # duplicates among the rows still kept; then the same provider id twice
    rid, rid_codes = rid_job.result()
    rid_job.release()
    del rid_job, round_id
    if rej.kept.any():
        _flag_duplicate_rows(rej, base, idx, rows, dates, d64, amt_np, company, rid_codes,
                             col, dup_exact)
        _flag_duplicate_ids(rej, rid, rid_codes, rows, round_id_prefix)
    del rid_codes, dates

    import pyarrow as pa

    # the rejects take their raw values now; then the raw table can go
    rejects = rej.rejects(raw, None if frame is None else frame)
    n_in = raw.n_input if n_input is None else n_input
    if release_raw and frame is None:
        del base
        raw.frame = raw.frame.iloc[:0]
        if _PARALLEL.get():  # (a big file)
            release_free_memory()

    keep = rej.kept
    kpos = np.flatnonzero(keep)
    kidx = idx[kpos]
    kmask = pa.array(keep)
    del keep

    # the full-length columns the output takes its kept rows from: each job pops its own,
    # so that a column is released as soon as its kept rows are built (with release_raw,
    # ``extra`` is emptied: its raw columns go too)
    full: dict[str, Any] = {
        "round_id": rid, "company": company, "iso": iso, "stage": stage, "stage_raw": stage_raw,
        "currency": currency, "sector_raw": sector_raw, "is_biotech": is_biotech, "d64": d64,
        "years": years_np, "amount": amt_np, "usd": usd, "eur": eur}
    extras = dict(extra or {})
    extra_keys = list(extras)
    if release_raw and extra:
        extra.clear()
    rid = company = iso = stage = stage_raw = currency = sector_raw = is_biotech = None
    d64 = years_np = amt_np = usd = eur = None

    def kept(key: str, table: dict[str, Any] = full) -> pd.Series:
        """The kept rows of a full-length column, which is then released."""
        values = table.pop(key)
        return _take_series(pd.Series(values, index=idx, copy=False), kpos, kidx, kmask)

    def round_ids() -> pd.Series:
        rid_k = kept("round_id")
        if round_id_prefix:
            rid_k = _prefix(rid_k, round_id_prefix)
        rid_missing = rid_k.isna().to_numpy()
        if rid_missing.any():  # default ids only where the provider gave none
            rid_k = rid_k.where(~rid_missing, row_ids(source, rows[kpos][rid_missing],
                                                      kidx[rid_missing]).reindex(kidx))
        return rid_k

    def geography() -> tuple[pd.Series, pd.Series]:
        iso_k = kept("iso")
        # (EU27 in its 2020 composition: the date does not enter; per category of iso)
        return decode(iso_k), region_of(iso_k).set_axis(kidx)

    def year() -> pd.arrays.IntegerArray:
        y = full.pop("years")[kpos]
        missing = y < 0
        return pd.arrays.IntegerArray(np.where(missing, 0, y), missing)

    def biotech() -> Any:
        b = pd.Series(full.pop("is_biotech"), index=idx, copy=False)
        if b.dtype == bool:
            return pd.arrays.BooleanArray(b.to_numpy()[kpos], np.zeros(len(kpos), dtype=bool))
        return _take_series(b.astype("boolean"), kpos, kidx)

    def sector() -> pd.Series:
        if full["sector_raw"] is None:
            full.pop("sector_raw")
            return pd.Series(pd.NA, index=kidx, dtype=STR)
        return decode(clean(kept("sector_raw")))

    # the output's columns, built on two threads (Arrow filters and casts release the GIL),
    # the long strings first
    jobs: dict[str, Callable[[], Any]] = {
        **{k: (lambda k=k: kept(k, extras)) for k in ("investors", "lead_investors")
           if k in extras},
        "round_id": round_ids,
        "company": lambda: kept("company"),
        "country": geography,
        "stage": lambda: kept("stage"),
        "stage_raw": lambda: decode(clean(kept("stage_raw"))),
        "date": lambda: full.pop("d64")[kpos],
        "year": year,
        "amount": lambda: full.pop("amount")[kpos],
        "currency": lambda: decode(kept("currency")),
        "is_biotech": biotech,
        "sector_raw": sector,
        "source": lambda: _constant(source, kidx),
        "source_row": lambda: pd.arrays.IntegerArray(rows[kpos], np.zeros(len(kpos), dtype=bool)),
        "amount_usd": lambda: full.pop("usd")[kpos],
        "amount_eur": lambda: full.pop("eur")[kpos],
    }
    for k in extras:
        jobs.setdefault(k, lambda k=k: kept(k, extras))
    built = dict(zip(jobs, _concurrently(*jobs.values())))
    del jobs
    full.clear()
    extras.clear()
    built["country"], built["region"] = built["country"]
    # canonical columns, then the extras in the caller's order (conform puts them in place)
    later = [*extra_keys, "amount_usd", "amount_eur"]
    sub = pd.DataFrame({k: built.pop(k) for k in [*(k for k in built if k not in later), *later]},
                       index=kidx, copy=False)
    del built
    if len(sub):
        from fundgap.normalise import stage_group_of
        from fundgap.schema import STAGE_DTYPE

        if sub["stage"].dtype != STAGE_DTYPE:
            sub["stage"] = sub["stage"].astype(object).astype(STAGE_DTYPE)
        sub["stage_group"] = pd.Series(stage_group_of(sub["stage"])).set_axis(sub.index)
    data = conform(sub, "rounds")
    del sub
    # ids were de-duplicated above: the schema check need not search them again
    _validate_rounds(data, check_ids=False)
    loaded = Loaded(data, rejects, source, "rounds", path or raw.path, n_in, list(notes))
    return loaded


#: Dates exports write for "unknown": Excel's day 0 and day 1, the CrunchBase placeholder,
#: the Unix epoch and SQL Server's smallest datetime; any date before 1900 is one too.
PLACEHOLDER_DATES: tuple[str, ...] = ("1899-12-30", "1900-01-01", "1960-01-01", "1970-01-01",
                                      "1753-01-01")
PLACEHOLDER_REASON = "placeholder date (a default for 'unknown', not a deal date)"


def placeholder_dates(dates: pd.Series) -> np.ndarray:
    """True where a parsed date is a placeholder for "unknown" (see :data:`PLACEHOLDER_DATES`).

    Examples
    --------
    >>> placeholder_dates(pd.Series(pd.to_datetime(["1970-01-01", "1899-12-30", "1850-05-01",
    ...                                             "2021-03-01", None]))).tolist()
    [True, True, True, False, False]
    """
    d = pd.Series(dates).to_numpy(dtype="datetime64[ns]")
    day = d.astype("datetime64[D]")
    hit = np.isin(day, np.array(PLACEHOLDER_DATES, dtype="datetime64[D]"))
    hit |= day < np.datetime64("1900-01-01")
    return hit & ~np.isnat(d)


def _placeholder_vintage(raw: pd.Series, years: pd.Series) -> np.ndarray:
    """True where a vintage is before 1900 or written as a placeholder date."""
    early = (years < 1900).to_numpy(dtype=bool, na_value=False)
    text = clean(pd.Series(raw))
    full = text.str.match(r"^\d{4}-\d{2}-\d{2}").to_numpy(dtype=bool, na_value=False)
    if not full.any():
        return early
    dates, _ = parse_dates(text.where(full))
    return early | placeholder_dates(dates)


def _zero_as_undisclosed(amount: np.ndarray, status: np.ndarray, rej: Rejector,
                         notes: list[str], what: str) -> None:
    """An amount of exactly 0 (or -0, "(0)") is not a disclosed round or fund: it is read as
    undisclosed (status set to undisclosed in place) and counted in the notes."""
    zero = np.isin(status, (0, 3)) & (amount == 0) & rej.kept
    n_zero = int(zero.sum())
    if n_zero:
        status[zero] = 1
        notes.append(f"{n_zero} row(s) with {what} 0 read as undisclosed (a zero is not a "
                     "disclosed round or fund size)")


def _usd_or_written(h_codes: Any, h_cats: list, has_amount: np.ndarray, idx: pd.Index,
                    notes: list[str]) -> pd.Series:
    """The currency of a column of USD amounts: USD, except where a cell writes its own
    currency ("€12m", "EUR 12m", "£3m"), which is then read in that currency."""
    cats = list(dict.fromkeys(["USD", *(str(h) for h in h_cats)]))
    lut = np.array([cats.index(str(h)) for h in h_cats] + [0], dtype=np.int64)
    codes = lut[np.asarray(h_codes, dtype=np.int64)]  # (no hint, -1, picks the appended USD)
    other = has_amount & (codes != 0)
    if other.any():
        seen = sorted({cats[c] for c in np.unique(codes[other])})
        notes.append(f"{int(other.sum())} amount(s) written with their own currency {seen} read "
                     "in that currency, not as USD")
    return pd.Series(pd.Categorical.from_codes(codes.astype(np.int16),
                                               categories=pd.Index(cats, dtype=STR)), index=idx)


def _flag_duplicate_rows(rej: Rejector, base: pd.DataFrame, idx: pd.Index, rows: np.ndarray,
                         dates: pd.Series, d64: np.ndarray, amt_np: np.ndarray,
                         company: pd.Series, rid_codes: np.ndarray | None, col: Callable,
                         dup_exact: bool) -> None:
    """Flag exact duplicate rows (equal raw cells) and rows of the same company, date and
    amount, among the rows still kept (the first of each group stays)."""
    from fundgap.normalise import find_duplicates

    dcols = [c for c in base.columns if not c.startswith("__")]
    if dup_exact and dcols:
        live = rej.kept
        # rows that can be exact twins: equal on a cheap fingerprint (parsed date and
        # amount, then cell lengths); the exact test on the raw cells runs on those only
        if rid_codes is not None:
            # identical rows carry identical ids: rows with an id seen once cannot have
            # an exact twin; rows without an id are screened by the fingerprint
            has_id = rid_codes >= 0
            counts = np.bincount(rid_codes[has_id], minlength=1)
            multi = has_id.copy()
            multi[has_id] = counts[rid_codes[has_id]] > 1
            del counts
            cand = live & multi
            no_id = live & ~has_id
            if no_id.any():
                cand |= _twin_candidates(base, dcols, no_id, dates, amt_np, first=col("company"))
        else:
            cand = _twin_candidates(base, dcols, live, dates, amt_np, first=col("company"))
        if cand.any():
            pos = np.flatnonzero(cand)
            dsub = pd.DataFrame(_cell_codes(base, dcols, pos), index=idx[pos], copy=False)
            dsub["source_row"] = rows[pos]
            dup = find_duplicates(dsub, row_col="source_row", exact_cols=dcols, key=None)
            _flag_dups(rej, idx, dsub.index, dup, "exact duplicate row", col("company"), company)
    # only rows with a disclosed amount take part
    lpos = np.flatnonzero(rej.kept & ~np.isnan(amt_np))
    if len(lpos):
        # candidates: equal (date, amount) hashes; the exact test on company, date
        # and amount follows on those only
        a = amt_np[lpos]
        with np.errstate(over="ignore"):
            h = (d64.view(np.int64)[lpos].astype(np.uint64)
                 * np.uint64(1_000_003)) ^ np.round(a, 6).view(np.uint64)
        cand = _collides(h)
        if cand.any():
            pos = lpos[cand]
            # (Arrow take: pandas' take on a chunked Arrow column is much slower)
            dsub = pd.DataFrame({"company": _take_series(company, pos, idx[pos]),
                                 "date": d64[pos], "amount": amt_np[pos],
                                 "source_row": rows[pos]}, index=idx[pos])
            dup = find_duplicates(dsub, row_col="source_row", exact_cols=[],
                                  key=("company", "date", "amount"))
            _flag_dups(rej, idx, dsub.index, dup, "duplicate: same company, date and amount",
                       col("company"), company)


def release_free_memory() -> None:
    """Hand memory freed by the loader back to the operating system.

    Arrow's allocator keeps freed blocks for reuse and glibc's ``malloc`` keeps freed
    heap pages: after the raw table of a big file is released, both may hold hundreds
    of MB that the process no longer uses. This returns them (Arrow's
    ``release_unused``; ``malloc_trim(0)`` where the C library is glibc). Nothing is
    freed that is in use; it takes a few milliseconds.

    Examples
    --------
    >>> release_free_memory()
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on other C libraries and platforms."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def _years(d64: np.ndarray, nat: np.ndarray) -> np.ndarray:
    """Calendar year of each datetime64[ns] value (-1 where ``nat``), through a table of the
    days between the first and last date (numpy's own cast to years is slow).

    Examples
    --------
    >>> d = np.array(["1677-09-22", "1969-12-31T23:59", "2000-01-01", "NaT", "2262-04-11"],
    ...              dtype="datetime64[ns]")
    >>> _years(d, np.isnat(d)).tolist()
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


def _constant(value: str, index: pd.Index) -> pd.Series:
    """A string Series holding ``value`` on every row (its Arrow buffers written directly).

    Examples
    --------
    >>> _constant("pitchbook", pd.RangeIndex(2)).tolist()
    ['pitchbook', 'pitchbook']
    """
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    n, raw = len(index), value.encode("utf-8")
    offsets = pa.py_buffer(np.arange(n + 1, dtype=np.int64) * len(raw))
    arr = pa.LargeStringArray.from_buffers(n, offsets, pa.py_buffer(raw * n))
    return pd.Series(ArrowStringArray(arr), index=index, copy=False)


def _prefix(values: pd.Series, prefix: str) -> pd.Series:
    """``prefix + values`` for a string Series, in Arrow (missing stays missing).

    Examples
    --------
    >>> _prefix(pd.Series(["a1", None], dtype=STR), "pb:").tolist()
    ['pb:a1', <NA>]
    """
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    arr = _arrow(values)
    out = pc.utf8_replace_slice(arr, 0, 0, prefix)  # (an empty slice at the start)
    return pd.Series(ArrowStringArray(out), index=values.index, name=values.name, copy=False)


def _take_series(s: pd.Series, pos: np.ndarray, index: pd.Index, mask: Any = None) -> pd.Series:
    """``s.iloc[pos]`` on ``index``; Arrow strings by an Arrow filter (``mask``: the same
    rows as a boolean mask over ``s``, Arrow or numpy) or take, the rest by numpy."""
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    if len(pos) == len(s) and (len(pos) == 0 or (pos[0] == 0 and pos[-1] == len(s) - 1)):
        return s.set_axis(index) if not s.index.equals(index) else s
    if s.dtype == STR:
        arr = s.array._pa_array
        if mask is not None:
            arr = arr.filter(mask if isinstance(mask, (pa.Array, pa.ChunkedArray)) else pa.array(mask))
        else:
            arr = _chunk_take(arr, np.asarray(pos, dtype=np.int64))
        return pd.Series(ArrowStringArray(arr), index=index, name=s.name, copy=False)
    if isinstance(s.dtype, pd.CategoricalDtype):  # by its codes (valid by construction)
        cat = pd.Categorical.from_codes(s.cat.codes.to_numpy()[pos], dtype=s.dtype, validate=False)
        return pd.Series(cat, index=index, name=s.name, copy=False)
    out = s.iloc[pos]
    out.index = index
    return out


def _chunk_take(arr: Any, pos: np.ndarray) -> Any:
    """``arr.take(pos)`` for an Arrow (chunked) array, chunk by chunk when ``pos`` is sorted
    (cheaper than a take that locates every index's chunk, or a filter scanning every row).

    Examples
    --------
    >>> import pyarrow as pa
    >>> a = pa.chunked_array([["a", "b"], ["c", None, "e"]])
    >>> _chunk_take(a, np.array([1, 2, 3])).to_pylist()
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


def _take_rows(frame: pd.DataFrame, pos: np.ndarray, mask: np.ndarray | None = None) -> pd.DataFrame:
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
    taken = _threaded(lambda c: _take_series(frame[c], pos, idx, pmask), cols)
    return pd.DataFrame(dict(zip(cols, taken)), index=idx, columns=frame.columns, copy=False)


#: Below this file size a load runs on one thread: starting threads costs more than the
#: work it would share (about 40 ms a load), and freed memory is not handed back.
PARALLEL_BYTES = 8 << 20


class Job:
    """A result computed on a background thread, which its consumer can release.

    :meth:`result` waits for it; :meth:`release` drops it (a Future would keep a
    million-row result alive for as long as anybody holds the Future). Within
    ``parallel(False)`` the result is computed at once, on this thread.

    Examples
    --------
    >>> j = Job(lambda: 41 + 1)
    >>> j.result(), j.release()
    (42, None)
    """

    def __init__(self, func: Callable[[], Any]) -> None:
        self._future: Future | None = Future()
        if _PARALLEL.get():
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(max_workers=1)
            self._future = pool.submit(func)
            pool.shutdown(wait=False)
            return
        try:  # (computed here and now)
            self._future.set_result(func())
        except BaseException as exc:  # noqa: BLE001 - re-raised by result()
            self._future.set_exception(exc)

    def result(self) -> Any:
        if self._future is None:
            raise RuntimeError("the result of this background job was released")
        return self._future.result()

    def release(self) -> None:
        if self._future is not None:
            self._future.result()  # (never leave a running thread behind)
        self._future = None


def _concurrently(*jobs: Callable[[], Any]) -> list[Any]:
    """The results of independent ``jobs`` (functions without arguments), run on two threads.

    Examples
    --------
    >>> _concurrently(lambda: 1, lambda: 2)
    [1, 2]
    """
    return _threaded(lambda job: job(), list(jobs), min_items=2)


def ids_in_background(round_id: pd.Series | None, index: pd.Index) -> Job:
    """Start cleaning and hashing provider ids on a second thread.

    Pass the result as ``round_id`` to :func:`build_rounds`; a loader that starts it
    right after reading lets the work overlap its own label parsing.

    Examples
    --------
    >>> rid, codes = ids_in_background(pd.Series([" a", "b", "a", None]), pd.RangeIndex(4)).result()
    >>> rid.tolist(), codes.tolist()
    (['a', 'b', 'a', <NA>], [0, 1, 0, -1])
    """
    return Job(lambda: _clean_ids(round_id, index))


def _clean_ids(round_id: Any, idx: pd.Index) -> tuple[pd.Series, np.ndarray | None]:
    """Cleaned provider ids (string Series on ``idx``) and their dictionary codes (-1 = missing)."""

    if round_id is None:
        return pd.Series(pd.NA, index=idx, dtype=STR), None
    rid = pd.Series(round_id, index=idx)
    rid = clean(rid) if not isinstance(rid.dtype, pd.CategoricalDtype) else decode(clean(rid))
    return rid, id_codes(rid)


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
    arr = _arrow(values)
    chunks = arr.chunks if hasattr(arr, "chunks") else [arr]
    fps = [_fingerprint(c) for c in chunks]
    h = np.concatenate([f[0] for f in fps]) if fps else np.zeros(0, dtype=np.uint64)
    valid = np.concatenate([f[1] for f in fps]) if fps else np.zeros(0, dtype=bool)
    codes = np.full(n, -1, dtype=np.int64)
    vpos = np.flatnonzero(valid)
    codes[vpos] = vpos
    if len(vpos) < 2:
        return codes
    cpos = vpos[_collides(h[vpos])]
    if len(cpos):
        exact, _ = _dictionary_codes(pd.Series(pd.arrays.ArrowStringArray(
            _chunk_take(arr, cpos).cast("large_string")), copy=False))
        # the first position of each group of equal ids is the group's code
        first = np.full(int(exact.max()) + 1, n, dtype=np.int64)
        np.minimum.at(first, exact, cpos)
        codes[cpos] = first[exact]
    return codes


_FP_MULT = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F),
            np.uint64(0x165667B19E3779F9), np.uint64(0x27D4EB2F165667C5))


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
    if len(data) < 8:
        data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
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
            word &= np.where(keep >= 64, ~np.uint64(0),
                             (np.uint64(1) << np.minimum(keep, 63).astype(np.uint64)) - np.uint64(1))
            h ^= word * mult
            h ^= h >> np.uint64(29)
    return h, valid


def _flag_duplicate_ids(rej: Rejector, rid: pd.Series, codes: np.ndarray | None, rows: np.ndarray,
                        prefix: str) -> None:
    """Reject later rows that repeat a provider id of an earlier kept row (``codes``: the ids'
    dictionary codes, -1 = missing)."""
    keep = rej.kept
    n = len(keep)
    if n == 0 or codes is None:
        return
    n_ids = int(codes.max()) + 1 if len(codes) else 0
    counts = np.bincount(codes[keep & (codes >= 0)], minlength=n_ids)
    if not (counts > 1).any():
        return
    twice = keep & (codes >= 0)
    twice[twice] = counts[codes[twice]] > 1
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
               column: str | None, values: pd.Series) -> None:
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


def _twin_candidates(base: pd.DataFrame, cols: list[str], live: np.ndarray, dates: pd.Series,
                     amount: np.ndarray, first: str | None = None) -> np.ndarray:
    """Rows (mask over all rows) of ``live`` that may be exact duplicates of another live row.

    A necessary condition is checked cheaply: equal parsed date and amount, equal codes
    of the categorical raw columns (equal codes = equal raw text), and equal lengths
    (and missingness) of the raw string cells. Rows whose fingerprint is already
    unique are dropped as columns are added, until few candidates are left. The
    caller then compares the full raw text of the candidates.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    pos = np.flatnonzero(live)
    mult = np.uint64(1_000_003)
    cats = [c for c in cols if isinstance(base[c].dtype, pd.CategoricalDtype)]
    strs = [c for c in cols if c not in cats]
    strs = ([first] if first in strs else []) + [c for c in strs if c != first]
    with np.errstate(over="ignore"):
        h = dates.to_numpy(dtype="datetime64[ns]").view(np.int64)[pos].astype(np.uint64)
        a = amount[pos]
        h = h * mult ^ np.where(np.isnan(a), -1.0, a).view(np.uint64)
        for c in cats:  # integer codes: cheap and exact
            h *= mult
            h ^= base[c].cat.codes.to_numpy()[pos].astype(np.int64).astype(np.uint64)
        for i, c in enumerate(strs):
            if i % 3 == 0:
                dup = _collides(h)
                before = len(pos)
                pos, h = pos[dup], h[dup]
                # few left, or the last columns hardly told rows apart: the rest are
                # (nearly all) true twins, for the caller's exact test
                if len(pos) <= max(1000, len(live) // 50) or (i and len(pos) > 0.95 * before):
                    break
            arr = getattr(base[c].array, "_pa_array", None)
            if arr is None:
                arr = pa.array(base[c].astype(STR).array._pa_array)
            if len(pos) < len(live) // 8:  # lengths of the candidates only
                arr = arr.take(pa.array(pos))
                ln = np.asarray(pc.fill_null(pc.binary_length(arr), -1).to_numpy(), dtype=np.int64)
            else:
                ln = np.asarray(pc.fill_null(pc.binary_length(arr), -1).to_numpy(),
                                dtype=np.int64)[pos]
            h *= mult
            h ^= ln.astype(np.uint64)
        dup = _collides(h)
    out = np.zeros(len(live), dtype=bool)
    out[pos[dup]] = True
    return out


def _collides(h: np.ndarray) -> np.ndarray:
    """Mask of the values of ``h`` (uint64) that occur more than once.

    On large inputs the values alone in their bucket (top 22 bits of a Fibonacci hash)
    are dropped first: every row writes its position into its bucket, and a row that
    does not find its own position there shares the bucket (whichever write wins, all
    but one row of a shared bucket see another's); the exact test runs on the rows of
    shared buckets only.

    Examples
    --------
    >>> _collides(np.array([5, 7, 5, 9], dtype=np.uint64)).tolist()
    [True, False, True, False]
    """
    if len(h) < 200_000:
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


def build_funds(
    raw: RawTable,
    rej: Rejector,
    *,
    source: str,
    columns: dict[str, str],
    fund_name: pd.Series,
    size_raw: pd.Series | None,
    size_scale: float = 1.0,
    currency_raw: pd.Series | str | None = None,
    size_is_usd: bool = False,
    provider_usd: pd.Series | None = None,
    vintage_raw: pd.Series | None = None,
    manager: pd.Series | None = None,
    country_raw: pd.Series | None = None,
    fund_type: pd.Series,
    life_science_focus: pd.Series | None = None,
    fund_id: pd.Series | None = None,
    extra: dict[str, pd.Series] | None = None,
    today_: Any = None,
    max_usd: float = MAX_FUND_USD_M,
    dup_ignore: Iterable[str] = (),
    extra_checks: Callable[[pd.DataFrame, Rejector], None] | None = None,
) -> Loaded:
    """Turn parsed columns of one provider into a checked :class:`Loaded` of funds.

    Rejects, in order: missing fund name; unparseable vintage or vintage in the
    future; unparseable or negative size; unknown currency (where a size is
    given); unknown country; absurd size (> ``max_usd`` USD millions); exact
    duplicate rows (same raw values except the id column).
    """
    from fundgap.normalise import (
        add_money_columns,
        normalise_currency,
        parse_amounts,
        region_of,
        to_iso2,
    )

    base = raw.frame
    idx = base.index
    col = columns.get
    notes = raw.notes
    name = clean(fund_name)
    rej.flag(name.isna(), "missing fund name", col("fund_name"), name)
    if vintage_raw is not None:
        vint, bad = parse_years(vintage_raw)
        rej.flag(bad, "unparseable vintage year", col("vintage"), vintage_raw)
        rej.flag(_placeholder_vintage(vintage_raw, vint),
                 "placeholder vintage (before 1900, or a placeholder date such as 1970-01-01)",
                 col("vintage"), vintage_raw)
        rej.flag(vint > today(today_).year, "vintage in the future", col("vintage"), vintage_raw)
    else:
        vint = pd.Series(pd.NA, index=idx, dtype="Int64")
    if size_raw is not None:
        sraw = pd.Series(size_raw, index=idx)
        parsed = parse_amounts(sraw, scale=size_scale)
        parsed.index = idx
        zero = (parsed["status"].isin(["ok", "negative"]) & (parsed["amount"] == 0)).to_numpy(
            dtype=bool, na_value=False) & rej.kept
        if zero.any():
            parsed.loc[zero, ["amount", "status"]] = [np.nan, "undisclosed"]
            notes.append(f"{int(zero.sum())} fund(s) with size 0 read as undisclosed (a zero is "
                         "not a disclosed fund size)")
        status = parsed["status"].astype(object)
        rej.flag(status == "invalid", "unparseable fund size", col("size"), sraw)
        rej.flag(status == "negative", "negative fund size", col("size"), sraw)
        size = parsed["amount"].where(status == "ok").astype("float64")
        hint = as_str(normalise_currency(parsed["currency_hint"]), idx)
    else:
        size = pd.Series(np.nan, index=idx)
        hint = pd.Series(pd.NA, index=idx, dtype=STR)
    if size_is_usd:  # (a size that writes its own currency, "€250m", is read in it)
        currency = hint.fillna("USD").where(size.notna(), "USD").astype(STR)
        n_other = int((size.notna() & (currency != "USD")).sum())
        if n_other:
            notes.append(f"{n_other} fund size(s) written with their own currency read in that "
                         "currency, not as USD")
    else:
        if currency_raw is None or isinstance(currency_raw, str):
            craw = pd.Series(pd.NA, index=idx, dtype=STR)
        else:
            craw = clean(pd.Series(currency_raw, index=idx))
        cur = as_str(normalise_currency(craw), idx)
        rej.flag(craw.notna() & cur.isna() & size.notna(), "unknown currency", col("currency"), craw)
        cur = cur.fillna(hint)
        if isinstance(currency_raw, str):
            cur = cur.fillna(currency_raw)
        rej.flag(size.notna() & cur.isna(), "fund size without a currency", col("size"), size_raw)
        currency = cur.where(size.notna() | craw.notna())
    if country_raw is not None:
        c = clean(pd.Series(country_raw, index=idx))
        iso = as_str(to_iso2(c), idx)
        rej.flag(c.notna() & iso.isna(), "unknown country", col("country"), c)
    else:
        iso = pd.Series(pd.NA, index=idx, dtype=STR)
    rows = np.asarray(raw.source_row, dtype="int64")
    out = pd.DataFrame({
        "fund_id": clean(fund_id) if fund_id is not None else pd.Series(pd.NA, index=idx, dtype=STR),
        "fund_name": name,
        "manager": clean(manager) if manager is not None else pd.Series(pd.NA, index=idx, dtype=STR),
        "country": iso,
        "vintage": vint,
        "size": size,
        "currency": currency,
        "fund_type": pd.Series(fund_type, index=idx),
        "life_science_focus": (pd.Series(life_science_focus, index=idx).astype("boolean")
                               if life_science_focus is not None
                               else pd.Series(pd.NA, index=idx, dtype="boolean")),
        "source": source,
        "source_row": rows,
    }, index=idx)
    out["fund_id"] = out["fund_id"].fillna(
        row_ids(source, rows, idx))
    for k, v in (extra or {}).items():
        out[k] = pd.Series(v, index=idx)
    keep = pd.Series(rej.kept, index=idx)
    sub = out.loc[keep].copy()
    sub = add_money_columns(sub, amount="size", currency="currency", year="vintage",
                            usd="size_usd", eur="size_eur",
                            provider_usd=(pd.Series(provider_usd, index=idx).loc[keep]
                                          if provider_usd is not None
                                          else (sub["size"].where(sub["currency"] == "USD")
                                                if size_is_usd else None)))
    big = pd.Series(False, index=idx)
    big.loc[sub.index] = sub["size_usd"].to_numpy(dtype=float, na_value=np.nan) > max_usd
    rej.flag(big, f"absurd fund size (> USD {max_usd:,.0f} million)", col("size"), size_raw)
    if extra_checks is not None:
        extra_checks(sub, rej)
    # exact duplicates: identical raw values apart from id-like columns
    keep = pd.Series(rej.kept, index=idx)
    id_cols = {c for c in (col("fund_id"), col("id"), *dup_ignore) if c}
    vals = base.loc[keep, [c for c in base.columns if c not in id_cols]]
    if len(vals):
        dmask = vals.duplicated(keep="first")
        if dmask.any():
            # map each duplicate to its first occurrence via a group id
            gid = vals.astype(object).fillna("\x00").groupby(list(vals.columns), sort=False, dropna=False).ngroup()
            first_row = pd.Series(rows[vals.index], index=vals.index).groupby(gid).transform("first")
            m = pd.Series(False, index=idx)
            m.loc[dmask.index[dmask.to_numpy()]] = True
            d_of = pd.Series(None, index=idx, dtype=object)
            d_of.loc[first_row.index] = first_row.to_numpy()
            rej.flag(m, "exact duplicate row", col("fund_name"), name, duplicate_of=d_of.to_numpy())
    keep = pd.Series(rej.kept, index=idx)
    sub = sub.loc[keep[sub.index].to_numpy()]
    if len(sub):
        reg = region_of(sub["country"])
        sub["region"] = pd.Series(reg).set_axis(sub.index) if isinstance(reg, pd.Series) else reg
    data = conform(sub, "funds")
    validate_funds(data)
    return Loaded(data, rej.rejects(raw), source, "funds", raw.path, raw.n_input, list(notes))


def zero_as_missing(values: pd.Series) -> pd.Series:
    """Blank out amounts that are exactly zero (providers that write 0 for undisclosed).

    Examples
    --------
    >>> zero_as_missing(pd.Series(["0", "1500000", "", "0.0"])).tolist()
    [<NA>, '1500000', <NA>, <NA>]
    """
    s = clean(values)

    def f(u: pd.Series) -> pd.Series:
        num = pd.to_numeric(u.str.replace(",", "", regex=False), errors="coerce")
        return u.mask((num == 0).fillna(False).astype(bool))

    return map_unique(s, f).astype(STR)


def snake(name: str) -> str:
    """Header key: lower case, non-alphanumerics to ``_`` ("Deal Size" and "DEAL_SIZE" -> "deal_size").

    Examples
    --------
    >>> snake("Company Country/Territory/Region"), snake("DEAL_SIZE")
    ('company_country_territory_region', 'deal_size')
    """
    import re

    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def match_headers(names: Iterable[str], spec: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map logical fields to header names, matching on :func:`snake` keys; absent fields are left out.

    Examples
    --------
    >>> match_headers(["DEAL_DATE", "Deal Size"], {"date": ("Deal Date",), "amount": ("Deal Size",),
    ...                                            "type": ("Deal Type",)})
    {'date': 'DEAL_DATE', 'amount': 'Deal Size'}
    """
    keys: dict[str, str] = {}
    for c in names:
        keys.setdefault(snake(c), c)
    out = {}
    for field_, alts in spec.items():
        for a in alts:
            hit = keys.get(snake(a))
            if hit is not None:
                out[field_] = hit
                break
    return out


def categorical_headers(spec: dict[str, tuple[str, ...]], fields: Iterable[str]) -> Callable[[list[str]], list[str]]:
    """For :func:`~fundgap.io._read.read_table`'s ``categorical=`` or ``columns=``: the headers
    of ``fields`` found in the file's header.

    Examples
    --------
    >>> categorical_headers({"date": ("Deal Date",), "id": ("Deal ID",)}, ["date"])(["Deal ID", "Deal Date"])
    ['Deal Date']
    """
    wanted = list(fields)

    def pick_headers(names: list[str]) -> list[str]:
        found = match_headers(names, {k: spec[k] for k in wanted if k in spec})
        return list(found.values())

    return pick_headers


def find_columns(raw: RawTable, spec: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map logical fields to headers, matching on :func:`snake` keys; absent fields are left out."""
    out = match_headers(raw.frame.columns, spec)
    from fundgap.io._read import check_duplicated

    check_duplicated(raw, out.values())
    return out


def read_provider(path: str, spec: dict[str, tuple[str, ...]], required, source: str, *,
                  header: Any, encoded: Iterable[str] = (), **options: Any):
    """The common start of a provider loader: read, map the columns, encode the label columns.

    Only the columns of ``spec`` are read (the rest of a wide export is skipped by the
    parser, listed in ``raw.skipped`` and in the notes); ``encoded`` fields are read as
    categoricals (CSV) and cleaned with :func:`encode`.

    Returns
    -------
    (raw, cols, rej, e)
        The :class:`RawTable`, logical field -> header, a :class:`Rejector` for its
        rows, and the encoded columns by field.
    """
    from fundgap.io._read import read_table

    encoded = tuple(encoded)
    if encoded:
        options.setdefault("categorical", categorical_headers(spec, encoded))
    options.setdefault("columns", categorical_headers(spec, spec))
    raw = read_table(path, header=header, **options)
    cols = map_columns(raw, spec, required, source)
    fields = [k for k in encoded if k in cols]
    e = dict(zip(fields, _threaded(lambda k: encode(raw.frame[cols[k]]), fields)))
    return raw, cols, Rejector(len(raw.frame)), e


def map_columns(raw: RawTable, spec: dict[str, tuple[str, ...]], required, source: str) -> dict[str, str]:
    """:func:`find_columns`, then raise :func:`missing_columns_error` if a ``required`` field is absent."""
    cols = find_columns(raw, spec)
    missing = [k for k in required if k not in cols]
    if missing:
        raise missing_columns_error(raw, source, missing, spec)
    return cols


def missing_columns_error(raw: RawTable, source: str, missing: list[str],
                          spec: dict[str, tuple[str, ...]]):
    """A :class:`MissingColumnError` naming the missing fields, their accepted headers and the columns seen."""
    from fundgap.errors import MissingColumnError

    wanted = [" or ".join(repr(a) for a in spec[m]) for m in missing]
    return MissingColumnError(
        f"{source} layout: missing required column(s) {wanted}; columns seen: "
        f"{raw.header[:40]}",
        file=raw.path, row=raw.header_row, column=spec[missing[0]][0],
        expected=[spec[m][0] for m in missing],
    )


def fund_type_from_labels(values: pd.Series) -> pd.Series:
    """Fund type (vc / growth / pe / other) from a provider's fund type / strategy / asset class label.

    Examples
    --------
    >>> fund_type_from_labels(pd.Series(["Venture Capital", "PE Growth/Expansion", "Buyout",
    ...                                  "Real Estate", "Early Stage: Start-up", None])).tolist()
    ['vc', 'growth', 'pe', 'other', 'vc', nan]
    """

    def f(u: pd.Series) -> pd.Series:
        low = u.astype(str).str.lower()
        out = np.select(
            [low.str.contains(r"real estate|infrastructure|debt|credit|natural resources|hedge|"
                              r"fund of funds|secondaries fund of|timber|energy", regex=True),
             low.str.contains(r"growth|expansion", regex=True),
             low.str.contains(r"venture|\bvc\b|seed|early|start-up|startup|accelerator|angel|late stage",
                              regex=True),
             low.str.contains(r"buyout|private equity|\bpe\b|lbo|mezzanine|secondar|turnaround|"
                              r"balanced|co-invest", regex=True)],
            ["other", "growth", "vc", "pe"], default="other")
        return pd.Series(out, dtype=object)

    return map_unique(clean(values), f)


def yes_flag(*columns: pd.Series | None, pattern: str) -> pd.Series:
    """True where any of the text columns matches ``pattern`` (case-insensitive); False otherwise."""
    cols = [c for c in columns if c is not None]
    out = None
    for c in cols:
        hit = map_unique(clean(c), lambda u: u.astype(str).str.lower().str.contains(pattern, regex=True))
        hit = hit.astype("boolean").fillna(False).astype(bool)
        out = hit if out is None else (out | hit)
    return out


def _cell_codes(base: pd.DataFrame, cols: list[str], pos: np.ndarray) -> dict[str, np.ndarray]:
    """Integer codes of the raw cells of rows ``pos``, per column: within a column, equal
    codes mean equal raw text (missing cells share code -1). For exact-duplicate tests.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["x", None, "x", None], "b": encode(pd.Series(["p", "q", "p", "q"]))})
    >>> {k: v.tolist() for k, v in _cell_codes(f, ["a", "b"], np.array([0, 1, 2])).items()}
    {'a': [0, -1, 0], 'b': [0, 1, 0]}
    """
    out: dict[str, np.ndarray] = {}
    strs = [c for c in cols if not isinstance(base[c].dtype, pd.CategoricalDtype)]
    taken = _take_rows(base[strs], pos) if strs else None
    for c in cols:
        if c in strs:
            arr = getattr(taken[c].array, "_pa_array", None)
            if arr is None:
                out[c] = pd.factorize(taken[c], use_na_sentinel=True)[0]
            else:  # (one Arrow hash over the few rows; pandas' is slow on many chunks)
                out[c] = _dictionary_codes(taken[c])[0]
        else:  # the raw labels' codes (a categorical as read holds distinct raw strings)
            out[c] = base[c].cat.codes.to_numpy()[pos]
    return out