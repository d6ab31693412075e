"""Figures: Agg backend, titles, units and source lines, ax reuse, dispatch on result type."""

from __future__ import annotations

import pandas as pd
import pytest

from fundgap.models.results import Result
from fundgap.report import figures


def _texts(ax):
    return [t.get_text() for t in [*ax.texts, *ax.figure.texts]]


def test_backend_is_agg():
    import matplotlib

    assert matplotlib.get_backend().lower() == "agg"


def test_depth_bars_with_intervals_and_units():
    t = pd.DataFrame({
        "region": ["US", "US", "EU27", "EU27"],
        "stage_group": ["seed", "later", "seed", "later"],
        "metric": "median",
        "estimate": [2.0, 30.0, 1.0, 12.0],
        "ci_low": [1.5, 25.0, 0.8, 9.0],
        "ci_high": [2.5, 35.0, 1.2, 15.0],
        "unit": "EUR_M",
        "price_base": "2024",
    })
    ax = figures.plot_depth(t, source="synthetic fixture")
    assert ax.get_ylabel() == "EUR million, 2024 prices"
    assert ax.get_title() == "Median round size by stage and region"
    assert [x.get_text() for x in ax.get_xticklabels()] == ["Seed", "Later"]
    # one bar per region and stage, drawn in ladder order, EU-27 before the US
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["EU-27", "United States"]
    assert any("Source: synthetic fixture" in s for s in _texts(ax))
    # the error bars: one LineCollection per region
    assert len(ax.collections) == 2


def test_depth_filters_on_metric():
    t = pd.DataFrame({"region": ["US", "US"], "stage_group": ["seed", "seed"],
                      "metric": ["median", "mean"], "estimate": [2.0, 9.0]})
    ax = figures.plot_depth(t, metric="mean", unit="EUR million")
    assert [p.get_height() for p in ax.patches] == [9.0]


def test_gap_lines_one_per_source_on_given_axes():
    import matplotlib.pyplot as plt

    _fig, ax0 = plt.subplots()
    t = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "source": ["OECD", "OECD", "NCSES", "NCSES"],
                      "metric": "ratio", "estimate": [0.07, 0.08, 0.25, 0.27]})
    ax = figures.plot_gap(t, ax=ax0, metric="ratio", unit="ratio EU27 / US", source="OECD; NCSES",
                          title="EU27 / US", reference=1.0)
    assert ax is ax0
    assert ax.get_title() == "EU27 / US"
    assert ax.get_ylabel() == "ratio EU27 / US"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["NCSES", "OECD"]
    assert any("OECD; NCSES" in s for s in _texts(ax))


def test_fund_sizes_against_needed_rounds():
    funds = pd.DataFrame({"region": ["EU27", "EU27", "US", "US", "US"],
                          "size_eur": [40.0, 150.0, 80.0, 500.0, -1.0]})
    need = pd.DataFrame({"stage_group": ["early", "later"], "fund_size_needed": [60.0, 800.0]})
    ax = figures.plot_fund_sizes(funds, needed=need, source="synthetic")
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "fund size (EUR million, current prices)"
    assert " early" in _texts(ax) and " later" in _texts(ax)
    assert ax.get_title().startswith("Fund sizes")


def test_fan_chart_bands_median_reference():
    fan = pd.DataFrame({"year": [2024, 2025, 2026], "q05": [0.1, 0.1, 0.2], "q25": [0.1, 0.15, 0.3],
                        "q50": [0.1, 0.2, 0.4], "q75": [0.1, 0.25, 0.5], "q95": [0.1, 0.3, 0.6],
                        "parity": 1.0})
    ax = figures.plot_fan(fan, median="q50", bands=[("q05", "q95"), ("q25", "q75")],
                          reference="parity", unit="ratio EU27 / US", source="synthetic",
                          title="x5 in 10 years")
    assert ax.get_title() == "x5 in 10 years"
    assert ax.get_ylabel() == "ratio EU27 / US"
    assert len(ax.collections) == 2  # two shaded bands
    assert len(ax.lines) == 2  # median and parity


def test_plot_result_dispatches_on_type():
    class DepthResult(Result):
        pass

    class ScenarioResult(Result):
        def fan(self):
            return pd.DataFrame({"year": [0, 1], "p50": [1.0, 2.0]})

    d = DepthResult(pd.DataFrame({"region": ["US"], "stage_group": ["seed"], "metric": ["median"],
                                  "estimate": [1.0]}), title="depth")
    assert d.plot().get_title() == "depth"
    s = ScenarioResult(pd.DataFrame({"x": [1]}), title="scen")
    ax = s.plot()
    assert ax.get_title() == "scen" and len(ax.lines) == 1


def test_save_figure_png_and_svg(tmp_path):
    t = pd.DataFrame({"year": [2020, 2021], "source": ["OECD", "OECD"], "estimate": [1.0, 2.0]})
    ax = figures.plot_gap(t, unit="ratio")
    paths = figures.save_figure(ax, tmp_path, "gap")
    assert [p.name for p in paths] == ["gap.png", "gap.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text()
    assert "<svg" in svg


def test_figures_module_not_imported_by_models():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import sys, fundgap.models.results; "
            "print([m for m in ('matplotlib', 'seaborn', 'openpyxl') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(root), "PATH": ""}, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("fn", ["plot_depth", "plot_gap", "plot_fan", "plot_fund_sizes",
                                "plot_capacity", "plot_result"])
def test_every_plot_function_takes_ax(fn):
    import inspect

    params = inspect.signature(getattr(figures, fn)).parameters
    assert "ax" in params and params["ax"].default is None
