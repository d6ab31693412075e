"""Parsing amounts written as text."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.normalise import parse_amounts

CASES = [
    ("1,250.5", 1250.5, None, "ok"),
    ("$12M", 12.0, "USD", "ok"),
    ("EUR 5 m", 5.0, "EUR", "ok"),
    ("1.2bn", 1200.0, None, "ok"),
    ("500k", 0.5, None, "ok"),
    ("US$ 3.5m", 3.5, "USD", "ok"),
    ("£1.2bn", 1200.0, "GBP", "ok"),
    ("5m €", 5.0, "EUR", "ok"),
    ("12M USD", 12.0, "USD", "ok"),
    ("3 MUSD", 3.0, "USD", "ok"),
    ("250 kEUR", 0.25, "EUR", "ok"),
    ("12 million", 12.0, None, "ok"),
    ("2.5 Mrd", 2500.0, None, "ok"),
    ("1.250,5", 1250.5, None, "ok"),
    ("5,5", 5.5, None, "ok"),
    ("1,250", 1250.0, None, "ok"),
    ("1.250.000", 1250000.0, None, "ok"),
    ("1 250 000", 1250000.0, None, "ok"),
    ("0", 0.0, None, "ok"),
    ("-5", -5.0, None, "negative"),
    ("(5)", -5.0, None, "negative"),
    ("-", np.nan, None, "undisclosed"),
    ("—", np.nan, None, "undisclosed"),
    ("n/a", np.nan, None, "undisclosed"),
    ("", np.nan, None, "undisclosed"),
    ("Undisclosed", np.nan, None, "undisclosed"),
    ("#NAME?", np.nan, None, "invalid"),
    ("5-10m", np.nan, None, "invalid"),
    ("~5m", np.nan, None, "invalid"),
    ("1,2,3", np.nan, None, "invalid"),
    ("12 XYZ", np.nan, None, "invalid"),
    ("USD", np.nan, None, "invalid"),
    ("inf", np.nan, None, "invalid"),
]


@pytest.mark.parametrize("raw,amount,hint,status", CASES)
def test_cases(raw, amount, hint, status):
    out = parse_amounts([raw])
    assert out["status"].iloc[0] == status
    if np.isnan(amount):
        assert np.isnan(out["amount"].iloc[0])
    else:
        assert out["amount"].iloc[0] == pytest.approx(amount)
    h = out["currency_hint"].iloc[0]
    assert (hint is None and h is pd.NA) or h == hint


def test_scale_applies_to_bare_numbers_only():
    out = parse_amounts(["1750000", "2m", 3000000], scale=1e-6)
    assert out["amount"].tolist() == pytest.approx([1.75, 2.0, 3.0])


def test_numeric_input_and_missing():
    out = parse_amounts(pd.Series([1.5, np.nan, -2.0, np.inf], index=[4, 5, 6, 7]))
    assert list(out.index) == [4, 5, 6, 7]
    assert out["status"].tolist() == ["ok", "undisclosed", "negative", "invalid"]
    assert list(out.columns) == ["amount", "currency_hint", "status"]


def test_mixed_object_and_none():
    out = parse_amounts(pd.Series(["5", 3, None, "x"], dtype=object))
    assert out["status"].tolist() == ["ok", "ok", "undisclosed", "invalid"]


def test_empty():
    out = parse_amounts([])
    assert len(out) == 0 and list(out.columns) == ["amount", "currency_hint", "status"]


@settings(max_examples=25, deadline=None)
@given(xs=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=20))
def test_formatted_numbers_round_trip(xs):
    texts = [t for x in xs for t in (f"{x:,.2f}", f"{x:.2f}", f"${x:,.2f}M", f"EUR {x:.3f} m")]
    got = parse_amounts(texts)
    assert (got["status"] == "ok").all(), texts
    expected = [round(x, 3) for x in xs for _ in range(4)]
    np.testing.assert_allclose(got["amount"], expected, atol=0.006)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.integers(0, 10**9), min_size=1, max_size=40))
def test_total_conserved_in_units(values):
    # raw units -> millions with scale: the total is conserved
    out = parse_amounts([str(v) for v in values], scale=1e-6)
    assert out["amount"].sum() == pytest.approx(sum(values) / 1e6)
    assert len(out) == len(values)


@settings(max_examples=25, deadline=None)
@given(xs=st.lists(st.floats(min_value=0.001, max_value=1e6, allow_nan=False), min_size=1, max_size=20))
def test_suffixes_agree(xs):
    k = parse_amounts([f"{x * 1000:.6f}k" for x in xs])["amount"]
    m = parse_amounts([f"{x:.9f}m" for x in xs])["amount"]
    np.testing.assert_allclose(k, m, rtol=1e-6)


@given(st.lists(st.one_of(
    st.from_regex(r"-?[0-9]{1,3}(,[0-9]{3}){0,3}(\.[0-9]{1,4})?", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,9}(\.[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["1,25", "1,250,5", "+5", ".5", "1.", " 5 ", "$5M", "-0", "n/a"])),
    min_size=1, max_size=30))
@settings(max_examples=150, deadline=None)
def test_plain_number_shortcut_agrees_with_the_text_parser(texts):
    """Distinct plain numbers skip the regex parser: same amounts and statuses as the parser."""
    from fundgap.normalise.amounts import STATUSES, _parse_unique_text, parse_amount_codes

    u = pd.Series(list(dict.fromkeys(texts)), dtype=object)
    a, h, s = _parse_unique_text(u, 1.0)
    got_a, _, _, got_s = parse_amount_codes(pd.Series(u, dtype="string"))
    np.testing.assert_array_equal(got_a, np.asarray(a, dtype=float))
    assert [STATUSES[c] for c in got_s] == list(s)


def test_plain_numbers_by_hand():
    out = parse_amounts(["1,250.50", "-3.5", "12,500", "0.50", "-0", "1,250,5"])
    assert out["amount"].tolist()[:5] == [1250.5, -3.5, 12500.0, 0.5, 0.0]
    assert out["status"].tolist() == ["ok", "negative", "ok", "ok", "ok", "invalid"]


def test_long_column_with_thousands_commas_reads_as_the_text_parser():
    """A column of 10^5+ rows whose numbers have thousands commas takes one Arrow pass
    (regex, commas dropped, cast); amounts and statuses equal the text parser's on each
    distinct text, and one text that is not a plain number sends it to the parser."""
    from fundgap.normalise.amounts import STATUSES, _parse_unique_text, parse_amount_codes

    texts = ["1,250.50", "-3.5", "12,500", "0.50", "-0", "999", "1,000,000.25", None]
    for extra in ([], ["1,25"], ["$5M"]):
        col = pd.Series((texts + extra) * 15_000, dtype="string[pyarrow]")
        got_a, _, _, got_s = parse_amount_codes(col)
        u = pd.Series([t for t in dict.fromkeys(texts + extra) if t is not None], dtype=object)
        a, _, s = _parse_unique_text(u, 1.0)
        by_text = dict(zip(u, zip(np.asarray(a, dtype=float).tolist(), s, strict=True),
                           strict=True))
        want = [by_text.get(t, (np.nan, "undisclosed")) for t in col.head(len(texts + extra))
                .astype(object).where(col.head(len(texts + extra)).notna(), None)]
        n = len(texts + extra)
        np.testing.assert_array_equal(got_a[:n], [w[0] for w in want])
        assert [STATUSES[c] for c in got_s[:n]] == [w[1] for w in want]
