"""The common start of a provider loader: read the columns it maps, encode its labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fundgap.io._columnar import encode
from fundgap.io._headers import headers_of, map_columns
from fundgap.io._read import read_table
from fundgap.io._rejects import Rejector
from fundgap.io._table import RawTable
from fundgap.io._threads import threaded

__all__ = ["read_provider"]


def read_provider(path: str, spec: Mapping[str, Sequence[str]], required: Iterable[str],
                  source: str, *, header: Any, encoded: Iterable[str] = (), only_mapped: bool = True,
                  **options: Any) -> tuple[RawTable, dict[str, str], Rejector, dict]:
    """Read, map the columns, encode the label columns.

    Only the columns of ``spec`` are read with ``only_mapped`` (the rest of a wide
    export is skipped by the parser, listed in ``raw.skipped`` and in the notes);
    ``encoded`` fields are read as categoricals (CSV) and cleaned with :func:`encode`.

    Returns
    -------
    (raw, cols, rej, e)
        The :class:`RawTable`, logical field -> header, a :class:`Rejector` for its
        rows, and the encoded columns by field.
    """
    encoded = tuple(encoded)
    if encoded:
        options.setdefault("categorical", headers_of(spec, encoded))
    if only_mapped:
        options.setdefault("columns", headers_of(spec, spec))
    raw = read_table(path, header=header, **options)
    cols = map_columns(raw, spec, required, source)
    fields = [k for k in encoded if k in cols]
    e = dict(zip(fields, threaded(lambda k: encode(raw.frame[cols[k]]), fields), strict=True))
    return raw, cols, Rejector(len(raw.frame)), e
