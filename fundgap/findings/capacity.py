"""Findings on fund capacity: how large a round a typical fund can lead, EU against US.

On one basis: the same statistic for both sides (the European Commission's 2017
*average* VC fund size of the EU and the US, one source, one year), both in EUR at
the same price year (``price_base``, euro-area HICP), through the same rule
(a fund of size F leads a round of at most ``0.15 x F / 0.5``; see
:func:`fundgap.models.lead_capacity`). Published medians of different years and
currencies stay in the full fund-case table (``results["fund_case"]``), not in a
headline. With a funds export that names each manager's region, the median fund
by region is compared too.
"""

from __future__ import annotations

import pandas as pd

from fundgap.errors import FundgapError
from fundgap.findings._context import Context
from fundgap.findings._core import Finding
from fundgap.findings._inputs import PUBLISHED
from fundgap.findings._rules import pct, sample_status
from fundgap.models._common import biotech_subset

__all__ = ["capacity_findings"]

PAIR = "average (European Commission, 2017)"


def capacity_findings(ctx: Context) -> None:
    """The published EU vs US fund case on one basis; regional funds when given."""
    _published_case(ctx)
    _regional_funds(ctx)
    _fund_sizes(ctx)


def _fund_sizes(ctx: Context) -> None:
    """Each fund's size in EUR at ``price_base`` prices, for plots beside round sizes.

    ``size_eur`` is at the ECB rate of the fund's vintage year and in that year's
    prices; ``size_eur_real`` deflates it with the euro-area HICP to the price base
    of the round sizes (NaN where the vintage is unknown or outside the index, 2000
    onwards). Table ``fund_sizes`` in ``results["tables"]``.
    """
    from fundgap.normalise import deflate

    funds = ctx.inputs.funds
    if funds is None or not len(funds) or "size_eur" not in funds.columns:
        return
    has_region = "region" in funds.columns and funds["region"].notna().any()
    pool = funds["region"].astype("string") if has_region else pd.Series(POOL, index=funds.index)
    vintage = pd.to_numeric(funds["vintage"], errors="coerce").astype("float64") \
        if "vintage" in funds.columns else pd.Series(float("nan"), index=funds.index)
    size = pd.to_numeric(funds["size_eur"], errors="coerce").astype("float64")
    real = deflate(size.to_numpy(), vintage.to_numpy(), currency="EUR",
                   base_year=ctx.options.price_base)
    ctx.tables["fund_sizes"] = pd.DataFrame({
        "fund_pool": pool.to_numpy(), "fund_type": (funds["fund_type"].astype("string").to_numpy()
                                                     if "fund_type" in funds.columns else None),
        "vintage": vintage.to_numpy(), "size_eur": size.to_numpy(),
        "size_eur_real": pd.Series(real).to_numpy(dtype="float64"),
        "price_base": str(ctx.options.price_base)})


def _published_case(ctx: Context) -> None:
    from fundgap.models import published_fund_case

    o = ctx.options
    pub = ctx.inputs.published
    if pub is None or not len(pub):
        return
    rounds = ctx.inputs.rounds
    label = ctx.inputs.labels.get("rounds", "")
    try:
        case = published_fund_case(pub, rounds, multiple=o.multiple, price_base=o.price_base,
                                   rounds_label=label)
    except FundgapError as exc:  # e.g. no later-stage rounds to test: the case without them
        ctx.notes.append(f"fund case: rounds not tested ({exc})")
        try:
            case = published_fund_case(pub, None, multiple=o.multiple, price_base=o.price_base)
        except FundgapError as exc2:
            ctx.notes.append(f"fund case not computed: {exc2}")
            return
    ctx.results["fund_case"] = case
    f = case.to_frame()
    avg = f[f["pair"].astype(str) == PAIR]
    pick = {(str(s), str(lv)): r for s, lv, r in zip(avg["side"], avg["lever"],
                                                      avg.itertuples(index=False), strict=True)}
    eu, us = pick.get(("EU", "today")), pick.get(("US", "today"))
    if eu is None or us is None:
        return
    base = o.price_base
    eu_lead, us_lead = float(eu.largest_lead_round_eur_const), float(us.largest_lead_round_eur_const)
    shares = ""
    if pd.notna(eu.share_rounds_leadable) and pd.notna(us.share_rounds_leadable):
        shares = (f" Of {int(eu.n_rounds):,} later-stage biotech rounds in the round data, the EU "
                  f"fund could lead {pct(eu.share_rounds_leadable, 0)} alone, the US fund "
                  f"{pct(us.share_rounds_leadable, 0)}.")
    caveat = ("published point values (averages), not distributions; the EU figure covers the EU "
              "of 28 (with the UK); one source and one year for both sides; lead rule "
              "0.15 x F / 0.5 (METHODOLOGY 4.4)")
    src = str(eu.source) if hasattr(eu, "source") else "European Commission"
    ctx.add(Finding(
        "capacity.eu_us.average", "capacity",
        f"An average EU venture fund (EUR {eu.published_value:,.0f}m in 2017) can lead rounds of "
        f"up to EUR {eu_lead:,.1f}m at {base} prices, {pct(eu_lead / us_lead, 0)} of what an "
        f"average US fund (EUR {us.published_value:,.0f}m) can lead, EUR {us_lead:,.1f}m.{shares}",
        region="EU28", against="US", year="2017", value=eu_lead / us_lead, unit="ratio",
        source=src, table=f"{PUBLISHED} code {int(eu.code)}", vintage="2017 (published 2018)",
        status="indicative", caveat=caveat, headline_rank=7))
    big, more = pick.get(("EU", "bigger_funds")), pick.get(("EU", "more_funds"))
    if big is not None and more is not None:
        after = float(big.largest_lead_round_eur_const)
        ctx.add(Finding(
            "capacity.eu_us.after_x5", "capacity",
            f"Growing EU fund capital x{o.multiple:g} through bigger funds lifts the largest round "
            f"an average EU fund can lead to EUR {after:,.1f}m ({base} prices), "
            f"{pct(after / us_lead, 0)} of today's US fund; through more funds of today's size it "
            f"stays at EUR {float(more.largest_lead_round_eur_const):,.1f}m.",
            region="EU28", against="US", year="2017", value=after / us_lead, unit="ratio",
            source=src, table=f"{PUBLISHED} code {int(big.code)}", vintage="2017 (published 2018)",
            status="indicative", caveat=caveat + "; the US fund is held at today's size",
            headline_rank=None))


