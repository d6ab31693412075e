"""Build the datasets that fundgap ships, and their provenance register.

Reads ONLY the raw files kept as published under ``datasets/raw/`` and writes to
``fundgap/data/``:

===============================  =====================================================================
output                           built from
===============================  =====================================================================
oecd_vc.csv                      raw/oecd-vc-investments/oecd_vc_gdp.csv (via fundgap.io.oecd) plus
                                 EU-27 aggregates computed from the member rows (USD mn: sum; % of
                                 GDP: sum of VC / sum of GDP of the same members, World Bank GDP from
                                 raw/reference/macro/gdp_current_usd.csv)
reference/gdp_oecd.csv           raw/oecd-vc-investments/oecd_vc_gdp.csv (via fundgap.io.oecd): the GDP
                                 behind the OECD's own '% of GDP' rows, USD mn / (% of GDP / 100),
                                 per country and year (covers Norway, which the World Bank table lacks)
reference/population_wb.csv      raw/worldbank/sp_pop_totl_extract.csv (World Bank WDI SP.POP.TOTL, an
                                 extract): persons by ISO2 country and year; stops unless the 27 EU
                                 members sum to the World Bank's EUU row (0.01%) and every year is there
ncses_vc.csv                     raw/ncses/{SINV-31,S8-62,SKTI-24,SINV-98,SINV-99}/data.csv (via
                                 fundgap.io.ncses), one long series table
ncses_industry.csv               raw/ncses/{S8-64,S8-65,8-6,8-7,SKTI-25}/data.csv (via
                                 fundgap.io.ncses): China and US VC by industry and by (overlapping)
                                 vertical, health-care sub-industries, biotech VC by US state
ncses_firms.csv                  raw/ncses/SINV-33/data.csv joined with the code list
                                 raw/ncses/SINV-34/data.csv (via fundgap.io.ncses): number of US
                                 firms receiving VC by PitchBook primary industry code
published_figures.csv            raw/published/published_figures.md, parsed by the rules in
                                 parse_published() (no hand edits)
crunchbase2013/*                 raw/crunchbase-oct2013-us/* ; processed with
                                 fundgap.read_rounds(source="crunchbase2013") when that loader is
                                 available, otherwise shipped as published and loaded at
                                 load_dataset() time through the same loader
crunchbase2013_funds/*           raw/crunchbase-2013-snapshot-funds/* (same rule, loader
                                 "crunchbase2013_funds")
datasets.json                    the records in datasets/provenance.py + rows, coverage and the
                                 sha256 of every shipped file (reference tables included; those are
                                 built by datasets/build_reference.py)
===============================  =====================================================================

Run from the project root (after ``python datasets/build_reference.py``)::

    python datasets/build.py
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "datasets" / "raw"
OUT = ROOT / "fundgap" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "datasets"))

from fundgap.io.ncses import read_ncses  # noqa: E402
from fundgap.io.oecd import read_oecd  # noqa: E402
from fundgap.normalise.places import sum_members  # noqa: E402
from fundgap.schema import SERIES_COLUMNS, conform, validate_series  # noqa: E402

NCSES_TABLES = ("SINV-31", "S8-62", "SKTI-24", "SINV-98", "SINV-99")
NCSES_INDUSTRY_TABLES = ("S8-64", "S8-65", "8-6", "8-7", "SKTI-25")
EU27 = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
SERIES_OUT = list(SERIES_COLUMNS)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV (gzip with a fixed timestamp when the name ends in .gz, so checksums are stable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        frame.to_csv(path, index=False, lineterminator="\n",
                     compression={"method": "gzip", "mtime": 0, "compresslevel": 9})
    else:
        frame.to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path.relative_to(ROOT)}: {len(frame)} rows")


# --------------------------------------------------------------------------- OECD
def gdp_usd_m() -> pd.DataFrame:
    """World Bank GDP, current USD, millions: iso2, year, gdp_usd_m (members and aggregates)."""
    raw = pd.read_csv(RAW / "reference" / "macro" / "gdp_current_usd.csv")
    import pycountry

    iso2 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    out = pd.DataFrame({
        "iso3": raw["geo"],
        "iso2": raw["geo"].map(iso2),
        "year": raw["year"].astype(int),
        "gdp_usd_m": raw["value"].astype(float) / 1e6,
    })
    return out


def build_oecd() -> tuple[pd.DataFrame, dict]:
    ld = read_oecd(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv")
    ld.check_accounting()
    if len(ld.rejects):
        raise SystemExit(f"OECD: unexpected rejects\n{ld.summary()}")
    d = ld.data.copy()
    d["derived"] = "no"
    d["members"] = ""
    d["n_members"] = pd.array([pd.NA] * len(d), dtype="Int64")
    # country-years where the total and every stage are 0 (kept as 0; flagged)
    tot = d[(d["stage_group"] == "all") & (d["unit"] == "USD_M")]
    zero_cy = set(map(tuple, tot.loc[tot["value"] == 0, ["country", "year"]].astype(str).to_numpy()))
    is_zero_cy = pd.Series([(c, y) in zero_cy for c, y in zip(d["country"].astype(str), d["year"].astype(str), strict=True)])
    d["flag"] = np.where(is_zero_cy.to_numpy(), "total_zero", d["flag"].astype(str))

    # EU-27 aggregate from the members present: the same aggregator as every group of
    # countries at run time (fundgap.normalise.places.sum_members): USD sums over the members
    # with a row, % of GDP = sum of their USD / sum of their World Bank GDP
    gdp = gdp_usd_m()
    mem = d[d["country"].isin(EU27) & (d["unit"] == "USD_M")]
    present = sorted(mem["country"].dropna().unique())
    missing = [c for c in EU27 if c not in present]
    agg = sum_members(d, "EU27", EU27, gdp=gdp)
    # the shipped rows keep the file's layout: CY and MT, absent in every year, are named in the
    # caveats and by members / n_members, not per row
    agg = agg.drop(columns=["members_missing"]).assign(
        flag="", stage_raw="", area_raw="EU-27 (computed)", source_row=None)
    out = pd.concat([d, agg], ignore_index=True)
    out = conform(out, "series")
    validate_series(out)
    keep = SERIES_OUT + ["derived", "members", "n_members", "flag", "stage_raw", "area_raw", "source_row"]
    out = out[keep].sort_values(["region", "country", "stage_group", "unit", "year"],
                                na_position="first", kind="stable").reset_index(drop=True)
    info = {
        "eu27_members_present": present,
        "eu27_members_missing": missing,
        "zero_values": int((d["value"] == 0).sum()),
        "total_zero_country_years": sorted(f"{c} {y}" for c, y in zero_cy),
    }
    return out, info


def build_gdp_oecd() -> tuple[pd.DataFrame, dict]:
    """The GDP the OECD divides by: iso2, year, gdp_usd_m = USD mn / (% of GDP / 100).

    Each country-year of the OECD file gives VC both in USD mn and in % of GDP for the
    same stages, so their quotient is the OECD's own GDP in current USD (exchange-rate
    converted). It is computed from every stage with both values above 0; the stages
    must agree (relative spread below 1e-9), else the build stops. Country-years with
    no such stage (all values 0) have no GDP.
    """
    ld = read_oecd(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv")
    d = ld.data[ld.data["country"].notna()]
    keys = ["country", "stage_group", "year"]
    usd = d[d["unit"] == "USD_M"].set_index(keys)["value"].astype(float)
    pct = d[d["unit"] == "PCT_GDP"].set_index(keys)["value"].astype(float)
    both = pd.concat({"usd": usd, "pct": pct}, axis=1, join="inner")
    both = both[(both["usd"] > 0) & (both["pct"] > 0)]
    both["gdp"] = both["usd"] / (both["pct"] / 100.0)
    g = both.groupby(["country", "year"], sort=True)["gdp"]
    spread = (g.max() - g.min()) / g.mean()
    if (spread > 1e-9).any():
        raise SystemExit(f"OECD implied GDP: stages disagree\n{spread[spread > 1e-9]}")
    out = pd.DataFrame({"gdp_usd_m": g.mean(), "n_stages": g.size()}).reset_index()
    out = out.rename(columns={"country": "iso2"}).astype({"iso2": str, "year": int})
    out["unit"] = "USD_M"
    out["derived"] = "oecd_usd_over_pct_gdp"
    info = {"countries": int(out["iso2"].nunique()), "max_relative_spread": float(spread.max())}
    return out[["iso2", "year", "gdp_usd_m", "unit", "n_stages", "derived"]], info


# --------------------------------------------------------------------------- population
#: World Bank (ISO 3166 alpha-3) code -> ISO2 for the rows of the population extract.
WB_ISO2 = {"AUT": "AT", "BEL": "BE", "BGR": "BG", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK",
           "ESP": "ES", "EST": "EE", "FIN": "FI", "FRA": "FR", "GRC": "GR", "HRV": "HR", "HUN": "HU",
           "IRL": "IE", "ITA": "IT", "LTU": "LT", "LUX": "LU", "LVA": "LV", "MLT": "MT", "NLD": "NL",
           "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK", "SVN": "SI", "SWE": "SE",
           "NOR": "NO", "GBR": "GB", "USA": "US", "CHN": "CN", "EUU": "EU27"}
POP_YEARS = range(2000, 2026)


def check_population(raw: pd.DataFrame, *, tolerance: float = 1e-4,
                     path: Path | str = "sp_pop_totl_extract.csv") -> dict:
    """Stop (SystemExit) unless the population extract is complete and adds up.

    Every code of ``WB_ISO2`` must have every year of ``POP_YEARS`` exactly once, with a
    positive whole number; and for every year the 27 EU members must sum to the World
    Bank's own EUU aggregate within ``tolerance`` (relative; 1e-4 = 0.01%), which is how
    the World Bank builds that aggregate for population. A mis-copied row fails here.
    """
    bad = raw[~raw["Country Code"].isin(list(WB_ISO2))]
    if len(bad):
        raise SystemExit(f"{path}: unexpected Country Code {sorted(bad['Country Code'].unique())}")
    value = pd.to_numeric(raw["Value"], errors="coerce")
    if value.isna().any() or (value <= 0).any() or (value % 1 != 0).any():
        row = int(raw.index[(value.isna() | (value <= 0) | (value % 1 != 0)).to_numpy()][0]) + 2
        raise SystemExit(f"{path}, line {row}: Value must be a positive whole number of persons, "
                         f"got {raw.loc[row - 2, 'Value']!r}")
    grid = raw.assign(Value=value).pivot_table(index="Year", columns="Country Code", values="Value",
                                               aggfunc="size")
    want = pd.MultiIndex.from_product([list(WB_ISO2), list(POP_YEARS)])
    have = pd.MultiIndex.from_frame(raw[["Country Code", "Year"]].astype({"Year": int}))
    missing = want.difference(have)
    if len(missing) or grid.max().max() > 1 or len(have) != len(want):
        raise SystemExit(f"{path}: every code needs every year {POP_YEARS.start}-{POP_YEARS.stop - 1} "
                         f"once; missing {list(missing)[:5]}, duplicated "
                         f"{have[have.duplicated()].tolist()[:5]}")
    wide = raw.assign(Value=value, Year=raw["Year"].astype(int)).pivot(
        index="Year", columns="Country Code", values="Value")
    members = [c for c, iso in WB_ISO2.items() if iso in EU27]
    gap = (wide[members].sum(axis=1) - wide["EUU"]) / wide["EUU"]
    off = gap[gap.abs() > tolerance]
    if len(off):
        raise SystemExit(f"{path}: the 27 EU members do not add up to the World Bank's EUU row "
                         f"(tolerance {tolerance:.2%}) in " + ", ".join(
                             f"{y}: members {wide.loc[y, members].sum():,.0f} vs EUU "
                             f"{wide.loc[y, 'EUU']:,.0f} ({g:+.4%})" for y, g in off.items())
                         + "; a row was mis-copied")
    return {"countries": len(members) + 4, "years": f"{POP_YEARS.start}-{POP_YEARS.stop - 1}",
            "max_relative_gap_eu27_vs_euu": float(gap.abs().max())}


def build_population(path: Path | None = None) -> tuple[pd.DataFrame, dict]:
    """Persons by country and year from the World Bank extract: country, year, population.

    The extract (``raw/worldbank/sp_pop_totl_extract.csv``) is checked by
    :func:`check_population`; codes become ISO2 (``EUU`` -> ``EU27``, the World Bank's
    European Union aggregate, kept for reference).
    """
    path = RAW / "worldbank" / "sp_pop_totl_extract.csv" if path is None else Path(path)
    raw = pd.read_csv(path, dtype={"Country Name": str, "Country Code": str, "Value": str})
    info = check_population(raw, path=path)
    out = pd.DataFrame({"country": raw["Country Code"].map(WB_ISO2),
                        "year": raw["Year"].astype(int),
                        "population": pd.to_numeric(raw["Value"]).astype("int64")})
    out["source_code"] = raw["Country Code"]
    out = out.sort_values(["country", "year"], ignore_index=True)
    return out, info


# --------------------------------------------------------------------------- NCSES
def _ncses_tables(tables, extra: list[str], **options) -> tuple[pd.DataFrame, dict]:
    """Read NCSES tables with fundgap.io.ncses, check the accounting, one validated long table."""
    frames, info = [], {}
    for t in tables:
        ld = read_ncses(RAW / "ncses" / t / "data.csv", **options)
        ld.check_accounting()
        frames.append(ld.data)
        info[t] = {"cells": ld.n_input, "kept": len(ld.data),
                   "rejected": {str(k): int(v) for k, v in ld.reject_reasons().items()}}
    out = pd.concat(frames, ignore_index=True)
    out = conform(out, "series")
    validate_series(out)
    keep = SERIES_OUT + extra + ["path", "footnote", "flag", "source_row", "source_column"]
    return out[keep], info


def build_ncses() -> tuple[pd.DataFrame, dict]:
    return _ncses_tables(NCSES_TABLES, [])


def build_ncses_industry() -> tuple[pd.DataFrame, dict]:
    """S8-64, S8-65, 8-6, 8-7, SKTI-25; refuses to ship a row that sums S8-65's verticals."""
    out, info = _ncses_tables(NCSES_INDUSTRY_TABLES, ["subdivision"])
    vert = out[out["table"] == "S8-65"]
    if set(vert["measure"]) != {"vc_invested_by_vertical"} or (vert["sector"] == "all").any():
        raise SystemExit("S8-65: verticals overlap and must keep their own measure, with no total")
    return out, info


