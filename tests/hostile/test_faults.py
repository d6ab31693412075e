"""Faults while writing (issue 16): a full disk, a kill mid-write, a clashing or unwritable
path. No partial file may be left at the final path and no temporary file may remain."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import fundgap
from fundgap._output import atomic_write, write_csv
from fundgap.cli import main

H = "Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type\n"


def _export(path, n=3):
    path.write_text(H + "".join(f"D{i},=Co{i},2021-03-01,{i},Completed,Seed Round\n"
                                for i in range(1, n + 1)) + "D99,Bad,2021-03-01,-5,Completed,Seed Round\n")
    return path


def test_disk_full_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.csv"

    def write(f):
        f.write(b"half a table")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(fundgap.OutputError, match="disk full") as e:
        atomic_write(target, write)
    assert e.value.file == str(target)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_keeps_the_previous_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def write(f):
        f.write(b"new but cut")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(fundgap.OutputError):
        atomic_write(target, write)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_cli_load_on_a_full_disk_prints_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch):
    src = _export(tmp_path / "synthetic.csv")
    out_dir = tmp_path / "out"
    real = pd.DataFrame.to_csv

    def full(self, path_or_buf=None, *a, **k):
        if hasattr(path_or_buf, "write"):
            path_or_buf.write("partial,")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path_or_buf, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    assert main(["load", str(src), "--out", str(out_dir / "x.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "disk full" in err[0]
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_out_under_an_existing_file(tmp_path, capsys):
    src = _export(tmp_path / "synthetic.csv")
    assert main(["load", str(src), "--out", str(src / "x.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a file, not a folder" in err[0]


def test_out_is_a_folder(tmp_path, capsys):
    src = _export(tmp_path / "synthetic.csv")
    (tmp_path / "x.csv").mkdir()
    assert main(["load", str(src), "--out", str(tmp_path / "x.csv")]) == 1
    assert "folder" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    with pytest.raises(fundgap.OutputError, match="permission"):
        write_csv(pd.DataFrame({"a": [1]}), ro / "x.csv")


def test_files_honour_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        p = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    finally:
        os.umask(old)
    assert oct(p.stat().st_mode & 0o777) == oct(0o640)


def test_load_replaces_its_stale_rejects(tmp_path):
    out = tmp_path / "x.csv"
    assert main(["load", str(_export(tmp_path / "a.csv")), "--out", str(out), "-q"]) == 0
    assert len(pd.read_csv(tmp_path / "x.rejects.csv")) == 1
    clean = tmp_path / "b.csv"
    clean.write_text(H + "D1,Co,2021-03-01,5,Completed,Seed Round\n")
    assert main(["load", str(clean), "--out", str(out), "-q"]) == 0
    assert len(pd.read_csv(tmp_path / "x.rejects.csv")) == 0


def test_load_output_is_safe_in_a_spreadsheet_and_reads_back(tmp_path):
    out = tmp_path / "x.csv"
    assert main(["load", str(_export(tmp_path / "a.csv")), "--out", str(out), "-q"]) == 0
    assert "\n'=Co1" in out.read_text() or ",'=Co1," in out.read_text()
    assert fundgap.read_rounds(out).data["company"].tolist() == ["=Co1", "=Co2", "=Co3"]


def test_temp_file_of_a_killed_run_is_removed(tmp_path):
    stale = tmp_path / ".x.csv.999999.abcd.tmp"  # (no process 999999)
    stale.write_text("left by a killed run")
    write_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


_CHILD = textwrap.dedent("""
    import sys, pandas as pd
    from fundgap._output import write_csv
    frame = pd.DataFrame({"a": range(3_000_000), "b": ["=text"] * 3_000_000})
    print("writing", flush=True)
    write_csv(frame, sys.argv[1])
    print("done", flush=True)
""")


@pytest.mark.parametrize("final_exists", [False, True])
def test_kill_during_write_leaves_no_partial_file(tmp_path, final_exists):
    target = tmp_path / "big.csv"
    if final_exists:
        target.write_text("a,b\n1,old\n")
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(target)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.stdout.readline  # (the child is now escaping and writing the frame)
    import time

    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    names = sorted(p.name for p in tmp_path.iterdir())
    if target.exists() and target.read_text()[:4] != "a,b\n":
        pytest.fail("partial file at the final path")
    if final_exists and proc.returncode == -signal.SIGKILL:
        assert target.read_text() in ("a,b\n1,old\n",) or target.stat().st_size > 10_000_000
    assert [n for n in names if n.endswith(".tmp")] == []
