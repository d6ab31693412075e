"""--group and --against on the commands where a region goes (issue 18)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from fundgap.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
GROUP = ["--group", "coalition=BE,NL,DK,SE,FI,NO"]
COALITION_NAMES = ["Belgium", "Netherlands", "Denmark", "Sweden", "Finland", "Norway"]


def _raw_total(names, year, stage="Total"):
    with open(ROOT / "datasets" / "raw" / "oecd-vc-investments" / "oecd_vc_gdp.csv",
              encoding="utf-8") as fh:
        rows = csv.DictReader(ln for ln in fh if not ln.startswith("#"))
        return sum(float(r["value"]) for r in rows if r["country"] in names and r["stage"] == stage
                   and r["unit"] == "US dollars, exchange rate converted"
                   and int(r["year"]) == year)


def test_group_options_parse_and_repeat():
    args = build_parser().parse_args(["gap", *GROUP, "--group", "iberia=ES,PT",
                                      "--against", "coalition"])
    assert args.group == [("coalition", ["BE", "NL", "DK", "SE", "FI", "NO"]),
                          ("iberia", ["ES", "PT"])]
    assert args.against == "coalition"
    for cmd in ("depth", "scenario", "report"):
        a = build_parser().parse_args([cmd, *GROUP, "--against", "BE"])
        assert a.group[0][0] == "coalition" and "BE" in (a.against if isinstance(a.against, list)
                                                         else [a.against])


@pytest.mark.parametrize("bad", ["coalition", "=BE", "coalition=", "coalition=,"])
def test_malformed_group_is_a_usage_error(bad, capsys):
    assert main(["gap", "--group", bad]) == 2
    assert "NAME=CODE" in capsys.readouterr().err


def test_unknown_member_is_a_data_error_naming_it(capsys):
    assert main(["gap", "--only", "oecd", "--group", "x=BE,Belgium", "--against", "x"]) == 1
    err = capsys.readouterr().err
    assert "'Belgium'" in err and "did you mean 'BE'?" in err


def test_group_named_twice_is_a_data_error(capsys):
    assert main(["gap", *GROUP, *GROUP]) == 1
    assert "twice" in capsys.readouterr().err


def test_gap_against_a_group_and_a_country(tmp_path, capsys):
    out = tmp_path / "gap.csv"
    assert main(["gap", "--only", "oecd", *GROUP, "--against", "coalition", "--out", str(out),
                 "-q"]) == 0
    f = pd.read_csv(out)
    v = f[(f["metric"] == "against_value") & (f["year"] == 2022)]["estimate"].iloc[0]
    assert v == pytest.approx(_raw_total(COALITION_NAMES, 2022), rel=1e-9)
    assert main(["gap", "--only", "oecd", "--against", "BE", "--out", str(out), "-q"]) == 0
    f = pd.read_csv(out)
    v = f[(f["metric"] == "against_value") & (f["year"] == 2019)]["estimate"].iloc[0]
    assert v == pytest.approx(_raw_total(["Belgium"], 2019), rel=1e-9)


def test_gap_bad_base_lists_what_is_available(capsys):
    assert main(["gap", "--only", "oecd", "--base", "USA"]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'US'?" in err and "country codes in the data" in err


def test_scenario_for_the_coalition(tmp_path, capsys):
    out = tmp_path / "scen.csv"
    assert main(["scenario", *GROUP, "--region", "coalition", "--us-growth", "0",
                 "--other-growth", "0", "--sims", "0", "--out", str(out), "-q"]) == 0
    f = pd.read_csv(out)
    assert {"coalition", "US", "EU27_excl_coalition"} <= set(f["region"])
    r = f[(f["region"] == "coalition") & (f["stage_group"] == "later")
          & (f["variable"] == "ratio_to_US") & (f["t"] == 10)]["value"].iloc[0]
    stage = "Later stage venture"
    assert r == pytest.approx(5 * _raw_total(COALITION_NAMES, 2025, stage)
                              / _raw_total(["United States"], 2025, stage), rel=1e-9)


def test_scenario_against_names_the_comparators(tmp_path):
    out = tmp_path / "scen.csv"
    assert main(["scenario", *GROUP, "--region", "coalition", "--against", "US",
                 "--us-growth", "0", "--sims", "0", "--out", str(out), "-q"]) == 0
    assert set(pd.read_csv(out)["region"]) == {"coalition", "US"}


def test_depth_against_a_place_without_rounds_is_a_data_error(capsys):
    assert main(["depth", "--against", "BE", "-q"]) == 1
    assert "'BE' has no rows in the data" in capsys.readouterr().err


def test_report_passes_groups_and_against_through(monkeypatch, tmp_path):
    from fundgap import report

    seen = {}

    class Out:
        def summary(self):
            return "ok"

    def fake(out, **kw):
        seen.update(kw)
        return Out()

    monkeypatch.setattr(report, "write_report", fake)
    assert main(["report", *GROUP, "--against", "coalition", "--out", str(tmp_path), "-q"]) == 0
    assert seen["groups"] == {"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}
    assert seen["against"] == "coalition"


def test_report_checks_against_before_any_work(tmp_path, capsys):
    assert main(["report", "--against", "Belgium", "--out", str(tmp_path / "r"), "-q"]) == 1
    assert "against" in capsys.readouterr().err
    assert not (tmp_path / "r" / "fundgap-report.xlsx").exists()
