"""Loader for NCSES Science and Engineering Indicators tables (venture capital, from PitchBook).

Layout (machine-readable transcription of the NCSES tables, see ``datasets/raw/ncses/``)::

    table_id,row_id,region_country_or_economy_full_path,<level_1>,...,<hierarchy_depth>,field_2003,...
    10578,r006,Total -> EU-27<sup>b</sup>,Total,EU-27<sup>b</sup>,2,851,1687,...

* one row per node of a hierarchy, written as a path; heading rows carry no values;
* one column per year, named ``field_YYYY`` (or plain ``YYYY`` in simple tables);
* ``NA`` = not available, ``D`` = suppressed to avoid disclosure, ``-`` = suppressed
  or none (SINV-33); footnote markers such as ``<sup>a</sup>`` in labels;
* values in millions of current US dollars (SINV-33: a number of firms, unit ``count``).

Every (row x year) cell is a record: it ends in ``.data`` (one series row) or in
``.rejects`` with a reason (``not available`` for ``NA``, ``suppressed`` for ``D``,
``suppressed or none`` for ``-``, ``heading row without values`` for the empty cells of
heading rows, ``empty cell``, ``not a number``, ``unknown US state``).
``Loaded.n_input`` therefore counts cells, not lines; the notes say so.

Row layouts (:mod:`fundgap.io._ncses_rows` reads them):

* **region paths** (SINV-31, S8-62, SKTI-24, SINV-98): each node's last label is mapped
  to a fundgap region (``EU-27`` -> EU27, the 28-member ``EU`` of S8-62 -> EU28,
  ``Europe`` -> EUROPE, ``Asia`` -> ASIA, ``Total``/``Global total`` -> WORLD,
  ``Rest of Europe`` -> OTHER_EUROPE) or to a country (ISO2 via
  :func:`fundgap.normalise.to_iso2`; ``China`` includes Hong Kong, as NCSES states, and
  keeps region ``CN``). Sub-areas that have no fundgap code (``Middle East``,
  ``Oceania``, NCSES's own ``ROW`` remainder ...) are kept with
  ``measure = "<measure>:<path>"`` so that they are never summed with the others by
  accident; their region is ``ROW`` when they lie wholly outside EU27, UK,
  OTHER_EUROPE, US and CN, and missing otherwise (``North America``, ``EU -> All others``).
* **industry paths**: a place, then industries (SINV-99, S8-64
  ``China -> Total -> Pharmaceuticals and biotechnology``, S8-65
  ``China -> Life sciences``), or industries alone where the table names the place
  (8-6 = US, 8-7 = China, SINV-33 = US firms). ``sector`` is the snake_case slug of the
  leaf (``pharmaceuticals_and_biotechnology``; ``Total`` -> ``all``; 8-7's
  ``Healthcare`` = 8-6's ``Health care`` = ``health_care``). S8-65's verticals overlap
  (a firm sits in several), so its measure is ``vc_invested_by_vertical``: never sum it.
  SINV-33 counts firms (``firms_receiving_vc``, unit ``count``); with SINV-34, its code
  list, each row carries the PitchBook industry group in ``industry_group``.
* **US states** (SKTI-25, biotechnology): region and country ``US``; the state's ISO
  3166-2 code (``US-CA``) or the census region (``census:West``) in the extra column
  ``subdivision``; measure ``vc_invested:state:US-CA`` / ``vc_invested:census_region:West``
  so that neither is summed with the national total (plain ``vc_invested``).

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

An industry path (S8-64's layout, modal id 1966):

>>> text = ("table_id,row_id,industry_full_path,industry_level_1,industry_level_2,industry_level_3,"
...         "industry_hierarchy_depth,field_2018\\n"
...         "1966,r001,China,China,,,1,\\n"
...         "1966,r035,China -> Total -> Pharmaceuticals and biotechnology,China,Total,"
...         "Pharmaceuticals and biotechnology,3,3205.7\\n")
>>> d = parse_ncses(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)).data
>>> d[["table", "region", "sector", "measure", "value"]].to_string(index=False)
'table region                            sector     measure  value\\nS8-64     CN pharmaceuticals_and_biotechnology vc_invested 3205.7'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FileFormatError, MissingColumnError
from fundgap.io._ncses_rows import describe_rows, layout_of, slug, table_place
from fundgap.io._official import clean_label
from fundgap.io._registry import register
from fundgap.loaded import Loaded, make_rejects
from fundgap.schema import conform

__all__ = ["NCSES_TABLES", "parse_ncses", "read_ncses", "read_ncses_codes", "sniff_ncses"]

#: NCSES modal id -> table number.
NCSES_TABLES: dict[str, str] = {
    "10578": "SINV-31",
    "1964": "S8-62",
    "6211": "SKTI-24",
    "5913": "SINV-98",
    "5911": "SINV-99",
    "1966": "S8-64",
    "1942": "S8-65",
    "1899": "8-6",
    "1900": "8-7",
    "6210": "SKTI-25",
    "10580": "SINV-33",
    "10581": "SINV-34",
}

#: What each table measures (attribution of place differs: investee vs investor HQ).
# SINV-99's country totals equal SINV-98's US and China rows (investor HQ) in every year,
# and its title reads "investment BY firms headquartered in": investor attribution too.
_TABLE_MEASURE = {
    "SINV-98": "vc_invested_by_investor_hq",
    "SINV-99": "vc_invested_by_investor_hq",
    "S8-65": "vc_invested_by_vertical",  # verticals overlap: never summed with industries
    "SINV-33": "firms_receiving_vc",
}
_TABLE_UNIT = {"SINV-33": "count"}
_YEAR_COL = re.compile(r"^(?:field_)?((?:19|20)\d\d)$")
_NUMBER = re.compile(r"^\s*(-?[0-9][0-9,]*(?:\.[0-9]*)?)\s*([a-z]?)\s*$", re.IGNORECASE)
_NA = ["NA", "N/A", "NAN", "(NA)", "NOT AVAILABLE"]
_DASHES = ["-", "\u2013", "\u2014"]
_CODE_COLUMNS = ("primary_industry_code_pitchbook_", "industry_classification")


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


def _table_number(raw: pd.DataFrame, path: Any) -> tuple[str, str]:
    """Table number from ``table_id`` (modal id), else the folder name; and a note."""
    ids = raw["table_id"].astype(str).str.strip().unique() if "table_id" in raw else []
    ids = [i for i in ids if i]
    if len(ids) == 1 and ids[0] in NCSES_TABLES:
        table = NCSES_TABLES[ids[0]]
    elif path is not None and re.match(r"^(?:S[A-Z0-9]*|\d{1,2})-\d+$", Path(str(path)).parent.name):
        table = Path(str(path)).parent.name
    elif len(ids) == 1:
        table = f"ncses_{ids[0]}"
    else:
        table = "ncses"
    return table, f"table {table} (from table_id {', '.join(ids) or '?'})"


def read_ncses_codes(codes: Any) -> pd.DataFrame:
    """Read SINV-34, NCSES's PitchBook primary industry code -> industry classification list.

    Parameters
    ----------
    codes : str, Path or DataFrame
        The SINV-34 CSV, or that table already read as strings.

    Returns
    -------
    DataFrame
        ``code`` (the code's label as published, footnotes removed), ``sector`` (its slug,
        as :func:`parse_ncses` names SINV-33's sectors) and ``industry_group`` (the
        classification as published).

    Raises
    ------
    MissingColumnError
        If the table lacks the code or classification column.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"table_id": ["10581"], "row_id": ["r019"],
    ...                     "primary_industry_code_pitchbook_": ["Biotechnology"],
    ...                     "industry_classification": ["Biomedical"]})
    >>> read_ncses_codes(raw).to_dict("records")
    [{'code': 'Biotechnology', 'sector': 'biotechnology', 'industry_group': 'Biomedical'}]
    """
    if isinstance(codes, pd.DataFrame):
        raw, where = codes, None
    else:
        raw, where = _read_csv(codes), codes
    missing = [c for c in _CODE_COLUMNS if c not in raw.columns]
    if missing:
        raise MissingColumnError("not an NCSES SINV-34 code list", file=where, column=missing[0],
                                 expected=list(_CODE_COLUMNS), value=[str(c) for c in raw.columns][:8])
    code = raw[_CODE_COLUMNS[0]].map(clean_label)
    return pd.DataFrame({"code": code.astype(str), "sector": code.map(slug).astype(str),
                         "industry_group": raw[_CODE_COLUMNS[1]].map(clean_label).astype(str)})


def _code_groups(codes: Any, labels: pd.Series) -> tuple[pd.Series, str]:
    """SINV-34 industry group of each SINV-33 row (missing where the code is not listed)."""
    table = read_ncses_codes(codes)
    groups = dict(zip(table["code"], table["industry_group"], strict=True))
    out = labels.map(clean_label).map(groups).astype("string")
    n_miss = int(out.isna().sum())
    return out, (f"industry_group from the SINV-34 code list ({len(table)} codes); "
                 f"{n_miss} row(s) with a code it does not list")


def _cells(raw: pd.DataFrame, years: dict[str, int], row_reason: pd.Series) -> pd.DataFrame:
    """The table's cells, long: row index, column, year, raw text, value, flag, reason ('' = kept)."""
    ycols = list(years)
    cells = raw[ycols].astype("object").where(raw[ycols].notna(), "")
    long = cells.reset_index(names="_i").melt(id_vars="_i", var_name="_col", value_name="_raw")
    long["_raw"] = long["_raw"].astype(str).str.strip()
    long["_year"] = long["_col"].map(years)
    row_has_values = pd.concat([cells[c].astype(str).str.strip() != "" for c in ycols], axis=1).any(axis=1)
    m = long["_raw"].str.extract(_NUMBER)
    value = pd.to_numeric(m[0].str.replace(",", "", regex=False), errors="coerce")
    value = value.where(np.isfinite(value.to_numpy(dtype=float, na_value=np.nan)))  # ("inf")
    flag = m[1].fillna("").str.lower()
    is_na = long["_raw"].str.upper().isin(_NA)
    is_empty = long["_raw"] == ""
    heading = is_empty & ~long["_i"].map(row_has_values).to_numpy()
    bad_row = long["_i"].map(row_reason.fillna("")).astype(str)
    ok = value.notna() & ~is_na
    reason = np.select(
        [is_na, heading, is_empty, long["_raw"].str.upper() == "D", long["_raw"].isin(_DASHES), ~ok,
         bad_row != ""],
        ["not available", "heading row without values", "empty cell", "suppressed",
         "suppressed or none", "not a number", bad_row],
        default="",
    )
    long["_reason"] = reason
    long["_value"] = value
    long["_flag"] = flag
    long["_source_row"] = long["_i"] + 2  # header is file row 1
    return long


