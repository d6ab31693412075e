"""Findings from round-level data: the median round by stage in each region, with intervals.

On a rounds export that covers two or more regions, each region's median round at
each stage group is set against the base region's (the US by default) as a ratio
with a bootstrap interval (:meth:`fundgap.models.DepthResult.relative`). A cell with
fewer than ``min_n`` disclosed rounds is ``small_sample``: listed, never a headline.

Where the data cannot answer (the shipped rounds are US only; no shipped source
splits China by stage), a ``not_available`` finding says which export would.
"""

from __future__ import annotations

import pandas as pd

from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._rules import interval_status, pct, sample_status
from fundgap.findings.macro import name, owner
from fundgap.models._common import biotech_subset

__all__ = ["round_findings"]

STAGE_GROUPS = ("seed", "early", "later")
EXPORTS = ("a PitchBook, Crunchbase or Dealroom rounds export covering {who} "
           "(fundgap report --rounds export.csv)")


def _years(frame: pd.DataFrame) -> str:
    if "year" not in frame.columns:
        return ""
    y = pd.to_numeric(frame["year"], errors="coerce").dropna()
    if not len(y):
        return ""
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def round_findings(ctx: Context) -> None:
    """Median round by stage and region; ratios to the base region; China by stage."""
    import fundgap

    o = ctx.options
    rounds = ctx.inputs.rounds
    label = ctx.inputs.labels.get("rounds", "rounds")
    if rounds is None or not len(rounds):
        ctx.add(Finding("round_size.not_available", "round_size",
                        "No round-level data were given, so round sizes by stage cannot be "
                        "compared; " + EXPORTS.format(who="EU and US companies") + " answers it.",
                        source="no rounds given", status="not_available", headline_rank=10))
        _china_by_stage(ctx, set())
        return
    subset, note = biotech_subset(rounds)
    ctx.notes.append(f"round sizes: {note}")
    res = fundgap.depth(subset, by=("region", "stage_group"), seed=o.seed, ci=o.ci,
                        price_base=o.price_base)
    ctx.results["depth"] = res
    res_stage = fundgap.depth(subset, by=("region", "stage"), seed=o.seed, ci=o.ci,
                              price_base=o.price_base)
    ctx.results["depth_by_stage"] = res_stage
    frame = res.to_frame()
    med = frame[(frame["metric"] == "median")
                & frame["stage_group"].astype(str).isin(STAGE_GROUPS)]
    regions = sorted(med["region"].astype(str).unique())
    unit = f"EUR m ({o.price_base} prices)"
    years = _years(subset)
    sector = "biotech" if "biotech" in note else "all"
    base = o.base
    with_ratio = base in regions and len(regions) >= 2
    rel = res.relative(base=base, metric="median") if with_ratio else None
    rank = 10
    for row in med.itertuples(index=False):
        region, stage = str(row.region), str(row.stage_group)
        if with_ratio and region == base:
            continue
        if with_ratio:
            r = rel[(rel["region"].astype(str) == region)
                    & (rel["stage_group"].astype(str) == stage)]
            if len(r):
                lead = rank if region == "EU27" else None
                ctx.add(_ratio_finding(ctx, row, r.iloc[0], unit, years, label, sector, lead))
                rank += lead is not None
                continue
        ctx.add(_level_finding(ctx, row, unit, years, label, sector))
    _regressions(ctx, subset)
    _modalities(ctx, subset, label, years)
    if not with_ratio:
        who = "EU and US companies" if regions == [base] else \
            f"{name(base)} and at least one other region"
        ctx.add(Finding(
            "round_size.eu27_us.not_available", "round_size",
            f"The rounds given cover {', '.join(regions) or 'no region'} only, so round sizes "
            f"cannot be compared across regions; {EXPORTS.format(who=who)} answers it.",
            region="EU27", against=base, source=label, status="not_available",
            headline_rank=None))
    _china_by_stage(ctx, set(regions))


ATMP = ("cell_therapy", "gene_therapy", "tissue_engineered")


def _modalities(ctx: Context, subset: pd.DataFrame, label: str, years: str) -> None:
    """Advanced therapies (ATMPs) in a rounds export that carries descriptive text.

    Adds ``results["depth_modality"]`` (depth by region x modality x stage group) and one
    finding counting the rounds of each ATMP class, when any round has one.
    """
    import fundgap

    if "modality" not in subset.columns:
        return
    mod = subset["modality"].astype("string")
    counts = mod.value_counts()
    n_atmp = int(sum(counts.get(m, 0) for m in ATMP))
    if n_atmp == 0:
        return
    o = ctx.options
    ctx.results["depth_modality"] = fundgap.depth(
        subset, by=("region", "modality", "stage_group"), seed=o.seed, ci=o.ci,
        price_base=o.price_base)
    judged = int(len(subset) - counts.get("unknown", 0))
    parts = ", ".join(f"{m.replace('_', ' ')} {int(counts.get(m, 0)):,}" for m in ATMP)
    ctx.add(Finding(
        "round_size.atmp.count", "round_size",
        f"Of the {judged:,} rounds whose text could be read, {n_atmp:,} ({pct(n_atmp / judged)}) "
        f"went to advanced therapies ({parts}; {years}); round sizes by modality are in the "
        "ATMP sheet.",
        sector="biotech", year=years, value=n_atmp / judged, unit="ratio", n=judged,
        source=label, vintage=_vintage(ctx), status="indicative",
        caveat="modality from the export's text by the rules of METHODOLOGY 1.7 (about 85-90 % "
               f"correct on held-out descriptions); {int(counts.get('unknown', 0)):,} rounds had "
               "no text to judge", headline_rank=None))


