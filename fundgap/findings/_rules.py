"""The rules behind a finding's status, and the number formats of its statement.

Every rule is stated here once and quoted in METHODOLOGY.md (section 7):

* **direction** (:func:`direction_status`): a comparison of two aggregate series is
  ``robust`` when one stays below the other in every year of the window, else
  ``no_clear_difference``;
* **ranking** (:func:`rank_stages`): "the gap is widest at stage S" is ``robust``
  only when S has the lowest ratio in every year of the window; otherwise the
  finding says ``no_clear_difference`` and names the stages that take turns;
* **interval** (:func:`interval_status`): a sample ratio is ``robust`` when its
  interval excludes 1, else ``no_clear_difference``;
* **sample size** (:func:`sample_status`): a cell with fewer than ``min_n`` rounds
  is ``small_sample``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "direction_status", "interval_status", "money", "pct", "rank_stages", "sample_status",
    "window_text",
]


def pct(value: float, digits: int = 1) -> str:
    """A share as a percentage: ``pct(0.0718) -> '7.2%'``.

    Examples
    --------
    >>> pct(0.0718), pct(1.5), pct(float("nan"))
    ('7.2%', '150.0%', 'n/a')
    """
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{100 * value:.{digits}f}%"


def money(value: float, currency: str = "USD", *, scale: str = "auto") -> str:
    """Millions as readable money: ``money(61911) -> 'USD 61.9bn'``.

    Examples
    --------
    >>> money(61911.0), money(16.8, "EUR"), money(1413.2, scale="m"), money(6402.3)
    ('USD 61.9bn', 'EUR 16.8m', 'USD 1,413.2m', 'USD 6.4bn')
    """
    if value is None or not np.isfinite(value):
        return "n/a"
    if scale == "bn" or (scale == "auto" and abs(value) >= 1_000):
        return f"{currency} {value / 1000:,.1f}bn"
    return f"{currency} {value:,.1f}m"


def window_text(years: Sequence[int]) -> str:
    """``[2021, ..., 2025] -> '2021-2025'``; one year as itself.

    Examples
    --------
    >>> window_text([2021, 2022, 2023]), window_text([2022])
    ('2021-2023', '2022')
    """
    ys = sorted(int(y) for y in years)
    if not ys:
        return ""
    return str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"


def direction_status(ratios: Sequence[float]) -> str:
    """``robust`` if every ratio lies on the same side of 1, else ``no_clear_difference``.

    Examples
    --------
    >>> direction_status([0.07, 0.06, 0.08]), direction_status([0.9, 1.1])
    ('robust', 'no_clear_difference')
    """
    r = np.asarray([x for x in ratios if x is not None and np.isfinite(x)], dtype="float64")
    if r.size == 0:
        return "not_available"
    if (r < 1).all() or (r > 1).all():
        return "robust"
    return "no_clear_difference"


def interval_status(low: float, high: float) -> str:
    """``robust`` if the interval of a ratio excludes 1, else ``no_clear_difference``.

    Examples
    --------
    >>> interval_status(0.4, 0.8), interval_status(0.8, 1.2), interval_status(np.nan, 1)
    ('robust', 'no_clear_difference', 'no_clear_difference')
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return "no_clear_difference"
    return "robust" if (high < 1 or low > 1) else "no_clear_difference"


def sample_status(n: Sequence[int] | int, min_n: int) -> str | None:
    """``small_sample`` if any count is below ``min_n``, else None.

    Examples
    --------
    >>> sample_status([245, 12], 30), sample_status(245, 30) is None
    ('small_sample', True)
    """
    counts = np.atleast_1d(np.asarray(n, dtype="float64"))
    if counts.size == 0 or np.isnan(counts).any() or (counts < int(min_n)).any():
        return "small_sample"
    return None


def rank_stages(ratios: pd.DataFrame) -> dict[str, Any]:
    """The ranking rule over a window: which stage has the lowest (highest) ratio each year.

    Parameters
    ----------
    ratios : DataFrame
        Years as rows, stages as columns, the EU-27 / US ratio in the cells (no
        missing cells: a year with a missing stage is dropped by the caller).

    Returns
    -------
    dict
        ``widest`` and ``narrowest``: each a dict with ``stage`` (the stage lowest /
        highest in every year, or None), ``status`` (``robust`` or
        ``no_clear_difference``) and ``by_year`` (year -> stage).

    Examples
    --------
    >>> t = pd.DataFrame({"seed": [0.06, 0.04], "early": [0.07, 0.09], "later": [0.059, 0.06]},
    ...                  index=[2021, 2022])
    >>> r = rank_stages(t)
    >>> r["widest"]["status"], r["widest"]["by_year"], r["narrowest"]["stage"]
    ('no_clear_difference', {2021: 'later', 2022: 'seed'}, 'early')
    """
    out: dict[str, Any] = {}
    for key, pick in (("widest", "idxmin"), ("narrowest", "idxmax")):
        by_year = {int(y): str(getattr(row, pick)()) for y, row in ratios.iterrows()}
        stages = set(by_year.values())
        one = len(stages) == 1 and len(by_year) > 0
        out[key] = {"stage": next(iter(stages)) if one else None,
                    "status": "robust" if one else "no_clear_difference",
                    "by_year": by_year}
    return out


def turns_text(by_year: Mapping[int, str]) -> str:
    """``{2021: 'seed', 2022: 'later', 2023: 'seed'} -> 'seed in 2021 and 2023, later in 2022'``.

    Examples
    --------
    >>> turns_text({2021: "seed", 2022: "later", 2023: "seed"})
    'seed in 2021 and 2023, later in 2022'
    """
    groups: dict[str, list[int]] = {}
    for year, stage in sorted(by_year.items()):
        groups.setdefault(stage, []).append(year)
    parts = []
    for stage, years in groups.items():
        ys = [str(y) for y in years]
        text = ys[0] if len(ys) == 1 else ", ".join(ys[:-1]) + " and " + ys[-1]
        parts.append(f"{stage} in {text}")
    return ", ".join(parts)
