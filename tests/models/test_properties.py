"""Property tests (hypothesis) of the models on synthetic data."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundgap.models import capacity, depth, gap
from fundgap.schema import conform

REGIONS = ["EU27", "US", "CN", "UK"]
STAGES = ["seed", "series_a", "series_c", "growth", "venture_unknown"]
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

amounts = st.lists(st.floats(0.01, 5000, allow_nan=False), min_size=1, max_size=30)


def _synthetic_rounds(values, seed):
    rng = np.random.default_rng(seed)
    n = len(values)
    return conform(pd.DataFrame({"region": rng.choice(REGIONS, n), "stage": rng.choice(STAGES, n),
                                 "year": rng.integers(2015, 2020, n), "amount_eur": values}),
                   "rounds")


def _series(years, base_vals, against_vals, base="US", against="EU27"):
    rows = []
    pairs = [(base, base_vals)] + ([] if against == base else [(against, against_vals)])
    for region, vals in pairs:
        rows.append(pd.DataFrame({"source": "synthetic", "region": region, "sector": "all",
                                  "stage_group": "all", "measure": "vc_invested", "year": years,
                                  "value": vals, "unit": "USD_M"}))
    return conform(pd.concat(rows, ignore_index=True), "series")


values_by_year = st.lists(st.floats(1, 1e6, allow_nan=False), min_size=3, max_size=8)


@FAST
@given(values_by_year)
def test_gap_of_a_region_with_itself_is_zero(vals):
    s = _series(list(range(2010, 2010 + len(vals))), vals, vals, against="US")
    w = gap(s, base="US", against="US").yearly()
    assert (w["gap"] == 0).all()
    assert np.allclose(w["ratio"], 1.0)


@FAST
@given(values_by_year, st.data())
def test_ratios_invert_and_gaps_change_sign(vals, data):
    other = data.draw(st.lists(st.floats(1, 1e6, allow_nan=False), min_size=len(vals),
                               max_size=len(vals)))
    s = _series(list(range(2000, 2000 + len(vals))), vals, other)
    fwd = gap(s, base="US", against="EU27").yearly()
    back = gap(s, base="EU27", against="US").yearly()
    assert np.allclose(fwd["ratio"].to_numpy() * back["ratio"].to_numpy(), 1.0)
    assert np.allclose(fwd["gap"].to_numpy(), -back["gap"].to_numpy())
    assert np.allclose(fwd["multiple"].to_numpy(), back["ratio"].to_numpy())


@FAST
@given(amounts, st.integers(0, 10_000))
def test_totals_conserved_across_groupings(vals, seed):
    rounds = _synthetic_rounds(vals, seed)
    grand = float(np.sum(vals))
    for by in (("region", "stage_group"), ("region",), ("stage",), ("region", "stage", "year")):
        f = depth(rounds, by=by, n_boot=0, price_base=None).to_frame()
        tot = f.loc[f["metric"] == "total", "estimate"].sum()
        n = f.loc[f["metric"] == "n_rounds", "estimate"].sum()
        assert tot == pytest.approx(grand, rel=1e-9)
        assert n == len(vals)


@FAST
@given(amounts, st.integers(0, 2**31))
def test_bootstrap_identical_with_identical_seed(vals, seed):
    rounds = _synthetic_rounds(vals, 1)
    a = depth(rounds, n_boot=50, seed=seed, price_base=None).to_frame()
    b = depth(rounds, n_boot=50, seed=seed, price_base=None).to_frame()
    pd.testing.assert_frame_equal(a, b)


@FAST
@given(st.lists(st.floats(1, 1e4, allow_nan=False), min_size=1, max_size=20),
       st.floats(0.05, 0.3), st.floats(0.2, 1.0))
def test_capacity_linear_and_monotone(sizes, max_position, lead_share):
    funds = pd.DataFrame({"region": "EU27", "size_eur": sizes})
    grid = (1.0, 10.0, 100.0, 1000.0)
    res = capacity(funds, fund_types=None, max_position=max_position, lead_share=lead_share,
                   grid=grid, price_base=None)
    f = res.to_frame()
    top = f[(f["metric"] == "max_lead_round") & (f["quantile"] == 1.0)]["estimate"].iloc[0]
    assert top == pytest.approx(max(sizes) * max_position / lead_share)
    counts = f[f["metric"] == "n_funds_can_lead"].sort_values("round_size")["estimate"]
    assert (np.diff(counts.to_numpy()) <= 0).all()
    res2 = capacity(funds, fund_types=None, max_position=max_position,
                   lead_share=lead_share / 2,
                    grid=grid, price_base=None)
    f2 = res2.to_frame()
    top2 = f2[(f2["metric"] == "max_lead_round") & (f2["quantile"] == 1.0)]["estimate"].iloc[0]
    assert top2 == pytest.approx(2 * top)


def test_import_models_stays_light():
    code = ("import sys, fundgap.models; "
            "bad = [m for m in ('matplotlib', 'seaborn', 'openpyxl', 'statsmodels') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
