"""Canonical rounds from one provider's parsed columns: :class:`RoundsSpec` in, :class:`Loaded` out.

:func:`build_rounds` applies, in order (a row gets the first reason that applies):
missing company; unparseable, missing, placeholder or future date; unparseable or
negative amount (an amount of 0 is read as undisclosed); unknown currency (only where an
amount is disclosed) or an amount without a currency; unknown country; absurd or
implausibly small amount; exact duplicate rows, the same company + date + amount, the
same provider id. It then converts the money (ECB annual rates, the provider's USD
figure where it has one) and builds the canonical frame from the rows kept.

Label columns may come as categoricals: they are parsed per distinct value and only
turned into strings for the rows kept. On a big file the work runs on two threads, and
each full-length column is released as soon as its kept rows are built
(:class:`_Columns`); with ``release_raw`` the raw table goes once the rejects hold its
values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    prefix_strings,
    take_series,
    years_of,
)
from fundgap.io._duplicates import (
    flag_duplicate_ids,
    id_codes,
    flag_exact_duplicates,
    flag_same_rounds,
    parsed_hash,
)
from fundgap.io._parse import (
    MAX_ROUND_USD_M,
    MIN_ROUND_USD_M,
    PLACEHOLDER_REASON,
    parse_dates,
    placeholder_dates,
    today,
)
from fundgap.io._records import Repeated
from fundgap.io._rejects import Rejector
from fundgap.io._table import RawTable
from fundgap.io._threads import Job, concurrently, is_parallel, release_free_memory
from fundgap.loaded import Loaded
from fundgap.normalise.amounts import (  # (the amount parser's status codes)
    STATUS_INVALID as _INVALID,
    STATUS_NEGATIVE as _NEGATIVE,
    STATUS_OK as _OK,
    STATUS_UNDISCLOSED as _UNDISCLOSED,
)
from fundgap.schema import _validate_rounds, conform

__all__ = ["RoundsSpec", "build_rounds", "ids_in_background"]


@dataclass(frozen=True, kw_only=True)
class RoundsSpec:
    """What :func:`build_rounds` needs: one provider's columns, parsed as far as it can.

    Full-length inputs are Series on the index of ``table.frame`` (or of ``frame``), or
    the header of one of its columns (a ``str``): a raw column named by its header is
    released with the raw table. Label columns may be categoricals.

    Attributes
    ----------
    table : RawTable
    rejector : Rejector
        Holds the rows the provider rejected already (e.g. a status); more are added.
    source : str
        The ``source=`` name written on every row.
    company, date, amount : Series or str
        Raw company names, date texts, amount texts (``amount`` None: no amounts).
    stage, stage_raw : Series
        Canonical stage per row and the raw label it came from.
    is_biotech : Series
        bool or boolean.
    headers : mapping
        ``company``, ``date``, ``amount``, ``currency``, ``country`` -> the header named
        in the rejects.
    currency : Series, optional
        Currency labels (names or codes); ``default_currency`` fills in where the file
        has no currency column.
    scale : float
        Multiplier from the file's amounts to millions.
    amount_is_usd : bool
        Amounts are USD unless a cell writes its own currency.
    provider_usd : Series, optional
        The provider's USD figure (millions) where it has one.
    country : Series, optional
        Country names or codes.
    sector : Series, optional
        The sector text kept as ``sector_raw``.
    round_id : Series, str or Job, optional
        Provider ids (a :func:`ids_in_background` job started early); ``id_prefix`` is
        put in front of them.
    extra : mapping
        Output column -> Series, or the header of a raw text column (kept cleaned), after
        the canonical columns in this order.
    dayfirst, date_formats, today
        Date parsing (see :func:`fundgap.io._parse.parse_dates`) and the cut-off for
        "date in the future".
    frame, rows, n_input
        For records that are not the table's rows (a layout that unpacks): their raw
        values (in the rejects and the exact-duplicate test; a DataFrame, or
        :class:`~fundgap.io._records.Records` that hold a file row's cells once), file
        rows and count.
    release_raw : bool
        Empty the raw table once the rejects hold its values (the caller keeps no
        reference to its frame).
    """

    table: RawTable
    rejector: Rejector
    source: str
    company: pd.Series | str
    date: pd.Series | str
    stage: pd.Series
    stage_raw: pd.Series
    is_biotech: pd.Series
    amount: pd.Series | str | None = None
    headers: Mapping[str, str | None] = field(default_factory=dict)
    currency: pd.Series | None = None
    default_currency: str | None = None
    scale: float = 1.0
    amount_is_usd: bool = False
    provider_usd: pd.Series | None = None
    country: pd.Series | None = None
    sector: pd.Series | None = None
    round_id: pd.Series | str | Job | None = None
    id_prefix: str = ""
    extra: Mapping[str, pd.Series | str] = field(default_factory=dict)
    dayfirst: bool = False
    date_formats: tuple[str, ...] = ()
    today: Any = None
    frame: pd.DataFrame | None = None
    rows: np.ndarray | None = None
    n_input: int | None = None
    release_raw: bool = False


class _Columns:
    """Full-length columns by name, each released when its kept rows are taken."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self._values: dict[str, Any] = {}
        self.kpos = self.kidx = self.kmask = None

    def __setitem__(self, key: str, values: Any) -> None:
        self._values[key] = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def keep(self, kept: np.ndarray) -> None:
        """The rows kept: their positions, index and (Arrow) mask."""
        import pyarrow as pa

        self.kpos = np.flatnonzero(kept)
        self.kidx = self.index[self.kpos]
        self.kmask = pa.array(kept)

    def pop(self, key: str) -> Any:
        """Column ``key`` (all rows), released from here."""
        return self._values.pop(key)

    def take(self, key: str) -> Any:
        """The kept rows of column ``key``, which is then released."""
        values = self._values.pop(key)
        if isinstance(values, Repeated):  # (a file row's cell repeated for its records)
            return values.take(self.kpos, self.kidx)
        if isinstance(values, np.ndarray):
            return values[self.kpos]
        return take_series(pd.Series(values, index=self.index, copy=False), self.kpos,
                           self.kidx, self.kmask)

    def clear(self) -> None:
        self._values.clear()


@dataclass
class _Work:
    """The state of one build: the table, its rows and notes, the parsed columns."""

    spec: RoundsSpec
    base: pd.DataFrame
    idx: pd.Index
    rows: np.ndarray
    notes: list[str]
    cols: _Columns
    rid_job: Job
    header: Callable[[str], str | None]
    text_extras: set[str] = field(default_factory=set)

    @property
    def rej(self) -> Rejector:
        return self.spec.rejector

    def raw(self, value: Any) -> Any:
        """A column given by its header, or the value as given."""
        return self.base[value] if isinstance(value, str) else value

    def text(self, value: Any) -> pd.Series:
        """:meth:`raw` cleaned (records that repeat their file row's cells: cleaned once per
        file row)."""
        if isinstance(value, str) and hasattr(self.base, "cleaned"):
            return self.base.cleaned(value)
        return clean(self.raw(value))


def ids_in_background(round_id: pd.Series | None, index: pd.Index) -> Job:
    """Start cleaning and hashing provider ids on a second thread.

    Pass the result as ``round_id`` of a :class:`RoundsSpec`; started right after the
    read, the work overlaps the parsing of the labels.

    Examples
    --------
    >>> rid, codes = ids_in_background(pd.Series([" a", "b", "a", None]), pd.RangeIndex(4)).result()
    >>> rid.tolist(), codes.tolist()
    (['a', 'b', 'a', <NA>], [0, 1, 0, -1])
    """
    return Job(lambda: _clean_ids(round_id, index))


def _clean_ids(round_id: Any, idx: pd.Index) -> tuple[pd.Series, np.ndarray | None]:
    """Cleaned provider ids (string Series on ``idx``) and their codes (-1 = missing)."""
    if round_id is None:
        return pd.Series(pd.NA, index=idx, dtype=STR), None
    rid = pd.Series(round_id, index=idx)
    rid = clean(rid) if not isinstance(rid.dtype, pd.CategoricalDtype) else decode(clean(rid))
    return rid, id_codes(rid)


def build_rounds(spec: RoundsSpec) -> Loaded:
    """Turn parsed columns of one provider into a checked :class:`Loaded` of rounds
    (see the module docstring for the rules, in order)."""
    w = _start(spec)
    _parse(w)
    _flag_amounts(w)
    _currency(w)
    _countries(w)
    _money(w)
    _duplicates(w)
    rejects = w.rej.rejects(spec.table, spec.frame)
    n_input = spec.table.n_input if spec.n_input is None else spec.n_input
    _release_raw(w)
    data = _output(w)
    return Loaded(data, rejects, spec.source, "rounds", spec.table.path, n_input, list(w.notes))


def _start(spec: RoundsSpec) -> _Work:
    raw = spec.table
    base = raw.frame if spec.frame is None else spec.frame
    rows = np.asarray(raw.source_row if spec.rows is None else spec.rows, dtype="int64")
    rid = spec.round_id
    if not isinstance(rid, Job):
        # the provider ids are cleaned and hashed on a second thread while this one parses
        # (Arrow releases the GIL): they are needed only for the duplicate tests
        rid = ids_in_background(base[rid] if isinstance(rid, str) else rid, base.index)
    return _Work(spec, base, base.index, rows, raw.notes, _Columns(base.index), rid,
                 spec.headers.get)


def _parse(w: _Work) -> None:
    """Company, dates, amounts and countries parsed (two threads); company and date rejects."""
    from fundgap.normalise import to_iso2
    from fundgap.normalise.amounts import parse_amount_codes

    spec, idx, cols = w.spec, w.idx, w.cols
    amount = None if spec.amount is None else pd.Series(w.raw(spec.amount), index=idx)
    country = None if spec.country is None else clean(pd.Series(spec.country, index=idx))
    date = w.raw(spec.date)
    cols["company"], (dates, bad_date), cols["parsed"], cols["iso"] = concurrently(
        lambda: w.text(spec.company),
        lambda: parse_dates(date, dayfirst=spec.dayfirst, formats=spec.date_formats),
        lambda: parse_amount_codes(amount, scale=spec.scale) if amount is not None else None,
        # (a categorical: region_of maps it per category)
        lambda: to_iso2(country, categorical=True) if country is not None else None,
    )
    cols["amount_raw"], cols["country_raw"] = amount, country
    w.rej.flag(cols["company"].isna(), "missing company name", w.header("company"),
               cols["company"])
    draw = pd.Series(date, index=idx)
    w.rej.flag(bad_date, "unparseable date", w.header("date"), draw)
    w.rej.flag(dates.isna(), "missing date", w.header("date"), draw)
    w.rej.flag(placeholder_dates(dates), PLACEHOLDER_REASON, w.header("date"), draw)
    cutoff = today(spec.today)
    w.rej.flag(dates > cutoff, f"date in the future (after {cutoff.date()})", w.header("date"),
               draw)
    d64 = dates.to_numpy(dtype="datetime64[ns]")
    cols["d64"], cols["years"] = d64, years_of(d64, np.isnat(d64))


def _flag_amounts(w: _Work) -> None:
    """Amounts in millions (NaN where undisclosed or rejected); the currency hints written
    in them; unparseable and negative amounts rejected, zeros read as undisclosed."""
    cols, n = w.cols, len(w.idx)
    parsed = cols["parsed"]
    cols["parsed"] = None
    if parsed is None:
        cols["amount"] = np.full(n, np.nan)
        cols["hint_codes"], cols["hint_cats"] = np.full(n, -1, dtype=np.int32), []
        return
    a_val, cols["hint_codes"], cols["hint_cats"], a_st = parsed
    del parsed
    amount = np.asarray(a_val, dtype=float)  # (the parser's own array: set in place)
    araw = cols["amount_raw"]
    _zero_as_undisclosed(amount, a_st, w.rej, w.notes)
    w.rej.flag(a_st == _INVALID, "unparseable amount", w.header("amount"), araw)
    w.rej.flag(a_st == _NEGATIVE, "negative amount", w.header("amount"), araw)
    np.putmask(amount, a_st != _OK, np.nan)
    cols["amount"] = amount


def _zero_as_undisclosed(amount: np.ndarray, status: np.ndarray, rej: Rejector,
                         notes: list[str]) -> None:
    """An amount of exactly 0 (or -0, "(0)") is not a disclosed round: it is read as
    undisclosed (status set to undisclosed in place) and counted in the notes."""
    zero = np.isin(status, (_OK, _NEGATIVE)) & (amount == 0) & rej.kept
    n_zero = int(zero.sum())
    if n_zero:
        status[zero] = _UNDISCLOSED
        notes.append(f"{n_zero} row(s) with amount 0 read as undisclosed (a zero is not a "
                     "disclosed round or fund size)")


def _currency(w: _Work) -> None:
    """The currency of each row, as a categorical: the currency column's, else the hint
    written in the amount, else the default; USD amounts stay USD unless a cell says
    otherwise. Unknown currencies and amounts without one are rejected."""
    cols, spec = w.cols, w.spec
    has_amount = ~np.isnan(cols["amount"])
    h_codes, h_cats = cols["hint_codes"], cols["hint_cats"]
    cols["hint_codes"] = cols["hint_cats"] = None
    if spec.amount_is_usd:
        cols["currency"] = _usd_or_written(h_codes, h_cats, has_amount, w.idx, w.notes)
        return
    from fundgap.normalise import normalise_currency

    craw = encode(pd.Series(pd.NA, index=w.idx, dtype=STR) if spec.currency is None
                  else pd.Series(spec.currency, index=w.idx))
    # on codes: the currency column's distinct labels, the hints written in the amounts
    # and the default currency share one category list
    iso_u = normalise_currency(pd.Series(np.asarray(craw.cat.categories.astype(object)),
                                         dtype=object))
    iso_u = [None if pd.isna(v) else str(v) for v in iso_u]
    default = [] if spec.default_currency is None else [spec.default_currency]
    cats = list(dict.fromkeys([v for v in iso_u if v is not None] + [str(h) for h in h_cats]
                              + default))
    pos = {c: i for i, c in enumerate(cats)}
    lut_raw = np.array([pos[v] if v is not None else -1 for v in iso_u] + [-1], dtype=np.int64)
    lut_hint = np.array([pos[str(h)] for h in h_cats] + [-1], dtype=np.int64)
    craw_codes = craw.cat.codes.to_numpy()
    codes = lut_raw[craw_codes]
    present = craw_codes >= 0
    w.rej.flag(present & (codes < 0) & has_amount, "unknown currency", w.header("currency"), craw)
    codes = np.where(codes < 0, lut_hint[np.asarray(h_codes)], codes)
    if default:
        codes = np.where(codes < 0, pos[default[0]], codes)
    w.rej.flag(has_amount & (codes < 0), "amount without a currency", w.header("amount"),
               cols["amount_raw"])
    codes = np.where(has_amount | present, codes, -1)
    cols["currency"] = pd.Series(pd.Categorical.from_codes(codes,
                                                           categories=pd.Index(cats, dtype=STR)),
                                 index=w.idx)


def _usd_or_written(h_codes: Any, h_cats: list, has_amount: np.ndarray, idx: pd.Index,
                    notes: list[str]) -> pd.Series:
    """The currency of a column of USD amounts: USD, except where a cell writes its own
    currency ("€12m", "EUR 12m", "£3m"), which is then read in that currency."""
    cats = list(dict.fromkeys(["USD", *(str(h) for h in h_cats)]))
    lut = np.array([cats.index(str(h)) for h in h_cats] + [0], dtype=np.int64)
    codes = lut[np.asarray(h_codes, dtype=np.int64)]  # (no hint, -1, picks the appended USD)
    other = has_amount & (codes != 0)
    if other.any():
        seen = sorted({cats[c] for c in np.unique(codes[other])})
        notes.append(f"{int(other.sum())} amount(s) written with their own currency {seen} read "
                     "in that currency, not as USD")
    return pd.Series(pd.Categorical.from_codes(codes.astype(np.int16),
                                               categories=pd.Index(cats, dtype=STR)), index=idx)


def _countries(w: _Work) -> None:
    """Unknown countries rejected; kept rows without a country counted in the notes."""
    cols = w.cols
    craw = cols["country_raw"]
    cols["country_raw"] = None
    if craw is None:
        cols["iso"] = pd.Series(pd.NA, index=w.idx, dtype=STR)
        return
    w.rej.flag(craw.notna().to_numpy() & cols["iso"].isna().to_numpy(), "unknown country",
               w.header("country"), craw)
    n_missing = int((craw.isna().to_numpy() & w.rej.kept).sum())
    if n_missing:
        w.notes.append(f"{n_missing} kept row(s) without a country (region missing)")


def _money(w: _Work) -> None:
    """USD and EUR on every row (elementwise: the kept rows get the values a subset
    would); absurd and implausibly small amounts rejected."""
    from fundgap.normalise.currency import currency_index, money_arrays

    cols, spec = w.cols, w.spec
    kept0 = w.rej.kept
    pusd = None  # (amounts in USD: converting USD into USD is the identity)
    if spec.provider_usd is not None:
        pusd = pd.to_numeric(pd.Series(spec.provider_usd, index=w.idx), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)
    amount = cols["amount"]
    usd, eur = money_arrays(amount, currency_index(cols["currency"]), cols["years"], pusd)
    del pusd
    araw = cols["amount_raw"]
    with np.errstate(invalid="ignore"):
        w.rej.flag(kept0 & (usd > MAX_ROUND_USD_M),
                   f"absurd amount (> USD {MAX_ROUND_USD_M:,.0f} million)", w.header("amount"),
                   araw)
        w.rej.flag(kept0 & (usd > 0) & (usd < MIN_ROUND_USD_M),
                   "implausibly small amount (< USD 1,000; wrong unit?)", w.header("amount"), araw)
    no_rate = kept0 & ~np.isnan(amount) & np.isnan(usd)
    if no_rate.any():
        w.notes.append(f"{int(no_rate.sum())} kept row(s) with an amount but no USD rate for "
                       "their currency/year (amount_usd missing)")
    cols["usd"], cols["eur"], cols["amount_raw"] = usd, eur, None


def _duplicates(w: _Work) -> None:
    """Exact duplicate rows, the same company + date + amount, the same provider id."""
    cols = w.cols
    cols["round_id"], codes = w.rid_job.result()
    w.rid_job.release()
    if not w.rej.kept.any():
        return
    company = w.header("company")
    flag_exact_duplicates(w.rej, w.base, w.rows, column=company, values=cols["company"],
                          seed=parsed_hash(cols["d64"], cols["amount"]), ids=codes,
                          first=company)
    flag_same_rounds(w.rej, w.idx, w.rows, cols["company"], d64=cols["d64"],
                     amount=cols["amount"], column=company)
    flag_duplicate_ids(w.rej, cols["round_id"], codes, w.rows, w.spec.id_prefix)


def _release_raw(w: _Work) -> None:
    """With ``release_raw``, the raw table goes once the rejects hold its values (the
    extras given by header are held on until their kept rows are taken)."""
    spec = w.spec
    for key, value in spec.extra.items():
        if isinstance(value, str) and hasattr(w.base, "repeated"):
            # (a file row's text repeated for its records: cleaned once per file row)
            w.cols["extra:" + key] = w.base.repeated(value, cleaned=True)
            continue
        w.cols["extra:" + key] = w.raw(value)
        if isinstance(value, str):
            w.text_extras.add(key)
    if spec.release_raw and spec.frame is None:
        w.base = w.base.iloc[:0]
        spec.table.frame = spec.table.frame.iloc[:0]
        if is_parallel():  # (a big file)
            release_free_memory()


def _output(w: _Work) -> pd.DataFrame:
    """The canonical frame of the rows kept, built column by column (two threads, the
    long strings first)."""
    spec, cols = w.spec, w.cols
    cols.keep(w.rej.kept)
    for key, value in (("stage", spec.stage), ("stage_raw", spec.stage_raw),
                       ("is_biotech", spec.is_biotech), ("sector", spec.sector)):
        cols[key] = value
    extras = list(spec.extra)

    def kept_extra(key: str) -> Any:
        values = cols.take("extra:" + key)
        return clean(values) if key in w.text_extras else values

    jobs = {k: (lambda k=k: kept_extra(k)) for k in ("investors", "lead_investors")
            if k in spec.extra}
    jobs.update(_canonical_jobs(w))
    for k in extras:
        jobs.setdefault(k, lambda k=k: kept_extra(k))
    built = dict(zip(jobs, concurrently(*jobs.values()), strict=True))
    cols.clear()
    built["country"], built["region"] = built["country"]
    later = [*extras, "amount_usd", "amount_eur"]
    sub = pd.DataFrame({k: built.pop(k) for k in [*(k for k in built if k not in later), *later]},
                       index=cols.kidx, copy=False)
    if len(sub):
        from fundgap.normalise import stage_group_of
        from fundgap.schema import STAGE_DTYPE

        if sub["stage"].dtype != STAGE_DTYPE:
            sub["stage"] = sub["stage"].astype(object).astype(STAGE_DTYPE)
        sub["stage_group"] = pd.Series(stage_group_of(sub["stage"])).set_axis(sub.index)
    data = conform(sub, "rounds")
    # ids were de-duplicated above: the schema check need not search them again
    _validate_rounds(data, check_ids=False)
    return data


def _canonical_jobs(w: _Work) -> dict[str, Callable[[], Any]]:
    """How each canonical column of the kept rows is built."""
    from fundgap.normalise import region_of

    spec, cols = w.spec, w.cols
    kpos, kidx = cols.kpos, cols.kidx

    def round_ids() -> pd.Series:
        rid = cols.take("round_id")
        if spec.id_prefix:
            rid = prefix_strings(rid, spec.id_prefix)
        missing = rid.isna().to_numpy()
        if missing.any():  # default ids only where the provider gave none
            rows = pd.Series(w.rows[kpos][missing], index=kidx[missing]).astype(STR)
            rid = rid.where(~missing, ((spec.source + ":") + rows).reindex(kidx))
        return rid

    def geography() -> tuple[pd.Series, pd.Series]:
        iso = cols.take("iso")
        # (EU27 in its 2020 composition: the date does not enter; per category of iso)
        return decode(iso), region_of(iso).set_axis(kidx)

    def year() -> pd.arrays.IntegerArray:
        y = cols.take("years")
        return pd.arrays.IntegerArray(np.where(y < 0, 0, y), y < 0)

    def biotech() -> Any:
        b = pd.Series(cols.pop("is_biotech"), index=w.idx, copy=False)
        if b.dtype == bool:
            return pd.arrays.BooleanArray(b.to_numpy()[kpos], np.zeros(len(kpos), dtype=bool))
        return take_series(b.astype("boolean"), kpos, kidx)

    def sector() -> pd.Series:
        if cols["sector"] is None:
            cols.pop("sector")
            return pd.Series(pd.NA, index=kidx, dtype=STR)
        return decode(clean(cols.take("sector")))

    return {
        "round_id": round_ids,
        "company": lambda: cols.take("company"),
        "country": geography,
        "stage": lambda: cols.take("stage"),
        "stage_raw": lambda: decode(clean(cols.take("stage_raw"))),
        "date": lambda: cols.take("d64"),
        "year": year,
        "amount": lambda: cols.take("amount"),
        "currency": lambda: decode(cols.take("currency")),
        "is_biotech": biotech,
        "sector_raw": sector,
        "source": lambda: constant_strings(spec.source, kidx),
        "source_row": lambda: pd.arrays.IntegerArray(w.rows[kpos], np.zeros(len(kpos), dtype=bool)),
        "amount_usd": lambda: cols.take("usd"),
        "amount_eur": lambda: cols.take("eur"),
    }

