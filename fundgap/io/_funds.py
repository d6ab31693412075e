"""Canonical funds from one provider's parsed columns: :class:`FundsSpec` in, :class:`Loaded` out.

:func:`build_funds` rejects, in order: a missing fund name; an unparseable, placeholder
or future vintage; an unparseable or negative size (a size of 0 is read as
undisclosed); an unknown currency (where a size is given) or a size without one; an
unknown country; an absurd size (> USD 50bn); the provider's own checks; exact
duplicate rows (same raw values apart from the id columns).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, clean
from fundgap.io._duplicates import flag_exact_duplicates
from fundgap.io._parse import MAX_FUND_USD_M, parse_years, placeholder_vintage, today
from fundgap.io._rejects import Rejector
from fundgap.io._table import RawTable
from fundgap.loaded import Loaded
from fundgap.schema import conform, validate_funds

__all__ = ["FundsSpec", "build_funds"]


@dataclass(frozen=True, kw_only=True)
class FundsSpec:
    """What :func:`build_funds` needs: one provider's fund columns, parsed as far as it can.

    Attributes
    ----------
    table : RawTable
    rejector : Rejector
    source : str
    fund_name : Series
        Raw fund names.
    fund_type : Series
        ``vc`` / ``growth`` / ``pe`` / ``other`` per row (missing where unknown).
    headers : mapping
        ``fund_name``, ``size``, ``vintage``, ``currency``, ``country``, ``fund_id`` ->
        the header named in the rejects.
    size : Series, optional
        Raw sizes; ``scale`` turns a bare number into millions.
    currency : Series, optional
        Currency labels; ``default_currency`` where the file has no currency column.
    size_is_usd : bool
        Sizes are USD unless a cell writes its own currency.
    provider_usd : Series, optional
        The provider's USD figure (millions) where it has one.
    vintage, manager, country, fund_id, life_science_focus : Series, optional
    extra : mapping
        Output column -> Series, kept after the canonical columns in this order.
    today : date-like, optional
        Cut-off for "vintage in the future".
    ignore : collection of str
        Headers left out of the exact-duplicate test (ids, timestamps), besides the id's.
    checks : callable, optional
        ``checks(kept, rejector)``: the provider's own rejects on the frame of the rows
        kept so far (with ``size_usd``), before the duplicate test.
    """

    table: RawTable
    rejector: Rejector
    source: str
    fund_name: pd.Series
    fund_type: pd.Series
    headers: Mapping[str, str | None] = field(default_factory=dict)
    size: pd.Series | None = None
    scale: float = 1.0
    currency: pd.Series | None = None
    default_currency: str | None = None
    size_is_usd: bool = False
    provider_usd: pd.Series | None = None
    vintage: pd.Series | None = None
    manager: pd.Series | None = None
    country: pd.Series | None = None
    fund_id: pd.Series | None = None
    life_science_focus: pd.Series | None = None
    extra: Mapping[str, pd.Series] = field(default_factory=dict)
    today: Any = None
    ignore: Collection[str] = ()
    checks: Callable[[pd.DataFrame, Rejector], None] | None = None


def build_funds(spec: FundsSpec) -> Loaded:
    """Turn parsed columns of one provider into a checked :class:`Loaded` of funds (see the
    module docstring for the rules, in order)."""
    raw, rej = spec.table, spec.rejector
    idx = raw.frame.index
    col = spec.headers.get
    name = clean(spec.fund_name)
    rej.flag(name.isna(), "missing fund name", col("fund_name"), name)
    vintage = _vintage(spec, idx)
    size, hint = _size(spec, idx)
    currency = _currency(spec, idx, size, hint)
    iso = _country(spec, idx)
    rows = np.asarray(raw.source_row, dtype="int64")
    out = _frame(spec, idx, rows, name=name, iso=iso, vintage=vintage, size=size,
                 currency=currency)
    sub = _money(spec, out)
    keep = pd.Series(rej.kept, index=idx)
    id_cols = {c for c in (col("fund_id"), col("id"), *spec.ignore) if c}
    flag_exact_duplicates(rej, raw.frame, rows, column=col("fund_name"), values=name,
                          ignore=id_cols)
    keep = pd.Series(rej.kept, index=idx)
    sub = sub.loc[keep[sub.index].to_numpy()]
    if len(sub):
        from fundgap.normalise import region_of

        reg = region_of(sub["country"])
        sub["region"] = pd.Series(reg).set_axis(sub.index) if isinstance(reg, pd.Series) else reg
    data = conform(sub, "funds")
    validate_funds(data)
    return Loaded(data, rej.rejects(raw), spec.source, "funds", raw.path, raw.n_input,
                  list(raw.notes))


def _vintage(spec: FundsSpec, idx: pd.Index) -> pd.Series:
    """Vintage years; unparseable, placeholder and future vintages rejected."""
    if spec.vintage is None:
        return pd.Series(pd.NA, index=idx, dtype="Int64")
    rej, header, raw = spec.rejector, spec.headers.get("vintage"), spec.vintage
    vint, bad = parse_years(raw)
    rej.flag(bad, "unparseable vintage year", header, raw)
    rej.flag(placeholder_vintage(raw, vint),
             "placeholder vintage (before 1900, or a placeholder date such as 1970-01-01)",
             header, raw)
    rej.flag(vint > today(spec.today).year, "vintage in the future", header, raw)
    return vint


def _size(spec: FundsSpec, idx: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Sizes in millions (NaN where undisclosed or rejected) and the currency written in
    them; zeros read as undisclosed, unparseable and negative sizes rejected."""
    from fundgap.normalise import normalise_currency, parse_amounts

    if spec.size is None:
        return pd.Series(np.nan, index=idx), pd.Series(pd.NA, index=idx, dtype=STR)
    rej, header = spec.rejector, spec.headers.get("size")
    sraw = pd.Series(spec.size, index=idx)
    parsed = parse_amounts(sraw, scale=spec.scale)
    parsed.index = idx
    zero = (parsed["status"].isin(["ok", "negative"]) & (parsed["amount"] == 0)).to_numpy(
        dtype=bool, na_value=False) & rej.kept
    if zero.any():
        parsed.loc[zero, ["amount", "status"]] = [np.nan, "undisclosed"]
        spec.table.notes.append(f"{int(zero.sum())} fund(s) with size 0 read as undisclosed (a "
                                "zero is not a disclosed fund size)")
    status = parsed["status"].astype(object)
    rej.flag(status == "invalid", "unparseable fund size", header, sraw)
    rej.flag(status == "negative", "negative fund size", header, sraw)
    size = parsed["amount"].where(status == "ok").astype("float64")
    return size, _strings(normalise_currency(parsed["currency_hint"]), idx)


