"""x5 for a group: the coalition alone grows fivefold in ten years (issue 18).

First- and final-year numbers are worked out here from the raw OECD file (csv module)
and, for the US trend, from a least-squares line fitted with numpy on the raw values.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from fundgap.errors import FundgapError
from fundgap.scenarios import (
    Counterfactual,
    growth_path,
    make_baseline,
    project,
    scenario_places,
    shipped_baseline,
)

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw"
USD = "US dollars, exchange rate converted"
STAGES = {"seed": "Seed", "early": "Start-up and other early stage", "later": "Later stage venture"}
COALITION = {"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}
COALITION_NAMES = ["Belgium", "Netherlands", "Denmark", "Sweden", "Finland", "Norway"]
EU_NAMES = ["Austria", "Belgium", "Bulgaria", "Croatia", "Czechia", "Denmark", "Estonia", "Finland",
            "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania",
            "Luxembourg", "Netherlands", "Poland", "Portugal", "Romania", "Slovak Republic", "Slovenia",
            "Spain", "Sweden"]
REST_NAMES = [n for n in EU_NAMES if n not in COALITION_NAMES]


@pytest.fixture(scope="module")
def raw():
    with open(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))

    def total(names, stage, year):
        return sum(float(r["value"]) for r in rows if r["country"] in names
                   and r["stage"] == STAGES[stage] and r["unit"] == USD and int(r["year"]) == year)
    return total


def _at(frame, region, stage, variable, t):
    v = frame[(frame["region"] == region) & (frame["stage_group"] == stage)
              & (frame["variable"] == variable) & (frame["t"] == t)]["value"]
    assert len(v) == 1
    return float(v.iloc[0])


@pytest.fixture(scope="module")
def flat():
    return project(region="coalition", groups=COALITION,
                   counterfactual=Counterfactual(us_growth=0.0, other_growth=0.0))


def test_default_comparators_are_the_us_and_the_rest_of_the_eu27(flat):
    # the OECD table has no China, so CN drops out as it does for the EU-27 scenario
    assert flat.meta["comparators"] == ["US", "EU27_excl_coalition"]
    assert flat.meta["baseline_year"] == 2025 and flat.meta["region"] == "coalition"
    assert flat.meta["groups"] == COALITION
    assert scenario_places("BE") == ("US", "CN", "EU27_excl_BE")
    assert scenario_places("NO") == ("US", "CN")  # Norway is not in the EU: nothing to exclude


@pytest.mark.parametrize("stage", ["seed", "early", "later"])
def test_x5_coalition_first_and_final_year_us_flat(raw, flat, stage):
    f = flat.to_frame()
    coal, us, rest = (raw(COALITION_NAMES, stage, 2025), raw(["United States"], stage, 2025),
                      raw(REST_NAMES, stage, 2025))
    assert _at(f, "coalition", stage, "capital", 0) == pytest.approx(coal, rel=1e-12)
    assert _at(f, "coalition", stage, "capital", 10) == pytest.approx(5 * coal, rel=1e-12)
    assert _at(f, "coalition", stage, "ratio_to_US", 0) == pytest.approx(coal / us, rel=1e-12)
    assert _at(f, "coalition", stage, "ratio_to_US", 10) == pytest.approx(5 * coal / us, rel=1e-12)
    assert _at(f, "EU27_excl_coalition", stage, "capital", 0) == pytest.approx(rest, rel=1e-12)
    assert _at(f, "coalition", stage, "ratio_to_EU27_excl_coalition", 10) == pytest.approx(
        5 * coal / rest, rel=1e-12)
    assert _at(f, "coalition", stage, "gap_to_US", 10) == pytest.approx(us - 5 * coal, rel=1e-12)


def test_x5_coalition_all_stages_and_the_growth_path(raw, flat):
    f = flat.to_frame()
    coal = sum(raw(COALITION_NAMES, s, 2025) for s in STAGES)
    us = sum(raw(["United States"], s, 2025) for s in STAGES)
    assert _at(f, "coalition", "all", "ratio_to_US", 10) == pytest.approx(5 * coal / us, rel=1e-12)
    assert _at(f, "coalition", "all", "capital", 5) == pytest.approx(np.sqrt(5) * coal, rel=1e-12)


def test_x5_coalition_against_the_us_on_trend(raw):
    res = project(region="coalition", groups=COALITION,
                  counterfactual=Counterfactual(us_growth="trend", other_growth=0.0))
    f = res.to_frame()
    for stage in STAGES:
        years = np.arange(2016, 2026)
        us = np.array([raw(["United States"], stage, int(y)) for y in years])
        slope = np.polyfit(years - 2025.0, np.log(us), 1)[0]  # the ten-year log-linear trend
        assert _at(f, "US", stage, "capital", 10) == pytest.approx(us[-1] * np.exp(10 * slope),
                                                                   rel=1e-9)
        coal = raw(COALITION_NAMES, stage, 2025)
        assert _at(f, "coalition", stage, "ratio_to_US", 10) == pytest.approx(
            5 * coal / (us[-1] * np.exp(10 * slope)), rel=1e-9)


def test_the_rest_of_the_eu27_on_trend_and_its_notes(raw):
    res = project(region="coalition", groups=COALITION,
                  counterfactual=Counterfactual(us_growth=0.0))
    f = res.to_frame()
    years = np.arange(2016, 2026)
    rest = np.array([raw(REST_NAMES, "later", int(y)) for y in years])
    slope = np.polyfit(years - 2025.0, np.log(rest), 1)[0]
    assert _at(f, "EU27_excl_coalition", "later", "capital", 10) == pytest.approx(
        rest[-1] * np.exp(10 * slope), rel=1e-9)
    assert any(n.startswith("EU27_excl_coalition") and "members missing in 2007-2025: CY,MT" in n
               for n in res.meta["notes"])


def test_the_baseline_takes_the_group_as_a_parameter(raw):
    b = shipped_baseline(regions=("coalition", "US"), groups=COALITION)
    assert set(b.regions) == {"US", "coalition"}
    cap = dict(zip(b.capital["region"] + "/" + b.capital["stage_group"], b.capital["value"]))
    assert cap["coalition/later"] == pytest.approx(raw(COALITION_NAMES, "later", 2025), rel=1e-12)
    with pytest.raises(FundgapError, match="argument .regions.: regions must be a region code"):
        make_baseline(b.history.assign(country=None, unit="USD_M"), regions=("Benelux", "US"))


def test_a_country_alone(raw):
    res = project(region="BE", horizon=10, path=growth_path(5, 10),
                  counterfactual=Counterfactual(us_growth=0.0, other_growth=0.0))
    f = res.to_frame()
    be, us = raw(["Belgium"], "early", 2025), raw(["United States"], "early", 2025)
    assert _at(f, "BE", "early", "ratio_to_US", 10) == pytest.approx(5 * be / us, rel=1e-12)
    assert "EU27_excl_BE" in res.meta["comparators"]


@pytest.mark.parametrize("kw, words", [
    ({"region": "Belgium"}, ["did you mean 'BE'?", "argument 'region'"]),
    ({"region": "coalition"}, ["argument 'region'", "got 'coalition'"]),
    ({"region": "coalition", "groups": COALITION,
      "counterfactual": Counterfactual(comparators=["USA"])},
     ["argument 'comparators'"]),
    ({"region": "coalition", "groups": {"coalition": ["BE", "XX"]}}, ["'XX'"]),
])
def test_scenario_place_errors(kw, words):
    with pytest.raises(FundgapError) as exc:
        project(**kw)
    for w in words:
        assert w in str(exc.value)
