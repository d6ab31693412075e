"""The coded paths the loaders take on big files give what the plain paths give.

Covers: label columns read as categoricals (``read_table(categorical=...)``), the
cleaning/decoding of categoricals, per-row choices and joins on codes, amounts parsed
to codes, the plain-number fast path, the duplicate screen by hash buckets, exact twins
found through repeated provider ids, and a streamed (> 1 MiB) PitchBook export. Fixtures
are SYNTHETIC; expected values are worked out by hand from the generating rule.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fundgap
from fundgap.io._columnar import clean, decode, encode, join_labels, pick
from fundgap.io._duplicates import id_codes
from fundgap.io._duplicates import collides as _collides
from fundgap.io._headers import headers_of as categorical_headers
from fundgap.io._read import read_table
from fundgap.io.crunchbase import country_from_location
from fundgap.normalise import parse_amounts
from fundgap.normalise.amounts import STATUSES, parse_amount_codes

LABELS = st.one_of(st.none(), st.sampled_from(["Seed", " Seed", "Seed ", "", "  ", "#N/A", "NULL",
                                               "Series A", "série b", "Wrocław", "1,250", "$5M"]))


def _plain(values):
    """Python objects of a Series, with every missing marker as None."""
    return [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
            for v in pd.Series(values).astype(object)]


@given(st.lists(LABELS, max_size=40))
def test_encode_then_decode_is_clean(values):
    s = pd.Series(values, dtype="string[pyarrow]")
    assert _plain(decode(encode(s))) == _plain(clean(s))
    # a categorical input gives the same cleaned values
    assert _plain(decode(clean(s.astype("category")))) == _plain(clean(s))


@given(st.lists(st.tuples(LABELS, LABELS, st.booleans()), max_size=40))
def test_pick_and_join_labels_match_a_row_by_row_rule(rows):
    a = pd.Series([r[0] for r in rows], dtype="string[pyarrow]")
    b = pd.Series([r[1] for r in rows], dtype="string[pyarrow]")
    mask = [r[2] for r in rows]
    ca, cb = _plain(clean(a)), _plain(clean(b))
    assert _plain(pick(mask, encode(a), encode(b))) == [x if m else y for x, y, m in zip(ca, cb, mask)]
    joined = [" / ".join(v for v in (x, y) if v is not None) or None for x, y in zip(ca, cb)]
    assert _plain(join_labels(encode(a), encode(b))) == joined


AMOUNTS = st.one_of(st.none(), st.sampled_from(
    ["5", "-3", "1,250", "1.250,5", "$5M", "EUR 2 m", "n/a", "-", "abc", "(3)", "0", "12,345,678.5"]))


@given(st.lists(AMOUNTS, max_size=30), st.sampled_from([1.0, 1e-6]))
def test_parse_amount_codes_equals_parse_amounts(values, scale):
    s = pd.Series(values, dtype="string[pyarrow]")
    frame = parse_amounts(s, scale=scale)
    amount, hint_codes, hint_cats, status_codes = parse_amount_codes(s, scale=scale)
    np.testing.assert_array_equal(amount, frame["amount"].to_numpy())
    assert [STATUSES[c] for c in status_codes] == frame["status"].tolist()
    assert [hint_cats[c] if c >= 0 else None for c in hint_codes] == _plain(frame["currency_hint"])
    # the same through a categorical of the values
    cat_amount, _, _, cat_status = parse_amount_codes(encode(s), scale=scale)
    np.testing.assert_array_equal(cat_amount, amount)
    np.testing.assert_array_equal(cat_status, status_codes)


def test_plain_number_fast_path_on_a_big_column():
    # 120,000 rows (above the fast path's threshold): i * 1000 units, every 7th missing,
    # every 11th negative
    n = 120_000
    i = np.arange(n)
    values = np.where(i % 11 == 0, -(i * 1000), i * 1000).astype(str).astype(object)
    values[i % 7 == 0] = None
    s = pd.Series(values, dtype="string[pyarrow]")
    out = parse_amounts(s, scale=1e-6)
    expect = np.where(i % 11 == 0, -(i * 1000), i * 1000) / 1e6
    expect = np.where(i % 7 == 0, np.nan, expect)
    np.testing.assert_allclose(out["amount"].to_numpy(), expect)
    status = np.where(i % 7 == 0, "undisclosed", np.where((i % 11 == 0) & (i > 0), "negative", "ok"))
    assert out["status"].tolist() == status.tolist()
    # one value the cast refuses (a leading blank): the general parser takes the column
    s2 = s.copy()
    s2.iloc[1] = " 7"
    out2 = parse_amounts(s2, scale=1e-6)
    assert out2["amount"].iloc[1] == pytest.approx(7e-6)
    np.testing.assert_allclose(out2["amount"].to_numpy()[2:], expect[2:])


@pytest.mark.parametrize("n", [1_000, 300_000])
def test_collides_marks_exactly_the_repeated_values(n, rng):
    h = rng.integers(0, 2**63, size=n, dtype=np.int64).astype(np.uint64)
    planted = rng.choice(n, size=n // 100, replace=False)
    h[planted] = h[(planted + 1) % n]  # each planted row repeats its neighbour
    np.testing.assert_array_equal(_collides(h), pd.Series(h).duplicated(keep=False).to_numpy())


def test_read_table_categorical_columns_hold_the_same_text(tmp_path):
    p = tmp_path / "synthetic_labels.csv"
    p.write_text("Name,Stage,Note\nA, Seed,x\nB,Series A,\nC, Seed,y\nD,,z\n", encoding="utf-8")
    plain = read_table(p)
    coded = read_table(p, categorical=lambda names: [n for n in names if n != "Name"])
    assert isinstance(coded.frame["Stage"].dtype, pd.CategoricalDtype)
    assert coded.frame["Name"].dtype == plain.frame["Name"].dtype
    for col in ("Stage", "Note"):
        assert _plain(coded.frame[col]) == _plain(plain.frame[col])
    assert _plain(coded.frame["Stage"]) == [" Seed", "Series A", " Seed", None]  # raw, uncleaned


def test_categorical_headers_match_like_the_loaders():
    pick_headers = categorical_headers({"date": ("Deal Date", "DEAL_DATE"), "id": ("Deal ID",)},
                                       ["date"])
    assert pick_headers(["Deal ID", "DEAL_DATE", "Other"]) == ["DEAL_DATE"]
    assert pick_headers(["Deal ID"]) == []


IDS = st.one_of(st.none(), st.sampled_from(
    ["", "a", "ab", "12345-67T", "12345-76T", "https://www.crunchbase.com/funding_round/x-1",
     "https://www.crunchbase.com/funding_round/x-2", "x" * 16, "x" * 17, "y" + "x" * 15,
     "Wrocław", "Wroclaw", "séed", "a" * 8 + "b" * 8, "b" * 8 + "a" * 8]))


@given(st.lists(IDS, max_size=60))
def test_id_codes_equal_exactly_where_the_ids_are_equal(values):
    s = pd.Series(values, dtype="string[pyarrow]")
    codes = id_codes(s)
    n = len(values)
    assert ((codes >= -1) & (codes < max(n, 1))).all()
    for i in range(n):
        assert (codes[i] == -1) == (values[i] is None)
        for j in range(n):
            if values[i] is not None and values[j] is not None:
                assert (codes[i] == codes[j]) == (values[i] == values[j])


def test_id_codes_on_chunked_and_sliced_arrow_columns():
    import pyarrow as pa

    # SYNTHETIC ids in three chunks, the middle one a slice (offset into its buffers)
    mid = pa.array(["zz", "b", "c", "a", "zz"], type=pa.large_string()).slice(1, 3)
    arr = pa.chunked_array([pa.array(["a", None], type=pa.large_string()), mid,
                            pa.array(["c", "d"], type=pa.large_string())])
    s = pd.Series(pd.arrays.ArrowStringArray(arr))
    # a, None, b, c, a, c, d: the repeats take the position of their first row
    assert id_codes(s).tolist() == [0, -1, 2, 3, 0, 3, 6]


def test_country_from_location_same_on_categoricals():
    s = pd.Series(["Basel, Basel-Stadt, Switzerland, Europe", " Germany", None,
                   "Boston, Massachusetts, United States, North America", "#N/A"],
                  dtype="string[pyarrow]")
    expect = ["Switzerland", "Germany", None, "United States", None]
    assert _plain(country_from_location(s)) == expect
    assert _plain(country_from_location(encode(s))) == expect


PB_HEADER = ("Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,"
             "Company Country/Territory/Region,Investors,HQ Location\n")


@pytest.mark.parametrize("threads", [True, False])
def test_streamed_pitchbook_export_duplicates_by_hand(tmp_path, monkeypatch, threads):
    """A > 1 MiB SYNTHETIC export (read by streaming from the file): filler rows with unique
    ids, then the cases below, worked out by hand; loaded on two threads (as a big file
    is) and on one."""
    from fundgap.io import _threads

    monkeypatch.setattr(_threads, "PARALLEL_BYTES", 0 if threads else 1 << 40)
    filler = [f"F-{i},Filler {i},2020-01-{1 + i % 28:02d},{1 + i % 97},Completed,Seed Round,"
              f"Germany,Inv {i},kw" for i in range(20_000)]
    cases = [
        "X-1,Acme,2021-03-15,5,Completed,Seed Round,France,A,k1",      # kept
        "X-1,Acme,2021-03-15,5,Completed,Seed Round,France,A,k1",      # exact duplicate of X-1
        "X-1,Acme,2021-03-15,6,Completed,Seed Round,France,A,k2",      # same id, other amount
        ",Bcme,2021-04-01,,Completed,Early Stage VC,Spain,B,k",        # no id: kept
        ",Bcme,2021-04-01,,Completed,Early Stage VC,Spain,B,other",    # no id, twin in the
                                                                       # columns read
        "Y-2,Ccme,2021-05-05,7,Completed,Later Stage VC,Italy,C,k",    # kept
        "Y-3,ccme ,2021-05-05,7,Completed,Later Stage VC,Italy,D,k",   # same company/date/amount
        "Z-4,Dcme,2021-06-06,8,Failed/Cancelled,Seed Round,Italy,E,k",  # status
    ]
    text = PB_HEADER + "\n".join(filler + cases) + "\n"
    assert len(text.encode()) > 1_100_000  # larger than the reader's head: streamed
    p = tmp_path / "synthetic_pitchbook_big.csv"
    p.write_text(text, encoding="utf-8")
    ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    first = 2 + len(filler)  # file row of the first case (row 1 is the header)
    rej = ld.rejects.set_index("source_row")
    assert rej.loc[first + 1, "reason"] == "exact duplicate row"
    assert rej.loc[first + 1, "duplicate_of"] == first
    assert rej.loc[first + 2, "reason"] == "duplicate round id"
    assert rej.loc[first + 2, "duplicate_of"] == first
    assert rej.loc[first + 4, "reason"] == "exact duplicate row"
    assert rej.loc[first + 4, "duplicate_of"] == first + 3
    assert rej.loc[first + 6, "reason"] == "duplicate: same company, date and amount"
    assert rej.loc[first + 6, "duplicate_of"] == first + 5
    assert rej.loc[first + 7, "reason"].startswith("deal status not completed")
    assert len(ld.rejects) == 5
    assert len(ld.data) + len(ld.rejects) == len(filler) + len(cases)
    # the rejects keep the raw cells of the columns read; the unused column is not read
    # (so rows first + 3 and first + 4, which differ only there, are twins)
    assert rej.loc[first + 2, "Deal Size"] == "6" and rej.loc[first + 2, "Investors"] == "A"
    assert "HQ Location" not in ld.rejects.columns
    assert any("8 of 9 columns read; not used by this loader: ['HQ Location']" in n for n in ld.notes)
    kept = ld.data.set_index("source_row")
    assert kept.loc[first, "round_id"] == "pitchbook:X-1"
    assert kept.loc[first + 3, "round_id"] == f"pitchbook:{first + 3}"  # no id: the row
    assert kept.loc[first + 3, "stage"] == "early_unspecified"
    assert kept.loc[first, "country"] == "FR" and kept.loc[first, "region"] == "EU27"
    assert kept.loc[first, "deal_status"] == "Completed"


def test_one_thread_and_two_threads_load_the_same(tmp_path, monkeypatch):
    # a SYNTHETIC export from the benchmark generator: 30,000 deals in the PitchBook layout,
    # with duplicates, statuses and undisclosed sizes
    import importlib.util
    from pathlib import Path

    from fundgap.io import _threads

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("bench_generate", root / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    loads = {}
    for source in ("pitchbook", "crunchbase"):
        path = gen.ensure(source, 30_000, seed=3, root=tmp_path)
        for threads in (True, False):
            monkeypatch.setattr(_threads, "PARALLEL_BYTES", 0 if threads else 1 << 40)
            loads[source, threads] = fundgap.read_rounds(path, source=source)
        a, b = loads[source, True], loads[source, False]
        pd.testing.assert_frame_equal(a.data, b.data)
        pd.testing.assert_frame_equal(a.rejects, b.rejects)
        assert a.notes == b.notes
        assert len(a.rejects) > 0 and len(a.data) + len(a.rejects) == 30_000


@given(st.lists(st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1678-01-01").to_pydatetime(),
                                                  max_value=pd.Timestamp("2262-01-01").to_pydatetime())),
                max_size=50))
def test_years_table_agrees_with_pandas(values):
    from fundgap.io._columnar import years_of as _years

    s = pd.Series(values, dtype="datetime64[ns]")
    d64 = s.to_numpy(dtype="datetime64[ns]")
    expect = [-1 if pd.isna(v) else pd.Timestamp(v).year for v in values]
    assert _years(d64, np.isnat(d64)).tolist() == expect