def parse_ncses(
    raw: pd.DataFrame,
    *,
    path: Any = None,
    table: str | None = None,
    measure: str | None = None,
    sector: str | None = None,
    codes: Any = None,
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
        Default ``"vc_invested"``; ``"vc_invested_by_investor_hq"`` for SINV-98 and
        SINV-99, ``"vc_invested_by_vertical"`` for S8-65, ``"firms_receiving_vc"`` for SINV-33.
    sector : str, optional
        Default ``"biotech"`` for SKTI-24 and SKTI-25, the slug of the industry for
        industry paths, otherwise ``"all"``.
    codes : str, Path or DataFrame, optional
        SINV-34's code list (see :func:`read_ncses_codes`) for a SINV-33 layout: adds the
        column ``industry_group``.

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
    notes: list[str] = []
    if table is None:
        table, note = _table_number(raw, path)
        notes.append(note)
    base_measure = measure or _TABLE_MEASURE.get(table) or (
        "vc_invested_by_vertical" if "vertical" in label_col else "vc_invested")
    unit = _TABLE_UNIT.get(table, "USD_M")
    layout = layout_of(table, label_col, raw[label_col])
    rows_info = describe_rows(raw[label_col], layout=layout, table=table, measure=base_measure,
                              sector=sector)
    if codes is not None and label_col.startswith("primary_industry_code"):
        rows_info["industry_group"], note = _code_groups(codes, raw[label_col])
        notes.append(note)

    long = _cells(raw, years, rows_info["row_reason"])
    ok = (long["_reason"] == "").to_numpy()
    data = _series_rows(long[ok], rows_info, table=table, unit=unit)
    rejects = _rejected_cells(long[~ok], rows_info)
    n_input = len(raw) * len(years)
    notes.append(
        f"wide table: {len(raw)} rows x {len(years)} year columns = {n_input} cells; "
        "n_input counts cells, each kept as one series row or rejected"
    )
    notes.extend(_layout_notes(layout, table, data))
    return Loaded(data, rejects, "ncses", "series", None if path is None else str(path), n_input, notes)


def _series_rows(good: pd.DataFrame, rows_info: pd.DataFrame, *, table: str,
                 unit: str) -> pd.DataFrame:
    """The kept cells as canonical series rows, in row and year order."""
    good = good.sort_values(["_i", "_year"], kind="stable")
    info = rows_info.iloc[good["_i"].to_numpy()].reset_index(drop=True)
    extras = [c for c in ("subdivision", "industry_group") if c in rows_info]
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
        "unit": unit,
        "price_base": None if unit == "count" else "current",
        **{c: info[c].astype("string") for c in extras},
        "path": info["path"],
        "footnote": info["footnote"],
        "flag": good["_flag"].to_numpy(),
        "source_row": good["_source_row"].to_numpy(),
        "source_column": good["_col"].to_numpy(),
    })
    return conform(data, "series")


