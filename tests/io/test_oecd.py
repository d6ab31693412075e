"""Tests of the OECD VC loader (fundgap.io.oecd) on the real download and on SYNTHETIC fixtures.

Expected values are typed from the raw file (datasets/raw/oecd-vc-investments/oecd_vc_gdp.csv)
or worked out by hand from the synthetic fixtures in tests/data/oecd/.
"""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fundgap
from fundgap.errors import FundgapError, MissingColumnError
from fundgap.io.oecd import oecd_layout, parse_oecd, read_oecd

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw" / "oecd-vc-investments" / "oecd_vc_gdp.csv"
FIX = ROOT / "tests" / "data" / "oecd"


def _one(data, **where):
    m = pd.Series(True, index=data.index)
    for k, v in where.items():
        m &= data[k].astype("object") == v
    rows = data[m]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


@pytest.fixture(scope="module")
def real():
    return read_oecd(RAW)


def test_real_file_every_row_kept(real):
    # 5,036 lines = 3 comment lines + header + 5,032 data rows (SOURCE.txt: 5,032 rows)
    assert real.n_input == 5032
    assert len(real.data) == 5032 and len(real.rejects) == 0
    real.check_accounting()
    fundgap.validate_series(real.data)


def test_real_file_values_typed_from_raw(real):
    d = real.data
    # line 2744: United States,Total,"US dollars, exchange rate converted",2022,191352.6065403795
    us = _one(d, country="US", stage_group="all", unit="USD_M", year=2022)
    assert us["value"] == pytest.approx(191352.6065403795)
    assert us["source_row"] == 2744
    # line 2001: Germany,Seed,"US dollars, exchange rate converted",2025,313.6539387776945
    de = _one(d, country="DE", stage_group="seed", unit="USD_M", year=2025)
    assert de["value"] == pytest.approx(313.6539387776945)
    assert de["region"] == "EU27"
    # line 4946: United States,Total,Percentage of GDP,2022,0.7344288675333264
    assert _one(d, country="US", stage_group="all", unit="PCT_GDP", year=2022)["value"] == pytest.approx(0.7344288675)


def test_real_file_stages_units_places(real):
    d = real.data
    assert set(d["stage_group"].astype(str)) == {"all", "seed", "early", "later"}
    assert set(d["unit"].astype(str)) == {"USD_M", "PCT_GDP"}
    assert d["country"].notna().all()
    # 37 countries, 25 of them EU-27 members; no China
    assert d["country"].nunique() == 37
    assert d.loc[d["region"] == "EU27", "country"].nunique() == 25
    assert "CN" not in set(d["country"])
    assert _one(d, country="SK", stage_group="all", unit="USD_M", year=2020)["area_raw"] == "Slovak Republic"
    assert (d["value"] == 0).sum() == 340


def test_real_file_stages_add_up_to_total(real):
    # the check behind "0 means none": seed + early + later == total wherever all four exist
    u = real.data[real.data["unit"] == "USD_M"]
    w = u.pivot_table(index=["country", "year"], columns="stage_group", values="value",
                      observed=True, aggfunc="first").dropna()
    assert len(w) == 608
    assert ((w["seed"] + w["early"] + w["later"]) - w["all"]).abs().max() < 1e-6


def test_sniffed_through_read_series():
    ld = fundgap.read_series(str(RAW), source="oecd")
    assert ld.source == "oecd" and len(ld.data) == 5032


def test_legacy_layout_synthetic():
    ld = read_oecd(FIX / "synthetic_oecd_legacy.csv")
    ld.check_accounting()
    d, r = ld.data, ld.rejects
    assert len(d) == 7 and len(r) == 4
    assert d["table"].iloc[0] == "VC_INVEST"
    seed = _one(d, country="DE", stage_group="seed", unit="USD_M")
    assert seed["value"] == pytest.approx(10.25)
    assert _one(d, country="DE", stage_group="early")["value"] == pytest.approx(40.25)
    assert _one(d, country="DE", stage_group="all", unit="PCT_GDP")["value"] == pytest.approx(0.025)
    # PowerCode 3 (thousands): 2,500,000 thousand USD = 2,500 USD mn
    assert _one(d, country="US", year=2019)["value"] == pytest.approx(2500.0)
    assert _one(d, country="US", year=2018)["flag"] == "E"
    reasons = dict(zip(r["source_row"].astype(int), r["reason"], strict=True))
    assert reasons == {9: "missing value", 10: "duplicate record", 11: "unknown stage",
                       12: "unknown country or area code"}
    assert int(r.loc[r["reason"] == "duplicate record", "duplicate_of"].iloc[0]) == 7
    fundgap.validate_series(d)


