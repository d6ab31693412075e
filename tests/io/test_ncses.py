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


# --------------------------------------------------------------------------- industry, states, counts
# Expected values below come from the raw CSVs read here with the csv module, never from the loader.

def _raw_rows(table):
    with open(RAW / table / "data.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _raw_cell(table, label, year):
    for row in _raw_rows(table):
        label_col = next(k for k in row if k.endswith("_full_path") or k.startswith("primary_industry"))
        if row[label_col] == label:
            return float(row.get(f"field_{year}", row.get(str(year))))
    raise KeyError(label)


def _raw_cells(table):
    """Every year cell of the raw table (year columns named field_YYYY or YYYY)."""
    with open(RAW / table / "data.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    years = [i for i, c in enumerate(rows[0]) if c.removeprefix("field_").isdigit()]
    return [row[i] for row in rows[1:] for i in years]


def _readme(table):
    return (RAW / table / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", ["S8-64", "S8-65", "8-6", "8-7", "SKTI-25", "SINV-33"])
def test_new_tables_every_cell_accounted_for(table):
    ld = read_ncses(RAW / table / "data.csv")
    cells = _raw_cells(table)
    assert ld.n_input == len(cells)
    ld.check_accounting()
    fundgap.validate_series(ld.data)
    assert set(ld.data["table"]) == {table}
    reasons = ld.reject_reasons().to_dict()
    # rejects per reason, counted independently on the raw cells
    assert reasons.get("not available", 0) == cells.count("NA")
    assert reasons.get("suppressed or none", 0) == cells.count("-")
    assert reasons.get("suppressed", 0) == cells.count("D")
    n_numbers = sum(1 for c in cells if c.replace(".", "", 1).isdigit())
    assert len(ld.data) == n_numbers


@pytest.mark.parametrize("table,reasons", [
    ("S8-64", {"heading row without values": 12}),  # 'China', 'United States' x 6 years
    ("S8-65", {"heading row without values": 12}),
    ("8-6", {}), ("8-7", {}),
    ("SKTI-25", {"not available": 120}),
    ("SINV-33", {"suppressed or none": 853}),
])
def test_new_tables_reject_counts(table, reasons):
    assert read_ncses(RAW / table / "data.csv").reject_reasons().to_dict() == reasons


def test_modal_ids_registered_as_the_readmes_say():
    import re

    from fundgap.io.ncses import NCSES_TABLES

    for table in ("S8-64", "S8-65", "8-6", "8-7", "SKTI-25", "SINV-33", "SINV-34"):
        text = _readme(table)
        modal = re.search(r"\*\*Modal ID:\*\*\s*(\d+)", text).group(1)
        number = re.search(r"\*\*Table Number:\*\*\s*(\S+)", text).group(1)
        assert number == table and NCSES_TABLES[modal] == table


@pytest.mark.parametrize("region,country_label", [("CN", "China"), ("US", "United States")])
@pytest.mark.parametrize("year", [2013, 2018])
def test_s864_pharma_biotech_from_the_industry_path(region, country_label, year):
    d = read_ncses(RAW / "S8-64" / "data.csv").data
    expected = _raw_cell("S8-64", f"{country_label} -> Total -> Pharmaceuticals and biotechnology", year)
    got = _value(d, region=region, sector="pharmaceuticals_and_biotechnology", year=year)
    assert got == expected
    assert _value(d, region=region, sector="all", year=year) == _raw_cell("S8-64", f"{country_label} -> Total", year)
    assert set(d["measure"]) == {"vc_invested"}
    assert set(d.loc[d["region"] == "CN", "country"]) == {"CN"}  # China incl. Hong Kong, as NCSES states


def test_s864_china_and_us_have_the_same_industries():
    d = read_ncses(RAW / "S8-64" / "data.csv").data
    cn, us = (set(d.loc[d["region"] == r, "sector"]) for r in ("CN", "US"))
    assert cn == us and len(cn) == 42  # 41 industries + 'all' ('non-wood' and 'nonwood' made one)
    assert "construction_nonwood" in cn and "other_energy" in cn  # 'Other energy<br>' cleaned


def test_s864_industries_add_up_to_the_total():
    # an independent check of the transcription: the 41 industries sum to 'Total'
    d = read_ncses(RAW / "S8-64" / "data.csv").data
    for region in ("CN", "US"):
        for year in range(2013, 2019):
            s = d[(d["region"] == region) & (d["year"] == year)]
            parts = float(s.loc[s["sector"] != "all", "value"].sum())
            assert parts == pytest.approx(float(s.loc[s["sector"] == "all", "value"].iloc[0]), abs=0.05)


def test_s865_verticals_are_a_measure_of_their_own():
    ld = read_ncses(RAW / "S8-65" / "data.csv")
    d = ld.data
    assert set(d["measure"]) == {"vc_invested_by_vertical"}
    assert "all" not in set(d["sector"])  # no total row, and none is made
    assert _value(d, region="CN", sector="life_sciences", year=2018) == _raw_cell("S8-65", "China -> Life sciences", 2018)
    assert _value(d, region="US", sector="life_sciences", year=2018) == _raw_cell(
        "S8-65", "United States -> Life sciences", 2018)
    assert _value(d, region="US", sector="oil_and_gas", year=2013) == 655  # 'Oil and gas'
    assert _value(d, region="CN", sector="oil_and_gas", year=2013) == 0  # 'Oil and Gas'
    assert any("never sum" in n for n in ld.notes)


@pytest.mark.parametrize("table,region,label", [("8-6", "US", "Health care"), ("8-7", "CN", "Healthcare")])
def test_health_care_tables_take_the_place_from_the_table(table, region, label):
    d = read_ncses(RAW / table / "data.csv").data
    assert set(d["region"]) == {region} and set(d["country"]) == {region}
    assert set(d["year"]) == {2013, 2018}
    for year in (2013, 2018):
        assert _value(d, sector="health_care", year=year) == _raw_cell(table, label, year)
        assert _value(d, sector="pharmaceuticals_and_biotechnology", year=year) == _raw_cell(
            table, f"{label} -> Pharmaceuticals and biotechnology", year)
    # 8-7's 'Healthcare -> Other' is what its note calls 'Other health care'
    assert "other_health_care" in set(d["sector"])


@pytest.mark.parametrize("table,country_label", [("8-6", "United States"), ("8-7", "China")])
@pytest.mark.parametrize("year", [2013, 2018])
def test_health_care_tables_agree_with_s864_to_rounding(table, country_label, year):
    # 8-6 and 8-7 cite S8-64 and round it to USD 1 million: they must agree within 0.5
    label = "Health care" if table == "8-6" else "Healthcare"
    small = _raw_cell(table, f"{label} -> Pharmaceuticals and biotechnology", year)
    s864 = _raw_cell("S8-64", f"{country_label} -> Total -> Pharmaceuticals and biotechnology", year)
    assert abs(small - s864) <= 0.5
    d = read_ncses(RAW / table / "data.csv").data
    assert _value(d, sector="pharmaceuticals_and_biotechnology", year=year) == small


def test_skti25_states_census_regions_and_total():
    d = read_ncses(RAW / "SKTI-25" / "data.csv").data
    assert set(d["region"]) == {"US"} and set(d["country"]) == {"US"} and set(d["sector"]) == {"biotech"}
    ca = d[(d["subdivision"] == "US-CA") & (d["year"] == 2020)]
    assert float(ca["value"].iloc[0]) == _raw_cell("SKTI-25", "West -> California", 2020)
    assert ca["measure"].iloc[0] == "vc_invested:state:US-CA"
    west = d[(d["subdivision"] == "census:West") & (d["year"] == 2020)]
    assert float(west["value"].iloc[0]) == _raw_cell("SKTI-25", "West", 2020)
    assert west["measure"].iloc[0] == "vc_invested:census_region:West"
    # the national total is the only plain 'vc_invested' row of a year; it equals SKTI-24's US row
    total = d[(d["measure"] == "vc_invested") & (d["year"] == 2020)]
    assert len(total) == 1 and total["subdivision"].isna().all()
    assert float(total["value"].iloc[0]) == _raw_cell("SKTI-25", "United States", 2020)
    with open(RAW / "SKTI-24" / "data.csv", encoding="utf-8") as fh:
        us24 = next(r for r in csv.DictReader(fh) if r["country_or_region_full_path"].endswith("United States"))
    assert float(total["value"].iloc[0]) == float(us24["field_2020"])
    assert _value(d, subdivision="US-DC", year=2019) == _raw_cell("SKTI-25", "South -> District of Columbia", 2019)
    assert d["subdivision"].str.match(r"^(US-[A-Z]{2}|census:(Midwest|Northeast|South|West))$").all()


def test_skti25_states_add_up_to_their_census_region_where_complete():
    # independent of the loader: in 2020 the West's states with values sum to the West row
    rows = _raw_rows("SKTI-25")
    west = [float(r["field_2020"]) for r in rows if r["region_level_1"] == "West" and r["region_level_2"]
            and r["field_2020"] != "NA"]
    assert sum(west) == pytest.approx(_raw_cell("SKTI-25", "West", 2020), abs=0.05)


def test_sinv33_counts_with_industry_groups():
    ld = read_ncses(RAW / "SINV-33" / "data.csv")
    d = ld.data
    bio = d[(d["sector"] == "biotechnology") & (d["year"] == 2022)]
    assert float(bio["value"].iloc[0]) == _raw_cell("SINV-33", "Biotechnology", 2022)
    assert set(d["unit"]) == {"count"} and set(d["measure"]) == {"firms_receiving_vc"}
    assert d["price_base"].isna().all()
    assert set(d["region"]) == {"US"}
    # industry group joined from SINV-34, read here independently
    with open(RAW / "SINV-34" / "data.csv", encoding="utf-8") as fh:
        groups = {r["primary_industry_code_pitchbook_"]: r["industry_classification"] for r in csv.DictReader(fh)}
    assert bio["industry_group"].iloc[0] == groups["Biotechnology"] == "Biomedical"
    assert (d["industry_group"].astype(str) == d["path"].astype(str).map(groups)).all()
    # one sector per code that has at least one number (3 of the 215 codes are '-' in every year)
    with_numbers = {r["primary_industry_code_pitchbook_"] for r in _raw_rows("SINV-33")
                    if any(v.isdigit() for k, v in r.items() if k.isdigit())}
    assert d["sector"].nunique() == len(with_numbers) == 212


def test_sinv33_without_the_code_list(tmp_path):
    ld = read_ncses(RAW / "SINV-33" / "data.csv", codes=False)
    assert "industry_group" not in ld.data.columns
    bad = pd.DataFrame({"table_id": ["10581"], "code": ["Biotechnology"]})
    with pytest.raises(MissingColumnError):
        read_ncses(RAW / "SINV-33" / "data.csv", codes=bad)


# SYNTHETIC: made-up rows in the real layouts, to exercise what the real tables lack ('D', '-',
# an unknown state). Values are invented; the expected records are worked out by hand below.
_SYNTHETIC_VERTICAL = (
    "table_id,row_id,industry_vertical_or_technology_area_full_path,industry_vertical_or_technology_area_level_1,"
    "industry_vertical_or_technology_area_level_2,industry_vertical_or_technology_area_hierarchy_depth,"
    "field_2017,field_2018\n"
    "1942,r001,China,China,,1,,\n"
    "1942,r002,China -> Life sciences,China,Life sciences,2,10,D\n"
    "1942,r003,China -> Oncology,China,Oncology,2,-,7\n"
)
_SYNTHETIC_STATES = (
    "table_id,row_id,region_full_path,region_level_1,region_level_2,region_hierarchy_depth,field_2020\n"
    "6210,r001,West,West,,1,20\n"
    "6210,r002,West -> Atlantis,West,Atlantis,2,5\n"
    "6210,r003,West -> Utah,West,Utah,2,15\n"
    "6210,r004,Pacifica,Pacifica,,1,3\n"
    "6210,r005,United States,United States,,1,20\n"
)


def _parse(text):
    import io

    return parse_ncses(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))


def test_synthetic_suppressed_cells_are_rejects_with_their_reason():
    ld = _parse(_SYNTHETIC_VERTICAL)
    ld.check_accounting()
    assert ld.n_input == 6 and len(ld.data) == 2
    got = sorted(zip(ld.rejects["source_row"].astype(int), ld.rejects["reason"], ld.rejects["value"], strict=True))
    assert got == [(2, "heading row without values", ""), (2, "heading row without values", ""),
                   (3, "suppressed", "D"), (4, "suppressed or none", "-")]
    assert _value(ld.data, sector="life_sciences", year=2017) == 10
    assert _value(ld.data, sector="oncology", year=2018) == 7
    assert set(ld.data["measure"]) == {"vc_invested_by_vertical"}


def test_synthetic_unknown_state_is_rejected():
    ld = _parse(_SYNTHETIC_STATES)
    ld.check_accounting()
    assert ld.data["table"].iloc[0] == "SKTI-25"
    assert sorted(ld.data["subdivision"].dropna()) == ["US-UT", "census:West"]
    got = sorted(zip(ld.rejects["source_row"].astype(int), ld.rejects["reason"], strict=True))
    assert got == [(3, "unknown US state"), (5, "unknown US area")]
    assert _value(ld.data, measure="vc_invested", year=2020) == 20


def test_new_layouts_sniffed_by_read_series():
    for table in ("S8-64", "SINV-33", "SKTI-25"):
        ld = fundgap.read_series(str(RAW / table / "data.csv"))
        assert ld.source == "ncses" and set(ld.data["table"]) == {table}


@pytest.mark.parametrize("s864,s862,tolerance", [
    ("China -> Total", "Global total -> Asia -> China", 0.002),
    ("United States -> Total", "Global total -> North America -> United States", 0.0035)])
def test_s864_totals_close_to_s862_which_says_china_includes_hong_kong(s864, s862, tolerance):
    # same PitchBook extract (21 September 2019): the China of S8-64 is S8-62's, incl. Hong Kong
    assert "China includes Hong Kong" in _readme("S8-62")
    rows62 = {r["region_country_or_economy_full_path"]: r for r in _raw_rows("S8-62")}
    for year in range(2013, 2019):
        a = _raw_cell("S8-64", s864, year)
        b = float(rows62[s862][f"field_{year}"])
        assert abs(a / b - 1) < tolerance, year
