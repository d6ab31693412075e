"""The fast paths taken on big files give what the plain paths give.

Covers: reading without ``newlines_in_values`` (and the fallbacks when a quoted value
holds a line break, at a pyarrow block edge or elsewhere), the cheap pre-filter of the
exact-duplicate search, dates out of the nanosecond range, and the categorical fast
paths of the schema checks. Fixtures are SYNTHETIC; expected values are worked out by
hand from the generating rule.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fundgap
from fundgap.errors import SchemaError
from fundgap.io._csv import BLOCK_BYTES as _BLOCK_BYTES
from fundgap.io._csv import open_at_end as _open_at_end
from fundgap.io._csv import unsafe_block_edges as _unsafe_block_edges
from fundgap.io._parse import parse_dates
from fundgap.io._read import read_table
from fundgap.normalise import add_money_columns
from fundgap.schema import STAGE_DTYPE, STAGE_GROUP_DTYPE, conform, validate_rounds

HEADER = "Name,Note,Amount\n"


def _ends_in_quotes(line: bytes, delimiter: int, quote: int) -> bool:
    """True if ``line`` (one physical line, read from a record start) ends inside a quoted
    value: a byte loop over the CSV quoting rules, the independent check of the loader's
    regular expression (``open_at_end``)."""
    in_q = False
    at_start = True
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if in_q:
            if c == quote:
                if i + 1 < n and line[i + 1] == quote:
                    i += 1  # doubled quote: a literal quote
                else:
                    in_q = False
        elif c == delimiter:
            at_start = True
            i += 1
            continue
        elif c == quote and at_start:
            in_q = True
        at_start = False
        i += 1
    return in_q


def _big_csv(path, special: dict[int, str], min_bytes: int = 5 * _BLOCK_BYTES) -> int:
    """SYNTHETIC file: row i is ``Co<i>,"a, b",<i>``, or ``Co<i>,<special[i]>,<i>``.

    Returns the number of data rows.
    """
    parts, size, i = [HEADER], len(HEADER), 0
    while size < min_bytes:
        note = special.get(i, '"a, b"')
        row = f"Co{i},{note},{i}\n"
        parts.append(row)
        size += len(row)
        i += 1
    path.write_text("".join(parts), encoding="utf-8", newline="")
    return i


def _row_at_offset(offset: int) -> int:
    """Index of the data row that starts nearest after byte ``offset`` of the body."""
    size, i = 0, 0
    while size < offset:
        size += len(f'Co{i},"a, b",{i}\n')
        i += 1
    return i


def test_big_file_without_quoted_line_breaks(tmp_path):
    p = tmp_path / "synthetic_plain.csv"
    n = _big_csv(p, {})
    t = read_table(p)
    assert len(t.frame) == n
    assert t.frame["Note"].iloc[0] == "a, b"
    assert t.frame["Name"].iloc[-1] == f"Co{n - 1}"
    assert t.frame["Amount"].iloc[12345] == "12345"
    assert t.source_row[0] == 2 and t.source_row[-1] == n + 1
    assert len(t.bad_rows) == 0


@pytest.mark.parametrize("shift", [-60, -25, -12, -1, 0, 1, 12, 40])
def test_quoted_line_break_at_a_block_edge(tmp_path, shift):
    # the value with a line break sits on the first 1 MiB edge of the body (or next to it)
    i = _row_at_offset(_BLOCK_BYTES + shift) - 1
    p = tmp_path / "synthetic_edge.csv"
    n = _big_csv(p, {i: '"multi\nline, x"'})
    t = read_table(p)
    assert len(t.frame) == n
    assert t.frame["Note"].iloc[i] == "multi\nline, x"
    assert t.frame["Name"].iloc[i + 1] == f"Co{i + 1}"
    # the record after the two-line one is one file line further down
    assert t.source_row[i] == i + 2 and t.source_row[i + 1] == i + 3
    assert len(t.bad_rows) == 0


def test_quoted_line_break_away_from_edges(tmp_path):
    p = tmp_path / "synthetic_inner.csv"
    n = _big_csv(p, {7: '"one\ntwo"', 40_000: '"three\nfour"'})
    t = read_table(p)
    assert len(t.frame) == n
    assert t.frame["Note"].iloc[7] == "one\ntwo"
    assert t.frame["Note"].iloc[40_000] == "three\nfour"
    assert t.frame["Name"].iloc[-1] == f"Co{n - 1}"


def test_big_file_with_a_short_row_keeps_it_as_bad_row(tmp_path):
    p = tmp_path / "synthetic_short.csv"
    n = _big_csv(p, {})
    text = p.read_text()
    # replace data row 100 (file row 102) by a row with two fields
    lines = text.split("\n")
    lines[101] = "Co100,only two"
    p.write_text("\n".join(lines), encoding="utf-8", newline="")
    t = read_table(p)
    assert len(t.frame) == n - 1
    assert t.bad_rows["source_row"].tolist() == [102]
    assert t.source_row[99] == 101 and t.source_row[100] == 103


def test_ends_in_quotes_follows_csv_quoting():
    q, d = ord('"'), ord(",")
    assert _ends_in_quotes(b'a,"b', d, q) is True
    assert _ends_in_quotes(b'a,"b"', d, q) is False
    assert _ends_in_quotes(b'a,"b""', d, q) is True  # doubled quote: still open
    assert _ends_in_quotes(b'a,"b"""', d, q) is False
    assert _ends_in_quotes(b'12",x', d, q) is False  # a quote inside a field is literal
    assert _ends_in_quotes(b'x,"a, b",3', d, q) is False