def build_ncses_firms() -> tuple[pd.DataFrame, dict]:
    """SINV-33 counts, each row with its SINV-34 industry group (every code must be listed)."""
    out, info = _ncses_tables(("SINV-33",), ["industry_group"],
                              codes=RAW / "ncses" / "SINV-34" / "data.csv")
    if out["industry_group"].isna().any():
        raise SystemExit("SINV-33: codes missing from SINV-34\n"
                         + "\n".join(sorted(set(out.loc[out["industry_group"].isna(), "path"]))))
    info["SINV-34"] = {"codes": int(out["path"].nunique()), "groups": int(out["industry_group"].nunique())}
    return out, info


# --------------------------------------------------------------------------- published
_COLS = ["code", "metric", "region", "stage", "year", "value", "unit", "source", "address",
         "snippet", "flag"]
_SPLIT = re.compile(r"\s+/\s+|\s+vs\.?\s+|\s*→\s*")
_NUM = re.compile(r"[~≈]?\s*(-?\d[\d,]*(?:\.\d+)?)(?:\s*[–-]\s*(\d[\d,]*(?:\.\d+)?))?")
_YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")
_COUNT_WORDS = ("funds", "rounds", "deals", "companies", "cos")
_REGION_CODES = {
    "us": "US", "usa": "US", "china": "CN", "china (hkex)": "CN", "eu-27": "EU27",
    "europe": "EUROPE", "eu+uk": "EU28",
}
_STAGE_GROUPS = {
    "all": "all", "all stages": "all", "seed": "seed", "early": "early", "series a": "early",
    "late": "later", "growth": "later", "late / mega": "later",
}


