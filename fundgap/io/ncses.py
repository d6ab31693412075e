"""Loader for NCSES Science and Engineering Indicators tables (venture capital, from PitchBook).

Layout (machine-readable transcription of the NCSES tables, see ``datasets/raw/ncses/``)::

    table_id,row_id,region_country_or_economy_full_path,<level_1>,...,<hierarchy_depth>,field_2003,...
    10578,r006,Total -> EU-27<sup>b</sup>,Total,EU-27<sup>b</sup>,2,851,1687,...

* one row per node of a region (or country x sector) hierarchy, written as a path
  ``"Total -> Asia -> China"``; heading rows carry no values;
* one column per year, named ``field_YYYY`` (or plain ``YYYY`` in simple tables);
* ``NA`` = not available; footnote markers such as ``<sup>a</sup>`` in labels;
* values in millions of current US dollars.

Every (row x year) cell is a record: it ends in ``.data`` (one series row) or in
``.rejects`` with a reason (``not available`` for ``NA``, ``heading row without
values`` for the empty cells of heading rows, ``empty cell``, ``not a number``).
``Loaded.n_input`` therefore counts cells, not lines; the notes say so.

Places: each node's last label is mapped to a fundgap region (``EU-27`` -> EU27,
the 28-member ``EU`` of table S8-62 -> EU28, ``Europe`` -> EUROPE, ``Asia`` -> ASIA,
``Total``/``Global total`` -> WORLD, ``Rest of Europe`` -> OTHER_EUROPE)
or to a country (ISO2 via :func:`fundgap.normalise.to_iso2`; ``China`` includes
Hong Kong, as NCSES states, and keeps region ``CN``). Sub-areas that have no
fundgap code (``Middle East``, ``Oceania``, ``Rest of Asia``, NCSES's own
``ROW`` remainder ...) are kept with
``measure = "<measure>:<path>"`` so that they are never summed with the others
by accident; their region is ``ROW`` when they lie wholly outside EU27, UK,
OTHER_EUROPE, US and CN, and missing otherwise (``North America``, ``EU -> All others``).

Examples
--------
>>> import io, pandas as pd
>>> text = ("table_id,row_id,region_country_or_economy_full_path,region_country_or_economy_level_1,"
...         "region_country_or_economy_level_2,region_country_or_economy_hierarchy_depth,field_2021,field_2022\\n"
...         "10578,r001,Total,Total,,1,741987,540643\\n"
...         "10578,r006,Total -> EU-27<sup>b</sup>,Total,EU-27<sup>b</sup>,2,70287,NA\\n")
>>> ld = parse_ncses(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
>>> ld.data[["table", "region", "year", "value"]].to_string(index=False)
'  table region  year    value\\nSINV-31  WORLD  2021 741987.0\\nSINV-31  WORLD  2022 540643.0\\nSINV-31   EU27  2021  70287.0'
>>> ld.rejects[["source_row", "reason", "column"]].to_string(index=False)
' source_row            reason     column\\n          3 not available field_2022'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError, MissingColumnError
from fundgap.io._official import clean_label, country_codes, footnotes, region_codes, sniff_header
from fundgap.loaded import Loaded, make_rejects
from fundgap.schema import conform

__all__ = ["NCSES_TABLES", "parse_ncses", "read_ncses", "sniff_ncses"]

#: NCSES modal id -> table number.
NCSES_TABLES: dict[str, str] = {
    "10578": "SINV-31",
    "1964": "S8-62",
    "6211": "SKTI-24",
    "5913": "SINV-98",
    "5911": "SINV-99",
}

#: What each table measures (attribution of place differs: investee vs investor HQ).
# SINV-99's country totals equal SINV-98's US and China rows (investor HQ) in every year,
# and its title reads "investment BY firms headquartered in": investor attribution too.
_TABLE_MEASURE = {
    "SINV-98": "vc_invested_by_investor_hq",
    "SINV-99": "vc_invested_by_investor_hq",
}
_TABLE_SECTOR = {"SKTI-24": "biotech"}

# last label (lower case) -> fundgap region code, for aggregates that have one
_AGGREGATES = {
    "total": "WORLD",
    "global total": "WORLD",
    "eu-27": "EU27",
    "eu27": "EU27",
    "eu-28": "EU28",
    "eu": "EU28",  # S8-62: "The EU includes 28 member countries"
    "europe": "EUROPE",
    "asia": "ASIA",
    "rest of europe": "OTHER_EUROPE",
    "other europe": "OTHER_EUROPE",
}
# sub-areas without a fundgap code that lie wholly in the rest of the world
_ROW_AREAS = {
    "rest of north america", "central and south america", "central america", "south america",
    "rest of asia", "africa", "middle east", "oceania", "other countries",
    "row", "rest of world",  # NCSES's remainder of its own list, not fundgap's ROW region
}
_SECTORS = {
    "total": "all",
    "business to business": "business_to_business",
    "business to consumer": "business_to_consumer",
    "energy": "energy",
    "financial services": "financial_services",
    "health care": "health_care",
    "information technology": "information_technology",
    "material and resources": "materials_and_resources",
    "materials and resources": "materials_and_resources",
}
_YEAR_COL = re.compile(r"^(?:field_)?((?:19|20)\d\d)$")
_NUMBER = re.compile(r"^\s*(-?[0-9][0-9,]*(?:\.[0-9]*)?)\s*([a-z]?)\s*$", re.IGNORECASE)


def _year_columns(columns: list[str]) -> dict[str, int]:
    return {c: int(m.group(1)) for c in columns if (m := _YEAR_COL.match(str(c).strip()))}


def sniff_ncses(columns: list[str]) -> bool:
    """True if a header looks like an NCSES table (``table_id``, ``row_id``, year columns).

    Examples
    --------
    >>> sniff_ncses(["table_id", "row_id", "country_or_region_full_path", "field_2020"])
    True
    >>> sniff_ncses(["country", "stage", "unit", "year", "value"])
    False
    """
    cols = [str(c).strip().strip('"').lower() for c in columns]
    return "table_id" in cols and "row_id" in cols and bool(_year_columns(cols))


def _path_column(columns: list[str]) -> str | None:
    full = [c for c in columns if str(c).endswith("_full_path")]
    if full:
        return full[0]
    skip = {"table_id", "row_id"}
    label = [c for c in columns if c not in skip and not _YEAR_COL.match(str(c).strip())
             and not str(c).endswith(("_hierarchy_depth",)) and "_level_" not in str(c)]
    return label[0] if label else None


def _place(parts: list[str]) -> tuple[object, object, str | None]:
    """(region, country-name-or-None, sub-area suffix or None) for a cleaned path."""
    last = parts[-1]
    key = last.lower()
    if len(parts) == 1 and key in ("total", "global total"):
        return "WORLD", None, None
    if key in _AGGREGATES and key not in ("total", "global total"):
        return _AGGREGATES[key], None, None
    if key in _ROW_AREAS:
        return "ROW", None, " -> ".join(p for p in parts if p.lower() not in ("total", "global total"))
    return None, last, None


def parse_ncses(
    raw: pd.DataFrame,
    *,
    path: Any = None,
    table: str | None = None,
    measure: str | None = None,
    sector: str | None = None,
) -> Loaded:
    """Parse an NCSES table already read as strings into a canonical series :class:`Loaded`.

    Parameters
    ----------
    raw : DataFrame
        The table as read with ``dtype=str, keep_default_na=False``.
    path : str, optional
        The file it came from (for messages).
    table : str, optional
        Table number (e.g. ``"SINV-31"``); default from ``table_id`` or the folder name.
    measure : str, optional
        Default ``"vc_invested"`` (``"vc_invested_by_investor_hq"`` for SINV-98 and SINV-99).
    sector : str, optional
        Default ``"biotech"`` for SKTI-24, sector paths for SINV-99, otherwise ``"all"``.

    Returns
    -------
    Loaded
        kind ``"series"``, source ``"ncses"``; one record per (row x year) cell.

    Raises
    ------
    MissingColumnError
        If the table has no year columns or no label column.
    """
    columns = [str(c) for c in raw.columns]
    raw = raw.copy()
    raw.columns = columns
    years = _year_columns(columns)
    if not years:
        raise MissingColumnError(
            "no year columns (field_YYYY or YYYY) in the NCSES table", file=path,
            expected=["field_2003", "2003", "..."], value=columns[:12],
        )
    label_col = _path_column(columns)
    if label_col is None:
        raise MissingColumnError("no region/country label column in the NCSES table", file=path,
                                 value=columns[:12])
    # table number
    notes: list[str] = []
    if table is None:
        ids = raw["table_id"].astype(str).str.strip().unique() if "table_id" in raw else []
        ids = [i for i in ids if i]
        if len(ids) == 1 and ids[0] in NCSES_TABLES:
            table = NCSES_TABLES[ids[0]]
        elif path is not None and re.match(r"^S[A-Z0-9]*-\d+", Path(str(path)).parent.name):
            table = Path(str(path)).parent.name
        elif len(ids) == 1:
            table = f"ncses_{ids[0]}"
        else:
            table = "ncses"
        notes.append(f"table {table} (from table_id {', '.join(ids) or '?'})")
    base_measure = measure or _TABLE_MEASURE.get(table, "vc_invested")
    sector_layout = "industry_sector" in label_col

    # one entry per row: labels, region, country name, sector, measure
    n = len(raw)
    labels = raw[label_col].astype(str)
    parts = [[clean_label(p) for p in s.split("->")] for s in labels]
    region: list[object] = []
    country_name: list[object] = []
    sectors: list[object] = []
    measures: list[str] = []
    for p in parts:
        if sector_layout:
            geo, rest = p[:1], p[1:]
            sec_label = rest[-1] if rest else ""
            sec = _SECTORS.get(sec_label.lower(), re.sub(r"\W+", "_", sec_label.lower()).strip("_"))
            reg, cname, sub = _place(geo)
            sectors.append(sector or (sec if sec else "all"))
        else:
            reg, cname, sub = _place(p)
            sectors.append(sector or _TABLE_SECTOR.get(table, "all"))
        region.append(reg)
        country_name.append(cname)
        measures.append(base_measure if sub is None else f"{base_measure}:{sub}")
    iso = country_codes(country_name)
    country_region = region_codes(iso)
    region_s = pd.Series(region, dtype="object")
    region_s = region_s.where(region_s.notna(), country_region.where(iso.notna(), None))
    # a name that is neither an aggregate nor a country: keep it as a sub-area with no region
    unplaced = region_s.isna() & iso.isna()
    for i in np.flatnonzero(unplaced.to_numpy()):
        sub = " -> ".join(q for q in parts[i] if q.lower() not in ("total", "global total"))
        measures[i] = f"{base_measure}:{sub}"
    rows_info = pd.DataFrame({
        "region": region_s,
        "country": iso,
        "sector": sectors,
        "measure": measures,
        "path": [" -> ".join(p) for p in parts],
        "footnote": [footnotes(s) for s in labels],
    })

    # cells, long
    ycols = list(years)
    cells = raw[ycols].astype("object").where(raw[ycols].notna(), "")
    long = cells.reset_index(names="_i").melt(id_vars="_i", var_name="_col", value_name="_raw")
    long["_raw"] = long["_raw"].astype(str).str.strip()
    long["_year"] = long["_col"].map(years)
    row_has_values = pd.concat([cells[c].astype(str).str.strip() != "" for c in ycols], axis=1).any(axis=1)
    m = long["_raw"].str.extract(_NUMBER)
    value = pd.to_numeric(m[0].str.replace(",", "", regex=False), errors="coerce")
    value = value.where(np.isfinite(value.to_numpy(dtype=float, na_value=np.nan)))
    flag = m[1].fillna("").str.lower()
    is_na = long["_raw"].str.upper().isin(["NA", "N/A", "NAN", "(NA)", "NOT AVAILABLE"])
    is_empty = long["_raw"] == ""
    heading = is_empty & ~long["_i"].map(row_has_values).to_numpy()
    ok = value.notna() & ~is_na
    reason = np.select(
        [is_na, heading, is_empty, ~ok],
        ["not available", "heading row without values", "empty cell", "not a number"],
        default="",
    )
    long["_reason"] = reason
    long["_value"] = value
    long["_flag"] = flag
    long["_source_row"] = long["_i"] + 2  # header is file row 1

    good = long[ok.to_numpy()].sort_values(["_i", "_year"], kind="stable")
    info = rows_info.iloc[good["_i"].to_numpy()].reset_index(drop=True)
    data = pd.DataFrame({
        "source": "ncses",
        "table": table,
        "region": info["region"],
        "country": info["country"],
        "sector": info["sector"],
        "stage_group": "all",
        "measure": info["measure"],
        "year": good["_year"].to_numpy(),
        "value": good["_value"].to_numpy(),
        "unit": "USD_M",
        "price_base": "current",
        "path": info["path"],
        "footnote": info["footnote"],
        "flag": good["_flag"].to_numpy(),
        "source_row": good["_source_row"].to_numpy(),
        "source_column": good["_col"].to_numpy(),
    })
    data = conform(data, "series")

    bad = long[~ok.to_numpy()].sort_values(["_i", "_year"], kind="stable")
    rej_raw = pd.DataFrame({
        "path": rows_info["path"].iloc[bad["_i"].to_numpy()].to_numpy(),
        "year": bad["_year"].to_numpy(),
    })
    rejects = make_rejects(
        rej_raw,
        source_row=bad["_source_row"].to_numpy(),
        reason=bad["_reason"].to_numpy(),
        column=bad["_col"].to_numpy(),
        value=bad["_raw"].to_numpy(),
    )
    n_input = n * len(ycols)
    notes.append(
        f"wide table: {n} rows x {len(ycols)} year columns = {n_input} cells; "
        "n_input counts cells, each kept as one series row or rejected"
    )
    if sector_layout:
        notes.append("country x industry-sector layout: sector from the path")
    n_sub = int(data["measure"].astype(str).str.contains(":", regex=False).sum())
    if n_sub:
        notes.append(f"{n_sub} values for sub-areas without a fundgap region code (measure '<m>:<path>')")
    return Loaded(data, rejects, "ncses", "series", None if path is None else str(path), n_input, notes)


def read_ncses(path: Any, *, table: str | None = None, measure: str | None = None,
               sector: str | None = None, **_: Any) -> Loaded:
    """Read an NCSES table CSV (see the module docstring for the layout).

    Parameters
    ----------
    path : str or Path
    table, measure, sector : str, optional
        See :func:`parse_ncses`.

    Returns
    -------
    Loaded

    Raises
    ------
    FileFormatError
        If the file cannot be read as CSV text.
    MissingColumnError
        If it lacks year or label columns.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise FileFormatError(f"cannot read NCSES table: {exc}", file=path) from None
    return parse_ncses(raw, path=path, table=table, measure=measure, sector=sector)


def _sniff_path(path: Any) -> bool:  # convenience for scripts
    head = sniff_header(path).splitlines()
    return bool(head) and sniff_ncses([c.strip().strip('"') for c in head[0].split(",")])


def _register() -> None:
    try:
        from fundgap.io._registry import register
    except ImportError:  # registry not present: the parsing functions still work
        return
    register(
        "ncses",
        "series",
        read_ncses,
        sniff_ncses,
        "NCSES Science & Engineering Indicators VC tables (PitchBook-based; region paths, field_YYYY)",
    )


_register()
