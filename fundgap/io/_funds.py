"""Canonical funds from one provider's parsed columns: :class:`FundsSpec` in, :class:`Loaded` out.

:func:`build_funds` rejects, in order: a missing fund name; an unparseable, placeholder
or future vintage; an unparseable or negative size (a size of 0 is read as
undisclosed); an unknown currency (where a size is given) or a size without one; an
unknown country; an absurd size (> USD 50bn); the provider's own checks; exact
duplicate rows (same raw values apart from the id columns).

As for rounds (:mod:`fundgap.io._rounds`), the work is columnar: vintages, currencies,
countries and the other label columns are parsed once per distinct label (categoricals)
and broadcast by their codes; sizes and money are numpy arrays over every row; the
canonical frame is built from the rows kept only, column by column.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import (
    STR,
    clean,
    constant_strings,
    decode,
    encode,
    per_label,
    take_series,
)
from fundgap.io._duplicates import exact_candidates, flag_exact_duplicates
from fundgap.io._parse import MAX_FUND_USD_M, parse_years, placeholder_vintage, today
from fundgap.io._rejects import Rejector
from fundgap.io._threads import Job, concurrently
from fundgap.io._table import RawTable
from fundgap.loaded import Loaded
from fundgap.normalise.amounts import (  # (the amount parser's status codes)
    STATUS_INVALID as _INVALID,
    STATUS_NEGATIVE as _NEGATIVE,
    STATUS_OK as _OK,
    STATUS_UNDISCLOSED as _UNDISCLOSED,
)
from fundgap.schema import FUND_TYPE_DTYPE, conform, validate_funds

__all__ = ["FundsSpec", "build_funds", "fund_types"]


@dataclass(frozen=True, kw_only=True)
class FundsSpec:
    """What :func:`build_funds` needs: one provider's fund columns, parsed as far as it can.

    Full-length inputs are Series on the index of ``table.frame``; label columns
    (vintage, currency, country) may be categoricals of their cleaned labels.

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
        Output column -> Series, or the header of a raw text column (kept cleaned), after
        the canonical columns in this order.
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


@dataclass
class _Parsed:
    """The parsed columns of every row: numpy arrays and categoricals."""

    name: pd.Series
    years: np.ndarray  # int64, -1 = missing
    size: np.ndarray  # float64 millions, NaN = undisclosed or rejected
    currency: pd.Series  # categorical of ISO codes
    iso: pd.Series | None  # categorical of ISO2 codes
    usd: np.ndarray | None = None
    eur: np.ndarray | None = None


def build_funds(spec: FundsSpec) -> Loaded:
    """Turn parsed columns of one provider into a checked :class:`Loaded` of funds (see the
    module docstring for the rules, in order)."""
    raw, rej = spec.table, spec.rejector
    idx = raw.frame.index
    col = spec.headers.get
    id_cols = {c for c in (col("fund_id"), col("id"), *spec.ignore) if c}
    # the exact-duplicate screen reads only the raw cells: a second thread runs it on every
    # row while this one parses and checks (the rows it flags are then narrowed to the kept)
    screen = Job(lambda: exact_candidates(raw.frame, ignore=id_cols))
    name = clean(spec.fund_name)
    rej.flag(name.isna().to_numpy(), "missing fund name", col("fund_name"), name)
    years = _vintage(spec, idx)
    size, hint = _size(spec, len(idx))
    p = _Parsed(name, years, size, _currency(spec, idx, size, *hint), _country(spec, idx))
    rows = np.asarray(raw.source_row, dtype="int64")
    _money(spec, p)
    flag_exact_duplicates(rej, raw.frame, rows, column=col("fund_name"), values=name,
                          ignore=id_cols, candidates=screen.result())
    screen.release()
    data = conform(_output(spec, p, rows, rej.kept), "funds")
    validate_funds(data)
    return Loaded(data, rej.rejects(raw), spec.source, "funds", raw.path, raw.n_input,
                  list(raw.notes))


