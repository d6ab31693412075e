"""The shipped NCSES industry and firm-count datasets against the raw CSVs (read here with the csv module).

ncses_industry = S8-64, S8-65, 8-6, 8-7, SKTI-25; ncses_firms = SINV-33 with SINV-34's industry groups.
"""

import csv
import json
from pathlib import Path

import pytest

import fundgap
from fundgap.datasets import describe_dataset, load_dataset

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw" / "ncses"
REGISTER = ROOT / "fundgap" / "data" / "datasets.json"


def _rows(table):
    with open(RAW / table / "data.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _label_column(row):
    return next(k for k in row if k.endswith("_full_path") or k.startswith("primary_industry_code"))


def _raw(table, label, year):
    for row in _rows(table):
        if row[_label_column(row)] == label:
            return float(row.get(f"field_{year}", row.get(str(year))))
    raise KeyError(label)


def _one(frame, **where):
    m = None
    for k, v in where.items():
        cond = frame[k].isna() if v is None else (frame[k].astype("object") == v)
        m = cond if m is None else (m & cond)
    rows = frame[m]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return float(rows["value"].iloc[0])


@pytest.fixture(scope="module")
def ind():
    return load_dataset("ncses_industry")


@pytest.fixture(scope="module")
def firms():
    return load_dataset("ncses_firms")


def test_both_pass_the_schema_and_hold_only_their_tables(ind, firms):
    fundgap.validate_series(ind)
    fundgap.validate_series(firms)
    assert set(ind["table"]) == {"S8-64", "S8-65", "8-6", "8-7", "SKTI-25"}
    assert set(firms["table"]) == {"SINV-33"}
    assert set(ind["source"]) == set(firms["source"]) == {"ncses"}


def test_every_number_of_the_raw_tables_is_shipped(ind, firms):
    # independent count of the numeric cells of each raw table
    for table, frame in (("S8-64", ind), ("S8-65", ind), ("8-6", ind), ("8-7", ind), ("SKTI-25", ind),
                         ("SINV-33", firms)):
        n = 0
        for row in _rows(table):
            for k, v in row.items():
                if k.removeprefix("field_").isdigit() and v.replace(".", "", 1).isdigit():
                    n += 1
        assert int((frame["table"] == table).sum()) == n, table


@pytest.mark.parametrize("region,label", [("CN", "China"), ("US", "United States")])
@pytest.mark.parametrize("year", range(2013, 2019))
def test_s864_pharma_biotech(ind, region, label, year):
    s = ind[ind["table"] == "S8-64"]
    expected = _raw("S8-64", f"{label} -> Total -> Pharmaceuticals and biotechnology", year)
    assert _one(s, region=region, country=region, sector="pharmaceuticals_and_biotechnology",
                measure="vc_invested", year=year) == expected


def test_s864_values_typed_from_the_raw_file(ind):
    # raw lines r035 and r078: ...,70.75,119.42,405.79,1331.3,1951.28,3205.7 / ...,5953.03,...,18662.21
    s = ind[(ind["table"] == "S8-64") & (ind["sector"] == "pharmaceuticals_and_biotechnology")]
    assert _one(s, region="CN", year=2018) == 3205.7
    assert _one(s, region="US", year=2018) == 18662.21
    assert _one(s, region="CN", year=2013) == 70.75


@pytest.mark.parametrize("region,label", [("CN", "China"), ("US", "United States")])
def test_s865_life_sciences(ind, region, label):
    s = ind[ind["table"] == "S8-65"]
    for year in range(2013, 2019):
        assert _one(s, region=region, sector="life_sciences", year=year) == _raw(
            "S8-65", f"{label} -> Life sciences", year)
    assert _one(s, region="CN", sector="life_sciences", year=2018) == 3584  # typed from raw r034


def test_no_sum_over_s865_verticals_anywhere(ind):
    v = ind[ind["table"] == "S8-65"]
    assert set(v["measure"]) == {"vc_invested_by_vertical"}
    assert "all" not in set(v["sector"])
    # the sums of the overlapping verticals, computed here from the raw file, appear nowhere
    sums = {}
    for row in _rows("S8-65"):
        region = row["industry_vertical_or_technology_area_level_1"]
        if not row["industry_vertical_or_technology_area_level_2"]:
            continue
        for year in range(2013, 2019):
            sums[(region, year)] = sums.get((region, year), 0.0) + float(row[f"field_{year}"])
    shipped = ind["value"].to_numpy()
    for key, total in sums.items():
        assert not any(abs(shipped - total) < 0.5), key
    # and they exceed S8-64's total investment, as NCSES's note says they would
    for (region, year), total in sums.items():
        assert total > _raw("S8-64", f"{region} -> Total", year)


def test_verticals_never_meet_a_vc_invested_sum(ind):
    # a sum over measure 'vc_invested' by region and year takes S8-64, 8-6, 8-7, SKTI-25, never S8-65
    plain = ind[ind["measure"] == "vc_invested"]
    assert "S8-65" not in set(plain["table"])


@pytest.mark.parametrize("table,region,label,s864_region", [
    ("8-6", "US", "Health care", "United States"), ("8-7", "CN", "Healthcare", "China")])
@pytest.mark.parametrize("year", [2013, 2018])
def test_health_care_tables_agree_with_s864(ind, table, region, label, year, s864_region):
    s = ind[ind["table"] == table]
    got = _one(s, region=region, sector="pharmaceuticals_and_biotechnology", year=year)
    assert got == _raw(table, f"{label} -> Pharmaceuticals and biotechnology", year)
    full = _raw("S8-64", f"{s864_region} -> Total -> Pharmaceuticals and biotechnology", year)
    assert abs(got - full) <= 0.5  # 8-6/8-7 are S8-64 rounded to USD 1 million
    assert _one(s, region=region, sector="health_care", year=year) == _raw(table, label, year)


def test_health_care_spelled_one_way(ind):
    for table in ("8-6", "8-7"):
        sectors = set(ind.loc[ind["table"] == table, "sector"])
        assert "health_care" in sectors and "healthcare" not in sectors
    assert set(ind.loc[ind["table"] == "8-6", "year"]) == {2013, 2018}


def test_skti25_california_2020_and_the_national_total(ind):
    s = ind[ind["table"] == "SKTI-25"]
    assert _one(s, subdivision="US-CA", year=2020) == _raw("SKTI-25", "West -> California", 2020) == 12377.24
    assert _one(s, measure="vc_invested:state:US-CA", year=2020) == 12377.24
    us = s[(s["measure"] == "vc_invested") & (s["year"] == 2020)]
    assert len(us) == 1 and float(us["value"].iloc[0]) == _raw("SKTI-25", "United States", 2020)
    regions = s[s["subdivision"].astype(str).str.startswith("census:")]
    assert set(regions["measure"].str.rsplit(":", n=1).str[0]) == {"vc_invested:census_region"}
    states = s[s["subdivision"].astype(str).str.startswith("US-")]
    # 50 states + DC in the raw table; Alaska and Nevada are 'NA' in every year
    with_values = [r for r in _rows("SKTI-25") if r["region_level_2"]
                   and any(v != "NA" for k, v in r.items() if k.startswith("field_"))]
    assert states["subdivision"].nunique() == len(with_values) == 49
    assert set(s["region"]) == {"US"} and set(s["sector"]) == {"biotech"}


def test_sinv33_biotechnology_2022(firms):
    assert _one(firms, sector="biotechnology", year=2022) == _raw("SINV-33", "Biotechnology", 2022) == 346
    row = firms[(firms["sector"] == "biotechnology") & (firms["year"] == 2022)]
    assert row["industry_group"].iloc[0] == "Biomedical"
    assert row["source_column"].iloc[0] == "2022"
    assert set(firms["unit"]) == {"count"} and firms["price_base"].isna().all()


def test_sinv33_groups_equal_the_sinv34_lookup(firms):
    lookup = {r["primary_industry_code_pitchbook_"]: r["industry_classification"] for r in _rows("SINV-34")}
    assert firms["industry_group"].notna().all()
    pairs = set(zip(firms["path"].astype(str), firms["industry_group"].astype(str), strict=True))
    assert all(lookup[code] == group for code, group in pairs)


def test_register_build_counts_rejects_per_reason():
    rec = {r["name"]: r for r in json.loads(REGISTER.read_text(encoding="utf-8"))["datasets"]}
    built = rec["ncses_industry"]["build"]
    assert built["S8-64"]["rejected"] == {"heading row without values": 12}
    assert built["S8-65"]["rejected"] == {"heading row without values": 12}
    assert built["8-6"]["rejected"] == {} and built["8-7"]["rejected"] == {}
    n_na = sum(v == "NA" for row in _rows("SKTI-25") for v in row.values())
    assert built["SKTI-25"]["rejected"] == {"not available": n_na} == {"not available": 120}
    n_dash = sum(v == "-" for row in _rows("SINV-33") for v in row.values())
    assert rec["ncses_firms"]["build"]["SINV-33"]["rejected"] == {"suppressed or none": n_dash}


def test_provenance_says_what_matters():
    text = " ".join(describe_dataset("ncses_industry").split())  # wrapped lines joined
    for part in ("S8-64", "S8-65", "OVERLAP", "Hong Kong", "2013 and 2018", "public domain",
                 "21 September 2019", "27 September 2021", "table S8-64"):
        assert part in text, part
    firms = " ".join(describe_dataset("ncses_firms").split())
    for part in ("SINV-33", "SINV-34", "September 2023", "suppressed or none", "count"):
        assert part in firms, part


def test_ncses_vc_keeps_its_tables():
    # the report's dataset is unchanged by the new tables
    vc = load_dataset("ncses_vc")
    assert set(vc["table"]) == {"SINV-31", "S8-62", "SKTI-24", "SINV-98", "SINV-99"}
    assert len(vc) == 1744
