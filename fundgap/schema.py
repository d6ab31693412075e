"""The canonical data model of fundgap.

Three frames carry all data through the package:

* **rounds**: one row per financing round of a company (:data:`ROUND_COLUMNS`);
* **funds**: one row per investment fund (:data:`FUND_COLUMNS`);
* **series**: long aggregate statistics from statistics offices, one value per
  source x table x region x sector x stage group x measure x year
  (:data:`SERIES_COLUMNS`).

Money is always in **millions** of the stated currency. ``amount`` keeps the
original currency; ``amount_usd`` and ``amount_eur`` are derived beside it at
the ECB annual average rate of the deal's year (or the provider's own USD
figure where it gives one), in current prices.

Codes
-----
Regions (:data:`REGIONS`): ``EU27`` is the fixed 2020 composition (no UK) in
every year; ``UK``; ``OTHER_EUROPE`` (the rest of geographic Europe: EFTA,
the Balkans, Ukraine, Turkey ...); ``US``; ``CN`` (mainland China, and Hong Kong
unless the caller separates it); ``HK`` (only when separated); ``ROW`` (rest of
world). The aggregates ``EUROPE`` (EU27 + UK + other Europe), ``EU28`` (EU
including the UK, as in older NCSES tables), ``ASIA`` and ``WORLD`` appear only
where a source reports nothing finer.

Stages (:data:`STAGES`) form an ordered categorical along the funding ladder
``pre_seed < seed < series_a < series_b < series_c < series_d_plus < growth``,
with coarse buckets where a provider is not precise (``early_unspecified``,
``series_c_plus``, ``later_unspecified``, ``venture_unknown``) and the non-VC
kinds. A provider's "series-c+" is ``series_c_plus``, never ``series_c``.
:data:`STAGE_GROUPS` aggregates them the way the OECD and Invest Europe do.

Modalities (:data:`MODALITIES`) form an ordered categorical ``cell_therapy <
gene_therapy < tissue_engineered < other < unknown``: the three classes of
advanced therapy medicinal products (ATMPs) of Regulation (EC) No 1394/2007,
``other`` for provider text that shows no ATMP, ``unknown`` for rows without
text to judge (see :mod:`fundgap.normalise.modality`).

Examples
--------
>>> from fundgap.schema import STAGE_TO_GROUP, empty_rounds
>>> STAGE_TO_GROUP["series_c_plus"]
'later'
>>> list(empty_rounds().columns[:5])
['round_id', 'company', 'country', 'region', 'stage']
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from fundgap._arrow import arrow_data
from fundgap.errors import SchemaError

__all__ = [
    "ATMP_MODALITIES",
    "DEFAULT_FUND_SIZE",
    "DEFAULT_MEASURE",
    "DEFAULT_PRICE_BASE",
    "FUND_COLUMNS",
    "FUND_TYPES",
    "MODALITIES",
    "REGIONS",
    "ROUND_COLUMNS",
    "SERIES_COLUMNS",
    "STAGES",
    "STAGE_GROUPS",
    "STAGE_LADDER",
    "STAGE_TO_GROUP",
    "VC_STAGE_GROUPS",
    "conform",
    "empty_funds",
    "empty_rounds",
    "empty_series",
    "validate_funds",
    "validate_rounds",
    "validate_series",
]

#: The project's money convention: every model that computes money from rounds or funds
#: defaults to euro millions (``amount_eur`` / ``size_eur``: converted at the ECB annual
#: average rate of the deal's or the fund's year) at constant 2024 prices (euro-area
#: HICP). Published aggregate series (OECD, NCSES) keep their publisher's unit. See
#: METHODOLOGY section 1.
DEFAULT_MEASURE: str = "amount_eur"
#: The fund-size column of the money convention.
DEFAULT_FUND_SIZE: str = "size_eur"
#: The price base of the money convention (the latest complete year of both deflators).
DEFAULT_PRICE_BASE: int = 2024

Region = Literal[
    "EU27", "UK", "OTHER_EUROPE", "US", "CN", "HK", "ROW", "EUROPE", "EU28", "ASIA", "WORLD"
]
#: Region codes, in display order. Aggregates (EUROPE, EU28, ASIA, WORLD) only where a
#: source reports nothing finer.
REGIONS: tuple[str, ...] = (
    "EU27", "UK", "OTHER_EUROPE", "US", "CN", "HK", "ROW", "EUROPE", "EU28", "ASIA", "WORLD",
)
#: The regions that partition the world at country level.
COUNTRY_REGIONS: tuple[str, ...] = ("EU27", "UK", "OTHER_EUROPE", "US", "CN", "HK", "ROW")

Stage = Literal[
    "pre_seed", "seed", "series_a", "series_b", "early_unspecified", "series_c",
    "series_c_plus", "series_d_plus", "later_unspecified", "growth", "venture_unknown",
    "private_equity", "ipo_public", "grant", "debt", "other",
]
#: The precise rungs of the venture ladder.
STAGE_LADDER: tuple[str, ...] = (
    "pre_seed", "seed", "series_a", "series_b", "series_c", "series_d_plus", "growth",
)
#: Every canonical stage, in the order of the ordered categorical. Coarse buckets sit
#: after the rungs they may stand for; non-VC kinds come last.
STAGES: tuple[str, ...] = (
    "pre_seed", "seed", "series_a", "series_b", "early_unspecified", "series_c",
    "series_c_plus", "series_d_plus", "later_unspecified", "growth", "venture_unknown",
    "private_equity", "ipo_public", "grant", "debt", "other",
)

StageGroup = Literal["seed", "early", "later", "unknown", "non_vc"]
#: Coarse stage groups (OECD / Invest Europe style) plus unknown venture and non-VC.
STAGE_GROUPS: tuple[str, ...] = ("seed", "early", "later", "unknown", "non_vc")
#: The groups that count as venture capital.
VC_STAGE_GROUPS: tuple[str, ...] = ("seed", "early", "later", "unknown")
#: Series frames use ``all`` for totals over stages.
SERIES_STAGE_GROUPS: tuple[str, ...] = ("all", "seed", "early", "later", "unknown", "non_vc")

#: Stage -> stage group.
STAGE_TO_GROUP: dict[str, str] = {
    "pre_seed": "seed",
    "seed": "seed",
    "series_a": "early",
    "series_b": "early",
    "early_unspecified": "early",
    "series_c": "later",
    "series_c_plus": "later",
    "series_d_plus": "later",
    "later_unspecified": "later",
    "growth": "later",
    "venture_unknown": "unknown",
    "private_equity": "non_vc",
    "ipo_public": "non_vc",
    "grant": "non_vc",
    "debt": "non_vc",
    "other": "non_vc",
}

Modality = Literal["cell_therapy", "gene_therapy", "tissue_engineered", "other", "unknown"]
#: Therapeutic modality of a round's company (:mod:`fundgap.normalise.modality`): the three
#: classes of advanced therapy medicinal products (ATMPs) of Regulation (EC) No 1394/2007,
#: ``other`` (text that shows no ATMP) and ``unknown`` (no text, or only a generic sector label).
MODALITIES: tuple[str, ...] = ("cell_therapy", "gene_therapy", "tissue_engineered", "other", "unknown")
#: The modalities that are ATMPs.
ATMP_MODALITIES: tuple[str, ...] = ("cell_therapy", "gene_therapy", "tissue_engineered")

FundType = Literal["vc", "growth", "pe", "other"]
#: Allowed values of the ``fund_type`` column of a funds frame.
FUND_TYPES: tuple[str, ...] = ("vc", "growth", "pe", "other")

STRING = pd.StringDtype("pyarrow")
STAGE_DTYPE = pd.CategoricalDtype(list(STAGES), ordered=True)
STAGE_GROUP_DTYPE = pd.CategoricalDtype(list(STAGE_GROUPS), ordered=True)
SERIES_STAGE_GROUP_DTYPE = pd.CategoricalDtype(list(SERIES_STAGE_GROUPS), ordered=True)
REGION_DTYPE = pd.CategoricalDtype(list(REGIONS), ordered=False)
MODALITY_DTYPE = pd.CategoricalDtype(list(MODALITIES), ordered=True)
FUND_TYPE_DTYPE = pd.CategoricalDtype(list(FUND_TYPES), ordered=False)

#: Canonical columns of a rounds frame and their dtypes (in this order).
ROUND_COLUMNS: dict[str, object] = {
    "round_id": STRING,
    "company": STRING,
    "country": STRING,
    "region": REGION_DTYPE,
    "stage": STAGE_DTYPE,
    "stage_group": STAGE_GROUP_DTYPE,
    "stage_raw": STRING,
    "date": "datetime64[ns]",
    "year": "Int64",
    "amount": "float64",
    "currency": STRING,
    "amount_usd": "float64",
    "amount_eur": "float64",
    "is_biotech": "boolean",
    "modality": MODALITY_DTYPE,
    "sector_raw": STRING,
    "source": STRING,
    "source_row": "Int64",
}

#: Canonical columns of a funds frame and their dtypes.
FUND_COLUMNS: dict[str, object] = {
    "fund_id": STRING,
    "fund_name": STRING,
    "manager": STRING,
    "country": STRING,
    "region": REGION_DTYPE,
    "vintage": "Int64",
    "size": "float64",
    "currency": STRING,
    "size_usd": "float64",
    "size_eur": "float64",
    "fund_type": FUND_TYPE_DTYPE,
    "life_science_focus": "boolean",
    "source": STRING,
    "source_row": "Int64",
}

#: Canonical columns of a long series frame and their dtypes.
SERIES_COLUMNS: dict[str, object] = {
    "source": STRING,
    "table": STRING,
    "region": REGION_DTYPE,
    "country": STRING,
    "sector": STRING,
    "stage_group": SERIES_STAGE_GROUP_DTYPE,
    "measure": STRING,
    "year": "Int64",
    "value": "float64",
    "unit": STRING,
    "price_base": STRING,
}

_SCHEMAS = {"rounds": ROUND_COLUMNS, "funds": FUND_COLUMNS, "series": SERIES_COLUMNS}
Kind = Literal["rounds", "funds", "series"]


def _empty(columns: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in columns.items()})


def empty_rounds() -> pd.DataFrame:
    """Return an empty rounds frame with the canonical columns and dtypes.

    Examples
    --------
    >>> empty_rounds().dtypes["stage"].ordered
    True
    """
    return _empty(ROUND_COLUMNS)


def empty_funds() -> pd.DataFrame:
    """Return an empty funds frame with the canonical columns and dtypes.

    Examples
    --------
    >>> len(empty_funds().columns)
    14
    """
    return _empty(FUND_COLUMNS)


def empty_series() -> pd.DataFrame:
    """Return an empty series frame with the canonical columns and dtypes.

    Examples
    --------
    >>> "price_base" in empty_series().columns
    True
    """
    return _empty(SERIES_COLUMNS)


def _coerce(values: pd.Series, dtype: object) -> pd.Series:
    if values.dtype == dtype:  # already canonical: no conversion (fast on big frames)
        return values
    if isinstance(dtype, pd.CategoricalDtype):
        return values.astype("object").where(values.notna(), None).astype(dtype)
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values, errors="coerce").astype("datetime64[ns]")
    if dtype == "boolean":
        return values.astype("boolean")
    if dtype == "Int64":
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if dtype == "float64":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if isinstance(dtype, pd.StringDtype):
        return values.astype(dtype)
    return values.astype(dtype)


def conform(frame: pd.DataFrame, kind: Kind) -> pd.DataFrame:
    """Return ``frame`` with the canonical columns of ``kind`` first, in canonical dtypes.

    Missing canonical columns are added empty; extra columns are kept after the
    canonical ones. Values outside a categorical's codes become missing, so call
    :func:`validate_rounds` (or its siblings) on the input first if that matters.

    Parameters
    ----------
    frame : DataFrame
    kind : {"rounds", "funds", "series"}

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> df = conform(pd.DataFrame({"round_id": ["r1"], "stage": ["seed"]}), "rounds")
    >>> str(df["stage_group"].dtype), df.loc[0, "stage"]
    ('category', 'seed')
    """
    columns = _schema(kind)
    out = {}
    n = len(frame)
    for col, dtype in columns.items():
        if col in frame.columns:
            out[col] = _coerce(frame[col], dtype)
        else:
            out[col] = pd.Series(pd.array([None] * n, dtype=_na_dtype(dtype)), index=frame.index)
            out[col] = _coerce(out[col], dtype)
    extra = [c for c in frame.columns if c not in columns]
    result = pd.DataFrame(out, index=frame.index, copy=False)  # (columns are new or shared)
    for c in extra:
        result[c] = frame[c]
    if kind == "rounds" and "modality" not in frame.columns:  # no text was read: unknown
        result["modality"] = pd.Categorical.from_codes(
            np.full(n, MODALITIES.index("unknown"), dtype=np.int8), dtype=MODALITY_DTYPE)
    if kind == "rounds" and "stage" in frame.columns and "stage_group" not in frame.columns:
        result["stage_group"] = _coerce(
            result["stage"].astype("object").map(STAGE_TO_GROUP), STAGE_GROUP_DTYPE
        )
    return result.reset_index(drop=True)


def _na_dtype(dtype: object) -> object:
    if dtype in ("float64", "datetime64[ns]"):
        return "float64"
    if dtype in ("Int64", "boolean"):
        return dtype
    return "object"


def _schema(kind: str) -> dict[str, object]:
    if kind not in _SCHEMAS:
        raise SchemaError("unknown kind of canonical frame", argument="kind", value=kind,
                          expected=sorted(_SCHEMAS))
    return _SCHEMAS[kind]


def _check_codes(frame: pd.DataFrame, col: str, allowed: tuple[str, ...], problems: list[str]) -> None:
    if col not in frame.columns:
        return
    values = frame[col]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # only the categories can hold a value: check them, count codes of bad ones
        cats = values.cat.categories
        bad_cat = ~pd.Index(cats).astype("object").isin(allowed)
        if not bad_cat.any():
            return
        codes = values.cat.codes.to_numpy()
        bad_rows = np.isin(codes, np.flatnonzero(bad_cat))
        if bad_rows.any():
            used = pd.unique(codes[bad_rows])
            examples = sorted({str(cats[int(c)]) for c in used[:5]})
            problems.append(
                f"column {col!r}: {int(bad_rows.sum())} value(s) not in {list(allowed)}, e.g. {examples}"
            )
        return
    present = values.dropna()
    if len(present) == 0:
        return
    bad = ~present.astype("object").isin(allowed)
    if bad.any():
        examples = sorted({str(v) for v in present[bad].unique()[:5]})
        problems.append(
            f"column {col!r}: {int(bad.sum())} value(s) not in {list(allowed)}, e.g. {examples}"
        )


def _validate(frame: pd.DataFrame, kind: str, extra_checks) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{kind} must be a pandas DataFrame", argument="frame",
                          value=type(frame).__name__, expected="a pandas DataFrame")
    columns = _schema(kind)
    problems: list[str] = []
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(f"missing column(s) {missing}")
    extra_checks(frame, problems)
    if problems:
        raise SchemaError(f"{kind} frame does not meet the fundgap schema", problems)
    return frame


def _check_money(frame: pd.DataFrame, cols: tuple[str, ...], problems: list[str]) -> None:
    for col in cols:
        if col not in frame.columns:
            continue
        values = frame[col]
        if values.dtype == "float64":  # numeric by construction: only the sign to check
            arr = values.to_numpy()
            with np.errstate(invalid="ignore"):
                n_neg = int(np.count_nonzero(arr < 0))
            if n_neg:
                problems.append(f"column {col!r}: {n_neg} negative value(s)")
            continue
        num = pd.to_numeric(values, errors="coerce")
        nonnum = num.isna() & values.notna()
        if nonnum.any():
            problems.append(f"column {col!r}: {int(nonnum.sum())} non-numeric value(s)")
        neg = num < 0
        if neg.any():
            problems.append(f"column {col!r}: {int(neg.sum())} negative value(s)")


def _distinct(values: pd.Series) -> pd.Series:
    """The distinct present values of a column as an object Series (check these, not every row;
    an Arrow string column is hashed by Arrow, without a copy of the present rows)."""
    arr = arrow_data(values)
    if arr is not None:
        import pyarrow.compute as pc

        u = pc.unique(arr).drop_null()
        return pd.Series(u.to_pylist(), dtype="object")
    return pd.Series(values.dropna().unique(), dtype="object")


def _check_iso2(frame: pd.DataFrame, problems: list[str]) -> None:
    if "country" not in frame.columns:
        return
    vals = frame["country"]
    u = _distinct(vals)
    u = u[u != ""]
    bad = u[~u.astype(str).str.fullmatch(r"[A-Z]{2}")]
    if len(bad):
        n_bad = int(vals.isin(list(bad)).sum())
        problems.append(
            f"column 'country': {n_bad} value(s) not ISO 3166 alpha-2, "
            f"e.g. {sorted(set(bad.astype(str)))[:5]}"
        )


def _check_currency(frame: pd.DataFrame, problems: list[str]) -> None:
    if "currency" not in frame.columns:
        return
    vals = frame["currency"]
    u = _distinct(vals)
    bad = u[~u.astype(str).str.fullmatch(r"[A-Z]{3}")]
    if len(bad):
        n_bad = int(vals.isin(list(bad)).sum())
        problems.append(
            f"column 'currency': {n_bad} value(s) not ISO 4217, "
            f"e.g. {sorted(set(bad.astype(str)))[:5]}"
        )


def validate_rounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a rounds frame against the canonical schema, reporting every problem at once.

    Parameters
    ----------
    frame : DataFrame

    Returns
    -------
    DataFrame
        ``frame`` itself, unchanged, so calls can be chained.

    Raises
    ------
    SchemaError
        Listing every missing column and every column with out-of-code values.

    Examples
    --------
    >>> import pandas as pd
    >>> validate_rounds(pd.DataFrame({"round_id": ["1"], "stage": ["series_z"]}))
    Traceback (most recent call last):
    ...
    fundgap.errors.SchemaError: rounds frame does not meet the fundgap schema:
      - missing column(s) [...]
      - column 'stage': 1 value(s) not in [...], e.g. ['series_z']
    """

    return _validate_rounds(frame)


