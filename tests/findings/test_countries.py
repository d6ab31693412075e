"""Belgium and the coalition against the US and the EU-27, checked by hand on the raw OECD file."""

from __future__ import annotations

import pytest

from .conftest import eu27_sum, oecd_usd

COALITION = ("Belgium", "Netherlands", "Denmark", "Sweden", "Finland", "Norway")


@pytest.mark.parametrize("stage", ["seed", "later", "all"])
def test_coalition_and_belgium_in_money(shipped, stage):
    v = oecd_usd()
    us = v[("United States", stage, 2025)]
    coal = sum(v[(c, stage, 2025)] for c in COALITION)
    row = shipped.get(f"countries.coalition_US.{stage}.usd_m.latest")
    assert row["value"] == pytest.approx(coal / us, rel=1e-9)
    assert row["status"] == "robust" and row["year"] == "2025"
    be = shipped.get(f"countries.BE_EU27.{stage}.usd_m.latest")
    assert be["value"] == pytest.approx(v[("Belgium", stage, 2025)] / eu27_sum(v, stage, 2025),
                                        rel=1e-9)
    mean = shipped.get(f"countries.BE_US.{stage}.usd_m.mean_5y")
    ratios = [v[("Belgium", stage, y)] / v[("United States", stage, y)] for y in range(2021, 2026)]
    assert mean["value"] == pytest.approx(sum(ratios) / 5, rel=1e-9)


