"""Dealroom company export with packed rounds (``source="dealroom"``).

One row per company; its rounds are packed in parallel semicolon-separated
columns ``EACH ROUND TYPE / AMOUNT / CURRENCY / DATE / INVESTORS`` (upper-case
export) or ``Each round type ...`` (Sentence-case export, with metadata rows
above the header, which are skipped). Amounts are millions of the round's
currency, ``n/a`` = undisclosed; dates are month precision (``jan/2024`` -> 1
January 2024); investors within a round are separated by ``++``.

Accounting: the loader unpacks to one record per round, so ``n_input`` counts
rounds, not file rows. A company row whose packed columns have different
numbers of elements cannot be unpacked safely: it is one rejected record
("packed round columns have different lengths"). A company row with no rounds
is one rejected record ("company lists no rounds"). Every rejected round keeps
the company's file row in ``source_row``.

Every round of a company gets the company's ``modality``
(:func:`fundgap.normalise.modality.modality_of`), read from ``INDUSTRIES``, ``SUB INDUSTRIES``,
``TAGS``, ``TAGLINE`` and ``LONG DESCRIPTION`` (either capitalisation); the tags, tagline
and description are kept beside it.

Examples
--------
>>> from fundgap.io.dealroom import LAYOUT
>>> LAYOUT.sniffer()(["NAME", "HQ COUNTRY", "EACH ROUND TYPE", "EACH ROUND AMOUNT", "EACH ROUND DATE"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, arrow_strings, chunk_take, clean
from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader
from fundgap.io._records import Records, Repeated

__all__ = ["COLUMNS", "LAYOUT", "PACKED"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("NAME", "Name", "Company name"),
    "company_id": ("PROFILE URL", "Dealroom URL", "Dealroom id", "ID"),
    "country": ("HQ COUNTRY", "HQ Country", "Country"),
    "city": ("HQ CITY", "HQ City"),
    "industries": ("INDUSTRIES", "Industries"),
    "sub_industries": ("SUB INDUSTRIES", "Sub industries", "Sub-industries"),
    "tags": ("TAGS", "Tags", "All tags"),
    "tagline": ("TAGLINE", "Tagline"),
    "description": ("LONG DESCRIPTION", "Long description", "Description"),
    "stage": ("EACH ROUND TYPE", "Each round type"),
    "amount": ("EACH ROUND AMOUNT", "Each round amount"),
    "currency": ("EACH ROUND CURRENCY", "Each round currency"),
    "date": ("EACH ROUND DATE", "Each round date"),
    "investors": ("EACH ROUND INVESTORS", "Each round investors"),
}
#: The packed parallel columns.
PACKED: tuple[str, ...] = ("stage", "amount", "currency", "date", "investors")


def _unpack(f: Fields) -> None:
    """One record per round: the packed columns split on ``;``; a company row whose packed
    columns differ in length, or that lists no rounds, is one rejected record.

    Columnar: each packed column is split once by Arrow and its elements taken once; the
    company's raw cells are not repeated for its rounds (:class:`~fundgap.io._records.Records`
    holds them once per company row and takes them where needed). The records are the rounds
    of the company rows that unpack (in file order), then the company rows that do not."""
    import pyarrow.compute as pc

    frame = f.frame
    packed = f.present(*PACKED)
    lists = {k: pc.split_pattern(arrow_strings(f.text(k)), ";") for k in packed}
    lens = {k: pc.fill_null(pc.list_value_length(v), 0).to_numpy(zero_copy_only=False)
            .astype(np.int64) for k, v in lists.items()}
    stacked = np.stack(list(lens.values()))
    n_rounds = stacked.max(axis=0)
    low = np.where(stacked > 0, stacked, np.iinfo(np.int64).max).min(axis=0)
    empty = n_rounds == 0
    inconsistent = ~empty & (low != n_rounds)
    bad = inconsistent | empty
    ok_pos, bad_pos = np.flatnonzero(~bad), np.flatnonzero(bad)
    n_ok = n_rounds[ok_pos]
    parent = np.repeat(ok_pos, n_ok)
    round_no = np.arange(len(parent)) - np.repeat(np.cumsum(n_ok) - n_ok, n_ok) + 1
    rows = np.concatenate([f.rows[parent], f.rows[bad_pos]])
    records = np.concatenate([parent, bad_pos])
    index = pd.RangeIndex(len(records))
    prefix = _id_prefix(f)
    own = pd.DataFrame({"__source_row": rows}, index=index)
    elements = {k: _elements(lists[k], lens[k], parent, round_no, len(bad_pos), index)
                for k in packed}
    for k in packed:
        own[f"round_{_name(k)}"] = elements[k]
    n_bad = len(bad_pos)
    reasons = np.r_[np.full(len(parent), None, dtype=object),
                    _reasons(lens, inconsistent[bad_pos], bad_pos)]
    # the company's cells are not repeated for its rounds: Records takes them where needed
    f.unpack(Records(frame, records, own), rows, len(records) + len(f.table.bad_rows))
    f.reject(np.r_[np.zeros(len(parent), bool), np.ones(n_bad, bool)], reasons, "stage",
             _at_end(frame[f.header("stage")], bad_pos, len(parent)) if "stage" in f else None)
    for k in packed:
        f.set(k, elements[k])
    if "investors" in packed:  # (investors within a round are separated by ++)
        f.set("investors", f.raw("investors").str.replace("++", ", ", regex=False))
    f.set("round_id", _round_ids(prefix, records, np.r_[round_no, np.zeros(n_bad, np.int64)],
                                 index))
    if n_bad:
        f.note(f"{int(inconsistent.sum())} company row(s) with inconsistent packed columns and "
               f"{int(empty.sum())} without rounds: one rejected record each")
    f.note(f"unpacked {len(parent)} round(s) from {len(ok_pos)} company row(s); n_input "
           "counts rounds (plus one record per company row that could not be unpacked)")


def _id_prefix(f: Fields) -> pd.Series:
    """The company part of the round ids, once per company row: ``dealroom:<id>:``, the id
    being the profile URL (else the name, else ``row <file row>``)."""
    cid = f.text("company_id") if "company_id" in f else f.text("company")
    missing = cid.isna().to_numpy()
    if missing.any():
        cid = cid.fillna(pd.Series([f"row{r}" for r in f.rows[missing]],
                                   index=cid.index[missing], dtype=STR))
    import pyarrow as pa
    import pyarrow.compute as pc

    large = pa.large_string()
    joined = pc.binary_join_element_wise(pa.scalar("dealroom:", large),
                                         arrow_strings(cid).cast(large), pa.scalar(":", large),
                                         pa.scalar("", large))
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=cid.index, copy=False)


def _round_ids(prefix: pd.Series, records: np.ndarray, number: np.ndarray,
               index: pd.Index) -> pd.Series:
    """``prefix`` of each record's company row, then its round number (Arrow: the numbers
    are few distinct texts)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array([str(i) for i in range(int(number.max(initial=0)) + 1)], pa.large_string())
    head = arrow_strings(Repeated(prefix, records, index).full())
    ids = pc.binary_join_element_wise(head.cast(pa.large_string()), texts.take(pa.array(number)),
                                      pa.scalar("", pa.large_string()))
    return pd.Series(pd.arrays.ArrowStringArray(ids), index=index, copy=False)


