"""Baselines from fundgap's shipped data, and the baseline behind a projection's places.

* :func:`shipped_baseline` - capital by region x stage from a shipped series (the
  OECD VC market statistics by default), the later-stage demand from the shipped
  CrunchBase 2013 US biotech rounds;
* :func:`published_fund_sizes` - published typical fund sizes as point
  "distributions" (no regional fund-size distribution is shipped);
* :func:`resolve_baseline` - what :func:`~fundgap.scenarios.project` starts from:
  a Baseline as given, a frame or result through :func:`make_baseline`, a dataset
  name or None through :func:`shipped_baseline`, with the rows of the countries and
  groups the projection names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.normalise.groups import check_place, resolve_groups
from fundgap.scenarios.baseline import Baseline
from fundgap.scenarios.build import make_baseline

__all__ = ["published_fund_sizes", "resolve_baseline", "shipped_baseline"]


#: Default selections of the shipped series datasets (one table, one measure).
_SHIPPED_SELECT: dict[str, dict[str, Any]] = {
    "oecd_vc": {"unit": "USD_M", "sector": "all"},
    "ncses_vc": {"table": "SINV-31", "measure": "vc_invested", "sector": "all"},
}


def shipped_baseline(dataset: str = "oecd_vc", *, select: dict[str, Any] | None = None,
                     start_year: int | None = None,
                     regions: tuple[str, ...] = ("EU27", "US", "CN"),
                     groups: dict[str, Any] | None = None) -> Baseline:
    """Build the baseline from fundgap's shipped data (see :func:`fundgap.datasets.load_dataset`).

    Capital by region x stage from ``dataset``: ``"oecd_vc"`` (default; the OECD
    VC market statistics give seed / early / later stages for EU-27 and the US,
    not China) or ``"ncses_vc"`` (NCSES table SINV-31 by default: EU-27, US and
    China, all stages together). Later-stage round-size demand from the
    CrunchBase 2013 US biotech rounds where that dataset is shipped.

    Raises
    ------
    FundgapError
        When the datasets are not available.
    """
    from fundgap.datasets import load_dataset

    try:
        frame = load_dataset(dataset)
    except (FundgapError, OSError) as exc:
        raise FundgapError(f"cannot load the shipped dataset {dataset!r}: {exc}",
                           argument="dataset", value=dataset,
                           expected=sorted(_SHIPPED_SELECT)) from exc
    sel = dict(_SHIPPED_SELECT.get(dataset, {}))
    sel.update(select or {})
    sel = {k: v for k, v in sel.items() if k in frame.columns}
    try:  # the demand is optional: a source tree without the rounds still projects capital
        rounds = load_dataset("crunchbase2013_us_rounds")
        notes = ["later-stage demand: CrunchBase Oct-2013 US biotech rounds (USD, current "
                 "prices of their years)"]
    except (FundgapError, OSError):
        rounds, notes = None, []
    b = make_baseline(frame, rounds=rounds, select=sel, start_year=start_year,
                      regions=regions, biotech_only=True, groups=groups)
    b.notes.extend(notes)
    b.notes.append(f"capital from the shipped dataset {dataset!r}")
    if not b.fund_sizes:
        b.notes.append("no regional fund-size distribution is shipped (the CrunchBase 2013 funds "
                       "lack the manager's country): pass fund_sizes= or funds= for capacity "
                       "outputs")
    return b


def published_fund_sizes(published: pd.DataFrame, *, pair: str | None = None,
                         unit: str = "USD_M",
                         regions: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
    """Typical fund sizes by region from the published figures, as point "distributions".

    No regional fund-size distribution is shipped; this takes one published pair of
    typical fund sizes (default: the European Commission's 2017 average VC fund size of
    the EU and the US, the only pair from one source and one year; see
    :data:`fundgap.models.fundcase.PUBLISHED_FUND_CASES`) and returns
    ``{region: array([size])}`` for ``fund_sizes=`` of :func:`make_baseline` /
    :func:`~fundgap.scenarios.project`, converted to ``unit`` at the ECB annual
    average rate of the figure's year. With one value per region every fund-size
    quantile is that value, and the ``n_funds`` outputs become an index (1 = start).

    Parameters
    ----------
    published : DataFrame
        The ``published_figures`` table.
    pair : str, optional
        The ``pair`` label of the cases to use (default: the first pair).
    unit : {"USD_M", "EUR_M"}
    regions : dict, optional
        Case side -> scenario region (default ``{"EU": "EU27", "US": "US"}``).

    Returns
    -------
    (dict, str)
        The fund sizes and a note describing them (source, year, statistic, caveats).

    Examples
    --------
    >>> import pandas as pd
    >>> pub = pd.DataFrame({"code": 12, "metric": "Average VC fund size",
    ...     "region": ["EU", "US"], "region_code": ["EU28", "US"], "year": 2017,
    ...     "value": [56.0, 156.0], "unit": "EUR m", "source": "synthetic"})
    >>> sizes, note = published_fund_sizes(pub, unit="EUR_M")
    >>> {k: v.tolist() for k, v in sizes.items()}
    {'EU27': [56.0], 'US': [156.0]}
    """
    from fundgap.models.fundcase import PUBLISHED_FUND_CASES
    from fundgap.normalise import convert_currency

    if unit not in ("USD_M", "EUR_M"):
        raise FundgapError("published fund sizes can be given in USD_M or EUR_M",
                           argument="unit", value=unit, expected=["USD_M", "EUR_M"])
    pair = pair or PUBLISHED_FUND_CASES[0]["pair"]
    cases = [c for c in PUBLISHED_FUND_CASES if c["pair"] == pair]
    if not cases:
        raise FundgapError("unknown published fund-size pair", argument="pair", value=pair,
                           expected=sorted({c["pair"] for c in PUBLISHED_FUND_CASES}))
    regions = regions or {"EU": "EU27", "US": "US"}
    code = pd.to_numeric(published["code"], errors="coerce").to_numpy()
    rcode = published["region_code"].astype("object").to_numpy()
    year = pd.to_numeric(published["year"], errors="coerce").to_numpy()
    out, parts = {}, []
    for c in cases:
        hit = np.flatnonzero((code == c["code"]) & (rcode == c["region_code"])
                             & (year == c["year"]))
        if len(hit) != 1 or c["side"] not in regions:
            raise FundgapError("published fund-size case not found once in published",
                               argument="published", column="code", value=(c["code"], c["region_code"], c["year"]))
        row = published.iloc[int(hit[0])]
        cur = {"EUR m": "EUR", "USD m": "USD"}.get(str(row["unit"]))
        if cur is None:
            raise FundgapError("a published fund size must be in 'EUR m' or 'USD m'",
                               argument="published", column="unit", value=row["unit"])
        to = unit[:3]
        v = float(row["value"])
        if cur != to:
            v = float(convert_currency(pd.Series([v]), cur, pd.Series([int(row["year"])]),
                                       to=to).iloc[0])
        out[regions[c["side"]]] = np.array([v])
        parts.append(f"{regions[c['side']]}: {row['metric']} {row['region']} "
                     f"{float(row['value']):g} {row['unit']} ({int(row['year'])}) = {v:.1f} "
                     f"{unit} [{row.get('source', '')}]")
    note = ("fund sizes: published point values, not distributions (" + "; ".join(parts)
            + "); converted at the ECB annual average rate of the figure's year, prices of that "
            "year; every fund-size quantile equals the point value and n_funds is an index "
            "(1 = start year)")
    return out, note


def resolve_baseline(baseline: Any = None, places: Sequence[str] = (),
                     groups: Mapping[str, Sequence[str]] | None = None) -> Baseline:
    """The Baseline a projection of ``places`` starts from.

    A Baseline is used as given; a frame or result goes through :func:`make_baseline`
    and a dataset name (or None: ``"oecd_vc"``) through :func:`shipped_baseline`, in
    both cases with the rows of the countries, groups and EU-27 complements among
    ``places`` (built from the country rows).
    """
    if isinstance(baseline, Baseline):
        return baseline
    g = resolve_groups(groups)
    regions = None
    if len(g) or any(check_place(p, g) != "region" for p in places):
        regions = tuple(dict.fromkeys(places))
    if baseline is None or isinstance(baseline, str):
        if regions is None:
            return shipped_baseline(baseline or "oecd_vc")
        return shipped_baseline(baseline or "oecd_vc", regions=regions, groups=g)
    if regions is None:
        return make_baseline(baseline)
    return make_baseline(baseline, regions=regions, groups=g)
