"""Countries and groups wherever a region goes in the models (issue 18).

Expected values come from the raw OECD file (csv module) or from hand sums on small
SYNTHETIC fixtures, never from the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fundgap
from fundgap.datasets import load_dataset
from fundgap.errors import FundgapError
from fundgap.models import (
    capacity,
    compare_regions,
    compare_sources,
    country_comparison,
    depth,
    gap,
)
from fundgap.schema import conform

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw"
USD = "US dollars, exchange rate converted"
PCT = "Percentage of GDP"
STAGES = {"all": "Total", "seed": "Seed", "early": "Start-up and other early stage",
          "later": "Later stage venture"}
COALITION = {"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}
COALITION_NAMES = ["Belgium", "Netherlands", "Denmark", "Sweden", "Finland", "Norway"]
COALITION_WB = ["BEL", "NLD", "DNK", "SWE", "FIN"]
EU_NAMES = ["Austria", "Belgium", "Bulgaria", "Croatia", "Czechia", "Denmark", "Estonia", "Finland",
            "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania",
            "Luxembourg", "Netherlands", "Poland", "Portugal", "Romania", "Slovak Republic", "Slovenia",
            "Spain", "Sweden"]


@pytest.fixture(scope="module")
def raw():
    with open(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


@pytest.fixture(scope="module")
def gdp():
    with open(RAW / "reference" / "macro" / "gdp_current_usd.csv", encoding="utf-8") as fh:
        return {(r["geo"], int(r["year"])): float(r["value"]) / 1e6 for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def oecd():
    return load_dataset("oecd_vc")


def _sum(raw, names, stage, unit, year):
    return sum(float(r["value"]) for r in raw if r["country"] in names and r["stage"] == stage
               and r["unit"] == unit and int(r["year"]) == year)


# ----------------------------------------------------------------------------- gap


def test_gap_coalition_against_the_us_by_hand(raw, oecd):
    y = gap(oecd, against="coalition", groups=COALITION, stage_group="early").yearly()
    for year in (2009, 2017, 2025):
        coal = _sum(raw, COALITION_NAMES, STAGES["early"], USD, year)
        us = _sum(raw, ["United States"], STAGES["early"], USD, year)
        assert y.loc[("oecd", year), "against_value"] == pytest.approx(coal, rel=1e-12)
        assert y.loc[("oecd", year), "ratio"] == pytest.approx(coal / us, rel=1e-12)


def test_gap_country_code_against_the_eu27(raw, oecd):
    y = gap(oecd, base="EU27", against="BE", stage_group="seed").yearly()
    be = _sum(raw, ["Belgium"], STAGES["seed"], USD, 2023)
    eu = _sum(raw, EU_NAMES, STAGES["seed"], USD, 2023)
    assert y.loc[("oecd", 2023), "ratio"] == pytest.approx(be / eu, rel=1e-12)


def test_gap_group_share_of_gdp_says_norway_is_missing(raw, gdp, oecd):
    r = gap(oecd, against="coalition", groups=COALITION, unit="PCT_GDP")
    usd = _sum(raw, COALITION_NAMES[:5], "Total", USD, 2024)
    share = 100.0 * usd / sum(gdp[(c, 2024)] for c in COALITION_WB)
    assert r.yearly().loc[("oecd", 2024), "against_value"] == pytest.approx(share, rel=1e-12)
    assert any("members missing in 2007-2025: NO" in n for n in r.meta["notes"])
    assert r.meta["places"]["coalition"]["members"] == COALITION["coalition"]


def test_gap_rest_of_the_eu27(raw, oecd):
    y = gap(oecd, against="EU27_excl_coalition", groups=COALITION).yearly()
    rest = [n for n in EU_NAMES if n not in COALITION_NAMES]
    assert y.loc[("oecd", 2020), "against_value"] == pytest.approx(
        _sum(raw, rest, "Total", USD, 2020), rel=1e-12)


@pytest.mark.parametrize("kw, words", [
    ({"base": "USA"}, ["argument 'base'", "did you mean 'US'?", "'EU27'", "'OTHER_EUROPE'",
                        "'BE'", "'NO'", "got 'USA'"]),
    ({"against": "Belgium"}, ["argument 'against'", "did you mean 'BE'?"]),
    ({"against": "coalitoin", "groups": COALITION}, ["groups: ['coalition']"]),
    ({"base": "CN"}, ["'CN' has no rows in the data", "Regions in the data"]),
    ({"against": "MT"}, ["'MT' has no rows in the data"]),
])
def test_gap_region_errors_list_regions_groups_and_countries(oecd, kw, words):
    with pytest.raises(FundgapError) as exc:
        gap(oecd, **kw)
    for w in words:
        assert w in str(exc.value)


def test_gap_without_places_is_unchanged(oecd):
    a = gap(oecd, stage_group="later").to_frame()
    b = gap(oecd, stage_group="later", groups=COALITION).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_compare_sources_sums_a_group_within_each_source(oecd):
    ncses = load_dataset("ncses_vc")
    both = pd.concat([oecd, ncses], ignore_index=True)
    r = compare_sources(both, against="BE", sources=["oecd"])
    side = r.side_by_side("against_value")
    assert side.loc[2025, "oecd"] == pytest.approx(
        float(oecd[(oecd["country"] == "BE") & (oecd["stage_group"] == "all")
                   & (oecd["unit"] == "USD_M") & (oecd["year"] == 2025)]["value"].iloc[0]))


# ----------------------------------------------------------------------------- rounds


@pytest.fixture(scope="module")
def rounds():
    """SYNTHETIC rounds of Belgian, Dutch, German and US companies (seeded)."""
    rng = np.random.default_rng(18)
    n = 240
    country = np.repeat(["BE", "NL", "DE", "US"], n // 4)
    region = np.where(country == "US", "US", "EU27")
    stage = np.tile(["seed", "series_a", "series_c"], n // 3)
    return conform(pd.DataFrame({
        "round_id": [f"r{i}" for i in range(n)], "country": country, "region": region,
        "stage": stage, "year": rng.integers(2018, 2023, n),
        "amount_usd": np.round(np.exp(rng.normal(1.5, 0.8, n)), 3),
        "amount_eur": np.round(np.exp(rng.normal(1.4, 0.8, n)), 3), "source": "synthetic"}),
        "rounds")


def test_depth_group_cells_hold_the_members_rounds(rounds):
    res = depth(rounds, groups={"benelux": ["BE", "NL", "LU"]}, measure="amount_usd", n_boot=0,
                price_base=None)
    w = res.wide()
    for stage, sg in (("seed", "seed"), ("series_a", "early"), ("series_c", "later")):
        own = rounds[rounds["country"].isin(["BE", "NL"]) & (rounds["stage"] == stage)]
        assert w.loc[("benelux", sg), "n_rounds"] == len(own)
        assert w.loc[("benelux", sg), "total"] == pytest.approx(own["amount_usd"].sum())
        assert w.loc[("benelux", sg), "median"] == pytest.approx(own["amount_usd"].median())
        eu = rounds[(rounds["region"] == "EU27") & (rounds["stage"] == stage)]
        assert w.loc[("EU27", sg), "n_rounds"] == len(eu)  # the members stay in EU27 too
    assert res.meta["places"]["benelux"]["members_without_data"] == ["LU"]
    assert any("also count in ['EU27']" in n for n in res.meta["notes"])


def test_depth_regions_keeps_the_places_asked_for(rounds):
    res = depth(rounds, regions=["BE", "US", "EU27_excl_BE"], measure="amount_usd", n_boot=0,
                price_base=None)
    tot = res.to_frame().query("metric == 'total'")
    assert set(tot["region"]) == {"BE", "US", "EU27_excl_BE"}
    by = tot.groupby("region")["estimate"].sum()
    assert by["BE"] == pytest.approx(rounds.loc[rounds["country"] == "BE", "amount_usd"].sum())
    assert by["EU27_excl_BE"] == pytest.approx(
        rounds.loc[rounds["country"].isin(["NL", "DE"]), "amount_usd"].sum())


def test_depth_places_need_region_in_by(rounds):
    with pytest.raises(FundgapError, match="need 'region' among the by columns"):
        depth(rounds, by=("stage_group",), groups=COALITION, n_boot=0, price_base=None)
    with pytest.raises(FundgapError, match="'FR' has no rows"):
        depth(rounds, regions=["FR", "US"], n_boot=0, price_base=None)


def test_depth_per_gdp_of_a_group_from_shipped_gdp(rounds, gdp):
    from fundgap.normalise import place_totals

    sub = rounds[rounds["year"] == 2020]
    den = place_totals(["benelux"], {"benelux": ["BE", "NL"]})
    res = depth(sub, groups={"benelux": ["BE", "NL"]}, regions=["benelux"], by=("region",),
                measure="amount_usd", n_boot=0, scale="gdp", denominators=den, price_base=None)
    est = res.to_frame().query("metric == 'total_pct_gdp'")["estimate"].iloc[0]
    own = sub.loc[sub["country"].isin(["BE", "NL"]), "amount_usd"].sum()
    assert est == pytest.approx(100 * own / (gdp[("BEL", 2020)] + gdp[("NLD", 2020)]), rel=1e-12)


def test_compare_regions_group_against_the_us_by_hand(rounds):
    res = compare_regions(rounds, base="US", groups={"benelux": ["BE", "NL"]},
                          regions=["benelux", "US"], year_fe=False, quantiles=(),
                          count_model=None, pooled=False, measure="amount_usd", price_base=None)
    # without year effects the cell model's ratio is the ratio of geometric means
    for stage, sg in (("seed", "seed"), ("series_a", "early"), ("series_c", "later")):
        g = rounds[rounds["country"].isin(["BE", "NL"]) & (rounds["stage"] == stage)]
        u = rounds[(rounds["country"] == "US") & (rounds["stage"] == stage)]
        expected = np.exp(np.log(g["amount_usd"]).mean() - np.log(u["amount_usd"]).mean())
        assert res.ratios("ols").loc["benelux", sg] == pytest.approx(expected, rel=1e-9)
    assert set(res.to_frame()["region"]) == {"benelux"}


def test_compare_regions_country_base(rounds):
    res = compare_regions(rounds, base="BE", regions=["BE", "NL"], year_fe=False, quantiles=(),
                          count_model=None, pooled=False, measure="amount_usd", price_base=None)
    g = rounds[(rounds["country"] == "NL") & (rounds["stage"] == "seed")]
    b = rounds[(rounds["country"] == "BE") & (rounds["stage"] == "seed")]
    assert res.ratios("ols").loc["NL", "seed"] == pytest.approx(
        np.exp(np.log(g["amount_usd"]).mean() - np.log(b["amount_usd"]).mean()), rel=1e-9)
    with pytest.raises(FundgapError, match="did you mean 'BE'"):
        compare_regions(rounds, base="BEL", measure="amount_usd", price_base=None)


def test_capacity_of_a_group_counts_its_members_funds():
    funds = pd.DataFrame({"country": ["BE", "NL", "DE", "US", "US"],  # SYNTHETIC
                          "region": ["EU27", "EU27", "EU27", "US", "US"],
                          "size_eur": [100.0, 300.0, 1000.0, 200.0, 400.0], "fund_type": "vc"})
    res = capacity(funds, groups={"benelux": ["BE", "NL"]}, quantiles=(0.5,), grid=(50.0,),
                   price_base=None)
    w = res.wide()
    assert w.loc["benelux", ("max_lead_round", 0.5)] == pytest.approx(0.3 * 200.0)
    assert w.loc["EU27", ("max_lead_round", 1.0)] == pytest.approx(0.3 * 1000.0)
    sizes = pd.DataFrame({"stage_group": "later", "size": [25.0, 40.0], "region": ["BE", "BE"]})
    res = capacity(funds, round_sizes=sizes, quantiles=(0.5,), grid=(50.0,), price_base=None)
    f = res.to_frame().query("metric == 'n_funds_can_lead' and stage_group == 'later'")
    # Belgium's one fund of 100 leads at most 0.3 x 100 = 30: a round of 25, not one of 40
    assert f["region"].tolist() == ["BE", "BE"] and f["estimate"].tolist() == [1.0, 0.0]
    assert "BE" in res.wide().index
    with pytest.raises(FundgapError, match="region_col"):
        capacity(funds, groups={"benelux": ["BE", "NL"]}, region_col=None, price_base=None)


# ----------------------------------------------------------------------------- the seeds' table


def test_country_comparison_against_the_raw_file(raw, gdp, oecd):
    f = country_comparison(oecd).to_frame()

    def pick(region, against, stage, unit, stat):
        r = f[(f["region"] == region) & (f["against"] == against) & (f["stage_group"] == stage)
              & (f["unit"] == unit) & (f["statistic"] == stat)]
        assert len(r) == 1
        return r.iloc[0]

    # the coalition against the US, later stage, money: 2025 and the mean of 2021-2025
    coal = {y: _sum(raw, COALITION_NAMES, STAGES["later"], USD, y) for y in range(2021, 2026)}
    us = {y: _sum(raw, ["United States"], STAGES["later"], USD, y) for y in range(2021, 2026)}
    r = pick("coalition", "US", "later", "USD_M", "latest")
    assert (r["period"], r["region_value"]) == ("2025", pytest.approx(coal[2025], rel=1e-12))
    assert r["ratio"] == pytest.approx(coal[2025] / us[2025], rel=1e-12)
    r = pick("coalition", "US", "later", "USD_M", "mean_5y")
    assert r["period"] == "2021-2025" and r["n_years"] == 5
    annual = [coal[y] / us[y] for y in range(2021, 2026)]
    assert r["ratio"] == pytest.approx(sum(annual) / 5, rel=1e-12)
    assert (r["ratio_low"], r["ratio_high"]) == (pytest.approx(min(annual), rel=1e-12),
                                                 pytest.approx(max(annual), rel=1e-12))
    assert r["ratio_of_means"] == pytest.approx(sum(coal.values()) / sum(us.values()), rel=1e-12)
    assert r["region_members"] == "BE,DK,FI,NL,NO,SE" and r["flag"] == ""
    # Belgium against the US in % of GDP: the OECD's own shares
    be = _sum(raw, ["Belgium"], "Seed", PCT, 2025)
    us_pct = _sum(raw, ["United States"], "Seed", PCT, 2025)
    assert pick("BE", "US", "seed", "PCT_GDP", "latest")["ratio"] == pytest.approx(
        be / us_pct, rel=1e-12)
    # the coalition's % of GDP: five members' money over their GDP, Norway flagged
    r = pick("coalition", "US", "all", "PCT_GDP", "latest")
    share = 100 * _sum(raw, COALITION_NAMES[:5], "Total", USD, 2025) / sum(
        gdp[(c, 2025)] for c in COALITION_WB)
    assert r["region_value"] == pytest.approx(share, rel=1e-12)
    assert r["region_members_missing"] == "NO" and r["flag"] == "members_missing"
    # the EU-27 side names Cyprus and Malta as missing
    r = pick("BE", "EU27", "early", "USD_M", "mean_5y")
    assert r["against_members_missing"] == "CY,MT" and r["against_n_members"] == 25
    assert r["ratio_of_means"] == pytest.approx(
        sum(_sum(raw, ["Belgium"], STAGES["early"], USD, y) for y in range(2021, 2026))
        / sum(_sum(raw, EU_NAMES, STAGES["early"], USD, y) for y in range(2021, 2026)), rel=1e-12)
    # pairs x stages x units (USD_M, PCT_GDP, USD_per_person on the shipped population) x stats
    assert len(f) == 4 * 4 * 3 * 2


def test_country_comparison_reports_what_a_source_cannot_answer():
    s = pd.DataFrame({"source": "synthetic", "region": ["EU27", "US"], "country": ["BE", "US"],
                      "sector": "all", "stage_group": "all", "measure": "vc_invested",
                      "year": 2025, "value": [1.0, 50.0], "unit": "USD_M"})  # SYNTHETIC
    f = country_comparison(s, pairs=[("BE", "US")], stages=["all", "seed"],
                           units=["USD_M"], groups=None).to_frame()
    assert f.loc[f["stage_group"] == "all", "ratio"].tolist() == [0.02, 0.02]
    assert f.loc[f["stage_group"] == "seed", "flag"].str.startswith("not_available").all()
    with pytest.raises(FundgapError, match="pairs"):
        country_comparison(s, pairs=[("BE", "US", "EU27")])
    with pytest.raises(FundgapError, match="coalition"):
        country_comparison(s, pairs=[("coalition", "US")], groups=None)


def test_public_api():
    assert fundgap.models.country_comparison is country_comparison


def test_country_comparison_window_is_the_latest_years_both_report():
    years = [2015, 2017, 2019, 2021, 2023]  # SYNTHETIC, with gaps
    s = pd.DataFrame({"source": "synthetic", "region": ["EU27"] * 5 + ["US"] * 5,
                      "country": ["BE"] * 5 + ["US"] * 5, "sector": "all", "stage_group": "all",
                      "measure": "vc_invested", "year": years * 2,
                      "value": [1.0, 2.0, 3.0, 4.0, 6.0] + [10.0] * 5, "unit": "USD_M"})
    f = country_comparison(s, pairs=[("BE", "US")], stages=["all"], units=["USD_M"],
                           groups=None, window=3).to_frame().set_index("statistic")
    assert f.loc["mean_3y", "period"] == "2019-2023" and f.loc["mean_3y", "n_years"] == 3
    assert f.loc["mean_3y", "ratio"] == pytest.approx((0.3 + 0.4 + 0.6) / 3)
    assert f.loc["latest", "ratio"] == pytest.approx(0.6) and f.loc["mean_3y", "flag"] == ""


# SYNTHETIC population (persons): round numbers written for the test, not published figures
SYNTHETIC_POP = {"BE": 12e6, "NL": 18e6, "DK": 6e6, "SE": 10e6, "FI": 5.5e6, "NO": 5.5e6,
                 "US": 340e6}


def _pop(years, drop=()):
    import pandas as pd

    return pd.DataFrame([{"iso2": c, "year": y, "value": v} for y in years
                         for c, v in SYNTHETIC_POP.items() if (c, y) not in drop])


def test_country_comparison_per_person_by_hand(raw, oecd):
    """USD per person = members' USD x 1e6 / members' population, the same rule for a country,
    a group and a built-in region; values from the raw OECD file, SYNTHETIC population."""
    f = country_comparison(oecd, population=_pop(range(2021, 2026)), source="oecd",
                           pairs=[("coalition", "US"), ("BE", "US")],
                           stages=["later", "seed"]).to_frame()
    assert set(f["unit"]) == {"USD_M", "PCT_GDP", "USD_per_person"}
    pp = f[f["unit"] == "USD_per_person"].set_index(["region", "stage_group", "statistic"])
    persons = sum(v for c, v in SYNTHETIC_POP.items() if c != "US")
    coal = _sum(raw, COALITION_NAMES, STAGES["later"], USD, 2025) * 1e6 / persons
    us = _sum(raw, ["United States"], STAGES["later"], USD, 2025) * 1e6 / 340e6
    r = pp.loc[("coalition", "later", "latest")]
    assert (r["region_value"], r["against_value"]) == (pytest.approx(coal, rel=1e-12),
                                                       pytest.approx(us, rel=1e-12))
    assert r["ratio"] == pytest.approx(coal / us, rel=1e-12) and r["flag"] == ""
    annual = [(_sum(raw, ["Belgium"], "Seed", USD, y) / 12e6)
              / (_sum(raw, ["United States"], "Seed", USD, y) / 340e6) for y in range(2021, 2026)]
    r = pp.loc[("BE", "seed", "mean_5y")]
    assert r["ratio"] == pytest.approx(sum(annual) / 5, rel=1e-12)


def test_per_person_flags_a_member_without_population(raw, oecd):
    f = country_comparison(oecd, population=_pop([2025], drop={("NO", 2025)}), source="oecd",
                           pairs=[("coalition", "US")], stages=["all"],
                           units=["USD_per_person"]).to_frame()
    r = f[f["statistic"] == "latest"].iloc[0]
    five = _sum(raw, COALITION_NAMES[:5], "Total", USD, 2025) * 1e6 / (
        sum(SYNTHETIC_POP.values()) - 340e6 - 5.5e6)
    assert r["region_value"] == pytest.approx(five, rel=1e-12)
    assert r["region_members_missing"] == "NO" and r["flag"].startswith("members_missing")


def test_country_comparison_gdp_oecd_covers_norway(raw, oecd):
    """gdp="oecd": the GDP behind the OECD's own shares, all six members (by hand)."""
    f = country_comparison(oecd, gdp="oecd", pairs=[("coalition", "US")], stages=["seed"],
                           units=["PCT_GDP"]).to_frame()
    r = f[f["statistic"] == "latest"].iloc[0]
    assert r["region_members_missing"] == "" and r["region_n_members"] == 6
    share = 100 * _sum(raw, COALITION_NAMES, "Seed", USD, 2025) / sum(
        _sum(raw, [c], "Total", USD, 2025) / (_sum(raw, [c], "Total", PCT, 2025) / 100)
        for c in COALITION_NAMES)
    assert r["period"] == "2025" and r["region_value"] == pytest.approx(share, rel=1e-9)
