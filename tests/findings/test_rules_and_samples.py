"""Honest claims: rankings need a rule, small cells are never headlines, ratios keep intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fundgap
from fundgap.findings import Finding, Findings
from fundgap.findings._rules import direction_status, interval_status, rank_stages, sample_status


def test_ranking_rule_on_hand_tables():
    robust = pd.DataFrame({"seed": [0.05, 0.04, 0.06], "early": [0.1, 0.1, 0.1],
                           "later": [0.06, 0.05, 0.07]}, index=[2021, 2022, 2023])
    r = rank_stages(robust)
    assert r["widest"] == {"stage": "seed", "status": "robust",
                           "by_year": {2021: "seed", 2022: "seed", 2023: "seed"}}
    # the tie of the old report: cumulative seed 0.060455 vs later 0.060438, alternating by year
    tie = pd.DataFrame({"seed": [0.0587, 0.0384, 0.0555], "early": [0.07, 0.09, 0.13],
                        "later": [0.0589, 0.0641, 0.0521]}, index=[2021, 2022, 2023])
    r = rank_stages(tie)
    assert r["widest"]["status"] == "no_clear_difference"
    assert r["widest"]["by_year"] == {2021: "seed", 2022: "seed", 2023: "later"}
    assert r["narrowest"] == {"stage": "early", "status": "robust",
                              "by_year": {2021: "early", 2022: "early", 2023: "early"}}


def test_direction_interval_and_sample_rules():
    assert direction_status([0.2, 0.3]) == "robust"
    assert direction_status([0.9, 1.2]) == "no_clear_difference"
    assert interval_status(0.5, 0.9) == "robust" and interval_status(1.1, 2.0) == "robust"
    assert interval_status(0.8, 1.1) == "no_clear_difference"
    assert sample_status([29, 100], 30) == "small_sample"
    assert sample_status([30, 100], 30) is None


def _export(path, rng):
    """SYNTHETIC PitchBook-layout export: 60 EU27, 60 US early rounds; 1 UK, 2 CN rounds."""
    country = ["Germany"] * 60 + ["United States"] * 60 + ["United Kingdom"] + ["China"] * 2
    n = len(country)
    size = np.round(np.exp(rng.normal(2.0, 0.5, n)) * np.where(
        np.array(country) == "United States", 3.0, 1.0), 2)
    pd.DataFrame({
        "Deal ID": [f"S{i}" for i in range(n)], "Companies": [f"Synthetic Bio {i}" for i in range(n)],
        "Deal Date": pd.date_range("2019-01-01", periods=n, freq="7D").strftime("%Y-%m-%d"),
        "Deal Size": size, "Deal Status": "Completed", "Deal Type": "Early Stage VC",
        "Series": "A", "Company Country/Territory/Region": country,
        "Primary Industry Sector": "Healthcare",
        "Primary Industry Group": "Pharmaceuticals and Biotechnology"}).to_csv(path, index=False)


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    path = tmp_path_factory.mktemp("u") / "synthetic_pitchbook.csv"
    _export(path, np.random.default_rng(7))
    return fundgap.findings(fundgap.read_rounds(path), n_sims=0)


def test_cells_with_one_or_two_rounds_are_small_samples_never_headlines(user):
    t = user.to_frame()
    small = t[t["id"].isin(["round_size.uk_us.early", "round_size.cn_us.early"])]
    assert len(small) == 2
    assert (small["status"].astype(str) == "small_sample").all()
    assert small["n"].tolist() == [1, 2] or sorted(small["n"].tolist()) == [1, 2]
    assert small[["ci_low", "ci_high"]].notna().all().all()  # never a ratio without its interval
    assert not set(small["id"]) & set(user.headline()["id"])


def test_a_well_sampled_difference_is_robust_and_a_headline(user):
    row = user.get("round_size.eu27_us.early")
    assert row["n"] == 60
    assert row["status"] == "robust"  # US rounds drawn 3x larger: the interval excludes 1
    assert row["ci_high"] < 1
    assert "round_size.eu27_us.early" in set(user.headline()["id"])


def test_china_by_stage_comes_from_the_export_when_it_has_chinese_rounds(user):
    ids = set(user.to_frame()["id"])
    assert "round_size.cn.not_available" not in ids
    assert "round_size.cn_us.early" in ids


def test_findings_object_views():
    fs = Findings([Finding("a", "totals", "A one.", headline_rank=2),
                   Finding("b", "x5", "B two.", status="indicative", headline_rank=1),
                   Finding("c", "round_size", "C.", status="small_sample", headline_rank=0)])
    assert fs.headline()["id"].tolist() == ["b", "a"]
    assert fs.headline(k=1)["id"].tolist() == ["b"]
    assert fs.select("x5").to_frame()["id"].tolist() == ["b"]
    assert len(fs.summary().splitlines()) <= 20
    assert "B two. [indicative]" in fs.to_text()
    assert "<ol>" in fs._repr_html_()
    with pytest.raises(fundgap.FundgapError, match="status"):
        Finding("x", "totals", "X.", status="sure")
    with pytest.raises(fundgap.FundgapError, match="unique"):
        Findings([Finding("a", "totals", "A."), Finding("a", "totals", "A.")])


def test_fundgap_findings_is_callable_and_the_package():
    import fundgap.findings as mod

    assert callable(fundgap.findings) and fundgap.findings is mod
    assert fundgap.Findings is mod.Findings
