"""Growth paths: how a region's capital multiplier rises from 1 to a target multiple.

A path is a :class:`pandas.Series` named ``multiplier`` indexed by ``year``
(0, 1, ..., n_years, or calendar years when ``start_year`` is given). Year 0 is
the baseline (multiplier 1) and the final year holds exactly ``multiple``.

Examples
--------
>>> from fundgap.scenarios.paths import growth_path
>>> p = growth_path(5.0, 10)
>>> round(float(p.loc[5]), 4), float(p.iloc[-1])
(2.2361, 5.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError

__all__ = ["SHAPES", "cagr", "growth_path"]

Shape = Literal["compound", "linear", "logistic"]
#: The named path shapes.
SHAPES: tuple[str, ...] = ("compound", "linear", "logistic")


def cagr(multiple: float, n_years: float) -> float:
    """Return the constant annual growth rate that multiplies capital by ``multiple`` in ``n_years``.

    Examples
    --------
    >>> round(cagr(5.0, 10), 4)
    0.1746
    """
    _check_multiple(multiple)
    if not n_years > 0:
        raise FundgapError("n_years must be positive", argument="n_years", value=n_years,
                           expected="a positive number of years")
    return float(multiple ** (1.0 / n_years) - 1.0)


def _check_multiple(multiple: float) -> None:
    try:
        ok = np.isfinite(float(multiple)) and float(multiple) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise FundgapError("multiple must be a positive finite number", argument="multiple",
                           value=multiple, expected="a positive finite number such as 5")


def growth_path(
    multiple: float | None = 5.0,
    n_years: int | None = 10,
    *,
    shape: Shape | Sequence[float] | np.ndarray | pd.Series = "compound",
    start_year: int | None = None,
    midpoint: float | None = None,
    steepness: float | None = None,
) -> pd.Series:
    """Return the capital multiplier for each year of a growth path.

    Parameters
    ----------
    multiple : float, default 5.0
        The multiplier reached exactly in the final year (5.0 = fivefold).
        With an array ``shape`` it may be None: the array is then used as given
        (divided by its year-0 value).
    n_years : int, default 10
        Number of years to reach ``multiple``. With an array ``shape``, None
        infers it from the array's length.
    shape : {"compound", "linear", "logistic"} or array-like, default "compound"
        ``compound``: constant annual growth, ``multiple ** (t / n_years)``
        (5x in 10 years = 17.46 % a year).
        ``linear``: equal absolute additions, ``1 + (multiple - 1) * t / n_years``.
        ``logistic``: an S-curve in the level, slow start, fast middle, slow end,
        rescaled so that year 0 is exactly 1 and the final year exactly ``multiple``.
        An array of ``n_years + 1`` positive values (year 0 first) or of ``n_years``
        values (years 1..n_years, year 0 = 1) gives a path's shape; it is rescaled
        affinely so that it starts at 1 and ends at ``multiple``.
    start_year : int, optional
        Calendar year of year 0; the index then runs over calendar years.
    midpoint : float, optional
        Logistic only: the year of fastest growth (default ``n_years / 2``).
    steepness : float, optional
        Logistic only: the logistic rate per year (default ``10 / n_years``, so the
        curve covers most of its S within the period whatever its length).

    Returns
    -------
    Series
        Named ``multiplier``, float, indexed by ``year``. ``attrs`` records the
        shape, multiple, n_years and start year.

    Raises
    ------
    FundgapError
        Unknown shape, non-positive multiple or n_years, an array of the wrong
        length or with non-positive values.

    Examples
    --------
    >>> growth_path(5, 10).round(3).tolist()[:3]
    [1.0, 1.175, 1.38]
    >>> float(growth_path(5, 10, shape="linear").loc[5])
    3.0
    >>> growth_path(2, 2, shape="linear", start_year=2024).to_dict()
    {2024: 1.0, 2025: 1.5, 2026: 2.0}
    >>> growth_path(3, None, shape=[1, 1, 2, 4]).round(4).tolist()
    [1.0, 1.0, 1.6667, 3.0]
    """
    if isinstance(shape, str):
        n_years, multiple = _check_named(shape, multiple, n_years)
        values = _named_values(shape, multiple, n_years, midpoint, steepness)
        name = shape
    else:
        values, multiple, n_years = _array_values(shape, multiple, n_years)
        name = "custom"
    values = np.asarray(values, dtype="float64")
    values[0] = 1.0
    values[-1] = multiple  # exactly, whatever rounding did on the way
    offset = 0 if start_year is None else int(start_year)
    index = pd.Index(np.arange(n_years + 1) + offset, name="year", dtype="int64")
    path = pd.Series(values, index=index, name="multiplier")
    path.attrs.update({"shape": name, "multiple": multiple, "n_years": n_years,
                       "start_year": start_year})
    return path


def _check_named(shape: str, multiple: float | None, n_years: int | None) -> tuple[int, float]:
    if shape not in SHAPES:
        raise FundgapError("unknown growth path shape", argument="shape", value=shape,
                           expected=SHAPES)
    if multiple is None:
        raise FundgapError("multiple is required for a named shape", argument="multiple",
                           value=multiple, expected="a positive finite number such as 5")
    _check_multiple(multiple)
    if n_years is None or int(n_years) != n_years or n_years < 1:
        raise FundgapError("n_years must be a positive integer", argument="n_years",
                           value=n_years, expected="an integer >= 1")
    return int(n_years), float(multiple)


def _named_values(shape: str, multiple: float, n_years: int, midpoint: float | None,
                  steepness: float | None) -> np.ndarray:
    t = np.arange(n_years + 1, dtype="float64")
    if shape == "compound":
        return multiple ** (t / n_years)
    if shape == "linear":
        return 1.0 + (multiple - 1.0) * t / n_years
    mid = n_years / 2.0 if midpoint is None else float(midpoint)
    k = 10.0 / n_years if steepness is None else float(steepness)
    if not k > 0:
        raise FundgapError("steepness must be positive", argument="steepness", value=steepness,
                           expected="a positive number (a logistic rate per year)")
    s = 1.0 / (1.0 + np.exp(-k * (t - mid)))
    return 1.0 + (multiple - 1.0) * (s - s[0]) / (s[-1] - s[0])


def _array_values(shape: Any, multiple: float | None, n_years: int | None
                  ) -> tuple[np.ndarray, float, int]:
    """A given path shape, rescaled affinely to run from 1 to ``multiple``."""
    arr = np.asarray(shape, dtype="float64").ravel()
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise FundgapError("a path array must hold positive finite numbers", argument="shape",
                           value=list(arr[:10]), expected="positive finite multipliers")
    if n_years is None:
        n_years = arr.size - 1
    if arr.size == n_years:
        arr = np.concatenate([[1.0], arr])
    if arr.size != n_years + 1 or n_years < 1:
        raise FundgapError(
            f"a path array for {n_years} years needs {n_years + 1} values (year 0 first) or "
            f"{n_years} (years 1..{n_years}); pass n_years=None to infer it from the array",
            argument="shape", value=int(np.asarray(shape).size),
            expected=[n_years + 1, n_years])
    base = arr / arr[0]
    if multiple is None:
        values, multiple = base, float(base[-1])
    else:
        _check_multiple(multiple)
        multiple = float(multiple)
        if not np.isclose(base[-1], 1.0):
            values = 1.0 + (multiple - 1.0) * (base - 1.0) / (base[-1] - 1.0)
        elif np.isclose(multiple, 1.0):
            values = np.ones_like(base)
        else:
            raise FundgapError("a flat path array cannot be rescaled to reach the multiple",
                               argument="multiple", value=multiple, expected=[1.0])
    if np.any(values <= 0):
        raise FundgapError("the rescaled path has non-positive multipliers", argument="shape",
                           value=list(np.round(values, 4)),
                           expected="a shape whose rescaled values stay positive")
    return values, multiple, int(n_years)


def path_multipliers(path: pd.Series | Sequence[float] | np.ndarray, horizon: int) -> np.ndarray:
    """Return the multipliers for years 0..horizon: the path, held at its final value after its end.

    Examples
    --------
    >>> path_multipliers(growth_path(2, 2, shape="linear"), 4).tolist()
    [1.0, 1.5, 2.0, 2.0, 2.0]
    """
    arr = np.asarray(path, dtype="float64").ravel()
    if arr.size < 2 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise FundgapError("path must hold at least two positive finite multipliers",
                           argument="path", value=list(arr[:10]),
                           expected="a growth_path() or an array of positive multipliers")
    arr = arr / arr[0]
    if horizon + 1 <= arr.size:
        return arr[: horizon + 1].copy()
    return np.concatenate([arr, np.full(horizon + 1 - arr.size, arr[-1])])
