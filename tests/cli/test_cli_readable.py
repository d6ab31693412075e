"""Every command prints human tables within 100 columns, takes files the same way, speaks CLI."""

from __future__ import annotations

import re

import pytest

from fundgap.cli import main

SCI = re.compile(r"\d\.\d+e[+-]\d\d")


def _check_readable(text: str) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert len(line) <= 100, line
    assert not SCI.search(text), SCI.search(text)
    assert "<NA>" not in text and "{'" not in text and "USD_M" not in text


@pytest.mark.parametrize("argv", [["datasets"], ["gap"], ["gap", "--only", "oecd"],
                                  ["scenario", "--sims", "20"], ["depth"]])
def test_commands_print_readable_tables(argv, capsys):
    assert main(argv) == 0
    _check_readable(capsys.readouterr().out)


@pytest.fixture
def export(tmp_path):
    p = tmp_path / "synthetic_deals.csv"  # SYNTHETIC PitchBook-layout rows
    rows = ["Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,"
            "Company Country/Territory/Region,Primary Industry Group"]
    rows += [f"D{i},Synthetic Bio {i},2021-0{1 + i % 9}-01,{5 + i},Completed,Early Stage VC,"
             f"{'Germany' if i % 2 else 'United States'},Pharmaceuticals and Biotechnology"
             for i in range(40)]
    p.write_text("\n".join(rows) + "\n")
    return p


def test_depth_takes_a_file_as_load_does(export, capsys):
    assert main(["depth", str(export)]) == 0
    a = capsys.readouterr().out
    assert main(["depth", "--rounds", str(export)]) == 0
    b = capsys.readouterr().out
    assert "EUR million, 2024 prices" in a
    assert a.splitlines()[-1] == b.splitlines()[-1]


def test_errors_speak_the_command_line(tmp_path, capsys):
    bad = tmp_path / "unknown_layout.csv"
    bad.write_text("Startup,When,Size\nAcme,2021-01-01,5\n")
    assert main(["load", str(bad), "--out", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    assert "--source" in err and "--columns" in err and "source=" not in err
    assert len(err.strip().splitlines()) == 1
    # and the options it names exist
    assert main(["load", str(bad), "--source", "generic", "--columns",
                 "company=Startup,date=When,amount=Size", "--currency", "EUR",
                 "--out", str(tmp_path / "o.csv"), "-q"]) == 0
    import pandas as pd

    assert pd.read_csv(tmp_path / "o.csv")["company"].tolist() == ["Acme"]


def test_report_prints_inputs_then_at_most_twelve_findings(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path / "r"), "--sims", "0"]) == 0
    out = capsys.readouterr().out
    _check_readable(out)
    lines = out.splitlines()
    assert lines[0] == "Inputs"
    assert any("read" in ln and "kept" in ln and "rejected" in ln for ln in lines[1:4])
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Findings"))
    numbered = [ln for ln in lines[start + 1:] if re.match(r"\s*\d+\. ", ln)]
    assert 1 <= len(numbered) <= 12
    assert "7.2%" in numbered[0] and "OECD" in numbered[0]  # EU-27 / US 2025 (OECD)
    assert " s" not in "".join(ln for ln in lines if "Workbook" in ln)  # no section timings


def test_argument_errors_name_the_option(capsys):
    assert main(["depth", "--against", "XX"]) == 1
    err = capsys.readouterr().err
    assert "option --against" in err and "argument 'regions'" not in err