def test_open_at_end_agrees_with_the_byte_loop_on_every_short_line():
    # every line of up to 7 characters over a, the delimiter, the quote and CR
    for d, q in ((ord(","), ord('"')), (ord(";"), ord("'")), (ord("|"), ord('"'))):
        ends_open = _open_at_end(d, q)
        for n in range(8):
            for cells in itertools.product(bytes([ord("a"), d, q, 13]), repeat=n):
                line = bytes(cells)
                assert ends_open(line) == _ends_in_quotes(line, d, q), line


@given(st.lists(st.sampled_from([b"a", b",", b'"', b'""', b"x y", b"\r"]), max_size=60))
def test_open_at_end_agrees_with_the_byte_loop_on_long_lines(parts):
    line = b"".join(parts)
    assert _open_at_end(ord(","), ord('"'))(line) == _ends_in_quotes(line, ord(","), ord('"'))


def test_open_at_end_on_many_doubled_quotes():
    # an open value of 5,000 doubled quotes, then the same value closed (the pattern is
    # possessive: a backtracking one would not finish on these lines)
    line = b"x," * 50 + b'"' + b'ab""' * 5000
    assert _open_at_end(ord(","), ord('"'))(line) is True
    assert _open_at_end(ord(","), ord('"'))(line + b'",y') is False


def test_unsafe_block_edges_sees_an_open_quote_at_the_edge():
    block = 64
    ok = b"".join(b'r%d,"a, b",1\n' % i for i in range(100))
    assert _unsafe_block_edges(ok, ",", '"', block) is False
    lines = [b'r%d,"a, b",1\n' % i for i in range(100)]
    # put an opened quote on the line that ends just after the first edge
    size, i = 0, 0
    while size + len(lines[i]) < block:
        size += len(lines[i])
        i += 1
    lines[i] = b'r,"open\n'
    assert _unsafe_block_edges(b"".join(lines), ",", '"', block) is True
    assert _unsafe_block_edges(ok, ",", "\u00ab", block) is True  # not a one-byte quote


def test_dates_outside_the_nanosecond_range_are_unparseable():
    d, bad = parse_dates(pd.Series(["0001-01-01", "2021-03-15", "1", None]))
    assert d.isna().tolist() == [True, False, True, True]
    assert bad.tolist() == [True, False, True, False]


PB_HEADER = ("Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,"
             "Company Country/Territory/Region,Investors\n")


