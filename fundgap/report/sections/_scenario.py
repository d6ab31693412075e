"""Sheets of the scenario: the fan, the US paths, the US trends, crossings and sensitivity."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.sections._common import Section, Unavailable, need

QUANTILES = {"q05": "5th percentile", "q25": "25th percentile", "q50": "Median of simulations",
             "q75": "75th percentile", "q95": "95th percentile", "central": "Central projection"}


def fan_table(res: Any) -> tuple[pd.DataFrame, str]:
    """Year x (simulation quantiles, central projection) of the EU-27 / US ratio; the stage."""
    frame = res.to_frame()
    fan = res.fan() if hasattr(res, "fan") else None
    src = fan if fan is not None and len(fan) else frame
    sub = src[(src["region"].astype(str) == "EU27")
              & (src["variable"].astype(str) == "ratio_to_US")]
    stages = sub["stage_group"].astype(str).unique().tolist()
    stage = next((s for s in ("later", "all", "early", "seed") if s in stages), None)
    if stage is None:
        raise Unavailable("the scenario has no EU-27 / US ratio")
    sub = sub[sub["stage_group"].astype(str) == stage].sort_values("year")
    qcols = [c for c in QUANTILES if c in sub.columns and c != "central"]
    central = frame[(frame["region"].astype(str) == "EU27")
                    & (frame["variable"].astype(str) == "ratio_to_US")
                    & (frame["stage_group"].astype(str) == stage)][["year", "value"]]
    wide = sub[["year", *qcols]].reset_index(drop=True).merge(
        central.rename(columns={"value": "central"}), on="year", how="left")
    wide = wide.assign(year=wide["year"].astype("int64"))
    return wide, stage


BANDS = {"band_05_25": "Width of the 5-25% band", "band_25_75": "Width of the 25-75% band",
         "band_75_95": "Width of the 75-95% band"}


def _fan_sheet(res: Any, o: dict[str, Any], bands: pd.DataFrame | None
               ) -> tuple[Any, pd.DataFrame, str]:
    from fundgap.report.excel import Chart, Sheet, Table

    wide, stage = fan_table(res)
    if bands is not None and len(bands):
        b = bands[bands["stage_group"].astype(str) == stage]
        b = b[["year", *BANDS]].assign(year=b["year"].astype("int64"))
        wide = wide.merge(b, on="year", how="left")
    meta = res.meta or {}
    what = "all stages" if stage == "all" else f"{stage} stage"
    title = (f"x{o['multiple']:g} in {o['horizon']} years ({labels.lever(o['lever']).lower()}): "
             f"EU-27 capital as a share of the US, {what}")
    ys = [c for c in wide.columns if c != "year"]
    stack = ["q05", *BANDS] if set(BANDS) <= set(ys) and "q05" in ys else []
    names = {"band_05_25": "5-95% of simulations", "band_25_75": "25-75% of simulations",
             "q50": "Median of simulations", "central": "Central projection"}
    lines_y = [c for c in ("q50", "central") if c in ys]
    chart = Chart(x="year", y=lines_y, kind="fan" if stack else "line", bands=stack,
                  names=names, title=title, x_title="Year", y_title="Share of the US (%)",
                  alt_text=(f"Fan chart of the EU-27 as a share of the US, {what}, "
                            f"{int(wide['year'].min())}-{int(wide['year'].max())}: shaded bands "
                            "hold 5-95% and 25-75% of the simulations, lines show their median "
                            "and the central projection. The numbers are in the table above."))
    heads = {**QUANTILES, **{k: f"{v}, percentage points" for k, v in BANDS.items()}}
    table = Table(wide, labels={"year": "Year", **{c: f"{heads[c]} (%)" if c in QUANTILES
                                                   else heads[c] for c in ys}},
                  formats={c: "ratio" if c in QUANTILES else "0.0%" for c in ys})
    trend = meta.get("trend_years") or "history"
    lines = [f"Path: compound growth of EU-27 venture capital to x{o['multiple']:g} in "
             f"{o['horizon']} years ({100 * (o['multiple'] ** (1 / o['horizon']) - 1):.2f}% a "
             f"year); lever: {labels.lever(o['lever']).lower()}.",
             f"The US on its log-linear trend fitted on the {trend} (trend window); "
             f"{o['n_sims']:,} simulations, seed {o['seed']}.",
             f"Baseline: {labels.source(meta.get('baseline_source', ''))} (the latest year of "
             "its data).",
             "The scenario in the long format of scenario modellers (model, scenario, region, "
             "variable, unit, year, value) is tables/scenario_long.csv.",
             "The band widths (the distance between two quantiles) draw the shaded bands of the "
             "chart."]
    sheet = Sheet("Scenario", title=title, notes=["scenario", "eu27", "csv"], lines=lines,
                  tables=[table], charts=[chart])
    return sheet, wide, title


def _paths_table(t: pd.DataFrame, horizon: int) -> Any:
    from fundgap.report.excel import Table

    heads = {"stage_group": "Stage group", "ratio_start": "EU-27 as a share of the US at the "
             "start (%)"}
    for key, words in (("us_flat", "US flat"), ("us_trend", "US on its trend (trend window)"),
                       ("us_trend_all_years", "US on its trend over all years"),
                       ("us_gdp", "US growing with its GDP")):
        heads[f"ratio_{key}"] = f"EU-27 as a share of the US in {horizon} years, {words} (%)"
        heads[f"us_growth_{key}"] = f"US growth a year, {words} (%)"
    shown = t.assign(stage_group=t["stage_group"].map(labels.stage))
    return Table(shown, labels={c: heads.get(c, labels.header(c)) for c in t.columns},
                 formats={c: "ratio" for c in t.columns if c != "stage_group"},
                 missing={c: "[z]" for c in t.columns if c.startswith("us_growth")})


def _trends_table(t: pd.DataFrame) -> Any:
    from fundgap.report.excel import Table

    heads = {"stage_group": "Stage group", "window": "Trend window",
             "growth": "US growth a year on the trend (%)", "ci_low": "95% interval, low (%)",
             "ci_high": "95% interval, high (%)", "gdp_growth": "US GDP growth a year (%)",
             "share_min": "Lowest US VC as a share of GDP (%)",
             "share_max": "Highest US VC as a share of GDP (%)",
             "share_years": "Years of the range", "band_low": "Plausible growth, low (%)",
             "band_high": "Plausible growth, high (%)", "plausible": "Trend within the band"}
    shown = t.assign(stage_group=t["stage_group"].map(labels.stage))
    if "plausible" in shown.columns:
        shown["plausible"] = shown["plausible"].map({True: "yes", False: "no"}).astype("object")
    return Table(shown, labels={c: heads.get(c, labels.header(c)) for c in t.columns},
                 formats=dict.fromkeys(("growth", "ci_low", "ci_high", "gdp_growth", "band_low", "band_high"), "ratio")
                 | {"share_min": "0.000%", "share_max": "0.000%"})


def _crossings_table(t: pd.DataFrame) -> Any:
    from fundgap.report.excel import Table

    keep = ["stage_group", "threshold", "status", "crossing_year", "prob_within_horizon",
            "crossing_year_q05", "crossing_year_q50", "crossing_year_q95"]
    shown = t[[c for c in keep if c in t.columns]]
    shown = shown.assign(stage_group=shown["stage_group"].map(labels.stage))
    heads = {"stage_group": "Stage group", "threshold": "EU-27 as a share of the US reaches (%)",
             "status": "Status", "crossing_year": "First year, central projection",
             "prob_within_horizon": "Share of simulations crossing within the horizon (%)",
             "crossing_year_q05": "First year, 5th percentile of simulations",
             "crossing_year_q50": "First year, median of simulations",
             "crossing_year_q95": "First year, 95th percentile of simulations"}
    years = [c for c in shown.columns if c.startswith("crossing_year")]
    return Table(shown, labels=heads,
                 formats={"threshold": "ratio", "prob_within_horizon": "ratio",
                          **dict.fromkeys(years, "year")},
                 missing=dict.fromkeys(years, "[z]"))


def _sensitivity_table(t: pd.DataFrame) -> Any:
    from fundgap.report.excel import Table

    heads = {"output": "Output", "stage_group": "Stage group", "parameter": "Parameter",
             "base": "Base value", "low": "Low value", "high": "High value",
             "value_base": "Output at base", "value_low": "Output at low",
             "value_high": "Output at high", "delta_low": "Change at low",
             "delta_high": "Change at high", "swing": "Swing (high minus low)"}
    shown = t.assign(stage_group=t["stage_group"].map(labels.stage),
                     output=t["output"].astype(str).str.replace("_", " "),
                     parameter=t["parameter"].astype(str).str.replace("_", " "))
    return Table(shown, labels={c: heads.get(c, labels.header(c)) for c in t.columns},
                 formats=dict.fromkeys(("base", "low", "high", "value_base", "value_low", "value_high", "delta_low", "delta_high", "swing"), "decimal"))


def section_scenario(f: Any, ctx: dict[str, Any]) -> Section:
    """x5 in ten years: the fan, the US counterfactuals, the trend check, crossings, sensitivity."""
    from fundgap.report.excel import Sheet

    res = need(f.results, "scenario", "the scenario could not run")
    tabs = f.results.get("tables", {})
    o = ctx
    frame = res.to_frame()
    out = Section(tables={"scenario": frame, "scenario_long": res.to_long()})
    sheet, wide, title = _fan_sheet(res, o, tabs.get("fan_bands"))
    out.add(sheet, f"x{o['multiple']:g} in {o['horizon']} years: the EU-27 / US ratio with the "
                   "Monte Carlo fan")
    h = o["horizon"]
    specs = [
        ("us_counterfactuals", "Scenario US paths",
         f"Where x{o['multiple']:g} takes the EU-27 in {h} years under each path of the US "
         "(deterministic runs)", lambda t: _paths_table(t, h),
         "the EU-27 / US ratio in ten years under each US path"),
        ("us_trend_check", "Scenario US trends",
         "The US trends and their plausibility band (growth rates that keep US venture capital "
         "within its historical range as a share of GDP)", _trends_table,
         "the US growth trends, their intervals and plausibility"),
        ("crossings", "Scenario crossings",
         "First year the EU-27 reaches each share of the US (US on its trend)", _crossings_table,
         "when the EU-27 would reach half of, and parity with, the US"),
        ("sensitivity", "Scenario sensitivity",
         f"Sensitivity (tornado): each parameter at its low and high value, the others at base; "
         f"outputs for the EU-27 in {h} years", _sensitivity_table,
         "how the results move with each assumption")]
    for key, name, stitle, build, what in specs:
        t = tabs.get(key)
        if t is None or not len(t):
            continue
        out.tables[f"scenario_{key}"] = t
        out.add(Sheet(name, title=stitle, notes=["scenario"],
                      lines=[f"Scenario: x{o['multiple']:g} in {h} years, lever "
                             f"{labels.lever(o['lever']).lower()}."],
                      tables=[build(t)]), what)
    trend = (res.meta or {}).get("trend_years") or "history"
    source = (f"fundgap project(), x{o['multiple']:g} in {h} years, lever "
              f"{labels.lever(o['lever']).lower()}, {o['n_sims']:,} simulations, the US on its "
              f"trend fitted on the {trend}; baseline: "
              f"{labels.source((res.meta or {}).get('baseline_source', ''))}")
    out.figures["scenario_fan"] = (_fig_fan, (wide, title, source))
    return out


def _fig_fan(table: pd.DataFrame, title: str, source: str) -> Any:
    from fundgap.report import figures

    bands = [b for b in (("q05", "q95"), ("q25", "q75")) if set(b) <= set(table.columns)]
    median = "q50" if "q50" in table.columns else "central"
    reference = "central" if median == "q50" and "central" in table.columns else None
    return figures.plot_fan(table, median=median, bands=bands, unit="EU-27 as a share of the US",
                            percent=True, title=title, label="EU-27 / US",
                            reference=reference, reference_label="central projection",
                            source=source)
