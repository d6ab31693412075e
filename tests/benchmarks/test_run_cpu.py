"""The harness's CPU line: the CPU seconds a loader may use within the time target (hand-worked
figures)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"fundgap_bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


run = _load("run")


def test_cpu_budget_by_hand(monkeypatch):
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    # reference 0.2 s wall on 2 cores; 2x of it = 0.4 s wall = 0.8 CPU s at most
    x = {"cpu_s": 1.6, "wall_s": 1.0, "ref_cpu_s": 0.36, "ref_wall_s": 0.2}
    line = run._cpu_line(x, 2.0)
    assert "fundgap 1.60 s (1.60 cores busy on average)" in line
    assert "reference 0.36 s (1.80 cores)" in line
    assert "at most 0.80 CPU s" in line
    assert line.endswith("it uses 2.00x that")


def test_cpu_use_needs_both_runs():
    assert run._cpu_use({"seconds": 1.0, "cpu_seconds": 1.5}, None) == {}
    assert run._cpu_use({"seconds": 1.0}, {"seconds": 0.5, "cpu_seconds": 0.9}) == {}
    assert run._cpu_use({"seconds": 1.0, "cpu_seconds": 1.5},
                        {"seconds": 0.5, "cpu_seconds": 0.9}) == {
        "cpu_s": 1.5, "wall_s": 1.0, "ref_cpu_s": 0.9, "ref_wall_s": 0.5}


def test_measure_records_cpu_seconds():
    _, m = run._measure(lambda: sum(i * i for i in range(200_000)))
    assert m["cpu_seconds"] > 0
