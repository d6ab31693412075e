"""Small hand-made baselines for the scenario tests (synthetic numbers, not data)."""

import numpy as np
import pandas as pd
import pytest

from fundgap.scenarios import Baseline


def two_region(eu=20.0, us=100.0, stage="later", **kw):
    """EU27 and US capital in one stage, start year 2024 (synthetic)."""
    cap = pd.DataFrame({"region": ["EU27", "US"], "stage_group": [stage, stage],
                        "value": [eu, us]})
    return Baseline(cap, start_year=2024, unit="USD_M", source="synthetic", **kw)


@pytest.fixture
def flat_gap():
    """EU 20, US 100, one stage (a fivefold gap)."""
    return two_region()


@pytest.fixture
def synthetic_history():
    """A seeded synthetic long series: EU27, US, CN x seed/early/later, 2005-2024."""
    rng = np.random.default_rng(7)
    years = np.arange(2005, 2025)
    parts = []
    for reg, level, g in (("EU27", 5000, 0.06), ("US", 40000, 0.08), ("CN", 20000, 0.10)):
        for stage, share in (("seed", 0.1), ("early", 0.4), ("later", 0.5)):
            v = level * share * np.exp(g * (years - 2005) + rng.normal(0, 0.15, years.size))
            parts.append(pd.DataFrame({"source": "synthetic", "table": "t1", "region": reg,
                                       "country": None, "sector": "all", "stage_group": stage,
                                       "measure": "vc_invested", "year": years, "value": v,
                                       "unit": "USD_M", "price_base": "current"}))
    return pd.concat(parts, ignore_index=True)
