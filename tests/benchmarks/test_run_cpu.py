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


DEALROOM_SMALL = (
    "NAME,PROFILE URL,EACH ROUND TYPE,EACH ROUND AMOUNT,EACH ROUND CURRENCY,EACH ROUND DATE,"
    "EACH ROUND INVESTORS\n"
    "Alpha,u/a,SEED;SERIES A,1.5;n/a,EUR;USD,jan/2020;mar/2021,X++Y;Z\n"
    "Beta,u/b,,,,,\n"                                   # no rounds: left out
    "Gamma,u/c,SEED;SERIES B,2,EUR;EUR,may/2019;jun/2022,\n"  # amounts 1 of 2: left out
    "Delta,u/d,GRANT,0.4,GBP,feb/2018,\n"               # empty investors: allowed
)


def test_unpacked_rounds_by_hand(tmp_path):
    path = tmp_path / "dealroom.csv"
    path.write_text(DEALROOM_SMALL, encoding="utf-8")
    out = run.unpacked_rounds(str(path))
    # Alpha's two rounds, then Delta's one (worked out by hand from the rows above)
    assert out["NAME"].tolist() == ["Alpha", "Alpha", "Delta"]
    assert out["PROFILE URL"].tolist() == ["u/a", "u/a", "u/d"]
    assert out["EACH ROUND TYPE"].tolist() == ["SEED", "SERIES A", "GRANT"]
    assert out["EACH ROUND AMOUNT"].tolist() == ["1.5", "n/a", "0.4"]
    assert out["EACH ROUND CURRENCY"].tolist() == ["EUR", "USD", "GBP"]
    assert out["EACH ROUND DATE"].tolist() == ["jan/2020", "mar/2021", "feb/2018"]
    assert out["EACH ROUND INVESTORS"].iloc[:2].tolist() == ["X++Y", "Z"]
    assert out["EACH ROUND INVESTORS"].isna().tolist() == [False, False, True]
    assert list(out.columns) == DEALROOM_SMALL.splitlines()[0].split(",")


def test_unpacked_rounds_match_the_loaders_records(tmp_path):
    # the same rounds as fundgap's loader keeps or rejects for reasons other than the two
    # company-row reasons (no rounds; packed columns of different lengths)
    import fundgap

    path = tmp_path / "dealroom.csv"
    path.write_text(DEALROOM_SMALL, encoding="utf-8")
    loaded = fundgap.read_rounds(path, source="dealroom")
    company_rows = loaded.rejects["reason"].astype(str).str.contains(
        "lists no rounds|different lengths").sum()
    assert len(loaded.data) + len(loaded.rejects) - company_rows == 3 == len(
        run.unpacked_rounds(str(path)))


def test_unpacked_line_by_hand():
    line = run._unpacked_line(3.0, [{"seconds": 2.0, "rows_out": 10}, {"seconds": 1.5}], 12)
    assert "10 rows against fundgap's 12 records" in line
    assert "1.50 / 1.75 / 2.00 s" in line
    assert "fundgap 2.00x that" in line
