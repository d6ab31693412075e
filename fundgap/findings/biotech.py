"""Findings on biotech: Europe, the US and China from NCSES (PitchBook-based) tables.

* SKTI-24: biotechnology VC by country and region (US, China, Europe), latest year
  and the sums of the latest ``window`` years;
* S8-64: "Pharmaceuticals and biotechnology" as a PitchBook primary industry,
  China vs the US;
* S8-65: the "Life sciences" vertical, China vs the US (verticals overlap: each is
  read on its own, never summed with another);
* 8-6 / 8-7: the same industry for the US and China in 2013 and 2018, checked
  against S8-64.

No shipped table gives biotech by stage, or the EU-27 alone: "Europe" in SKTI-24 is
the continent (with the UK, Switzerland, Norway ...).
"""

from __future__ import annotations

from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._pairs import Pair, pair
from fundgap.findings._rules import money, pct
from fundgap.findings.macro import NCSES_CAVEAT, name, owner

__all__ = ["biotech_findings"]

EUROPE_CAVEAT = "Europe is the continent as NCSES reports it (with the UK, Switzerland, Norway), " \
                "not the EU-27"


def _latest_and_sums(p: Pair, *, fid: str, what: str, k: int, caveat: str,
                     rank_latest: int | None, rank_sum: int | None) -> list[Finding]:
    last = p.yearly.loc[p.latest]
    win = p.window(k)
    status = p.status(k)
    rule = (f"{name(p.against)} below {name(p.base)} in every year {p.years_text(k)}"
            if status == "robust" else f"the ratio crosses 1 within {p.years_text(k)}")
    sector = p.sector
    out = [Finding(
        f"{fid}.latest", "biotech",
        f"In {p.latest} {what} in {name(p.against)} was {pct(last['ratio'])} of "
        f"{owner(p.base)} ({money(last['against_value'])} against {money(last['base_value'])}; "
        f"{p.cite}).",
        region=p.against, against=p.base, sector=sector, year=str(p.latest),
        value=float(last["ratio"]), unit="ratio", source=p.source_name, table=p.table,
        vintage=p.vintage, status=status, caveat=f"{caveat}. Status rule: {rule}.",
        headline_rank=rank_latest)]
    a, b = float(win["against_value"].sum()), float(win["base_value"].sum())
    out.append(Finding(
        f"{fid}.sum{k}", "biotech",
        f"Over {p.years_text(k)} {name(p.against)} raised {money(a)} of {what}, "
        f"{pct(a / b)} of {owner(p.base)} {money(b)} ({p.cite}).",
        region=p.against, against=p.base, sector=sector, year=p.years_text(k), value=a / b,
        unit="ratio", n=len(win), source=p.source_name, table=p.table, vintage=p.vintage,
        status=status, caveat=f"ratio of the two {len(win)}-year sums. {caveat}.",
        headline_rank=rank_sum))
    return out


def biotech_findings(ctx: Context) -> None:
    """Biotech, pharma & biotech and life sciences: Europe and China against the US."""
    k = ctx.options.window
    found = False
    europe = pair(ctx, source="ncses", table="SKTI-24", against="EUROPE", sector="biotech")
    if europe is not None:
        found = True
        ctx.add(*_latest_and_sums(europe, fid="biotech.europe_us.ncses", what="biotech venture "
                                  "capital", k=k, caveat=f"{EUROPE_CAVEAT}. {NCSES_CAVEAT}",
                                  rank_latest=5, rank_sum=None))
    china = pair(ctx, source="ncses", table="SKTI-24", against="CN", sector="biotech")
    if china is not None:
        found = True
        ctx.add(*_latest_and_sums(china, fid="biotech.cn_us.ncses", what="biotech venture capital",
                                  k=k, caveat=NCSES_CAVEAT, rank_latest=6, rank_sum=None))
    pharma = pair(ctx, source="ncses", table="S8-64", against="CN",
                  sector="pharmaceuticals_and_biotechnology")
    if pharma is not None:
        found = True
        ctx.add(*_latest_and_sums(
            pharma, fid="pharma_biotech.cn_us.ncses",
            what="venture capital in pharmaceuticals and biotechnology", k=k,
            caveat=f"PitchBook primary industry 'Pharmaceuticals and biotechnology'. "
                   f"{NCSES_CAVEAT}{_check_8_6(ctx, pharma)}",
            rank_latest=15, rank_sum=None))
    life = pair(ctx, source="ncses", table="S8-65", against="CN", sector="life_sciences",
                measure="vc_invested_by_vertical")
    if life is not None:
        found = True
        ctx.add(*_latest_and_sums(
            life, fid="life_sciences.cn_us.ncses", what="venture capital in the life-sciences "
            "vertical", k=k,
            caveat="PitchBook vertical 'Life sciences': verticals overlap (a firm sits in "
                   f"several), so this is never added to another vertical. {NCSES_CAVEAT}",
            rank_latest=None, rank_sum=None))
    if not found:
        ctx.add(Finding(
            "biotech.not_available", "biotech",
            "The series given hold no biotech venture capital for two regions; the shipped "
            "NCSES tables (SKTI-24, S8-64, S8-65) answer it.", sector="biotech",
            source=ctx.inputs.labels.get("series", ""), status="not_available",
            headline_rank=5))


def _check_8_6(ctx: Context, pharma: Pair) -> str:
    """A sentence checking S8-64 against tables 8-6 (US) and 8-7 (China) where both exist."""
    s = ctx.inputs.series
    if s is None or "table" not in s.columns:
        return ""
    out = []
    for table, region, col in (("8-6", "US", "base_value"), ("8-7", "CN", "against_value")):
        rows = s[(s["table"].astype(str) == table) & (s["region"].astype(str) == region)
                 & (s["sector"].astype(str) == "pharmaceuticals_and_biotechnology")]
        for year, value in zip(rows["year"], rows["value"], strict=True):
            if int(year) in pharma.yearly.index:
                other = float(pharma.yearly.loc[int(year), col])
                out.append(f"{region} {int(year)}: {value:,.0f} in table {table} vs {other:,.0f} "
                           "in S8-64")
    return ("; check against tables 8-6/8-7: " + ", ".join(out)) if out else ""