def _rejected_cells(bad: pd.DataFrame, rows_info: pd.DataFrame) -> pd.DataFrame:
    """The rejected cells, with the row's path and the year as their raw values."""
    bad = bad.sort_values(["_i", "_year"], kind="stable")
    rej_raw = pd.DataFrame({
        "path": rows_info["path"].iloc[bad["_i"].to_numpy()].to_numpy(),
        "year": bad["_year"].to_numpy(),
    })
    return make_rejects(rej_raw, source_row=bad["_source_row"].to_numpy(),
                        reason=bad["_reason"].to_numpy(), column=bad["_col"].to_numpy(),
                        value=bad["_raw"].to_numpy())


def _layout_notes(layout: str, table: str, data: pd.DataFrame) -> list[str]:
    notes = []
    measures = data["measure"].astype(str)
    if layout == "industry" and table_place(table):
        notes.append(f"industry layout, place from the table ({table_place(table)}): "
                     "sector = slug of the industry")
    elif layout == "industry":
        notes.append("country x industry-sector layout: sector from the path")
    if (measures == "vc_invested_by_vertical").any():
        notes.append("industry verticals overlap (a firm sits in several): "
                     "measure 'vc_invested_by_vertical', never sum them")
    if layout == "us_state":
        notes.append("US states and census regions: ISO 3166-2 code or 'census:<region>' in "
                     "'subdivision'; measure '<m>:state:<code>' / '<m>:census_region:<name>'")
    n_sub = int(measures.str.contains(":", regex=False).sum())
    if n_sub and layout != "us_state":
        notes.append(f"{n_sub} values for sub-areas without a fundgap region code (measure '<m>:<path>')")
    return notes


def _read_csv(path: Any) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise FileFormatError(f"cannot read NCSES table: {exc}", file=path) from None


def read_ncses(path: Any, *, table: str | None = None, measure: str | None = None,
               sector: str | None = None, codes: Any = None, **_: Any) -> Loaded:
    """Read an NCSES table CSV (see the module docstring for the layout).

    Parameters
    ----------
    path : str or Path
    table, measure, sector : str, optional
        See :func:`parse_ncses`.
    codes : str, Path, DataFrame or False, optional
        SINV-34's code list for SINV-33; by default the ``SINV-34/data.csv`` beside the
        table's folder is used when it exists (noted); ``False`` leaves it out.

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
    raw = _read_csv(path)
    if codes is None and any(str(c).startswith("primary_industry_code") for c in raw.columns):
        sibling = Path(str(path)).parent.parent / "SINV-34" / "data.csv"
        codes = sibling if sibling.is_file() else None
    return parse_ncses(raw, path=path, table=table, measure=measure, sector=sector,
                       codes=None if codes is False else codes)


register(
    "ncses",
    "series",
    read_ncses,
    sniff_ncses,
    "NCSES Science & Engineering Indicators VC tables (PitchBook-based; region, industry or "
    "US-state paths, field_YYYY)",
)
