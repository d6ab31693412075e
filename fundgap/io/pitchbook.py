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
>>> from fundgap.io.pitchbook import LAYOUT, sniff
>>> sniff(["Deal ID", "Companies", "Deal Date", "Deal Size", "Deal Type"])
True
>>> sniff(["DEAL_ID", "COMPANY_NAME", "DEAL_DATE", "DEAL_SIZE", "DEAL_TYPE"])
True
>>> LAYOUT.required, LAYOUT.statuses
(('company', 'date', 'amount'), ('Completed',))
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._headers import snake
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader

__all__ = ["COLUMNS", "LAYOUT", "sniff"]

#: Field -> accepted headers (desktop export first, then feed variants). Only these
#: columns are read; the rest of the export (Announced Date, Deal Type 2/3, valuations
#: ...) is skipped and named in the notes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "round_id": ("Deal ID", "DEAL_ID"),
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
_VC_GROUPS = {"seed", "early", "later", "unknown"}


def sniff(columns: list[str]) -> bool:
    """True for a PitchBook deals header (desktop export or UPPER_SNAKE feed)."""
    keys = {snake(c) for c in columns}
    has_id = "deal_id" in keys
    has_deal = bool(keys & {"deal_size", "deal_size_usd", "deal_size_usd_m"}) or "deal_date" in keys
    has_type = bool(keys & {"deal_type", "deal_type_1", "deal_status"})
    return has_id and has_deal and has_type


def _stage(f: Fields) -> tuple[pd.Series, pd.Series]:
    """Canonical stage and the raw label it came from: the Series where the deal type is a
    venture type (or empty), else the Deal Type."""
    from fundgap.normalise import map_stage, stage_group_of

    dtype_raw, series_raw = f.labels("deal_type"), f.labels("series")
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
        dtype=by_type.dtype), index=f.index)
    unmapped = stage.isna().to_numpy() & (dtype_raw.notna().to_numpy() | series_raw.notna().to_numpy())
    if unmapped.any():
        labels = sorted(set(dtype_raw[unmapped].dropna().astype(str)))[:8]
        f.note(f"{int(unmapped.sum())} row(s) with a deal type/series not in the crosswalk "
               f"-> venture_unknown (e.g. {labels})")
    return stage.fillna("venture_unknown"), f.choose(use_series, series_raw, dtype_raw)


LAYOUT = Layout(
    "pitchbook",
    columns=COLUMNS,
    required=("company", "date", "amount"),
    amount_is_usd=True,
    statuses=("Completed",),
    status_reason="deal status not completed",
    stage_rule=_stage,
    biotech=("sector", "group", "verticals"),
    sector=("sector", "group"),
    modality=("sector", "group", "verticals", "keywords", "description"),
    keep={"modality": "modality", "company_id": "company_id", "investors": "investors",
          "lead_investors": "lead_investors", "deal_status": "status", "deal_type": "deal_type",
          "series": "series", "vc_round": "vc_round", "amount_status": "amount_status",
          "verticals": "verticals", "keywords": "keywords", "description": "description"},
    id_prefix="pitchbook:",
    # Deal Size is not read as a label: a million deals hold hundreds of thousands of
    # distinct sizes, which pyarrow would hash block by block while parsing
    labels=("date", "amount_status", "deal_type", "vc_round", "series", "sector", "group",
            "verticals", "status", "country", "keywords", "description"),
    only_mapped=True,
    sniff=sniff,
    priority=1,
    description="PitchBook deals export (xlsx/csv with banner rows) and the UPPER_SNAKE data feed",
)
register_loader(LAYOUT)