def test_sdmx_layout_synthetic():
    ld = read_oecd(FIX / "synthetic_oecd_sdmx.csv")
    ld.check_accounting()
    d, r = ld.data, ld.rejects
    assert len(d) == 6 and len(r) == 3
    fra = d[(d["country"] == "FR") & (d["unit"] == "USD_M")]
    fra = fra.set_index(fra["stage_group"].astype(str))
    # UNIT_MULT 3: 200,000 thousand = 200 mn; stages add up to the total 300.5
    assert fra.loc["later", "value"] == pytest.approx(200.0)
    assert fra.loc[["seed", "early", "later"], "value"].sum() == pytest.approx(fra.loc["all", "value"])
    assert set(d["measure"].astype(str)) == {"vc_invested"}
    eu = d[(d["region"] == "EU27") & d["country"].isna()]  # EU27_2020: an aggregate, no country
    assert len(eu) == 1 and float(eu["value"].iloc[0]) == 9000.0
    assert (d.loc[d["country"] == "FR", "region"] == "EU27").all()
    assert sorted(r["reason"]) == ["missing value", "negative value", "unsupported unit"]
    fundgap.validate_series(d)


def test_layout_detection_and_bad_header(tmp_path):
    assert oecd_layout(["LOCATION", "Country", "STAGES", "Value"]) == "legacy"
    p = tmp_path / "not_oecd.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as err:
        read_oecd(p)
    assert "not_oecd.csv" in str(err.value)
    empty = tmp_path / "only_comments.csv"
    empty.write_text("# nothing\n# here\n", encoding="utf-8")
    with pytest.raises(FundgapError):
        read_oecd(empty)


def test_parse_oecd_frame_in_memory():
    raw = pd.DataFrame({"country": ["Korea"], "stage": ["Total"],
                        "unit": ["US dollars, exchange rate converted"], "year": ["2010"], "value": ["5"]})
    ld = parse_oecd(raw)
    assert ld.data["country"].iloc[0] == "KR" and ld.data["region"].iloc[0] == "ROW"


@pytest.mark.parametrize("fixture,n_data", [("synthetic_oecd_legacy.csv", 7), ("synthetic_oecd_sdmx.csv", 6)])
def test_layouts_are_sniffed_by_read_series(fixture, n_data):
    ld = fundgap.read_series(str(FIX / fixture))
    assert ld.source == "oecd"
    assert len(ld.data) == n_data
    assert any("sniffed" in n for n in ld.notes)


_stage = st.sampled_from(["Total", "Seed", "Start-up and other early stage", "Later stage venture", "Odd"])
_unit = st.sampled_from(["US dollars, exchange rate converted", "Percentage of GDP", "Euro"])
_country = st.sampled_from(["Germany", "France", "United States", "Atlantis"])
_value = st.one_of(st.just(""), st.just("n/a"), st.just("-3"),
                   st.floats(0, 1e5, allow_nan=False).map(lambda v: f"{v:.3f}"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_country, _stage, _unit, st.integers(2000, 2025), _value), min_size=1, max_size=30))
def test_property_rows_in_equal_rows_out(rows):
    raw = pd.DataFrame(rows, columns=["country", "stage", "unit", "year", "value"]).astype(str)
    ld = parse_oecd(raw)
    assert len(ld.data) + len(ld.rejects) == len(rows) == ld.n_input
    assert (ld.data["value"] >= 0).all()


def test_sdmx_codes_only_and_code_label_cells(tmp_path):
    # SYNTHETIC SDMX-CSV variants: codes only, and "CODE: Label" cells (labels=both)
    p = tmp_path / "synthetic_sdmx_codes.csv"
    p.write_text(
        "DATAFLOW,REF_AREA,MEASURE,BUSINESS_DEVELOPMENT_STAGE,UNIT_MEASURE,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
        "OECD.SDD.TPS:DSD_VC@DF_VC_INV(1.0),USA,VC_INV_MKT,LATER,USD_EXC,A,2024,1500.25,6\n"
        "OECD.SDD.TPS:DSD_VC@DF_VC_INV(1.0),USA: United States,VC_INV_MKT: VC investments,"
        "SEED: Pre-seed/Seed,PT_B1GQ: Percentage of GDP,A,2024,0.01,0\n",
        encoding="utf-8",
    )
    ld = read_oecd(p)
    ld.check_accounting()
    d = ld.data
    assert len(d) == 2 and set(d["country"]) == {"US"}
    assert _one(d, stage_group="later")["value"] == pytest.approx(1500.25)
    assert _one(d, stage_group="seed")["unit"] == "PCT_GDP"
