"""XLSX cells (as calamine gives them) into text columns: the column-wise conversion
answers as the per-cell rule, on SYNTHETIC cells of every kind."""

import datetime as dt
import random

import numpy as np

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
