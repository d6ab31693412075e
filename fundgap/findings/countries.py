"""Findings on single countries and groups: Belgium and the coalition against the US and the EU-27.

The seeds' questions (issue 18), on the OECD table by stage, in money and as a share
of GDP, latest year and the mean of the latest ``window`` years
(:func:`fundgap.models.country_comparison`), and x``multiple`` in ``horizon`` years
for the coalition alone, against the US (flat and on its trend) and against the
rest of the EU-27 (:func:`fundgap.project` with ``region="coalition"``).

A group is the sum of the members with data; a row whose group misses a member in
any year of its period is ``indicative`` and says which member is missing, never a
silent partial sum. A group's share of GDP divides by the GDP the OECD itself uses
(the shipped ``gdp_oecd``, recovered from the OECD's USD and %-of-GDP rows), which
covers Norway; the World Bank table ``gdp_usd`` has no Norway and would leave the
coalition at five of six members. Per-capita depth (USD per inhabitant, current US
dollars, exchange-rate converted, as the OECD's money rows) divides each place's money
by its members' population: by default the shipped World Bank table
``population_wb`` (SP.POP.TOTL; every EU member, Norway and the US), or the frame
passed as ``population=``; ``population=False`` leaves per capita out (one
``not_available`` finding).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._inputs import vintage_of
from fundgap.findings._rules import money, pct

__all__ = ["country_findings"]

#: EU members absent from the OECD table in every year (the EU-27 of the OECD is 25 members).
OECD_ABSENT = {"CY", "MT"}
NAMES = {"BE": "Belgium", "coalition": "the coalition", "EU27": "the EU-27", "US": "the US"}


def _name(code: str, groups: Mapping[str, Sequence[str]]) -> str:
    if code in NAMES:
        return NAMES[code]
    if code in groups:
        return f"the group '{code}'"
    if code.startswith("EU27_excl_"):
        return "the rest of the EU-27"
    return code


def _members(groups: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{g} = {', '.join(m)}" for g, m in groups.items())


def country_findings(ctx: Context, groups: Mapping[str, Sequence[str]],
                     countries: Sequence[str] = ("BE",), population: Any = None
                     ) -> None:
    """Country and group comparisons by stage (money, share of GDP, per capita), x5 per group."""
    import fundgap

    s = ctx.inputs.series
    if s is None or "country" not in s.columns or not (s["source"].astype(str) == "oecd").any():
        ctx.add(Finding("countries.not_available", "countries",
                        "The series given have no country rows by stage; the OECD table "
                        "(shipped as oecd_vc) answers Belgium and the coalition against the US.",
                        source=ctx.inputs.labels.get("series", ""), status="not_available"))
        return
    pairs = []
    for g in [*dict.fromkeys(countries), *groups]:
        pairs += [(g, "US"), (g, "EU27")]
    try:
        res = fundgap.country_comparison(s, groups=dict(groups), pairs=pairs,
                                         window=ctx.options.window, source="oecd", gdp="oecd",
                                         population=population)
    except FundgapError as exc:
        ctx.notes.append(f"countries not compared: {exc}")
        return
    ctx.results["country_comparison"] = res
    first_group = next(iter(groups), None)
    frame = res.to_frame()
    # the group's headline: per inhabitant where population is known (a group of six
    # countries against the US in money measures mostly their size), else money
    head_unit = next((u for u in ("USD_per_person", "USD_M") if (frame["unit"] == u).any()),
                     None)
    for row in frame.itertuples(index=False):
        rank = 12 if (row.region == first_group and row.against == "US"
                      and row.stage_group == "all" and row.unit == head_unit
                      and row.statistic == "latest") else None
        ctx.add(_row_finding(row, groups, rank))
    if population is False:
        ctx.add(Finding("countries.per_capita.not_available", "countries",
                        "Venture capital per inhabitant of "
                        + ", ".join(_name(p, groups) for p in dict.fromkeys(
                            [*countries, *groups, "US", "EU27"]))
                        + " is not computed: population=False; leave it out (the shipped "
                          "World Bank population_wb) or pass a table (iso2, year, persons).",
                        source="OECD", status="not_available",
                        caveat="per capita = members' USD x 1e6 / members' population, the "
                               "members present that year (country_comparison)"))
    for g in groups:
        _x5_group(ctx, g, groups)


def _row_finding(row, groups, rank: int | None) -> Finding:
    a, b = _name(row.region, groups), _name(row.against, groups)
    latest = row.statistic == "latest"
    status = _row_status(row)
    period_note = "" if latest else f"; window of {row.n_years} years"
    per_person = row.unit.endswith("_per_person")
    return Finding(
        f"countries.{row.region}_{row.against}.{row.stage_group}.{row.unit.lower()}."
        f"{row.statistic}", "countries", _row_text(row, a, b, latest)
        + ("; population: World Bank" if per_person else "") + f"; OECD{period_note}).",
        region=str(row.region), against=str(row.against), stage_group=str(row.stage_group),
        year=str(row.period), value=float(row.ratio), unit="ratio",
        ci_low=float(row.ratio_low) if not latest else np.nan,
        ci_high=float(row.ratio_high) if not latest else np.nan,
        n=int(row.n_years) if pd.notna(row.n_years) else None,
        source="OECD; World Bank WDI SP.POP.TOTL (population)" if per_person else "OECD",
        table=str(row.table), vintage=vintage_of("oecd"), status=status,
        caveat=_row_caveat(row, a, b, status), headline_rank=rank)


def _row_text(row, a: str, b: str, latest: bool) -> str:
    """The sentence of a country comparison, up to its source."""
    stage = "all stages" if row.stage_group == "all" else f"the {row.stage_group} stage"
    when = f"In {row.period}" if latest else f"Over {row.period} (mean of the annual ratios)"
    if row.unit.endswith("_per_person"):
        cur = row.unit[:-len("_per_person")]
        return (f"{when} venture capital per inhabitant at {stage} in {a} was {pct(row.ratio)} "
                f"of {b}'s ({row.region_value:,.1f} against {row.against_value:,.1f} {cur} "
                "per inhabitant, current prices, exchange-rate converted"
                + ("" if latest else ", a year on average"))
    if row.unit == "PCT_GDP":
        return (f"{when} venture capital at {stage} in {a} was {pct(row.ratio)} of "
                f"{b}'s as a share of GDP ({row.region_value:.3f}% against "
                f"{row.against_value:.3f}% of GDP")
    return (f"{when} venture capital invested at {stage} in {a} was {pct(row.ratio)} of "
            f"{b}'s ({money(row.region_value)} against {money(row.against_value)}"
            + ("" if latest else " a year on average"))


def _row_status(row) -> str:
    """not_available, indicative (members missing beyond the OECD's known coverage, or a
    flag), robust (below or above 1 in every year of the window) or no_clear_difference."""
    flag = str(row.flag or "")
    # the EU-27 of the OECD is always 25 members (no Cyprus, Malta): documented coverage, as in
    # the totals; any other missing member makes a partial sum, which is only indicative
    gaps = {m for m in str(row.region_members_missing or "").split(",") if m}
    gaps |= {m for m in str(row.against_members_missing or "").split(",") if m} - OECD_ABSENT
    if flag.startswith("not_available"):
        return "not_available"
    if gaps or (flag and flag != "members_missing"):
        return "indicative"
    if np.isfinite(row.ratio_high) and (row.ratio_high < 1 or row.ratio_low > 1):
        return "robust"
    return "no_clear_difference"


def _row_caveat(row, a: str, b: str, status: str) -> str:
    flag = str(row.flag or "")
    missing = ", ".join(x for x in (str(row.region_members_missing or ""),
                                    str(row.against_members_missing or "")) if x)
    caveat = (f"members: {a} = {row.region_members}; {b} = {row.against_members}. "
              + (f"Missing in some year: {missing} (flag {flag}). " if missing or flag else "")
              + "OECD market statistics (Invest Europe's fund-reported figures for European "
                "countries, NVCA/PitchBook for the US); the OECD has no Cyprus or Malta. "
              + ("Status rule: below (or above) 1 in every year of the window."
                 if status in ("robust", "no_clear_difference") else ""))
    return caveat.strip()


def _x5_group(ctx: Context, group: str, groups: Mapping[str, Sequence[str]]) -> None:
    """The group alone grows x``multiple``: against the US and the rest of the EU-27."""
    import fundgap
    from fundgap.scenarios import Counterfactual

    o = ctx.options
    path = fundgap.growth_path(o.multiple, o.horizon)
    runs = {"flat": Counterfactual(us_growth=0.0, other_growth=0.0),
            "trend": Counterfactual(trend_years=o.trend_years)}
    rest = f"EU27_excl_{group}"
    out = {}
    for name, cf in runs.items():
        try:
            r = fundgap.project(None, path, region=group, groups=dict(groups), horizon=o.horizon,
                                lever=o.lever, counterfactual=cf)
        except FundgapError as exc:
            ctx.notes.append(f"x5 for {group} ({name}) not projected: {exc}")
            return
        f = r.to_frame()
        f = f[(f["region"].astype(str) == group) & (f["stage_group"].astype(str) == "all")]
        out[name] = {v: (float(f.loc[(f["variable"] == v) & (f["t"] == 0), "value"].iloc[0]),
                         float(f.loc[(f["variable"] == v) & (f["t"] == f["t"].max()),
                                     "value"].iloc[0]), int(f["year"].max()))
                     for v in ("ratio_to_US", f"ratio_to_{rest}") if (f["variable"] == v).any()}
    a = _name(group, groups)
    for other, label in (("US", "the US"), (rest, "the rest of the EU-27")):
        v = f"ratio_to_{other}"
        if v not in out.get("flat", {}) or v not in out.get("trend", {}):
            continue
        start, flat, end = out["flat"][v]
        _, trend, _ = out["trend"][v]
        ctx.add(Finding(
            f"x5.{group}_{'us' if other == 'US' else 'rest_eu27'}.all", "countries",
            f"If {a} alone grows its venture capital x{o.multiple:g} in {o.horizon} years, it goes "
            f"from {pct(start)} of {label} to {pct(flat)} by {end} with {label} flat, or to "
            f"{pct(trend)} with {label} on its {o.trend_years}-year trend (all stages).",
            region=group, against=other, year=str(end), value=flat, unit="ratio",
            source="fundgap project() on the OECD baseline", vintage=vintage_of("oecd"),
            status="indicative",
            caveat=f"a projection; {_members(groups)}; the rest of the EU-27 is the EU-27 "
                   "members outside the group", headline_rank=None))
