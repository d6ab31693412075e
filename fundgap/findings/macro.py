"""Findings from aggregate statistics: totals (EU-27, US, China) and the stage ladder.

* totals: EU-27 / US from the OECD (latest year and the mean of the latest
  ``window`` years) and, beside it, EU-27, US and China from NCSES table SINV-31
  (PitchBook deal data); the two sources side by side for the one year both cover;
* stage ladder: EU-27 / US at the seed, early and later stage from the OECD (the
  one shipped source that splits stages), latest year and window mean, and the
  ranking rule: the gap is "widest" at a stage only if that stage has the lowest
  ratio in every year of the window.
"""

from __future__ import annotations

import pandas as pd

from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._pairs import Pair, pair
from fundgap.findings._rules import money, pct, rank_stages, turns_text

__all__ = ["ladder_findings", "total_findings"]

#: Region codes as a sentence names them.
NAMES = {"EU27": "the EU-27", "US": "the US", "CN": "China (incl. Hong Kong)",
         "EUROPE": "Europe", "UK": "the UK", "EU28": "the EU-28"}
STAGES = ("seed", "early", "later")

OECD_CAVEAT = (
    "OECD market statistics compile national sources: for European countries the "
    "fund-reported figures of Invest Europe, for the US NVCA/PitchBook deal data; the EU-27 "
    "is the sum of the {n} members the OECD reports ({missing} missing)")
NCSES_CAVEAT = ("NCSES tables are built on PitchBook deal data by the investee's headquarters; "
                "China includes Hong Kong")


def name(code: str) -> str:
    """A region code as a sentence names it (``EU27 -> 'the EU-27'``)."""
    return NAMES.get(code, code)


def owner(code: str) -> str:
    """The possessive of a region's name (``US -> "the US's"``, ``CN -> "China's (incl. ...)"``)."""
    text = name(code)
    if " (" in text:
        head, tail = text.split(" (", 1)
        return f"{head}'s ({tail}"
    return f"{text}'s"


def _members_note(ctx: Context, year: int, stage: str) -> tuple[int, str]:
    s = ctx.inputs.series
    if s is None or "n_members" not in s.columns:
        return 0, "unknown"
    rows = s[(s["source"].astype(str) == "oecd") & (s["region"].astype(str) == "EU27")
             & s["country"].isna() & (s["stage_group"].astype(str) == stage)
             & (pd.to_numeric(s["year"], errors="coerce") == year)]
    if not len(rows):
        return 0, "unknown"
    members = set(str(rows["members"].iloc[0]).split(","))
    from fundgap.normalise.regions import EU27_2020

    missing = sorted(set(EU27_2020) - members)
    return len(members), ", ".join(missing) or "none"


def _oecd_caveat(ctx: Context, p: Pair) -> str:
    n, missing = _members_note(ctx, p.latest, p.stage_group)
    return OECD_CAVEAT.format(n=n, missing=missing)


def _latest_and_mean(ctx: Context, p: Pair, *, fid: str, question: str, what: str,
                     caveat: str, rank_latest: int | None, rank_mean: int | None,
                     sector: str = "all") -> list[Finding]:
    k = ctx.options.window
    last = p.yearly.loc[p.latest]
    win = p.window(k)
    status = p.status(k)
    stage = p.stage_group
    rule = (f"{name(p.against)} below {name(p.base)} in every year {p.years_text(k)}"
            if status == "robust" else
            f"the ratio crosses 1 within {p.years_text(k)}")
    cur = "USD"
    latest = Finding(
        f"{fid}.latest", question,
        f"In {p.latest} {what} in {name(p.against)} was {pct(last['ratio'])} of "
        f"{owner(p.base)} ({money(last['against_value'], cur)} against "
        f"{money(last['base_value'], cur)}; {p.cite}).",
        region=p.against, against=p.base, stage_group=stage, sector=sector,
        year=str(p.latest), value=float(last["ratio"]), unit="ratio", n=None,
        source=p.source_name, table=p.table, vintage=p.vintage, status=status,
        caveat=f"{caveat}. Status rule: {rule}.", headline_rank=rank_latest)
    mean = float(win["ratio"].mean())
    averaged = Finding(
        f"{fid}.mean{k}", question,
        f"Over {p.years_text(k)} {what} in {name(p.against)} averaged {pct(mean)} of "
        f"{owner(p.base)} (mean of the {len(win)} annual ratios, from {pct(win['ratio'].min())} "
        f"to {pct(win['ratio'].max())}; {p.cite}).",
        region=p.against, against=p.base, stage_group=stage, sector=sector,
        year=p.years_text(k), value=mean, unit="ratio",
        ci_low=float(win["ratio"].min()), ci_high=float(win["ratio"].max()), n=len(win),
        source=p.source_name, table=p.table, vintage=p.vintage, status=status,
        caveat=f"ci_low / ci_high hold the lowest and highest annual ratio of the window, not "
               f"a confidence interval. {caveat}.", headline_rank=rank_mean)
    return [latest, averaged]