def _vintage(spec: FundsSpec, idx: pd.Index) -> np.ndarray:
    """Vintage years (-1 = missing), parsed per distinct label; unparseable, placeholder and
    future vintages rejected."""
    if spec.vintage is None:
        return np.full(len(idx), -1, dtype=np.int64)
    rej, header = spec.rejector, spec.headers.get("vintage")
    labels = encode(pd.Series(spec.vintage, index=idx))

    def parse(u: pd.Series) -> np.ndarray:
        y, bad = parse_years(u)
        early = placeholder_vintage(u, y)
        y = y.to_numpy(dtype="float64", na_value=np.nan)
        # year, unparseable, placeholder in one array: year * 4 + 2 * placeholder + bad
        return np.where(np.isnan(y), -4, np.nan_to_num(y) * 4).astype(np.int64) + 2 * early + bad

    coded = per_label(labels, parse, np.int64(-4))
    years = coded >> 2  # (floor division: -1 where missing)
    rej.flag((coded & 1).astype(bool), "unparseable vintage year", header, labels)
    rej.flag((coded & 2).astype(bool),
             "placeholder vintage (before 1900, or a placeholder date such as 1970-01-01)",
             header, labels)
    rej.flag(years > today(spec.today).year, "vintage in the future", header, labels)
    return years