def _stage_group_mismatch(stage: pd.Series, group: pd.Series) -> int:
    """Rows whose stage_group is not the group of their stage (both present)."""
    if isinstance(stage.dtype, pd.CategoricalDtype) and isinstance(group.dtype, pd.CategoricalDtype):
        # compare integer codes through a lookup table of the categories
        gpos = {str(g): i for i, g in enumerate(group.cat.categories)}
        lut = np.array([gpos.get(str(STAGE_TO_GROUP.get(c)), -2) if c in STAGE_TO_GROUP else -1
                        for c in stage.cat.categories] + [-1], dtype=np.int64)
        expect = lut[stage.cat.codes.to_numpy()]  # code -1 (missing) picks the trailing -1
        got = group.cat.codes.to_numpy()
        return int(np.count_nonzero((expect != -1) & (got >= 0) & (expect != got)))
    expect = stage.astype("object").map(STAGE_TO_GROUP)
    got = group.astype("object")
    both = expect.notna() & got.notna()
    return int((both & (expect != got)).sum())


def _validate_rounds(frame: pd.DataFrame, check_ids: bool = True) -> pd.DataFrame:
    """:func:`validate_rounds`; ``check_ids=False`` skips the duplicated-id search (for
    loaders whose ids are de-duplicated by construction)."""

    def checks(df: pd.DataFrame, problems: list[str]) -> None:
        _check_codes(df, "stage", STAGES, problems)
        _check_codes(df, "stage_group", STAGE_GROUPS, problems)
        _check_codes(df, "region", REGIONS, problems)
        _check_codes(df, "modality", MODALITIES, problems)
        _check_iso2(df, problems)
        _check_currency(df, problems)
        _check_money(df, ("amount", "amount_usd", "amount_eur"), problems)
        if "stage" in df.columns and "stage_group" in df.columns:
            n_bad = _stage_group_mismatch(df["stage"], df["stage_group"])
            if n_bad:
                problems.append(
                    f"columns 'stage'/'stage_group': {n_bad} row(s) whose group "
                    "does not match the stage"
                )
        if check_ids and "round_id" in df.columns and "source" in df.columns:
            dup = df.duplicated(["source", "round_id"]) & df["round_id"].notna()
            if dup.any():
                problems.append(f"column 'round_id': {int(dup.sum())} duplicated id(s) within a source")

    return _validate(frame, "rounds", checks)


