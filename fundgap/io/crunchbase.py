"""Crunchbase funding-rounds CSV export (``source="crunchbase"``), the current Crunchbase Pro layout.

Columns: ``Transaction Name, Transaction Name URL, Organization Name, Funding
Type, Money Raised, Money Raised Currency, Money Raised Currency (in USD)`` (newer
exports: ``Money Raised (in USD)``), ``Announced Date, Funding Stage,
Organization Industries, Organization Location, Lead Investors, Investor Names ...``

Rules:

* ``Money Raised`` is in units of ``Money Raised Currency`` (divided by 10^6;
  ``$5M``-style text is read with its own scale); Crunchbase's USD figure is used
  for ``amount_usd`` where given, else the ECB annual average of the year;
  empty = undisclosed (kept);
* stage from ``Funding Type`` (crosswalk ``crunchbase_funding_type``);
  ``Venture - Series Unknown`` (and other unmapped venture rounds) is refined by
  ``Funding Stage`` (``Early Stage Venture`` -> ``early_unspecified``, ``Late
  Stage Venture`` -> ``later_unspecified``, ``Seed`` -> seed), else
  ``venture_unknown``;
* country: the second-last element of ``Organization Location`` ("City,
  Region, Country, Continent"); a single element is read as the country;
* ``is_biotech`` from ``Organization Industries``; ``modality``
  (:func:`fundgap.normalise.modality.modality_of`) from it and ``Organization Description``,
  which is kept beside it (``description``);
* round id: ``Transaction Name URL``.

Examples
--------
>>> from fundgap.io.crunchbase import country_from_location
>>> country_from_location(pd.Series(["Basel, Basel-Stadt, Switzerland, Europe",
...                                  "Boston, Massachusetts, United States, North America",
...                                  "Germany", None])).tolist()
['Switzerland', 'United States', 'Germany', <NA>]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, clean, encode, no_labels
from fundgap.io._columnar import categories_arrow as _categories_arrow
from fundgap.io._columnar import dictionary_codes as _dictionary_codes
from fundgap.io._headers import snake
from fundgap.io._pipeline import read_provider
from fundgap.io._registry import register
from fundgap.io._rounds import RoundsSpec, build_rounds, ids_in_background
from fundgap.io._threads import concurrently as _concurrently
from fundgap.normalise._util import map_unique
from fundgap.loaded import Loaded

__all__ = ["COLUMNS", "country_from_location", "read", "sniff"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "round_id": ("Transaction Name URL",),
    "round_name": ("Transaction Name",),
    "company": ("Organization Name",),
    "company_id": ("Organization Name URL",),
    "funding_type": ("Funding Type",),
    "amount": ("Money Raised",),
    "currency": ("Money Raised Currency",),
    "amount_usd": ("Money Raised (in USD)", "Money Raised Currency (in USD)"),
    "date": ("Announced Date",),
    "funding_stage": ("Funding Stage",),
    "industries": ("Organization Industries", "Industries"),
    "description": ("Organization Description", "Description", "Organization Full Description",
                    "Full Description"),
    "location": ("Organization Location", "Headquarters Location"),
    "lead_investors": ("Lead Investors",),
    "investors": ("Investor Names", "Investors"),
}
_REQUIRED = ("company", "date", "amount")


def sniff(columns: list[str]) -> bool:
    """True for a Crunchbase funding-rounds export header."""
    keys = {snake(c) for c in columns}
    return "organization_name" in keys and "money_raised" in keys and (
        "funding_type" in keys or "announced_date" in keys)


def country_from_location(values: pd.Series) -> pd.Series:
    """The country part of "City, Region, Country, Continent" (second-last element).

    A categorical input gives a categorical (the split runs on its distinct values, in
    Arrow: an export of a million rounds holds hundreds of thousands of locations).
    """
    import pyarrow as pa

    s = clean(values)
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return map_unique(s, lambda u: pd.Series(_second_last(
            pa.array(u.to_numpy(dtype=object), type=pa.large_string())), dtype=STR)).astype(STR)
    cats = _categories_arrow(s.cat.categories)
    if not len(cats):
        return s
    mapped = _second_last(cats)
    codes, uniq = _dictionary_codes(pd.Series(pd.arrays.ArrowStringArray(mapped), copy=False))
    lut = np.append(codes, -1).astype(np.int32)  # (code -1, missing, picks the appended -1)
    out = pd.Categorical.from_codes(lut[s.cat.codes.to_numpy()],
                                    categories=pd.Index(pd.arrays.ArrowStringArray(
                                        uniq.cast(pa.large_string())), dtype=STR), validate=False)
    return encode(pd.Series(out, index=s.index, name=s.name, copy=False))


def _second_last(texts: Any) -> Any:
    """Arrow strings: the second-last comma-separated element of each, stripped (the only
    element where there is one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.split_pattern(texts, ",")
    n = np.asarray(pc.list_value_length(parts).to_numpy(zero_copy_only=False))
    offsets = np.asarray(parts.offsets.to_numpy())[: len(n) + 1] - parts.offsets[0].as_py()
    at = np.where(n >= 2, offsets[1:] - 2, offsets[:-1])
    flat = parts.flatten()
    return pc.utf8_trim_whitespace(flat.take(pa.array(at, type=pa.int64())))


def _stage(ftype: pd.Series, fstage: pd.Series, idx: pd.Index, notes: list[str]) -> pd.Series:
    """Canonical stage from the encoded Funding Type, refined by Funding Stage where vague."""
    from fundgap.normalise import map_stage

    stage = map_stage(ftype, "crunchbase_funding_type")
    by_fstage = map_stage(fstage, "crunchbase_funding_stage")
    vague = (stage.isna() | (stage == "venture_unknown")).to_numpy()
    refine = vague & by_fstage.isin(
        ["seed", "pre_seed", "early_unspecified", "later_unspecified", "venture_unknown"]).to_numpy()
    stage = pd.Series(pd.Categorical.from_codes(
        np.where(refine, by_fstage.cat.codes.to_numpy(), stage.cat.codes.to_numpy()),
        dtype=stage.dtype), index=idx)
    unmapped = stage.isna().to_numpy() & ftype.notna().to_numpy()
    if unmapped.any():
        notes.append(f"{int(unmapped.sum())} row(s) with a Funding Type not in the crosswalk -> "
                     f"venture_unknown (e.g. {sorted(set(ftype[unmapped].astype(str)))[:5]})")
    return stage.fillna("venture_unknown")


def _usd(values: pd.Series | None, idx: pd.Index) -> pd.Series | None:
    """The provider's USD figure (raw units) in millions; NaN where not a usable amount."""
    from fundgap.normalise.amounts import parse_amount_codes

    if values is None:
        return None
    v, _, _, status = parse_amount_codes(values, scale=1e-6)
    return pd.Series(np.where(status == 0, v, np.nan), index=idx)  # status 0: ok


#: Fields read as categoricals (few distinct labels; parsed once per label). The amounts
#: (raw currency units, hundreds of thousands of distinct values) stay strings.
_ENCODED = ("funding_type", "currency", "date", "funding_stage", "industries", "location",
            "description")


def read(path: str, *, today: Any = None, dayfirst: bool = False, **options: Any) -> Loaded:
    """Read a Crunchbase funding-rounds export (see the module docstring for the rules).

    Parameters
    ----------
    path : str
    today : date-like, optional
    dayfirst : bool, default False
    **options
        Reading options (encoding, delimiter, sheet_name ...).

    Returns
    -------
    Loaded
    """
    from fundgap.normalise import is_biotech
    from fundgap.normalise.modality import modality_of

    raw, cols, rej, e = read_provider(path, COLUMNS, _REQUIRED, "crunchbase", header=sniff,
                                      encoded=_ENCODED, **options)
    f = raw.frame
    idx = f.index
    notes = raw.notes
    ids = ids_in_background(f[cols["round_id"]] if "round_id" in cols else None, idx)
    na = no_labels(idx)

    ftype = e.get("funding_type", na)
    usd_raw = f[cols["amount_usd"]] if "amount_usd" in cols else None
    inds = e.get("industries", na)
    words = [e[k] for k in ("industries", "description") if k in cols]
    # stage, the provider's USD figure, the biotech flag, the country and the modality are
    # independent: two threads
    stage, provider_usd, bio, country, modality = _concurrently(
        lambda: _stage(ftype, e.get("funding_stage", na), idx, notes),
        lambda v=usd_raw: _usd(v, idx),
        lambda: pd.Series(is_biotech(inds).to_numpy(dtype=bool, na_value=False), index=idx),
        lambda: country_from_location(e["location"]) if "location" in cols else None,
        lambda: modality_of(*words) if words else None,
    )

    # as read (empty cells already missing), as for PitchBook; labels stay categorical
    extra = {k: (e[k] if k in e else cols[k]) for k in (
        "company_id", "round_name", "lead_investors", "investors", "funding_stage", "description")
        if k in cols}
    if modality is not None:
        extra["modality"] = modality
    del f, usd_raw  # the raw table is released inside build_rounds once the rejects are taken
    return build_rounds(RoundsSpec(
        table=raw, rejector=rej, source="crunchbase", company=cols["company"], date=e["date"],
        amount=cols["amount"], scale=1e-6,
        currency=e.get("currency"), default_currency=None if "currency" in cols else "USD",
        provider_usd=provider_usd,
        headers={"company": cols["company"], "date": cols["date"], "amount": cols["amount"],
                 "currency": cols.get("currency"), "country": cols.get("location")},
        country=country, stage=stage, stage_raw=ftype, is_biotech=bio, sector=inds,
        round_id=ids, extra=extra, today=today, dayfirst=dayfirst, release_raw=True))


register("crunchbase", "rounds", read, sniff,
         "Crunchbase funding-rounds CSV export (Money Raised, Funding Type, Organization Location)")
