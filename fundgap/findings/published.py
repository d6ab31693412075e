"""Published headline figures set beside fundgap's own, like for like only.

A published figure is compared with a fundgap statistic only when all four agree:

1. **statistic**: an annual value with the same year, or an average over the
   same window when the publication states an average;
2. **region**: the same region definition (EU-27 is not the EU of 28, nor "Europe");
3. **sector and stage**: the same (biotech is not "biopharma"; all stages with all);
4. **source family**: deal-based data (PitchBook and the tables built on it: NCSES,
   NVCA, SVB, KPMG's Venture Pulse; Dealroom, Crunchbase) against deal-based,
   fund-reported statistics (Invest Europe, the OECD's European figures) against
   fund-reported. The OECD compiles national sources: Invest Europe for European
   countries, NVCA/PitchBook for the US, so its US rows count as deal-based.

A like-for-like pair is ``reproduced`` when the relative difference is within 10 %,
else ``differs``; every other published figure is ``not_like_for_like``, with the
first condition that fails as the reason (and fundgap's nearest value, for context,
when it has one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._inputs import PUBLISHED, vintage_of

__all__ = ["TOLERANCE", "compare_published", "published_findings"]

#: Largest relative difference of a reproduced figure.
TOLERANCE = 0.10

_DEAL = re.compile(r"pitchbook|nvca|ncses|\bsvb\b|dealroom|crunchbase|venture pulse", re.I)
_FUND = re.compile(r"invest europe|\bevca\b|\boecd\b", re.I)
_MONEY = {"USD bn": ("USD", 1e-3), "USD m": ("USD", 1.0), "EUR bn": ("EUR", 1e-3),
          "EUR m": ("EUR", 1.0)}
_INVESTED = re.compile(r"vc invested|vc investment|deal value|biotech vc investment", re.I)
_SECTORS = ((re.compile(r"biopharma", re.I), "biopharma"),
            (re.compile(r"life.?sci", re.I), "life_sciences"),
            (re.compile(r"biotech", re.I), "biotech"))
#: Deal-based NCSES tables by sector, in order of preference.
_NCSES_TABLES = {"all": ("SINV-31", "S8-62"), "biotech": ("SKTI-24",)}


def family_of(source: str, flag: str = "") -> str:
    """The source family of a published figure: deal-based, fund-reported or unknown.

    The ``source`` text decides; the ``flag`` note only when the source names neither.

    Examples
    --------
    >>> family_of("NVCA 2023 Yearbook (PitchBook data)"), family_of("Invest Europe")
    ('deal-based', 'fund-reported')
    >>> family_of("IMF WP", "another summary of NCSES data gives the same"), family_of("EC")
    ('deal-based', 'unknown')
    """
    for text in (source or "", flag or ""):
        if _FUND.search(text) and not _DEAL.search(text):
            return "fund-reported"
        if _DEAL.search(text):
            return "deal-based"
    return "unknown"


@dataclass
class _Lookup:
    """Aggregate money values by (source, table, region, stage, sector, year), USD million."""

    values: dict
    gdp: dict

    @classmethod
    def build(cls, series: pd.DataFrame, gdp: pd.DataFrame | None) -> _Lookup:
        s = series[(series["measure"].astype(str) == "vc_invested")
                   & (series["unit"].astype(str) == "USD_M")]
        single = {"US": "US", "CN": "CN", "UK": "GB"}
        reg = s["region"].astype("object")
        agg = (s["country"].isna() | (s["country"].astype("object") == reg.map(single))).fillna(
            False)
        s = s[agg.to_numpy(dtype=bool)]
        values = {}
        for row in zip(s["source"].astype(str), s["table"].astype(str), s["region"].astype(str),
                       s["stage_group"].astype(str), s["sector"].astype(str),
                       pd.to_numeric(s["year"]).astype(int), s["value"].astype(float), strict=True):
            values.setdefault(row[:6], row[6])
        g = {}
        if gdp is not None:
            for iso, agg_code, year, v in zip(gdp["iso2"].astype(str), gdp["aggregate"].astype(str),
                                              gdp["year"], gdp["gdp_usd_m"], strict=True):
                code = agg_code if agg_code not in ("", "nan", "<NA>") else iso
                g[(code, int(year))] = float(v)
        return cls(values, g)

    def candidates(self, region: str, stage: str, sector: str) -> list[tuple[str, str, str]]:
        """(family, source, table) that hold this cell, deal-based first."""
        out = []
        if stage == "all":
            out += [("deal-based", "ncses", table) for table in _NCSES_TABLES.get(sector, ())]
        if sector == "all":
            fam = "deal-based" if region == "US" else "fund-reported"
            out.append((fam, "oecd", "DSD_VC@DF_VC_INV"))
        return out

    def get(self, source: str, table: str, region: str, stage: str, sector: str,
            year: int) -> float | None:
        return self.values.get((source, table, region, stage, sector, int(year)))


def _money(value_usd: float, unit: str, year: int) -> float:
    from fundgap.normalise import convert_currency

    cur, scale = _MONEY[unit]
    v = value_usd
    if cur == "EUR":
        v = float(convert_currency(pd.Series([v]), "USD", pd.Series([int(year)]), to="EUR").iloc[0])
    return v * scale


def _sector_of(metric: str) -> str:
    for pattern, sector in _SECTORS:
        if pattern.search(metric):
            return sector
    return "all"


def _compare_one(row: pd.Series, look: _Lookup) -> dict:
    fig = _Figure.of(row)
    out = {"published_family": fig.family, "sector": fig.sector, "window": fig.window,
           "statistic": fig.statistic}
    reason = fig.not_comparable()
    if reason:
        return {**out, "reason": reason}
    cands = look.candidates(fig.region, fig.stage, fig.sector)
    if not cands:
        return {**out, "reason": f"no fundgap series for region {fig.region}, stage "
                                 f"{fig.stage}, sector {fig.sector}"}
    context = None
    for fam, src, table in cands:
        value, why = _value_of(fig, look, src, table)
        if value is None:
            context = context or (fam, src, table, None, why)
            continue
        if fam != fig.family:
            context = context or (fam, src, table, value,
                                  f"source family: the figure is {fig.family}, fundgap's "
                                  f"{src.upper()} {table} is {fam}")
            continue
        diff = value / float(row["value"]) - 1
        verdict = "reproduced" if abs(diff) <= TOLERANCE else "differs"
        reason = "" if verdict == "reproduced" else _why_differs(src, table, fig.metric)
        return {**out, "fundgap_value": value, "fundgap_source": src, "fundgap_table": table,
                "fundgap_family": fam, "relative_difference": diff, "verdict": verdict,
                "reason": reason}
    fam, src, table, value, reason = context if context else ("", "", "", None, "no series")
    return {**out, "fundgap_value": value, "fundgap_source": src, "fundgap_table": table,
            "fundgap_family": fam, "reason": reason}


@dataclass(frozen=True)
class _Figure:
    """A published figure as the comparison reads it."""

    metric: str
    unit: str
    region: str | None
    stage: str
    start: int
    year: int
    family: str
    sector: str

    @classmethod
    def of(cls, row: pd.Series) -> _Figure:
        region = row.get("region_code")
        year = int(row["year"])
        metric = str(row["metric"])
        return cls(metric, str(row["unit"]), None if pd.isna(region) else str(region),
                   "all" if pd.isna(row.get("stage_group")) else str(row["stage_group"]),
                   int(row["year_start"]) if pd.notna(row.get("year_start")) else year, year,
                   family_of(str(row.get("source", "")), str(row.get("flag", "") or "")),
                   _sector_of(metric))

    @property
    def window(self) -> str:
        return f"{self.start}-{self.year}" if self.start != self.year else str(self.year)

    @property
    def statistic(self) -> str:
        if self.start == self.year:
            return "annual"
        return "average" if "average" in self.metric.lower() else "window"

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.year + 1))

    def not_comparable(self) -> str | None:
        """Why no fundgap statistic is like for like with the figure, or None."""
        if not _INVESTED.search(self.metric) or not (self.unit in _MONEY
                                                     or self.unit == "% of GDP"):
            return ("no fundgap statistic of this kind (fund sizes, counts, shares, growth "
                    "rates and multiples are not computed from the series)")
        if self.region is None:
            return "the region is not a defined region (e.g. 'US vs Europe')"
        if self.start != self.year and self.statistic != "average":
            return "a sum or span over years that is not stated as an average"
        if self.sector == "biopharma":
            return ("sector: 'biopharma' has no fundgap series (NCSES gives biotechnology, and "
                    "pharmaceuticals and biotechnology)")
        return None


def _value_of(fig: _Figure, look: _Lookup, src: str, table: str
              ) -> tuple[float | None, str | None]:
    """fundgap's value of the figure in one source table (mean over its years), or why none."""
    vals = [look.get(src, table, fig.region, fig.stage, fig.sector, y) for y in fig.years]
    if any(v is None for v in vals):
        have = [y for y, v in zip(fig.years, vals, strict=True) if v is not None]
        return None, (f"window: {src.upper()} {table} covers {have[0]}-{have[-1]} of "
                      f"{fig.window}" if have else
                      f"window: {src.upper()} {table} has no {fig.region} value for {fig.window}")
    if fig.unit == "% of GDP":
        gdp = [look.gdp.get((fig.region, y)) for y in fig.years]
        if any(g is None for g in gdp):
            return None, f"no GDP for {fig.region}"
        return float(np.mean([100 * v / g for v, g in zip(vals, gdp, strict=True)])), None
    return float(np.mean([_money(v, fig.unit, y)
                          for v, y in zip(vals, fig.years, strict=True)])), None