def _md_rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not (s.startswith("|") and s.endswith("|")):
            continue
        cells = [c.strip() for c in s[1:-1].split(" | ")]
        if cells and cells[0] in ("#",) or set("".join(cells)) <= set("-| :"):
            continue
        rows.append(cells)
    return rows


def _resolve_same(table: pd.DataFrame) -> pd.DataFrame:
    """'same' -> the previous row's cell; 'same as #N' / 'FLAG as #N' -> row N's cell."""
    t = table.copy()
    t["flagged_via"] = pd.array([pd.NA] * len(t), dtype="Int64")
    by_code = {}
    flagged: dict[int, bool] = {}
    prev = None
    for i in t.index:
        src_ref = None
        for col in ("metric", "region", "stage", "year", "unit", "source", "address", "snippet", "flag"):
            v = str(t.at[i, col])
            m = re.match(r"^(?:same as|(?:FLAG )?as) #(\d+)\s*(.*)$", v, flags=re.IGNORECASE)
            if v.lower() in ("same", "same row") and prev is not None:
                t.at[i, col] = t.at[prev, col] if v.lower() == "same" else v
                ref_i = prev
            elif m and int(m.group(1)) in by_code:
                ref_i = by_code[int(m.group(1))]
                extra = m.group(2).strip()
                t.at[i, col] = t.at[ref_i, col] + ((" ; " + extra) if extra else "")
            else:
                continue
            if col in ("source", "address"):
                src_ref = int(t.at[ref_i, "code"])
        code = int(t.at[i, "code"])
        own = str(t.at[i, "flag"]).upper().startswith("FLAG")
        # a row that reuses a flagged row's source inherits the flag (same mirror, same doubts)
        if not own and src_ref is not None and flagged.get(src_ref):
            t.at[i, "flagged_via"] = src_ref
        flagged[code] = own or (src_ref is not None and flagged.get(src_ref, False))
        by_code[code] = i
        prev = i
    return t


