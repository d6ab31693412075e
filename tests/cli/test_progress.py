"""Progress bars: drawn on a terminal for the long steps, never with --quiet or off a terminal.

A fake terminal (a text buffer whose ``isatty()`` is true) stands in for stderr; the
delay before a bar appears is set to zero so that the small SYNTHETIC data here, whose
steps take milliseconds, draw every bar a large export would.
"""

import io

import numpy as np
import pandas as pd
import pytest

from fundgap import cli
from fundgap.models import _progress

#: The long steps' bars of a report on rounds from two regions.
INNER = ("reading rounds", "bootstrap by region x stage_group", "regressions of round size",
         "Monte Carlo, 20 simulations", "sheets", "tables (CSV)", "workbook", "figures")


class FakeTerminal(io.StringIO):
    """stderr as a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def rounds_file(tmp_path_factory):
    """SYNTHETIC PitchBook-layout export: 60 EU27 and 60 US biotech rounds, 2015-2021."""
    rng = np.random.default_rng(5)
    n = 120
    us = np.arange(n) >= 60
    frame = pd.DataFrame({
        "Deal ID": [f"S{i:04d}" for i in range(n)],
        "Companies": [f"Synthetic Bio {i}" for i in range(n)],
        "Deal Date": pd.date_range("2015-01-01", periods=n, freq="20D").strftime("%Y-%m-%d"),
        "Deal Size": np.round(np.exp(rng.normal(2.5, 1.0, n)) * np.where(us, 2, 1), 2),
        "Deal Status": "Completed",
        "Deal Type": "Early Stage VC",
        "Series": rng.choice(["Seed", "A", "B"], n),
        "Company Country/Territory/Region": np.where(us, "United States", "Germany"),
        "Primary Industry Sector": "Healthcare",
        "Primary Industry Group": "Pharmaceuticals and Biotechnology",
    })
    path = tmp_path_factory.mktemp("progress") / "synthetic_pitchbook.csv"
    frame.to_csv(path, index=False)
    return path


def _report(monkeypatch, tmp_path, stderr, rounds_file, *extra):
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    code = cli.main(["report", "--rounds", str(rounds_file), "--source", "pitchbook",
                     "--sims", "20", "--out", str(tmp_path / "out"), *extra])
    assert code == 0
    return stderr.getvalue()


def test_report_on_a_terminal_draws_the_long_steps(monkeypatch, tmp_path, rounds_file):
    text = _report(monkeypatch, tmp_path, FakeTerminal(), rounds_file)
    assert "fundgap report" in text and "\r" in text
    missing = [name for name in INNER if name not in text]
    assert not missing, text[-2000:]
    # the findings' steps run under their names
    assert "round sizes" in text and "scenario" in text


def test_report_off_a_terminal_draws_nothing(monkeypatch, tmp_path, rounds_file):
    text = _report(monkeypatch, tmp_path, io.StringIO(), rounds_file)
    assert "\r" not in text
    assert not [name for name in (*INNER, "fundgap report") if name in text]


def test_report_quiet_on_a_terminal_draws_nothing(monkeypatch, tmp_path, rounds_file):
    text = _report(monkeypatch, tmp_path, FakeTerminal(), rounds_file, "--quiet")
    assert "\r" not in text
    assert not [name for name in (*INNER, "fundgap report") if name in text]


@pytest.mark.parametrize(("command", "bar"), [
    (["scenario", "--sims", "200"], "Monte Carlo, 200 simulations"),
    (["depth"], "bootstrap by region x stage_group"),
])
def test_other_commands_draw_their_long_steps(monkeypatch, command, bar):
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    assert cli.main(command) == 0
    import sys

    assert bar in sys.stderr.getvalue()
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    assert cli.main([*command, "--quiet"]) == 0
    assert bar not in sys.stderr.getvalue()


def test_steps_shorter_than_the_delay_leave_no_trace():
    buf = FakeTerminal()
    with _progress.progress_bars(file=buf, delay=5.0), _progress.step("quick", total=3) as bar:
        bar.update(3)
    assert buf.getvalue() == ""
    # and without progress_bars() a step is a no-op
    with _progress.step("silent") as bar:
        bar.update()
    assert not _progress.bars_on()
