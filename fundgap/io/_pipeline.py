"""The loader of a :class:`~fundgap.io.Layout`: read, map, parse, hand over to the builders.

:func:`read_layout` reads the file (only the mapped columns with ``only_mapped``; label
fields as categoricals), maps the layout's fields to the file's headers (one matcher,
:func:`fundgap.io._headers.map_columns`), rejects unaccepted statuses, runs the
layout's hooks, derives stage, biotech flag, sector, modality and country on two
threads, and builds the canonical frame (:func:`~fundgap.io._rounds.build_rounds`,
:func:`~fundgap.io._funds.build_funds`, or the series table here).
:func:`register_loader` makes a layout a ``source=``.

Examples
--------
>>> import os, tempfile, fundgap
>>> from fundgap.io import Layout, register_loader
>>> p = os.path.join(tempfile.mkdtemp(), "synthetic_acme.csv")
>>> with open(p, "w") as f:
...     _ = f.write("Startup,Closed on,Raised (EUR m)\\nAcme Bio,2021-03-01,12.5\\n,2021-04-01,3\\n")
>>> src = register_loader(Layout("acme_doc", columns={"company": "Startup", "date": "Closed on",
...                                                   "amount": "Raised (EUR m)"}, currency="EUR"))
>>> ld = fundgap.read_rounds(p, today="2025-01-01")
>>> ld.source, len(ld.data), ld.rejects["reason"].tolist()
('acme_doc', 1, ['missing company name'])
>>> unregister_loader("acme_doc")
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.io._columnar import encode, prefix_strings
from fundgap.io._fields import Fields
from fundgap.io._funds import FundsSpec, build_funds
from fundgap.io._headers import headers_of, map_columns
from fundgap.io._layout import Layout
from fundgap.io._parse import fund_type_label, parse_years, yes_no
from fundgap.io._read import read_table
from fundgap.io._registry import _SOURCES, Source, register
from fundgap.io._rounds import RoundsSpec, build_rounds, ids_in_background
from fundgap.io._threads import threaded
from fundgap.loaded import Loaded
from fundgap.schema import SERIES_COLUMNS, conform, validate_series

__all__ = ["LIFE_SCIENCE", "read_layout", "register_loader", "unregister_loader"]

#: Words of a fund's industry focus that mark a life-science fund.
LIFE_SCIENCE = r"health|biotech|life science|pharma|medic|therapeut"
#: Reading options every layout accepts (passed to :func:`fundgap.io._read.read_table`).
READ_OPTIONS = ("encoding", "delimiter", "sheet_name", "quotechar", "escapechar", "progress")


def register_loader(layout: Layout) -> Source:
    """Make ``layout`` a loader: ``read_rounds(path, source=layout.name)`` (or
    ``read_funds`` / ``read_series``) reads such files, and the sniffer recognises them by
    their header (unless ``layout.sniff`` is False). Registering a name again replaces it.

    Parameters
    ----------
    layout : Layout

    Returns
    -------
    Source
        The registry's record of the loader.

    Raises
    ------
    FundgapError
        If ``layout`` is not a :class:`Layout`.
    """
    if not isinstance(layout, Layout):
        raise FundgapError("register_loader takes a fundgap.io.Layout", argument="layout",
                           value=type(layout).__name__, expected=["Layout"])
    reader = functools.partial(read_layout, layout)
    functools.update_wrapper(reader, read_layout)
    return register(layout.name, layout.kind, reader, layout.sniffer(),
                    layout.description or f"declared layout {layout.name!r}",
                    priority=layout.priority)


def unregister_loader(name: str) -> None:
    """Remove the loader registered as ``name`` (a no-op if there is none)."""
    _SOURCES.pop(str(name).strip().lower(), None)


def read_layout(layout: Layout, path: str, *, today: Any = None, dayfirst: bool | None = None,
                **options: Any) -> Loaded:
    """Read ``path`` as ``layout`` describes it.

    Parameters
    ----------
    layout : Layout
    path : str
    today : date-like, optional
        Cut-off for "date (vintage) in the future" (default: today).
    dayfirst : bool, optional
        Overrides ``layout.dayfirst``.
    **options
        Reading options: ``encoding``, ``delimiter``, ``sheet_name``, ``quotechar``,
        ``escapechar``.

    Returns
    -------
    Loaded

    Raises
    ------
    FundgapError
        An unknown option (naming it and the options allowed).
    MissingColumnError
        A required field absent from the file.
    """
    unknown = sorted(set(options) - set(READ_OPTIONS))
    if unknown:
        raise FundgapError(f"unknown option(s) for the {layout.name} loader", file=path,
                           argument=unknown[0], value=unknown, expected=READ_OPTIONS)
    fields = read_fields(layout, path, {**layout.read_options, **options})
    if layout.kind == "series":
        return _series(layout, fields)
    _statuses(layout, fields)
    if layout.prepare is not None:
        layout.prepare(fields)
    if layout.kind == "funds":
        return _funds(layout, fields, today)
    return _rounds(layout, fields, today, layout.dayfirst if dayfirst is None else dayfirst)


def read_fields(layout: Layout, path: str, options: dict[str, Any]) -> Fields:
    """Read the file and map the layout's fields; the label fields come encoded."""
    spec = layout.columns
    labels = [k for k in layout.labels if k in spec]
    if labels:
        options.setdefault("categorical", headers_of(spec, labels))
    if layout.only_mapped:
        options.setdefault("columns", headers_of(spec, spec))
    sniff = layout.sniffer()
    header = sniff if sniff is not None else [h for alts in spec.values() for h in alts[:1]]
    raw = read_table(path, header=header, **options)
    cols = map_columns(raw, spec, [f for f in layout.required if f in spec], layout.name)
    found = [k for k in labels if k in cols]
    encoded = threaded(lambda k: encode(raw.frame[cols[k]]), found)
    return Fields(raw, cols, dict(zip(found, encoded, strict=True)))


