"""Growth paths: hand-worked values and properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import FundgapError
from fundgap.scenarios import cagr, growth_path
from fundgap.scenarios.paths import path_multipliers


def test_compound_five_in_ten_hand_values():
    p = growth_path(5.0, 10)
    # worked by hand: 5 ** (t / 10)
    assert p.loc[0] == 1.0
    assert p.loc[5] == pytest.approx(2.2360679775, rel=1e-12)  # sqrt(5)
    assert p.loc[1] == pytest.approx(1.1746189430880190, rel=1e-12)  # 5 ** 0.1
    assert p.loc[6] == pytest.approx(2.6265278044037674, rel=1e-12)  # 5 ** 0.6
    assert p.loc[10] == 5.0
    assert p.name == "multiplier" and p.index.name == "year"
    assert list(p.index) == list(range(11))


def test_cagr_five_in_ten():
    assert cagr(5.0, 10) == pytest.approx(0.17461894308801895, rel=1e-12)  # 17.46 % a year


def test_linear_hand_values():
    p = growth_path(5.0, 10, shape="linear")
    assert p.loc[5] == 3.0
    assert p.loc[1] == pytest.approx(1.4)
    assert p.loc[10] == 5.0


def test_logistic_symmetric_midpoint_and_ends():
    # with the midpoint at years / 2 the rescaled S-curve is symmetric: half the increase at t = 5
    p = growth_path(5.0, 10, shape="logistic")
    assert p.loc[0] == 1.0 and p.loc[10] == 5.0
    assert p.loc[5] == pytest.approx(3.0, abs=1e-12)
    steps = np.diff(p.to_numpy())
    assert steps[4] > steps[0] and steps[4] > steps[-1]  # slow start, fast middle, slow end


def test_logistic_early_midpoint_front_loads():
    p = growth_path(5.0, 10, shape="logistic", midpoint=2)
    assert p.loc[5] > 4.0


def test_calendar_years():
    p = growth_path(2.0, 2, shape="linear", start_year=2025)
    assert p.to_dict() == {2025: 1.0, 2026: 1.5, 2027: 2.0}
    assert p.attrs["start_year"] == 2025


def test_user_array_is_rescaled_to_the_multiple():
    # [1, 2, 3] rescaled affinely to end at 5: 1 + 4 * (a - 1) / 2 = [1, 3, 5]
    assert growth_path(5.0, 2, shape=[1, 2, 3]).tolist() == [1.0, 3.0, 5.0]
    # years 1..N only: year 0 = 1 is prepended
    assert growth_path(5.0, 2, shape=[2, 3]).tolist() == [1.0, 3.0, 5.0]
    # multiple=None: taken as given, relative to year 0
    assert growth_path(None, None, shape=[2, 4, 6]).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("kwargs", [
    {"shape": "exponential"},
    {"multiple": 0},
    {"multiple": -2},
    {"multiple": float("nan")},
    {"n_years": 0},
    {"n_years": 2.5},
    {"shape": [1, 2, 3], "n_years": 10},
    {"shape": [1, -2, 3], "n_years": 2},
    {"shape": [1, 1, 1], "n_years": 2},
])
def test_bad_paths_raise(kwargs):
    with pytest.raises(FundgapError):
        growth_path(**kwargs)


def test_unknown_shape_message_lists_shapes():
    with pytest.raises(FundgapError, match="compound"):
        growth_path(shape="expo")


def test_path_multipliers_holds_after_end_and_truncates():
    p = growth_path(2.0, 2, shape="linear")
    assert path_multipliers(p, 4).tolist() == [1.0, 1.5, 2.0, 2.0, 2.0]
    assert path_multipliers(p, 1).tolist() == [1.0, 1.5]


@settings(max_examples=60, deadline=None)
@given(multiple=st.floats(1.0001, 50.0), years=st.integers(1, 40),
       shape=st.sampled_from(["compound", "linear", "logistic"]))
def test_path_properties(multiple, years, shape):
    p = growth_path(multiple, years, shape=shape).to_numpy()
    assert p[0] == 1.0
    assert p[-1] == multiple  # exactly
    assert len(p) == years + 1
    assert np.all(np.diff(p) > 0)  # monotone for multiple > 1


@settings(max_examples=40, deadline=None)
@given(multiple=st.floats(0.05, 0.9999), years=st.integers(1, 30))
def test_shrinking_paths_fall(multiple, years):
    p = growth_path(multiple, years).to_numpy()
    assert p[-1] == multiple and np.all(np.diff(p) < 0)


@settings(max_examples=40, deadline=None)
@given(multiple=st.floats(1.01, 20.0), years=st.integers(1, 30))
def test_compound_has_constant_growth(multiple, years):
    p = growth_path(multiple, years).to_numpy()
    g = p[1:] / p[:-1]
    assert np.allclose(g, math.pow(multiple, 1.0 / years), rtol=1e-12)
