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
* ``is_biotech`` from ``Organization Industries``;
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

from fundgap.io._common import (
    Rejector,
    build_rounds,
    clean,
    map_columns,
    map_unique,
    snake,
)
from fundgap.io._read import STR, read_table
from fundgap.io._registry import register
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
    "location": ("Organization Location", "Headquarters Location"),
    "lead_investors": ("Lead Investors",),
    "investors": ("Investor Names", "Investors"),
    "n_investors": ("Number of Investors",),
}
_REQUIRED = ("company", "date", "amount")


def sniff(columns: list[str]) -> bool:
    """True for a Crunchbase funding-rounds export header."""
    keys = {snake(c) for c in columns}
    return "organization_name" in keys and "money_raised" in keys and (
        "funding_type" in keys or "announced_date" in keys)


def country_from_location(values: pd.Series) -> pd.Series:
    """The country part of "City, Region, Country, Continent" (second-last element)."""

    def f(u: pd.Series) -> pd.Series:
        parts = u.astype(str).str.split(",")
        n = parts.str.len()
        second_last = parts.str[-2].where(n >= 2, parts.str[0])
        return second_last.str.strip()

    return map_unique(clean(values), f).astype(STR)


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
    from fundgap.normalise import is_biotech, map_stage, parse_amounts

    raw = read_table(path, header=sniff, **options)
    cols = map_columns(raw, COLUMNS, _REQUIRED, "crunchbase")
    f = raw.frame
    idx = f.index
    rej = Rejector(len(f))
    notes = raw.notes
    get = lambda k: clean(f[cols[k]]) if k in cols else pd.Series(pd.NA, index=idx, dtype=STR)  # noqa: E731

    ftype = get("funding_type")
    stage = pd.Series(np.asarray(map_stage(ftype, "crunchbase_funding_type"), dtype=object), index=idx)
    fstage = get("funding_stage")
    by_fstage = pd.Series(np.asarray(map_stage(fstage, "crunchbase_funding_stage"), dtype=object),
                          index=idx)
    vague = stage.isna() | (stage == "venture_unknown")
    refine = vague & by_fstage.notna() & by_fstage.isin(
        ["seed", "pre_seed", "early_unspecified", "later_unspecified", "venture_unknown"])
    stage = stage.where(~refine, by_fstage)
    unmapped = stage.isna() & ftype.notna()
    if unmapped.any():
        notes.append(f"{int(unmapped.sum())} row(s) with a Funding Type not in the crosswalk -> "
                     f"venture_unknown (e.g. {sorted(set(ftype[unmapped].astype(str)))[:5]})")
    stage = stage.where(stage.notna(), "venture_unknown")

    provider_usd = None
    if "amount_usd" in cols:
        p = parse_amounts(f[cols["amount_usd"]], scale=1e-6)
        provider_usd = pd.Series(p["amount"].where(p["status"] == "ok").to_numpy(), index=idx)
    inds = get("industries")
    bio = pd.Series(np.asarray(is_biotech(inds), dtype=object), index=idx).fillna(False).astype(bool)
    country = country_from_location(get("location")) if "location" in cols else None
    extra = {k: get(k) for k in ("company_id", "round_name", "lead_investors", "investors",
                                 "funding_stage") if k in cols}
    return build_rounds(
        raw, rej, source="crunchbase", company=f[cols["company"]], date_raw=f[cols["date"]],
        amount_raw=f[cols["amount"]], amount_scale=1e-6,
        currency_raw=f[cols["currency"]] if "currency" in cols else "USD",
        provider_usd=provider_usd,
        columns={"company": cols["company"], "date": cols["date"], "amount": cols["amount"],
                 "currency": cols.get("currency"), "country": cols.get("location")},
        country_raw=country, stage=stage, stage_raw=ftype, is_biotech=bio, sector_raw=inds,
        round_id=get("round_id") if "round_id" in cols else None,
        extra=extra, today_=today, dayfirst=dayfirst,
    )


register("crunchbase", "rounds", read, sniff,
         "Crunchbase funding-rounds CSV export (Money Raised, Funding Type, Organization Location)")
