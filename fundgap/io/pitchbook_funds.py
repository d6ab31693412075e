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
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.io._columnar import clean
from fundgap.io._funds import FundsSpec, build_funds
from fundgap.io._headers import map_columns, snake
from fundgap.io._parse import fund_type_from_labels, yes_flag
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.io.preqin import LIFE_SCIENCE
from fundgap.loaded import Loaded

__all__ = ["COLUMNS", "read", "sniff"]

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
_REQUIRED = ("fund_name", "size")


def sniff(columns: list[str]) -> bool:
    """True for a PitchBook fund export header."""
    keys = {snake(c) for c in columns}
    return "fund_name" in keys and bool(keys & {"fund_size", "fund_size_usd_m"}) and bool(
        keys & {"vintage", "fund_type", "fund_id", "fund_status"}) and "fund_size_usd_mn" not in keys


def read(path: str, *, today: Any = None, **options: Any) -> Loaded:
    """Read a PitchBook fund export (see the module docstring for the rules).

    Parameters
    ----------
    path : str
    today : date-like, optional
    **options
        Reading options.

    Returns
    -------
    Loaded
    """
    raw = read_table(path, header=sniff, **options)
    cols = map_columns(raw, COLUMNS, _REQUIRED, "pitchbook_funds")
    f = raw.frame
    idx = f.index
    get = lambda k: clean(f[cols[k]]) if k in cols else None  # noqa: E731
    ftype = (fund_type_from_labels(get("fund_type")) if "fund_type" in cols
             else pd.Series(pd.NA, index=idx, dtype=object))
    life = yes_flag(get("industry_focus"), pattern=LIFE_SCIENCE)
    life = life.astype("boolean").where(life) if life is not None else None
    if "country" not in cols:
        raw.notes.append("no manager-location column: country left missing")
    extra = {k: get(k) for k in ("fund_no", "status", "size_group", "fund_type", "close_date",
                                 "target", "geographic_focus", "industry_focus") if k in cols}
    if "fund_type" in extra:
        extra["fund_type_raw"] = extra.pop("fund_type")
    return build_funds(FundsSpec(
        table=raw, rejector=Rejector(len(f)), source="pitchbook_funds",
        headers={k: cols.get(k) for k in ("fund_name", "size", "vintage", "country", "fund_id")},
        fund_name=f[cols["fund_name"]], size=f[cols["size"]], size_is_usd=True,
        vintage=get("vintage"), manager=get("manager"), country=get("country"),
        fund_type=ftype, life_science_focus=life,
        fund_id=("pitchbook:" + get("fund_id")) if "fund_id" in cols else None,
        extra=extra, today=today))


register("pitchbook_funds", "funds", read, sniff,
         "PitchBook fund export (Fund Name, Fund Size in USD mn, Vintage, Fund Type)")
