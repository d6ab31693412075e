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

from fundgap.io._fields import Fields
from fundgap.io._headers import snake
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader

__all__ = ["COLUMNS", "LAYOUT", "country_from_location", "sniff"]

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
    # the location ("City, Region, Country, Continent"), read for its country
    "country": ("Organization Location", "Headquarters Location"),
    "lead_investors": ("Lead Investors",),
    "investors": ("Investor Names", "Investors"),
}


def sniff(columns: list[str]) -> bool:
    """True for a Crunchbase funding-rounds export header."""
    keys = {snake(c) for c in columns}
    return "organization_name" in keys and "money_raised" in keys and (
        "funding_type" in keys or "announced_date" in keys)


def country_from_location(values: pd.Series) -> pd.Series:
    """The country part of "City, Region, Country, Continent" (second-last element).

    Run once per distinct location (an export of a million rounds holds hundreds of
    thousands of them); a categorical comes back for a categorical, strings otherwise.
    """
    out = Fields.map_labels(values, _second_last)
    if isinstance(pd.Series(values, copy=False).dtype, pd.CategoricalDtype):
        return out
    return out.astype(object).astype("string[pyarrow]")


def _second_last(texts: pd.Series) -> Any:
    """The second-last comma-separated element of each text, stripped (the only element
    where there is one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(texts, type=pa.large_string())
    parts = pc.split_pattern(arr, ",")
    n = np.asarray(pc.list_value_length(parts).to_numpy(zero_copy_only=False))
    offsets = np.asarray(parts.offsets.to_numpy())[: len(n) + 1] - parts.offsets[0].as_py()
    at = np.where(n > 1, offsets[1:] - 2, offsets[:-1])  # (one element: that one)
    second = pc.utf8_trim_whitespace(parts.flatten().take(pa.array(at, type=pa.int64())))
    return pd.Series(pd.arrays.ArrowStringArray(second), copy=False)


def _stage(f: Fields) -> tuple[pd.Series, pd.Series]:
    """Canonical stage from the Funding Type, refined by the Funding Stage where vague."""
    from fundgap.normalise import map_stage

    ftype = f.labels("funding_type")
    stage = map_stage(ftype, "crunchbase_funding_type")
    by_fstage = map_stage(f.labels("funding_stage"), "crunchbase_funding_stage")
    vague = (stage.isna() | (stage == "venture_unknown")).to_numpy()
    refine = vague & by_fstage.isin(
        ["seed", "pre_seed", "early_unspecified", "later_unspecified", "venture_unknown"]).to_numpy()
    stage = pd.Series(pd.Categorical.from_codes(
        np.where(refine, by_fstage.cat.codes.to_numpy(), stage.cat.codes.to_numpy()),
        dtype=stage.dtype), index=f.index)
    unmapped = stage.isna().to_numpy() & ftype.notna().to_numpy()
    if unmapped.any():
        f.note(f"{int(unmapped.sum())} row(s) with a Funding Type not in the crosswalk -> "
               f"venture_unknown (e.g. {sorted(set(ftype[unmapped].astype(str)))[:5]})")
    return stage.fillna("venture_unknown"), ftype


def _biotech(f: Fields) -> pd.Series:
    """Biotech from Organization Industries (False where the export has no industries)."""
    from fundgap.normalise import is_biotech

    return pd.Series(is_biotech(f.labels("industries")).to_numpy(dtype=bool, na_value=False),
                     index=f.index)


LAYOUT = Layout(
    "crunchbase",
    columns=COLUMNS,
    required=("company", "date", "amount"),
    unit="units",
    currency="USD",
    stage_rule=_stage,
    biotech_rule=_biotech,
    country_rule=lambda f: country_from_location(f.labels("country")) if "country" in f else None,
    sector=("industries",),
    modality=("industries", "description"),
    keep=("company_id", "round_name", "lead_investors", "investors", "funding_stage",
          "description", "modality"),
    # the amounts (raw currency units, hundreds of thousands of distinct values) stay text
    labels=("funding_type", "currency", "date", "funding_stage", "industries", "country",
            "description"),
    only_mapped=True,
    sniff=sniff,
    description="Crunchbase funding-rounds CSV export (Money Raised, Funding Type, "
                "Organization Location)",
)
register_loader(LAYOUT)
