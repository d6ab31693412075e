"""Tests of the error family and the Loaded container."""

import pandas as pd
import pytest

from fundgap.errors import (
    FileFormatError,
    FundgapError,
    MissingColumnError,
    SchemaError,
    UnknownCountryError,
    UnknownCurrencyError,
    UnknownSourceError,
)
from fundgap.loaded import Loaded, make_rejects
from fundgap.schema import conform, empty_rounds


@pytest.mark.parametrize("cls", [FileFormatError, MissingColumnError, SchemaError,
                                 UnknownCountryError, UnknownCurrencyError, UnknownSourceError])
def test_every_error_is_a_fundgap_value_error(cls):
    assert issubclass(cls, FundgapError) and issubclass(cls, ValueError)


def test_message_names_file_row_column_value_and_expected():
    err = MissingColumnError("required column missing", file="a.csv", row=1, column="Deal Size",
                             expected=["Deal Size", "Deal Date"])
    assert str(err) == ("a.csv, row 1, column 'Deal Size': required column missing; "
                        "expected one of ['Deal Size', 'Deal Date']")
    assert (err.file, err.row, err.column) == ("a.csv", 1, "Deal Size")


def test_long_expected_lists_are_shortened():
    err = FundgapError("bad", expected=[f"c{i}" for i in range(40)])
    assert "(40 in all)" in str(err)


def test_loaded_accounting_and_summary():
    data = conform(pd.DataFrame({"round_id": ["1"], "stage": ["seed"], "amount_usd": [2.0]}), "rounds")
    rej = make_rejects(pd.DataFrame({"Deal Status": ["Failed"]}), source_row=[3],
                       reason="deal not completed", column="Deal Status", value=["Failed"])
    ld = Loaded(data, rej, "pitchbook", "rounds", "deals.csv", n_input=2)
    ld.check_accounting()
    text = ld.summary()
    assert "2 input rows -> 1 rounds kept, 1 rejected" in text
    assert "deal not completed" in text
    d, r = ld
    assert len(d) == 1 and len(r) == 1
    bad = Loaded(empty_rounds(), rej, "pitchbook", "rounds", "deals.csv", n_input=5)
    with pytest.raises(FundgapError, match="row accounting failed"):
        bad.check_accounting()


def test_make_rejects_renames_clashing_raw_columns():
    r = make_rejects(pd.DataFrame({"reason": ["x"], "b": ["y"]}), source_row=[2], reason="dup",
                     duplicate_of=[1])
    assert list(r.columns) == ["source_row", "reason", "column", "value", "duplicate_of",
                               "reason_raw", "b"]
    assert int(r.loc[0, "duplicate_of"]) == 1
