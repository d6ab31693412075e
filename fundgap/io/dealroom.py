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
>>> from fundgap.io.dealroom import sniff
>>> sniff(["NAME", "HQ COUNTRY", "EACH ROUND TYPE", "EACH ROUND AMOUNT", "EACH ROUND DATE"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import clean
from fundgap.io._headers import map_columns, snake
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.io._rounds import RoundsSpec, build_rounds
from fundgap.loaded import Loaded

__all__ = ["COLUMNS", "PACKED", "read", "sniff"]

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
    "type": ("EACH ROUND TYPE", "Each round type"),
    "amount": ("EACH ROUND AMOUNT", "Each round amount"),
    "currency": ("EACH ROUND CURRENCY", "Each round currency"),
    "date": ("EACH ROUND DATE", "Each round date"),
    "investors": ("EACH ROUND INVESTORS", "Each round investors"),
}
#: The packed parallel columns.
PACKED: tuple[str, ...] = ("type", "amount", "currency", "date", "investors")
_REQUIRED = ("company", "type", "amount", "date")


def sniff(columns: list[str]) -> bool:
    """True for a Dealroom company export with packed rounds (either capitalisation)."""
    keys = {snake(c) for c in columns}
    return {"each_round_type", "each_round_amount"} <= keys


def _count(s: pd.Series) -> pd.Series:
    n = s.str.count(";") + 1
    return n.where(s.notna(), 0).astype("int64")


def _modality(frame: pd.DataFrame, cols: dict[str, str]) -> dict[str, pd.Series]:
    """The modality of each round from its company's words, and the words the output lacks."""
    from fundgap.normalise.modality import modality_of

    words = [k for k in ("industries", "sub_industries", "tags", "tagline", "description") if k in cols]
    if not words:
        return {}
    text = {k: clean(frame[cols[k]]) for k in words}
    kept = {k: text[k] for k in ("tags", "tagline", "description") if k in text}
    return {"modality": modality_of(*text.values()), **kept}


def read(path: str, *, today: Any = None, **options: Any) -> Loaded:
    """Read a Dealroom export and unpack its rounds (see the module docstring).

    Parameters
    ----------
    path : str
    today : date-like, optional
    **options
        Reading options (encoding, delimiter, sheet_name ...).

    Returns
    -------
    Loaded
    """
    from fundgap.normalise import is_biotech, map_stage

    raw = read_table(path, header=sniff, **options)
    cols = map_columns(raw, COLUMNS, _REQUIRED, "dealroom")
    f = raw.frame
    notes = raw.notes
    packed = [k for k in PACKED if k in cols]
    vals = {k: clean(f[cols[k]]) for k in packed}
    lens = pd.DataFrame({k: _count(v) for k, v in vals.items()})
    n_rounds = lens.max(axis=1)
    nonzero = lens.where(lens > 0)
    consistent = (nonzero.min(axis=1) == nonzero.max(axis=1)) | (n_rounds == 0)
    empty = n_rounds == 0

    # company-level rejects: one record each
    comp_bad = (~consistent) | empty
    reason_c = pd.Series("company lists no rounds", index=f.index, dtype=object)
    incons = ~consistent
    if incons.any():
        txt = None
        for k in packed:
            part = f"{k} " + lens.loc[incons, k].astype(str)
            txt = part if txt is None else txt + ", " + part
        reason_c[incons] = "packed round columns have different lengths (" + txt + ")"
    # unpack the consistent rows
    ok = ~comp_bad
    sub = f.loc[ok].copy()
    sub["__source_row"] = raw.source_row[ok.to_numpy()]
    n_ok = n_rounds[ok]
    for k in packed:
        v = vals[k][ok]
        filler = n_ok.map({n: ";" * (n - 1) for n in n_ok.unique()})
        sub[f"__{k}"] = v.fillna(filler).astype(str).str.split(";")
    sub = sub.explode([f"__{k}" for k in packed], ignore_index=True)
    for k in packed:
        sub[f"__{k}"] = clean(sub[f"__{k}"].astype(object).where(sub[f"__{k}"].notna(), None))
    sub["__round_no"] = sub.groupby("__source_row").cumcount() + 1
    # company-level reject records appended after the rounds
    badc = f.loc[comp_bad].copy()
    badc["__source_row"] = raw.source_row[comp_bad.to_numpy()]
    badc["__round_no"] = 0
    frame = pd.concat([sub, badc], ignore_index=True)
    rej = Rejector(len(frame))
    is_bad_company = np.r_[np.zeros(len(sub), bool), np.ones(len(badc), bool)]
    rej.flag(is_bad_company,
             np.r_[np.full(len(sub), None, dtype=object), reason_c[comp_bad].to_numpy()],
             cols["type"], frame[cols["type"]])
    if comp_bad.any():
        notes.append(f"{int((~consistent).sum())} company row(s) with inconsistent packed columns and "
                     f"{int(empty.sum())} without rounds: one rejected record each")
    notes.append(f"unpacked {len(sub)} round(s) from {int(ok.sum())} company row(s); n_input "
                 "counts rounds (plus one record per company row that could not be unpacked)")

    get = lambda k: frame[f"__{k}"] if f"__{k}" in frame.columns else None  # noqa: E731
    stage_raw = get("type")
    stage = pd.Series(np.asarray(map_stage(stage_raw.fillna(pd.NA) if stage_raw is not None else stage_raw,
                                           "dealroom"), dtype=object), index=frame.index)
    unmapped = stage.isna() & stage_raw.notna()
    if unmapped.any():
        notes.append(f"{int(unmapped.sum())} round(s) with a type not in the crosswalk -> venture_unknown "
                     f"(e.g. {sorted(set(stage_raw[unmapped].astype(str)))[:5]})")
    stage = stage.where(stage.notna(), "venture_unknown")
    texts = [clean(frame[cols[k]]) for k in ("industries", "sub_industries") if k in cols]
    bio = (pd.Series(np.asarray(is_biotech(*texts), dtype=object), index=frame.index).fillna(False).astype(bool)
           if texts else pd.Series(pd.NA, index=frame.index, dtype="boolean"))
    cid = clean(frame[cols["company_id"]]) if "company_id" in cols else clean(frame[cols["company"]])
    round_id = ("dealroom:" + cid.fillna("row" + frame["__source_row"].astype(str)) + ":"
                + frame["__round_no"].astype(str))
    extra = {}
    if "investors" in packed:
        extra["investors"] = get("investors").str.replace("++", ", ", regex=False)
    if "company_id" in cols:
        extra["company_id"] = clean(frame[cols["company_id"]])
    extra.update(_modality(frame, cols))
    raw_cols = [c for c in frame.columns if not c.startswith("__")]
    rej_frame = frame[raw_cols + ["__source_row"]].copy()
    for k in packed:
        rej_frame[f"round_{k}"] = get(k)
    return build_rounds(RoundsSpec(
        table=raw, rejector=rej, source="dealroom", company=frame[cols["company"]],
        date=get("date"), amount=get("amount"),
        currency=get("currency") if "currency" in packed else None,
        headers={"company": cols["company"], "date": cols["date"], "amount": cols["amount"],
                 "currency": cols.get("currency"), "country": cols.get("country")},
        country=frame[cols["country"]] if "country" in cols else None,
        stage=stage, stage_raw=stage_raw, is_biotech=bio,
        sector=texts[0] if texts else None, round_id=round_id, extra=extra, today=today,
        frame=rej_frame, rows=frame["__source_row"].to_numpy(),
        n_input=len(frame) + len(raw.bad_rows)))


register("dealroom", "rounds", read, sniff,
         "Dealroom company export with packed rounds (EACH ROUND ... / Each round ...)")
