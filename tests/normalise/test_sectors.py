"""The biotech flag."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundgap.errors import FundgapError
from fundgap.normalise import is_biotech

YES = ["biotech", "Biotechnology", "BIOTECHNOLOGY", "Pharmaceuticals and Biotechnology",
       "Other Pharmaceuticals and Biotechnology", "Pharmaceuticals", "Pharmaceutical",
       "Drug Discovery", "Drug Delivery", "Genetics", "Biopharma", "pharmaceutical",
       "Health Care, Biotechnology, Medical", "Software|Biotech", "Gene Therapy"]
NO = ["medical", "health", "Healthcare", "Health Care", "Medical Devices", "Life Sciences",
      "Life Science", "Pharmacy", "Biometrics", "Bioinformatics", "Diagnostics", "software",
      "cleantech", "HealthTech", "Biotechnologist Staffing"]


@pytest.mark.parametrize("label", YES)
def test_yes(label):
    assert is_biotech([label]).iloc[0] is True or bool(is_biotech([label]).iloc[0]) is True


@pytest.mark.parametrize("label", NO)
def test_no(label):
    assert not bool(is_biotech([label]).iloc[0])


def test_several_columns_and_missing():
    out = is_biotech(pd.Series(["Healthcare", "Healthcare", None, None], index=[3, 4, 5, 6]),
                     ["Biotechnology", "Medical Devices", None, "software"])
    assert list(out.index) == [3, 4, 5, 6]
    assert str(out.dtype) == "boolean"
    assert out.tolist() == [True, False, pd.NA, False]


def test_errors():
    with pytest.raises(FundgapError):
        is_biotech()
    with pytest.raises(FundgapError):
        is_biotech(["a", "b"], ["a"])


_PIECES = ["bio", "tech", "nology", "pharma", "ceutical", "s", "Pharmacy", "drug discovery",
           "gene therapy", "genetics", " ", "\u00a0", "\u2003", "-", ",", "|", "é", "x", "2",
           "BIO", "Biotech", "life sciences", ""]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=30))
def test_arrow_flag_matches_the_python_rule(labels):
    # the Arrow (RE2) test gives what the documented Python pattern gives, label by label
    import re

    from fundgap.normalise.sectors import _PATTERN, _flag_unique

    got = _flag_unique(pd.Series(labels, dtype=object))
    want = [None if t.strip() == "" else bool(re.search(_PATTERN, t)) for t in labels]
    assert list(got) == want
