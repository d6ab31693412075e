"""published_figures: the markdown table parsed by rule into one row per figure."""

import re
from pathlib import Path

import pytest

from fundgap.datasets import load_dataset

RAW = Path(__file__).resolve().parents[2] / "datasets" / "raw" / "published" / "published_figures.md"


@pytest.fixture(scope="module")
def pub():
    return load_dataset("published_figures")


def _rows(pub, code):
    return pub[pub["code"] == code].sort_values("part")


def test_every_table_row_is_parsed(pub):
    codes = [int(m.group(1)) for line in RAW.read_text(encoding="utf-8").splitlines()
             if (m := re.match(r"^\|\s*(\d+)\s*\|", line))]
    assert len(codes) == 60
    assert sorted(pub["code"].unique()) == sorted(codes)
    for col in ("metric", "region", "stage", "year", "value", "unit", "scope", "source", "address",
                "flag", "snippet"):
        assert col in pub.columns


def test_split_by_region(pub):
    r = _rows(pub, 6)  # "EU / US" | 0.2 / 0.7 | % of GDP | 2013-2023
    assert list(r["region"]) == ["EU", "US"]
    assert list(r["value"]) == [0.2, 0.7]
    assert set(r["unit"]) == {"% of GDP"} and set(r["year"]) == {2023} and set(r["year_start"]) == {2013}
    r = _rows(pub, 49)  # EU / US / China 13 / 17 / 18
    assert list(r["region_code"]) == ["EU27", "US", "CN"] and list(r["value"]) == [13, 17, 18]


def test_split_by_year_and_parenthesised_year(pub):
    r = _rows(pub, 56)  # China, 2015 / 2021 / 2022, 1.2 / 19.3 / 8.9 USD bn
    assert list(zip(r["year"], r["value"], strict=True)) == [(2015, 1.2), (2021, 19.3), (2022, 8.9)]
    r = _rows(pub, 27)  # 62.3 (67.5) for 2024 (2023)
    assert list(zip(r["year"], r["value"], strict=True)) == [(2024, 62.3), (2023, 67.5)]


def test_same_is_resolved_and_flags_kept(pub):
    r2 = _rows(pub, 2).iloc[0]
    r1 = _rows(pub, 1).iloc[0]
    assert r2["source"] == r1["source"] and r2["snippet"] == r1["snippet"]
    assert r2["flag"].startswith("FLAG") and bool(r2["is_flagged"])
    assert _rows(pub, 23).iloc[0]["region"] == "global (PitchBook)"


def test_numbers_ranges_and_units(pub):
    r = _rows(pub, 40)
    assert list(r["value"]) == [22594, 4795] and list(r["region_code"]) == ["US", "EU28"]
    r = _rows(pub, 21).iloc[0]  # 100-150 EUR m
    assert (r["value_low"], r["value_high"], r["value"]) == (100, 150, 125)
    r = _rows(pub, 16)  # 784 funds / 163
    assert list(r["unit"])[0] == "count" and list(r["value"]) == [784, 163]
    r = _rows(pub, 11)  # EU 2016 -> EU28 (before 2020)
    assert r.iloc[0]["region_code"] == "EU28"
    assert _rows(pub, 1).iloc[0]["region_code"] == "EU27"  # year 2023
    assert pub["value"].notna().all()


def test_flag_inherited_through_same_source(pub):
    r41 = _rows(pub, 41).iloc[0]  # source "same" as #40, whose flag is "FLAG: mirror of SVB deck"
    assert bool(r41["is_flagged"]) and int(r41["flagged_via"]) == 40
    assert not bool(_rows(pub, 24).iloc[0]["is_flagged"])