def _statuses(layout: Layout, f: Fields) -> None:
    """Reject rows whose status is not one of ``layout.statuses`` (an empty one included)."""
    if layout.statuses is None:
        return
    if "status" not in f:
        f.note(f"no {layout.columns['status'][0]} column: every row kept, whatever its status")
        return
    status = f.labels("status")
    codes = status.cat.codes.to_numpy()
    accepted = {s.lower() for s in layout.statuses}
    # one reason per distinct status not accepted (an empty status included)
    for code, label in [*enumerate(status.cat.categories), (-1, "(empty)")]:
        if str(label).lower() not in accepted:
            f.reject(codes == code, f"{layout.status_reason}: {label}", "status")


# --------------------------------------------------------------------------- rounds


def _rounds(layout: Layout, f: Fields, today: Any, dayfirst: bool) -> Loaded:
    ids = ids_in_background(f.raw("round_id"), f.index) if "round_id" in f else None
    # stage, biotech flag, sector, modality, country and the provider's USD figure are
    # independent: two threads
    (stage, stage_raw), bio, sector, modality, country, usd = f.in_order(
        lambda: layout.stage_rule(f) if layout.stage_rule else _stage(f, layout),
        lambda: layout.biotech_rule(f) if layout.biotech_rule else _biotech(f, layout),
        lambda: _sector(f, layout),
        lambda: _modality(f, layout),
        lambda: layout.country_rule(f) if layout.country_rule else f.column("country"),
        lambda: _provider_usd(f, layout.scale),
    )
    headers = {k: f.header(k) for k in ("company", "date", "amount", "currency", "country")}
    has_currency = "currency" in f
    return build_rounds(RoundsSpec(
        table=f.table, rejector=f.rejector, source=layout.name, headers=headers,
        company=f.value("company"), date=f.value("date"), amount=f.value("amount"),
        currency=f.labels("currency") if has_currency else None,
        default_currency=None if has_currency else layout.currency, scale=layout.scale,
        amount_is_usd=layout.amount_is_usd, provider_usd=usd, country=country,
        stage=stage, stage_raw=stage_raw, is_biotech=bio, sector=sector,
        round_id=ids if ids is not None else f.value("round_id"), id_prefix=layout.id_prefix,
        extra=_kept(f, layout, modality), dayfirst=dayfirst,
        date_formats=tuple(layout.date_formats), today=today,
        frame=f.frame if f.unpacked else None, rows=f.rows if f.unpacked else None,
        n_input=f.n_input if f.unpacked else None, release_raw=not f.unpacked))


def _stage(f: Fields, layout: Layout) -> tuple[pd.Series, pd.Series]:
    """Stage from the ``stage`` field by the layout's stages; unknown labels (counted in the
    notes) are venture_unknown."""
    raw = f.labels("stage")
    stage = map_stages(raw, layout.stages)
    unmapped = stage.isna().to_numpy() & raw.notna().to_numpy()
    if unmapped.any():
        examples = sorted(_distinct_labels(raw, unmapped))[:5]
        f.note(f"{int(unmapped.sum())} row(s) with a stage label not in the crosswalk -> "
               f"venture_unknown (e.g. {examples})")
    return stage.fillna("venture_unknown"), raw