def test_exact_duplicates_with_equal_lengths_but_different_text(tmp_path):
    rows = [
        "1-A,Acme,2021-03-15,5,Completed,Seed Round,Germany,XY",      # row 2
        "1-A,Acme,2021-03-15,5,Completed,Seed Round,Germany,XY",      # row 3: exact twin of 2
        "2-B,Bcme,2021-03-15,5,Completed,Seed Round,Germany,ZW",      # row 4: same lengths, other text
        "3-C,Ccme,2021-03-15,,Completed,Seed Round,Germany,XY",       # row 5: undisclosed
        "3-C,Ccme,2021-03-15,,Completed,Seed Round,Germany,XY",       # row 6: exact twin of 5
        "4-D,Dcme,2021-03-15,,Completed,Seed Round,Germany,XZ",       # row 7: differs from 5 only in one letter
    ]
    p = tmp_path / "synthetic_pb.csv"
    p.write_text(PB_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    assert ld.data["source_row"].tolist() == [2, 4, 5, 7]
    rej = ld.rejects.set_index("source_row")
    assert rej.loc[3, "reason"] == "exact duplicate row" and rej.loc[3, "duplicate_of"] == 2
    assert rej.loc[6, "reason"] == "exact duplicate row" and rej.loc[6, "duplicate_of"] == 5
    assert len(ld.rejects) == 2


def test_validate_rounds_checks_categorical_codes():
    frame = conform(pd.DataFrame({"round_id": ["a", "b", "c"],
                                                 "stage": ["seed", "seed", "grant"]}), "rounds")
    frame["stage"] = pd.Categorical(["seed", "series_z", "grant"],
                                    categories=["seed", "series_z", "grant", "never_used"])
    frame["stage_group"] = pd.Categorical(["seed", "early", "later"], dtype=STAGE_GROUP_DTYPE)
    with pytest.raises(SchemaError) as err:
        validate_rounds(frame)
    text = str(err.value)
    assert "column 'stage': 1 value(s) not in" in text and "'series_z'" in text
    assert "never_used" not in text
    # grant -> non_vc but "later" given: one mismatch (series_z has no group: not counted)
    assert "'stage'/'stage_group': 1 row(s)" in text


def test_validate_rounds_categorical_mismatch_count_matches_object_path():
    stages = ["seed", "series_a", "grant", None, "series_b"]
    groups = ["seed", "later", "non_vc", "early", None]
    base = conform(pd.DataFrame({"round_id": list("abcde")}), "rounds")
    cat = base.copy()
    cat["stage"] = pd.Series(stages, dtype=STAGE_DTYPE)
    cat["stage_group"] = pd.Series(groups, dtype=STAGE_GROUP_DTYPE)
    with pytest.raises(SchemaError, match=r"'stage'/'stage_group': 1 row\(s\)"):
        validate_rounds(cat)
    obj = cat.astype({"stage": object, "stage_group": object})
    with pytest.raises(SchemaError, match=r"'stage'/'stage_group': 1 row\(s\)"):
        validate_rounds(obj)


def test_add_money_columns_numeric_provider_usd():
    # ECB annual averages 2015: USD 1.1095 per EUR
    df = pd.DataFrame({"amount": [10.0, 5.0, np.nan], "currency": ["EUR", "USD", "USD"],
                       "year": [2015, 2015, 2015]})
    pusd = pd.Series([np.nan, 6.0, 3.0])
    out = add_money_columns(df, provider_usd=pusd)
    assert out["amount_usd"].tolist()[1:] == [6.0, 3.0]  # the provider's figure wins
    assert out["amount_usd"].iloc[0] == pytest.approx(11.095, rel=1e-4)
    assert out["amount_eur"].tolist() == pytest.approx([10.0, 5.0 / 1.1095, 3.0 / 1.1095], rel=1e-4)
    nullable = add_money_columns(df, provider_usd=pusd.astype("Float64"))
    pd.testing.assert_frame_equal(out, nullable)
