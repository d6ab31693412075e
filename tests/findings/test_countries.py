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


def test_a_group_missing_a_member_is_never_a_silent_partial_sum(shipped):
    """Norway has no GDP in the shipped World Bank table: the coalition's share of GDP says so."""
    row = shipped.get("countries.coalition_US.all.pct_gdp.latest")
    assert row["status"] == "indicative"
    assert "NO" in row["caveat"]


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