def _distinct_labels(labels: pd.Series, rows: np.ndarray) -> set[str]:
    """The distinct labels of the rows of ``rows`` (by the codes of a categorical: no
    string per row)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        codes = np.unique(labels.cat.codes.to_numpy()[rows])
        return {str(labels.cat.categories[c]) for c in codes if c >= 0}
    return set(labels[rows].dropna().astype(str))


def map_stages(labels: pd.Series, stages: Mapping[str, str] | str) -> pd.Series:
    """Canonical stages of a label column: a shipped crosswalk by name, or the layout's own
    labels first and the shared crosswalk for the others."""
    from fundgap.normalise import map_stage
    from fundgap.normalise.stages import label_key
    from fundgap.schema import STAGE_DTYPE

    if isinstance(stages, str):
        return map_stage(labels, stages)
    labels = encode(labels)
    cats = pd.Series(labels.cat.categories.astype(object), dtype=object)
    own = dict(zip(label_key(pd.Series(list(stages), dtype=object)), stages.values(),
                   strict=True))
    shared = map_stage(cats, "any").astype(object)
    chosen = [own.get(k, s) for k, s in zip(label_key(cats), shared, strict=True)]
    lut = np.array([STAGE_DTYPE.categories.get_loc(s) if isinstance(s, str) else -1
                    for s in chosen] + [-1], dtype=np.int64)
    codes = lut[labels.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, dtype=STAGE_DTYPE), index=labels.index)


def _biotech(f: Fields, layout: Layout) -> pd.Series:
    """A yes/no ``is_biotech`` column, else the text of the ``biotech`` fields; unknown
    without either."""
    from fundgap.normalise import is_biotech

    if "is_biotech" in f:
        return yes_no(f.raw("is_biotech")).fillna(False)
    texts = [f.labels(k) for k in f.present(*layout.biotech)]
    if not texts:
        return pd.Series(pd.NA, index=f.index, dtype="boolean")
    return pd.Series(is_biotech(*texts).to_numpy(dtype=bool, na_value=False), index=f.index)


def _sector(f: Fields, layout: Layout) -> pd.Series | None:
    texts = [f.labels(k) for k in f.present(*layout.sector)]
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else f.join(*texts)


def _modality(f: Fields, layout: Layout) -> pd.Series | None:
    from fundgap.normalise.modality import modality_of

    words = [f.labels(k) for k in f.present(*layout.modality)]
    return modality_of(*words) if words else None


def _provider_usd(f: Fields, scale: float) -> pd.Series | None:
    """The provider's USD figure in millions; NaN where not a usable amount."""
    from fundgap.normalise.amounts import parse_amount_codes

    for field in ("amount_usd", "size_usd"):
        if field in f:
            v, _, _, status = parse_amount_codes(f.raw(field), scale=scale)
            return pd.Series(np.where(status == 0, v, np.nan), index=f.index)  # status 0: ok
    return None


def _kept(f: Fields, layout: Layout, modality: pd.Series | None) -> dict[str, Any]:
    """Output column -> values kept: a label field's categorical, ``modality``, or the header
    of a text column (cleaned when its kept rows are taken)."""
    keep = dict(layout.keep)
    if modality is not None and "modality" not in keep.values():
        keep = {"modality": "modality", **keep}
    out: dict[str, Any] = {}
    for name, field in keep.items():
        if field == "modality":
            if modality is not None:
                out[name] = modality
        elif field in f:
            out[name] = f.value(field)
    return out


# --------------------------------------------------------------------------- funds