def _size(spec: FundsSpec, n: int) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Sizes in millions (NaN where undisclosed or rejected) and the ISO code written in them
    (a table of str/None and each row's index into it, -1 = none); zeros read as
    undisclosed, unparseable and negative sizes rejected."""
    from fundgap.normalise import normalise_currency
    from fundgap.normalise.amounts import parse_amount_codes

    if spec.size is None:
        return np.full(n, np.nan), (np.array([None], dtype=object), np.full(n, -1))
    rej, header = spec.rejector, spec.headers.get("size")
    amount, h_codes, h_cats, status = parse_amount_codes(spec.size, scale=spec.scale)
    amount = np.asarray(amount, dtype=float)
    status = np.asarray(status).copy()
    zero = np.isin(status, (_OK, _NEGATIVE)) & (amount == 0) & rej.kept
    if zero.any():
        status[zero] = _UNDISCLOSED
        spec.table.notes.append(f"{int(zero.sum())} fund(s) with size 0 read as undisclosed (a "
                                "zero is not a disclosed fund size)")
    rej.flag(status == _INVALID, "unparseable fund size", header, spec.size)
    rej.flag(status == _NEGATIVE, "negative fund size", header, spec.size)
    size = np.where(status == _OK, amount, np.nan)
    iso_h = normalise_currency(pd.Series(list(h_cats), dtype=object))
    lut = np.array([None if pd.isna(v) else str(v) for v in iso_h] + [None], dtype=object)
    return size, (lut, np.asarray(h_codes, dtype=np.int64))


def _currency(spec: FundsSpec, idx: pd.Index, size: np.ndarray, lut: np.ndarray,
              h_codes: np.ndarray) -> pd.Series:
    """The currency of each fund as a categorical: the currency column's, else the one written
    in the size (``lut[h_codes]``), else the default; USD sizes stay USD unless the cell says
    otherwise."""
    from fundgap.normalise import normalise_currency

    has_size = ~np.isnan(size)
    if spec.size_is_usd:  # (a size that writes its own currency, "€250m", is read in it)
        # (per code of the written currency: a row's currency is its code's, else USD)
        read_as = np.array(["USD" if v is None else v for v in lut], dtype=object)
        other = np.array([v is not None and v != "USD" for v in lut])
        n_other = int((has_size & other[h_codes]).sum())
        if n_other:
            spec.table.notes.append(f"{n_other} fund size(s) written with their own currency "
                                    "read in that currency, not as USD")
        return _codes_categorical(np.where(has_size, h_codes, len(lut) - 1), read_as, idx)
    hint = lut[h_codes]
    rej, col = spec.rejector, spec.headers.get
    craw = encode(pd.Series(pd.NA, index=idx, dtype=STR) if spec.currency is None
                  else pd.Series(spec.currency, index=idx))
    iso_u = normalise_currency(pd.Series(np.asarray(craw.cat.categories.astype(object)),
                                         dtype=object))
    lut = np.array([None if pd.isna(v) else str(v) for v in iso_u] + [None], dtype=object)
    present = craw.cat.codes.to_numpy() >= 0
    cur = lut[craw.cat.codes.to_numpy()]
    rej.flag(present & (cur == None) & has_size, "unknown currency", col("currency"), craw)  # noqa: E711
    cur = np.where(cur == None, hint, cur)  # noqa: E711
    if spec.default_currency is not None:
        cur = np.where(cur == None, spec.default_currency, cur)  # noqa: E711
    rej.flag(has_size & (cur == None), "fund size without a currency", col("size"), spec.size)  # noqa: E711
    return _categorical(np.where(has_size | present, cur, None), idx)


def _categorical(values: np.ndarray, idx: pd.Index) -> pd.Series:
    """An object array of str/None (few distinct values) as a categorical of strings."""
    codes, cats = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(
        [str(c) for c in cats], dtype=STR), validate=False), index=idx, copy=False)


def _codes_categorical(codes: np.ndarray, labels: np.ndarray, idx: pd.Index) -> pd.Series:
    """``labels[codes]`` (few distinct str) as :func:`_categorical` gives it (categories in
    order of first appearance), by the integer codes."""
    names, same = np.unique(labels.astype(str), return_inverse=True)
    first, order = pd.factorize(same[codes])
    return pd.Series(pd.Categorical.from_codes(first, categories=pd.Index(
        names[order].tolist(), dtype=STR), validate=False), index=idx, copy=False)


def _country(spec: FundsSpec, idx: pd.Index) -> pd.Series | None:
    """ISO2 codes as a categorical (per distinct label); unknown countries rejected."""
    from fundgap.normalise import to_iso2

    if spec.country is None:
        return None
    c = encode(pd.Series(spec.country, index=idx))
    iso = to_iso2(c, categorical=True)
    spec.rejector.flag(c.notna().to_numpy() & iso.isna().to_numpy(), "unknown country",
                       spec.headers.get("country"), c)
    return iso


def _money(spec: FundsSpec, p: _Parsed) -> None:
    """USD and EUR sizes of every row (elementwise: a kept row gets what a subset would);
    absurd sizes and the provider's checks rejected."""
    from fundgap.normalise.currency import currency_index, money_arrays

    rej = spec.rejector
    kept0 = rej.kept
    cur_idx = currency_index(p.currency)
    if spec.provider_usd is not None:
        pusd = pd.to_numeric(pd.Series(spec.provider_usd, copy=False), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)
        p.usd, p.eur = money_arrays(p.size, cur_idx, p.years, pusd)
    elif spec.size_is_usd:
        # (per category: the rows whose currency is USD give their size as the USD figure)
        is_usd = np.append(np.asarray(p.currency.cat.categories == "USD", dtype=bool), False)
        usd_given = np.where(is_usd[p.currency.cat.codes.to_numpy()], p.size, np.nan)
        p.usd, p.eur = money_arrays(p.size, cur_idx, p.years, usd_given)
    else:
        p.usd, p.eur = money_arrays(p.size, cur_idx, p.years)
    with np.errstate(invalid="ignore"):
        big = kept0 & (p.usd > MAX_FUND_USD_M)
    rej.flag(big, f"absurd fund size (> USD {MAX_FUND_USD_M:,.0f} million)",
             spec.headers.get("size"), spec.size)
    if spec.checks is not None:  # (on the frame of the rows kept before the absurd sizes)
        spec.checks(_output(spec, p, np.asarray(spec.table.source_row, dtype="int64"), kept0,
                            keep_index=True), rej)


def fund_types(values: pd.Series) -> pd.Series:
    """Fund types (``vc`` / ``growth`` / ``pe`` / ``other``, any other value missing) as the
    canonical categorical, converted per distinct value.

    Examples
    --------
    >>> fund_types(pd.Series(["vc", None, "pe", "x"])).tolist()
    ['vc', nan, 'pe', nan]
    """
    s = pd.Series(values, copy=False)
    if s.dtype == FUND_TYPE_DTYPE:
        return s
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, cats = s.cat.codes.to_numpy(), list(s.cat.categories.astype(object))
    else:
        codes, cats = pd.factorize(s.astype(object), use_na_sentinel=True)
    allowed = list(FUND_TYPE_DTYPE.categories)
    lut = np.array([allowed.index(c) if c in allowed else -1 for c in cats] + [-1],
                   dtype=np.int8)
    return pd.Series(pd.Categorical.from_codes(lut[codes], dtype=FUND_TYPE_DTYPE),
                     index=s.index, copy=False)


def _output(spec: FundsSpec, p: _Parsed, rows: np.ndarray, kept: np.ndarray, *,
            keep_index: bool = False) -> pd.DataFrame:
    """The canonical columns (and the extras) of the rows of ``kept``, taken column by column;
    on the table's index with ``keep_index`` (for the checks), else a fresh one."""
    import pyarrow as pa

    from fundgap.normalise import region_of

    idx = spec.table.frame.index
    kpos = np.flatnonzero(kept)
    kidx = idx[kpos]
    mask = pa.array(kept)

    def take(values: Any) -> pd.Series:
        return take_series(pd.Series(values, index=idx, copy=False), kpos, kidx, mask)

    def text(values: pd.Series | str | None) -> pd.Series:
        if values is None:
            return pd.Series(pd.NA, index=kidx, dtype=STR)
        taken = take(spec.table.frame[values] if isinstance(values, str) else values)
        return decode(clean(taken)) if isinstance(taken.dtype, pd.CategoricalDtype) else clean(
            taken)

    def fund_ids() -> pd.Series:
        fid = text(spec.fund_id)
        missing = fid.isna().to_numpy()
        if missing.any():  # the row's own id where the provider gave none
            own = (spec.source + ":") + pd.Series(rows[kpos], index=kidx).astype(STR)
            fid = fid.where(~missing, own)
        return fid

    years = p.years[kpos]
    life = spec.life_science_focus
    jobs: dict[str, Callable[[], Any]] = {
        "fund_id": fund_ids,
        "fund_name": lambda: take(p.name),
        "manager": lambda: text(spec.manager),
        "country": lambda: (decode(take(p.iso)) if p.iso is not None
                            else pd.Series(pd.NA, index=kidx, dtype=STR)),
        "vintage": lambda: pd.arrays.IntegerArray(np.where(years < 0, 0, years), years < 0),
        "size": lambda: p.size[kpos],
        "currency": lambda: decode(take(p.currency)),
        "fund_type": lambda: fund_types(take(spec.fund_type)),
        "life_science_focus": lambda: (
            take(pd.Series(life, index=idx).astype("boolean")) if life is not None
            else pd.Series(pd.NA, index=kidx, dtype="boolean")),
        "source": lambda: constant_strings(spec.source, kidx),
        "source_row": lambda: pd.arrays.IntegerArray(rows[kpos], np.zeros(len(kpos), dtype=bool)),
    }
    jobs.update({k: (lambda v=v: text(v) if isinstance(v, str) else take(v))
                 for k, v in spec.extra.items()})
    jobs["size_usd"], jobs["size_eur"] = (lambda: p.usd[kpos]), (lambda: p.eur[kpos])
    # (text columns copied on two threads: Arrow releases the GIL)
    out = dict(zip(jobs, concurrently(*jobs.values()), strict=True))
    sub = pd.DataFrame(out, index=kidx, copy=False)
    if len(sub):
        iso = take(p.iso) if p.iso is not None else sub["country"]
        sub["region"] = pd.Series(region_of(iso)).set_axis(kidx)
    return sub if keep_index else sub.reset_index(drop=True)
