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


def test_per_capita_is_not_available_without_a_population_table(shipped):
    row = shipped.get("countries.per_capita.not_available")
    assert row["status"] == "not_available" and "population" in row["statement"]


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