def _number(text: str) -> tuple[float, float, float] | None:
    m = _NUM.search(text.replace("\u2009", ""))
    if not m:
        return None
    lo = float(m.group(1).replace(",", ""))
    hi = float(m.group(2).replace(",", "")) if m.group(2) else lo
    return (lo + hi) / 2.0, lo, hi


def _years(text: str) -> tuple[int | None, int | None]:
    ys = [int(a + b) for a, b in _YEAR.findall(text)]
    short = re.search(r"(19|20)(\d\d)\s*[–-]\s*(\d\d)(?!\d)", text)  # 2024–25
    if short:
        ys.append(int(short.group(1) + short.group(3)))
    if not ys:
        return None, None
    return min(ys), max(ys)


def parse_published(path: Path) -> pd.DataFrame:
    """Parse the markdown table of published figures into one row per figure.

    Rules, applied in this order to every table row (nothing edited by hand):

    1. ``same`` in a cell = the previous row's cell; ``same as #N`` / ``FLAG as #N`` = row N's.
    2. The value cell is cut at the first ``;``: what follows goes to ``scope``.
    3. A parenthesised number after the value with a parenthesised year in the year
       cell (``62.3 (67.5)`` / ``2024 (2023)``) is a second figure for that year;
       ``(2018: 32.5)`` likewise; any other parenthesis goes to ``scope``.
    4. The value is split on `` / ``, `` vs `` and ``→``; the region, stage, year or
       unit cell with the same number of parts is split alongside. Parts that no
       cell matches keep the whole cells.
    5. Numbers: ``~`` and ``≈`` dropped, thousands commas removed, ``a–b`` = midpoint
       (low and high kept); a trailing ``bn``/``m`` joins the unit; a trailing
       ``funds``/``rounds``/``deals``/``companies`` makes the unit ``count``.
    6. Year: first and last four-digit year in the (part of the) year cell;
       ``year`` = the last.
    7. ``is_flagged``: the row's flag starts with ``FLAG``, or the row reuses ("same")
       the source of a flagged row (``flagged_via`` = that row's code).
    """
    rows = _md_rows(path)
    t = pd.DataFrame([r[: len(_COLS)] for r in rows], columns=_COLS)
    t["code"] = t["code"].astype(int)
    t = _resolve_same(t)
    out = []
    for _, r in t.iterrows():  # ~60 rows of free text: a loop is the clear way
        value_cell = r["value"]
        scope = []
        main, _, rest = value_cell.partition(";")
        if rest.strip():
            scope.append(rest.strip())
        # a parenthesis that itself holds a split ("(3,498 / 831)") is a note, not parts
        for inner in re.findall(r"\(([^)]*/[^)]*)\)", main):
            scope.insert(0, inner.strip())
        main = re.sub(r"\s*\([^)]*/[^)]*\)", "", main)
        alt = None
        m_alt = re.match(r"^(.*?)\s*\((\s*(?:(19|20)\d\d\s*:\s*)?[~≈]?\d[\d,.]*)\)\s*$", main.strip())
        y_alt = re.search(r"\((?:[^)]*?)((?:19|20)\d\d)\)", r["year"])
        if m_alt and "/" not in m_alt.group(2):
            inner = m_alt.group(2)
            if ":" in inner:
                yy, vv = inner.split(":", 1)
                alt = (int(yy.strip()), vv.strip())
                main = m_alt.group(1)
            elif y_alt:
                alt = (int(y_alt.group(1)), inner.strip())
                main = m_alt.group(1)
        parts = [p.strip() for p in _SPLIT.split(main.strip()) if p.strip()]
        k = len(parts)
        dims = {}
        for col in ("region", "stage", "year", "unit"):
            cell = r[col] if col != "year" else re.sub(r"\s*\([^)]*\)", "", r["year"])
            cparts = [p.strip() for p in _SPLIT.split(cell) if p.strip()]
            dims[col] = cparts if (k > 1 and len(cparts) == k) else None
        for j, part in enumerate(parts):
            num = _number(part)
            p_scope = list(scope)
            pm = re.search(r"\(([^)]*)\)", part)
            if pm:
                p_scope.insert(0, pm.group(1).strip())
            region = dims["region"][j] if dims["region"] else r["region"]
            stage = dims["stage"][j] if dims["stage"] else r["stage"]
            year_txt = dims["year"][j] if dims["year"] else r["year"]
            bare = re.sub(r"\s*\([^)]*\)", "", year_txt)
            if _years(bare)[1] is not None:  # parentheses hold a note (report year ...)
                year_txt = bare
            unit = dims["unit"][j] if dims["unit"] else r["unit"]
            tail = re.sub(r"\([^)]*\)", "", part)
            tail = _NUM.sub("", tail, count=1).strip()
            low = tail.lower()
            if low.startswith("bn") and not unit.lower().endswith("bn"):
                unit = f"{unit} bn"
                tail = tail[2:].strip()
            elif low.startswith(_COUNT_WORDS):
                unit = "count"
            if tail and tail.lower() not in ("each",):
                p_scope.insert(0, tail)
            elif tail:
                p_scope.insert(0, tail)
            y0, y1 = _years(year_txt)
            out.append(_pub_row(r, j, region, stage, y0, y1, year_txt, num, unit, p_scope, part))
        if alt is not None:
            num = _number(alt[1])
            out.append(_pub_row(r, k, r["region"], r["stage"], alt[0], alt[0], str(alt[0]), num,
                                r["unit"], ["figure for the earlier year given in parentheses"],
                                alt[1]))
    pub = pd.DataFrame(out)
    return pub


