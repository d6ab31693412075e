"""The workbook's data sheets, rendered from a :class:`~fundgap.findings.Findings` object.

Each ``section_*`` function reads the results and supporting tables the findings
were computed from (``findings.results``) and returns what the report writes:
sheets, tidy CSV tables and figure specifications. Nothing here computes a
statistic: tables are selected, renamed and pivoted for reading, no more. A
section whose input is missing raises :class:`Unavailable` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["SECTIONS", "Section", "Unavailable"]

PRICE_BASE_TEXT = "EUR million, {base} prices"


class Unavailable(Exception):
    """Raised inside a section when its input is not available; the report says why."""


@dataclass
class Section:
    """What one section adds to the report."""

    sheets: list[Any] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = field(default_factory=dict)
    method: list[tuple[str, str]] = field(default_factory=list)


def _need(results: dict[str, Any], key: str, why: str) -> Any:
    value = results.get(key)
    if value is None:
        raise Unavailable(why)
    return value


def _note(findings: Any, prefix: str) -> str:
    for note in findings.meta.get("notes", []):
        if str(note).startswith(prefix):
            return str(note)
    return ""


def _split_constant(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Drop columns holding one value in every row; return them as 'col = value' text."""
    const = [c for c in frame.columns
             if len(frame) > 1 and frame[c].nunique(dropna=False) == 1
             and c not in ("estimate", "value", "year", "metric")]
    text = "; ".join(f"{c} = {frame[c].iloc[0]}" for c in const) or "nothing"
    return frame.drop(columns=const), text


def _unit_word(code: str) -> str:
    from fundgap.report.excel import describe_unit

    return describe_unit(code, "current")


# ----------------------------------------------------------------------------- depth


def section_depth(f: Any, ctx: dict[str, Any]) -> Section:
    """Round sizes by region and stage group (and fine stage), with intervals."""
    from fundgap.report.excel import Chart, Sheet, Table

    res = _need(f.results, "depth", "no round-level data")
    frame = res.to_frame()
    unit = PRICE_BASE_TEXT.format(base=ctx["price_base"])
    src = f.meta["data"].get("rounds", "")
    note = _note(f, "round sizes:").removeprefix("round sizes: ")
    med = frame[frame["metric"] == "median"]
    wide = (med.assign(region=med["region"].astype(str), stage_group=med["stage_group"].astype(str))
            .pivot_table(index="stage_group", columns="region", values="estimate",
                         aggfunc="first", sort=False))
    order = [g for g in ("seed", "early", "later", "unknown") if g in wide.index]
    wide = wide.reindex(order).reset_index().rename(columns={"stage_group": "stage group"})
    wide.columns = [str(c) for c in wide.columns]
    regions = [c for c in wide.columns if c != "stage group"]
    charts = [Chart(x="stage group", y=regions, kind="bar", title="Median round size by stage "
                    "group", y_title=unit, table=0)] if len(wide) and regions else []
    money = {c: f"{unit} for money metrics" for c in ("estimate", "ci_low", "ci_high")}
    stage_frame = f.results["depth_by_stage"].to_frame()
    drop = [c for c in ("unit", "price_base") if c in frame]
    tables = [Table(wide, caption=f"Median round size ({unit})", units=unit),
              Table(frame.drop(columns=drop), units=money,
                    caption=f"All depth metrics by region and stage group; money in {unit}"),
              Table(stage_frame.drop(columns=[c for c in drop if c in stage_frame]), units=money,
                    caption=f"The same by fine stage (the funding ladder); money in {unit}")]
    lines = [("Data", f"{src}; {note}"),
             ("Units", f"{unit}; counts are numbers of rounds; shares are fractions 0-1"),
             ("Intervals", f"bootstrap percentile intervals ({int(100 * ctx['ci'])}%)")]
    unknown = frame[frame["metric"] == "share_unknown_stage"]
    if len(unknown):
        lines.append(("Rows in unknown stages", "; ".join(
            f"{r}: {100 * v:.1f}%" for r, v in zip(unknown["region"].astype(str),
                                                   unknown["estimate"]))))
    out = Section([Sheet("Depth by stage", title="Depth of capital by stage and region",
                         lines=lines, tables=tables, charts=charts)],
                  {"depth_by_stage_group": frame, "depth_by_stage": stage_frame})
    out.figures["depth_by_stage"] = (_fig_depth, (frame, unit, src, int(100 * ctx["ci"])))
    return out


