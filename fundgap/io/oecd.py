"""Loader for OECD "Venture capital investments" statistics (Entrepreneurship Financing Database).

Three layouts are read, all into the canonical long series schema:

``cache``
    The tidy download kept in ``datasets/raw/oecd-vc-investments/oecd_vc_gdp.csv``:
    ``#`` comment lines, then ``country,stage,unit,year,value`` with labels
    (``Seed``, ``Start-up and other early stage``, ``Later stage venture``,
    ``Total``; ``US dollars, exchange rate converted`` in millions, ``Percentage of GDP``).
``legacy``
    The OECD.Stat ``VC_INVEST`` CSV: ``LOCATION, Country, SUBJECT, Subject,
    STAGES, Development stages, MEASURE, Measure, TIME, Year, Unit Code, Unit,
    PowerCode Code, PowerCode, ..., Value, Flag Codes, Flags`` with stage codes
    ``VC_T``/``SEED``/``START``/``LATER`` and measures ``USD_V``/``SH_GDP``.
``sdmx``
    The SDMX CSV of ``OECD.SDD.TPS,DSD_VC@DF_VC_INV`` (codes only or codes and
    labels): ``REF_AREA``, ``MEASURE``, a stage dimension
    (``BUSINESS_DEVELOPMENT_STAGE`` or any column whose name contains ``STAGE``),
    ``UNIT_MEASURE`` (``USD_EXC``/``PT_B1GQ``), ``TIME_PERIOD``, ``OBS_VALUE``,
    optional ``UNIT_MULT`` and ``OBS_STATUS``. Cells written ``CODE: Label`` are split.

Canonical values: ``stage_group`` ``all`` (Total) / ``seed`` / ``early``
(start-up and other early stage) / ``later``; ``unit`` ``USD_M`` (millions of
current US dollars, exchange-rate converted; a unit multiplier other than 6 is
applied) or ``PCT_GDP`` (percent of GDP); ``measure`` ``vc_invested`` for the
market statistics (by location of the investee; also the legacy ``VC_INV``);
``sector`` ``all``; ``price_base`` ``current``.

Zeros are kept as zeros: in the OECD file the three stages add up exactly to
the total in every country-year that has all four, including the stages that
are 0, and the older OECD.Stat extract omits exactly those rows; a 0 therefore
means "no investment recorded", not "not reported" (see METHODOLOGY.md, section 3).

Rejected records: missing value, value not a number, negative value, unknown
stage, unsupported unit, unknown country or area, duplicate record.

Examples
--------
>>> import io, pandas as pd
>>> text = ("country,stage,unit,year,value\\n"
...         "Germany,Seed,\\"US dollars, exchange rate converted\\",2024,120.5\\n"
...         "Germany,Total,Percentage of GDP,2024,0.04\\n"
...         "Atlantis,Total,Percentage of GDP,2024,0.04\\n")
>>> ld = parse_oecd(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
>>> ld.data[["country", "region", "stage_group", "unit", "value"]].to_string(index=False)
'country region stage_group    unit  value\\n     DE   EU27        seed   USD_M 120.50\\n     DE   EU27         all PCT_GDP   0.04'
>>> ld.rejects[["source_row", "reason"]].to_string(index=False)
' source_row                       reason\\n          4 unknown country or area code'
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError, MissingColumnError
from fundgap.io._official import country_codes, region_codes
from fundgap.io._registry import register
from fundgap.loaded import Loaded, make_rejects
from fundgap.schema import conform

__all__ = ["oecd_layout", "parse_oecd", "read_oecd", "sniff_oecd"]

# stage label or code (lower case) -> series stage group
_STAGES: dict[str, str] = {
    "total": "all", "vc_t": "all", "_t": "all", "t": "all", "total venture capital": "all",
    "seed": "seed", "pre-seed/seed": "seed", "pre-seed and seed": "seed", "pre_seed_seed": "seed",
    "pre-seed": "seed", "preseed": "seed",
    "start-up and other early stage": "early", "start": "early", "start-up": "early",
    "startup": "early", "start_up": "early", "early": "early", "early stage": "early",
    "early_stage": "early", "other early stage": "early",
    "later stage venture": "later", "later": "later", "later stage": "later", "late": "later",
    "later_stage": "later", "late stage": "later",
}
# unit label or code (lower case) -> canonical unit
_UNITS: dict[str, str] = {
    "us dollars, exchange rate converted": "USD_M",
    "us dollars, exchange-rate converted": "USD_M",
    "usd_exc": "USD_M", "usd_v": "USD_M", "usd": "USD_M", "usd, current prices": "USD_M",
    "us dollar": "USD_M", "us dollars": "USD_M",
    "percentage of gdp": "PCT_GDP", "pt_b1gq": "PCT_GDP", "sh_gdp": "PCT_GDP",
    "percentage share of gdp": "PCT_GDP", "percentage": "PCT_GDP", "pc": "PCT_GDP",
}
# measure code (lower case) -> canonical measure
_MEASURES: dict[str, str] = {
    "vc_inv_mkt": "vc_invested",
    "vc_inv": "vc_invested",
    "venture capital investments": "vc_invested",
    "vc investments, market statistics": "vc_invested",
    "vc_inv_ind": "vc_invested_industry_statistics",
}
# OECD area codes that are aggregates
_AREAS: dict[str, str] = {
    "eu27_2020": "EU27", "eu27": "EU27", "eu-27": "EU27", "european union (27 countries from 01/02/2020)": "EU27",
    "eu28": "EU28", "eu-28": "EU28", "wld": "WORLD", "world": "WORLD",
}

_LEGACY = ("LOCATION", "Value")
_CODE_LABEL = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*:\s*(.+)$")


def oecd_layout(columns: list[str]) -> str | None:
    """Which OECD layout a header is: ``"cache"``, ``"legacy"``, ``"sdmx"`` or None.

    Examples
    --------
    >>> oecd_layout(["country", "stage", "unit", "year", "value"])
    'cache'
    >>> oecd_layout(["LOCATION", "Country", "STAGES", "Development stages", "MEASURE", "TIME", "Value"])
    'legacy'
    >>> oecd_layout(["STRUCTURE", "REF_AREA", "BUSINESS_DEVELOPMENT_STAGE", "TIME_PERIOD", "OBS_VALUE"])
    'sdmx'
    >>> oecd_layout(["Deal ID", "Deal Size"]) is None
    True
    """
    cols = [str(c).strip().strip('"') for c in columns]
    low = {c.lower() for c in cols}
    if {"country", "stage", "unit", "year", "value"} <= low:
        return "cache"
    if "LOCATION" in cols and "Value" in cols and ("STAGES" in cols or "Development stages" in cols):
        return "legacy"
    if {"REF_AREA", "TIME_PERIOD", "OBS_VALUE"} <= set(cols) and any("STAGE" in c for c in cols):
        return "sdmx"
    return None


def sniff_oecd(columns: list[str]) -> bool:
    """True if a header is one of the OECD VC layouts (see :func:`oecd_layout`)."""
    return oecd_layout(columns) is not None


def _split_code_label(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = values.astype(str).str.strip()
    m = s.str.extract(_CODE_LABEL)
    has = m[0].notna()
    code = s.where(~has, m[0])
    label = s.where(~has, m[1])
    return code, label


def _lookup(primary: pd.Series, secondary: pd.Series | None, table: dict[str, str]) -> pd.Series:
    """Map codes/labels through ``table`` (case-insensitive); secondary fills gaps."""
    out = primary.astype(str).str.strip().str.lower().map(table)
    if secondary is not None:
        out = out.fillna(secondary.astype(str).str.strip().str.lower().map(table))
    return out


@dataclass
class _Parts:
    """The columns of one OECD layout, as raw string Series (None where the layout has none)."""

    area_code: pd.Series
    area_label: pd.Series
    stage_code: pd.Series
    stage_label: pd.Series | None
    unit_code: pd.Series
    unit_label: pd.Series | None
    year: pd.Series
    value: pd.Series
    mult: pd.Series
    flag: pd.Series
    measure_raw: pd.Series | None = None
    measure_label: pd.Series | None = None
    table: str = "DSD_VC@DF_VC_INV"


def parse_oecd(raw: pd.DataFrame, *, path: Any = None, first_row: int = 2,
               table: str | None = None) -> Loaded:
    """Parse an OECD VC table already read as strings into a canonical series :class:`Loaded`.

    Parameters
    ----------
    raw : DataFrame
        Read with ``dtype=str, keep_default_na=False``.
    path : optional
        The file (for messages and ``Loaded.path``).
    first_row : int, default 2
        File line number of the first data row (header + comment lines before it).
    table : str, optional
        Table name to record; default ``"DSD_VC@DF_VC_INV"`` (``"VC_INVEST"`` for legacy).

    Returns
    -------
    Loaded

    Raises
    ------
    MissingColumnError
        If the header is not an OECD VC layout.
    """
    cols = [str(c).strip().strip('"') for c in raw.columns]
    raw = raw.copy()
    raw.columns = cols
    layout = oecd_layout(cols)
    if layout is None:
        raise MissingColumnError(
            "not an OECD venture-capital layout", file=path, value=cols[:15],
            expected=["country,stage,unit,year,value",
                      "LOCATION,...,STAGES,...,MEASURE,...,TIME,...,Value",
                      "REF_AREA,<stage dim>,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE (SDMX)"],
        )
    parts = {"cache": _cache_parts, "legacy": _legacy_parts, "sdmx": _sdmx_parts}[layout](
        raw, cols, path)
    frame, reason, bad_col, bad_val = _records(parts, table or parts.table, first_row)
    reason, bad_col, dup_of = _duplicate_records(frame, reason, bad_col)
    keep = reason == ""
    data = conform(frame[keep], "series")
    rejects = make_rejects(
        raw[~keep],
        source_row=frame.loc[~keep, "source_row"].to_numpy(),
        reason=reason[~keep],
        column=np.where(bad_col[~keep] == "", None, bad_col[~keep]),
        value=bad_val[~keep],
        duplicate_of=dup_of[~keep].to_numpy(),
    )
    notes = [f"OECD layout: {layout}"]
    if layout != "cache" and parts.mult.isna().all():
        notes.append("no unit multiplier column: USD values taken as millions")
    n_zero = int((data["value"] == 0).sum())
    if n_zero:
        notes.append(f"{n_zero} values are 0 (kept: 0 = no investment recorded)")
    return Loaded(data, rejects, "oecd", "series", None if path is None else str(path), len(raw),
                  notes)


def _no_mult(raw: pd.DataFrame) -> pd.Series:
    return pd.Series(np.full(len(raw), np.nan))


def _cache_parts(raw: pd.DataFrame, cols: list[str], path: Any) -> _Parts:
    low = {c.lower(): c for c in cols}
    return _Parts(area_code=raw[low["country"]], area_label=raw[low["country"]],
                  stage_code=raw[low["stage"]], stage_label=None, unit_code=raw[low["unit"]],
                  unit_label=None, year=raw[low["year"]], value=raw[low["value"]],
                  mult=_no_mult(raw), flag=pd.Series([""] * len(raw), dtype="object"))


def _legacy_parts(raw: pd.DataFrame, cols: list[str], path: Any) -> _Parts:
    unit_code = raw["MEASURE"] if "MEASURE" in raw else raw.get("Unit Code")
    if unit_code is None:
        raise MissingColumnError("legacy OECD file without MEASURE", file=path, value=cols[:15])
    return _Parts(
        area_code=raw["LOCATION"], area_label=raw.get("Country", raw["LOCATION"]),
        stage_code=raw["STAGES"] if "STAGES" in raw else raw["Development stages"],
        stage_label=raw.get("Development stages"), unit_code=unit_code,
        unit_label=raw.get("Measure"), year=raw["TIME"] if "TIME" in raw else raw["Year"],
        value=raw["Value"],
        mult=(pd.to_numeric(raw["PowerCode Code"], errors="coerce") if "PowerCode Code" in raw
              else _no_mult(raw)),
        flag=(raw["Flag Codes"].astype(str) if "Flag Codes" in raw
              else pd.Series([""] * len(raw), dtype="object")),
        measure_raw=raw.get("SUBJECT"), table="VC_INVEST")


def _sdmx_parts(raw: pd.DataFrame, cols: list[str], path: Any) -> _Parts:
    if "UNIT_MEASURE" not in raw:
        raise MissingColumnError("SDMX file without UNIT_MEASURE", file=path, column="UNIT_MEASURE",
                                 value=cols[:15])
    stage_col = next(c for c in cols if "STAGE" in c and c.isupper())

    def code_and_label(code_col: str) -> tuple[pd.Series, pd.Series]:
        # "CODE: Label" cells, or a label column right after the code column
        code, label = _split_code_label(raw[code_col])
        i = cols.index(code_col)
        if i + 1 < len(cols) and not cols[i + 1].isupper():
            label = raw.iloc[:, i + 1]
        return code, label

    area_code, area_label = code_and_label("REF_AREA")
    stage_code, stage_label = code_and_label(stage_col)
    unit_code, unit_label = code_and_label("UNIT_MEASURE")
    measure_raw, measure_label = (_split_code_label(raw["MEASURE"]) if "MEASURE" in raw
                                  else (None, None))
    return _Parts(
        area_code=area_code, area_label=area_label, stage_code=stage_code,
        stage_label=stage_label, unit_code=unit_code, unit_label=unit_label,
        year=raw["TIME_PERIOD"], value=raw["OBS_VALUE"],
        mult=(pd.to_numeric(_split_code_label(raw["UNIT_MULT"])[0], errors="coerce")
              if "UNIT_MULT" in raw else _no_mult(raw)),
        flag=(_split_code_label(raw["OBS_STATUS"])[0] if "OBS_STATUS" in raw
              else pd.Series([""] * len(raw), dtype="object")),
        measure_raw=measure_raw, measure_label=measure_label)


def _records(p: _Parts, table: str, first_row: int) -> tuple[pd.DataFrame, np.ndarray,
                                                              np.ndarray, np.ndarray]:
    """Every record in the series columns, and per record its reject reason ('' = kept), the
    column and the value at fault."""
    n = len(p.value)
    stage_group = _lookup(p.stage_code, p.stage_label, _STAGES)
    unit = _lookup(p.unit_code, p.unit_label, _UNITS)
    if p.measure_raw is not None:
        measure = _lookup(p.measure_raw, p.measure_label, _MEASURES)
        measure = measure.fillna(p.measure_raw.astype(str).str.strip().str.lower())
    else:
        measure = pd.Series(["vc_invested"] * n)
    # places: aggregates first, then countries (codes first, labels fill the gaps)
    agg = _lookup(p.area_code, p.area_label, _AREAS)
    iso = country_codes(p.area_code.astype(str).str.strip())
    iso = iso.fillna(country_codes(p.area_label.astype(str).str.strip()))
    iso = iso.where(agg.isna().to_numpy(), None)
    region = region_codes(iso).where(iso.notna().to_numpy(), agg.to_numpy())
    yr = pd.to_numeric(p.year.astype(str).str.strip().str[:4], errors="coerce")
    val_text = p.value.astype(str).str.strip()
    val = pd.to_numeric(val_text.str.replace(",", "", regex=False), errors="coerce")
    val = val.where(np.isfinite(val.to_numpy(dtype=float, na_value=np.nan)))  # ("inf", "1e400")
    val = val * np.where(p.mult.notna() & (unit == "USD_M").to_numpy(),
                         10.0 ** (p.mult.fillna(6) - 6), 1.0)
    missing = val_text.isin(["", "NA", "NaN", "nan", "..", "n/a", "N/A"])
    reason = np.select(
        [missing, val.isna(), yr.isna(), stage_group.isna(), unit.isna(), region.isna(), val < 0],
        ["missing value", "value not a number", "year not a number", "unknown stage",
         "unsupported unit", "unknown country or area code", "negative value"], default="")
    bad_col = np.select(
        [missing | val.isna(), yr.isna(), stage_group.isna(), unit.isna(), region.isna(), val < 0],
        ["value", "year", "stage", "unit", "country", "value"], default="")
    bad_val = np.select(
        [missing | val.isna() | (val < 0), yr.isna(), stage_group.isna(), unit.isna(),
         region.isna()],
        [val_text, p.year.astype(str), p.stage_code.astype(str), p.unit_code.astype(str),
         p.area_code.astype(str)], default="")
    frame = pd.DataFrame({
        "source": "oecd", "table": table, "region": region, "country": iso, "sector": "all",
        "stage_group": stage_group, "measure": measure, "year": yr, "value": val, "unit": unit,
        "price_base": "current",
        "stage_raw": (p.stage_label if p.stage_label is not None else p.stage_code).astype(
            str).to_numpy(),
        "area_raw": p.area_label.astype(str).to_numpy(),
        "flag": p.flag.astype(str).replace({"nan": ""}).to_numpy(),
        "source_row": np.arange(n) + first_row,
    })
    return frame, reason, bad_col, bad_val


def _duplicate_records(frame: pd.DataFrame, reason: np.ndarray,
                       bad_col: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Records of the same place, stage, measure, unit and year as an earlier valid record
    are rejected ("duplicate record"), pointing at it."""
    from fundgap.normalise import find_duplicates

    key = ["region", "country", "stage_group", "measure", "unit", "year"]
    ok = reason == ""
    dup_of = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if ok.any():
        valid = frame.loc[ok, key].astype(str).assign(source_row=frame.loc[ok, "source_row"])
        dup_of.loc[valid.index] = find_duplicates(valid, exact_cols=key, key=None).to_numpy()
    dup = dup_of.notna().to_numpy()
    return (np.where(dup, "duplicate record", reason), np.where(dup, "", bad_col), dup_of)


