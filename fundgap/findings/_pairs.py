"""Two regions' yearly values from one source and table, read through :func:`fundgap.gap`.

Every comparison of aggregate statistics in the findings goes through
:func:`pair`: one source, one table, one stage, sector, measure and unit, never a
blend. The :class:`~fundgap.models.GapResult` it used is kept in the context's
results under ``"gap:<source>:<table>:<against>/<base>:<stage>:<sector>"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings._context import Context
from fundgap.findings._inputs import SOURCE_NAMES, vintage_of
from fundgap.findings._rules import direction_status, window_text

__all__ = ["Pair", "pair"]


@dataclass
class Pair:
    """Yearly values of two regions (``against`` over ``base``) from one source table."""

    source: str
    table: str
    base: str
    against: str
    stage_group: str
    sector: str
    unit: str
    yearly: pd.DataFrame  # index year; columns base_value, against_value, ratio

    @property
    def latest(self) -> int:
        """The latest year both regions report."""
        return int(self.yearly.index.max())

    def window(self, k: int) -> pd.DataFrame:
        """The latest ``k`` years both regions report (fewer if the table is shorter)."""
        return self.yearly.sort_index().tail(int(k))

    def status(self, k: int) -> str:
        """The direction rule over the latest ``k`` years (see :mod:`._rules`)."""
        return direction_status(self.window(k)["ratio"].tolist())

    @property
    def source_name(self) -> str:
        """The publisher as a reader knows it."""
        return SOURCE_NAMES.get(self.source, self.source)

    @property
    def cite(self) -> str:
        """``"OECD venture capital statistics"`` / ``"NCSES table SINV-31"``."""
        if self.source == "ncses":
            return f"NCSES table {self.table}"
        if self.source == "oecd":
            return "OECD venture capital statistics"
        return f"{self.source_name} {self.table}".strip()

    @property
    def vintage(self) -> str:
        """When the publisher's data were drawn."""
        return vintage_of(self.source, self.table)

    def years_text(self, k: int) -> str:
        """The window as text."""
        return window_text(self.window(k).index.tolist())


def pair(ctx: Context, *, source: str, table: str | None, against: str, base: str = "US",
         stage_group: str = "all", sector: str = "all", measure: str = "vc_invested",
         unit: str = "USD_M") -> Pair | None:
    """The yearly values of ``against`` and ``base`` in one source table, or None.

    None when the series do not hold both regions for this selection (the caller
    then writes a ``not_available`` finding or skips the comparison).
    """
    import fundgap

    series = ctx.inputs.series
    if series is None or not len(series):
        return None
    kw = {"table": table} if table else {}
    try:
        res = fundgap.gap(series, base=base, against=against, measure=measure, source=source,
                          stage_group=stage_group, sector=sector, unit=unit,
                          aggregate_countries=unit.endswith("_M"), **kw)
    except FundgapError:
        return None
    key = f"gap:{source}:{table or ''}:{against}/{base}:{stage_group}:{sector}:{unit}"
    ctx.results[key] = res
    y = res.yearly()
    if not {"base_value", "against_value", "ratio"} <= set(y.columns):
        return None
    y = y.reset_index()
    y = pd.DataFrame({"year": pd.to_numeric(y["year"]).astype("int64"),
                      "base_value": y["base_value"].astype("float64"),
                      "against_value": y["against_value"].astype("float64"),
                      "ratio": y["ratio"].astype("float64")}).set_index("year").sort_index()
    y = y[np.isfinite(y["ratio"])]
    if not len(y):
        return None
    tables = res.to_frame()["table"].dropna().astype(str).unique() \
        if "table" in res.to_frame() else []
    used = table or (tables[0] if len(tables) == 1 else "")
    return Pair(source, used, base, against, stage_group, sector, unit, y)
