"""`fundgap report` and the model subcommands end to end (subprocess and main())."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import fundgap

from fundgap.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    return subprocess.run([sys.executable, "-m", "fundgap", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cli")
    proc = run("report", "--sims", "50", cwd=cwd)  # default --out ./fundgap-report/
    return cwd, proc


def test_report_exit_0_and_says_where_everything_went(report_run):
    cwd, proc = report_run
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "fundgap-report.xlsx" in out
    assert "figures" in out and "tables" in out
    assert "done in" in out
    assert "Traceback" not in proc.stderr
    # no progress bar when the output is not a terminal
    assert "\r" not in proc.stderr


def test_report_default_folder_contents(report_run):
    cwd, _ = report_run
    folder = cwd / "fundgap-report"
    assert (folder / "fundgap-report.xlsx").exists()
    assert len(list((folder / "figures").glob("*.png"))) >= 4
    assert len(list((folder / "figures").glob("*.svg"))) >= 4
    assert list((folder / "tables").glob("*.csv"))
    wb = openpyxl.load_workbook(folder / "fundgap-report.xlsx")
    assert wb.sheetnames[:4] == ["Cover", "Contents", "Notes", "Key findings"]


def test_report_quiet_prints_nothing(tmp_path):
    proc = run("report", "--quiet", "--sims", "0", "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert (tmp_path / "r" / "fundgap-report.xlsx").exists()


def test_report_with_a_bad_rounds_file_exits_1_without_traceback(tmp_path, capsys):
    bad = tmp_path / "deals.csv"
    bad.write_text("Deal ID,Companies\n1,x\n")
    code = main(["report", "--rounds", str(bad), "--source", "pitchbook", "--out",
                 str(tmp_path / "r")])
    assert code == 1
    err = capsys.readouterr().err
    assert "deals.csv" in err and "Traceback" not in err
    assert not (tmp_path / "r" / "fundgap-report.xlsx").exists()


def test_report_with_an_unknown_source_exits_1(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    assert main(["report", "--rounds", str(f), "--source", "pitchbok", "--out",
                 str(tmp_path / "r")]) == 1
    assert "pitchbok" in capsys.readouterr().err


def test_load_writes_data_and_rejects_beside_it(tmp_path, capsys):
    src = tmp_path / "synthetic_deals.csv"
    src.write_text(
        "Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,Series,"
        "Company Country/Territory/Region,Primary Industry Sector\n"
        'D1,"=HYPERLINK(""http://x"",""y"")",2021-03-01,12.5,Completed,Early Stage VC,A,Germany,'
        "Healthcare\n"
        "D2,Synthetic Bio,2021-04-01,7,Failed,Early Stage VC,A,France,Healthcare\n")
    out = tmp_path / "norm" / "normalised.csv"
    assert main(["load", str(src), "--source", "pitchbook", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 input rows" in printed
    assert out.exists() and (tmp_path / "norm" / "normalised.rejects.csv").exists()
    import pandas as pd

    data = pd.read_csv(out)
    # (issue 16: a text cell starting with = is written with a quote in front, so that a
    # spreadsheet shows it as text; fundgap's own reader gives the original back)
    assert data["company"].tolist() == ['\'=HYPERLINK("http://x","y")']
    # (issue 15 item 6: fundgap's own output is read back without a source, text restored)
    back = fundgap.read_rounds(out)
    assert back.source == "canonical"
    assert back.data["company"].tolist() == ['=HYPERLINK("http://x","y")']
    assert len(pd.read_csv(tmp_path / "norm" / "normalised.rejects.csv")) == 1


def test_load_to_parquet(tmp_path):
    src = tmp_path / "synthetic_deals.csv"
    src.write_text("Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type\n"
                   "D1,Synthetic Bio,2021-03-01,12.5,Completed,Seed Round\n")
    out = tmp_path / "n.parquet"
    assert main(["load", str(src), "--source", "pitchbook", "--out", str(out), "-q"]) == 0
    import pandas as pd

    assert len(pd.read_parquet(out)) == 1


def test_datasets_lists_and_describes(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "oecd_vc" in out and "crunchbase2013_us_rounds" in out
    assert main(["datasets", "oecd_vc"]) == 0
    assert "OECD" in capsys.readouterr().out
    assert main(["datasets", "no_such_dataset"]) == 1
    assert "no_such_dataset" in capsys.readouterr().err


def test_scenario_subcommand(tmp_path, capsys):
    out = tmp_path / "scen.csv"
    assert main(["scenario", "--multiple", "5", "--years", "10", "--lever", "more_funds",
                 "--sims", "20", "--seed", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "more_funds" in printed
    import pandas as pd

    f = pd.read_csv(out)
    assert {"region", "variable", "year", "value"} <= set(f.columns)


def test_gap_subcommand_shows_each_source_apart(tmp_path, capsys):
    out = tmp_path / "gap.csv"
    assert main(["gap", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ncses" in printed and "oecd" in printed
    import pandas as pd

    f = pd.read_csv(out)
    ratio = f[(f["source"] == "ncses") & (f["metric"] == "ratio") & (f["year"] == 2022)]
    assert ratio["estimate"].iloc[0] == pytest.approx(61911 / 247925, rel=1e-6)


def test_gap_subcommand_unknown_source_is_a_data_error(capsys):
    assert main(["gap", "--only", "nosuch"]) == 1
    assert "nosuch" in capsys.readouterr().err


def test_depth_subcommand_to_xlsx(tmp_path, capsys):
    out = tmp_path / "depth.xlsx"
    assert main(["depth", "--out", str(out), "-q"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "DepthResult"
