"""Tests of the canonical schema: codes, dtypes, conform() and the validators."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundgap.errors import FundgapError, SchemaError
from fundgap.schema import (
    FUND_COLUMNS,
    REGIONS,
    ROUND_COLUMNS,
    SERIES_COLUMNS,
    STAGE_LADDER,
    STAGE_TO_GROUP,
    STAGES,
    conform,
    empty_funds,
    empty_rounds,
    empty_series,
    validate_funds,
    validate_rounds,
    validate_series,
)


def test_minimum_columns_of_the_issue_are_present():
    # the lists typed from the foundation issue (and issue 18's modality), not read from the
    # code under test
    rounds = ("round_id company country region stage stage_group stage_raw date year amount "
              "currency amount_usd amount_eur is_biotech modality sector_raw source source_row").split()
    funds = ("fund_id fund_name manager country region vintage size currency size_usd size_eur "
             "fund_type life_science_focus source source_row").split()
    series = "source table region country sector stage_group measure year value unit price_base".split()
    assert list(ROUND_COLUMNS) == rounds
    assert list(FUND_COLUMNS) == funds
    assert list(SERIES_COLUMNS) == series


def test_stage_ladder_is_ordered_along_the_funding_ladder():
    stages = pd.Series(["growth", "seed", "series_b", "pre_seed", "series_d_plus", "series_a",
                        "series_c"]).astype(empty_rounds()["stage"].dtype)
    assert list(stages.sort_values()) == ["pre_seed", "seed", "series_a", "series_b", "series_c",
                                          "series_d_plus", "growth"]
    assert tuple(s for s in STAGES if s in STAGE_LADDER) == STAGE_LADDER


def test_stage_groups_follow_the_issue():
    assert {s for s, g in STAGE_TO_GROUP.items() if g == "seed"} == {"pre_seed", "seed"}
    assert {s for s, g in STAGE_TO_GROUP.items() if g == "early"} == {
        "series_a", "series_b", "early_unspecified"}
    assert STAGE_TO_GROUP["series_c_plus"] == "later"  # never reported as series_c
    assert STAGE_TO_GROUP["venture_unknown"] == "unknown"
    for s in ("grant", "debt", "ipo_public", "private_equity", "other"):
        assert STAGE_TO_GROUP[s] == "non_vc"
    assert set(STAGE_TO_GROUP) == set(STAGES)


def test_regions_include_the_required_codes():
    for code in ("EU27", "UK", "OTHER_EUROPE", "US", "CN", "ROW", "EUROPE", "WORLD"):
        assert code in REGIONS


def test_empty_frames_pass_their_validators():
    validate_rounds(empty_rounds())
    validate_funds(empty_funds())
    validate_series(empty_series())


def test_conform_orders_columns_sets_dtypes_and_derives_stage_group():
    raw = pd.DataFrame({"extra": [1, 2], "stage": ["series_c_plus", "seed"], "amount": ["2.5", None],
                        "round_id": ["a", "b"], "date": ["2020-05-01", None]})
    out = conform(raw, "rounds")
    assert list(out.columns[: len(ROUND_COLUMNS)]) == list(ROUND_COLUMNS)
    assert out.columns[-1] == "extra"
    assert list(out["stage_group"].astype(object)) == ["later", "seed"]
    assert out["amount"].iloc[0] == 2.5 and np.isnan(out["amount"].iloc[1])
    assert out["date"].iloc[0] == pd.Timestamp("2020-05-01") and pd.isna(out["date"].iloc[1])
    validate_rounds(out)


def test_validate_reports_every_problem_at_once():
    bad = conform(pd.DataFrame({"round_id": ["1", "1"], "source": ["x", "x"]}), "rounds")
    bad = bad.astype({"stage": object, "country": object, "currency": object})
    bad.loc[0, "stage"] = "series_z"
    bad.loc[0, "country"] = "Germany"
    bad.loc[1, "currency"] = "dollars"
    bad.loc[1, "amount"] = -3.0
    with pytest.raises(SchemaError) as info:
        validate_rounds(bad)
    problems = info.value.problems
    assert len(problems) == 5
    text = str(info.value)
    for word in ("series_z", "Germany", "dollars", "negative", "duplicated"):
        assert word in text
    assert isinstance(info.value, FundgapError) and isinstance(info.value, ValueError)


def test_validate_rejects_a_non_frame():
    with pytest.raises(SchemaError, match="DataFrame"):
        validate_series([1, 2, 3])


def test_validate_series_flags_duplicate_keys():
    row = dict(source="OECD", table="t", region="US", country="US", sector="all", stage_group="all",
               measure="vc_invested", year=2020, value=1.0, unit="USD_M", price_base="current")
    frame = conform(pd.DataFrame([row, row]), "series")
    with pytest.raises(SchemaError, match="duplicated key"):
        validate_series(frame)


@given(st.lists(st.sampled_from(STAGES), max_size=30))
def test_conform_is_idempotent(stages):
    once = conform(pd.DataFrame({"stage": stages}), "rounds")
    twice = conform(once, "rounds")
    pd.testing.assert_frame_equal(once, twice)


def test_modality_is_an_ordered_categorical_unknown_when_absent():
    from fundgap.schema import ATMP_MODALITIES, MODALITIES

    assert MODALITIES == ("cell_therapy", "gene_therapy", "tissue_engineered", "other", "unknown")
    assert set(ATMP_MODALITIES) == {"cell_therapy", "gene_therapy", "tissue_engineered"}
    out = conform(pd.DataFrame({"round_id": ["a", "b"]}), "rounds")
    assert out["modality"].dtype.ordered
    assert out["modality"].astype(object).tolist() == ["unknown", "unknown"]  # no text was read
    kept = conform(pd.DataFrame({"round_id": ["a"], "modality": ["gene_therapy"]}), "rounds")
    assert kept.loc[0, "modality"] == "gene_therapy"
    with pytest.raises(SchemaError, match="modality"):
        validate_rounds(pd.DataFrame({**{c: [None] for c in ROUND_COLUMNS},
                                      "modality": ["car_t"]}))
