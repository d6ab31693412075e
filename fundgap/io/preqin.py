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
>>> from fundgap.io.preqin import sniff
>>> sniff(["FUND ID", "NAME", "FUND MANAGER", "VINTAGE / INCEPTION YEAR", "FUND SIZE (USD MN)"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import clean
from fundgap.io._funds import FundsSpec, build_funds
from fundgap.io._headers import map_columns, snake
from fundgap.io._parse import fund_type_from_labels, yes_flag
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.loaded import Loaded

__all__ = ["COLUMNS", "LIFE_SCIENCE", "read", "sniff"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "fund_id": ("FUND ID",),
    "fund_name": ("NAME", "FUND NAME"),
    "manager_id": ("FIRM ID",),
    "manager": ("FUND MANAGER", "FIRM NAME"),
    "asset_class": ("ASSET CLASS",),
    "strategy": ("STRATEGY", "FUND TYPE"),
    "vintage": ("VINTAGE / INCEPTION YEAR", "VINTAGE/INCEPTION YEAR", "VINTAGE"),
    "size_usd": ("FUND SIZE (USD MN)",),
    "size_native": ("FINAL CLOSE SIZE (CURR. MN)", "FUND SIZE (CURR. MN)"),
    "target_usd": ("TARGET SIZE (USD MN)",),
    "currency": ("FUND CURRENCY", "CURRENCY"),
    "status": ("STATUS", "FUND STATUS"),
    "geographic_focus": ("GEOGRAPHIC FOCUS",),
    "region_focus": ("PRIMARY REGION FOCUS",),
    "country": ("COUNTRY", "MANAGER COUNTRY", "DOMICILE"),
    "industries": ("CORE INDUSTRIES", "INDUSTRIES", "INDUSTRY FOCUS"),
}
_REQUIRED = ("fund_name", "size_usd")
#: Pattern of industry labels that mark a life-science fund.
LIFE_SCIENCE = r"health|biotech|life science|pharma|medic|therapeut"


def sniff(columns: list[str]) -> bool:
    """True for a Preqin fund export header."""
    keys = {snake(c) for c in columns}
    return "fund_size_usd_mn" in keys and bool(keys & {"vintage_inception_year", "fund_manager",
                                                        "fund_currency"})


def _fund_type(asset: pd.Series | None, strategy: pd.Series | None, idx: pd.Index) -> pd.Series:
    by_strategy = (fund_type_from_labels(strategy) if strategy is not None
                   else pd.Series(pd.NA, index=idx, dtype=object))
    if asset is None:
        return by_strategy
    low = asset.str.lower()
    vc = low.str.contains("venture", regex=False).fillna(False).astype(bool)
    pe = low.str.contains("private equity", regex=False).fillna(False).astype(bool)
    other = asset.notna() & ~vc & ~pe
    out = by_strategy.astype(object).copy()
    out[vc] = "vc"
    out[pe] = np.where(by_strategy[pe] == "growth", "growth", "pe")
    out[other] = "other"
    return out


def read(path: str, *, today: Any = None, **options: Any) -> Loaded:
    """Read a Preqin fund export (see the module docstring for the rules).

    Parameters
    ----------
    path : str
    today : date-like, optional
    **options
        Reading options (sheet_name, encoding ...).

    Returns
    -------
    Loaded
    """
    raw = read_table(path, header=sniff, **options)
    cols = map_columns(raw, COLUMNS, _REQUIRED, "preqin")
    f = raw.frame
    idx = f.index
    get = lambda k: clean(f[cols[k]]) if k in cols else None  # noqa: E731
    ftype = _fund_type(get("asset_class"), get("strategy"), idx)
    life = yes_flag(get("industries"), pattern=LIFE_SCIENCE)
    life = life.astype("boolean").where(life) if life is not None else None
    extra = {k: get(k) for k in ("manager_id", "asset_class", "strategy", "status", "geographic_focus",
                                 "region_focus", "target_usd") if k in cols}
    if "currency" in cols:
        extra["fund_currency"] = get("currency")
    if "status" in cols:
        raising = extra["status"].str.lower().str.contains("rais|open", regex=True).fillna(False)
        if raising.any():
            raw.notes.append(f"{int(raising.sum())} fund(s) still raising: size is the latest close")
    native = "size_native" in cols and "currency" in cols
    provider_usd = None
    if native:
        from fundgap.normalise import parse_amounts

        p = parse_amounts(f[cols["size_usd"]])
        provider_usd = pd.Series(p["amount"].where(p["status"] == "ok").to_numpy(), index=idx)
    return build_funds(FundsSpec(
        table=raw, rejector=Rejector(len(f)), source="preqin",
        headers={"fund_name": cols["fund_name"], "size": cols["size_native" if native else "size_usd"],
                 "vintage": cols.get("vintage"), "currency": cols.get("currency"),
                 "country": cols.get("country"), "fund_id": cols.get("fund_id")},
        fund_name=f[cols["fund_name"]],
        size=f[cols["size_native"]] if native else f[cols["size_usd"]],
        size_is_usd=not native, currency=f[cols["currency"]] if native else None,
        provider_usd=provider_usd, vintage=get("vintage"), manager=get("manager"),
        country=get("country"), fund_type=ftype, life_science_focus=life,
        fund_id=("preqin:" + get("fund_id")) if "fund_id" in cols else None,
        extra=extra, today=today))


register("preqin", "funds", read, sniff, "Preqin fund export (Preqin_Export sheet, FUND SIZE (USD MN))")
