"""Tests of the NCSES table loader (fundgap.io.ncses) on the real tables and a SYNTHETIC fixture."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fundgap
from fundgap.errors import MissingColumnError
from fundgap.io.ncses import parse_ncses, read_ncses

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw" / "ncses"
FIX = ROOT / "tests" / "data" / "ncses" / "synthetic_ncses_rh.csv"


def _value(d, **where):
    m = pd.Series(True, index=d.index)
    for k, v in where.items():
        m &= d[k].astype("object") == v
    rows = d[m]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize("table,rows,years", [("SINV-31", 14, 20), ("S8-62", 38, 20),
                                              ("SKTI-24", 14, 21), ("SINV-98", 13, 21),
                                              ("SINV-99", 18, 21)])
def test_every_cell_accounted_for(table, rows, years):
    ld = read_ncses(RAW / table / "data.csv")
    assert ld.n_input == rows * years
    ld.check_accounting()
    assert set(ld.data["table"]) == {table}
    # every NA cell of the raw file is a 'not available' reject (counted independently here)
    with open(RAW / table / "data.csv", encoding="utf-8") as fh:
        n_na = sum(cell == "NA" for row in csv.reader(fh) for cell in row)
    assert int((ld.rejects["reason"] == "not available").sum()) == n_na
    fundgap.validate_series(ld.data)


def test_sinv31_values_and_regions():
    d = read_ncses(RAW / "SINV-31" / "data.csv").data
    # r006 "Total -> EU-27<sup>b</sup>" field_2022 = 61911; r002 United States 247925
    assert _value(d, region="EU27", year=2022, measure="vc_invested") == 61911
    assert _value(d, country="US", year=2022) == 247925
    assert _value(d, country="CN", year=2022) == 88303  # China incl. Hong Kong
    assert _value(d, country="GB", year=2022) == 37131
    assert _value(d, region="WORLD", year=2003) == 22804
    assert _value(d, region="OTHER_EUROPE", year=2022) == 7919  # "Rest of Europe"
    eu = d[(d["region"] == "EU27") & (d["year"] == 2022)]
    assert eu["footnote"].iloc[0] == "b" and eu["path"].iloc[0] == "Total -> EU-27"
    assert _value(d, measure="vc_invested:Middle East", year=2022) == 18318


def test_s862_eu_is_eu28_and_heading_rows():
    ld = read_ncses(RAW / "S8-62" / "data.csv")
    d = ld.data
    assert _value(d, region="EU28", year=2018) == 21699
    assert _value(d, country="GB", year=2018) == 8847
    assert _value(d, country="KR", year=2018) == 3356
    # five heading rows (North America, Europe, Other Europe, Asia, Other countries) x 20 years
    assert int((ld.rejects["reason"] == "heading row without values").sum()) == 100


def test_sector_and_biotech_tables():
    d99 = read_ncses(RAW / "SINV-99" / "data.csv").data
    assert _value(d99, country="US", sector="health_care", year=2020) == pytest.approx(28414.91)
    assert _value(d99, country="CN", sector="health_care", year=2020) == pytest.approx(12068.3)
    assert _value(d99, country="US", sector="all", year=2000) == pytest.approx(2105.21)
    d24 = read_ncses(RAW / "SKTI-24" / "data.csv").data
    assert set(d24["sector"]) == {"biotech"}
    assert _value(d24, country="US", year=2020) == pytest.approx(27359.72)
    assert _value(d24, region="EUROPE", year=2020) == pytest.approx(6402.29)
    d98 = read_ncses(RAW / "SINV-98" / "data.csv").data
    assert set(d98["measure"].str.split(":").str[0]) == {"vc_invested_by_investor_hq"}
    assert _value(d98, country="IN", year=2020) == 12215  # label "India " with a trailing blank


def test_synthetic_fixture_by_hand():
    ld = read_ncses(FIX)
    ld.check_accounting()
    d, r = ld.data, ld.rejects
    assert ld.n_input == 14 and len(d) == 9 and len(r) == 5
    assert d["table"].iloc[0] == "S8-62"  # from table_id 1964
    assert _value(d, region="WORLD", year=2020) == 1000  # "1,000"
    assert _value(d, region="EU28", year=2020) == 300
    ger = d[(d["country"] == "DE") & (d["year"] == 2021)]
    assert float(ger["value"].iloc[0]) == 110 and ger["flag"].iloc[0] == "r"
    hk = d[d["country"] == "HK"]
    assert hk["region"].iloc[0] == "CN"
    assert _value(d, measure="vc_invested:Middle East", year=2021) == 8
    assert d.loc[d["measure"] == "vc_invested:Atlantis", "region"].isna().all()
    got = sorted(zip(r["source_row"].astype(int), r["reason"], strict=True))
    assert got == [(3, "heading row without values"), (3, "heading row without values"),
                   (4, "not available"), (6, "empty cell"), (8, "not a number")]


def test_missing_year_columns_is_a_clear_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("table_id,row_id,region_full_path\n1,r1,Total\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as err:
        read_ncses(p)
    assert "t.csv" in str(err.value)


_cell = st.one_of(st.just("NA"), st.just(""), st.just("x"),
                  st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.2f}"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=8))
def test_property_cells_in_equal_cells_out(rows):
    raw = pd.DataFrame({
        "table_id": "10578",
        "row_id": [f"r{i}" for i in range(len(rows))],
        "region_country_or_economy_full_path": [f"Total -> Area {i}" for i in range(len(rows))],
        **{f"field_{2000 + j}": [row[j] for row in rows] for j in range(3)},
    })
    ld = parse_ncses(raw)
    assert len(ld.data) + len(ld.rejects) == ld.n_input == 3 * len(rows)


def test_sniffed_by_read_series():
    ld = fundgap.read_series(str(FIX))
    assert ld.source == "ncses" and len(ld.data) == 9
