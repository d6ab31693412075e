"""Helpers shared by the normalisation modules (not public API).

* :func:`reference` reads a table of ``fundgap/data/reference/`` once and caches it.
* :func:`map_unique` applies a function to the *unique* values of an array-like and
  broadcasts the result back, which is what keeps normalisation fast on files with
  millions of rows but few distinct labels.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError

STRING = pd.StringDtype("pyarrow")


@cache
def _read_reference(name: str) -> pd.DataFrame:
    path = resources.files("fundgap") / "data" / "reference" / name
    try:
        with resources.as_file(path) as p:
            return pd.read_csv(p, keep_default_na=False, na_values=[""], dtype_backend="numpy_nullable")
    except (OSError, pd.errors.ParserError) as exc:  # pragma: no cover - broken install
        raise FileFormatError(
            f"cannot read the shipped reference table {name!r} ({exc}); "
            "rebuild it with `python datasets/build_reference.py`",
            file=str(path),
        ) from exc


def reference(name: str) -> pd.DataFrame:
    """Return a copy of the shipped reference table ``name`` (e.g. ``"fx_ecb_annual.csv"``)."""
    return _read_reference(name).copy()


def as_series(values, name: str | None = None) -> pd.Series:
    """Return ``values`` as a Series (scalars become a length-1 Series), keeping its index."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.Index):
        return pd.Series(values, name=name)
    if np.isscalar(values) or values is None or values is pd.NA:
        return pd.Series([values], name=name)
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values, name=name)


def map_unique(values: pd.Series, func: Callable[[pd.Series], Any], dtype: Any = None) -> pd.Series:
    """Apply ``func`` to the distinct non-missing values once and broadcast the result.

    ``func`` receives a Series of the distinct values (index 0..k-1) and returns one
    result per value; the result is a Series on ``values``' index (in ``dtype`` if
    given), missing where the value is missing.

    Examples
    --------
    >>> map_unique(pd.Series(["a", "b", "a", None]), lambda u: u.str.upper()).tolist()
    ['A', 'B', 'A', nan]
    """
    s = pd.Series(values, copy=False)
    codes, uniques = pd.factorize(s)
    if len(uniques) == 0:  # nothing to map: all missing
        return pd.Series([pd.NA] * len(s), index=s.index, dtype=object if dtype is None else dtype)
    res = pd.Series(func(pd.Series(uniques, dtype=s.dtype))).reset_index(drop=True)
    if dtype is not None:
        res = res.astype(dtype)
    out = res.take(np.where(codes < 0, 0, codes)).reset_index(drop=True)
    out.index = s.index
    if (codes < 0).any():
        out = out.mask(pd.Series(codes < 0, index=s.index))
    return out


def codes_to_strings(codes: np.ndarray, categories, index: pd.Index, name: str | None = None) -> pd.Series:
    """Integer codes (-1 = missing) into ``categories`` -> pyarrow string Series, built in Arrow.

    Avoids creating one Python string per row: the strings are materialised by an
    Arrow dictionary cast. ``categories`` may be an Arrow string array (used as is).
    """
    import pyarrow as pa

    codes = np.asarray(codes, dtype=np.int32)
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes), type=pa.int32(), mask=mask)
    if isinstance(categories, pa.Array):
        cats = categories
    else:
        cats = pa.array([str(c) for c in categories], type=pa.string())
    if len(cats) == 0:
        cats = pa.array([""], type=pa.string())
    arr = pa.DictionaryArray.from_arrays(indices, cats).cast(pa.large_string())
    values = arr.to_pandas(types_mapper=lambda t: STRING).array
    return pd.Series(values, index=index, name=name, copy=False)


def objects_to_strings(values: np.ndarray, index: pd.Index, name: str | None = None) -> pd.Series:
    """Object array of str/None (few distinct values) -> pyarrow string Series, fast."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return codes_to_strings(codes, list(uniques), index, name)


def map_unique_codes(values: pd.Series, func: Callable[[pd.Series], pd.Series | np.ndarray]):
    """Like :func:`map_unique` but returns ``(codes, categories)``: integer codes per row
    (-1 = missing) into the distinct results, without building one object per row.

    A categorical input is mapped through its categories and codes (no hashing of rows).
    """
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cats = values.cat.categories
        codes = values.cat.codes.to_numpy()
        if len(cats) == 0:
            return np.full(len(values), -1, dtype=np.int64), []
        mapped = np.asarray(func(pd.Series(np.asarray(cats.astype(object)), dtype=object)),
                            dtype=object)
        res_codes, res_cats = pd.factorize(pd.Series(mapped, dtype=object), use_na_sentinel=True)
        return np.append(res_codes, -1)[codes], list(res_cats)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        return np.full(len(values), -1, dtype=np.int64), []
    mapped = np.asarray(func(pd.Series(uniques, dtype=object)), dtype=object)
    res_codes, res_cats = pd.factorize(pd.Series(mapped, dtype=object), use_na_sentinel=True)
    res_codes = np.append(res_codes, -1)  # position -1 (missing input) -> -1
    return res_codes[codes], list(res_cats)


def map_unique_to_strings(values: pd.Series, func, name: str | None = None) -> pd.Series:
    """Map unique values with ``func``; return a pyarrow string Series on ``values.index``."""
    codes, cats = map_unique_codes(values, func)
    return codes_to_strings(codes, cats, values.index, name)


def map_unique_to_categorical(values: pd.Series, func, dtype: pd.CategoricalDtype,
                              name: str | None = None) -> pd.Series:
    """Map unique values with ``func`` to categories of ``dtype`` (others -> NA)."""
    codes, cats = map_unique_codes(values, func)
    pos = {c: i for i, c in enumerate(dtype.categories)}
    lut = np.array([pos.get(c, -1) for c in cats] + [-1], dtype=np.int64)
    final = lut[codes]  # codes == -1 picks the trailing -1
    cat = pd.Categorical.from_codes(final, dtype=dtype)
    return pd.Series(cat, index=values.index, name=name)
