"""Preqin fund export (``source="preqin"``), usually the XLSX sheet ``Preqin_Export``.

Columns: ``FUND ID, NAME, FIRM ID, FUND MANAGER, ASSET CLASS, STRATEGY, VINTAGE /
INCEPTION YEAR, FUND SIZE (USD MN), TARGET SIZE (USD MN), FUND CURRENCY, STATUS,
GEOGRAPHIC FOCUS, PRIMARY REGION FOCUS, COUNTRY, CORE INDUSTRIES / INDUSTRIES``.

Rules:

* size: ``FUND SIZE (USD MN)`` (USD millions; empty = undisclosed, kept) with
  currency USD; where the export also has ``FINAL CLOSE SIZE (CURR. MN)`` the
  size is that native figure in ``FUND CURRENCY`` and Preqin's USD figure is
  kept as ``size_usd``; ``FUND CURRENCY`` is always kept as ``fund_currency``;
  an unknown ``FUND CURRENCY`` is rejected only when the native size is used;
* ``fund_type``: ``ASSET CLASS`` Venture Capital -> ``vc`` (whatever the
  strategy: Preqin's "Expansion / Late Stage" is late-stage venture); Private
  Equity -> ``growth`` if ``STRATEGY`` says growth/expansion, else ``pe``; any
  other asset class (real estate, infrastructure, private debt, natural
  resources) -> ``other``; without ``ASSET CLASS`` the strategy label decides;
* ``country`` is the manager's country (``COUNTRY``, else ``DOMICILE``), never
  the geographic focus, which is kept as ``geographic_focus``;
* ``life_science_focus`` True where industries mention healthcare,
  biotechnology, life sciences, pharmaceuticals or medical; missing otherwise;
* ``STATUS`` is kept (``fund_status``): funds still raising are kept (their
  size is the latest close), noted;
* rejected: missing name, unparseable/future vintage, unparseable or negative
  sizes, sizes above USD 50bn, unknown country, exact duplicate rows.

Examples
--------
>>> from fundgap.io.preqin import LAYOUT
>>> LAYOUT.sniffer()(["FUND ID", "NAME", "FUND MANAGER", "VINTAGE / INCEPTION YEAR", "FUND SIZE (USD MN)"])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._parse import fund_type_from_labels
from fundgap.io._pipeline import LIFE_SCIENCE, register_loader
from fundgap.schema import FUND_TYPE_DTYPE

__all__ = ["COLUMNS", "LAYOUT", "LIFE_SCIENCE"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "fund_id": ("FUND ID",),
    "fund_name": ("NAME", "FUND NAME"),
    "manager_id": ("FIRM ID",),
    "manager": ("FUND MANAGER", "FIRM NAME"),
    "asset_class": ("ASSET CLASS",),
    "strategy": ("STRATEGY", "FUND TYPE"),
    "vintage": ("VINTAGE / INCEPTION YEAR", "VINTAGE/INCEPTION YEAR", "VINTAGE"),
    "size_usd": ("FUND SIZE (USD MN)",),
    "size": ("FINAL CLOSE SIZE (CURR. MN)", "FUND SIZE (CURR. MN)"),
    "target_usd": ("TARGET SIZE (USD MN)",),
    "currency": ("FUND CURRENCY", "CURRENCY"),
    "status": ("STATUS", "FUND STATUS"),
    "geographic_focus": ("GEOGRAPHIC FOCUS",),
    "region_focus": ("PRIMARY REGION FOCUS",),
    "country": ("COUNTRY", "MANAGER COUNTRY", "DOMICILE"),
    "industries": ("CORE INDUSTRIES", "INDUSTRIES", "INDUSTRY FOCUS"),
}


def _fund_type(f: Fields) -> pd.Series:
    """Venture Capital -> vc; Private Equity -> growth or pe by the strategy; other asset
    classes -> other; without an asset class the strategy decides (per distinct label)."""
    by_strategy = (fund_type_from_labels(f.labels("strategy")) if "strategy" in f
                   else pd.Series(pd.Categorical.from_codes(np.full(len(f.index), -1),
                                                            dtype=FUND_TYPE_DTYPE),
                                  index=f.index))
    if "asset_class" not in f:
        return by_strategy
    # the asset class says private equity (2), else venture capital (1), else another class (0)
    asset = f.per_label("asset_class", lambda u: np.select(
        [u.str.lower().str.contains("private equity", regex=False).to_numpy(dtype=bool),
         u.str.lower().str.contains("venture", regex=False).to_numpy(dtype=bool)],
        [2, 1], default=0), missing=-1)
    code = {t: i for i, t in enumerate(FUND_TYPE_DTYPE.categories)}
    strategy = by_strategy.cat.codes.to_numpy()
    out = np.select([(asset == 2) & (strategy == code["growth"]), asset == 2, asset == 1,
                     asset == 0],
                    [code["growth"], code["pe"], code["vc"], code["other"]], default=strategy)
    return pd.Series(pd.Categorical.from_codes(out, dtype=FUND_TYPE_DTYPE), index=f.index)


def _prepare(f: Fields) -> None:
    if "status" in f:
        raising = f.per_label("status", lambda u: u.str.lower().str.contains(
            "rais|open", regex=True).to_numpy(dtype=bool), missing=False)
        if raising.any():
            f.note(f"{int(raising.sum())} fund(s) still raising: size is the latest close")


LAYOUT = Layout(
    "preqin",
    kind="funds",
    columns=COLUMNS,
    required=("fund_name", "size_usd"),
    prepare=_prepare,
    fund_type_rule=_fund_type,
    biotech=("industries",),
    keep={"manager_id": "manager_id", "asset_class": "asset_class", "strategy": "strategy",
          "status": "status", "geographic_focus": "geographic_focus",
          "region_focus": "region_focus", "target_usd": "target_usd", "fund_currency": "currency"},
    id_prefix="preqin:",
    sniff=("FUND SIZE (USD MN)", ("VINTAGE / INCEPTION YEAR", "FUND MANAGER", "FUND CURRENCY")),
    description="Preqin fund export (Preqin_Export sheet, FUND SIZE (USD MN))",
)
register_loader(LAYOUT)
