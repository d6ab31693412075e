"""fundgap._arrow.arrow_data: the Arrow buffers behind pandas columns, through the public
protocol (expected values written by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from fundgap._arrow import arrow_data


def test_string_series_gives_its_own_buffers():
    s = pd.Series(["BE", None, "NL"], dtype="str")
    arr = arrow_data(s)
    assert isinstance(arr, pa.ChunkedArray)
    assert arr.to_pylist() == ["BE", None, "NL"]
    # no copy: the data buffer is the one the Series holds
    again = arrow_data(s)
    assert arr.chunk(0).buffers()[2].address == again.chunk(0).buffers()[2].address


def test_index_and_extension_array():
    idx = pd.Index(["seed", "early"], dtype="str")
    assert arrow_data(idx).to_pylist() == ["seed", "early"]
    assert arrow_data(idx.array).to_pylist() == ["seed", "early"]


def test_arrow_dtype_column():
    s = pd.Series([1, None, 3], dtype=pd.ArrowDtype(pa.int64()))
    assert arrow_data(s).to_pylist() == [1, None, 3]


@pytest.mark.parametrize("s", [
    pd.Series([1.0, np.nan]),
    pd.Series(["a", "b"], dtype=object),
    pd.Series(["a", "b"], dtype=pd.StringDtype("python")),
    pd.Series(["a", "b"], dtype="category"),
])
def test_other_storage_gives_none(s):
    assert arrow_data(s) is None