def _at_end(values: pd.Series, pos: np.ndarray, n_before: int) -> pd.Series:
    """``n_before`` missing values, then the values at ``pos`` (the raw cells the rejects of
    the company rows that do not unpack show)."""
    import pyarrow as pa

    arr = arrow_strings(values)
    taken = chunk_take(arr, pos)
    chunks = [pa.nulls(n_before, arr.type),
              *(taken.chunks if isinstance(taken, pa.ChunkedArray) else [taken])]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=arr.type)),
                     copy=False)


def _name(field: str) -> str:
    return "type" if field == "stage" else field


def _reasons(lens: dict[str, np.ndarray], inconsistent: np.ndarray,
             bad_pos: np.ndarray) -> np.ndarray:
    """The reason of each company row that does not unpack (``bad_pos``)."""
    reason = np.full(len(bad_pos), "company lists no rounds", dtype=object)
    if inconsistent.any():
        at = bad_pos[inconsistent]
        reason[inconsistent] = [
            "packed round columns have different lengths ("
            + ", ".join(f"{_name(k)} {n[i]}" for k, n in lens.items()) + ")" for i in at]
    return reason


def _elements(lists: Any, lens: np.ndarray, parent: np.ndarray, round_no: np.ndarray,
              n_bad: int, index: pd.Index) -> pd.Series:
    """The cleaned elements of one packed column, one per round (missing where the company
    left the column empty), then ``n_bad`` missing values: one take from the elements of
    every company row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    flat = pc.list_flatten(lists)
    if isinstance(flat, pa.ChunkedArray):
        flat = flat.combine_chunks()
    start = np.cumsum(lens) - lens  # (where each company row's elements start)
    at = np.r_[start[parent] + round_no - 1, np.zeros(n_bad, np.int64)]
    missing = np.r_[lens[parent] == 0, np.ones(n_bad, bool)]
    out = flat.take(pa.array(at, mask=missing) if missing.any() else pa.array(at))
    return clean(pd.Series(pd.arrays.ArrowStringArray(out.cast(pa.large_string())), index=index,
                           copy=False))


LAYOUT = Layout(
    "dealroom",
    columns=COLUMNS,
    required=("company", "stage", "amount", "date"),
    stages="dealroom",
    prepare=_unpack,
    biotech=("industries", "sub_industries"),
    sector=("industries",),
    modality=("industries", "sub_industries", "tags", "tagline", "description"),
    keep={"investors": "investors", "company_id": "company_id", "modality": "modality",
          "tags": "tags", "tagline": "tagline", "description": "description"},
    labels=(),
    sniff=("EACH ROUND TYPE", "EACH ROUND AMOUNT"),
    description="Dealroom company export with packed rounds (EACH ROUND ... / Each round ...)",
)
register_loader(LAYOUT)