def _fig_depth(frame: pd.DataFrame, unit: str, source: str, level: int) -> Any:
    from fundgap.report import figures

    regions = sorted(frame["region"].astype(str).unique())
    where = "by stage and region" if len(regions) > 1 else f"by stage, {regions[0]}"
    return figures.plot_depth(frame, metric="median", unit=unit, source=source,
                              title=f"Median biotech round size {where} ({level}% CI)")


# ----------------------------------------------------------------------------- compare


def section_compare(f: Any, ctx: dict[str, Any]) -> Section:
    """Round size relative to the base region by stage (regressions)."""
    from fundgap.report.excel import Sheet, Table

    res = _need(f.results, "compare_regions",
                _note(f, "regional regressions").removeprefix("regional regressions ")
                or "needs rounds from at least two regions")
    frame = res.to_frame()
    base = (res.meta or {}).get("base", "US")
    units = {c: f"ratio to {base}" for c in ("estimate", "ci_low", "ci_high")}
    return Section([Sheet(
        "Regional comparison", title=f"Round size relative to {base}, by stage (regressions)",
        lines=[("Data", f.meta["data"].get("rounds", "")),
               ("Units", f"ratios to {base} (1 = same size or count); log_ratio and se on the "
                         "log scale"),
               ("Models", "OLS of log round size on region x stage with year fixed effects "
                          "(robust SE); quantile regressions at the median and P90; a "
                          "negative binomial model of round counts")],
        tables=[Table(frame, units=units)])], {"compare_regions": frame})


# ----------------------------------------------------------------------------- gap


def _gap_frames(f: Any, against: str) -> pd.DataFrame | None:
    frames = [r.to_frame() for k, r in f.results.items()
              if k.startswith("gap:") and k.split(":")[3] == f"{against}/US"
              and k.endswith(":USD_M") and k.split(":")[5] == "all"]
    return pd.concat(frames, ignore_index=True) if frames else None


def _wide_by_source(frame: pd.DataFrame) -> pd.DataFrame:
    g = frame[(frame["metric"].astype(str) == "ratio") & frame["year"].notna()
              & (frame["stage_group"].astype(str) == "all")]
    g = g.assign(_s=g["source"].astype(str) + " " + g["table"].astype(str))
    wide = g.pivot_table(index="year", columns="_s", values="estimate", aggfunc="first")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().assign(year=lambda d: d["year"].astype("int64"))


def section_gap(f: Any, ctx: dict[str, Any]) -> Section:
    """The EU-27 / US gap over time, source by source, and China beside it."""
    from fundgap.report.excel import Chart, Sheet, Table

    frame = _gap_frames(f, "EU27")
    if frame is None:
        raise Unavailable("no source has EU27 and US rows")
    wide = _wide_by_source(frame)
    ys = [c for c in wide.columns if c != "year"]
    tables = [Table(wide, caption="EU27 venture capital as a share of the US (ratio EU27 / US, "
                                  "each source on its own; all stages)", units="ratio EU27 / US")]
    charts = [Chart(x="year", y=ys, title="EU27 VC as a share of US VC, by source",
                    y_title="ratio EU27 / US", table=0)]
    ladder = frame[frame["metric"].astype(str) == "cumulative_ratio"]
    if len(ladder):
        lad = ladder[["source", "table", "stage_group", "period", "estimate", "n"]].rename(
            columns={"estimate": "EU27 / US, cumulative", "n": "years"})
        tables.append(Table(lad, caption="The gap along the stage ladder: cumulative EU27 / US "
                                         "ratio over each source's years",
                            units={"EU27 / US, cumulative": "ratio"}))
    shown, same = _split_constant(frame.assign(unit=frame["unit"].astype(str).map(_unit_word)))
    tables.append(Table(shown, caption="Every gap metric, tidy; the same in every row: " + same,
                        csv_name="tables/gap.csv"))
    lines = [("Data", f.meta["data"].get("series", "")),
             ("Units", "ratio EU27 / US; money in USD million, current prices"),
             ("Rule", "sources are never mixed in one number")]
    out = Section(tables={"gap": frame})
    china = _gap_frames(f, "CN")
    if china is not None:
        tables.append(Table(_wide_by_source(china), units="ratio CN / US",
                            caption="China (incl. Hong Kong as the source reports it) as a share "
                                    "of the US, all stages"))
        lines.append(("China", "the sources with China rows only (the OECD table has no China)"))
        out.tables["gap_china"] = china
    out.sheets.append(Sheet("Gap over time", title="The EU27-US gap over time, source by source",
                            lines=lines, tables=tables, charts=charts))
    out.figures["gap_over_time"] = (_fig_gap, (frame,))
    return out