def _oecd_pct() -> dict[tuple[str, str, int], float]:
    """(country, stage, year) -> % of GDP, read from the raw OECD file with the csv module."""
    import csv

    from .conftest import OECD_STAGES, RAW

    with open(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {(r["country"], OECD_STAGES[r["stage"]], int(r["year"])): float(r["value"])
                for r in rows if r["unit"] == "Percentage of GDP"}


def _coalition_share(v, p, stage, year):
    """100 x the six members' USD / their GDP, the GDP being USD / (% of GDP / 100) of the total."""
    gdp = sum(v[(c, "all", year)] / (p[(c, "all", year)] / 100) for c in COALITION)
    return 100 * sum(v[(c, stage, year)] for c in COALITION) / gdp


@pytest.mark.parametrize("stage", ["all", "early"])
def test_coalition_share_of_gdp_covers_norway_by_hand(shipped, stage):
    """The coalition's share of GDP over the GDP the OECD divides by, all six members, worked
    out on the raw file; against the OECD's own US share: 2025 and the 2021-2025 mean."""
    v, p = oecd_usd(), _oecd_pct()
    ratios = {y: _coalition_share(v, p, stage, y) / p[("United States", stage, y)]
              for y in range(2021, 2026)}
    row = shipped.get(f"countries.coalition_US.{stage}.pct_gdp.latest")
    assert row["value"] == pytest.approx(ratios[2025], rel=1e-9)
    assert row["status"] != "indicative" and "Missing in some year" not in row["caveat"]
    assert "NO" in row["caveat"]  # the members are named
    mean = shipped.get(f"countries.coalition_US.{stage}.pct_gdp.mean_5y")
    assert mean["value"] == pytest.approx(sum(ratios.values()) / 5, rel=1e-9)


#: ISO 3166 alpha-3 codes of the World Bank file for the OECD country names used here
WB_CODES = {"Belgium": "BEL", "Netherlands": "NLD", "Denmark": "DNK", "Sweden": "SWE",
            "Finland": "FIN", "Norway": "NOR", "United States": "USA", "Austria": "AUT",
            "Bulgaria": "BGR", "Croatia": "HRV", "Czechia": "CZE", "Estonia": "EST",
            "France": "FRA", "Germany": "DEU", "Greece": "GRC", "Hungary": "HUN",
            "Ireland": "IRL", "Italy": "ITA", "Latvia": "LVA", "Lithuania": "LTU",
            "Luxembourg": "LUX", "Poland": "POL", "Portugal": "PRT", "Romania": "ROU",
            "Slovak Republic": "SVK", "Slovenia": "SVN", "Spain": "ESP", "Cyprus": "CYP",
            "Malta": "MLT"}


def _population() -> dict[tuple[str, int], int]:
    """(World Bank code, year) -> persons, read from the raw World Bank extract (csv module)."""
    import csv

    from .conftest import RAW

    with open(RAW / "worldbank" / "sp_pop_totl_extract.csv", newline="") as fh:
        return {(r["Country Code"], int(r["Year"])): int(r["Value"]) for r in csv.DictReader(fh)}


def test_coalition_later_per_inhabitant_against_the_us_by_hand(shipped):
    """2025, later stage: the six members' USD x 1e6 / their population against the US's,
    from the raw OECD file and the raw World Bank extract."""
    v, pop = oecd_usd(), _population()
    coal = (sum(v[(c, "later", 2025)] for c in COALITION) * 1e6
            / sum(pop[(WB_CODES[c], 2025)] for c in COALITION))
    us = v[("United States", "later", 2025)] * 1e6 / pop[("USA", 2025)]
    row = shipped.get("countries.coalition_US.later.usd_per_person.latest")
    assert row["value"] == pytest.approx(coal / us, rel=1e-9)
    assert row["year"] == "2025" and row["status"] != "not_available"
    assert f"{coal:,.1f} against {us:,.1f} USD per inhabitant" in row["statement"]
    assert "World Bank" in row["source"] and "current prices" in row["statement"]
    assert "countries.per_capita.not_available" not in set(shipped.to_frame()["id"])


def test_belgium_per_inhabitant_against_the_eu27_five_year_mean_by_hand(shipped):
    """All stages, 2021-2025: Belgium's USD per inhabitant over the EU-27's, the EU-27 being
    the members the OECD reports (no Cyprus, Malta) over the population of the same members."""
    v, pop = oecd_usd(), _population()
    ratios = []
    for y in range(2021, 2026):
        present = [c for (c, s, yy) in v if s == "all" and yy == y and c in WB_CODES
                   and c not in ("Norway", "United States")]
        eu = eu27_sum(v, "all", y) * 1e6 / sum(pop[(WB_CODES[c], y)] for c in present)
        ratios.append(v[("Belgium", "all", y)] * 1e6 / pop[("BEL", y)] / eu)
    row = shipped.get("countries.BE_EU27.all.usd_per_person.mean_5y")
    assert row["value"] == pytest.approx(sum(ratios) / 5, rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(min(ratios), rel=1e-9),
                                               pytest.approx(max(ratios), rel=1e-9))


def test_coalition_headline_is_per_capita_by_hand(shipped):
    """The coalition's headline line against the US is per inhabitant (all stages, 2025),
    computed from the raw files; its terminal label says so."""
    v, pop = oecd_usd(), _population()
    coal = (sum(v[(c, "all", 2025)] for c in COALITION) * 1e6
            / sum(pop[(WB_CODES[c], 2025)] for c in COALITION))
    us = v[("United States", "all", 2025)] * 1e6 / pop[("USA", 2025)]
    head = shipped.headline()
    row = head[head["id"].str.startswith("countries.coalition_US")].iloc[0]
    assert row["id"] == "countries.coalition_US.all.usd_per_person.latest"
    assert row["value"] == pytest.approx(coal / us, rel=1e-9)
    line = next(x for x in shipped.to_lines() if "coalition" in x)
    assert "per capita" in line and f"{100 * coal / us:.1f}%" in line


def test_per_capita_can_be_left_out_or_given():
    import pandas as pd

    import fundgap

    s = fundgap.load_dataset("oecd_vc")
    off = fundgap.country_comparison(s, source="oecd", population=False, stages=["all"])
    assert "USD_per_person" not in set(off.to_frame()["unit"])
    # SYNTHETIC population: every place 1 person per USD million of 2025 -> 1e6 USD each
    mine = pd.DataFrame({"iso2": ["BE", "US"], "year": 2025, "value": [1.0, 1.0]})
    f = fundgap.country_comparison(s, source="oecd", population=mine, pairs=[("BE", "US")],
                                   stages=["all"], units=["USD_per_person"]).to_frame()
    r = f[f["statistic"] == "latest"].iloc[0]
    v = oecd_usd()
    assert r["region_value"] == pytest.approx(v[("Belgium", "all", 2025)] * 1e6)


def test_coalition_alone_x5_with_the_us_flat(shipped):
    v = oecd_usd()
    start = sum(v[(c, "all", 2025)] for c in COALITION) / v[("United States", "all", 2025)]
    row = shipped.get("x5.coalition_us.all")
    assert row["value"] == pytest.approx(5 * start, rel=1e-6)
    assert "rest of the EU-27" in shipped.get("x5.coalition_rest_eu27.all")["statement"]


def test_groups_argument_is_checked_before_any_work():
    import fundgap

    with pytest.raises(fundgap.FundgapError, match="groups"):
        fundgap.findings(groups={"US": ["BE"]}, n_sims=0)