def _regressions(ctx: Context, subset: pd.DataFrame) -> None:
    """The regressions of round size on region x stage (:func:`fundgap.compare_regions`).

    Run when at least two regions have ``min_n`` rounds or more; kept in
    ``results["compare_regions"]`` for the report, or the reason in the notes.
    """
    import fundgap
    from fundgap.errors import FundgapError

    o = ctx.options
    counts = subset["region"].dropna().astype(str).value_counts()
    counts = counts[counts >= o.min_n]
    if len(counts) < 2:
        have = ", ".join(f"{r}: {n}" for r, n in
                         subset["region"].dropna().astype(str).value_counts().items()) or "none"
        ctx.notes.append(f"regional regressions need rounds from two regions ({o.min_n}+ rounds "
                         f"each); the data has {have}")
        return
    base = o.base if o.base in counts.index else counts.index[0]
    try:
        ctx.results["compare_regions"] = fundgap.compare_regions(subset, base=base, ci=o.ci)
    except FundgapError as exc:
        ctx.notes.append(f"regional regressions not run: {exc}")


def _level_finding(ctx: Context, row: tuple, unit: str, years: str, label: str,
                   sector: str) -> Finding:
    n = int(row.n)
    small = sample_status(n, ctx.options.min_n)
    region, stage = str(row.region), str(row.stage_group)
    return Finding(
        f"round_size.{region.lower()}.{stage}", "round_size",
        f"The median {stage}-stage {'biotech ' if sector == 'biotech' else ''}round in "
        f"{name(region)} was EUR {row.estimate:,.1f}m at {ctx.options.price_base} prices "
        f"({int(ctx.options.ci * 100)}% CI {row.ci_low:,.1f}-{row.ci_high:,.1f}; {n:,} rounds, "
        f"{years}).",
        region=region, stage_group=stage, sector=sector, year=years,
        value=float(row.estimate), unit=unit, ci_low=float(row.ci_low),
        ci_high=float(row.ci_high), n=n, source=label, vintage=_vintage(ctx),
        status=small or "robust",
        caveat=(f"fewer than {ctx.options.min_n} rounds: listed, never a headline. "
                if small else "") + "bootstrap percentile interval of the median; rule: robust "
        f"when the cell has at least {ctx.options.min_n} disclosed rounds",
        headline_rank=None)


def _ratio_finding(ctx: Context, row: tuple, r: pd.Series, unit: str, years: str, label: str,
                   sector: str, rank: int) -> Finding:
    o = ctx.options
    region, stage = str(row.region), str(row.stage_group)
    n, n_base = int(r["n"]), int(r["n_base"])
    small = sample_status([n, n_base], o.min_n)
    lo, hi = float(r["ci_low"]), float(r["ci_high"])
    status = small or interval_status(lo, hi)
    level = int(o.ci * 100)
    if small:
        few = min(n, n_base)
        text = (f"Only {few:,} {stage}-stage round{'s' if few != 1 else ''} stand"
                f"{'s' if few == 1 else ''} behind the comparison of "
                f"{name(region)} ({n:,}) with {name(o.base)} ({n_base:,}): the ratio of medians, "
                f"{pct(r['estimate'], 0)} ({level}% CI {pct(lo, 0)}-{pct(hi, 0)}), is too "
                "uncertain to report as a finding.")
    else:
        verdict = "" if status == "robust" else "; the interval includes parity"
        text = (f"The median {stage}-stage round in {name(region)} was {pct(r['estimate'], 0)} "
                f"of {owner(o.base)} (EUR {row.estimate:,.1f}m, {level}% CI "
                f"{pct(lo, 0)}-{pct(hi, 0)}; {n:,} and {n_base:,} rounds, {years}{verdict}).")
    return Finding(
        f"round_size.{region.lower()}_{o.base.lower()}.{stage}", "round_size", text,
        region=region, against=o.base, stage_group=stage, sector=sector, year=years,
        value=float(r["estimate"]), unit="ratio", ci_low=lo, ci_high=hi, n=min(n, n_base),
        source=label, vintage=_vintage(ctx), status=status,
        caveat=(f"n is the smaller of the two cells ({n:,} / {n_base:,}); ratio of medians in "
                f"{unit}, bootstrap interval from independent resamples of each cell; rule: "
                f"robust when both cells have {o.min_n}+ rounds and the interval excludes 1"),
        headline_rank=None if small else rank)


def _vintage(ctx: Context) -> str:
    if ctx.inputs.shipped.get("rounds"):
        return "CrunchBase export of October 2013"
    return "user export"


def _china_by_stage(ctx: Context, regions: set[str]) -> None:
    if "CN" in regions:
        return  # answered by the round findings above
    ctx.add(Finding(
        "round_size.cn.not_available", "round_size",
        "China's venture capital by stage is not in the data: the OECD tables have no China "
        "and no NCSES table splits stages; " + EXPORTS.format(who="Chinese companies")
        + " answers it.",
        region="CN", against="US", status="not_available", headline_rank=13,
        source=f"{ctx.inputs.labels.get('series', '')}; {ctx.inputs.labels.get('rounds', '')}",
        caveat="NCSES SINV-31 gives China's all-stage total (see the totals findings)"))
