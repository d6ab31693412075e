"""Sheets from round-level data: depth of capital by stage, the regional comparison."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.sections._common import (
    REGION_ORDER,
    Section,
    Unavailable,
    need,
    ordered,
    run_note,
)

GROUP_ORDER = ["seed", "early", "later", "unknown", "non_vc"]
#: Depth metrics as columns of the sheet, in order, and their unit kinds.
DEPTH_COLUMNS = {"n_rounds": "count", "n_disclosed": "count", "median": "money",
                 "median_low": "money", "median_high": "money", "p25": "money", "p75": "money",
                 "p90": "money", "mean": "money", "total": "money", "share_large": "ratio"}


def _fine_order() -> list[str]:
    from fundgap.schema import STAGES

    return list(STAGES)


def depth_wide(frame: pd.DataFrame, by: str, order: list[str]) -> pd.DataFrame:
    """One row per region and stage (every region lists every stage), metrics as columns."""
    f = frame.assign(region=frame["region"].astype(str), **{by: frame[by].astype(str)})
    f = f[f[by] != "all"]
    est = f.pivot_table(index=["region", by], columns="metric", values="estimate",
                        aggfunc="first", sort=False)
    med = f[f["metric"].astype(str) == "median"].set_index(["region", by])
    est = est.join(med[["ci_low", "ci_high"]].rename(columns={"ci_low": "median_low",
                                                               "ci_high": "median_high"}))
    regions = ordered(f["region"], REGION_ORDER)
    stages = ordered(f[by], order)
    est = est.reindex(pd.MultiIndex.from_product([regions, stages], names=["region", by]))
    cols = [c for c in DEPTH_COLUMNS if c in est.columns]
    return est[cols].reset_index()


def _depth_table(wide: pd.DataFrame, by: str, money: str, large: Any) -> Any:
    from fundgap.report.excel import Table

    heads = {"region": "Region", by: labels.header(by), "n_rounds": "Rounds",
             "n_disclosed": "Rounds with a disclosed amount",
             "median": f"Median round, {money}", "median_low": "Median round: 95% interval, low",
             "median_high": "Median round: 95% interval, high",
             "p25": f"25th percentile round, {money}", "p75": f"75th percentile round, {money}",
             "p90": f"90th percentile round, {money}", "mean": f"Mean round, {money}",
             "total": f"Total invested, {money}",
             "share_large": f"Share of capital in rounds of {large:g} million or more (%)"}
    shown = labels.relabel(wide, columns=("region",), stages=(by,))
    return Table(shown, labels=heads, formats={c: DEPTH_COLUMNS[c] for c in wide.columns
                                               if c in DEPTH_COLUMNS},
                 header_notes={"median": ["prices"], "median_low": ["intervals"],
                               by: ["stages"]})


def section_depth(f: Any, ctx: dict[str, Any]) -> Section:
    """Round sizes by region and stage group, and by fine stage, with intervals."""
    from fundgap.report.excel import Chart, Sheet

    res = need(f.results, "depth", "no round-level data")
    frame = res.to_frame()
    fine = f.results["depth_by_stage"].to_frame()
    money = labels.unit("EUR_M", ctx["price_base"])
    src = labels.plain(f.meta["data"].get("rounds", ""))
    large = float((res.meta or {}).get("large_round", 100.0))
    wide = depth_wide(frame, "stage_group", GROUP_ORDER)
    regions = wide["region"].unique().tolist()
    several = len(regions) > 1
    where = "by stage group and region" if several else f"by stage group, {labels.region(regions[0])}"
    lines = [f"Source: {src}.", f"Money in {money}; counts are numbers of rounds.",
             labels.plain(run_note(f, "round sizes:")).capitalize()]
    unknown = frame[frame["metric"].astype(str) == "share_unknown_stage"]
    if len(unknown):
        lines.append("Share of rounds in unknown stages: " + "; ".join(
            f"{labels.region(r)} {100 * v:.1f}%" for r, v in zip(unknown["region"].astype(str),
                                                                unknown["estimate"], strict=False)) + ".")
    notes = ["stages", "intervals"] + ([] if several else ["crunchbase"])
    chart = Chart(x="stage_group", y=["median"], group="region", kind="bar",
                  title=f"Median round {where}", x_title="Stage group",
                  y_title=f"Median round, {money}",
                  alt_text=(f"Bar chart of the median biotech round {where}, {money}: one bar per "
                            "stage group" + (", one colour per region" if several else "") +
                            ". The numbers and their 95% intervals are in the table above."))
    out = Section(tables={"depth_by_stage_group": frame, "depth_by_stage": fine})
    out.add(Sheet("Depth by stage", title=f"Depth of capital: rounds and round sizes {where}",
                  notes=notes, lines=lines,
                  tables=[_depth_table(wide, "stage_group", money, large)], charts=[chart]),
            "round counts and sizes by region and stage group, with 95% intervals")
    fine_wide = depth_wide(fine, "stage", _fine_order())
    out.add(Sheet("Depth by fine stage", title=f"The same along the funding ladder, by fine "
                  f"stage{'' if several else ', ' + labels.region(regions[0])}",
                  notes=notes, lines=[f"Source: {src}.", f"Money in {money}."],
                  tables=[_depth_table(fine_wide, "stage", money, large)]),
            "the same by fine stage (pre-seed, seed, Series A ...)")
    level = round(100 * ctx["ci"])
    out.figures["depth_by_stage"] = (_fig_depth, (frame, money, src, level))
    return out


def _fig_depth(frame: pd.DataFrame, unit: str, source: str, level: int) -> Any:
    from fundgap.report import figures

    regions = ordered(frame["region"].astype(str), REGION_ORDER)
    where = "by stage and region" if len(regions) > 1 else f"by stage, {labels.region(regions[0])}"
    return figures.plot_depth(frame, metric="median", unit=unit, source=source, level=level,
                              title=f"Median biotech round {where}")


MODALITIES = {"cell_therapy": "Cell therapy", "gene_therapy": "Gene therapy",
              "tissue_engineered": "Tissue-engineered", "other": "Other", "unknown": "Unknown"}


def section_atmp(f: Any, ctx: dict[str, Any]) -> Section:
    """Rounds and round sizes by therapeutic modality (ATMP classes), when the export has text."""
    from fundgap.report.excel import Sheet, Table

    res = need(f.results, "depth_modality",
               "the rounds carry no text naming a cell, gene or tissue-engineered therapy")
    frame = res.to_frame()
    money = labels.unit("EUR_M", ctx["price_base"])
    keys = ["region", "modality", "stage_group"]
    wide = frame[frame["metric"].astype(str).isin(["n_rounds", "median"])].pivot_table(
        index=keys, columns="metric", values="estimate", aggfunc="first", observed=True,
        sort=False).reset_index()
    med = frame[frame["metric"].astype(str) == "median"].set_index(keys)[["ci_low", "ci_high"]]
    wide = wide.join(med, on=keys)
    wide = wide[wide["stage_group"].astype(str) != "all"]
    wide = wide.assign(modality=wide["modality"].astype(str).map(
        lambda m: MODALITIES.get(m, m)))
    shown = labels.relabel(wide, columns=("region",), stages=("stage_group",))
    table = Table(shown[["region", "modality", "stage_group", "n_rounds", "median", "ci_low",
                         "ci_high"]],
                  labels={"region": "Region", "modality": "Therapeutic modality",
                          "stage_group": "Stage group", "n_rounds": "Rounds",
                          "median": f"Median round, {money}", "ci_low": "95% interval, low",
                          "ci_high": "95% interval, high"},
                  formats={"n_rounds": "count", "median": "money", "ci_low": "money",
                           "ci_high": "money"},
                  header_notes={"median": ["prices"], "ci_low": ["intervals"]})
    out = Section(tables={"depth_by_modality": frame})
    out.add(Sheet("ATMP modalities",
                  title="Rounds by therapeutic modality: the EU's advanced therapy classes",
                  notes=["stages", "intervals"],
                  lines=[f"Source: {labels.plain(f.meta['data'].get('rounds', ''))}.",
                         "Modality read from the export's text (industries, keywords, "
                         "descriptions) by the rules of METHODOLOGY section 1.7: cell therapy, "
                         "gene therapy and tissue-engineered products are the three ATMP "
                         "classes of Regulation (EC) No 1394/2007; genetically modified cells "
                         "(CAR-T) count as gene therapy. 'Unknown' = no text to judge.",
                         f"Money in {money}."],
                  tables=[table]),
            "rounds and round sizes by ATMP class, region and stage")
    return out


def section_compare(f: Any, ctx: dict[str, Any]) -> Section:
    """Round size and count relative to the base region by stage (regressions)."""
    from fundgap.report.excel import Sheet, Table

    res = need(f.results, "compare_regions",
               run_note(f, "regional regressions").removeprefix("regional regressions ")
               or "needs rounds from at least two regions")
    frame = res.to_frame()
    base = labels.region((res.meta or {}).get("base", "US"))
    models = {"ols": "OLS, log round size",
              "ols_additive": "OLS, log round size, region + stage (all stages)",
              "quantreg_q50": "Quantile regression, median",
              "quantreg_q90": "Quantile regression, 90th percentile",
              "count_negbin": "Negative binomial, round counts",
              "count_poisson": "Poisson, round counts"}
    shown = labels.relabel(frame, columns=("region", "base"), stages=("stage_group",))
    shown = shown.assign(model=frame["model"].astype(str).map(lambda m: models.get(m, m)),
                         metric=frame["metric"].map(labels.metric)).drop(columns=["unit"])
    heads = {c: labels.header(c) for c in shown.columns}
    heads.update(estimate=f"Ratio to {base} (%)", ci_low="95% interval, low",
                 ci_high="95% interval, high",
                 range_low="Lowest ratio of any best fit (%)",
                 range_high="Highest ratio of any best fit (%)", n="Rounds",
                 n_base=f"Rounds, {base}")
    table = Table(shown, labels=heads,
                  formats={"estimate": "ratio", "ci_low": "ratio", "ci_high": "ratio",
                           "range_low": "ratio", "range_high": "ratio",
                           "log_ratio": "decimal", "se": "decimal", "p_value": "decimal",
                           "n": "count", "n_base": "count"},
                  missing={"range_low": "[x]", "range_high": "[x]"})
    out = Section(tables={"compare_regions": frame})
    out.add(Sheet("Regional comparison",
                  title=f"Round size and count relative to {base}, by stage (regressions)",
                  notes=["stages"],
                  lines=[f"Source: {labels.plain(f.meta['data'].get('rounds', ''))}.",
                         f"Ratios to {base}: 100% = the same size or count. Log ratio and standard "
                         "error on the log scale.",
                         "Models: OLS of log round size on region x stage with year fixed effects "
                         "(robust standard errors); quantile regressions at the median and 90th "
                         "percentile; a negative binomial model of round counts.",
                         "A quantile regression can have more than one best fit (small cells): "
                         "the lowest and highest ratio of any best fit are shown beside the "
                         "estimate (for OLS and counts, the estimate)."],
                  tables=[table]),
            f"regression ratios of round size and count to {base} by stage")
    return out


def unavailable_reason(exc: Exception) -> str:
    """Text of an :class:`Unavailable` for the contents."""
    return str(exc) if isinstance(exc, Unavailable) else f"{type(exc).__name__}: {exc}"
