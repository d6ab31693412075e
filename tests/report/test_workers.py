"""The helper processes of the report: results and errors come back; inline fallback works."""

from __future__ import annotations

import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.report.pipeline import _Child, _fig_gap, _FigureWorker


@pytest.mark.parametrize("parallel", [True, False])
def test_child_returns_the_value(parallel):
    frame = pd.DataFrame({"a": [1, 2]})
    job = _Child(lambda: frame.assign(b=frame["a"] * 2), parallel=parallel)
    assert job.result()["b"].tolist() == [2, 4]


@pytest.mark.parametrize("parallel", [True, False])
def test_child_raises_the_error(parallel):
    def bad():
        raise FundgapError("broken file", file="x.csv", row=3)

    with pytest.raises(FundgapError, match="x.csv, row 3: broken file"):
        _Child(bad, parallel=parallel).result()


@pytest.mark.parametrize("parallel", [True, False])
def test_figure_worker_draws_and_saves(tmp_path, parallel):
    ratio = pd.DataFrame({"source": ["oecd", "oecd"], "table": ["T", "T"], "year": [2020, 2021],
                          "metric": "ratio", "estimate": [0.07, 0.08]})
    w = _FigureWorker(tmp_path, strict=True, parallel=parallel)
    w.submit({"gap": (_fig_gap, (ratio,))})
    paths, errors, _ = w.result()
    w.close()
    assert errors == []
    assert sorted(p.name for p in paths) == ["gap.png", "gap.svg"]
    assert (tmp_path / "gap.png").stat().st_size > 0


def test_figure_worker_reports_errors_when_not_strict(tmp_path):
    w = _FigureWorker(tmp_path, strict=False)
    w.submit({"broken": (_fig_gap, (pd.DataFrame({"x": [1]}),))})
    paths, errors, _ = w.result()
    w.close()
    assert paths == [] and errors and errors[0].startswith("broken:")


def test_unused_worker_closes_cleanly(tmp_path):
    w = _FigureWorker(tmp_path, strict=True)
    w.close()
    assert list(tmp_path.iterdir()) == []