def _why_differs(source: str, table: str, metric: str) -> str:
    if source == "oecd":
        return ("OECD compiles national statistics (definitions and revisions differ from the "
                "publisher's own database)")
    return (f"same family, different vintage or scope: NCSES {table} drew PitchBook on its access "
            "date; PitchBook revises past years, and publishers differ on round types included")


def compare_published(series: pd.DataFrame, published: pd.DataFrame,
                      gdp: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each published figure beside fundgap's like-for-like statistic, with a verdict.

    Parameters
    ----------
    series : DataFrame
        Canonical series (the shipped OECD and NCSES tables, or the caller's).
    published : DataFrame
        The ``published_figures`` table.
    gdp : DataFrame, optional
        The ``gdp_usd`` reference table, for figures in % of GDP.

    Returns
    -------
    DataFrame
        One row per published figure: ``code``, ``metric``, ``region_code``,
        ``stage_group``, ``sector``, ``window``, ``statistic``, ``value``, ``unit``,
        ``published_family``, ``fundgap_value``, ``fundgap_source``, ``fundgap_table``,
        ``fundgap_family``, ``relative_difference``, ``verdict`` (reproduced / differs /
        not_like_for_like), ``reason``, ``source``, ``address``, ``flag``.
    """
    look = _Lookup.build(series, gdp)
    rows = []
    for _, row in published.iterrows():  # about 90 published rows
        res = _compare_one(row, look)
        rows.append({"code": row.get("code"), "metric": row.get("metric"),
                     "region_code": row.get("region_code"), "stage_group": row.get("stage_group"),
                     "value": row.get("value"), "unit": row.get("unit"), **res,
                     "source": row.get("source"), "address": row.get("address"),
                     "flag": row.get("flag")})
    out = pd.DataFrame(rows)
    for col in ("fundgap_value", "relative_difference"):
        if col not in out:
            out[col] = np.nan
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in ("fundgap_source", "fundgap_table", "fundgap_family", "verdict", "reason"):
        if col not in out:
            out[col] = None
    out["verdict"] = out["verdict"].fillna("not_like_for_like")
    order = ["code", "metric", "region_code", "stage_group", "sector", "window", "statistic",
             "value", "unit", "published_family", "fundgap_value", "fundgap_source",
             "fundgap_table", "fundgap_family", "relative_difference", "verdict", "reason",
             "source", "address", "flag"]
    return out[order]


def published_findings(ctx: Context) -> None:
    """Compare the published figures and write how many fundgap reproduces."""
    from fundgap.datasets import load_dataset

    pub = ctx.inputs.published
    if pub is None or not len(pub) or ctx.inputs.series is None:
        return
    table = compare_published(ctx.inputs.series, pub, load_dataset("gdp_usd"))
    ctx.tables["published_comparison"] = table
    like = table[table["verdict"] != "not_like_for_like"]
    rep = like[like["verdict"] == "reproduced"]
    for row in like.itertuples(index=False):
        ctx.add(Finding(
            f"published.{int(row.code)}.{row.region_code}.{row.window}.{row.stage_group}",
            "published",
            f"Published: {row.metric}, {row.region_code} {row.window}: {row.value:,.2f} "
            f"{row.unit} ({row.source}); fundgap ({str(row.fundgap_source).upper()} "
            f"{row.fundgap_table}): {row.fundgap_value:,.2f}, {100 * row.relative_difference:+.1f}%"
            f" - {row.verdict}.",
            region=str(row.region_code), stage_group=str(row.stage_group), sector=str(row.sector),
            year=str(row.window), value=float(row.relative_difference),
            unit="relative difference", source=str(row.source),
            table=f"{PUBLISHED} code {int(row.code)}",
            vintage=vintage_of(str(row.fundgap_source), str(row.fundgap_table)),
            status="robust" if row.verdict == "reproduced" else "indicative",
            caveat=str(row.reason or "") + f" Rule: within {TOLERANCE:.0%} is reproduced.",
            headline_rank=None))
    n_not = int((table["verdict"] == "not_like_for_like").sum())
    names = "; ".join(f"#{int(r.code)} {r.region_code} {r.window}" for r in rep.itertuples())
    ctx.add(Finding(
        "published.reproduced", "published",
        f"fundgap reproduces {len(rep)} of the {len(like)} published figures it can compute like "
        f"for like within {TOLERANCE:.0%} ({names or 'none'}); the other {n_not} published "
        "figures have no like-for-like statistic in the data (other window, region, sector or "
        "source family) and are listed with the reason.",
        value=float(len(rep)), unit="count", n=len(like), source=PUBLISHED,
        table="published_comparison", vintage="", status="robust" if len(like) else
        "not_available",
        caveat="like for like: same statistic and window, region, sector and stage, and source "
               "family (deal-based vs fund-reported)", headline_rank=14))
