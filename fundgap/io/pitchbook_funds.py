"""PitchBook fund export (``source="pitchbook_funds"``; ``read_funds(path, source="pitchbook")`` also works).

Columns: ``Fund ID, Fund Name, Investors`` (the manager), ``Fund No., Vintage,
Fund Status, Fund Size`` (USD millions), ``Fund Type, Close Date, Fund Target
Size, Preferred Geography, Preferred Industry``, plus a manager location column
where the export has one (``Fund Country``, ``HQ Country``, ``Investor Country``
...). The exact capitalisation of PitchBook fund headers is not confirmed, so
headers are matched case- and punctuation-insensitively; banner rows are skipped
as in the deals export.

Rules:

* size in USD millions (thousands commas stripped); empty = undisclosed (kept);
* ``fund_type`` from ``Fund Type``: venture capital / early / later stage VC /
  seed / accelerator -> ``vc``; growth / expansion -> ``growth``; buyout / PE /
  mezzanine / secondaries -> ``pe``; real estate, infrastructure, debt, fund of
  funds -> ``other``;
* ``country`` only from a manager-location column, never from
  ``Preferred Geography`` (kept as ``geographic_focus``); no column -> missing;
* ``life_science_focus`` True where ``Preferred Industry`` mentions healthcare,
  biotech, life sciences, pharma or medical devices; missing otherwise;
* rejected: missing name, bad/future vintage, bad/negative/absurd sizes
  (> USD 50bn), unknown country, exact duplicate rows.

Examples
--------
>>> from fundgap.io.pitchbook_funds import sniff
>>> sniff(["Fund ID", "Fund Name", "Vintage", "Fund Size", "Fund Type"])
True
>>> sniff(["FUND ID", "NAME", "FUND SIZE (USD MN)", "VINTAGE", "FUND NAME"])
False
"""

from __future__ import annotations

import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._headers import snake
from fundgap.io._layout import Layout
from fundgap.io._parse import fund_type_from_labels
from fundgap.io._pipeline import register_loader

__all__ = ["COLUMNS", "LAYOUT", "sniff"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "fund_id": ("Fund ID", "FUND_ID"),
    "fund_name": ("Fund Name", "FUND_NAME", "Fund"),
    "manager": ("Investors", "Fund Manager", "Investor", "INVESTORS"),
    "fund_no": ("Fund No.", "Fund No", "Fund Number"),
    "vintage": ("Vintage", "Fund Vintage", "VINTAGE"),
    "status": ("Fund Status", "FUND_STATUS"),
    "size": ("Fund Size", "Fund Size (USD M)", "Fund Size (USD Mn)", "FUND_SIZE"),
    "size_group": ("Fund Size Group",),
    "fund_type": ("Fund Type", "FUND_TYPE"),
    "close_date": ("Close Date", "Final Close Date"),
    "target": ("Fund Target Size", "Fund Target Size (USD M)"),
    "country": ("Fund Country", "Fund Country/Territory/Region", "Investor Country",
                "HQ Country", "Fund Manager Country", "Fund Location Country"),
    "geographic_focus": ("Preferred Geography",),
    "industry_focus": ("Preferred Industry", "Preferred Industries"),
    "lps": ("LPs",),
}


def sniff(columns: list[str]) -> bool:
    """True for a PitchBook fund export header."""
    keys = {snake(c) for c in columns}
    return "fund_name" in keys and bool(keys & {"fund_size", "fund_size_usd_m"}) and bool(
        keys & {"vintage", "fund_type", "fund_id", "fund_status"}) and "fund_size_usd_mn" not in keys


def _fund_type(f: Fields) -> pd.Series:
    if "fund_type" in f:
        return fund_type_from_labels(f.labels("fund_type"))
    return pd.Series(pd.NA, index=f.index, dtype=object)


def _prepare(f: Fields) -> None:
    if "country" not in f:
        f.note("no manager-location column: country left missing")


LAYOUT = Layout(
    "pitchbook_funds",
    kind="funds",
    columns=COLUMNS,
    required=("fund_name", "size"),
    amount_is_usd=True,
    prepare=_prepare,
    fund_type_rule=_fund_type,
    biotech=("industry_focus",),
    keep={"fund_no": "fund_no", "status": "status", "size_group": "size_group",
          "close_date": "close_date", "target": "target", "geographic_focus": "geographic_focus",
          "industry_focus": "industry_focus", "fund_type_raw": "fund_type"},
    id_prefix="pitchbook:",
    sniff=sniff,
    description="PitchBook fund export (Fund Name, Fund Size in USD mn, Vintage, Fund Type)",
)
register_loader(LAYOUT)