def total_findings(ctx: Context) -> None:
    """EU-27 / US (OECD and NCSES), China / US and EU-27 / China (NCSES), sources side by side."""
    q = "totals"
    oecd = pair(ctx, source="oecd", table=None, against="EU27")
    if oecd is not None:
        ctx.add(*_latest_and_mean(ctx, oecd, fid="totals.eu27_us.oecd", question=q,
                                  what="venture capital invested",
                                  caveat=_oecd_caveat(ctx, oecd), rank_latest=1,
                                  rank_mean=None))
    ncses = pair(ctx, source="ncses", table="SINV-31", against="EU27")
    if ncses is not None:
        ctx.add(*_latest_and_mean(ctx, ncses, fid="totals.eu27_us.ncses", question=q,
                                  what="venture capital invested", caveat=NCSES_CAVEAT,
                                  rank_latest=2, rank_mean=None))
    china = pair(ctx, source="ncses", table="SINV-31", against="CN")
    if china is not None:
        ctx.add(*_latest_and_mean(ctx, china, fid="totals.cn_us.ncses", question=q,
                                  what="venture capital invested", caveat=NCSES_CAVEAT,
                                  rank_latest=3, rank_mean=None))
    eu_cn = pair(ctx, source="ncses", table="SINV-31", against="EU27", base="CN")
    if eu_cn is not None:
        ctx.add(*_latest_and_mean(ctx, eu_cn, fid="totals.eu27_cn.ncses", question=q,
                                  what="venture capital invested", caveat=NCSES_CAVEAT,
                                  rank_latest=None, rank_mean=None))
    if oecd is not None and ncses is not None:
        ctx.add(*_sources_side_by_side(oecd, ncses))
    _compare_sources(ctx)


def _compare_sources(ctx: Context) -> None:
    """EU-27 vs US from every source, side by side (:func:`fundgap.compare_sources`)."""
    import fundgap
    from fundgap.errors import FundgapError

    s = ctx.inputs.series
    tables = {"ncses": "SINV-31"}
    if "table" in s.columns:
        tables = {k: v for k, v in tables.items() if (s["table"].astype(str) == v).any()}
    try:
        ctx.results["compare_sources"] = fundgap.compare_sources(
            s, base="US", against="EU27", table=tables, aggregate_countries=True)
    except FundgapError as exc:
        ctx.notes.append(f"sources not compared side by side: {exc}")


def _sources_side_by_side(oecd: Pair, ncses: Pair) -> list[Finding]:
    common = sorted(set(oecd.yearly.index) & set(ncses.yearly.index))
    if not common:
        return []
    y = common[-1]
    a, b = float(oecd.yearly.loc[y, "ratio"]), float(ncses.yearly.loc[y, "ratio"])
    return [Finding(
        "totals.eu27_us.sources_compared", "totals",
        f"For {y}, the latest year both cover, the OECD puts EU-27 venture capital at "
        f"{pct(a)} of the US and NCSES (PitchBook deals) at {pct(b)}: the sources differ "
        f"{b / a:.1f}-fold; fundgap shows both and never blends them.",
        region="EU27", against="US", year=str(y), value=b / a, unit="multiple",
        source="OECD; NCSES", table=f"{oecd.table}; {ncses.table}",
        vintage=f"{oecd.vintage}; {ncses.vintage}", status="robust",
        caveat="value = NCSES ratio / OECD ratio for the same year. The OECD compiles "
               "fund-reported statistics for Europe (Invest Europe) and deal data for the US; "
               "NCSES uses PitchBook deals for both", headline_rank=None)]