def _funds(layout: Layout, f: Fields, today: Any) -> Loaded:
    # the provider's USD figure, fund type, life-science flag and ids are independent (they
    # only write notes, in this order): two threads on a big file
    size, fund_type, life, ids = f.in_order(
        lambda: _fund_size(layout, f),
        lambda: _fund_type(layout, f),
        lambda: layout.biotech_rule(f) if layout.biotech_rule else _life_science(f, layout),
        lambda: _fund_ids(layout, f),
    )
    headers = {k: f.header(k) for k in ("fund_name", "vintage", "currency", "country", "fund_id")}
    headers["size"] = f.header(size.pop("field"))
    check = layout.check_rule
    return build_funds(FundsSpec(
        table=f.table, rejector=f.rejector, source=layout.name, headers=headers,
        fund_name=f.raw("fund_name"), fund_type=fund_type, scale=layout.scale,
        vintage=f.labels("vintage") if "vintage" in f else None,
        manager=f.raw("manager"), country=f.labels("country") if "country" in f else None,
        fund_id=ids, life_science_focus=life,
        # (text kept: by header, cleaned when the rows kept are taken)
        extra={k: f.raw(v) if f.replaced(v) else f.header(v) for k, v in layout.keep.items()
               if v in f},
        today=today, ignore=[h for h in map(f.header, layout.duplicates_ignore) if h],
        checks=None if check is None else (lambda kept, _rej: check(kept, f)), **size))


def _fund_ids(layout: Layout, f: Fields) -> pd.Series | None:
    """The provider's fund ids as text (with the layout's prefix); None without the field."""
    if "fund_id" not in f:
        return None
    ids = f.text("fund_id")
    return prefix_strings(ids, layout.id_prefix) if layout.id_prefix else ids


def _fund_size(layout: Layout, f: Fields) -> dict[str, Any]:
    """The size column and how to read it: the ``size`` field in its currency where the
    currency is known (the ``size_usd`` field is then the provider's USD figure), else the
    ``size_usd`` field in USD."""
    native = "size" in f and ("size_usd" not in f or "currency" in f or layout.currency)
    if not native:
        return {"field": "size_usd", "size": f.raw("size_usd"), "size_is_usd": True}
    has_currency = "currency" in f
    return {"field": "size", "size": f.raw("size"), "size_is_usd": layout.amount_is_usd,
            "currency": f.labels("currency") if has_currency else None,
            "default_currency": None if has_currency else layout.currency,
            "provider_usd": _provider_usd(f, layout.scale)}


def _fund_type(layout: Layout, f: Fields) -> pd.Series:
    if layout.fund_type_rule is not None:
        return layout.fund_type_rule(f)
    if "fund_type" in f:
        return fund_type_label(f.labels("fund_type"))
    return pd.Series(pd.NA, index=f.index, dtype=object)


def _life_science(f: Fields, layout: Layout) -> pd.Series | None:
    """A yes/no ``life_science_focus`` column, else True where the ``biotech`` fields
    mention life sciences (missing otherwise); decided once per distinct label."""
    if "life_science_focus" in f:
        return yes_no(f.raw("life_science_focus"))
    fields = f.present(*layout.biotech)
    if not fields:
        return None
    life = np.zeros(len(f.index), dtype=bool)
    for k in fields:
        life |= f.per_label(k, lambda u: u.str.lower().str.contains(LIFE_SCIENCE, regex=True),
                            missing=False)
    return pd.Series(pd.arrays.BooleanArray(life, ~life), index=f.index, copy=False)


# --------------------------------------------------------------------------- series


def _series(layout: Layout, f: Fields) -> Loaded:
    """A long series table: years and values parsed, the other series columns as text or
    the layout's constants."""
    rej, idx = f.rejector, f.index
    constants = layout.constants
    if "year" in f:
        years, bad_year = parse_years(f.raw("year"))
    else:
        years, bad_year = (pd.Series(constants["year"], index=idx, dtype="Int64"),
                           pd.Series(False, index=idx))
    f.reject(bad_year, "unparseable year", "year")
    f.reject(years.isna(), "missing year", "year")
    vraw = f.text("value")
    val = pd.to_numeric(vraw.str.replace(",", "", regex=False), errors="coerce") * layout.scale
    val = val.where(np.isfinite(val.to_numpy(dtype=float, na_value=np.nan)))  # ("inf", "1e400")
    f.reject(vraw.notna() & val.isna(), "unparseable value", "value", vraw)
    f.reject(vraw.isna(), "missing value", "value", vraw)
    out = pd.DataFrame(index=idx)
    for c in SERIES_COLUMNS:
        if c == "year":
            out[c] = years
        elif c == "value":
            out[c] = val
        elif c in f:
            out[c] = f.text(c)
        elif c in constants:
            out[c] = constants[c]
    data = conform(out.loc[rej.kept], "series")
    validate_series(data)
    return Loaded(data, rej.rejects(f.table), layout.name, "series", f.table.path,
                  f.table.n_input, list(f.notes))
