"""The same gap from several sources, side by side, never blended.

:func:`compare_sources` runs :func:`~fundgap.models.gap` once per source (its own
measure, unit and table where sources label them differently) and stacks the rows,
each naming its source. Sources measure different things (fund-reported market
statistics vs deal databases) and differ several-fold; fundgap never adds or
averages them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._common import check_columns, check_frame, place_meta, with_places
from fundgap.models.gap import SOURCE_TABLES, GapResult, _distinct, gap

__all__ = ["SourceComparisonResult", "compare_sources"]


class SourceComparisonResult(GapResult):
    """Result of :func:`compare_sources`: :class:`GapResult` rows of several sources.

    Each row keeps its ``source``; :meth:`side_by_side` puts one metric of each
    source in its own column. Sources are never added or averaged together.
    """

    kind = "source_comparison"

    def _key_table(self) -> pd.DataFrame:
        """The latest ten years of the ratio, one column per source."""
        side = self.side_by_side("ratio").tail(10).reset_index()
        side.columns = [str(c) for c in side.columns]
        side["year"] = side["year"].astype("Int64")
        return side

    def side_by_side(self, metric: str = "ratio") -> pd.DataFrame:
        """Years as rows, one column per source, for one yearly metric."""
        f = self._frame[(self._frame["metric"] == metric) & self._frame["year"].notna()]
        return f.pivot_table(index="year", columns="source", values="estimate",
                             aggfunc="first")



def compare_sources(
    series: pd.DataFrame,
    *,
    base: str = "US",
    against: str = "EU27",
    measure: str | Mapping[str, str] = "vc_invested",
    sources: Sequence[str] | None = None,
    unit: str | Mapping[str, str] = "USD_M",
    table: str | Mapping[str, str] | None = None,
    stage_group: str = "all",
    sector: str = "all",
    years: Any = None,
    period: tuple[int, int] | None = None,
    gdp: pd.DataFrame | None = None,
    ci: float = 0.95,
    aggregate_countries: bool = False,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> SourceComparisonResult:
    """The same gap metric from each source, side by side, never blended.

    Parameters
    ----------
    series : DataFrame
        Canonical long series holding several sources.
    base, against : str
    measure, unit, table : str or mapping source -> str
        Per-source names when sources label the same concept differently. A source
        that holds several tables of the measure and has no ``table`` given uses its
        default from :data:`SOURCE_TABLES` (NCSES: ``"SINV-31"``), recorded in
        ``meta["tables"]``; other multi-table sources must be given one, e.g.
        ``table={"ncses": "S8-62"}``.
    sources : sequence of str, optional
        Sources to compare (default: every source with rows for the selection).
    stage_group, sector, years, period, gdp, ci, aggregate_countries, groups
        As in :func:`gap` (a group is summed within each source, never across).

    Returns
    -------
    SourceComparisonResult
        The rows of :func:`gap` for each source, each naming its source;
        ``meta["skipped"]`` lists sources without usable rows and why.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"source": ["ncses"] * 2 + ["oecd"] * 2, "region": ["US", "EU27"] * 2,
    ...     "country": None, "sector": "all", "stage_group": "all", "measure": "vc_invested",
    ...     "year": 2022, "value": [247925.0, 61911.0, 200.0, 20.0], "unit": "USD_M"})
    >>> compare_sources(s).side_by_side("ratio").round(3)
    source  ncses  oecd
    year
    2022    0.25   0.1
    """
    check_frame(series, "series")
    check_columns(series, ["source"], "series")
    series, places = with_places(series, groups, {"base": base, "against": against})
    names = list(sources) if sources is not None else _distinct(series, "source")
    shared = {"base": base, "against": against, "stage_group": stage_group, "sector": sector,
              "years": years, "period": period, "gdp": gdp, "ci": ci,
              "aggregate_countries": aggregate_countries}
    frames, skipped, used_tables = [], {}, {}
    for s in names:
        tab, why = _table_of(series, s, _pick(table, s), _pick(measure, s))
        if why:
            skipped[s] = why
            continue
        if tab is not None:
            used_tables[s] = tab
        try:
            res = gap(series, measure=_pick(measure, s), source=s, table=tab,
                      unit=_pick(unit, s), **shared)
        except FundgapError as exc:
            skipped[s] = _skip_reason(series, s, exc)
            continue
        frames.append(res.to_frame().assign(source=s))
    if not frames:
        raise FundgapError("no source has rows for this selection: "
                           + "; ".join(f"{k}: {v}" for k, v in skipped.items()),
                           argument="sources", value=sorted(skipped) or None, expected=names)
    meta = {"base": base, "against": against, "sources": [s for s in names if s not in skipped],
            "tables": used_tables or None,
            "note": "each row belongs to one source; values are never added across sources"}
    if skipped:
        meta["skipped"] = skipped
    place_meta(meta, places)
    return SourceComparisonResult(pd.concat(frames, ignore_index=True),
                                  title=f"{against} vs {base} by source", meta=meta)


def _pick(value: Any, source: str) -> Any:
    """A per-source option: the mapping's entry for ``source``, or the one value."""
    return value.get(source) if isinstance(value, Mapping) else value


def _table_of(series: pd.DataFrame, source: str, table: str | None,
              measure: str | None) -> tuple[str | None, str | None]:
    """The table to read of ``source`` (given, the only one, or its default) or why none."""
    if table is not None or "table" not in series.columns:
        return table, None
    rows = series["source"].astype("object") == source
    if "measure" in series.columns and measure is not None:
        rows &= series["measure"].astype("object") == measure
    avail = _distinct(series[rows.to_numpy()], "table")
    if len(avail) <= 1:
        return None, None
    if SOURCE_TABLES.get(source) in avail:
        return SOURCE_TABLES[source], None
    return None, (f"source {source!r} holds several tables {avail} and has no default "
                  f"table: pass table={{{source!r}: {avail[0]!r}}} (or another of {avail})")


def _skip_reason(series: pd.DataFrame, source: str, exc: FundgapError) -> str:
    msg = str(exc)
    if "table" in msg and "table" in series.columns:
        avail = _distinct(series[series["source"].astype("object") == source], "table")
        msg += f"; pass table={{{source!r}: one of {avail}}}"
    return msg
