"""depth() by region x modality x stage group (the ATMP lens) on a SYNTHETIC fixture.

Every expected number is worked out by hand from the rows below.
"""

import math

import numpy as np
import pandas as pd

from fundgap import depth
from fundgap.schema import conform

ROWS = [
    # region, modality, stage, amount_eur
    ("EU27", "gene_therapy", "series_a", 10.0),
    ("EU27", "gene_therapy", "series_b", 30.0),
    ("EU27", "gene_therapy", "grant", 99.0),       # non-VC: dropped by stages="vc"
    ("EU27", "cell_therapy", "series_a", 5.0),
    ("EU27", "other", "seed", 1.0),
    ("EU27", "other", "seed", 2.0),
    ("EU27", "other", "pre_seed", 3.0),
    ("US", "gene_therapy", "series_a", 50.0),
    ("US", "gene_therapy", "series_b", 70.0),
    ("US", "gene_therapy", "early_unspecified", 90.0),
    ("US", None, "series_c", 100.0),               # no modality: counted as unknown
    ("US", "tissue_engineered", "venture_unknown", math.nan),  # undisclosed amount
]


def _rounds() -> pd.DataFrame:
    f = pd.DataFrame(ROWS, columns=["region", "modality", "stage", "amount_eur"])
    return conform(f, "rounds")


def test_depth_by_region_modality_stage_group_by_hand():
    res = depth(_rounds(), by=("region", "modality", "stage_group"), n_boot=0, price_base=None)
    w = res.wide()
    w = w[w.index.get_level_values("stage_group") != "all"]  # (the unknown-stage shares)
    cells = [tuple(i) for i in w.index]
    # cells in the order of regions, then modalities (cell < gene < tissue < other < unknown),
    # then stage groups
    assert cells == [
        ("EU27", "cell_therapy", "early"),
        ("EU27", "gene_therapy", "early"),
        ("EU27", "other", "seed"),
        ("US", "gene_therapy", "early"),
        ("US", "tissue_engineered", "unknown"),
        ("US", "unknown", "later"),
    ]
    assert w["n_rounds"].tolist() == [1, 2, 3, 3, 1, 1]
    assert w["n_disclosed"].tolist() == [1, 2, 3, 3, 0, 1]
    assert w.loc[("EU27", "gene_therapy", "early"), "total"] == 40.0
    assert w.loc[("EU27", "gene_therapy", "early"), "median"] == 20.0   # (10 + 30) / 2
    assert w.loc[("US", "gene_therapy", "early"), "total"] == 210.0
    assert w.loc[("US", "gene_therapy", "early"), "median"] == 70.0
    assert w.loc[("EU27", "other", "seed"), "mean"] == 2.0
    assert np.isnan(w.loc[("US", "tissue_engineered", "unknown"), "total"])
    assert res.meta["n_dropped_non_vc"] == 1


def test_unknown_stage_share_per_region_and_modality():
    f = depth(_rounds(), by=("region", "modality", "stage_group"), n_boot=0,
              price_base=None).to_frame()
    share = f[f["metric"] == "share_unknown_stage"].set_index(["region", "modality"])
    assert (share["stage_group"] == "all").all()
    assert share.loc[("US", "tissue_engineered"), "estimate"] == 1.0   # venture_unknown
    assert share.loc[("US", "gene_therapy"), "estimate"] == 0.0
    assert share.loc[("EU27", "other"), "n"] == 3


def test_relative_to_us_by_modality():
    res = depth(_rounds(), by=("region", "modality", "stage_group"), n_boot=0, price_base=None)
    rel = res.relative(base="US", metric="total").set_index(["region", "modality", "stage_group"])
    # EU27 gene therapy early-stage capital as a share of the US's: 40 / 210
    assert rel.loc[("EU27", "gene_therapy", "early"), "estimate"] == 40.0 / 210.0
    assert ("EU27", "cell_therapy", "early") not in rel.index  # no US cell to compare with
