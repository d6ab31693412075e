"""PitchBook deal export (``source="pitchbook"``), XLSX or CSV, and the UPPER_SNAKE data-feed variant.

Layout: about six banner rows above the header (found, not counted); columns
``Deal ID, Companies, Deal Date, Deal Size, Deal Status, Deal Type, Series,
Company Country/Territory/Region, Primary Industry Sector, Primary Industry Group,
Verticals, Investors ...``; the feed variant spells them ``DEAL_ID, COMPANY_NAME,
DEAL_DATE, DEAL_SIZE ...`` (headers are matched case- and punctuation-insensitively).

Rules:

* ``Deal Size`` is USD millions at PitchBook's conversion, with thousands
  commas; empty = undisclosed (kept); currency USD, ``amount_usd`` = the size;
* only ``Deal Status == Completed`` counts: other statuses (announced, in
  progress, failed, cancelled, rumoured) and empty statuses are rejected with
  the status as the reason (a file without the column keeps every row, noted);
* stage: ``Series`` (crosswalk ``pitchbook_series``) wins when the deal type is a
  venture type or empty; otherwise ``Deal Type`` (``pitchbook_deal_type``):
  grants, debt, IPO, buyouts stay non-VC even if a series is filled. A VC deal
  type with no series is ``early_unspecified``/``later_unspecified``; an
  unmapped label is ``venture_unknown`` (counted in the notes);
* country from the country *name* (``Company Country/Territory/Region``);
* ``is_biotech`` from ``Primary Industry Sector``, ``Primary Industry Group`` and
  ``Verticals``; ``modality`` (:func:`fundgap.normalise.modality.modality_of`) from those and
  ``Keywords`` and ``Description``, which are kept beside it (``keywords``, ``description``);
* rejected: unparseable/negative/absurd sizes, missing/future dates, unknown
  countries, duplicates (same Deal ID, exact duplicate rows, or same company +
  date + size).

Examples
--------
>>> from fundgap.io.pitchbook import sniff
>>> sniff(["Deal ID", "Companies", "Deal Date", "Deal Size", "Deal Type"])
True
>>> sniff(["DEAL_ID", "COMPANY_NAME", "DEAL_DATE", "DEAL_SIZE", "DEAL_TYPE"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import join_labels, no_labels, pick
from fundgap.io._headers import snake
from fundgap.io._pipeline import read_provider
from fundgap.io._registry import register
from fundgap.io._rounds import RoundsSpec, build_rounds, ids_in_background
from fundgap.io._threads import concurrently as _concurrently
from fundgap.loaded import Loaded

__all__ = ["COLUMNS", "read", "sniff"]

#: Logical field -> accepted headers (desktop export first, then feed variants). Only these
#: columns are read; the rest of the export (Announced Date, Deal Type 2/3, Keywords,
#: valuations ...) is skipped and named in the notes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "deal_id": ("Deal ID", "DEAL_ID"),
    "company": ("Companies", "Company Name", "Company", "COMPANY_NAME"),
    "company_id": ("Company ID", "COMPANY_ID"),
    "date": ("Deal Date", "DEAL_DATE"),
    "amount": ("Deal Size", "Deal Size (USD M)", "Deal Size (USD Mn)", "DEAL_SIZE", "DEAL_SIZE_USD"),
    "amount_status": ("Deal Size Status", "DEAL_SIZE_STATUS"),
    "deal_type": ("Deal Type", "Deal Type 1", "DEAL_TYPE", "DEAL_TYPE_1"),
    "vc_round": ("VC Round", "VC_ROUND"),
    "series": ("Series", "SERIES"),
    "sector": ("Primary Industry Sector", "PRIMARY_INDUSTRY_SECTOR"),
    "group": ("Primary Industry Group", "PRIMARY_INDUSTRY_GROUP"),
    "verticals": ("Verticals", "VERTICALS"),
    "keywords": ("Keywords", "KEYWORDS"),
    "description": ("Description", "Company Description", "DESCRIPTION", "COMPANY_DESCRIPTION"),
    "status": ("Deal Status", "DEAL_STATUS"),
    "country": ("Company Country/Territory/Region", "Company Country/Territory", "Company Country",
                "HQ Country", "COMPANY_COUNTRY", "HQ_COUNTRY", "COMPANY_COUNTRY_TERRITORY_REGION"),
    "investors": ("Investors", "INVESTORS"),
    "lead_investors": ("Lead/Sole Investors", "LEAD_SOLE_INVESTORS", "LEAD_INVESTORS"),
}
_REQUIRED = ("company", "date", "amount")
_VC_GROUPS = {"seed", "early", "later", "unknown"}


def sniff(columns: list[str]) -> bool:
    """True for a PitchBook deals header (desktop export or UPPER_SNAKE feed)."""
    keys = {snake(c) for c in columns}
    has_id = "deal_id" in keys
    has_deal = bool(keys & {"deal_size", "deal_size_usd", "deal_size_usd_m"}) or "deal_date" in keys
    has_type = bool(keys & {"deal_type", "deal_type_1", "deal_status"})
    return has_id and has_deal and has_type


def _stage(e: dict[str, pd.Series], idx: pd.Index, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Canonical stage and the raw label it came from, from the encoded Deal Type and Series."""
    from fundgap.normalise import map_stage, stage_group_of

    na = no_labels(idx)
    dtype_raw = e.get("deal_type", na)
    series_raw = e.get("series", na)
    # categoricals throughout: the crosswalks run on the distinct labels only
    by_type = map_stage(dtype_raw, "pitchbook_deal_type")
    by_series = map_stage(series_raw, "pitchbook_series")
    type_group = stage_group_of(by_type)
    # per category, then broadcast (code -1, no stage, picks the appended False)
    is_vc = np.array([g in _VC_GROUPS for g in type_group.cat.categories] + [False])
    venture_type = is_vc[type_group.cat.codes.to_numpy()] | (dtype_raw.cat.codes.to_numpy() < 0)
    use_series = by_series.notna().to_numpy() & venture_type
    stage = pd.Series(pd.Categorical.from_codes(
        np.where(use_series, by_series.cat.codes.to_numpy(), by_type.cat.codes.to_numpy()),
        dtype=by_type.dtype), index=idx)
    unmapped = stage.isna().to_numpy() & (dtype_raw.notna().to_numpy() | series_raw.notna().to_numpy())
    if unmapped.any():
        labels = sorted(set(dtype_raw[unmapped].dropna().astype(str)))[:8]
        notes.append(f"{int(unmapped.sum())} row(s) with a deal type/series not in the crosswalk "
                     f"-> venture_unknown (e.g. {labels})")
    stage = stage.fillna("venture_unknown")
    stage_raw = pick(use_series, series_raw, dtype_raw)
    return stage, stage_raw


