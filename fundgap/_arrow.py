"""The Arrow data behind a pandas column, through the public ``__arrow_array__`` protocol.

pandas 3 keeps its default string columns (``str``) and ``ArrowDtype`` columns in
Arrow: the loaders and checks run Arrow kernels on those buffers without copying them.
This module is the one place that reaches them, through the Arrow protocol that pandas
documents for its Arrow-backed arrays, so that no module depends on a private attribute
of a pandas array.

Examples
--------
>>> import pandas as pd
>>> arrow_data(pd.Series(["a", None], dtype="str")).to_pylist()
['a', None]
>>> arrow_data(pd.Series([1.5, 2.0])) is None
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["arrow_data"]


def arrow_data(values: Any) -> Any:
    """The Arrow chunked array behind a Series, Index or pandas array stored in Arrow
    (no copy), else None.

    Parameters
    ----------
    values : pandas.Series, pandas.Index or pandas extension array
        A column stored in Arrow: pandas' ``str`` dtype with pyarrow storage (the
        default of pandas 3) or an ``ArrowDtype``; anything else gives None.

    Returns
    -------
    pyarrow.ChunkedArray or None
        The column's own buffers (a read-only view: change them and the Series changes).

    Examples
    --------
    >>> import pandas as pd
    >>> arr = arrow_data(pd.Index(["x", "y"], dtype="str"))
    >>> type(arr).__name__, arr.to_pylist()
    ('ChunkedArray', ['x', 'y'])
    >>> arrow_data(pd.Series(["x"], dtype=object)) is None
    True
    """
    array = values.array if isinstance(values, (pd.Series, pd.Index)) else values
    dtype = getattr(array, "dtype", None)
    in_arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")
    if not in_arrow or not hasattr(array, "__arrow_array__"):
        return None
    import pyarrow as pa

    arr = array.__arrow_array__()
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
