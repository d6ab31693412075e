"""Baselines from model results and from the shipped data."""

import math

import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.scenarios import Counterfactual, make_baseline, project, shipped_baseline

US_FLAT = Counterfactual(us_growth=0.0)  # the US held flat


def depth_like():
    """A hand-made frame in the layout of fundgap.depth()'s to_frame (synthetic numbers)."""
    rows = []
    for region, total, med in (("EU27", 30.0, 20.0), ("US", 120.0, 40.0)):
        for stage in ("seed", "early", "later"):
            rows += [
                {"region": region, "stage_group": stage, "metric": "n_rounds", "estimate": 10.0,
                 "unit": "count"},
                {"region": region, "stage_group": stage, "metric": "total", "estimate": total,
                 "unit": "EUR_M"},
                {"region": region, "stage_group": stage, "metric": "median", "estimate": med,
                 "unit": "EUR_M"},
                {"region": region, "stage_group": stage, "metric": "p90",
                 "estimate": med * math.exp(1.2815515655446004 * 0.5), "unit": "EUR_M"},
            ]
    rows.append({"region": "EU27", "stage_group": "all", "metric": "share_unknown_stage",
                 "estimate": 0.1, "unit": "share"})
    return pd.DataFrame(rows)


def test_baseline_from_a_depth_like_result_uses_totals():
    b = make_baseline(depth_like())
    assert b.unit == "EUR_M" and b.stages == ["seed", "early", "later"]
    assert b.matrix(["EU27", "US"])[:, 2].tolist() == [30.0, 120.0]
    r = project(depth_like(), counterfactual=US_FLAT)
    f = r.to_frame()
    ratio = f[(f.variable == "ratio_to_US") & (f.stage_group == "later")]["value"].to_numpy()
    assert ratio[0] == pytest.approx(0.25) and ratio[10] == pytest.approx(1.25)
    assert f["year"].tolist()[:3] == [0, 1, 2]  # no calendar year in a pooled result


def test_lognormal_demand_through_median_and_p90():
    b = make_baseline(depth_like(), demand_region="US", fund_sizes={"EU27": [100.0]})
    kind, mu, sigma = b.round_sizes["later"]
    assert kind == "lognormal" and mu == pytest.approx(math.log(40.0))
    assert sigma == pytest.approx(0.5)


def test_select_is_passed_through(synthetic_history):
    other = synthetic_history.assign(table="t2", value=synthetic_history["value"] * 2)
    both = pd.concat([synthetic_history, other])
    with pytest.raises(FundgapError, match="table"):
        project(both, counterfactual=Counterfactual(us_growth=0.0, cn_growth=0.0))
    r = project(make_baseline(both, select={"table": "t2"}),
                counterfactual=Counterfactual(us_growth=0.0, cn_growth=0.0))
    assert r.meta["baseline_source"] == "synthetic"


def _ncses_or_skip():
    try:
        return shipped_baseline("ncses_vc")
    except FundgapError as exc:  # the shipped data are built by another room
        pytest.skip(f"shipped NCSES data not available: {exc}")


def test_shipped_ncses_sinv31_hand_worked():
    b = _ncses_or_skip()
    # NCSES SINV-31, 2022, USD million: US 247,925; EU-27 61,911; China 88,303
    assert b.start_year == 2022
    cap = b.capital.set_index("region")["value"]
    assert cap["US"] == pytest.approx(247925) and cap["EU27"] == pytest.approx(61911)
    assert cap["CN"] == pytest.approx(88303)
    r = project(b, counterfactual=Counterfactual(us_growth=0.0, cn_growth=0.0))
    c = r.crossings()
    eu = c[(c.region == "EU27") & (c.against == "US")].set_index("threshold")
    # 0.24971 * 5 ** (t/10) >= 0.5 first at t = 5 (2027); >= 1 first at t = 9 (2031)
    assert eu.loc[0.5, "crossing_year"] == 2027 and eu.loc[1.0, "crossing_year"] == 2031
    f = r.to_frame()
    last = f[(f.region == "EU27") & (f.variable == "ratio_to_US") & (f.year == 2032)]
    assert last["value"].iloc[0] == pytest.approx(5 * 61911 / 247925)


def test_shipped_default_runs_with_trend():
    try:
        r = project(None, n_sims=200, seed=1)
    except FundgapError as exc:
        pytest.skip(f"shipped OECD data not available: {exc}")
    assert r.meta["baseline_source"] == "oecd"
    assert {"seed", "early", "later", "all"} <= set(r.to_frame()["stage_group"])
    assert not r.fan().empty


def test_baseline_from_a_rounds_frame():
    rounds = pd.DataFrame({
        "round_id": [str(i) for i in range(8)], "source": "synthetic",
        "region": ["EU27", "EU27", "US", "US", "EU27", "US", "US", "EU27"],
        "stage_group": ["later", "later", "later", "later", "later", "later", "later", "seed"],
        "year": [2023, 2024, 2023, 2024, 2024, 2024, 2022, 2024],
        "amount_usd": [5.0, 10.0, 40.0, 50.0, 30.0, 100.0, 35.0, 1.0]})
    b = make_baseline(rounds)
    # no round = no capital: US seed is 0 (not missing), so 2024 is complete
    assert b.start_year == 2024 and b.unit == "USD_M" and b.stages == ["seed", "later"]
    assert b.matrix(["EU27", "US"]).tolist() == [[1.0, 40.0], [0.0, 150.0]]  # 10 + 30; 50 + 100
    assert b.round_sizes["later"].tolist() == [5.0, 10.0, 30.0, 35.0, 40.0, 50.0, 100.0]
    assert b.history is not None and len(b.history) == 2 * 2 * 3  # region x stage x year
    r = project(rounds, counterfactual=US_FLAT)
    c = r.crossings()
    seed = c[(c.stage_group == "seed") & (c.region == "EU27") & (c.against == "US")]
    assert seed["status"].str.startswith("undefined").all()
