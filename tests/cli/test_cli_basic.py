"""The fundgap command: help, version, usage errors and data errors (exit codes 0 / 2 / 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundgap.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "fundgap", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_help_lists_every_subcommand(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for cmd in ("report", "load", "depth", "gap", "scenario", "datasets"):
        assert cmd in out


def test_version_comes_from_the_package(capsys):
    import fundgap

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"fundgap {fundgap.__version__}"


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2


@pytest.mark.parametrize("argv", [
    ["frobnicate"],
    ["report", "--sims", "many"],
    ["report", "--sims", "-3"],
    ["scenario", "--lever", "magic"],
    ["scenario", "--multiple", "0"],
    ["load"],  # FILE and --out are required
    ["load", "x.csv"],
])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_file_is_a_data_error_without_traceback(tmp_path, capsys):
    code = main(["load", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "n.csv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "nope.csv" in err
    assert "Traceback" not in err


def test_bad_output_suffix_is_a_data_error(tmp_path, capsys):
    src = tmp_path / "r.csv"
    src.write_text("a,b\n1,2\n")
    assert main(["load", str(src), "--out", str(tmp_path / "n.xlsx")]) == 1
    assert ".parquet" in capsys.readouterr().err


def test_source_without_rounds_is_a_data_error(capsys):
    assert main(["depth", "--source", "pitchbook"]) == 1
    assert "--rounds" in capsys.readouterr().err


def test_subprocess_exit_codes_and_no_traceback(tmp_path):
    ok = run("--version")
    assert ok.returncode == 0 and ok.stdout.startswith("fundgap ")
    usage = run("scenario", "--years", "ten")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    bad = run("load", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.csv"))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr and "missing.csv" in bad.stderr


def test_debug_shows_the_traceback(tmp_path):
    bad = run("load", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.csv"), "--debug")
    assert bad.returncode == 1
    assert "Traceback" in bad.stderr


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from fundgap.cli import main; main(['--help']); "
            "heavy = [m for m in ('pandas', 'matplotlib', 'openpyxl', 'statsmodels', 'seaborn') "
            "if m in sys.modules]; print('HEAVY', heavy)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    line = [x for x in out.stdout.splitlines() if x.startswith("HEAVY")][0]
    assert "matplotlib" not in line and "openpyxl" not in line and "statsmodels" not in line


def test_parser_defaults():
    args = build_parser().parse_args(["scenario"])
    assert (args.multiple, args.years, args.lever) == (5.0, 10, "bigger_funds")
    args = build_parser().parse_args(["report"])
    assert args.out == "fundgap-report"