#: Fields read as categoricals (few distinct labels; parsed once per label). ``Deal Size``
#: is not: a million deals hold hundreds of thousands of distinct sizes, which pyarrow would
#: hash block by block while parsing (0.4 s of CPU); they are hashed once, after the read.
_ENCODED = ("date", "amount_status", "deal_type", "vc_round", "series",
            "sector", "group", "verticals", "status", "country", "keywords", "description")


def read(path: str, *, today: Any = None, dayfirst: bool = False, **options: Any) -> Loaded:
    """Read a PitchBook deals export (see the module docstring for the rules).

    Parameters
    ----------
    path : str
    today : date-like, optional
        Cut-off for "date in the future".
    dayfirst : bool, default False
        Read ``03/04/2021`` as 3 April (PitchBook's US format is month first).
    **options
        Reading options (encoding, delimiter, sheet_name ...).

    Returns
    -------
    Loaded
    """
    from fundgap.normalise import is_biotech
    from fundgap.normalise.modality import modality_of

    raw, cols, rej, e = read_provider(path, COLUMNS, _REQUIRED, "pitchbook", header=sniff,
                                      encoded=_ENCODED, **options)
    f = raw.frame
    idx = f.index
    notes = raw.notes
    ids = ids_in_background(f[cols["deal_id"]] if "deal_id" in cols else None, idx)
    if "status" in cols:
        status = e["status"]
        codes = status.cat.codes.to_numpy()
        # one flag per distinct status other than Completed (an empty status included)
        for code, label in [*enumerate(status.cat.categories), (-1, "(empty)")]:
            if str(label).lower() != "completed":
                rej.flag(codes == code, f"deal status not completed: {label}", cols["status"],
                         f[cols["status"]])
    else:
        notes.append("no Deal Status column: every deal treated as completed")
    texts = [e[k] for k in ("sector", "group", "verticals") if k in cols]
    words = [e[k] for k in ("sector", "group", "verticals", "keywords", "description") if k in cols]
    # stage, biotech flag, sector text and modality are independent: two threads
    (stage, stage_raw), bio, sector_raw, modality = _concurrently(
        lambda: _stage(e, idx, notes),
        lambda: pd.Series(is_biotech(*texts).to_numpy(dtype=bool, na_value=False), index=idx)
        if texts else pd.Series(pd.NA, index=idx, dtype="boolean"),
        lambda: join_labels(*texts[:2]) if texts else None,
        lambda: modality_of(*words) if words else None,
    )
    extra = {} if modality is None else {"modality": modality}
    for k, out in (("company_id", "company_id"), ("investors", "investors"),
                   ("lead_investors", "lead_investors"), ("status", "deal_status"),
                   ("deal_type", "deal_type"), ("series", "series"), ("vc_round", "vc_round"),
                   ("amount_status", "amount_status"), ("verticals", "verticals"),
                   ("keywords", "keywords"), ("description", "description")):
        if k in cols:
            # as read (empty cells already missing); labels stay categorical
            extra[out] = e[k] if k in e else cols[k]
    del f  # the raw table is released inside build_rounds once the rejects are taken
    return build_rounds(RoundsSpec(
        table=raw, rejector=rej, source="pitchbook", company=cols["company"], date=e["date"],
        amount=cols["amount"], amount_is_usd=True,
        headers={"company": cols["company"], "date": cols["date"], "amount": cols["amount"],
                 "country": cols.get("country")},
        country=e.get("country"),
        stage=stage, stage_raw=stage_raw, is_biotech=bio, sector=sector_raw,
        round_id=ids, id_prefix="pitchbook:",
        extra=extra, today=today, dayfirst=dayfirst, release_raw=True))


register("pitchbook", "rounds", read, sniff,
         "PitchBook deals export (xlsx/csv with banner rows) and the UPPER_SNAKE data feed",
         priority=1)