def read_oecd(path: Any, *, table: str | None = None, encoding: str | None = None, **_: Any) -> Loaded:
    """Read an OECD VC CSV in any of the three layouts (see the module docstring).

    Parameters
    ----------
    path : str or Path
    table : str, optional
        Table name to record.
    encoding : str, optional
        Default: utf-8 (with or without BOM), falling back to latin-1.

    Returns
    -------
    Loaded

    Raises
    ------
    FileFormatError
        If the file cannot be read as CSV text.
    MissingColumnError
        If the header is not an OECD VC layout.
    """
    try:
        with open(path, "rb") as fh:
            blob = fh.read()
    except OSError as exc:
        raise FileFormatError(f"cannot open file: {exc}", file=path) from None
    text = None
    for enc in ([encoding] if encoding else ["utf-8-sig", "latin-1"]):
        try:
            text = blob.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise FileFormatError("cannot decode file", file=path, value=encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    body = "\n".join(lines[skip:])
    if not body.strip():
        raise FileFormatError("no header row (file empty or only comments)", file=path)
    try:
        raw = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FileFormatError(f"cannot parse CSV: {exc}", file=path) from None
    ld = parse_oecd(raw, path=path, first_row=skip + 2, table=table)
    if skip:
        ld.notes.insert(1, f"skipped {skip} comment line(s) above the header")
    return ld


register(
    "oecd",
    "series",
    read_oecd,
    sniff_oecd,
    "OECD VC investments by country x stage (tidy download, legacy OECD.Stat CSV, SDMX CSV)",
)