def ladder_findings(ctx: Context) -> None:
    """EU-27 / US by stage (OECD), the ranking rule, and China by stage."""
    k = ctx.options.window
    pairs = {}
    for stage in STAGES:
        p = pair(ctx, source="oecd", table=None, against="EU27", stage_group=stage)
        if p is None:
            continue
        pairs[stage] = p
        ctx.add(*_latest_and_mean(ctx, p, fid=f"ladder.{stage}.oecd", question="ladder",
                                  what=f"{stage}-stage venture capital",
                                  caveat=_oecd_caveat(ctx, p) + "; stage definitions follow "
                                  "the national sources", rank_latest=None, rank_mean=None))
    if len(pairs) >= 2:
        ctx.add(*_ranking(pairs, k))
    else:
        ctx.add(Finding(
            "ladder.eu27_us.ranking", "ladder",
            "No source in the data splits EU-27 and US venture capital by stage, so the stage "
            "where the gap is widest cannot be named; the OECD table (shipped as oecd_vc) or a "
            "rounds export covering both regions answers it.",
            region="EU27", against="US", source=ctx.inputs.labels.get("series", ""), status="not_available",
            headline_rank=4))


def _ranking(pairs: dict[str, Pair], k: int) -> list[Finding]:
    table = pd.DataFrame({s: p.yearly["ratio"] for s, p in pairs.items()}).dropna()
    win = table.sort_index().tail(k)
    if not len(win):
        return []
    r = rank_stages(win)
    years = f"{win.index.min()}-{win.index.max()}"
    first = next(iter(pairs.values()))
    latest = win.index.max()
    levels = ", ".join(f"{s} {pct(win.loc[latest, s])}" for s in win.columns)
    means = ", ".join(f"{s} {pct(win[s].mean())}" for s in win.columns)
    wide, narrow = r["widest"], r["narrowest"]
    if wide["status"] == "robust":
        stage = wide["stage"]
        text = (f"The EU-27's gap with the US is widest at the {stage} stage: its ratio is the "
                f"lowest of the stages in every year {years} (in {latest}: {levels}; OECD).")
        value = float(win[stage].mean())
    else:
        text = (f"No single stage has the widest EU-27 gap with the US over {years}: the lowest "
                f"ratio is {turns_text(wide['by_year'])} (in {latest}: {levels}; OECD).")
        value = float("nan")
    out = [Finding(
        "ladder.eu27_us.widest", "ladder", text, region="EU27", against="US",
        stage_group=wide["stage"] or "", year=years, value=value, unit="ratio",
        n=len(win), source="OECD", table=first.table, vintage=first.vintage,
        status=wide["status"],
        caveat=f"Rule: a stage is named only if its EU-27/US ratio is the lowest in every year of "
               f"the latest {k} years. Window means: {means}.", headline_rank=4)]
    if narrow["status"] == "robust":
        stage = narrow["stage"]
        out.append(Finding(
            "ladder.eu27_us.narrowest", "ladder",
            f"The EU-27's gap with the US is narrowest at the {stage} stage in every year "
            f"{years} (mean ratio {pct(win[stage].mean())}; OECD).",
            region="EU27", against="US", stage_group=stage, year=years,
            value=float(win[stage].mean()), unit="ratio", n=len(win), source="OECD",
            table=first.table, vintage=first.vintage, status="robust",
            caveat=f"Rule: the highest EU-27/US ratio of the stages in every year of the latest "
                   f"{k} years. Window means: {means}.", headline_rank=None))
    return out