def _pub_row(r, j, region, stage, y0, y1, year_txt, num, unit, scope, part) -> dict:
    reg_key = str(region).strip().lower()
    region_code = _REGION_CODES.get(reg_key)
    if reg_key == "eu" and y1 is not None:
        region_code = "EU27" if y1 >= 2020 else "EU28"  # post-Brexit "EU" = EU-27
    return {
        "code": int(r["code"]),
        "part": j,
        "metric": r["metric"],
        "region": str(region).strip(),
        "region_code": region_code,
        "stage": str(stage).strip(),
        "stage_group": _STAGE_GROUPS.get(str(stage).strip().lower()),
        "year": y1,
        "year_start": y0,
        "year_raw": r["year"],
        "value": None if num is None else num[0],
        "value_low": None if num is None else num[1],
        "value_high": None if num is None else num[2],
        "value_raw": r["value"],
        "unit": str(unit).strip(),
        "scope": "; ".join(s for s in scope if s),
        "source": r["source"],
        "address": r["address"],
        "flag": r["flag"],
        "is_flagged": str(r["flag"]).upper().startswith("FLAG") or pd.notna(r["flagged_via"]),
        "flagged_via": r["flagged_via"],
        "is_derived": "derived" in (str(part) + " ".join(scope)).lower(),
        "snippet": r["snippet"],
    }