def _regional_funds(ctx: Context) -> None:
    import fundgap

    o = ctx.options
    funds = ctx.inputs.funds
    if funds is None or not len(funds):
        return
    has_region = "region" in funds.columns and funds["region"].notna().any()
    if not has_region:
        _pooled(ctx, funds)
        ctx.add(Finding(
            "capacity.by_region.not_available", "capacity",
            "The fund list given has no manager country, so fund sizes cannot be compared by "
            "region; a Preqin or PitchBook funds export (fundgap report --funds export.csv) "
            "answers it.", source=ctx.inputs.labels.get("funds", ""), status="not_available",
            headline_rank=None,
            caveat="the EU vs US comparison uses the published average fund sizes instead"))
        return
    rounds = ctx.inputs.rounds
    kw = {}
    if rounds is not None and len(rounds) and "region" in rounds.columns:
        kw["rounds"] = biotech_subset(rounds)[0]
    try:
        res = fundgap.capacity(funds, **kw)
    except FundgapError as exc:
        ctx.notes.append(f"capacity by region not computed: {exc}")
        return
    ctx.results["capacity"] = res
    t = res.to_frame()
    med = t[(t["metric"].astype(str) == "fund_size") & (t["quantile"] == 0.5)]
    sizes = {str(r): (float(e), int(n))
             for r, e, n in zip(med["region"], med["estimate"], med["n"], strict=True)}
    if o.base not in sizes:
        return
    b, nb = sizes[o.base]
    for region, (v, n) in sizes.items():
        if region == o.base:
            continue
        small = sample_status([n, nb], o.min_n)
        ctx.add(Finding(
            f"capacity.{region.lower()}_{o.base.lower()}.median_fund", "capacity",
            f"The median fund managed from {region} holds EUR {v:,.1f}m, {pct(v / b, 0)} of the "
            f"median {o.base} fund (EUR {b:,.1f}m; {n:,} and {nb:,} funds).",
            region=region, against=o.base, value=v / b, unit="ratio", n=min(n, nb),
            source=ctx.inputs.labels.get("funds", ""), vintage="user export",
            status=small or "indicative",
            caveat="fund sizes in EUR at the ECB rate of each vintage year, current prices of "
                   "the vintage; no interval (a point comparison of medians)",
            headline_rank=None))


POOL = "all funds (manager country unknown)"


def _round_sizes(ctx: Context) -> pd.DataFrame | None:
    """Median, P75 and P90 round by stage group from the depth result, for capacity()."""
    res = ctx.results.get("depth")
    if res is None:
        return None
    f = res.to_frame()
    f = f[f["metric"].astype(str).isin(["median", "p75", "p90"])
          & f["stage_group"].astype(str).isin(["seed", "early", "later"])].dropna(
        subset=["estimate"])
    if not len(f):
        return None
    return pd.DataFrame({
        "stage_group": f["stage_group"].astype(str).to_numpy(),
        "size": f["estimate"].astype(float).to_numpy(),
        "label": (f["metric"].astype(str) + " " + f["stage_group"].astype(str) + " round, "
                  + f["region"].astype(str)).to_numpy(),
        "round_region": f["region"].astype(str).to_numpy(),
    })


def _pooled(ctx: Context, funds: pd.DataFrame) -> None:
    """Capacity of all funds as one pool (fund lists without the manager's country)."""
    import fundgap

    sizes = _round_sizes(ctx)
    kw = {} if sizes is None else {"round_sizes": sizes.drop(columns=["round_region"])}
    try:
        res = fundgap.capacity(funds.assign(fund_pool=POOL), region_col="fund_pool", **kw)
    except FundgapError as exc:
        ctx.notes.append(f"pooled fund capacity not computed: {exc}")
        return
    if len(res.to_frame()):
        ctx.results["capacity"] = res
        if sizes is not None:
            from fundgap.models import lead_capacity

            # the fund able to lead each round alone: size / lead_capacity(1) (0.3 by default)
            ctx.tables["round_sizes_needed"] = sizes.assign(
                fund_size_needed=sizes["size"] / float(lead_capacity(1.0)))
