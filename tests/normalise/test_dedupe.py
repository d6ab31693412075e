"""De-duplication."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import MissingColumnError
from fundgap.normalise import find_duplicates


def frame(**cols):
    df = pd.DataFrame(cols)
    if "source_row" not in df:
        df["source_row"] = np.arange(2, len(df) + 2)
    return df


def test_exact_and_key_duplicates_by_hand():
    df = frame(
        company=["Acme", "Acme", " ACME  ", "Beta", "Beta", "Gamma", "Gamma"],
        date=["2012-01-05", "2012-01-05", "2012-01-05", "2013-02-01", "2013-02-01", "2014-01-01", "2014-01-02"],
        amount=[5.0, 5.0, 5.0, None, None, 3.0, 3.0],
        stage=["a", "a", "b", "x", "y", "s", "s"],
    )
    # row 3 (source_row 3) is an exact duplicate of row 2; " ACME  " same company/date/amount;
    # Beta: undisclosed amounts and different stage -> kept; Gamma: different dates -> kept
    assert find_duplicates(df).tolist() == [pd.NA, 2, 2, pd.NA, pd.NA, pd.NA, pd.NA]


def test_undisclosed_exact_duplicates_are_still_exact():
    df = frame(company=["Beta", "Beta"], date=["2013-02-01"] * 2, amount=[None, None])
    assert find_duplicates(df).tolist() == [pd.NA, 2]


def test_exact_cols_and_key_none():
    df = frame(company=["A", "A"], date=["d1", "d2"], amount=[1.0, 2.0])
    assert find_duplicates(df).isna().all()
    assert find_duplicates(df, exact_cols=["company"], key=None).tolist() == [pd.NA, 2]


def test_points_at_original_through_chains():
    # row 1 exact duplicate (on 'company') of row 0; row 2 key-duplicate of row 1
    df = frame(company=["A", "A", "a"], date=["d0", "d1", "d1"], amount=[9.0, 1.0, 1.0])
    out = find_duplicates(df, exact_cols=["company"])
    assert out.tolist() == [pd.NA, 2, 2]


def test_missing_columns_raise():
    with pytest.raises(MissingColumnError):
        find_duplicates(pd.DataFrame({"company": ["a"]}))
    with pytest.raises(MissingColumnError):
        find_duplicates(frame(x=[1]))


def test_dtype_and_index():
    df = frame(company=["A", "A"], date=["d"] * 2, amount=[1.0, 1.0]).set_index(pd.Index([7, 9]))
    out = find_duplicates(df)
    assert str(out.dtype) == "Int64" and list(out.index) == [7, 9]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 30), reps=st.lists(st.integers(0, 29), max_size=20), seed=st.integers(0, 1000))
def test_appended_copies_are_found_and_originals_conserved(n, reps, seed):
    rng = np.random.default_rng(seed)
    base = frame(company=[f"c{i}" for i in range(n)],
                 date=pd.to_datetime("2010-01-01") + pd.to_timedelta(np.arange(n), unit="D"),
                 amount=rng.integers(1, 100, n).astype(float))
    copies = base.iloc[[r % n for r in reps]].copy()
    copies["source_row"] = np.arange(n + 2, n + 2 + len(copies))
    both = pd.concat([base, copies], ignore_index=True)
    dup = find_duplicates(both)
    assert dup.iloc[:n].isna().all()  # originals stay
    assert dup.iloc[n:].notna().all()  # every copy is found ...
    expected = base["source_row"].to_numpy()[[r % n for r in reps]]
    assert dup.iloc[n:].astype(int).tolist() == list(expected)  # ... pointing at its original
    assert len(dup) == len(both)


_NAME_CHARS = st.sampled_from(list("aAbBzZ09 .-&") + ["\t", "\n", "\r", "\f", "\v", "\x1c",
                                                        "\x1f", "\u00a0", "\u3000", "ß", "ẞ",
                                                        "İ", "ς", "Σ", "ﬁ", "É", "é"])


@given(st.lists(st.one_of(st.none(), st.text(_NAME_CHARS, max_size=12)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_company_key_is_pythons_strip_collapse_casefold(names):
    """The Arrow fast path for ASCII names agrees with the plain Python rule on every name."""
    import re

    from fundgap.normalise.dedupe import _company_key

    def rule(v):
        if v is None:
            return None
        k = re.sub(r"\s+", " ", v.strip()).casefold()
        return k or None

    got = _company_key(pd.Series(names, dtype=object)).tolist()
    assert got == [rule(v) for v in names]
