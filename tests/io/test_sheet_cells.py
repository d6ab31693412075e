"""XLSX cells (as calamine gives them) into text columns: the column-wise conversion
answers as the per-cell rule, on SYNTHETIC cells of every kind."""

import datetime as dt
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.io._sheet import _columns, cell_text, text_column

KINDS = {
    "text": lambda r: r.choice(["a", "Seed", " x ", "Wrocław", "=1+1", "", " ", "\u00a0", "\t"]),
    "none": lambda r: None,
    "float": lambda r: r.choice([5.0, 2.5, -0.0, 1e15, 1e16, 123456789.25, float("nan"),
                                 r.uniform(-1e6, 1e6)]),
    "int": lambda r: r.randint(-5, 10**12),
    "bool": lambda r: r.random() < 0.5,
    "date": lambda r: dt.date(2000, 1, 1) + dt.timedelta(days=r.randint(0, 9000)),
    "datetime": lambda r: r.choice([dt.datetime(2021, 3, 1), dt.datetime(2021, 3, 1, 9, 30)]),
}
MIXES = [("text",), ("text", "none"), ("float",), ("text", "float"), ("date",), ("text", "date"),
         ("text", "float", "none"), ("bool", "text"), ("int", "float"), ("datetime", "date"),
         tuple(KINDS)]


def test_text_column_as_cell_text():
    rng = random.Random(19)
    for mix in MIXES:
        for n in (1, 7, 300):
            cells = [KINDS[rng.choice(mix)](rng) for _ in range(n)]
            want = [cell_text(v) for v in cells]
            assert text_column(cells).to_pylist() == want, mix
            assert text_column(np.array(cells + [None], dtype=object)[:-1]).to_pylist() == want, mix


def test_columns_of_rows():
    rows = [["a", 1.0, None], ["b", None, dt.date(2024, 1, 2)]]
    assert [list(c) for c in _columns(rows)] == [list(c) for c in zip(*rows, strict=True)]
    ragged = [["a", 1.0], ["b"]]
    assert [list(c) for c in _columns(ragged)] == [["a", "b"]]


def test_float_texts_as_cell_text_over_every_magnitude():
    # SYNTHETIC floats from 1e-12 to 1e20 with 0-9 decimals, and the edges of the ranges where
    # Arrow's text is used: the column-wise texts equal cell_text's (Python's repr) one by one
    from fundgap.io._sheet import float_texts

    rng = np.random.default_rng(7)
    parts = []
    for e in range(-12, 21):
        m = rng.random(2000) * 9 + 1
        parts.append(m * 10.0**e)
        parts += [np.round(m[:200] * 10.0**e, k) for k in range(10)]
    edge = [1e-4, np.nextafter(1e-4, 0), np.nextafter(1e-4, 1), 1e16, np.nextafter(1e16, 0),
            1e15, np.nextafter(1e15, 0), 0.1 + 0.2, -0.0, float("inf"), float("-inf"),
            float("nan"), 5e-324, 1.7976931348623157e308]
    x = np.concatenate([*parts, edge])
    x = np.concatenate([x, -x])
    assert float_texts(x).tolist() == [cell_text(float(v)) for v in x]


@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.text(max_size=5)), max_size=60))
@settings(max_examples=200, deadline=None)
def test_text_column_of_text_and_numbers_as_cell_text(cells):
    assert text_column(cells).to_pylist() == [cell_text(v) for v in cells]