# --------------------------------------------------------------------------- CrunchBase
def build_crunchbase() -> dict:
    """Process with the io loaders if present; otherwise ship the raw files as published."""
    result = {}
    specs = {
        "crunchbase2013_us_rounds": ("crunchbase-oct2013-us", "crunchbase2013", "rounds",
                                     ["crunchbase-rounds.csv", "crunchbase-companies.csv",
                                      "LICENSE.txt", "README.md", "SOURCE.txt"]),
        "crunchbase2013_funds": ("crunchbase-2013-snapshot-funds", "crunchbase2013_funds", "funds",
                                 ["cb_funds.csv", "SOURCE.txt"]),
    }
    import fundgap

    for name, (folder, source, kind, files) in specs.items():
        dest = OUT / name
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for f in files:
            if f.endswith(".csv"):
                continue
            shutil.copyfile(RAW / folder / f, dest / f)
        reader = fundgap.read_rounds if kind == "rounds" else fundgap.read_funds
        raw_main = RAW / folder / files[0]
        try:
            ld = reader(str(raw_main), source=source)
            ld.check_accounting()
        except Exception as exc:  # loader missing or failing: ship raw, load lazily
            print(f"{name}: loader {source!r} not usable ({type(exc).__name__}: {exc}); "
                  "shipping the raw file(s)")
            for f in files:
                if f.endswith(".csv"):
                    shutil.copyfile(RAW / folder / f, dest / f)
            result[name] = {"mode": "raw", "loader": source, "kind": kind, "main": files[0]}
            continue
        data = ld.data
        write_csv(data, dest / f"{name}.csv.gz")
        write_csv(ld.rejects, dest / f"{name}_rejects.csv")
        if name == "crunchbase2013_us_rounds":
            gzip_copy(RAW / folder / "crunchbase-companies.csv", dest / "crunchbase-companies.csv.gz")
        result[name] = {"mode": "processed", "loader": source, "kind": kind,
                        "main": f"{name}.csv.gz", "n_input": ld.n_input, "rows": len(data),
                        "rejected": len(ld.rejects),
                        "reject_reasons": {str(k): int(v) for k, v in ld.reject_reasons().items()}}
    return result