def _strings(values: Any, index: pd.Index) -> pd.Series:
    """A string-dtype Series on ``index``."""
    out = pd.Series(values, copy=False)
    if len(out) == len(index):
        out = out.set_axis(index)
    return out if out.dtype == STR else out.astype(STR)


def _currency(spec: FundsSpec, idx: pd.Index, size: pd.Series, hint: pd.Series) -> pd.Series:
    """The currency of each fund: the currency column's, else the one written in the size,
    else the default; USD sizes stay USD unless the cell says otherwise."""
    from fundgap.normalise import normalise_currency

    rej, col = spec.rejector, spec.headers.get
    if spec.size_is_usd:  # (a size that writes its own currency, "€250m", is read in it)
        currency = hint.fillna("USD").where(size.notna(), "USD").astype(STR)
        n_other = int((size.notna() & (currency != "USD")).sum())
        if n_other:
            spec.table.notes.append(f"{n_other} fund size(s) written with their own currency "
                                    "read in that currency, not as USD")
        return currency
    craw = (pd.Series(pd.NA, index=idx, dtype=STR) if spec.currency is None
            else clean(pd.Series(spec.currency, index=idx)))
    cur = _strings(normalise_currency(craw), idx)
    rej.flag(craw.notna() & cur.isna() & size.notna(), "unknown currency", col("currency"), craw)
    cur = cur.fillna(hint)
    if spec.default_currency is not None:
        cur = cur.fillna(spec.default_currency)
    rej.flag(size.notna() & cur.isna(), "fund size without a currency", col("size"), spec.size)
    return cur.where(size.notna() | craw.notna())


def _country(spec: FundsSpec, idx: pd.Index) -> pd.Series:
    """ISO2 codes; unknown countries rejected."""
    from fundgap.normalise import to_iso2

    if spec.country is None:
        return pd.Series(pd.NA, index=idx, dtype=STR)
    c = clean(pd.Series(spec.country, index=idx))
    iso = _strings(to_iso2(c), idx)
    spec.rejector.flag(c.notna() & iso.isna(), "unknown country", spec.headers.get("country"), c)
    return iso


def _frame(spec: FundsSpec, idx: pd.Index, rows: np.ndarray, **parsed: pd.Series) -> pd.DataFrame:
    """Every row in the canonical columns (plus the extras), before the money columns."""
    def text(values: pd.Series | None) -> pd.Series:
        return clean(values) if values is not None else pd.Series(pd.NA, index=idx, dtype=STR)

    life = spec.life_science_focus
    out = pd.DataFrame({
        "fund_id": text(spec.fund_id),
        "fund_name": parsed["name"],
        "manager": text(spec.manager),
        "country": parsed["iso"],
        "vintage": parsed["vintage"],
        "size": parsed["size"],
        "currency": parsed["currency"],
        "fund_type": pd.Series(spec.fund_type, index=idx),
        "life_science_focus": (pd.Series(life, index=idx).astype("boolean") if life is not None
                               else pd.Series(pd.NA, index=idx, dtype="boolean")),
        "source": spec.source,
        "source_row": rows,
    }, index=idx)
    out["fund_id"] = out["fund_id"].fillna(
        (spec.source + ":") + pd.Series(rows, index=idx).astype(STR))
    for k, v in spec.extra.items():
        out[k] = pd.Series(v, index=idx)
    return out


def _money(spec: FundsSpec, out: pd.DataFrame) -> pd.DataFrame:
    """The rows kept, with USD and EUR sizes; absurd sizes and the provider's checks rejected."""
    from fundgap.normalise import add_money_columns

    rej = spec.rejector
    idx = out.index
    keep = pd.Series(rej.kept, index=idx)
    sub = out.loc[keep].copy()
    if spec.provider_usd is not None:
        pusd = pd.Series(spec.provider_usd, index=idx).loc[keep]
    else:
        pusd = sub["size"].where(sub["currency"] == "USD") if spec.size_is_usd else None
    sub = add_money_columns(sub, amount="size", currency="currency", year="vintage",
                            usd="size_usd", eur="size_eur", provider_usd=pusd)
    big = pd.Series(False, index=idx)
    big.loc[sub.index] = sub["size_usd"].to_numpy(dtype=float, na_value=np.nan) > MAX_FUND_USD_M
    rej.flag(big, f"absurd fund size (> USD {MAX_FUND_USD_M:,.0f} million)",
             spec.headers.get("size"), spec.size)
    if spec.checks is not None:
        spec.checks(sub, rej)
    return sub
