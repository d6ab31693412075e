"""Generic loader: any CSV/XLSX table, driven by a column mapping the user supplies.

``columns`` maps canonical field names to the file's headers. Fields:

* rounds: ``company`` and ``date`` (required), ``amount``, ``currency``,
  ``amount_usd`` (a provider USD figure, millions after ``unit``), ``country``,
  ``stage``, ``sector`` (text the biotech flag is read from), ``is_biotech``
  (a yes/no column), ``description`` (free text; with ``sector`` it gives the
  ``modality``, see :func:`fundgap.normalise.modality.modality_of`), ``round_id``;
* funds: ``fund_name`` (required), ``size``, ``currency``, ``vintage``,
  ``manager``, ``country``, ``fund_type``, ``life_science_focus``, ``fund_id``;
* series: ``year`` and ``value`` (required) and any other series column; columns
  not in the file can be set for every row with ``constants={...}``.

Examples
--------
>>> import os, tempfile, fundgap
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "synthetic_rounds.csv")
>>> with open(p, "w") as f:
...     _ = f.write("Startup,When,EUR m,Round\\nAcme Bio,2021-03-01,12.5,Series A\\n")
>>> ld = fundgap.read_rounds(p, source="generic", currency="EUR",
...     columns={"company": "Startup", "date": "When", "amount": "EUR m", "stage": "Round"})
>>> row = ld.data.iloc[0]
>>> row["company"], float(row["amount"]), row["currency"], row["stage"]
('Acme Bio', 12.5, 'EUR', 'series_a')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.io._columnar import STR, clean
from fundgap.io._funds import FundsSpec, build_funds
from fundgap.io._headers import map_columns
from fundgap.io._parse import parse_years
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.io._rounds import RoundsSpec, build_rounds
from fundgap.normalise._util import map_unique
from fundgap.loaded import Loaded
from fundgap.schema import FUND_TYPES, SERIES_COLUMNS, conform, validate_series

__all__ = ["UNITS", "read"]

#: Multipliers from a file's unit to millions.
UNITS: dict[str, float] = {"units": 1e-6, "thousands": 1e-3, "millions": 1.0, "billions": 1e3}

#: Mapped fields read from a CSV as categoricals, by kind.
_LABEL_FIELDS = {
    "rounds": ("date", "stage", "currency", "country", "sector", "is_biotech", "description"),
    "funds": ("currency", "country", "fund_type", "life_science_focus", "vintage"),
}
_READ_KW = ("encoding", "delimiter", "sheet_name", "quotechar", "escapechar", "progress")

_REQUIRED = {"rounds": ("company", "date"), "funds": ("fund_name",), "series": ("year", "value")}

_TRUE = {"true", "yes", "y", "1", "x", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def _yes_no(values: pd.Series) -> pd.Series:
    def f(u: pd.Series) -> pd.Series:
        low = u.astype(str).str.strip().str.lower()
        return pd.Series(np.where(low.isin(_TRUE), True, np.where(low.isin(_FALSE), False, None)),
                         dtype="boolean")

    return map_unique(clean(values), f).astype("boolean")


def read(path: str, *, kind: str = "rounds", columns: dict[str, str] | None = None,
         currency: str | None = None, unit: str = "millions", stage_taxonomy: str = "any",
         constants: dict[str, Any] | None = None, dayfirst: bool = False, today: Any = None,
         **options: Any) -> Loaded:
    """Read ``path`` with a user column mapping (see the module docstring).

    Parameters
    ----------
    path : str
    kind : {"rounds", "funds", "series"}
    columns : dict
        Canonical field -> header in the file.
    currency : str, optional
        Currency of amounts where the file has no currency column (or the cell is empty).
    unit : {"units", "thousands", "millions", "billions"}, default "millions"
        Scale of plain numbers in the amount/size/value columns.
    stage_taxonomy : str, default "any"
        Passed to :func:`fundgap.normalise.map_stage`; unknown labels become
        ``venture_unknown``.
    constants : dict, optional
        Series only: values for columns absent from the file.
    dayfirst : bool
        Read ``01/02/2024`` as 1 February.
    today : date-like, optional
        Cut-off for "date in the future" (default: today).
    **options
        Reading options: encoding, delimiter, sheet_name, quotechar, escapechar.

    Returns
    -------
    Loaded

    Raises
    ------
    FundgapError
        Without ``columns`` or with an unknown ``unit``/``kind``.
    MissingColumnError
        If a mapped column is not in the file.
    """
    if kind not in _REQUIRED:
        raise FundgapError("generic loader: unknown kind", file=path, column="kind", value=kind,
                           expected=list(_REQUIRED))
    if not columns:
        raise FundgapError(
            "source='generic' needs columns={canonical field: header in the file}",
            file=path, column="columns", value=columns,
            expected=[f"{f} (required)" for f in _REQUIRED[kind]],
        )
    if unit not in UNITS:
        raise FundgapError("unknown unit", file=path, column="unit", value=unit, expected=list(UNITS))
    unknown_opts = set(options) - set(_READ_KW)
    if unknown_opts:
        raise FundgapError("unknown option(s) for the generic loader", file=path,
                           value=sorted(unknown_opts), expected=sorted(_READ_KW))
    missing_req = [f for f in _REQUIRED[kind] if f not in columns and f not in (constants or {})]
    if missing_req:
        raise FundgapError(f"columns= must map the required field(s) {missing_req}", file=path,
                           column="columns", value=sorted(columns), expected=list(_REQUIRED[kind]))
    mapped = list(columns.values())
    # label fields with few distinct values are read as categoricals (parsed per label)
    labels = [columns[k] for k in _LABEL_FIELDS.get(kind, ()) if k in columns]
    raw = read_table(path, header=mapped, categorical=labels, **options)
    cols = map_columns(raw, {k: (v,) for k, v in columns.items()}, list(columns), "generic")
    f = raw.frame
    get = lambda k: f[cols[k]] if k in cols else None  # noqa: E731
    rej = Rejector(len(f))
    scale = UNITS[unit]
    if kind == "rounds":
        return _rounds(raw, rej, get, cols, currency, scale, stage_taxonomy, dayfirst, today)
    if kind == "funds":
        return _funds(raw, rej, get, cols, currency, scale, today)
    return _series(raw, rej, get, cols, constants or {}, scale)


def _rounds(raw, rej, get, cols, currency, scale, taxonomy, dayfirst, today) -> Loaded:
    from fundgap.normalise import is_biotech, map_stage
    from fundgap.normalise.modality import modality_of

    idx = raw.frame.index
    stage_raw = clean(get("stage")) if "stage" in cols else pd.Series(pd.NA, index=idx, dtype=STR)
    stage = pd.Series(map_stage(stage_raw, taxonomy), index=idx)
    n_unmapped = int((stage.isna().to_numpy() & stage_raw.notna().to_numpy()).sum())
    if n_unmapped:
        raw.notes.append(f"{n_unmapped} row(s) with a stage label not in the crosswalk -> venture_unknown")
    stage = stage.fillna("venture_unknown")
    if "is_biotech" in cols:
        bio = _yes_no(get("is_biotech")).fillna(False)
    elif "sector" in cols:
        bio = pd.Series(is_biotech(clean(get("sector"))), index=idx).fillna(False)
    else:
        bio = pd.Series(pd.NA, index=idx, dtype="boolean")
    words = [get(k) for k in ("sector", "description") if k in cols]
    extra = {"modality": modality_of(*words)} if words else {}
    if "description" in cols:
        extra["description"] = clean(get("description"))
    provider_usd = None
    if "amount_usd" in cols:
        from fundgap.normalise import parse_amounts

        p = parse_amounts(get("amount_usd"), scale=scale)
        provider_usd = pd.Series(p["amount"].where(p["status"] == "ok").to_numpy(), index=idx)
    return build_rounds(RoundsSpec(
        table=raw, rejector=rej, source="generic", company=get("company"), date=get("date"),
        amount=get("amount"), headers=cols, scale=scale,
        currency=get("currency"), default_currency=None if "currency" in cols else currency,
        provider_usd=provider_usd,
        country=get("country"), stage=stage, stage_raw=stage_raw, is_biotech=bio,
        sector=get("sector"), round_id=get("round_id"), dayfirst=dayfirst, today=today,
        extra=extra))


def _fund_type(values: pd.Series) -> pd.Series:
    def f(u: pd.Series) -> pd.Series:
        low = u.astype(str).str.lower()
        out = np.select(
            [low.isin(FUND_TYPES), low.str.contains("venture|\\bvc\\b|seed|early", regex=True),
             low.str.contains("growth|expansion", regex=True),
             low.str.contains("buyout|private equity|\\bpe\\b|lbo", regex=True)],
            [low, "vc", "growth", "pe"], default="other")
        return pd.Series(out, dtype=object)

    return map_unique(clean(values), f)


def _funds(raw, rej, get, cols, currency, scale, today) -> Loaded:
    idx = raw.frame.index
    ft = _fund_type(get("fund_type")) if "fund_type" in cols else pd.Series(pd.NA, index=idx, dtype=object)
    ls = _yes_no(get("life_science_focus")) if "life_science_focus" in cols else None
    return build_funds(FundsSpec(
        table=raw, rejector=rej, source="generic", headers=cols, fund_name=get("fund_name"),
        size=get("size"), scale=scale,
        currency=get("currency"), default_currency=None if "currency" in cols else currency,
        vintage=get("vintage"), manager=get("manager"), country=get("country"),
        fund_type=ft, life_science_focus=ls, fund_id=get("fund_id"), today=today))


def _series(raw, rej, get, cols, constants, scale) -> Loaded:
    idx = raw.frame.index
    years, bad_year = parse_years(get("year")) if "year" in cols else (
        pd.Series(constants["year"], index=idx, dtype="Int64"), pd.Series(False, index=idx))
    rej.flag(bad_year, "unparseable year", cols.get("year"), get("year"))
    rej.flag(years.isna(), "missing year", cols.get("year"), get("year"))
    vraw = clean(get("value"))
    val = pd.to_numeric(vraw.str.replace(",", "", regex=False), errors="coerce") * scale
    val = val.where(np.isfinite(val.to_numpy(dtype=float, na_value=np.nan)))  # ("inf", "1e400")
    rej.flag(vraw.notna() & val.isna(), "unparseable value", cols.get("value"), vraw)
    rej.flag(vraw.isna(), "missing value", cols.get("value"), vraw)
    out = pd.DataFrame(index=idx)
    for c in SERIES_COLUMNS:
        if c == "year":
            out[c] = years
        elif c == "value":
            out[c] = val
        elif c in cols:
            out[c] = clean(get(c))
        elif c in constants:
            out[c] = constants[c]
    out = out.loc[rej.kept]
    data = conform(out, "series")
    validate_series(data)
    return Loaded(data, rej.rejects(raw), "generic", "series", raw.path, raw.n_input, list(raw.notes))


register("generic", "any", read, None,
         "any CSV/XLSX with columns={canonical field: header} (rounds, funds or series)")
