"""Shared fixtures: the findings on the shipped data, and the raw published tables read by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[2] / "datasets" / "raw"

#: EU-27 members as the OECD names them (Cyprus and Malta are absent from the OECD file).
EU27_NAMES = {
    "Austria", "Belgium", "Bulgaria", "Croatia", "Czechia", "Denmark", "Estonia", "Finland",
    "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania",
    "Luxembourg", "Netherlands", "Poland", "Portugal", "Romania", "Slovak Republic", "Slovenia",
    "Spain", "Sweden", "Cyprus", "Malta"}
OECD_STAGES = {"Seed": "seed", "Start-up and other early stage": "early",
               "Later stage venture": "later", "Total": "all"}


def oecd_usd() -> dict[tuple[str, str, int], float]:
    """(country, stage, year) -> USD million, read from the raw OECD file with the csv module."""
    out = {}
    with open(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for r in rows:
            if r["unit"].startswith("US dollars"):
                out[(r["country"], OECD_STAGES[r["stage"]], int(r["year"]))] = float(r["value"])
    return out


def eu27_sum(values: dict, stage: str, year: int) -> float:
    """Sum of the EU-27 members the OECD reports for a stage and year."""
    return sum(v for (c, s, y), v in values.items() if c in EU27_NAMES and s == stage and y == year)


def ncses(table: str, label_end: str, year: int) -> float:
    """One value of a raw NCSES table: the row whose path ends with ``label_end``."""
    with open(RAW / "ncses" / table / "data.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            path = next(v for k, v in r.items() if k.endswith("_full_path"))
            if path.split("<sup>")[0].strip().endswith(label_end):
                return float(r[f"field_{year}"])
    raise KeyError((table, label_end, year))


@pytest.fixture(scope="session")
def shipped():
    import fundgap

    return fundgap.findings(n_sims=200)