def _fig_gap(frame: pd.DataFrame) -> Any:
    from fundgap.report import figures

    g = frame[(frame["metric"].astype(str) == "ratio") & frame["year"].notna()
              & (frame["stage_group"].astype(str) == "all")]
    g = g.assign(source=g["source"].astype(str) + " " + g["table"].astype(str))
    return figures.plot_gap(g, value="estimate", hue="source", unit="ratio EU27 / US",
                            title="EU27 venture capital as a share of the US, by source",
                            source=", ".join(sorted(g["source"].unique()))
                            + " (each line one source, never blended)", reference=None)


def section_sources(f: Any, ctx: dict[str, Any]) -> Section:
    """The same metric from each source side by side."""
    from fundgap.report.excel import Chart, Sheet, Table

    res = _need(f.results, "compare_sources", _note(f, "sources not compared") or
                "the series hold one source only")
    frame = res.to_frame()
    side = res.side_by_side("ratio").reset_index()
    side.columns = [str(c) for c in side.columns]
    side = side.assign(year=side["year"].astype("int64"))
    ys = [c for c in side.columns if c != "year"]
    shown, same = _split_constant(frame.assign(unit=frame["unit"].astype(str).map(_unit_word)))
    tables = [Table(side, caption="EU27 / US ratio of VC invested, one column per source",
                    units="ratio EU27 / US"),
              Table(shown, caption="Every metric from each source (tidy); the same in every "
                                   "row: " + same)]
    charts = [Chart(x="year", y=ys, title="EU27 / US by source", table=0,
                    y_title="ratio EU27 / US")] if len(side) and ys else []
    return Section([Sheet("Sources compared", title="The same metric from each source, side "
                          "by side",
                          lines=[("Data", f.meta["data"].get("series", "")),
                                 ("Why they differ", "OECD compiles fund-reported market "
                                  "statistics for Europe; NCSES builds on PitchBook deal data. "
                                  "They differ several-fold, so fundgap shows each and never "
                                  "blends them.")],
                          tables=tables, charts=charts)], {"compare_sources": frame})


# ----------------------------------------------------------------------------- capacity


def section_capacity(f: Any, ctx: dict[str, Any]) -> Section:
    """Fund sizes and the rounds funds can lead; the published EU vs US case."""
    from fundgap.report.excel import Sheet, Table

    res = _need(f.results, "capacity", _note(f, "pooled fund capacity") or "no funds data")
    frame = res.to_frame()
    unit = "EUR million, current prices of each fund's vintage"
    tables, lines = [], [("Funds", f.meta["data"].get("funds", ""))]
    out = Section(tables={"capacity": frame})
    case = f.results.get("fund_case")
    if case is not None:
        cf, cm = case.to_frame(), case.meta
        out.tables["fund_case"] = cf
        tables.append(Table(
            cf, caption=("Regional fund-size case, EU vs US, from published typical fund sizes "
                         "(POINT VALUES - an average or a median - NOT distributions); levers at "
                         f"x{cm['multiple']:g}"),
            formats={"share_rounds_leadable": "0.0%", "share_capital_leadable": "0.0%",
                     "eur_per_unit": "0.0000"},
            note="Comparability: " + cm["caveats"]))
        lines.append(("Fund-size case", "published typical fund sizes by region: point values "
                      "(average / median), not distributions; each row names its source and "
                      "flag"))
    shown = frame.assign(unit=frame["unit"].astype(str).map(_unit_word))
    tables.append(Table(shown, caption=f"Fund capacity by fund pool; money in {unit}",
                        units={"estimate": "as in the unit column"}))
    lines.append(("Rule", "a fund of size F leads a round of at most max_position x F / "
                          "lead_share (defaults 0.15 and 0.5, so 0.3 x F)"))
    out.sheets.append(Sheet("Fund capacity", title="Fund sizes and the rounds funds can lead",
                            lines=lines, tables=tables))
    funds = ctx.get("funds")
    if funds is not None and "size_eur" in funds.columns:
        pool = "region" if "region" in funds.columns and funds["region"].notna().any() \
            else "fund_pool"
        fr = funds.assign(fund_pool="all funds") if pool == "fund_pool" else funds
        need = f.results.get("tables", {}).get("round_sizes_needed")
        out.figures["fund_sizes"] = (_fig_funds, (fr[[pool, "size_eur"]], pool, need,
                                                  f.meta["data"].get("funds", "")))
    return out


