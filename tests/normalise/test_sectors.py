"""The biotech flag."""

import pandas as pd
import pytest

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
