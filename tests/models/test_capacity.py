"""capacity(): cases worked by hand on synthetic funds and rounds."""

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.models import CapacityResult, capacity, lead_capacity
from fundgap.schema import conform


@pytest.fixture
def synthetic_funds():
    """EU27 funds of 50, 100, 200, 400 (EUR m); US funds of 300, 600; one PE fund, one
    fund without size."""
    return conform(pd.DataFrame({
        "fund_id": list("abcdefgh"),
        "region": ["EU27"] * 4 + ["US"] * 2 + ["EU27", "EU27"],
        "size_eur": [50.0, 100.0, 200.0, 400.0, 300.0, 600.0, 5000.0, np.nan],
        "fund_type": ["vc"] * 6 + ["pe", "vc"],
        "source": "synthetic",
    }), "funds")


def _get(res, metric, region, **kw):
    f = res.to_frame()
    m = (f["metric"] == metric) & (f["region"] == region)
    for k, v in kw.items():
        m &= f[k] == v
    row = f[m]
    assert len(row) == 1, row
    return row.iloc[0]["estimate"]


def test_hand_case_100m_fund():
    # F = 100m, 15% max position, lead writes 50%: 0.15 * 100 / 0.5 = 30m
    assert lead_capacity(100.0) == pytest.approx(30.0)
    assert lead_capacity(100.0, reserve=0.5) == pytest.approx(15.0)
    assert lead_capacity(100.0, lead_share=0.3) == pytest.approx(50.0)
    assert lead_capacity(100.0, max_position=0.1) == pytest.approx(20.0)
    one = pd.DataFrame({"region": ["EU27"], "size_eur": [100.0]})
    res = capacity(one, fund_types=None, price_base=None)
    assert _get(res, "max_lead_round", "EU27", quantile=0.5) == pytest.approx(30.0)


def test_quantiles_and_counts(synthetic_funds):
    res = capacity(synthetic_funds, grid=(20.0, 60.0, 200.0), price_base=None)
    assert isinstance(res, CapacityResult)
    assert _get(res, "n_funds", "EU27") == 4  # the PE fund and the fund without size are out
    # sizes 50 100 200 400: median 150 -> 45; P75 at h = 2.25 -> 250 -> 75; P90 h = 2.7 -> 340
    assert _get(res, "max_lead_round", "EU27", quantile=0.5) == pytest.approx(45.0)
    assert _get(res, "max_lead_round", "EU27", quantile=0.75) == pytest.approx(75.0)
    assert _get(res, "max_lead_round", "EU27", quantile=0.9) == pytest.approx(102.0)
    assert _get(res, "max_lead_round", "EU27", quantile=1.0) == pytest.approx(120.0)
    assert _get(res, "fund_size", "EU27", quantile=0.5) == pytest.approx(150.0)
    # capacities 15, 30, 60, 120 (EU27) and 90, 180 (US)
    assert _get(res, "n_funds_can_lead", "EU27", round_size=20.0) == 3
    assert _get(res, "n_funds_can_lead", "EU27", round_size=60.0) == 2  # >= is inclusive
    assert _get(res, "n_funds_can_lead", "US", round_size=200.0) == 0
    assert _get(res, "share_funds_can_lead", "EU27", round_size=20.0) == pytest.approx(0.75)
    assert res.meta["n_funds_dropped_filters"] == 1
    assert res.meta["n_funds_dropped_no_size_or_region"] == 1


def test_rounds_leadable_by_domestic_funds(synthetic_funds):
    rounds = conform(pd.DataFrame({
        "region": ["EU27"] * 5 + ["US"],
        "stage": ["series_a", "series_a", "series_b", "series_c", "grant", "series_c"],
        "amount_eur": [10.0, 25.0, 100.0, 150.0, 1.0, 200.0]}), "rounds")
    res = capacity(synthetic_funds, rounds=rounds, price_base=None)
    # EU27: largest capacity 120; early rounds 10, 25, 100 all leadable; later 150 not
    assert _get(res, "share_rounds_leadable", "EU27", stage_group="early") == 1.0
    assert _get(res, "share_rounds_leadable", "EU27", stage_group="later") == 0.0
    assert _get(res, "share_rounds_leadable", "EU27", stage_group="all") == pytest.approx(0.75)
    assert _get(res, "share_capital_leadable", "EU27", stage_group="all") == (
        pytest.approx(135 / 285))
    # median fund capacity 45: 10 and 25 of the four VC rounds
    assert _get(res, "share_rounds_leadable_median_fund", "EU27", stage_group="all") == 0.5
    assert _get(res, "n_rounds", "EU27", stage_group="all") == 4  # the grant is not VC
    assert _get(res, "share_rounds_leadable", "US", stage_group="later") == 0.0  # 200 > 180


def test_round_sizes_reference(synthetic_funds):
    ref = pd.DataFrame({"stage_group": ["early", "later"], "size": [30.0, 100.0],
                        "label": ["synthetic A", "synthetic C"]})
    res = capacity(synthetic_funds, round_sizes=ref, grid=(), price_base=None)
    assert _get(res, "n_funds_can_lead", "EU27", stage_group="early") == 3
    assert _get(res, "n_funds_can_lead", "EU27", stage_group="later") == 1
    assert _get(res, "n_funds_can_lead", "US", stage_group="later") == 1
    assert "label" in res.to_frame().columns


def test_reserve_halves_capacity(synthetic_funds):
    a = capacity(synthetic_funds, reserve=0.0, price_base=None).wide()
    b = capacity(synthetic_funds, reserve=0.5, price_base=None).wide()
    pd.testing.assert_frame_equal(a[["max_lead_round"]] / 2, b[["max_lead_round"]])


def test_bad_parameters(synthetic_funds):
    for kw in ({"max_position": 0}, {"lead_share": 1.5}, {"reserve": 1.0}, {"quantiles": (2,)}):
        with pytest.raises(FundgapError):
            capacity(synthetic_funds, **kw)


def test_pooled_funds_without_region():
    synthetic = pd.DataFrame({"region": [None, None], "size_usd": [100.0, 300.0]})
    with pytest.raises(FundgapError, match="region_col=None"):
        capacity(synthetic, size_col="size_usd", price_base=None)
    res = capacity(synthetic, size_col="size_usd", region_col=None, quantiles=(0.5,),
                   price_base=None)
    assert _get(res, "max_lead_round", "all", quantile=0.5) == pytest.approx(60.0)
