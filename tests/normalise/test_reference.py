"""The shipped reference tables: checked against independently published values."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fundgap.normalise._util import reference
from fundgap.schema import STAGES

ROOT = Path(__file__).resolve().parents[2]

# ECB annual averages (EXR.A.<CUR>.EUR.SP00.A), 6 decimals, typed from
# reference/fx_ecb_annual_average_2010_2024.csv (column value_full), which was
# cross-checked against the ECB's published annual series.
ECB_USD = {
    2010: 1.325717, 2011: 1.391955, 2012: 1.284789, 2013: 1.328118, 2014: 1.328501,
    2015: 1.109513, 2016: 1.106903, 2017: 1.129681, 2018: 1.180955, 2019: 1.119475,
    2020: 1.142196, 2021: 1.18274, 2022: 1.053049, 2023: 1.081269, 2024: 1.08238,
}
ECB_CNY = {
    2010: 8.971232, 2011: 8.995997, 2012: 8.105231, 2013: 8.164629, 2014: 8.185747,
    2015: 6.973325, 2016: 7.352221, 2017: 7.629002, 2018: 7.808079, 2019: 7.735491,
    2020: 7.874697, 2021: 7.628231, 2022: 7.0788, 2023: 7.660022, 2024: 7.78747,
}
# BLS CPI-U annual averages (CUUR0000SA0), as published by BLS
CPI_U = {2010: 218.056, 2015: 237.017, 2020: 258.811, 2023: 304.702, 2024: 313.689}
# Eurostat HICP EA annual average index 2015=100 (prc_hicp_aind)
HICP_EA = {2010: 93.14, 2015: 100.0, 2020: 105.06, 2024: 126.07}


def _fx():
    return reference("fx_ecb_annual.csv")


@pytest.mark.parametrize("cur,table", [("USD", ECB_USD), ("CNY", ECB_CNY)])
def test_ecb_annual_means_match_published(cur, table):
    fx = _fx()
    got = fx[fx["currency"] == cur].set_index("year")["per_eur"]
    for year, value in table.items():
        assert got.loc[year] == pytest.approx(value, abs=5e-7), (cur, year)


def test_ecb_annual_means_match_published_table_file():
    path = ROOT / "datasets" / "raw" / "reference" / "fx_ecb_annual_average_2010_2024.csv"
    if not path.exists():
        pytest.skip("raw reference files not present (installed package only)")
    pub = pd.read_csv(path)
    pub = pub[pub["series"].str.contains(r"EXR\.A\.(?:USD|CNY)\.EUR", regex=True)]
    pub["currency"] = pub["series"].str.extract(r"^(\w{3}) per EUR")[0]
    fx = _fx()
    merged = pub.merge(fx, on=["year", "currency"], how="left")
    assert len(merged) == 30
    np.testing.assert_allclose(merged["per_eur"], merged["value_full"], atol=5e-7)
    np.testing.assert_array_equal(merged["n_obs"], merged["n_daily_obs"])


def test_fx_table_shape_and_flags():
    fx = _fx()
    assert list(fx.columns) == ["year", "currency", "per_eur", "n_obs", "first_obs", "last_obs", "partial"]
    assert not fx.duplicated(["year", "currency"]).any()
    eur = fx[fx["currency"] == "EUR"]
    assert (eur["per_eur"] == 1).all() and eur["year"].min() == 1999 and eur["year"].max() == 2025
    # 2025 ends in May in the shipped ECB file: every 2025 rate is partial
    assert fx.loc[fx["year"] == 2025, "partial"].all()
    assert not fx.loc[(fx["year"] == 2015) & fx["currency"].isin(["USD", "GBP", "CNY"]), "partial"].any()
    # CNY starts on 1 April 2005 at the ECB
    cny05 = fx[(fx["currency"] == "CNY") & (fx["year"] == 2005)].iloc[0]
    assert bool(cny05["partial"]) and cny05["first_obs"] == "2005-04-01"
    assert fx["currency"].nunique() == 42  # 41 ECB currencies + EUR


def test_price_indices():
    cpi = reference("us_cpi_u.csv").set_index("year")["cpi_u"]
    for y, v in CPI_U.items():
        assert cpi.loc[y] == pytest.approx(v, abs=1e-9)
    hicp = reference("hicp.csv")
    assert set(hicp["geo"]) == {"EA"}
    assert hicp["geo_note"].str.contains("not EU27").all()
    h = hicp.set_index("year")["hicp"]
    for y, v in HICP_EA.items():
        assert h.loc[y] == pytest.approx(v)


def test_cpi_matches_second_published_table():
    path = ROOT / "datasets" / "raw" / "reference" / "us_cpi_u_annual_average_2010_2024.csv"
    if not path.exists():
        pytest.skip("raw reference files not present")
    other = pd.read_csv(path).set_index("year")["cpi_u_annual_avg"]
    cpi = reference("us_cpi_u.csv").set_index("year")["cpi_u"]
    np.testing.assert_allclose(cpi.loc[other.index], other, atol=1e-9)


def test_membership():
    m = reference("eu_membership.csv")
    assert m["in_eu27_2020"].sum() == 27
    gb = m.set_index("iso2").loc["GB"]
    assert gb["exit_date"] == "2020-01-31" and not gb["in_eu27_2020"]
    assert m.set_index("iso2").loc["HR", "accession_date"] == "2013-07-01"


def test_gdp():
    g = reference("gdp_usd.csv")
    eu = g[g["aggregate"] == "EU27"].set_index("year")["gdp_usd_m"]
    members = g[g["iso2"].notna() & ~g["iso2"].isin(["US", "CN", "GB"])]
    assert members["iso2"].nunique() == 27
    total = members.groupby("year")["gdp_usd_m"].sum()
    np.testing.assert_allclose(total.loc[eu.index], eu, rtol=1e-9)  # EUU = sum of members
    us2015 = g[(g["iso2"] == "US") & (g["year"] == 2015)]["gdp_usd_m"].item()
    assert 17e6 < us2015 < 19e6  # US GDP 2015 about USD 18 trillion


def test_crosswalk_is_canonical_and_keyed():
    cw = reference("stage_crosswalk.csv")
    assert set(cw["stage"]) <= set(STAGES)
    assert set(cw["taxonomy"]) == {
        "pitchbook_series", "pitchbook_deal_type", "crunchbase_funding_type",
        "crunchbase_funding_stage", "crunchbase2013", "dealroom", "canonical"}
    key = cw["label"].str.lower().str.replace(r"[\s_]+", " ", regex=True).str.strip()
    assert (key == cw["label"]).all()
    assert not cw.duplicated(["taxonomy", "label"]).any()


def test_aliases_resolve_to_valid_codes():
    import pycountry

    al = reference("country_aliases.csv")
    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert set(al["iso2"]) <= valid


def _load_build_script():
    path = ROOT / "datasets" / "build_reference.py"
    if not path.exists():
        pytest.skip("build script not present")
    spec = importlib.util.spec_from_file_location("build_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_shipped_tables_equal_a_fresh_build():
    mod = _load_build_script()
    assert tuple(mod.CANONICAL_STAGES) == tuple(STAGES)
    membership = mod.build_membership()
    fresh = {
        "fx_ecb_annual.csv": mod.build_fx(),
        "stage_crosswalk.csv": mod.build_stage_crosswalk(),
        "country_aliases.csv": mod.build_aliases(),
        "gdp_usd.csv": mod.build_gdp(membership),
    }
    for name, table in fresh.items():
        shipped = reference(name)
        assert len(shipped) == len(table), name
        assert list(shipped.columns) == list(table.columns), name
