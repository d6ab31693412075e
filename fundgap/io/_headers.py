"""The one header matcher: logical fields to a file's headers, case- and punctuation-insensitively.

A field is found when one of its accepted headers has the same :func:`snake` key as a
header of the file ("Deal Size", "DEAL_SIZE" and "deal size" are one key). Every
loader maps its columns with :func:`map_columns`, which raises a
:class:`~fundgap.errors.MissingColumnError` naming every required field that is
absent, its accepted headers and the columns seen.

Examples
--------
>>> match_headers(["DEAL_DATE", "Deal Size"], {"date": ("Deal Date",), "amount": ("Deal Size",),
...                                            "type": ("Deal Type",)})
{'date': 'DEAL_DATE', 'amount': 'Deal Size'}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from fundgap.errors import FileFormatError, MissingColumnError
from fundgap.io._table import RawTable

__all__ = ["check_duplicated", "headers_of", "map_columns", "match_headers", "snake"]

Spec = Mapping[str, Sequence[str]]


def snake(name: str) -> str:
    """Header key: lower case, non-alphanumerics to ``_`` ("Deal Size" and "DEAL_SIZE" -> "deal_size").

    Examples
    --------
    >>> snake("Company Country/Territory/Region"), snake("DEAL_SIZE")
    ('company_country_territory_region', 'deal_size')
    """
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def match_headers(names: Iterable[str], spec: Spec) -> dict[str, str]:
    """Map logical fields to header names, matching on :func:`snake` keys; absent fields are
    left out. Among headers with the same key the first is used; among a field's accepted
    headers the first found."""
    keys: dict[str, str] = {}
    for c in names:
        keys.setdefault(snake(c), c)
    out = {}
    for field_, alts in spec.items():
        hit = next((keys[k] for k in map(snake, alts) if k in keys), None)
        if hit is not None:
            out[field_] = hit
    return out


def headers_of(spec: Spec, fields: Iterable[str]) -> Callable[[list[str]], list[str]]:
    """For :func:`~fundgap.io._read.read_table`'s ``categorical=`` or ``columns=``: a function
    giving the headers of ``fields`` found in a file's header.

    Examples
    --------
    >>> headers_of({"date": ("Deal Date",), "id": ("Deal ID",)}, ["date"])(["Deal ID", "Deal Date"])
    ['Deal Date']
    """
    wanted = {k: spec[k] for k in fields if k in spec}
    return lambda names: list(match_headers(names, wanted).values())


def map_columns(raw: RawTable, spec: Spec, required: Iterable[str], source: str) -> dict[str, str]:
    """Logical field -> header of ``raw`` (:func:`match_headers`); a used header that appears
    twice with different contents raises (:func:`check_duplicated`).

    Raises
    ------
    MissingColumnError
        If a ``required`` field is absent: names them with their accepted headers, the
        file, the header row and the columns seen.
    FileFormatError
        If a used column is duplicated in the header with different contents.
    """
    cols = match_headers(raw.frame.columns, spec)
    missing = [k for k in required if k not in cols]
    if missing:
        wanted = "; ".join(" or ".join(repr(a) for a in spec[m]) for m in missing)
        raise MissingColumnError(
            f"{source} layout: missing required column(s) {wanted}; columns seen: "
            f"{raw.header[:40]}",
            file=raw.path, row=raw.header_row, column=spec[missing[0]][0],
            expected=[spec[m][0] for m in missing],
        )
    check_duplicated(raw, cols.values())
    return cols


def check_duplicated(raw: RawTable, used: Iterable[str]) -> None:
    """Raise if a column the loader uses appears twice in the header with different contents.

    Raises
    ------
    FileFormatError
        Naming the column, the first row where the copies differ and both values.
    """
    for col in dict.fromkeys(used):
        for other in raw.duplicated.get(col, []):
            a, b = raw.frame[col].astype(object), raw.frame[other].astype(object)
            differ = (a.fillna("\x00") != b.fillna("\x00")).to_numpy(dtype=bool)
            if differ.any():
                i = int(np.argmax(differ))
                raise FileFormatError(
                    f"column {col!r} appears twice in the header with different values; "
                    "rename or delete one of them",
                    file=raw.path, row=int(raw.source_row[i]), column=col,
                    value=f"{a.iloc[i]!r} vs {b.iloc[i]!r}",
                )
            raw.notes.append(f"duplicated column {col!r} holds identical values; first used")