def gzip_copy(src: Path, dest: Path) -> None:
    """Byte-exact copy, gzip-compressed with a fixed timestamp (the content stays as published)."""
    import gzip

    with open(src, "rb") as fin, open(dest, "wb") as raw_out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0, compresslevel=9) as gz:
            shutil.copyfileobj(fin, gz)


# --------------------------------------------------------------------------- register
def coverage_of(frame: pd.DataFrame) -> str:
    if "year" in frame and frame["year"].notna().any():
        y = pd.to_numeric(frame["year"], errors="coerce").dropna()
        return f"{int(y.min())}-{int(y.max())}"
    return ""


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    from provenance import RECORDS  # datasets/provenance.py

    built: dict[str, dict] = {}
    oecd, oinfo = build_oecd()
    write_csv(oecd, OUT / "oecd_vc.csv")
    built["oecd_vc"] = {"files": ["oecd_vc.csv"], "rows": len(oecd), "coverage_years": coverage_of(oecd),
                        "build": oinfo}
    gdpo, ginfo = build_gdp_oecd()
    write_csv(gdpo, OUT / "reference" / "gdp_oecd.csv")
    built["gdp_oecd"] = {"files": ["reference/gdp_oecd.csv"], "rows": len(gdpo),
                         "coverage_years": coverage_of(gdpo), "build": ginfo}
    pop, pinfo = build_population()
    write_csv(pop, OUT / "reference" / "population_wb.csv")
    built["population_wb"] = {"files": ["reference/population_wb.csv"], "rows": len(pop),
                              "coverage_years": coverage_of(pop), "build": pinfo}
    ncses, ninfo = build_ncses()
    write_csv(ncses, OUT / "ncses_vc.csv")
    built["ncses_vc"] = {"files": ["ncses_vc.csv"], "rows": len(ncses), "coverage_years": coverage_of(ncses),
                         "build": ninfo}
    for name, builder in (("ncses_industry", build_ncses_industry), ("ncses_firms", build_ncses_firms)):
        frame, finfo = builder()
        write_csv(frame, OUT / f"{name}.csv")
        built[name] = {"files": [f"{name}.csv"], "rows": len(frame), "coverage_years": coverage_of(frame),
                       "build": finfo}
    pub = parse_published(RAW / "published" / "published_figures.md")
    write_csv(pub, OUT / "published_figures.csv")
    built["published_figures"] = {"files": ["published_figures.csv"], "rows": len(pub),
                                  "coverage_years": coverage_of(pub),
                                  "build": {"table_rows": int(pub["code"].nunique())}}
    cb = build_crunchbase()
    rounds_dir = OUT / "crunchbase2013_us_rounds"
    companies = ("crunchbase-companies.csv.gz" if (rounds_dir / "crunchbase-companies.csv.gz").exists()
                 else "crunchbase-companies.csv")
    for name, info in cb.items():
        folder = OUT / name
        files = sorted(str(p.relative_to(OUT)) for p in folder.iterdir() if p.is_file())
        built[name] = {"files": files, "rows": info.get("rows"), "build": info}
    text = (RAW / "crunchbase-oct2013-us" / "crunchbase-companies.csv").read_bytes().decode("latin-1")
    comp = pd.read_csv(__import__("io").StringIO(text.replace("\r\n", "\n").replace("\r", "\n")),
                       dtype=str, keep_default_na=False, na_values=[""])
    n_comp = int(len(comp.loc[:, [c for c in comp.columns if not c.startswith("Unnamed")]].dropna(how="all")))
    built["crunchbase2013_us_companies"] = {
        "files": [f"crunchbase2013_us_rounds/{companies}"], "rows": n_comp, "build": {"main": companies}}
    for ref in ("fx_ecb_annual", "us_cpi_u", "hicp", "gdp_usd", "eu_membership"):
        f = OUT / "reference" / f"{ref}.csv"
        if f.exists():
            tab = pd.read_csv(f)
            built[ref] = {"files": [f"reference/{ref}.csv"], "rows": len(tab),
                          "coverage_years": coverage_of(tab), "build": {}}
        else:
            built[ref] = {"files": [], "rows": None, "build": {"missing": True}}

    register = []
    for rec in RECORDS:
        name = rec["name"]
        b = built.get(name, {"files": [], "rows": None, "build": {}})
        files = []
        for rel in b["files"]:
            p = OUT / rel
            files.append({"path": rel, "sha256": sha256(p), "bytes": p.stat().st_size})
        entry = dict(rec)
        entry["files"] = files
        entry["rows"] = b.get("rows")
        if b.get("coverage_years"):
            entry["coverage_years"] = b["coverage_years"]
        entry["build"] = b.get("build", {})
        register.append(entry)
    path = OUT / "datasets.json"
    path.write_text(json.dumps({"schema_version": 1, "datasets": register}, indent=2,
                               ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(register)} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