def _fig_funds(funds: pd.DataFrame, pool: str, need: pd.DataFrame | None, source: str) -> Any:
    from fundgap.models import lead_capacity
    from fundgap.report import figures

    if need is not None:
        need = need[need["label"].astype(str).str.startswith("median")]
        need = need.assign(fund_size_needed=need["size"] / float(lead_capacity(1.0)),
                           stage_group=need["stage_group"] + " (" + need["round_region"] + ")")
    return figures.plot_fund_sizes(funds, size="size_eur", hue=pool, needed=need, source=source)


# ----------------------------------------------------------------------------- scenario


def _fan_table(res: Any) -> tuple[pd.DataFrame, str]:
    frame = res.to_frame()
    fan = res.fan() if hasattr(res, "fan") else None
    src = fan if fan is not None and len(fan) else frame
    sub = src[(src["region"].astype(str) == "EU27") & (src["variable"].astype(str) ==
                                                       "ratio_to_US")]
    stages = sub["stage_group"].astype(str).unique().tolist()
    stage = next((s for s in ("later", "all", "early", "seed") if s in stages), None)
    if stage is None:
        raise Unavailable("the scenario has no EU27 / US ratio")
    sub = sub[sub["stage_group"].astype(str) == stage].sort_values("year")
    qcols = [c for c in sub.columns if c.startswith("q") and c[1:].isdigit()]
    wide = sub[["year", *qcols]].reset_index(drop=True) if qcols else \
        sub[["year", "value"]].rename(columns={"value": "central"}).reset_index(drop=True)
    if qcols:
        central = frame[(frame["region"].astype(str) == "EU27")
                        & (frame["variable"].astype(str) == "ratio_to_US")
                        & (frame["stage_group"].astype(str) == stage)][["year", "value"]]
        wide = wide.merge(central.rename(columns={"value": "central"}), on="year", how="left")
    what = "all stages" if stage == "all" else f"{stage} stage"
    return wide, f"EU27 capital as a share of US capital, {what} (ratio; fan = simulation quantiles)"


def section_scenario(f: Any, ctx: dict[str, Any]) -> Section:
    """x5 in ten years: the fan, the US counterfactuals, the sensitivity table."""
    from fundgap.report.excel import Chart, Sheet, Table

    res = _need(f.results, "scenario", "the scenario could not run")
    tabs = f.results.get("tables", {})
    frame = res.to_frame()
    meta = res.meta or {}
    o = ctx
    chart_table, label = _fan_table(res)
    ys = [c for c in chart_table.columns if c != "year"]
    tables = [Table(chart_table, caption=label)]
    charts = [Chart(x="year", y=ys, title=label, y_title="ratio EU27 / US",
                    dashed=[c for c in ys if c in ("q05", "q95", "q25", "q75")], table=0)]
    out = Section(tables={"scenario": frame})
    for key, caption in (
            ("us_counterfactuals", f"EU27/US capital ratio in {o['horizon']} years under each US "
                                   "counterfactual (deterministic runs; us_growth: the US growth "
                                   "rate a year)"),
            ("us_trend_check", "The US trends and their plausibility band (rates that keep US VC "
                               "within its historical range as a share of GDP)"),
            ("crossings", "First year each ratio crosses its threshold (US on its trend)"),
            ("sensitivity", "Sensitivity (tornado): each parameter at its low and high value, the "
                            f"others at base; outputs for EU27 in {o['horizon']} years")):
        t = tabs.get(key)
        if t is not None and len(t):
            tables.append(Table(t, caption=caption))
            out.tables[f"scenario_{key}"] = t
    trends = meta.get("trends") or {}
    lines = [("Path", f"compound growth to x{o['multiple']:g} in {o['horizon']} years "
                      f"({100 * (o['multiple'] ** (1 / o['horizon']) - 1):.2f}% a year)"),
             ("Lever", str(o["lever"])),
             ("US counterfactual", "log-linear OLS trend of each US stage fitted on the "
                                   f"{meta.get('trend_years') or 'history'} (trend window)"),
             ("US trends", "; ".join(f"{k}: {v}" for k, v in trends.items()) or "none"),
             ("Simulations", f"{o['n_sims']:,} (seed {o['seed']})")]
    long = res.to_long()
    out.tables["scenario_long"] = long
    out.sheets = [
        Sheet("Scenario", title=f"x{o['multiple']:g} in {o['horizon']} years ({o['lever']}): "
                                "EU27 against the US", lines=lines, tables=tables, charts=charts),
        Sheet("Scenario (long)", title="Scenario output in the long format of scenario modellers "
                                       "(model, scenario, region, variable, unit, year, value)",
              tables=[Table(long, csv_name="tables/scenario_long.csv")])]
    out.figures["scenario_fan"] = (_fig_fan, (
        chart_table, label, f"fundgap project(), x{o['multiple']:g} in {o['horizon']} years, "
        f"lever {o['lever']}, {o['n_sims']:,} simulations; baseline: "
        f"{meta.get('baseline_source', '')}"))
    return out


