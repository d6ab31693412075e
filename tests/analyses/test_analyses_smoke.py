"""Every analyses/ script runs on the shipped data, writes into --out and prints an answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = {
    "stage_ladder_gap.py": ([], "widest", ["stage_ladder.csv", "stage_ladder.png",
                                          "stage_ladder_gap.xlsx"]),
    "fund_capacity.py": ([], "can lead rounds of up to", ["capacity.csv", "fund_sizes.png",
                                                          "published_fund_sizes.csv"]),
    "x5_levers.py": (["--sims", "50"], "half of the US", ["levers_central.csv",
                                                          "levers_ratio.png"]),
    "source_disagreement.py": ([], "-fold", ["side_by_side.csv", "ratio_by_source.png",
                                             "source_disagreement.xlsx"]),
}


def test_at_least_four_scripts_and_each_is_tested():
    found = sorted(p.name for p in (ROOT / "analyses").glob("*.py"))
    assert len(found) >= 4
    assert set(SCRIPTS) <= set(found)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_script_runs(script, tmp_path):
    extra, phrase, files = SCRIPTS[script]
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    proc = subprocess.run([sys.executable, str(ROOT / "analyses" / script), "--out",
                           str(tmp_path / "out"), *extra], capture_output=True, text=True,
                          env=env, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert phrase in proc.stdout
    for name in files:
        assert (tmp_path / "out" / name).exists(), name


def test_scripts_use_only_the_public_api():
    for p in (ROOT / "analyses").glob("*.py"):
        text = p.read_text()
        assert "import fundgap" in text, p.name
        assert "fundgap._" not in text and "from fundgap.io" not in text, p.name
        assert "report.pipeline" not in text, p.name


def test_scripts_compute_nothing_of_their_own():
    """The scripts render fundgap.findings: no model or scenario is called in them."""
    for p in (ROOT / "analyses").glob("*.py"):
        text = p.read_text()
        assert "fundgap.findings(" in text, p.name
        for call in ("fundgap.gap(", "fundgap.depth(", "fundgap.project(", "fundgap.capacity(",
                     "compare_regions(", "published_fund_case("):
            assert call not in text, (p.name, call)


def test_a_missing_file_is_one_line_on_stderr(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    proc = subprocess.run([sys.executable, str(ROOT / "analyses" / "stage_ladder_gap.py"),
                           "--rounds", str(tmp_path / "missing.csv"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env,
                          timeout=600, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
