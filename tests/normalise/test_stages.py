"""The stage crosswalk: the brief's cases, provider labels and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import FundgapError
from fundgap.normalise import map_stage, stage_group_of
from fundgap.schema import STAGE_TO_GROUP, STAGES

CASES = [
    ("pitchbook_series", "Series A", "series_a"),
    ("pitchbook_series", "Series A1", "series_a"),
    ("pitchbook_series", "Series A-2", "series_a"),
    ("pitchbook_series", "Series AA", "series_a"),
    ("pitchbook_series", "Series B-1", "series_b"),
    ("pitchbook_series", "Series C", "series_c"),
    ("pitchbook_series", "Series D", "series_d_plus"),
    ("pitchbook_series", "Series H2", "series_d_plus"),
    ("pitchbook_series", "Series K", "series_d_plus"),
    ("pitchbook_series", "Series Seed", "seed"),
    ("pitchbook_series", "Seed", "seed"),
    ("pitchbook_series", "Seed Extension", "seed"),
    ("pitchbook_series", "Seed-2", "seed"),
    ("pitchbook_series", "Series A Extension", "series_a"),
    ("pitchbook_series", "Series C Prime", "series_c"),
    ("pitchbook_series", "Series E-1", "series_d_plus"),
    ("pitchbook_deal_type", "Seed Round", "seed"),
    ("pitchbook_deal_type", "Angel (individual)", "seed"),
    ("pitchbook_deal_type", "Accelerator/Incubator", "pre_seed"),
    ("pitchbook_deal_type", "Early Stage VC", "early_unspecified"),
    ("pitchbook_deal_type", "Later Stage VC", "later_unspecified"),
    ("pitchbook_deal_type", "Restart - Later VC", "later_unspecified"),
    ("pitchbook_deal_type", "PE Growth/Expansion", "private_equity"),
    ("pitchbook_deal_type", "Buyout/LBO", "private_equity"),
    ("pitchbook_deal_type", "Grant", "grant"),
    ("pitchbook_deal_type", "Debt - General", "debt"),
    ("pitchbook_deal_type", "Debt - PPP", "debt"),
    ("pitchbook_deal_type", "Convertible Debt", "debt"),
    ("pitchbook_deal_type", "IPO", "ipo_public"),
    ("pitchbook_deal_type", "PIPE", "ipo_public"),
    ("pitchbook_deal_type", "Merger/Acquisition", "other"),
    ("pitchbook_deal_type", "Secondary Transaction - Private", "other"),
    ("pitchbook_deal_type", "Bankruptcy: Liquidation", "other"),
    ("crunchbase_funding_type", "Pre-Seed", "pre_seed"),
    ("crunchbase_funding_type", "Angel", "seed"),
    ("crunchbase_funding_type", "Series J", "series_d_plus"),
    ("crunchbase_funding_type", "Venture - Series Unknown", "venture_unknown"),
    ("crunchbase_funding_type", "series_unknown", "venture_unknown"),
    ("crunchbase_funding_type", "Corporate Round", "venture_unknown"),
    ("crunchbase_funding_type", "Private Equity", "private_equity"),
    ("crunchbase_funding_type", "Convertible Note", "debt"),
    ("crunchbase_funding_type", "Non-equity Assistance", "grant"),
    ("crunchbase_funding_type", "Post-IPO Equity", "ipo_public"),
    ("crunchbase_funding_type", "Equity Crowdfunding", "other"),
    ("crunchbase_funding_stage", "Early Stage Venture", "early_unspecified"),
    ("crunchbase_funding_stage", "Late Stage Venture", "later_unspecified"),
    ("crunchbase2013", "series-a", "series_a"),
    ("crunchbase2013", "series-b", "series_b"),
    ("crunchbase2013", "series-c+", "series_c_plus"),
    ("crunchbase2013", "venture", "venture_unknown"),
    ("crunchbase2013", "angel", "seed"),
    ("crunchbase2013", "private-equity", "private_equity"),
    ("crunchbase2013", "post-ipo", "ipo_public"),
    ("crunchbase2013", "crowdfunding", "other"),
    ("crunchbase2013", "other", "other"),
    ("dealroom", "SERIES B", "series_b"),
    ("dealroom", "SERIES I", "series_d_plus"),
    ("dealroom", "EARLY VC", "early_unspecified"),
    ("dealroom", "LATE VC", "later_unspecified"),
    ("dealroom", "GROWTH EQUITY VC", "growth"),
    ("dealroom", "GROWTH EQUITY NON VC", "private_equity"),
    ("dealroom", "SPAC IPO", "ipo_public"),
    ("any", "series-c+", "series_c_plus"),
    ("any", "Series C+", "series_c_plus"),
    ("any", "Series D+", "series_d_plus"),
]


@pytest.mark.parametrize("taxonomy,label,stage", CASES)
def test_cases(taxonomy, label, stage):
    assert map_stage([label], taxonomy).iloc[0] == stage


@pytest.mark.parametrize("label", ["series-c+", "Series C+", "series c +", "SERIES-C+"])
def test_c_plus_is_never_series_c(label):
    for taxonomy in ("crunchbase2013", "any", "pitchbook_series", "crunchbase_funding_type"):
        assert map_stage([label], taxonomy).iloc[0] == "series_c_plus"


@pytest.mark.parametrize("label", ["Series L", "Series 1", "Series B+", "banana", "", None, "1st Round"])
def test_unknown_labels_are_na(label):
    assert pd.isna(map_stage([label], "any").iloc[0])


def test_all_crunchbase2013_labels_map():
    labels = ["venture", "angel", "series-a", "series-b", "series-c+", "other",
              "private-equity", "post-ipo", "crowdfunding"]
    assert map_stage(labels, "crunchbase2013").notna().all()


def test_dtype_is_ordered_stage_categorical():
    out = map_stage(["seed", "series_b"], "canonical")
    assert out.dtype.ordered and list(out.dtype.categories) == list(STAGES)
    assert out.iloc[0] < out.iloc[1]


def test_unknown_taxonomy():
    with pytest.raises(FundgapError, match="taxonomy"):
        map_stage(["Seed"], "pitchbok")


@settings(max_examples=25, deadline=None)
@given(stages=st.lists(st.sampled_from(STAGES), min_size=1, max_size=30),
       taxonomy=st.sampled_from(["canonical", "any", "pitchbook_series", "crunchbase2013",
                                 "pitchbook_deal_type", "crunchbase_funding_type", "dealroom"]))
def test_canonical_labels_are_fixed_points(stages, taxonomy):
    out = map_stage(stages, "canonical")
    assert out.astype(str).tolist() == stages
    # normalising twice changes nothing
    assert map_stage(out, "canonical").astype(str).tolist() == stages
    if taxonomy in ("canonical", "any"):
        assert map_stage(stages, taxonomy).astype(str).tolist() == stages


def test_stage_group_of():
    out = stage_group_of(["pre_seed", "seed", "series_a", "early_unspecified", "series_c_plus",
                          "growth", "venture_unknown", "private_equity", "grant", None, "nonsense"])
    assert out.tolist()[:9] == ["seed", "seed", "early", "early", "later", "later", "unknown",
                                "non_vc", "non_vc"]
    assert out.isna().tolist()[9:] == [True, True]
    cat = map_stage(list(STAGES), "canonical")
    assert stage_group_of(cat).astype(str).tolist() == [STAGE_TO_GROUP[s] for s in STAGES]


def test_rows_conserved_and_broadcast_equals_single():
    rng = np.random.default_rng(7)
    pool = [c[1] for c in CASES] + ["???", None]
    labels = [pool[i] for i in rng.integers(0, len(pool), 500)]
    out = map_stage(labels, "any")
    assert len(out) == len(labels)
    single = {x: map_stage([x], "any").iloc[0] for x in pool}
    expect = [single[x] for x in labels]
    assert [None if pd.isna(a) else a for a in out] == [None if pd.isna(b) else b for b in expect]