def _fig_fan(table: pd.DataFrame, label: str, source: str) -> Any:
    from fundgap.report import figures

    bands = [b for b in (("q05", "q95"), ("q25", "q75")) if set(b) <= set(table.columns)]
    median = "q50" if "q50" in table.columns else "central"
    return figures.plot_fan(table, median=median, bands=bands, unit="ratio EU27 / US",
                            title=label.split(" (")[0], label="EU27 / US", source=source)


# ----------------------------------------------------------------------------- published


def section_published(f: Any, ctx: dict[str, Any]) -> Section:
    """Published figures beside fundgap's like-for-like statistic, with a verdict."""
    from fundgap.report.excel import Sheet, Table

    t = f.results.get("tables", {}).get("published_comparison")
    if t is None:
        raise Unavailable("no published figures")
    counts = t["verdict"].value_counts()
    return Section([Sheet(
        "Published benchmarks", title="Published figures beside fundgap's, like for like",
        lines=[("Data", "shipped dataset published_figures"),
               ("Rule", "compared only when statistic and window, region, sector and stage, and "
                        "source family (deal-based vs fund-reported) agree; reproduced = within "
                        "10%"),
               ("Verdicts", ", ".join(f"{k}: {int(v)}" for k, v in counts.items()))],
        tables=[Table(t, units={"value": "unit as in the 'unit' column",
                                "fundgap_value": "unit as in the 'unit' column",
                                "relative_difference": "fundgap / published - 1"})])],
        {"published_benchmarks": t})


def section_rejects(f: Any, ctx: dict[str, Any]) -> Section:
    """Input rows that could not be used, with the reason."""
    from fundgap.report.excel import Sheet, Table

    frames = [rej.assign(input=kind).pipe(lambda d: d[["input", *[c for c in d.columns
                                                                   if c != "input"]]])
              for kind, rej in ctx.get("rejects", {}).items() if rej is not None and len(rej)]
    if not frames:
        raise Unavailable("no rows were rejected")
    rej = pd.concat(frames, ignore_index=True)
    return Section([Sheet("Rejected rows", title="Input rows fundgap could not use, with the "
                                                 "reason",
                          tables=[Table(rej, csv_name="tables/rejected_rows.csv")])],
                   {"rejected_rows": rej})


#: key -> (sheet title, function), in the order of the workbook.
SECTIONS: dict[str, tuple[str, Callable[[Any, dict[str, Any]], Section]]] = {
    "depth": ("Depth by stage", section_depth),
    "compare": ("Regional comparison", section_compare),
    "gap": ("Gap over time", section_gap),
    "sources": ("Sources compared", section_sources),
    "capacity": ("Fund capacity", section_capacity),
    "scenario": ("Scenario", section_scenario),
    "published": ("Published benchmarks", section_published),
    "rejects": ("Rejected rows", section_rejects),
}
