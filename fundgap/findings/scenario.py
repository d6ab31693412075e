"""Findings on the x5 scenario: EU-27 capital x``multiple`` in ``horizon`` years against the US.

Two US paths frame the answer: the US flat (the most favourable case for closing
the gap) and the US on its fitted trend, stated with its window, rate and
interval and checked against the plausibility band of
:func:`fundgap.scenarios.counterfactual.trend_check` (a trend outside the band is
flagged in the row, not used silently). A third path, the US growing with its
nominal GDP, sits in the full table. Projections rest on assumptions: their
status is ``indicative``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._rules import pct

__all__ = ["scenario_findings"]

SHOWN = ("later", "all")


def _stage_text(stage: str) -> str:
    return "all stages" if stage == "all" else f"the {stage} stage"


def _us_gdp(ctx: Context) -> pd.DataFrame | None:
    from fundgap.datasets import load_dataset

    try:
        g = load_dataset("gdp_usd")
    except FundgapError:
        return None
    g = g[g["iso2"].astype(str) == "US"]
    return pd.DataFrame({"year": g["year"].astype("int64"), "value": g["gdp_usd_m"]})


def scenario_findings(ctx: Context) -> None:
    """Run the projection and its US counterfactuals; write the x5 findings."""
    from fundgap.scenarios import Counterfactual, growth_path, project, sensitivity
    from fundgap.scenarios.counterfactual import baseline_for, trend_check, us_counterfactuals

    o = ctx.options
    inp = ctx.inputs
    try:
        baseline, notes = baseline_for(inp.series, funds=None if inp.shipped.get("funds")
                                       else inp.funds, rounds=inp.rounds,
                                       published=inp.published,
                                       shipped=bool(inp.shipped.get("series")))
    except FundgapError as exc:
        ctx.add(Finding("x5.not_available", "x5",
                        f"The scenario cannot be run on these series: {exc.message}.",
                        source=ctx.inputs.labels.get("series", ""), status="not_available",
            headline_rank=8))
        return
    ctx.notes.extend(notes)
    path = growth_path(o.multiple, o.horizon)
    trend = Counterfactual(trend_years=o.trend_years)
    res = project(baseline, path, lever=o.lever, horizon=o.horizon, n_sims=o.n_sims,
                  seed=o.seed, counterfactual=trend)
    ctx.results["scenario"] = res
    ctx.results["baseline"] = baseline
    _fan_bands(ctx, res)
    check = None
    gdp = _us_gdp(ctx)
    runs = {"us_flat": Counterfactual(us_growth=0.0), "us_trend": trend,
            "us_trend_all_years": Counterfactual(trend_years=None)}
    if gdp is not None and baseline.unit == "USD_M" and baseline.history is not None:
        try:
            check = trend_check(baseline, gdp, trend_years=o.trend_years, horizon=o.horizon)
        except FundgapError as exc:
            ctx.notes.append(f"US trend not checked: {exc}")
        if check is not None:
            ctx.tables["us_trend_check"] = check
            runs["us_gdp"] = Counterfactual(us_growth=float(check["gdp_growth"].iloc[0]))
    try:
        cf = us_counterfactuals(baseline, path, lever=o.lever, horizon=o.horizon, runs=runs)
    except FundgapError as exc:
        ctx.notes.append(f"no US counterfactuals: {exc}")
        cf = None
    if cf is not None:
        ctx.tables["us_counterfactuals"] = cf
    try:
        sens = sensitivity(baseline, multiple=o.multiple, n_years=o.horizon, lever=o.lever,
                           horizon=o.horizon, counterfactual=trend)
        t = sens.to_frame()
        ctx.tables["sensitivity"] = t[t[["value_base", "value_low", "value_high"]].notna()
                                      .any(axis=1)].reset_index(drop=True)
    except FundgapError as exc:
        ctx.notes.append(f"no sensitivity table: {exc}")
    _write(ctx, res, cf, check)
    _levers(ctx, baseline, path)


def _fan_bands(ctx: Context, res) -> None:
    """The EU-27 / US fan of each stage with the width of each band (``tables["fan_bands"]``).

    The widths (q25 - q05, q75 - q25, q95 - q75) let a spreadsheet draw the fan as
    stacked areas, which every spreadsheet program draws the same way.
    """
    if not ctx.options.n_sims:
        return
    fan = res.fan()
    sub = fan[(fan["region"].astype(str) == "EU27")
              & (fan["variable"].astype(str) == "ratio_to_US")]
    if not len(sub) or not {"q05", "q25", "q75", "q95"} <= set(sub.columns):
        return
    t = sub[["stage_group", "year", "q05", "q25", "q50", "q75", "q95"]].reset_index(drop=True)
    ctx.tables["fan_bands"] = t.assign(band_05_25=t["q25"] - t["q05"],
                                       band_25_75=t["q75"] - t["q25"],
                                       band_75_95=t["q95"] - t["q75"])


def _write(ctx: Context, res, cf, check) -> None:
    o = ctx.options
    meta = res.meta or {}
    start = int(meta.get("baseline_year") or 0)
    end = start + o.horizon
    src = f"fundgap project() on {meta.get('baseline_source', 'the baseline')}"
    fan = res.fan() if o.n_sims else None
    x = f"x{o.multiple:g} in {o.horizon} years ({o.lever.replace('_', ' ')})"
    for stage in SHOWN:
        if cf is None or stage not in set(cf["stage_group"]):
            continue
        row = cf[cf["stage_group"] == stage].iloc[0]
        rank_flat = 8 if stage == "later" else None
        rank_trend = 9 if stage == "later" else None
        ctx.add(Finding(
            f"x5.{stage}.us_flat", "x5",
            f"If EU-27 venture capital grows {x} and US capital stays at its {start} level, the "
            f"EU-27 reaches {pct(row['ratio_us_flat'])} of the US at {_stage_text(stage)} by "
            f"{end} (from {pct(row['ratio_start'])} in {start}).",
            region="EU27", against="US", stage_group=stage, year=str(end),
            value=float(row["ratio_us_flat"]), unit="ratio", source=src,
            table="OECD DSD_VC@DF_VC_INV" if meta.get("baseline_source") == "oecd" else "",
            vintage=f"baseline {start}", status="indicative",
            caveat="a projection: the US held flat is the most favourable case for the EU-27",
            headline_rank=rank_flat))
        if "ratio_us_trend" in cf.columns:
            ctx.add(_trend_finding(ctx, stage, row, check, fan, years=(start, end), x=x,
                                   src=src, rank=rank_trend))
        if "ratio_us_gdp" in cf.columns:
            g = float(row["us_growth_us_gdp"])
            ctx.add(Finding(
                f"x5.{stage}.us_gdp", "x5",
                f"With US venture capital growing with US nominal GDP ({100 * g:+.1f}%/yr, its "
                f"trend over the same window), {x} brings the EU-27 to "
                f"{pct(row['ratio_us_gdp'])} of the US at {_stage_text(stage)} by {end}.",
                region="EU27", against="US", stage_group=stage, year=str(end),
                value=float(row["ratio_us_gdp"]), unit="ratio", source=src,
                vintage=f"baseline {start}", status="indicative",
                caveat="a projection; US GDP: World Bank NY.GDP.MKTP.CD (shipped gdp_usd)",
                headline_rank=None))
    _crossings(ctx, res, end, src)
    if check is not None:
        _trend_checks(ctx, check, src)


def _trend_checks(ctx: Context, check: pd.DataFrame, src: str) -> None:
    """One finding per US stage: the trend, its interval and the plausibility verdict."""
    for c in check.itertuples(index=False):
        band = f"{100 * c.band_low:+.1f}% to {100 * c.band_high:+.1f}%/yr"
        verdict = ("inside the plausible band" if c.plausible else
                   "OUTSIDE the plausible band") + f" ({band})"
        ctx.add(Finding(
            f"us_trend.{c.stage_group}", "x5",
            f"US venture capital at {_stage_text(c.stage_group)} grew on a trend of "
            f"{100 * c.growth:+.1f}%/yr over {c.window} (95% CI {100 * c.ci_low:+.1f} to "
            f"{100 * c.ci_high:+.1f}), {verdict}.",
            region="US", stage_group=str(c.stage_group), year=str(c.window),
            value=float(c.growth), unit="growth per year", ci_low=float(c.ci_low),
            ci_high=float(c.ci_high), source=src, status="indicative",
            caveat=(f"band: growth rates that keep US VC at this stage between "
                    f"{100 * c.share_min:.3f}% and {100 * c.share_max:.3f}% of US GDP (its range "
                    f"{c.share_years}) by the horizon, with GDP on its own trend "
                    f"({100 * c.gdp_growth:+.1f}%/yr)"),
            headline_rank=None))


def _trend_finding(ctx: Context, stage: str, row: pd.Series, check, fan, *,
                   years: tuple[int, int], x: str, src: str, rank: int | None) -> Finding:
    o = ctx.options
    start, end = years
    g = float(row["us_growth_us_trend"]) if "us_growth_us_trend" in row else np.nan
    band_text, flag = "", ""
    window, lo, hi = "", np.nan, np.nan
    if check is not None and stage in set(check["stage_group"]):
        c = check[check["stage_group"] == stage].iloc[0]
        window, lo, hi, g = str(c["window"]), float(c["ci_low"]), float(c["ci_high"]), \
            float(c["growth"])
        band = f"{100 * c['band_low']:+.1f}% to {100 * c['band_high']:+.1f}%/yr"
        band_text = (f" Plausible band {band}: the rates that keep US {stage}-stage VC within "
                     f"{100 * c['share_min']:.2f}-{100 * c['share_max']:.2f}% of US GDP, its "
                     f"range {c['share_years']}, with GDP on its own trend.")
        if not bool(c["plausible"]):
            flag = f" This trend lies outside the plausible band ({band}): read it as a high case."
        elif stage == "all" and not check["plausible"].all():
            odd = ", ".join(check.loc[~check["plausible"], "stage_group"].astype(str))
            flag = (f" The all-stage path sums the stage trends, and the {odd} trend lies outside "
                    "its plausible band.")
    ci_lo = ci_hi = np.nan
    if fan is not None and len(fan):
        f = fan[(fan["region"].astype(str) == "EU27") & (fan["variable"].astype(str) ==
                                                         "ratio_to_US")
                & (fan["stage_group"].astype(str) == stage) & (fan["t"] == fan["t"].max())]
        if len(f) and {"q05", "q95"} <= set(f.columns):
            ci_lo, ci_hi = float(f["q05"].iloc[0]), float(f["q95"].iloc[0])
    band90 = (f"; 90% simulation band {pct(ci_lo)}-{pct(ci_hi)}" if np.isfinite(ci_lo) else "")
    rate = f"{100 * g:+.1f}%/yr" + (f" (95% CI {100 * lo:+.1f} to {100 * hi:+.1f})"
                                     if np.isfinite(lo) else "")
    return Finding(
        f"x5.{stage}.us_trend", "x5",
        f"With US capital on its {window or 'recent'} trend of {rate}, {x} brings the EU-27 to "
        f"{pct(row['ratio_us_trend'])} of the US at {_stage_text(stage)} by {end}{band90}."
        + flag,
        region="EU27", against="US", stage_group=stage, year=str(end),
        value=float(row["ratio_us_trend"]), unit="ratio", ci_low=ci_lo, ci_high=ci_hi,
        n=o.n_sims or None, source=src, vintage=f"baseline {start}", status="indicative",
        caveat=("ci_low / ci_high: 5th and 95th percentiles of the Monte Carlo simulations "
                f"(seed {o.seed}). Trend: log-linear OLS over {window}." + band_text).strip(),
        headline_rank=rank)


def _crossings(ctx: Context, res, end: int, src: str) -> None:
    cross = res.crossings() if hasattr(res, "crossings") else None
    if cross is None or not len(cross) or "threshold" not in cross.columns:
        return
    ctx.tables["crossings"] = cross
    c = cross[(cross["region"].astype(str) == "EU27") & (cross["against"].astype(str) == "US")
              & (cross["threshold"] == 0.5) & cross["stage_group"].astype(str).isin(SHOWN)]
    probs = c["prob_within_horizon"] if "prob_within_horizon" in c.columns else \
        pd.Series(np.nan, index=c.index)
    for stage, year, status, prob in zip(c["stage_group"].astype(str), c["crossing_year"],
                                         c["status"].astype(str), probs, strict=True):
        when = f"reaches half of the US in {int(year)}" if pd.notna(year) else \
            f"does not reach half of the US by {end}"
        share = f" ({pct(float(prob), 0)} of the simulations do)" if pd.notna(prob) else ""
        ctx.add(Finding(
            f"x5.{stage}.half_of_us", "x5",
            f"With the US on its trend, EU-27 capital at {_stage_text(stage)} {when}{share}.",
            region="EU27", against="US", stage_group=stage, year=str(end),
            value=float(year) if pd.notna(year) else np.nan, unit="year", source=src,
            status="indicative", caveat=f"crossing status: {status}", headline_rank=None))


def _levers(ctx: Context, baseline, path) -> None:
    """Each lever, deterministic, US on trend: the fund-side outputs that tell levers apart."""
    from fundgap.scenarios import LEVERS, Counterfactual, project

    o = ctx.options
    rows = []
    for lever in LEVERS:
        try:
            r = project(baseline, path, lever=lever, horizon=o.horizon,
                        counterfactual=Counterfactual(trend_years=o.trend_years))
        except FundgapError as exc:
            ctx.notes.append(f"lever {lever} not projected: {exc}")
            continue
        f = r.to_frame()
        last = f[f["t"] == f["t"].max()]
        rows += [{"lever": lever, "region": row.region, "stage_group": row.stage_group,
                  "variable": row.variable, "unit": row.unit, "year": row.year,
                  "value": row.value} for row in last.itertuples(index=False)]
    if not rows:
        return
    t = pd.DataFrame(rows)
    ctx.tables["levers"] = t

    def get(lever: str, region: str, variable: str, stage: str = "all") -> float:
        hit = t[(t["lever"] == lever) & (t["region"] == region) & (t["variable"] == variable)
                & (t["stage_group"] == stage)]
        return float(hit["value"].iloc[0]) if len(hit) else np.nan

    end = int(t["year"].max())
    for lever in LEVERS:
        eu, us = get(lever, "EU27", "largest_lead_round_p90"), get(lever, "US",
                                                                   "largest_lead_round_p90")
        share = get(lever, "EU27", "fundable_share", "later")
        ratio = get(lever, "EU27", "ratio_to_US", "later")
        if not np.isfinite(eu) or not np.isfinite(us):
            continue
        fund = f"its funds {'grow' if lever == 'bigger_funds' else 'multiply'}" \
            if lever != "mix" else "half the growth goes into fund size"
        share_text = (f" and could lead {pct(share, 0)} of the later-stage rounds in the round "
                      "data alone" if np.isfinite(share) else "")
        ctx.add(Finding(
            f"x5.lever.{lever}", "x5",
            f"Through {lever.replace('_', ' ')} ({fund}), by {end} the average EU fund could lead "
            f"rounds {pct(eu / us, 0)} the size the average US fund can{share_text}; capital "
            f"reaches {pct(ratio)} of the US at the later stage under every lever.",
            region="EU27", against="US", stage_group="all", year=str(end), value=eu / us,
            unit="ratio", source="fundgap project() with the published average fund sizes",
            vintage="fund sizes 2017 (European Commission)", status="indicative",
            caveat="deterministic run, US on its trend; fund sizes are published point values "
                   "(the EU figure covers the EU of 28); the levers differ only in fund size "
                   "against fund count, so capital ratios are the same under each",
            headline_rank=None))
