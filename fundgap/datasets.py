"""The open datasets fundgap ships, with their provenance.

fundgap carries the best open evidence on the EU-US-China venture-capital gap so
that it gives a real answer on a fresh machine, and records for each table where
it came from, under which licence, how to cite it and what to beware of. The
register is ``fundgap/data/datasets.json``; the tables are built from the raw
files kept as published in the project's ``datasets/raw/`` by ``datasets/build.py``.

=============================  ========= ===============================================================
name                           kind      what
=============================  ========= ===============================================================
oecd_vc                        series    OECD VC investments by country x stage, USD mn and % of GDP,
                                         with computed EU-27 aggregates (fund-reported statistics)
ncses_vc                       series    NCSES (PitchBook-based) VC tables SINV-31, S8-62, SKTI-24,
                                         SINV-98, SINV-99
ncses_industry                 series    NCSES VC in China and the US by industry (S8-64) and by
                                         overlapping vertical (S8-65), health-care sub-industries
                                         (8-6 US, 8-7 China), biotech VC by US state (SKTI-25)
ncses_firms                    series    NCSES count of US firms receiving VC by PitchBook industry
                                         code (SINV-33), with its industry group (SINV-34)
crunchbase2013_us_rounds       rounds    CrunchBase Oct 2013 export, US rounds (CC-BY)
crunchbase2013_us_companies    table     CrunchBase Oct 2013 export, US companies (CC-BY)
crunchbase2013_funds           funds     CrunchBase 2013 Snapshot funds
published_figures              table     headline figures of public reports, one row per figure
fx_ecb_annual, us_cpi_u,       reference reference tables used by fundgap.normalise
hicp, gdp_usd, eu_membership
gdp_oecd                       reference the GDP the OECD divides by (USD / % of GDP, by country
                                         and year, Norway included): groups' shares of GDP
population_wb                  reference World Bank population (SP.POP.TOTL) of the 27 EU members,
                                         Norway, UK, US, China, 2000-2025: per-capita depth
=============================  ========= ===============================================================

OECD and NCSES measure different things (fund-reported market statistics vs
deal-based PitchBook data) and disagree by design: show both, never blend them.

Examples
--------
>>> from fundgap.datasets import list_datasets, load_dataset
>>> "oecd_vc" in set(list_datasets()["name"])
True
>>> oecd = load_dataset("oecd_vc")
>>> us = oecd[(oecd["country"] == "US") & (oecd["stage_group"] == "all")
...           & (oecd["unit"] == "USD_M") & (oecd["year"] == 2025)]
>>> round(float(us["value"].iloc[0]))
192119

NCSES S8-64: pharmaceuticals and biotechnology, China (incl. Hong Kong) and the US, 2018,
USD million:

>>> ind = load_dataset("ncses_industry")
>>> pb = ind[(ind["table"] == "S8-64") & (ind["year"] == 2018)
...          & (ind["sector"] == "pharmaceuticals_and_biotechnology")]
>>> dict(zip(pb["region"].astype(str), pb["value"]))
{'CN': 3205.7, 'US': 18662.21}

World Bank population (SP.POP.TOTL), Belgium 2025:

>>> pop = load_dataset("population_wb")
>>> int(pop.loc[(pop["country"] == "BE") & (pop["year"] == 2025), "population"].iloc[0])
11941781
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError, UnknownSourceError

__all__ = ["describe_dataset", "list_datasets", "load_dataset"]

_CANONICAL_KINDS = ("rounds", "funds", "series")
_INTEGER_EXTRAS = {"source_row", "n_members", "code", "part", "year", "year_start", "flagged_via"}


def _data_dir():
    return resources.files("fundgap") / "data"


@lru_cache(maxsize=1)
def _register() -> dict[str, dict[str, Any]]:
    text = (_data_dir() / "datasets.json").read_text(encoding="utf-8")
    return {rec["name"]: rec for rec in json.loads(text)["datasets"]}


def _record(name: str) -> dict[str, Any]:
    reg = _register()
    key = str(name).strip()
    if key not in reg:
        import difflib

        close = difflib.get_close_matches(key, list(reg), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownSourceError(f"unknown dataset{hint}", argument="name", value=name,
                                 expected=sorted(reg))
    return reg[key]


def list_datasets() -> pd.DataFrame:
    """List the shipped datasets.

    Returns
    -------
    DataFrame
        Columns ``name, title, kind, coverage, source, licence``, one row per dataset.

    Examples
    --------
    >>> from fundgap.datasets import list_datasets
    >>> list(list_datasets().columns)
    ['name', 'title', 'kind', 'coverage', 'source', 'licence']
    >>> sorted(list_datasets()["kind"].unique())
    ['funds', 'reference', 'rounds', 'series', 'table']
    """
    rows = [{k: rec.get(k, "") for k in ("name", "title", "kind", "coverage", "source", "licence")}
            for rec in _register().values()]
    return pd.DataFrame(rows, columns=["name", "title", "kind", "coverage", "source", "licence"])


def _read_csv(rel: str) -> pd.DataFrame:
    blob = (_data_dir() / rel).read_bytes()
    # keep_default_na=False: 'NA' is Namibia, not a missing value
    return pd.read_csv(io.BytesIO(blob), keep_default_na=False, na_values=[""], low_memory=False,
                       compression="gzip" if rel.endswith(".gz") else None)


def _main_file(rec: dict[str, Any]) -> str:
    files = [f["path"] for f in rec.get("files", [])]
    main = rec.get("build", {}).get("main")
    if main:
        for f in files:
            if f.endswith("/" + main) or f == main:
                return f
    csvs = [f for f in files if f.endswith((".csv", ".csv.gz")) and "rejects" not in f]
    if not csvs:
        raise FundgapError(f"dataset {rec['name']!r} has no shipped table", argument="name",
                           value=rec["name"],
                           expected="a dataset with a table (see list_datasets())")
    return csvs[0]


def _load_companies(rel: str) -> pd.DataFrame:
    blob = (_data_dir() / rel).read_bytes()
    if rel.endswith(".gz"):
        import gzip

        blob = gzip.decompress(blob)
    text = blob.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    df = df.loc[:, [c for c in df.columns if not str(c).startswith("Unnamed")]]
    return df.dropna(how="all").reset_index(drop=True)


@lru_cache(maxsize=16)
def _load(name: str) -> pd.DataFrame:
    from fundgap.schema import conform

    rec = _record(name)
    kind = rec["kind"]
    build = rec.get("build", {})
    if name == "crunchbase2013_us_companies":
        return _load_companies(_main_file(rec))
    if kind in ("rounds", "funds") and build.get("mode") == "raw":
        # shipped as published: read through the provider's loader
        import fundgap

        reader = fundgap.read_rounds if kind == "rounds" else fundgap.read_funds
        with resources.as_file(_data_dir() / _main_file(rec)) as path:
            loaded = reader(str(path), source=build["loader"])
        return loaded.data
    frame = _read_csv(_main_file(rec))
    if kind in _CANONICAL_KINDS:
        frame = conform(frame, kind)
    for col in _INTEGER_EXTRAS.intersection(frame.columns):
        if frame[col].dtype.kind == "f":  # integers with gaps come back from CSV as floats
            frame[col] = frame[col].astype("Int64")
    if "source_column" in frame and frame["source_column"].dtype.kind in "iuf":
        frame["source_column"] = frame["source_column"].astype(str)  # '2022' is a column name
    return frame


def load_dataset(name: str) -> pd.DataFrame:
    """Load a shipped dataset as a frame.

    Parameters
    ----------
    name : str
        One of ``list_datasets()["name"]``.

    Returns
    -------
    DataFrame
        rounds, funds and series datasets in the canonical schema of
        :mod:`fundgap.schema` (extra documented columns after the canonical ones);
        tables and reference tables as shipped. A fresh copy on every call.

    Raises
    ------
    UnknownSourceError
        If ``name`` is not a shipped dataset (the message lists the names).

    Examples
    --------
    >>> from fundgap.datasets import load_dataset
    >>> ncses = load_dataset("ncses_vc")
    >>> row = ncses[(ncses["table"] == "SINV-31") & (ncses["year"] == 2022)
    ...             & (ncses["measure"] == "vc_invested")]
    >>> value = dict(zip(row["region"].astype(str), row["value"]))
    >>> round(value["EU27"] / value["US"], 2)
    0.25
    >>> load_dataset("oecd")
    Traceback (most recent call last):
    ...
    fundgap.errors.UnknownSourceError: argument 'name': unknown dataset; did you mean 'oecd_vc'?; got 'oecd'; expected one of [...]
    """
    return _load(str(name).strip()).copy()


class DatasetDescription(str):
    """The text of :func:`describe_dataset`; shows as text (not a quoted string) at the prompt."""

    def __repr__(self) -> str:
        return str(self)


def _wrap(text: str, indent: str = "  ", width: int = 96) -> str:
    import textwrap

    return textwrap.fill(str(text), width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def describe_dataset(name: str) -> DatasetDescription:
    """Describe a dataset: what it is, provenance, licence, how to cite, caveats and codebook.

    Parameters
    ----------
    name : str

    Returns
    -------
    DatasetDescription
        A ``str`` (prints as formatted text).

    Raises
    ------
    UnknownSourceError
        If ``name`` is not a shipped dataset.

    Examples
    --------
    >>> from fundgap.datasets import describe_dataset
    >>> text = describe_dataset("ncses_vc")
    >>> text.splitlines()[0]
    'ncses_vc (series)'
    >>> "How to cite" in text and "sha256" in text
    True
    """
    rec = _record(name)
    lines = [f"{rec['name']} ({rec['kind']})", "=" * (len(rec["name"]) + len(rec["kind"]) + 3)]
    lines.append(_wrap(rec["title"], indent=""))
    lines.append("")
    for label, key in (("Coverage", "coverage"), ("Publisher", "publisher"), ("Origin", "origin"),
                       ("Retrieved", "retrieved"), ("Licence", "licence")):
        lines.append(f"{label}:")
        lines.append(_wrap(rec.get(key, "")))
    if rec.get("rows") is not None:
        lines.append(f"Rows: {rec['rows']}" + (f"; years {rec['coverage_years']}" if rec.get("coverage_years") else ""))
    lines.append("")
    lines.append("How to cite:")
    lines.append(_wrap(rec.get("citation", "")))
    lines.append("")
    lines.append("Caveats:")
    lines += [_wrap("- " + c) for c in rec.get("caveats", [])]
    lines += ["", "Codebook:"]
    lines += [_wrap(f"{col}: {meaning}") for col, meaning in rec.get("codebook", {}).items()]
    lines += ["", "Files (sha256):"]
    lines += [f"  {f['path']}  {f['sha256']}" for f in rec.get("files", [])]
    return DatasetDescription("\n".join(lines))
