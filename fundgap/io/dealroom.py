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

import numpy as np
import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader

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


def _count(s: pd.Series) -> pd.Series:
    n = s.str.count(";") + 1
    return n.where(s.notna(), 0).astype("int64")


def _unpack(f: Fields) -> None:
    """One record per round: the packed columns split on ``;``; a company row whose packed
    columns differ in length, or that lists no rounds, is one rejected record."""
    frame = f.frame
    packed = f.present(*PACKED)
    vals = {k: f.text(k) for k in packed}
    lens = pd.DataFrame({k: _count(v) for k, v in vals.items()})
    n_rounds = lens.max(axis=1)
    nonzero = lens.where(lens > 0)
    consistent = (nonzero.min(axis=1) == nonzero.max(axis=1)) | (n_rounds == 0)
    empty = n_rounds == 0
    bad = (~consistent) | empty
    reason = pd.Series("company lists no rounds", index=frame.index, dtype=object)
    if (~consistent).any():
        txt = None
        for k in packed:
            part = f"{_name(k)} " + lens.loc[~consistent, k].astype(str)
            txt = part if txt is None else txt + ", " + part
        reason[~consistent] = "packed round columns have different lengths (" + txt + ")"
    rounds = _rounds(frame, f.rows, vals, n_rounds, ~bad)
    companies = frame.loc[bad].copy()
    companies["__source_row"] = f.rows[bad.to_numpy()]
    companies["__round_no"] = 0
    records = pd.concat([rounds, companies], ignore_index=True)
    is_bad = np.r_[np.zeros(len(rounds), bool), np.ones(len(companies), bool)]
    reasons = np.r_[np.full(len(rounds), None, dtype=object), reason[bad].to_numpy()]
    raw_cols = [c for c in records.columns if not c.startswith("__")]
    shown = records[[*raw_cols, "__source_row"]].copy()
    for k in packed:
        shown[f"round_{_name(k)}"] = records[f"__{k}"]
    f.unpack(shown, records["__source_row"].to_numpy(), len(records) + len(f.table.bad_rows))
    f.reject(is_bad, reasons, "stage")
    for k in packed:
        f.set(k, records[f"__{k}"])
    if "investors" in packed:  # (investors within a round are separated by ++)
        f.set("investors", f.raw("investors").str.replace("++", ", ", regex=False))
    cid = f.text("company_id") if "company_id" in f else f.text("company")
    f.set("round_id", "dealroom:" + cid.fillna("row" + records["__source_row"].astype(str))
          + ":" + records["__round_no"].astype(str))
    if bad.any():
        f.note(f"{int((~consistent).sum())} company row(s) with inconsistent packed columns and "
               f"{int(empty.sum())} without rounds: one rejected record each")
    f.note(f"unpacked {len(rounds)} round(s) from {int((~bad).sum())} company row(s); n_input "
           "counts rounds (plus one record per company row that could not be unpacked)")


def _name(field: str) -> str:
    return "type" if field == "stage" else field


def _rounds(frame: pd.DataFrame, rows: np.ndarray, vals: dict[str, pd.Series],
            n_rounds: pd.Series, ok: pd.Series) -> pd.DataFrame:
    """The company rows that unpack, one row per round (``__<field>`` holds its values)."""
    sub = frame.loc[ok].copy()
    sub["__source_row"] = rows[ok.to_numpy()]
    n_ok = n_rounds[ok]
    for k, v in vals.items():
        filler = n_ok.map({n: ";" * (n - 1) for n in n_ok.unique()})
        sub[f"__{k}"] = v[ok].fillna(filler).astype(str).str.split(";")
    sub = sub.explode([f"__{k}" for k in vals], ignore_index=True)
    for k in vals:
        sub[f"__{k}"] = Fields.clean(sub[f"__{k}"].astype(object).where(sub[f"__{k}"].notna(), None))
    sub["__round_no"] = sub.groupby("__source_row").cumcount() + 1
    return sub


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