def validate_funds(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a funds frame against the canonical schema, reporting every problem at once.

    Raises
    ------
    SchemaError

    Examples
    --------
    >>> validate_funds(empty_funds()).shape
    (0, 14)
    """

    def checks(df: pd.DataFrame, problems: list[str]) -> None:
        _check_codes(df, "region", REGIONS, problems)
        _check_codes(df, "fund_type", FUND_TYPES, problems)
        _check_iso2(df, problems)
        _check_currency(df, problems)
        _check_money(df, ("size", "size_usd", "size_eur"), problems)

    return _validate(frame, "funds", checks)


def validate_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a series frame against the canonical schema, reporting every problem at once.

    Raises
    ------
    SchemaError

    Examples
    --------
    >>> validate_series(empty_series()).shape
    (0, 11)
    """

    def checks(df: pd.DataFrame, problems: list[str]) -> None:
        _check_codes(df, "region", REGIONS, problems)
        _check_codes(df, "stage_group", SERIES_STAGE_GROUPS, problems)
        _check_iso2(df, problems)
        if "value" in df.columns:
            num = pd.to_numeric(df["value"], errors="coerce")
            nonnum = num.isna() & df["value"].notna()
            if nonnum.any():
                problems.append(f"column 'value': {int(nonnum.sum())} non-numeric value(s)")
            if np.isinf(num.to_numpy(dtype="float64", na_value=np.nan)).any():
                problems.append("column 'value': infinite value(s)")
        key = [c for c in ("source", "table", "region", "country", "sector", "stage_group",
                           "measure", "unit", "price_base", "year") if c in df.columns]
        if len(key) == 10:
            dup = df.duplicated(key)
            if dup.any():
                problems.append(f"{int(dup.sum())} duplicated key(s) over {key}")

    return _validate(frame, "series", checks)
