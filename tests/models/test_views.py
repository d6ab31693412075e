"""Every model result derives its views from the tidy table (summary, repr, html, plot)."""

import numpy as np
import pandas as pd
import pytest

from fundgap.models import capacity, compare_regions, depth, gap
from fundgap.schema import conform


@pytest.fixture
def results():
    rng = np.random.default_rng(2)
    n = 240
    synthetic = conform(pd.DataFrame({
        "region": rng.choice(["US", "EU27"], n), "stage": rng.choice(["seed", "series_b"], n),
        "year": rng.integers(2018, 2021, n), "amount_eur": np.exp(rng.normal(1, 1, n)),
        "amount_usd": np.exp(rng.normal(1, 1, n))}), "rounds")
    funds = pd.DataFrame({"region": ["EU27", "US"], "size_eur": [100.0, 300.0]})
    series = conform(pd.DataFrame({
        "source": "synthetic", "region": ["US"] * 3 + ["EU27"] * 3, "sector": "all",
        "stage_group": "all", "measure": "vc_invested", "year": [2020, 2021, 2022] * 2,
        "value": [10.0, 12.0, 14.0, 2.0, 3.0, 4.0], "unit": "USD_M"}), "series")
    return [depth(synthetic, n_boot=50, seed=0, price_base=None),
            compare_regions(synthetic, quantiles=(0.5,), measure="amount_usd", price_base=None),
            gap(series), capacity(funds, fund_types=None, rounds=synthetic, price_base=None)]


def test_text_views(results):
    for res in results:
        text = res.summary()
        assert res.title in text
        assert type(res).__name__ in repr(res)
        assert "<table" in res._repr_html_()
        assert len(res.to_frame()) > 0


def test_plots_return_axes(results):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    for res in results:
        ax = res.plot()
        assert hasattr(ax, "get_title")
